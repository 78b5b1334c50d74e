package dev.aio4j.net;

import java.util.Objects;

/**
 * The two sides of an open TCP stream, as {@link Streams#openConnection}
 * returns them. {@link #close()} closes the writer (the transport), so a
 * connection fits try-with-resources.
 *
 * @param reader the receiving side
 * @param writer the sending side
 */
public record Connection(StreamReader reader, StreamWriter writer) implements AutoCloseable {
    /**
     * A connection of {@code reader} and {@code writer}.
     *
     * @param reader the receiving side
     * @param writer the sending side
     * @throws NullPointerException if either is null
     */
    public Connection {
        Objects.requireNonNull(reader, "reader");
        Objects.requireNonNull(writer, "writer");
    }

    /** {@code writer().close()}: closes once the buffer is sent. Loop-confined. */
    @Override
    public void close() {
        writer.close();
    }
}
