package dev.aio4j.net;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.aio4j.Loop;
import java.io.IOException;
import java.lang.reflect.Proxy;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Fuzzes {@link StreamReader}'s parsing, which reads untrusted peer input, against a model
 * written independently from asyncio's rules (SPEC N2 to N5): a random mix of
 * feeds, reads of every kind and the end of the stream, in random chunkings,
 * with small limits so that overruns are common. After every step the
 * reader's answer (bytes, or exception with its fields) and its buffer must
 * match the model's.
 *
 * <p>A read that would have to wait cannot wait here (there is no running
 * loop): the stub loop's {@code createFuture} throws {@link WouldWait}, and
 * the model must agree that the read had to wait, with nothing consumed.
 *
 * <p>Every build runs {@link #randomInputs()} (20,000 seeded inputs) and
 * Jazzer's regression inputs; to fuzz for real:
 * {@code JAZZER_FUZZ=1 ./mvnw -pl api test -Dtest=StreamReaderFuzzTest#fuzz}.
 */
class StreamReaderFuzzTest {

    /** What the stub loop throws where a read would suspend. */
    private static final class WouldWait extends RuntimeException {
        WouldWait() {
            super(null, null, false, false);
        }
    }

    private static final Loop NO_LOOP = (Loop) Proxy.newProxyInstance(Loop.class.getClassLoader(),
            new Class<?>[] {Loop.class}, (proxy, method, args) -> {
                if (method.getName().equals("createFuture")) {
                    throw new WouldWait();
                }
                throw new UnsupportedOperationException(method.getName());
            });

    /** The bytes a fuzz input decides with. */
    interface Source {
        int consumeInt(int min, int max);

        byte[] consumeBytes(int max);

        boolean exhausted();
    }

    @FuzzTest(maxDuration = "5m")
    void fuzz(FuzzedDataProvider data) throws IOException {
        check(new Source() {
            @Override
            public int consumeInt(int min, int max) {
                return data.consumeInt(min, max);
            }

            @Override
            public byte[] consumeBytes(int max) {
                return data.consumeBytes(max);
            }

            @Override
            public boolean exhausted() {
                return data.remainingBytes() == 0;
            }
        });
    }

    @Test
    void randomInputs() throws IOException {
        for (int seed = 0; seed < 20_000; seed++) {
            SplittableRandom r = new SplittableRandom(seed);
            int steps = r.nextInt(1, 60);
            int[] left = {steps};
            try {
                check(new Source() {
                    @Override
                    public int consumeInt(int min, int max) {
                        return r.nextInt(min, max + 1);
                    }

                    @Override
                    public byte[] consumeBytes(int max) {
                        byte[] b = new byte[r.nextInt(0, max + 1)];
                        r.nextBytes(b);
                        return b;
                    }

                    @Override
                    public boolean exhausted() {
                        return left[0]-- <= 0;
                    }
                });
            } catch (AssertionError e) {
                throw new AssertionError("seed " + seed + ": " + e.getMessage(), e);
            }
        }
    }

    /** Runs the steps {@code in} chooses on a reader and on the model, comparing them after each. */
    static void check(Source in) throws IOException {
        int limit = in.consumeInt(1, 48);
        StreamReader reader = new StreamReader(NO_LOOP, limit);
        Model model = new Model(limit);
        StringBuilder log = new StringBuilder("limit=" + limit);
        while (!in.exhausted()) {
            int op = in.consumeInt(0, 9);
            Object expected;
            Object actual;
            switch (op) {
                case 0, 1, 2 -> {
                    byte[] chunk = in.consumeBytes(40);
                    for (int i = 0; i < chunk.length; i++) {
                        if ((chunk[i] & 3) == 0) {
                            chunk[i] = '\n'; // lines short enough to matter against the limit
                        } else if ((chunk[i] & 7) == 1) {
                            chunk[i] = '-';
                        }
                    }
                    log.append(" feed(").append(chunk.length).append(')');
                    expected = model.feed(chunk);
                    actual = outcome(() -> {
                        reader.feedData(chunk);
                        return null;
                    });
                }
                case 3 -> {
                    log.append(" eof");
                    model.eof = true;
                    reader.feedEof();
                    expected = null;
                    actual = null;
                }
                case 4, 5 -> {
                    log.append(" readLine");
                    expected = model.readLine();
                    actual = outcome(reader::readLine);
                }
                case 6 -> {
                    byte[] sep = in.consumeInt(0, 1) == 0 ? new byte[] {'-'} : new byte[] {'-', '-'};
                    log.append(" readUntil(").append(sep.length).append(')');
                    expected = model.readUntil(sep);
                    actual = outcome(() -> reader.readUntil(sep));
                }
                case 7 -> {
                    int n = in.consumeInt(0, 100);
                    log.append(" readExactly(").append(n).append(')');
                    expected = model.readExactly(n);
                    actual = outcome(() -> reader.readExactly(n));
                }
                default -> {
                    int n = in.consumeInt(-1, 100);
                    log.append(" read(").append(n).append(')');
                    expected = model.read(n);
                    actual = outcome(() -> reader.read(n));
                }
            }
            assertEquals(describe(expected), describe(actual), () -> "after " + log);
            assertEquals(model.buf.length(), reader.buffered(), () -> "buffered bytes after " + log);
            assertEquals(model.eof && model.buf.isEmpty(), reader.atEof(), () -> "atEof after " + log);
        }
        if (model.eof) {
            byte[] rest = reader.read(-1);
            assertArrayEquals(model.buf.toString().getBytes(ISO_8859_1), rest, () -> "the rest after " + log);
        }
    }

    private interface Step {
        Object run() throws IOException;
    }

    private static Object outcome(Step s) {
        try {
            return s.run();
        } catch (IOException | RuntimeException e) { // WouldWait included
            return e;
        }
    }

    /** A comparable description of an outcome: bytes, or an exception's type and fields. */
    private static String describe(Object o) {
        if (o == null) {
            return "nothing";
        }
        if (o instanceof byte[] b) {
            return "bytes '" + new String(b, ISO_8859_1) + "'";
        }
        if (o instanceof IncompleteReadException e) {
            return "IncompleteRead(partial='" + new String(e.partial(), ISO_8859_1) + "', expected=" + e.expected() + ")";
        }
        if (o instanceof LimitOverrunException e) {
            return "LimitOverrun(consumed=" + e.consumed() + ")";
        }
        if (o instanceof WouldWait) {
            return "waits";
        }
        if (o instanceof Throwable t) {
            return t.getClass().getSimpleName();
        }
        return String.valueOf(o);
    }

    /** asyncio's StreamReader rules, written as plainly as possible on a string of Latin-1 chars. */
    private static final class Model {
        final int limit;
        final StringBuilder buf = new StringBuilder();
        boolean eof;

        Model(int limit) {
            this.limit = limit;
        }

        Object feed(byte[] chunk) {
            if (eof) {
                return new IllegalStateException();
            }
            buf.append(new String(chunk, ISO_8859_1));
            return null;
        }

        private byte[] take(int n) {
            String s = buf.substring(0, n);
            buf.delete(0, n);
            return s.getBytes(ISO_8859_1);
        }

        Object readUntil(byte[] sepBytes) {
            String sep = new String(sepBytes, ISO_8859_1);
            int idx = buf.indexOf(sep);
            if (idx >= 0) {
                return idx > limit ? new LimitOverrunException("", idx) : take(idx + sep.length());
            }
            if (buf.length() >= sep.length() && buf.length() + 1 - sep.length() > limit) {
                return new LimitOverrunException("", buf.length() + 1 - sep.length());
            }
            if (eof) {
                return new IncompleteReadException(take(buf.length()), -1);
            }
            return new WouldWait();
        }

        Object readLine() {
            Object r = readUntil(new byte[] {'\n'});
            if (r instanceof IncompleteReadException e) {
                return e.partial();
            }
            if (r instanceof LimitOverrunException e) {
                if (e.consumed() < buf.length() && buf.charAt(e.consumed()) == '\n') {
                    buf.delete(0, e.consumed() + 1);
                } else {
                    buf.setLength(0);
                }
            }
            return r;
        }

        Object readExactly(int n) {
            if (n == 0) {
                return new byte[0];
            }
            if (buf.length() >= n) {
                return take(n);
            }
            return eof ? new IncompleteReadException(take(buf.length()), n) : new WouldWait();
        }

        Object read(int n) {
            if (n == 0) {
                return new byte[0];
            }
            if (n == -1) {
                return eof ? take(buf.length()) : new WouldWait();
            }
            if (buf.isEmpty() && !eof) {
                return new WouldWait();
            }
            return take(Math.min(n, buf.length()));
        }
    }

    @Test
    void theModelItselfFollowsAsyncio() {
        Model m = new Model(4);
        m.feed("abcd\nabcde\nx".getBytes(ISO_8859_1));
        assertEquals("bytes 'abcd\n'", describe(m.readLine()), "a line of exactly the limit is accepted (R113)");
        assertEquals("LimitOverrun(consumed=5)", describe(m.readLine()), "one byte more is not (R113)");
        assertEquals("x", m.buf.toString(), "the over-long line is dropped whole (R114)");
        if (!(m.readLine() instanceof WouldWait)) {
            fail("a partial line waits for its newline");
        }
    }
}
