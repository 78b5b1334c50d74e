package dev.aio4j.net;

import dev.aio4j.ErrorContext;
import dev.aio4j.Future;
import dev.aio4j.Loop;
import dev.aio4j.Task;
import java.io.IOException;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;

/**
 * The protocol behind a reader/writer pair (asyncio's
 * {@code StreamReaderProtocol} with its {@code FlowControlMixin}): feeds the
 * reader, pauses and resumes drainers, and, on a server, runs the
 * connection's handler as a task. Loop-confined.
 */
final class StreamProtocol implements Protocol {
    private final Loop loop;
    private final StreamReader reader;
    /** The server whose handler serves this connection; null for a client. */
    private final Server server;
    private Transport transport;
    private StreamWriter writer;
    /** Between pauseWriting and resumeWriting. */
    private boolean writingPaused;
    /** Set once connectionLost ran. */
    private boolean lost;
    private Throwable lostCause;
    private final ArrayDeque<Future<Void>> drainWaiters = new ArrayDeque<>();
    private Future<Void> closed;

    StreamProtocol(Loop loop, StreamReader reader, Server server) {
        this.loop = loop;
        this.reader = reader;
        this.server = server;
    }

    StreamWriter writer() {
        return writer;
    }

    StreamReader reader() {
        return reader;
    }

    boolean isLost() {
        return lost;
    }

    Future<Void> closedFuture() {
        if (closed == null) {
            closed = loop.createFuture();
            if (lost) {
                complete(closed);
            }
        }
        return closed;
    }

    @Override
    public void connectionMade(Transport t) {
        transport = t;
        reader.setTransport(t);
        writer = new StreamWriter(t, this, reader);
        if (server != null) {
            server.attach(this);
            Task<Void> task = loop.createTask(() -> {
                server.handler().handle(reader, writer);
                return null;
            }, "connection " + t.remoteAddress());
            task.addDoneCallback(this::handlerDone);
        }
    }

    /** A server connection's handler ended: report a failure, close the connection (SPEC N12). */
    private void handlerDone(Future<Void> task) {
        if (!task.isCancelled() && task.exception() != null) {
            loop.callExceptionHandler(new ErrorContext(
                    "Unhandled exception in client connection handler", task.exception(), task, null));
        }
        transport.close();
    }

    @Override
    public void dataReceived(ByteBuffer data) {
        reader.feedData(data);
    }

    @Override
    public void eofReceived() {
        reader.feedEof();
    }

    @Override
    public void connectionLost(Throwable cause) {
        lost = true;
        lostCause = cause;
        if (cause == null) {
            reader.feedEof();
        } else {
            reader.setException(cause);
        }
        if (closed != null) {
            complete(closed);
        }
        // Wake every drainer: drainHelper sees `lost` and throws.
        Future<Void> w;
        while ((w = drainWaiters.poll()) != null) {
            if (!w.isDone()) {
                if (cause == null) {
                    w.setResult(null);
                } else {
                    w.setException(cause);
                }
            }
        }
        if (server != null) {
            server.detach(this);
        }
    }

    private void complete(Future<Void> f) {
        if (!f.isDone()) {
            if (lostCause == null) {
                f.setResult(null);
            } else {
                f.setException(lostCause);
                f.exception(); // retrieved here: the caller of waitClosed, if any, gets it; nobody else must
            }
        }
    }

    @Override
    public void pauseWriting() {
        writingPaused = true;
    }

    @Override
    public void resumeWriting() {
        writingPaused = false;
        Future<Void> w;
        while ((w = drainWaiters.poll()) != null) {
            if (!w.isDone()) {
                w.setResult(null);
            }
        }
    }

    /** The part of drain() that waits; after the caller's checks. */
    void drainHelper() throws IOException {
        if (lost) {
            throw new SocketException("Connection lost");
        }
        if (!writingPaused) {
            return;
        }
        Future<Void> w = loop.createFuture();
        drainWaiters.add(w);
        try {
            w.await();
        } catch (Exception e) {
            rethrow(e);
        } finally {
            drainWaiters.remove(w);
        }
    }

    Transport transport() {
        return transport;
    }

    /** Throws {@code e} as it is when it is unchecked or an IOException; wraps it otherwise. */
    static void rethrow(Throwable e) throws IOException {
        if (e instanceof IOException io) {
            throw io;
        }
        if (e instanceof RuntimeException r) {
            throw r;
        }
        if (e instanceof Error err) {
            throw err;
        }
        throw new IOException(e);
    }
}
