package dev.aio4j.net;

/**
 * Serves one connection of a {@link Server}: runs as a task of its own per
 * connection (asyncio's {@code client_connected_cb}). When it returns or
 * throws, the server closes the connection; an exception (other than
 * cancellation) is reported to the loop's exception handler.
 */
@FunctionalInterface
public interface ConnectionHandler {
    /**
     * Serves the connection; an await point like any task body.
     *
     * @param reader the connection's receiving side
     * @param writer the connection's sending side
     * @throws Exception to end the connection; reported to the loop's exception handler
     */
    void handle(StreamReader reader, StreamWriter writer) throws Exception;
}
