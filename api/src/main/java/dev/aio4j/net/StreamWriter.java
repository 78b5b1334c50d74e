package dev.aio4j.net;

import dev.aio4j.AsyncIO;
import dev.aio4j.Future;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * The sending side of a stream: asyncio's {@code StreamWriter}.
 * {@link #write} never blocks; {@link #drain()} is where a task waits for the
 * peer to keep up (the transport's high and low water marks, SPEC N9).
 *
 * <h2>Threads</h2>
 * Loop-confined: every method MUST be called on the writer's loop;
 * {@link #drain()} and {@link #waitClosed()} from a task of it (they are
 * await points). Any number of tasks may drain at once.
 */
public final class StreamWriter {
    private final Transport transport;
    private final StreamProtocol protocol;
    private final StreamReader reader;

    StreamWriter(Transport transport, StreamProtocol protocol, StreamReader reader) {
        this.transport = transport;
        this.protocol = protocol;
        this.reader = reader;
    }

    /**
     * The transport this writer writes to.
     *
     * @return the transport
     */
    public Transport transport() {
        return transport;
    }

    /**
     * Sends {@code data}; see {@link Transport#write}.
     *
     * @param data the bytes to send
     */
    public void write(byte[] data) {
        transport.write(ByteBuffer.wrap(Objects.requireNonNull(data, "data")));
    }

    /**
     * Sends {@code len} bytes of {@code data} from {@code off}.
     *
     * @param data the array
     * @param off where the bytes start
     * @param len how many
     */
    public void write(byte[] data, int off, int len) {
        transport.write(ByteBuffer.wrap(Objects.requireNonNull(data, "data"), off, len));
    }

    /**
     * Sends the remaining bytes of {@code data}.
     *
     * @param data the bytes to send, from its position to its limit
     */
    public void write(ByteBuffer data) {
        transport.write(data);
    }

    /**
     * Sends {@code text} in UTF-8.
     *
     * @param text the text to send
     */
    public void write(String text) {
        write(Objects.requireNonNull(text, "text").getBytes(StandardCharsets.UTF_8));
    }

    /** Shuts the sending side down once the buffer is sent. */
    public void writeEof() {
        transport.writeEof();
    }

    /**
     * Waits until the write buffer is at or below the low water mark; returns
     * at once (without suspending) when it is not above the high one.
     *
     * @throws IOException the reader's exception if one was set, or
     *     {@link SocketException} "Connection lost" once the connection is gone
     */
    public void drain() throws IOException {
        Throwable failure = reader != null ? reader.exception() : null;
        if (failure != null) {
            StreamProtocol.rethrow(failure);
        }
        if (transport.isClosing() && !protocol.isLost()) {
            // Let connectionLost run first, so that the check below sees it (asyncio's sleep(0)).
            AsyncIO.sleep0();
        }
        protocol.drainHelper();
    }

    /** Closes the transport once its buffer is sent. Idempotent. */
    public void close() {
        transport.close();
    }

    /**
     * Whether the writer is closing or closed.
     *
     * @return true once closing
     */
    public boolean isClosing() {
        return transport.isClosing();
    }

    /**
     * Waits until the connection is closed.
     *
     * @throws IOException the error that ended the connection, if any
     */
    public void waitClosed() throws IOException {
        Future<Void> closed = protocol.closedFuture();
        try {
            closed.await();
        } catch (Exception e) { // await() rethrows the connection's error undeclared
            StreamProtocol.rethrow(e);
        }
    }

    /**
     * The local address.
     *
     * @return the local address
     */
    public InetSocketAddress localAddress() {
        return transport.localAddress();
    }

    /**
     * The peer's address.
     *
     * @return the peer's address
     */
    public InetSocketAddress remoteAddress() {
        return transport.remoteAddress();
    }

    @Override
    public String toString() {
        return "StreamWriter[" + transport + "]";
    }
}
