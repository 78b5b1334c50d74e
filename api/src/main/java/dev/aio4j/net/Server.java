package dev.aio4j.net;

import dev.aio4j.Future;
import dev.aio4j.Loop;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A TCP server of streams, started by {@link Streams#startServer}: accepts
 * connections and runs a {@link ConnectionHandler} task for each.
 *
 * <p>{@link #close()} stops listening and leaves the open connections alone;
 * {@link #closeClients()} closes them; {@link #waitClosed()} waits until the
 * server is closed <em>and</em> every connection is gone (asyncio 3.12.1+,
 * SPEC N13).
 *
 * <p>Loop-confined: every method MUST be called on the server's loop.
 */
public final class Server implements AutoCloseable {
    private final Loop loop;
    private final ConnectionHandler handler;
    private final int limit;
    private Listener listener;
    private final Set<StreamProtocol> connections = new LinkedHashSet<>();
    private final List<Future<Void>> closeWaiters = new ArrayList<>();
    private boolean closed;

    Server(Loop loop, ConnectionHandler handler, int limit) {
        this.loop = loop;
        this.handler = handler;
        this.limit = limit;
    }

    void listening(Listener l) {
        this.listener = l;
    }

    ConnectionHandler handler() {
        return handler;
    }

    /** A protocol for the next accepted connection. */
    Protocol newProtocol() {
        return new StreamProtocol(loop, new StreamReader(loop, limit), this);
    }

    void attach(StreamProtocol p) {
        connections.add(p);
    }

    void detach(StreamProtocol p) {
        connections.remove(p);
        maybeWakeClosers();
    }

    /**
     * The address the server listens on; its port is the real one when 0 was asked.
     *
     * @return the bound address
     */
    public InetSocketAddress localAddress() {
        return listener.localAddress();
    }

    /**
     * The port the server listens on.
     *
     * @return the bound port
     */
    public int port() {
        return listener.localAddress().getPort();
    }

    /**
     * Whether the server accepts connections.
     *
     * @return true while it accepts
     */
    public boolean isServing() {
        return !closed && listener.isServing();
    }

    /**
     * How many accepted connections are still open.
     *
     * @return the number of connections open
     */
    public int connectionCount() {
        return connections.size();
    }

    /** Stops listening; open connections stay open. Idempotent. */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            listener.close();
            maybeWakeClosers();
        }
    }

    /** Closes every open connection gracefully (each once its buffer is sent). */
    public void closeClients() {
        for (StreamProtocol p : List.copyOf(connections)) {
            p.transport().close();
        }
    }

    /** Aborts every open connection, dropping what is buffered. */
    public void abortClients() {
        for (StreamProtocol p : List.copyOf(connections)) {
            p.transport().abort();
        }
    }

    /**
     * Waits until the server is closed and every connection it accepted is
     * gone. An await point: call from a task.
     *
     * @throws IOException if closing the listener failed
     */
    public void waitClosed() throws IOException {
        if (closed && connections.isEmpty()) {
            return;
        }
        Future<Void> w = loop.createFuture();
        closeWaiters.add(w);
        try {
            w.await();
        } catch (Exception e) {
            StreamProtocol.rethrow(e);
        } finally {
            closeWaiters.remove(w);
        }
    }

    private void maybeWakeClosers() {
        if (closed && connections.isEmpty()) {
            for (Future<Void> w : List.copyOf(closeWaiters)) {
                if (!w.isDone()) {
                    w.setResult(null);
                }
            }
        }
    }

    @Override
    public String toString() {
        return "Server[" + (listener != null ? listener.localAddress() : "unbound") + ", "
                + connections.size() + " connections" + (closed ? ", closed" : "") + "]";
    }
}
