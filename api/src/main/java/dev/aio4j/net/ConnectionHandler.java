package dev.aio4j.net;

/**
 * Serves one connection of a {@link Server}: runs as a task of its own per
 * connection (asyncio's {@code client_connected_cb}). When it returns or
 * throws, the server closes the connection; an exception (other than
 * cancellation) is reported to the loop's exception handler.
 */
@FunctionalInterface
public interface ConnectionHandler {
    /** Serves the connection; an await point like any task body. */
    void handle(StreamReader reader, StreamWriter writer) throws Exception;
}
