package dev.aio4j.net;

import java.nio.ByteBuffer;

/**
 * The callbacks a {@link Transport} makes: asyncio's protocol. Every method
 * is called on the transport's loop, in this order:
 * {@code connectionMade}, then any number of {@code dataReceived}, then at
 * most one {@code eofReceived}, then exactly one {@code connectionLost}.
 * {@code pauseWriting}/{@code resumeWriting} alternate, starting with pause,
 * at any point before {@code connectionLost}.
 *
 * <p>An exception thrown by one of these methods is reported to the loop's
 * exception handler and aborts the transport (asyncio's "Fatal error:
 * protocol... call failed").
 */
public interface Protocol {
    /**
     * The connection is up; {@code transport} is how to write to it.
     *
     * @param transport the connection's transport
     */
    void connectionMade(Transport transport);

    /**
     * Bytes arrived. {@code data} is valid only during the call (its buffer is
     * reused): copy what must be kept.
     *
     * @param data the bytes received
     */
    void dataReceived(ByteBuffer data);

    /**
     * The peer shut its sending side down. The transport stays open for
     * writing until it is closed.
     */
    void eofReceived();

    /**
     * The connection is closed.
     *
     * @param cause null after {@code close()}, {@code abort()} or a clean
     *     end; otherwise the I/O error that ended it
     */
    void connectionLost(Throwable cause);

    /** The transport's write buffer went above its high water mark. Default: nothing. */
    default void pauseWriting() {}

    /** The transport's write buffer fell to its low water mark. Default: nothing. */
    default void resumeWriting() {}
}
