package dev.aio4j.tck;

import static dev.aio4j.tck.StreamBytes.b;
import static dev.aio4j.tck.StreamBytes.s;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.aio4j.AsyncIO;
import dev.aio4j.CancelledError;
import dev.aio4j.Loop;
import dev.aio4j.Task;
import dev.aio4j.net.IncompleteReadException;
import dev.aio4j.net.LimitOverrunException;
import dev.aio4j.net.StreamReader;
import dev.aio4j.net.Transport;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CancellationException;
import org.junit.jupiter.api.Test;

/**
 * SPEC section N, the reader component (N2 to N7, N17, N21): {@link StreamReader}, the
 * portable library's buffered reader, fed with {@code feedData} and
 * {@code feedEof} and never a socket. Every backend keeps these rules, with or
 * without {@link dev.aio4j.spi.Capability#REAL_SOCKETS}; the socket rules are
 * in {@link SocketsVerification}, {@link TransportVerification} and
 * {@link FlowControlVerification}.
 */
public abstract class StreamReaderVerification extends AbstractVerification {
    /** For a backend's subclass, which names its provider. */
    protected StreamReaderVerification() {}


    @Override
    protected String area() {
        return "StreamReader";
    }

    /** A reader of {@code loop} already fed with {@code chunks}. */
    private static StreamReader fed(Loop loop, int limit, String... chunks) {
        StreamReader r = new StreamReader(loop, limit);
        for (String c : chunks) {
            r.feedData(b(c));
        }
        return r;
    }

    // ================================================================== N2 readLine

    /** N2: readLine returns lines with their newline, then the partial last line, then empty arrays. */
    @Test
    public void required_N2_readLineReturnsLinesThenPartialThenEmpty() {
        Loop loop = newLoop();
        List<String> got = run(loop, () -> {
            StreamReader r = fed(loop, StreamReader.DEFAULT_LIMIT, "line1\nli", "ne2\nrest");
            r.feedEof();
            List<String> out = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                out.add(s(r.readLine()));
            }
            return out;
        });
        assertEquals(List.of("line1\n", "line2\n", "rest", "", ""), got,
                "readLine must return each line with its \\n, the partial last line at EOF, then empty arrays (SPEC N2)");
    }

    /** N2: a readLine waits for the rest of its line when only part of it is buffered. */
    @Test
    public void required_N2_readLineWaitsForTheRestOfTheLine() {
        Loop loop = newLoop();
        String got = run(loop, () -> {
            StreamReader r = fed(loop, StreamReader.DEFAULT_LIMIT, "hel");
            loop.callSoon(() -> r.feedData(b("lo")));
            loop.callSoon(() -> loop.callSoon(() -> r.feedData(b("!\nnext"))));
            return s(r.readLine());
        });
        assertEquals("hello!\n", got, "readLine must wait until the newline arrives and return the whole line (SPEC N2)");
    }

    // ================================================================== N3 limit

    /** N3: a line of exactly the limit (before its newline) is accepted, one byte more is not; the line is dropped. */
    @Test
    public void required_N3_readLineEnforcesTheLimitAndDropsTheLine() {
        Loop loop = newLoop();
        run(loop, () -> {
            StreamReader r = fed(loop, 4, "abcd\n", "abcde\nnext\n");
            assertEquals("abcd\n", s(r.readLine()), "a line of exactly `limit` bytes before \\n must be accepted (SPEC N3)");
            LimitOverrunException e = assertThrows(LimitOverrunException.class, r::readLine,
                    "a line longer than the limit must fail with LimitOverrunException (SPEC N3)");
            assertTrue(e.getMessage().contains("limit"), "the message must name the limit (SPEC N3): " + e.getMessage());
            assertEquals("next\n", s(r.readLine()),
                    "an over-long line whose \\n is buffered must be dropped whole, and the next line read (SPEC N3)");
            return null;
        });
    }

    /** N3: a peer that never sends a newline cannot make the reader buffer without bound. */
    @Test
    public void required_N3_aLineWithoutNewlineFailsInsteadOfBufferingWithoutBound() {
        Loop loop = newLoop();
        int left = run(loop, () -> {
            StreamReader r = new StreamReader(loop, 16);
            Task<byte[]> reading = loop.createTask(r::readLine);
            for (int i = 0; i < 10; i++) {
                r.feedData(b("xxxxxxxx")); // 80 bytes, never a newline
            }
            assertThrows(LimitOverrunException.class, reading::await,
                    "a line without newline longer than the limit must fail the waiting readLine (SPEC N3)");
            return r.buffered();
        });
        assertEquals(0, left, "after an over-long line without \\n the buffer must be emptied (SPEC N3)");
    }

    /** N3: a limit must be positive. */
    @Test
    public void required_N3_limitMustBePositive() {
        Loop loop = newLoop();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new StreamReader(loop, 0),
                "a reader limit of 0 must be refused with IllegalArgumentException (SPEC N3)");
        assertTrue(e.getMessage().contains("limit"), "the message must name the limit (SPEC N3): " + e.getMessage());
        assertEquals(65536, new StreamReader(loop).limit(), "the default limit must be 64 KiB (SPEC N3)");
    }

    // ================================================================== N4 readUntil

    /** N4: readUntil returns up to and including the separator; over the limit it leaves the buffer as it was. */
    @Test
    public void required_N4_readUntilSeparatorAndLimitLeaveTheBufferIntact() {
        Loop loop = newLoop();
        run(loop, () -> {
            StreamReader r = fed(loop, 5, "ab--cd", "efgh--");
            assertEquals("ab--", s(r.readUntil(b("--"))), "readUntil must include the separator (SPEC N4)");
            LimitOverrunException e = assertThrows(LimitOverrunException.class, () -> r.readUntil(b("--")),
                    "a chunk longer than the limit before the separator must fail with LimitOverrunException (SPEC N4)");
            assertEquals(6, e.consumed(), "consumed must be the chunk's length before the separator (SPEC N4)");
            assertEquals(8, r.buffered(), "readUntil over the limit must leave the buffer untouched (SPEC N4)");
            assertThrows(IllegalArgumentException.class, () -> r.readUntil(new byte[0]),
                    "an empty separator must be refused with IllegalArgumentException (SPEC N4)");
            return null;
        });
        // Exactly the limit before the separator is within it, also while the separator is still on its way.
        String atLimit = run(loop, () -> {
            StreamReader r = fed(loop, 4, "abcd");
            loop.callSoon(() -> r.feedData(b("-")));
            loop.callSoon(() -> loop.callSoon(() -> r.feedData(b("-x"))));
            return s(r.readUntil(b("--")));
        });
        assertEquals("abcd--", atLimit, "a chunk of exactly the limit before the separator is within the limit, "
                + "whether the separator is buffered yet or not (SPEC N4; asyncio fails only beyond the limit)");
    }

    /** N4: the end of the stream before the separator gives IncompleteReadException with every buffered byte. */
    @Test
    public void required_N4_eofBeforeSeparatorGivesIncompleteRead() {
        Loop loop = newLoop();
        run(loop, () -> {
            StreamReader r = fed(loop, 100, "no separator");
            r.feedEof();
            IncompleteReadException e = assertThrows(IncompleteReadException.class, () -> r.readUntil(b("\r\n")),
                    "EOF before the separator must raise IncompleteReadException (SPEC N4)");
            assertEquals("no separator", s(e.partial()), "partial must carry every buffered byte (SPEC N4)");
            assertEquals(-1, e.expected(), "expected must be -1 for a separator read (SPEC N4)");
            assertTrue(r.atEof(), "the buffer must be emptied (SPEC N4)");
            return null;
        });
    }

    // ================================================================== N5 readExactly, read

    /** N5: readExactly and read(n) follow asyncio, and neither is bounded by the limit. */
    @Test
    public void required_N5_readExactlyAndReadSizes() {
        Loop loop = newLoop();
        run(loop, () -> {
            StreamReader r = fed(loop, 2, "0123456789");
            assertEquals(0, r.readExactly(0).length, "readExactly(0) must return an empty array (SPEC N5)");
            assertEquals("0123", s(r.readExactly(4)), "readExactly is not bounded by the limit (SPEC N5)");
            assertEquals("456", s(r.read(3)), "read(n) returns up to n bytes (SPEC N5)");
            assertEquals(0, r.read(0).length, "read(0) must return an empty array (SPEC N5)");
            assertThrows(IllegalArgumentException.class, () -> r.readExactly(-1),
                    "readExactly(-1) must be refused with IllegalArgumentException (SPEC N5)");
            loop.callSoon(() -> {
                r.feedData(b("ab"));
                r.feedEof();
            });
            assertEquals("789ab", s(r.read(-1)), "read(-1) must read to the end of the stream (SPEC N5)");
            IncompleteReadException e = assertThrows(IncompleteReadException.class, () -> r.readExactly(1),
                    "readExactly at EOF must raise IncompleteReadException (SPEC N5)");
            assertEquals(1, e.expected(), "(SPEC N5)");
            assertEquals("0 bytes read on a total of 1 expected bytes", e.getMessage(), "(SPEC N5)");
            return null;
        });
        run(loop, () -> {
            StreamReader r = fed(loop, 100, "abcdef");
            r.feedEof();
            assertEquals("ab", s(r.readExactly(2)), "(SPEC N5)");
            assertEquals("cde", s(r.readExactly(3)), "readExactly(n) with exactly n bytes left before EOF must "
                    + "return them, not report an incomplete read (SPEC N5)");
            IncompleteReadException e = assertThrows(IncompleteReadException.class, () -> r.readExactly(10),
                    "readExactly beyond EOF must raise IncompleteReadException (SPEC N5)");
            assertEquals("f", s(e.partial()), "partial must carry exactly the bytes left after earlier reads (SPEC N5)");
            return null;
        });
    }

    /** N5: read(n) returns as soon as at least one byte is buffered. */
    @Test
    public void required_N5_readReturnsWhatIsThereWithoutWaitingForN() {
        Loop loop = newLoop();
        String got = run(loop, () -> {
            StreamReader r = new StreamReader(loop);
            loop.callSoon(() -> r.feedData(b("ab")));
            return s(r.read(100));
        });
        assertEquals("ab", got, "read(100) must return the 2 bytes that arrived, not wait for 100 (SPEC N5)");
    }

    /**
     * N17: every byte survives the buffer's growing and compacting: some bytes fed, some read, then one
     * chunk of every size up to past twice the buffer, so that each chunk either fits, or fits once the
     * read bytes are dropped from the front, or needs a bigger buffer, with the boundaries between these.
     */
    @Test
    public void required_N17_everyByteSurvivesTheBufferGrowingAndCompacting() {
        Loop loop = newLoop();
        byte[] data = new byte[2_000];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) (i * 31 + (i >> 8));
        }
        String result = run(loop, () -> {
            for (int fill : new int[] {2, 10, 100, 200, 255, 256, 257, 300, 511, 600}) {
                for (int consume : new int[] {1, fill / 2, fill - 1}) {
                    if (consume < 1 || consume >= fill) {
                        continue;
                    }
                    for (int chunk = 1; chunk <= data.length - fill; chunk++) {
                        StreamReader r = new StreamReader(loop);
                        r.feedData(ByteBuffer.wrap(data, 0, fill));
                        r.readExactly(consume);
                        r.feedData(ByteBuffer.wrap(data, fill, chunk));
                        byte[] rest = r.readExactly(fill + chunk - consume);
                        if (!Arrays.equals(rest, Arrays.copyOfRange(data, consume, fill + chunk))) {
                            return "fed " + fill + " bytes, read " + consume + ", fed " + chunk
                                    + " more: the bytes read back differ from those fed";
                        }
                    }
                }
            }
            return "ok";
        });
        assertEquals("ok", result, "every byte fed must come out once, in order, whatever the buffer had to do to "
                + "hold it (SPEC N17)");
    }

    /**
     * N26: a reader read as fast as it is fed keeps a buffer the size of what it holds, not of what went
     * through it: 32 MiB fed in 64 KiB chunks, each read back but for 4 KiB, leave well under 1 MiB.
     */
    @Test
    public void required_N26_aReaderKeepsABufferTheSizeOfWhatItHolds() {
        Loop loop = newLoop();
        int chunk = 64 << 10;
        List<StreamReader> reader = new ArrayList<>();
        run(loop, () -> {
            StreamReader r = new StreamReader(loop);
            reader.add(r);
            byte[] data = new byte[chunk];
            r.feedData(data);
            r.readExactly(chunk - 4096); // from now on 4 KiB stay unread: the buffer never empties
            for (int i = 1; i < 512; i++) {
                r.feedData(data);
                r.readExactly(chunk);
            }
            return null;
        });
        assertEquals(4096, reader.get(0).buffered(), "the bytes fed and not read (SPEC N17)");
        long withTheReader = reachableHeap();
        reader.clear(); // what the heap gives back now is what the reader kept
        long held = withTheReader - reachableHeap();
        assertTrue(held < 1 << 20, "a reader that 32 MiB went through, holding 4 KiB, must not keep "
                + held / 1024 + " KiB (SPEC N26)");
    }

    // ================================================================== N6 one reader

    /** N6: a second task waiting on the same reader fails; the first still gets its data. */
    @Test
    public void required_N6_oneWaitingReaderAtATime() {
        Loop loop = newLoop();
        run(loop, () -> {
            StreamReader r = new StreamReader(loop);
            Task<byte[]> first = loop.createTask(r::readLine);
            Task<byte[]> second = loop.createTask(r::readLine);
            IllegalStateException e = assertThrows(IllegalStateException.class, second::await,
                    "a second task waiting on a reader must fail with IllegalStateException (SPEC N6)");
            assertTrue(e.getMessage().contains("already waiting"), "(SPEC N6): " + e.getMessage());
            r.feedData(b("x\n"));
            assertEquals("x\n", s(first.await()), "the first reader must still get its line (SPEC N6)");
            return null;
        });
    }

    /** N6: setException fails the waiting read and every later one. */
    @Test
    public void required_N6_setExceptionFailsPendingAndLaterReads() {
        Loop loop = newLoop();
        run(loop, () -> {
            StreamReader r = new StreamReader(loop);
            Task<byte[]> waiting = loop.createTask(() -> r.read(10));
            loop.callSoon(() -> r.setException(new SocketException("boom")));
            SocketException e = assertThrows(SocketException.class, waiting::await,
                    "setException must fail the waiting read with that exception (SPEC N6)");
            assertEquals("boom", e.getMessage(), "(SPEC N6)");
            assertThrows(SocketException.class, r::readLine, "every later read must throw it too (SPEC N6)");
            return null;
        });
    }

    /** N6: a read cancelled while it waits leaves the reader usable and its bytes in place. */
    @Test
    public void required_N6_cancelledReadLeavesTheReaderUsable() {
        Loop loop = newLoop();
        run(loop, () -> {
            StreamReader r = fed(loop, 100, "par");
            Task<byte[]> waiting = loop.createTask(r::readLine);
            loop.callSoon(() -> waiting.cancel());
            assertThrows(CancelledError.class, waiting::await, "(SPEC N6)");
            // The next read has to wait too: the cancelled one must not still count as the waiting reader.
            Task<byte[]> next = loop.createTask(r::readLine);
            loop.callSoon(() -> r.feedData(b("tial\n")));
            assertEquals("partial\n", s(next.await()), "after a cancelled read, the next read must be able to wait, "
                    + "and the buffered bytes must still be there for it (SPEC N6)");
            return null;
        });
    }

    // ================================================================== N7 read flow control

    /** N7: the reader pauses its transport above twice the limit and resumes it at the limit or when a read waits. */
    @Test
    public void required_N7_readerPausesAndResumesItsTransport() {
        Loop loop = newLoop();
        run(loop, () -> {
            RecordingTransport t = new RecordingTransport();
            StreamReader r = new StreamReader(loop, 4);
            r.setTransport(t);
            r.feedData(b("abc\n1234"));
            assertFalse(t.readingPaused, "8 bytes with limit 4 is not above 2 x limit: no pause yet (SPEC N7)");
            r.feedData(b("5"));
            assertTrue(t.readingPaused, "above 2 x limit buffered, the reader must pause its transport (SPEC N7)");
            r.readLine(); // 5 left: still above the limit
            assertTrue(t.readingPaused, "5 bytes left is above the limit: still paused (SPEC N7)");
            r.readExactly(1); // 4 left: at the limit
            assertFalse(t.readingPaused, "at the limit the reader must resume its transport (SPEC N7)");
            assertEquals(1, t.pauses, "one pause (SPEC N7)");

            // Only unread bytes count: 2 left after a read, then 4 more is 6, not above 2 x limit.
            RecordingTransport u = new RecordingTransport();
            StreamReader q = new StreamReader(loop, 4);
            q.setTransport(u);
            q.feedData(b("abcdefg"));
            q.readExactly(5);
            q.feedData(b("1234"));
            assertFalse(u.readingPaused, "6 unread bytes with limit 4 is not above 2 x limit: bytes already read must "
                    + "not count (SPEC N7)");

            // A line dropped for being over the limit empties the buffer: reading resumes.
            RecordingTransport v = new RecordingTransport();
            StreamReader over = new StreamReader(loop, 4);
            over.setTransport(v);
            over.feedData(b("abcdefghij\n"));
            assertTrue(v.readingPaused, "11 bytes with limit 4 must pause (SPEC N7)");
            assertThrows(LimitOverrunException.class, over::readLine, "(SPEC N3)");
            assertFalse(v.readingPaused, "once the over-long line is dropped the buffer is empty and the reader must "
                    + "resume its transport (SPEC N7)");
            return null;
        });
    }

    // ================================================================== N17 every byte once, in order

    /**
     * N17: whatever the chunking of what is fed and the mix of reads (lines, a two-byte separator split
     * across chunks, exact sizes that wait for more, read(n)), every byte comes out once, in order; the
     * reader's state (buffered, atEof, exception) says where it is.
     */
    @Test
    public void required_N17_everyByteComesOutOnceInOrder() {
        Loop loop = newLoop();
        java.util.SplittableRandom random = new java.util.SplittableRandom(17);
        List<String> segments = new ArrayList<>(); // what each read must return, in order
        List<Character> kinds = new ArrayList<>();
        StringBuilder all = new StringBuilder();
        for (int i = 0; i < 400; i++) {
            char kind = "LUER".charAt(random.nextInt(4));
            StringBuilder seg = new StringBuilder();
            int len = random.nextInt(kind == 'L' || kind == 'U' ? 40 : 60) + (kind == 'E' || kind == 'R' ? 1 : 0);
            for (int j = 0; j < len; j++) {
                // never '\n' or '>': the separators are found only where they are meant; a lone '<' is a partial
                // match of "<>" that readUntil must step over
                seg.append("abcdefghijklmnopqrstuvwxyz<".charAt(random.nextInt(27)));
            }
            seg.append(kind == 'L' ? "\n" : kind == 'U' ? "<>" : "");
            segments.add(seg.toString());
            kinds.add(kind);
            all.append(seg);
        }
        byte[] data = b(all.toString());
        String result = run(loop, () -> {
            StreamReader r = new StreamReader(loop, 64);
            if (r.atEof() || r.buffered() != 0 || r.exception() != null) {
                return "a new reader must be empty, not at EOF and without exception";
            }
            // Feed in chunks of 1 to 37 bytes, one chunk per iteration, so that reads often have to wait.
            int[] fed = {0};
            Runnable[] feedNext = new Runnable[1];
            feedNext[0] = () -> {
                int n = Math.min(1 + random.nextInt(37), data.length - fed[0]);
                r.feedData(ByteBuffer.wrap(data, fed[0], n));
                fed[0] += n;
                if (fed[0] < data.length) {
                    loop.callSoon(feedNext[0]);
                } else {
                    r.feedEof();
                }
            };
            loop.callSoon(feedNext[0]);
            int read = 0;
            for (int i = 0; i < segments.size(); i++) {
                String want = segments.get(i);
                String got = switch (kinds.get(i)) {
                    case 'L' -> s(r.readLine());
                    case 'U' -> s(r.readUntil(b("<>")));
                    case 'E' -> s(r.readExactly(want.length()));
                    default -> {
                        StringBuilder sb = new StringBuilder();
                        while (sb.length() < want.length()) {
                            sb.append(s(r.read(want.length() - sb.length())));
                        }
                        yield sb.toString();
                    }
                };
                if (!got.equals(want)) {
                    return "read " + i + " (" + kinds.get(i) + ") returned '" + got + "', expected '" + want + "'";
                }
                read += want.length();
                if (r.buffered() != fed[0] - read) {
                    return "buffered() is " + r.buffered() + " after reading " + read + " of " + fed[0] + " bytes fed";
                }
                if (r.atEof() && read < data.length) {
                    return "atEof() is true with " + (data.length - read) + " bytes still to come";
                }
            }
            if (r.read(-1).length != 0 || !r.atEof()) {
                return "after every byte was read and the stream ended, atEof() must be true";
            }
            return "ok";
        });
        assertEquals("ok", result, "every byte fed must come out once, in order, whatever the chunking and the kinds "
                + "of reads; buffered() and atEof() must say where the reader is (SPEC N17)");

        run(loop, () -> {
            StreamReader r = fed(loop, 100, "abc\n");
            SocketException e = new SocketException("tck-n17");
            r.setException(e);
            assertSame(e, r.exception(), "exception() must return what setException set (SPEC N17)");
            assertSame(e, assertThrows(SocketException.class, () -> r.read(1)),
                    "an exception set while bytes are buffered must be thrown by the next read(n) (SPEC N17)");
            assertSame(e, assertThrows(SocketException.class, () -> r.readExactly(1)),
                    "... and by readExactly (SPEC N17)");
            assertFalse(r.atEof(), "a reader with an exception and unread bytes is not at EOF (SPEC N17)");
            return null;
        });
    }

    // ================================================================== N21 text

    /** N21: a reader's text says how many bytes it holds, and whether it ended, failed, waits or paused reading. */
    @Test
    public void required_N21_aReadersTextTellsItsState() {
        Loop loop = newLoop();
        run(loop, () -> {
            StreamReader r = fed(loop, 4, "abc");
            String fresh = r.toString();
            assertTrue(fresh.contains("3 bytes"), "a reader's text must say how many bytes it holds, was: " + fresh
                    + " (SPEC N21)");
            assertFalse(List.of("eof", "exception", "waiting", "paused").stream().anyMatch(fresh::contains),
                    "a reader that has not ended, failed, waited or paused must not say so, was: " + fresh
                            + " (SPEC N21)");
            r.setTransport(new RecordingTransport());
            r.feedData(b("defghi")); // 9 bytes, above 2 x limit
            assertTrue(r.toString().contains("paused"), "a reader that paused its transport must say so, was: " + r
                    + " (SPEC N21)");
            r.readExactly(2);
            assertTrue(r.toString().contains("7 bytes"), "after a read the text must count the bytes left, was: " + r
                    + " (SPEC N21)");
            r.readExactly(7);
            assertFalse(r.toString().contains("paused"), "once reading resumed the text must not say 'paused', was: "
                    + r + " (SPEC N21)");
            Task<byte[]> reading = loop.createTask(r::readLine);
            AsyncIO.sleep0(); // the read waits for data
            assertTrue(r.toString().contains("waiting"), "a reader with a read waiting must say so, was: " + r
                    + " (SPEC N21)");
            r.feedEof();
            assertEquals("", s(reading.await()), "(SPEC N2)");
            assertTrue(r.toString().contains("eof") && !r.toString().contains("waiting"), "an ended reader must say "
                    + "'eof', and no longer 'waiting', was: " + r + " (SPEC N21)");
            StreamReader failed = fed(loop, 4, "x");
            failed.setException(new SocketException("tck-n21 reset"));
            assertTrue(failed.toString().contains("tck-n21 reset"), "a failed reader's text must show its exception, "
                    + "was: " + failed + " (SPEC N21)");
            return null;
        });
    }

    /** A transport that records flow-control calls (N7). */
    private static final class RecordingTransport implements Transport {
        boolean readingPaused;
        int pauses;

        @Override
        public void write(ByteBuffer data) {}

        @Override
        public void writeEof() {}

        @Override
        public long writeBufferSize() {
            return 0;
        }

        @Override
        public void setWriteBufferLimits(long high, long low) {}

        @Override
        public void pauseReading() {
            readingPaused = true;
            pauses++;
        }

        @Override
        public void resumeReading() {
            readingPaused = false;
        }

        @Override
        public boolean isReadingPaused() {
            return readingPaused;
        }

        @Override
        public void close() {}

        @Override
        public void abort() {}

        @Override
        public boolean isClosing() {
            return false;
        }

        @Override
        public InetSocketAddress localAddress() {
            return null;
        }

        @Override
        public InetSocketAddress remoteAddress() {
            return null;
        }
    }
}
