package dev.aio4j.netty;

import dev.aio4j.ErrorContext;
import dev.aio4j.Future;
import dev.aio4j.net.Listener;
import dev.aio4j.net.Protocol;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.IoEventLoop;
import io.netty.channel.ServerChannel;
import io.netty.channel.ServerChannelRecvByteBufAllocator;
import io.netty.channel.socket.SocketChannel;
import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.util.function.Supplier;

/**
 * A listening TCP socket of a {@link NettyDriver}: a Netty server channel on the
 * loop's event loop, whose accepted channels are registered on the same event
 * loop, each with a {@link NettyTransport} of its own. Loop-confined; Netty's
 * side runs on the owner thread while the loop strand holds the baton (see
 * {@link NettyTransport}).
 */
final class NettyListener implements Listener {
    private final NettyDriver loop;
    private final Supplier<? extends Protocol> protocols;
    private Channel ch;
    private InetSocketAddress local;
    private boolean closed;

    private NettyListener(NettyDriver loop, Supplier<? extends Protocol> protocols) {
        this.loop = loop;
        this.protocols = protocols;
    }

    /**
     * Binds a server channel to {@code local} with SO_REUSEADDR (and
     * SO_REUSEPORT if {@code reusePort}: asked only where the transport has it) and
     * {@code backlog}, and completes {@code result} with its listener once
     * bound. Baton holder.
     */
    static void bind(NettyDriver loop, InetSocketAddress local, int backlog, boolean reusePort,
            Supplier<? extends Protocol> protocols, Future<Listener> result) {
        NettyListener l = new NettyListener(loop, protocols);
        IoEventLoop io = loop.ioEventLoop();
        ServerBootstrap b = new ServerBootstrap();
        if (reusePort) {
            b.option(loop.transport().reusePortOption(), true);
        }
        ChannelFuture bf = b
                .group(io, io)
                .channelFactory((io.netty.channel.ChannelFactory<ServerChannel>) loop.transport()::newServerChannel)
                .option(ChannelOption.SO_REUSEADDR, true)
                .option(ChannelOption.SO_BACKLOG, backlog)
                // Accept up to a backlog's worth per readiness, as the selector engine (and asyncio) do.
                // Netty 4.2's default accepts 1 per readiness (level-triggered epoll also stops after one,
                // unless told to ignore its "maybe more data" guess): connections would wait in the kernel,
                // one poll each, while their clients run on.
                .option(ChannelOption.RCVBUF_ALLOCATOR, new ServerChannelRecvByteBufAllocator()
                        .respectMaybeMoreData(false).maxMessagesPerRead(backlog))
                .handler(l.new AcceptErrors())
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.ALLOW_HALF_CLOSURE, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel c) {
                        l.accepted(c);
                    }
                })
                .bind(local);
        l.ch = bf.channel();
        if (bf.isDone()) { // failed at once (no socket), or bound at once on the owner: the caller holds the baton
            l.bound(bf, result);
        } else {
            bf.addListener((ChannelFuture f) -> l.bound(f, result));
            loop.requestIoPoll(); // from a task, Netty queued the registration: run it at the next boundary
        }
    }

    /** The bind ended. Owner thread, loop strand holding the baton (or the loop closed). */
    private void bound(ChannelFuture f, Future<Listener> result) {
        if (loop.isClosed() || result.isDone()) { // closed, or the caller cancelled
            closed = true;
            closeIfRegistered();
            return;
        }
        if (!f.isSuccess()) {
            closed = true;
            closeIfRegistered();
            result.setException(bindFailure(f.cause()));
            return;
        }
        local = (InetSocketAddress) ch.localAddress();
        loop.listening.add((ServerChannel) ch);
        result.setResult(this);
    }

    /** A channel that never registered (its creation failed) has no event loop to close it on. */
    private void closeIfRegistered() {
        if (ch.isRegistered()) {
            ch.close();
        } else {
            ch.unsafe().closeForcibly();
        }
    }

    /**
     * Netty's native transports report a failed bind(2) as their own
     * IOException: give callers the JDK's {@link BindException}, as the
     * selector engine does, keeping Netty's exception as the cause.
     */
    private static Throwable bindFailure(Throwable e) {
        if (e instanceof IOException && !(e instanceof SocketException)) {
            BindException b = new BindException(e.getMessage());
            b.initCause(e);
            return b;
        }
        return e;
    }

    /** A connection was accepted and registered: give it a protocol, unless the listener is closed. */
    private void accepted(SocketChannel c) {
        if (closed || loop.isClosed()) { // accepted in the poll that runs close()'s queued work
            c.close();
            return;
        }
        Protocol p;
        try {
            p = protocols.get();
            if (p == null) {
                throw new NullPointerException("the protocol factory returned null");
            }
        } catch (RuntimeException e) {
            c.close();
            loop.callExceptionHandler(new ErrorContext("Error on accepting a connection on " + this, e, null, null));
            return;
        }
        c.pipeline().addLast(new NettyTransport(loop, p, true).handler); // channelActive, next, calls connectionMade
    }

    @Override
    public InetSocketAddress localAddress() {
        return local;
    }

    @Override
    public void close() {
        loop.checkLoopThread("Listener.close()");
        if (!closed) {
            closed = true;
            loop.listening.remove(ch);
            if (ch.isRegistered()) {
                loop.transport().stopListening((ServerChannel) ch); // refuse now: Netty's close may wait for a poll
            }
            closeIfRegistered();
        }
    }

    @Override
    public boolean isServing() {
        return !closed && ch.isOpen();
    }

    @Override
    public String toString() {
        return "Listener[" + local + ", " + loop.transport() + (closed ? ", closed" : "") + "]";
    }

    /**
     * Reports accept(2) failures (out of descriptors, ...) to the loop's
     * exception handler, and counts the listening channel among the loop's
     * channels while it is in its pipeline.
     */
    private final class AcceptErrors extends ChannelInboundHandlerAdapter {
        @Override
        public void handlerAdded(ChannelHandlerContext ctx) {
            loop.channelAdded();
        }

        @Override
        public void handlerRemoved(ChannelHandlerContext ctx) {
            loop.channelRemoved();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            if (closed || loop.isClosed()) {
                return; // the pending accept failing because close() shut the socket down
            }
            loop.callExceptionHandler(new ErrorContext("socket.accept() out of system resource on "
                    + NettyListener.this, cause, null, null));
            // Netty's acceptor, next, stops accepting for a second: the back-off asyncio does too.
            ctx.fireExceptionCaught(cause);
        }
    }
}
