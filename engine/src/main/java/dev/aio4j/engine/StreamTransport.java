package dev.aio4j.engine;

import dev.aio4j.net.Protocol;
import dev.aio4j.net.Transport;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * The state machine of a connected TCP socket, for the transports of every
 * backend (asyncio's {@code _SelectorSocketTransport} with its
 * {@code _FlowControlMixin}; SPEC N9 to N16): opening, half-closing and
 * closing, buffered writes and their water marks, paused reading, the
 * protocol's callbacks and the reports of its failures. A subclass keeps
 * only the I/O primitives of its sockets: {@link #writeNow}, {@link #queueWrite},
 * {@link #shutdownOutput}, {@link #setReading} and {@link #closeChannel}; it
 * tells this class what happened on the socket through {@link #start},
 * {@link #dataArrived}, {@link #eofArrived}, {@link #sent}, {@link #closeNow}
 * and {@link #markClosed}.
 *
 * <p>What a write does: while nothing is held, the bytes go to the socket at
 * once ({@link #writeNow}), from the writer's thread; what the socket does not
 * take is counted as held and queued ({@link #queueWrite}) until the subclass
 * reports it {@link #sent}. The protocol is paused above the high water mark,
 * inside the {@code write} that crosses it, and resumed at or below the low
 * one. Once nothing is held, a requested EOF is sent and a requested close
 * is made.
 *
 * <p>Threads: loop-confined. Every field is touched by the baton holder only:
 * the transport's methods check it ({@link LoopHost#checkThread}); the
 * subclass calls the protected methods from its driver's polls, or from
 * completions that its I/O library runs while the loop strand holds the
 * baton. The protocol's callbacks run on that thread too, and
 * {@code connectionLost} always in a later callback of the loop
 * ({@code callSoon}), never inside the call that closed the transport.
 */
public abstract class StreamTransport implements Transport {
    /** Made, not started: {@code connectionMade} has not run. */
    private static final int NEW = 0;
    /** Reading and writing. */
    private static final int OPEN = 1;
    /** {@code close()} was called while bytes were held: sending them, not reading. */
    private static final int CLOSING = 2;
    /** {@code close()} was called, and the channel is closed. */
    private static final int CLOSED = 3;
    /** The channel is closed without {@code close()}: {@code abort()}, an I/O error, a protocol's failure. */
    private static final int ABORTED = 4;

    /**
     * The transport's life, NEW at first. Possible transitions:
     * <pre>
     * NEW -&gt; OPEN                   start (connectionMade runs next)
     * NEW -&gt; ABORTED                the channel closed before start: no callbacks at all
     * OPEN -&gt; CLOSING -&gt; CLOSED     close() while bytes are held; they were sent (or the
     *                               connection failed, or abort())
     * OPEN -&gt; CLOSED                close() with nothing held (also once both directions
     *                               ended: the EOF sent and received)
     * OPEN -&gt; ABORTED               abort(), an I/O error, a protocol callback's failure,
     *                               the loop closing
     * </pre>
     * CLOSED and ABORTED are final; entering one closes the channel and
     * schedules {@code connectionLost} once (unless from NEW, or when the
     * loop closes the channel). CLOSED and ABORTED differ only in
     * {@code write}: after {@code close()} it throws, after an abort it drops
     * the bytes. The output's EOF ({@link #eofRequested}, {@link #eofSent})
     * and the input's ({@link #eofReceived}) are independent of this state.
     */
    private int state = NEW;

    private final LoopHost host;
    private final Protocol protocol;
    /** Shown by toString after the addresses (the I/O library, say), or null. */
    private final String kind;
    private InetSocketAddress local;
    private InetSocketAddress remote;

    /** Bytes written but not yet sent: from {@link #write} until {@link #sent}; 0 once closed. */
    private long pendingBytes;
    private long highWater = Transport.DEFAULT_HIGH_WATER;
    private long lowWater = Transport.DEFAULT_HIGH_WATER / 4;
    /** Between the protocol's pauseWriting and resumeWriting. */
    private boolean writingPaused;
    private boolean readingPaused;
    /** writeEof() was called: the output is shut down once nothing is held. */
    private boolean eofRequested;
    /** The output was shut down. */
    private boolean eofSent;
    /** The peer's EOF was delivered: nothing more to read. */
    private boolean eofReceived;

    /**
     * A transport for {@code protocol}, on the loop of {@code host}.
     *
     * @param host the loop, for the thread checks, the callbacks and the reports
     * @param protocol the protocol to call
     * @param kind shown by {@link #toString()} after the addresses, or null
     */
    protected StreamTransport(LoopHost host, Protocol protocol, String kind) {
        this.host = host;
        this.protocol = protocol;
        this.kind = kind;
    }

    // ------------------------------------------------------------------ the subclass's I/O primitives

    /**
     * Writes what the socket takes of {@code data} now, advancing its
     * position; may write nothing (a transport that always queues). Called
     * only while nothing is held. The thread of {@link #write}.
     *
     * @param data the bytes; its position advances by what was written
     * @throws IOException if the connection failed (it is then closed with that cause)
     */
    protected abstract void writeNow(ByteBuffer data) throws IOException;

    /**
     * Keeps the remaining bytes of {@code data} (a copy: the caller may reuse
     * it), already counted as held, and sends them after what is queued, as
     * the socket allows, reporting each part with {@link #sent}. The thread
     * of {@link #write}.
     *
     * @param data the bytes to keep (copied: the caller may reuse the buffer)
     */
    protected abstract void queueWrite(ByteBuffer data);

    /**
     * Shuts the socket's output down now (the peer reads the end of the stream).
     *
     * @throws IOException if the connection failed (it is then closed with that cause)
     */
    protected abstract void shutdownOutput() throws IOException;

    /**
     * Starts or stops reading from the socket: false when reading is paused,
     * or when {@code close()} was called while bytes are held (then data read
     * ahead may be dropped); true when reading resumes on an open transport.
     *
     * @param on whether to read
     */
    protected abstract void setReading(boolean on);

    /**
     * Closes the channel now, dropping what is queued or read ahead. Called
     * once; the state is already CLOSED or ABORTED.
     */
    protected abstract void closeChannel();

    /**
     * The cause {@code connectionLost} is given for {@code failure} (null for
     * a clean close): the subclass may give its I/O library's exceptions the
     * JDK's types. By default {@code failure} itself.
     *
     * @param failure what the socket reported
     * @return the exception for {@code connectionLost}
     */
    protected Throwable lossCause(Throwable failure) {
        return failure;
    }

    // ------------------------------------------------------------------ what the subclass reports

    /**
     * The connection is up: calls {@code connectionMade}. Baton holder.
     *
     * @param local the socket's local address
     * @param remote the peer's address
     * @return false if that failed (reported, and the transport aborted)
     */
    protected final boolean start(InetSocketAddress local, InetSocketAddress remote) {
        this.local = local;
        this.remote = remote;
        state = OPEN;
        try {
            protocol.connectionMade(this);
            return true;
        } catch (Throwable e) {
            host.protocolFailed("connectionMade", e, this);
            abort();
            return false;
        }
    }

    /**
     * Bytes arrived: {@code dataReceived}, valid during the call only. Baton holder, on an open transport.
     *
     * @param data the bytes read
     */
    protected final void dataArrived(ByteBuffer data) {
        try {
            protocol.dataReceived(data);
        } catch (Throwable e) {
            host.protocolFailed("dataReceived", e, this);
            abort();
        }
    }

    /**
     * The peer's EOF arrived: {@code eofReceived}, then the close if the
     * output's EOF was requested too. Baton holder, on an open transport.
     */
    protected final void eofArrived() {
        eofReceived = true;
        try {
            protocol.eofReceived();
        } catch (Throwable e) {
            host.protocolFailed("eofReceived", e, this);
            abort();
            return;
        }
        if (eofRequested) {
            close(); // both directions are done
        }
    }

    /**
     * {@code n} held bytes went to the socket: resumes the protocol at the
     * low water mark; once nothing is held, sends a requested EOF and makes a
     * requested close. Baton holder; ignored once closed.
     *
     * @param n how many of the held bytes were sent
     */
    protected final void sent(long n) {
        if (state >= CLOSED) {
            return; // closeNow zeroed pendingBytes: nothing to flush, nobody to resume
        }
        pendingBytes -= n;
        if (host.loop().isClosed()) {
            return;
        }
        updateFlow(); // first, as asyncio's _write_ready: the protocol may write more
        if (pendingBytes == 0) {
            afterFlushed();
        }
    }

    /**
     * The connection ended: closes the channel now and schedules
     * {@code connectionLost(lossCause(failure))}, once; nothing if already
     * closed. Baton holder.
     *
     * @param failure the I/O error that ended it, or null
     */
    protected final void closeNow(Throwable failure) {
        int s = state;
        if (s >= CLOSED) {
            return;
        }
        state = s == CLOSING ? CLOSED : ABORTED;
        Throwable cause = lossCause(failure);
        pendingBytes = 0;
        closeChannel();
        if (s == NEW || host.loop().isClosed()) {
            return; // no connectionMade, no connectionLost; a closed loop runs no callbacks
        }
        host.loop().callSoon(() -> {
            try {
                protocol.connectionLost(cause);
            } catch (Throwable e) {
                host.protocolFailed("connectionLost", e, this);
            }
        });
    }

    /** The loop is closing and closes the channel itself: closed, without callbacks (the loop runs none any more). */
    protected final void markClosed() {
        if (state < CLOSED) {
            state = state == CLOSING ? CLOSED : ABORTED;
        }
        pendingBytes = 0;
    }

    /**
     * Not started yet.
     *
     * @return true before {@code start}
     */
    protected final boolean isNew() {
        return state == NEW;
    }

    /**
     * Started, and neither closing nor closed: data and EOF may be delivered.
     *
     * @return true between {@code start} and the close
     */
    protected final boolean isOpen() {
        return state == OPEN;
    }

    /**
     * The channel is closed (or being closed) and connectionLost scheduled.
     *
     * @return true once closed
     */
    protected final boolean isClosed() {
        return state >= CLOSED;
    }

    /**
     * The peer's EOF was delivered.
     *
     * @return true once the peer's EOF was delivered
     */
    protected final boolean isEofReceived() {
        return eofReceived;
    }

    // ------------------------------------------------------------------ Transport

    @Override
    public final void write(ByteBuffer data) {
        Objects.requireNonNull(data, "data");
        host.checkThread("Transport.write()");
        if (eofRequested) {
            throw new IllegalStateException("Cannot call write() after writeEof()");
        }
        if (state == CLOSING || state == CLOSED) {
            throw new IllegalStateException("Cannot call write() after close()");
        }
        if (state == ABORTED || !data.hasRemaining()) {
            return; // lost: dropped, as asyncio does; drain() reports the loss
        }
        if (pendingBytes == 0) {
            try {
                writeNow(data); // straight to the socket from the writer's thread: no wait for a poll
            } catch (IOException e) {
                closeNow(e);
                return;
            }
            if (!data.hasRemaining()) {
                return;
            }
        }
        pendingBytes += data.remaining(); // before queueWrite: it may report bytes sent at once
        queueWrite(data);
        updateFlow();
    }

    @Override
    public final void writeEof() {
        host.checkThread("Transport.writeEof()");
        if (eofRequested || state >= CLOSED) {
            return;
        }
        eofRequested = true;
        if (pendingBytes == 0) {
            afterFlushed();
        }
    }

    /** Nothing is held: shut the output down if asked, and close if asked. */
    private void afterFlushed() {
        if (eofRequested && !eofSent && state < CLOSED) {
            eofSent = true;
            try {
                shutdownOutput(); // the peer sees EOF now
            } catch (IOException e) {
                closeNow(e);
                return;
            }
            if (eofReceived) {
                close();
            }
        }
        if (state == CLOSING) {
            closeNow(null);
        }
    }

    @Override
    public final long writeBufferSize() {
        return pendingBytes;
    }

    @Override
    public final void setWriteBufferLimits(long high, long low) {
        host.checkThread("Transport.setWriteBufferLimits()");
        if (!(high >= low && low >= 0)) {
            throw new IllegalArgumentException("high (" + high + ") must be >= low (" + low + ") must be >= 0");
        }
        highWater = high;
        lowWater = low;
        updateFlow();
    }

    /**
     * Pauses the protocol when more than the high water mark is held, resumes
     * it once at most the low one is (asyncio's {@code _FlowControlMixin}). A
     * protocol's exception is reported; the transport goes on. Not once closed.
     */
    private void updateFlow() {
        if (state >= CLOSED) {
            return;
        }
        if (!writingPaused) {
            if (pendingBytes > highWater) {
                writingPaused = true;
                try {
                    protocol.pauseWriting();
                } catch (Throwable e) {
                    host.protocolFailed("pauseWriting", e, this);
                }
            }
        } else if (pendingBytes <= lowWater) {
            writingPaused = false;
            try {
                protocol.resumeWriting();
            } catch (Throwable e) {
                host.protocolFailed("resumeWriting", e, this);
            }
        }
    }

    @Override
    public final void pauseReading() {
        host.checkThread("Transport.pauseReading()");
        if (!readingPaused) {
            readingPaused = true;
            if (state < CLOSED) {
                setReading(false);
            }
        }
    }

    @Override
    public final void resumeReading() {
        host.checkThread("Transport.resumeReading()");
        if (readingPaused) {
            readingPaused = false;
            if (state < CLOSING) {
                setReading(true);
            }
        }
    }

    @Override
    public final boolean isReadingPaused() {
        return readingPaused;
    }

    @Override
    public final void close() {
        host.checkThread("Transport.close()");
        if (state >= CLOSING) {
            return;
        }
        state = CLOSING;
        if (pendingBytes == 0) {
            closeNow(null);
        } else {
            setReading(false); // stop reading; keep sending
        }
    }

    @Override
    public final void abort() {
        host.checkThread("Transport.abort()");
        closeNow(null);
    }

    @Override
    public final boolean isClosing() {
        return state >= CLOSING;
    }

    @Override
    public final InetSocketAddress localAddress() {
        return local;
    }

    @Override
    public final InetSocketAddress remoteAddress() {
        return remote;
    }

    @Override
    public String toString() {
        return "Transport[" + local + " -> " + remote + (kind == null ? "" : ", " + kind)
                + (state >= CLOSED ? ", closed" : state == CLOSING ? ", closing" : "")
                + (pendingBytes > 0 ? ", " + pendingBytes + " bytes buffered" : "") + "]";
    }
}
