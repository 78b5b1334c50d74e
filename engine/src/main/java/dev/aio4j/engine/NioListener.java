package dev.aio4j.engine;

import dev.aio4j.ErrorContext;
import dev.aio4j.net.Listener;
import dev.aio4j.net.Protocol;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.SelectionKey;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.function.Supplier;

/** A listening socket of a {@link SelectorDriver}. Loop-confined. */
final class NioListener implements Listener, SelectorDriver.NioChannel {
    private final SelectorDriver loop;
    private final ServerSocketChannel ch;
    private final Supplier<? extends Protocol> protocols;
    private final int backlog;
    private final InetSocketAddress local;
    SelectionKey key;
    private boolean closed;

    NioListener(SelectorDriver loop, ServerSocketChannel ch, Supplier<? extends Protocol> protocols, int backlog)
            throws IOException {
        this.loop = loop;
        this.ch = ch;
        this.protocols = protocols;
        this.backlog = backlog;
        this.local = (InetSocketAddress) ch.getLocalAddress();
    }

    @Override
    public void ready(SelectionKey k) {
        // Accept at most a backlog's worth per readiness, as asyncio does, so that one busy
        // listener cannot starve the loop's other work.
        for (int i = 0; i < backlog && !closed; i++) {
            SocketChannel c;
            try {
                c = ch.accept();
            } catch (IOException e) {
                loop.host.report(new ErrorContext("socket.accept() out of system resource on " + this,
                        e, null, null));
                return;
            }
            if (c == null) {
                return;
            }
            Protocol p;
            SelectionKey ck;
            try {
                c.configureBlocking(false);
                c.setOption(StandardSocketOptions.TCP_NODELAY, true);
                p = protocols.get();
                if (p == null) {
                    throw new NullPointerException("the protocol factory returned null");
                }
                ck = loop.register(c, 0, null);
            } catch (IOException | RuntimeException e) {
                SelectorDriver.closeQuietly(c);
                loop.host.report(new ErrorContext("Error on accepting a connection on " + this,
                        e, null, null));
                continue;
            }
            new NioTransport(loop, c, ck, p).start();
        }
    }

    @Override
    public InetSocketAddress localAddress() {
        return local;
    }

    @Override
    public void close() {
        loop.host.checkThread("Listener.close()");
        if (!closed) {
            closed = true;
            loop.closeChannel(key, ch);
        }
    }

    @Override
    public boolean isServing() {
        return !closed;
    }

    @Override
    public void closeWithLoop() {
        closed = true;
        SelectorDriver.closeQuietly(ch);
    }

    @Override
    public String toString() {
        return "Listener[" + local + (closed ? ", closed" : "") + "]";
    }
}
