package dev.aio4j.net;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

/**
 * One connected TCP socket of a loop, as a backend gives it to a
 * {@link Protocol}: asyncio's transport. Most programs use the streams built
 * on it ({@link Streams}); a transport is for code that wants callbacks
 * instead of suspending reads.
 *
 * <h2>Threads</h2>
 * Every method MUST be called on the transport's loop (a callback or a task
 * of it); from another thread while the loop runs it throws
 * {@link WrongThreadException}. The protocol's methods are called on the loop.
 *
 * <h2>Life</h2>
 * A transport is <em>open</em>, then <em>closing</em> once {@link #close()} or
 * {@link #abort()} was called or the connection failed, then <em>closed</em>
 * once its protocol's {@link Protocol#connectionLost} has run (exactly once,
 * in a later callback, never inside the call that closed it).
 *
 * <h2>Writing</h2>
 * {@link #write} never blocks: what the socket does not take at once is
 * buffered and sent as the socket allows. Above the high water mark the
 * protocol is told to {@linkplain Protocol#pauseWriting pause}, and once the
 * buffer is at or below the low water mark to {@linkplain Protocol#resumeWriting
 * resume} (SPEC N9).
 *
 * <p>Memory consistency effects: actions before {@code write} happen-before
 * the bytes are handed to the operating system; the protocol's callbacks run
 * on the loop, ordered with its other callbacks and task steps.
 */
public interface Transport {
    /** The default high water mark: 64 KiB (asyncio's). */
    int DEFAULT_HIGH_WATER = 64 * 1024;

    /**
     * Sends the remaining bytes of {@code data}, buffering what the socket
     * does not take now. The bytes are copied or sent before this returns:
     * the caller may reuse {@code data}. After the connection was lost the
     * bytes are dropped silently, as in asyncio (the writer's {@code drain}
     * reports the loss).
     *
     * @param data the bytes to send, from its position to its limit
     * @throws NullPointerException if {@code data} is null
     * @throws IllegalStateException if {@link #close()}, {@link #abort()} or
     *     {@link #writeEof()} was called
     */
    void write(ByteBuffer data);

    /**
     * Shuts the sending side down once the buffered bytes are sent; the
     * receiving side stays open. Idempotent.
     */
    void writeEof();

    /**
     * Bytes written but not yet handed to the operating system.
     *
     * @return the bytes written and not yet sent
     */
    long writeBufferSize();

    /**
     * Sets the water marks of the write buffer. They apply at once: the
     * protocol is paused inside this call if more than {@code high} bytes
     * are buffered, and a paused protocol resumed if at most {@code low} are
     * (asyncio only pauses here).
     *
     * @param high pause the protocol above this many buffered bytes
     * @param low resume it at or below this many
     * @throws IllegalArgumentException unless {@code high >= low >= 0}
     */
    void setWriteBufferLimits(long high, long low);

    /** Stops calling {@link Protocol#dataReceived} until {@link #resumeReading()}. Idempotent. */
    void pauseReading();

    /** Resumes reading after {@link #pauseReading()}. Idempotent. */
    void resumeReading();

    /**
     * Whether reading is paused.
     *
     * @return true while paused
     */
    boolean isReadingPaused();

    /**
     * Closes the transport once its buffered bytes are sent; no more data is
     * received. The protocol's {@code connectionLost(null)} runs afterwards.
     * Idempotent.
     */
    void close();

    /** Closes the transport now, dropping buffered bytes. Idempotent. */
    void abort();

    /**
     * Whether {@link #close()} or {@link #abort()} was called, or the connection was lost.
     *
     * @return true once closing
     */
    boolean isClosing();

    /**
     * The local address of the socket.
     *
     * @return the local address
     */
    InetSocketAddress localAddress();

    /**
     * The address of the peer.
     *
     * @return the peer's address
     */
    InetSocketAddress remoteAddress();
}
