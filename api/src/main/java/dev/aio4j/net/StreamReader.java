package dev.aio4j.net;

import dev.aio4j.Future;
import dev.aio4j.Loop;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Objects;

/**
 * The receiving side of a stream: bytes fed by a transport, read by one task
 * at a time with {@link #readLine()}, {@link #readUntil}, {@link #readExactly}
 * and {@link #read}. asyncio's {@code StreamReader}.
 *
 * <h2>Limit</h2>
 * A line or chunk read by {@code readLine}/{@code readUntil} may be at most
 * {@link #limit()} bytes before its separator (64 KiB by default): a peer that
 * never sends the separator makes the read fail with
 * {@link LimitOverrunException} instead of making the reader buffer without
 * bound. The transport is paused while more than twice the limit is buffered
 * and resumed once the buffer is back at the limit or a read has to wait
 * (SPEC N4, N5).
 *
 * <h2>Threads</h2>
 * Loop-confined: every method MUST be called on the reader's loop, and the
 * reading methods from a task of it (they suspend it until data arrives;
 * they are await points). At most one task may wait for data at a time;
 * a second one gets {@link IllegalStateException} (SPEC N6). A read that is
 * cancelled while it waits leaves the buffer untouched.
 *
 * <p>Memory consistency effects: bytes fed with {@link #feedData} are seen by
 * the read that returns them; the loop's ordering of callbacks and task steps
 * orders the rest.
 */
public final class StreamReader {
    /** asyncio's default limit: 64 KiB. */
    public static final int DEFAULT_LIMIT = 64 * 1024;
    private static final byte[] NEWLINE = {'\n'};
    private static final byte[] EMPTY = new byte[0];

    private final Loop loop;
    private final int limit;

    // State, loop-confined. Buffered bytes are buf[start, end).
    private byte[] buf = EMPTY;
    private int start;
    private int end;
    /** Set once by feedEof; never cleared. */
    private boolean eof;
    /** Set by setException; every later read throws it. */
    private Throwable exception;
    /** The future the one waiting read awaits; null while no read waits. */
    private Future<Void> waiter;
    private Transport transport;
    /** Whether this reader paused the transport (flow control, N5). */
    private boolean paused;

    /**
     * A reader with the default limit.
     *
     * @param loop the loop whose tasks read it; not null
     */
    public StreamReader(Loop loop) {
        this(loop, DEFAULT_LIMIT);
    }

    /**
     * A reader with a line limit of {@code limit} bytes.
     *
     * @param loop the loop whose tasks read it; not null
     * @param limit the longest line or chunk before a separator, in bytes
     * @throws IllegalArgumentException if {@code limit <= 0}
     */
    public StreamReader(Loop loop, int limit) {
        this.loop = Objects.requireNonNull(loop, "loop");
        if (limit <= 0) {
            throw new IllegalArgumentException("limit must be positive: " + limit);
        }
        this.limit = limit;
    }

    /**
     * The longest line or chunk before a separator, in bytes.
     *
     * @return the limit, in bytes
     */
    public int limit() {
        return limit;
    }

    /**
     * Bytes buffered and not yet read.
     *
     * @return how many bytes are buffered
     */
    public int buffered() {
        return end - start;
    }

    /**
     * Whether the stream ended and every byte was read.
     *
     * @return true once the end was fed and everything read
     */
    public boolean atEof() {
        return eof && start == end;
    }

    /**
     * The exception set by {@link #setException}, or null.
     *
     * @return the exception set, or null
     */
    public Throwable exception() {
        return exception;
    }

    /**
     * Ties the reader to the transport it pauses and resumes for flow control.
     *
     * @param transport the transport it reads from
     * @throws IllegalStateException if a transport is already set
     */
    public void setTransport(Transport transport) {
        Objects.requireNonNull(transport, "transport");
        if (this.transport != null) {
            throw new IllegalStateException("Transport already set");
        }
        this.transport = transport;
    }

    // ------------------------------------------------------------------ feeding

    /**
     * Appends the remaining bytes of {@code data} and wakes the waiting read.
     *
     * @param data the bytes received
     * @throws IllegalStateException after {@link #feedEof()}
     */
    public void feedData(ByteBuffer data) {
        Objects.requireNonNull(data, "data");
        if (eof) {
            throw new IllegalStateException("feedData after feedEof");
        }
        int n = data.remaining();
        if (n == 0) {
            return;
        }
        ensureRoom(n);
        data.get(buf, end, n);
        end += n;
        wakeWaiter();
        if (transport != null && !paused && end - start > 2L * limit) {
            try {
                transport.pauseReading();
                paused = true;
            } catch (UnsupportedOperationException e) {
                // a transport that cannot pause: the reader buffers on, as asyncio does
            }
        }
    }

    /**
     * As {@link #feedData(ByteBuffer)}, for a byte array.
     *
     * @param data the bytes received
     */
    public void feedData(byte[] data) {
        feedData(ByteBuffer.wrap(Objects.requireNonNull(data, "data")));
    }

    /** Marks the end of the stream and wakes the waiting read. Idempotent. */
    public void feedEof() {
        eof = true;
        wakeWaiter();
    }

    /**
     * Makes the waiting read, and every later one, throw {@code exception}.
     *
     * @param exception what the waiting read throws
     */
    public void setException(Throwable exception) {
        this.exception = Objects.requireNonNull(exception, "exception");
        Future<Void> w = waiter;
        if (w != null) {
            waiter = null;
            if (!w.isDone()) {
                w.setException(exception);
            }
        }
    }

    private void wakeWaiter() {
        Future<Void> w = waiter;
        if (w != null) {
            waiter = null;
            if (!w.isDone()) {
                w.setResult(null);
            }
        }
    }

    private void ensureRoom(int n) {
        if (buf.length - end >= n) {
            return;
        }
        int size = end - start;
        if (start > 0 && buf.length - size >= n && size < buf.length / 2) {
            System.arraycopy(buf, start, buf, 0, size); // compact: cheap while little is buffered
        } else {
            long want = Math.max((long) size + n, Math.max(256, 2L * buf.length));
            byte[] b = new byte[(int) Math.min(want, Integer.MAX_VALUE - 8)];
            System.arraycopy(buf, start, b, 0, size);
            buf = b;
        }
        start = 0;
        end = size;
    }

    // ------------------------------------------------------------------ reading

    /**
     * Reads one line: the bytes up to and including {@code '\n'}. At the end
     * of the stream, returns the partial last line (without {@code '\n'}),
     * then empty arrays.
     *
     * @return the line, with its newline; empty at the end of the stream
     * @throws LimitOverrunException if the line (before {@code '\n'}) is
     *     longer than the limit; its bytes are dropped: the whole line if its
     *     {@code '\n'} is buffered, else everything buffered (SPEC N2)
     * @throws IllegalStateException if another task is waiting on this reader
     * @throws IOException the exception set by {@link #setException}, if it is one
     */
    public byte[] readLine() throws IOException {
        try {
            return readUntil(NEWLINE);
        } catch (IncompleteReadException e) {
            return e.partial();
        } catch (LimitOverrunException e) {
            if (matchesAt(NEWLINE, start + e.consumed())) {
                start += e.consumed() + NEWLINE.length;
            } else {
                start = end;
            }
            maybeResume();
            throw e;
        }
    }

    /**
     * Reads up to and including the first occurrence of {@code separator}.
     *
     * @param separator the bytes that end the chunk
     * @return the chunk, with the separator
     * @throws IllegalArgumentException if {@code separator} is empty
     * @throws LimitOverrunException if the chunk before the separator is
     *     longer than the limit, or no separator was found in more than
     *     limit bytes; the buffer is left as it was
     * @throws IncompleteReadException if the stream ends first; it carries
     *     every buffered byte, and the buffer is emptied
     * @throws IllegalStateException if another task is waiting on this reader
     */
    public byte[] readUntil(byte[] separator) throws IOException {
        Objects.requireNonNull(separator, "separator");
        if (separator.length == 0) {
            throw new IllegalArgumentException("Separator should be at least one-byte string");
        }
        throwIfFailed();
        int sepLen = separator.length;
        int offset = 0; // how far from start the separator cannot begin
        int found;
        for (;;) {
            int size = end - start;
            if (size - offset >= sepLen) {
                found = indexOf(separator, start + offset);
                if (found >= 0) {
                    break;
                }
                offset = size + 1 - sepLen;
                if (offset > limit) {
                    throw new LimitOverrunException("Separator is not found, and chunk exceed the limit", offset);
                }
            }
            if (eof) {
                byte[] chunk = take(size);
                throw new IncompleteReadException(chunk, -1);
            }
            waitForData("readUntil");
        }
        int before = found - start;
        if (before > limit) {
            throw new LimitOverrunException("Separator is found, but chunk is longer than limit", before);
        }
        return take(before + sepLen);
    }

    /**
     * Reads exactly {@code n} bytes.
     *
     * @param n how many bytes
     * @return exactly {@code n} bytes
     * @throws IllegalArgumentException if {@code n < 0}
     * @throws IncompleteReadException if the stream ends first; it carries
     *     what was buffered, and the buffer is emptied
     */
    public byte[] readExactly(int n) throws IOException {
        if (n < 0) {
            throw new IllegalArgumentException("readExactly size can not be less than zero: " + n);
        }
        throwIfFailed();
        if (n == 0) {
            return EMPTY;
        }
        while (end - start < n) {
            if (eof) {
                throw new IncompleteReadException(take(end - start), n);
            }
            waitForData("readExactly");
        }
        return take(n);
    }

    /**
     * Reads at most {@code n} bytes, waiting until at least one is buffered or
     * the stream ends (then returns an empty array); {@code n == -1} reads
     * until the end of the stream.
     *
     * @param n the most bytes to read; -1 for all until the end
     * @return the bytes; empty at the end of the stream
     * @throws IOException if the stream failed
     * @throws IllegalArgumentException if {@code n < -1}
     */
    public byte[] read(int n) throws IOException {
        if (n < -1) {
            throw new IllegalArgumentException("read size must be -1 (to the end) or >= 0: " + n);
        }
        throwIfFailed();
        if (n == 0) {
            return EMPTY;
        }
        if (n == -1) {
            while (!eof) {
                waitForData("read");
            }
            return take(end - start);
        }
        if (start == end && !eof) {
            waitForData("read");
        }
        return take(Math.min(n, end - start));
    }

    private void throwIfFailed() throws IOException {
        Throwable e = exception;
        if (e != null) {
            StreamProtocol.rethrow(e);
        }
    }

    private void waitForData(String what) throws IOException {
        if (waiter != null) {
            throw new IllegalStateException(
                    what + "() called while another task is already waiting for incoming data");
        }
        if (eof) {
            throw new IllegalStateException("waitForData after EOF");
        }
        if (paused) { // a read that must wait resumes the transport, whatever the buffer holds (N5)
            paused = false;
            transport.resumeReading();
        }
        Future<Void> w = loop.createFuture();
        waiter = w;
        try {
            w.await();
        } finally {
            if (waiter == w) {
                waiter = null;
            }
        }
    }

    private byte[] take(int n) {
        byte[] out = Arrays.copyOfRange(buf, start, start + n);
        start += n;
        if (start == end) {
            start = 0;
            end = 0;
        }
        maybeResume();
        return out;
    }

    private void maybeResume() {
        if (paused && end - start <= limit) {
            paused = false;
            transport.resumeReading();
        }
    }

    private int indexOf(byte[] sep, int from) {
        byte first = sep[0];
        int last = end - sep.length;
        for (int i = from; i <= last; i++) {
            if (buf[i] == first && matchesAt(sep, i)) {
                return i;
            }
        }
        return -1;
    }

    private boolean matchesAt(byte[] sep, int at) {
        if (at < start || at + sep.length > end) {
            return false;
        }
        for (int j = 0; j < sep.length; j++) {
            if (buf[at + j] != sep[j]) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        return "StreamReader[" + (end - start) + " bytes buffered" + (eof ? ", eof" : "")
                + (exception != null ? ", exception=" + exception : "") + (waiter != null ? ", waiting" : "")
                + (paused ? ", paused" : "") + "]";
    }
}
