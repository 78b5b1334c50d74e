package dev.aio4j.net;

import java.net.InetSocketAddress;

/**
 * A listening TCP socket of a loop: each accepted connection gets a protocol
 * of its own, from the factory given to {@link dev.aio4j.Loop#createServer}.
 * Loop-confined, like {@link Transport}.
 */
public interface Listener {
    /**
     * The address the socket is bound to (with the real port when 0 was asked).
     *
     * @return the bound address
     */
    InetSocketAddress localAddress();

    /**
     * Stops listening and closes the listening socket; connections already
     * accepted stay open. Idempotent.
     */
    void close();

    /**
     * Whether the socket still accepts connections.
     *
     * @return true while it accepts
     */
    boolean isServing();
}
