package dev.aio4j.netty;

import dev.aio4j.Future;
import dev.aio4j.engine.StreamTransport;
import dev.aio4j.net.Protocol;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPromise;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.SocketChannel;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.util.ArrayDeque;

/**
 * A connected TCP socket of a {@link NettyDriver}: a Netty socket channel
 * registered on the loop's event loop, with this transport's {@link #handler}
 * as its only handler, under the engine's {@link StreamTransport} state
 * machine (the one the selector engine's transport has), which asks this
 * class for its I/O.
 *
 * <p>Threads: every field is touched by the baton holder only. Netty calls
 * the handler methods and future listeners on the event loop's owner thread,
 * which runs Netty only inside the loop strand's {@code awaitWork}/{@code
 * pollIo}, that is while the loop strand holds the baton; or after the loop
 * closed, while it shuts Netty down (then no callback of the protocol runs).
 * Transport methods called by a task run on the task's virtual thread, where
 * Netty turns channel operations into tasks of its queue, run at the next poll;
 * so what must happen now goes to the socket directly ({@link Transport#writeNow},
 * {@link Transport#shutdownNow}), which is safe because Netty runs only while
 * the loop strand holds the baton, and a direct write is made only while no
 * write handed to Netty is unfinished. The exception is a loop that batches
 * writes (carried, on io_uring: {@link NettyDriver#batchesWrites()}): there a
 * task's bytes are gathered in {@link #deferred} and handed to Netty by the
 * loop strand at the start of the next poll, which comes at the next
 * iteration boundary; io_uring then submits every transport's writes of the
 * iteration, and the next reads, in one system call.
 *
 * <p>Flow control is counted by the state machine, not with Netty's
 * writability: a write is held from {@code write} until its promise completes
 * (the bytes went to the socket), so {@code pauseWriting} runs inside the
 * {@code write} that crosses the high water mark, as asyncio does (Netty's own
 * count changes only when the queued write task runs, and adds a per-message
 * overhead), and {@code resumeWriting} runs at or below the low water mark
 * (Netty becomes writable only strictly below it, so never with a low mark of 0).
 */
final class NettyTransport extends StreamTransport {
    private final NettyDriver loop;
    /** Accepted by a listener: started by channelActive; a client is started by its connect listener. */
    private final boolean accepted;
    /** The channel's only handler: Netty's side of this transport. */
    final ChannelInboundHandlerAdapter handler = new Handler();
    /** Set when the handler is added to the channel's pipeline, before any other call. */
    private SocketChannel ch;

    /**
     * Data Netty read while reading was paused (or before data held earlier
     * was delivered): Netty's autoRead off takes effect at its next poll, and
     * a read already under way finishes, so arrivals are held here in order.
     */
    private final ArrayDeque<ByteBuf> held = new ArrayDeque<>();
    /** The peer's EOF arrived while reading was paused: delivered after {@link #held}. */
    private boolean eofHeld;
    /** The first I/O error of a write: why the connection ended, when Netty closes it for that. */
    private Throwable writeFailure;
    /**
     * When the loop batches writes ({@link NettyDriver#batchesWrites()}): the
     * bytes tasks wrote since the loop's last I/O poll, handed to Netty as
     * one write at the next poll ({@link #flushDeferred}); else null.
     */
    private ByteBuf deferred;

    NettyTransport(NettyDriver loop, Protocol protocol, boolean accepted) {
        super(loop.host(), protocol, loop.transport().toString());
        this.loop = loop;
        this.accepted = accepted;
    }

    /**
     * Opens a connection to {@code remote} on {@code loop}'s event loop and
     * completes {@code result} with its transport once connectionMade ran.
     * Baton holder.
     */
    static void connect(NettyDriver loop, InetSocketAddress remote, Protocol protocol,
            Future<dev.aio4j.net.Transport> result) {
        NettyTransport t = new NettyTransport(loop, protocol, false);
        ChannelFuture cf = new Bootstrap()
                .group(loop.ioEventLoop())
                .channelFactory((io.netty.channel.ChannelFactory<SocketChannel>) loop.transport()::newSocketChannel)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.ALLOW_HALF_CLOSURE, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 0) // the OS's timeout, as the selector engine
                .handler(t.handler)
                .connect(remote);
        if (cf.isDone()) {
            // Failed at once (no socket: its failed future would notify on Netty's global executor), or
            // connected at once on the owner thread: either way the caller holds the baton.
            t.connected(cf, result);
        } else {
            cf.addListener((ChannelFuture f) -> t.connected(f, result));
            loop.requestIoPoll(); // from a task, Netty queued the registration: run it at the next boundary
        }
    }

    /** The connect attempt ended. Owner thread, loop strand holding the baton (or the loop closed). */
    private void connected(ChannelFuture f, Future<dev.aio4j.net.Transport> result) {
        if (loop.isClosed() || result.isDone()) { // closed, or the caller cancelled: abandon the socket
            abandon(f.channel());
            return;
        }
        if (!f.isSuccess()) {
            abandon(f.channel());
            result.setException(connectFailure(f.cause()));
            return;
        }
        loop.requestIoPoll(); // the peer's accept (often a listener of this loop) is ready now: serve it promptly
        if (start()) {
            result.setResult(this);
        } else {
            result.setException(new IOException("connectionMade() failed; the connection was aborted"));
        }
    }

    /** Closes {@code c}; one that never registered (its creation failed) has no event loop to close it on. */
    private static void abandon(io.netty.channel.Channel c) {
        if (c.isRegistered()) {
            c.close();
        } else {
            c.unsafe().closeForcibly();
        }
    }

    /**
     * Netty's connect errors are subclasses of {@link ConnectException} (and
     * a timeout its own type): give callers the JDK's class, as the selector
     * engine does, keeping Netty's exception as the cause.
     */
    private static Throwable connectFailure(Throwable e) {
        if (e instanceof ConnectException && e.getClass() != ConnectException.class) {
            ConnectException c = new ConnectException(e.getMessage());
            c.initCause(e);
            return c;
        }
        return e;
    }

    /** Calls connectionMade; false if that failed (the transport is aborted). */
    private boolean start() {
        return start(ch.localAddress(), ch.remoteAddress());
    }

    // ------------------------------------------------------------------ Netty side (owner thread)

    /** Netty's calls, on the owner thread. */
    private final class Handler extends ChannelInboundHandlerAdapter {
        @Override
        public void handlerAdded(ChannelHandlerContext ctx) {
            ch = (SocketChannel) ctx.channel();
            loop.channelAdded();
        }

        @Override
        public void handlerRemoved(ChannelHandlerContext ctx) {
            loop.channelRemoved(); // the channel closed and left its pipeline
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            if (accepted && isNew() && !loop.isClosed()) {
                start();
            }
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf buf = (ByteBuf) msg;
            if (!isOpen() || isEofReceived() || eofHeld || loop.isClosed()) {
                buf.release();
                return;
            }
            if (isReadingPaused() || !held.isEmpty()) {
                held.add(buf);
                return;
            }
            deliver(buf);
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt != ChannelInputShutdownEvent.INSTANCE) {
                ctx.fireUserEventTriggered(evt); // the tail releases what is reference-counted
                return;
            }
            if (!isOpen() || isEofReceived() || eofHeld || loop.isClosed()) {
                return;
            }
            if (isReadingPaused() || !held.isEmpty()) {
                eofHeld = true;
                return;
            }
            eofArrived();
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            closeNow(writeFailure); // the peer or the system closed it; after close()/abort() a no-op
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            closeNow(cause); // a read failed (reset by the peer, ...): Netty closes the channel, we tell why
        }
    }

    private void deliver(ByteBuf buf) {
        try {
            dataArrived(buf.nioBuffer());
        } finally {
            buf.release();
        }
    }

    /** Delivers what arrived while reading was paused, as a callback after resumeReading, then reads again. */
    private void deliverHeld() {
        while (!held.isEmpty() && !isReadingPaused() && isOpen()) {
            deliver(held.poll());
        }
        if (eofHeld && held.isEmpty() && !isReadingPaused() && isOpen()) {
            eofHeld = false;
            eofArrived();
        }
        if (held.isEmpty() && !eofHeld && !isReadingPaused() && isOpen() && !isEofReceived()) {
            ch.config().setAutoRead(true); // all caught up: Netty may read again (after an EOF there is nothing to)
        }
    }

    /** A write's promise completed: the bytes went to the socket, or the connection failed. */
    private void written(int n, ChannelFuture f) {
        if (!f.isSuccess()) {
            Throwable c = f.cause();
            if (!isClosed() && writeFailure == null && c instanceof IOException
                    && !(c instanceof ClosedChannelException)) {
                writeFailure = c; // Netty closes the channel next: channelInactive reports this cause
            }
        }
        sent(n);
    }

    // ------------------------------------------------------------------ StreamTransport's primitives

    /** Writes what the socket takes of {@code data} now, through the loop's direct scratch buffer if need be. */
    @Override
    protected void writeNow(ByteBuffer data) throws IOException {
        if (loop.batchesWrites()) {
            return; // a task's bytes go to Netty at the next poll, the owner's through Netty: see queueWrite
        }
        // Nothing of ours is in Netty's hands: straight to the socket from the writer's thread, as the
        // selector engine does (no wait for the next poll; Netty is not running: we hold the baton).
        Transport kind = loop.transport();
        if (data.isDirect()) {
            kind.writeNow(ch, data);
            return;
        }
        ByteBuffer s = loop.writeScratch();
        while (data.hasRemaining()) {
            int len = Math.min(s.capacity(), data.remaining());
            s.clear();
            s.put(0, data, data.position(), len).limit(len);
            int w = kind.writeNow(ch, s);
            data.position(data.position() + w);
            if (w < len) {
                return; // the socket is full
            }
        }
    }

    @Override
    protected void queueWrite(ByteBuffer data) {
        int n = data.remaining();
        if (loop.batchesWrites() && (deferred != null || !loop.onOwnerThread())) {
            // A task: Netty would queue the write as a task of its own (and wake its ring with a system
            // call); the loop strand hands it to Netty at the next poll instead, with every other
            // transport's, and io_uring submits them all in one call.
            if (deferred == null) {
                deferred = ch.alloc().directBuffer(Math.max(n, 256));
                loop.flushAtNextPoll(this);
            }
            deferred.writeBytes(data);
            return;
        }
        ByteBuf buf = ch.alloc().directBuffer(n);
        buf.writeBytes(data); // the copy: the caller may reuse data
        handToNetty(buf, n);
    }

    /** Writes {@code buf} ({@code n} bytes, counted as held) through Netty, until its promise completes. */
    private void handToNetty(ByteBuf buf, int n) {
        ChannelPromise p = ch.newPromise();
        ch.writeAndFlush(buf, p);
        // On the owner thread Netty wrote at once, and may be done. From a task, it queued the write:
        // the promise completes at a later poll, after the listener is added (the poll needs the baton).
        p.addListener((ChannelFuture f) -> written(n, f));
    }

    /**
     * Hands the bytes tasks wrote since the last poll to Netty. The loop
     * strand, on the owner thread, at the start of a poll.
     */
    void flushDeferred() {
        ByteBuf b = deferred;
        if (b == null) {
            return; // closed meanwhile: closeChannel released it
        }
        deferred = null;
        handToNetty(b, b.readableBytes()); // still counted as held, until Netty completes the write
    }

    @Override
    protected void shutdownOutput() throws IOException {
        loop.transport().shutdownNow(ch, false, true); // the peer sees EOF now, not at the next poll
    }

    @Override
    protected void setReading(boolean on) {
        if (!on) {
            ch.config().setAutoRead(false);
            if (isClosing()) {
                releaseHeld(); // close(): no more data is delivered
            }
        } else if (!held.isEmpty() || eofHeld) {
            // What arrived while paused goes first, later, as a read (never inside resumeReading); Netty reads
            // again only after it. Re-enabled here, from a task, Netty could read at the next poll, before this
            // callback, and on epoll a channel whose EOF was already read then ended: the held bytes were lost.
            loop.callSoon(this::deliverHeld);
        } else {
            ch.config().setAutoRead(true);
        }
    }

    /** Closes the channel now (Netty drops what it has not sent). */
    @Override
    protected void closeChannel() {
        releaseHeld();
        releaseDeferred();
        if (ch.isOpen()) {
            try {
                // Netty's close, called by a task, waits for the next poll: until then the peer would
                // see nothing, and the socket would outlive a loop stopped meanwhile.
                loop.transport().shutdownNow(ch, true, true);
            } catch (IOException e) {
                // already shut down or reset: the close below is all that is left to do
            }
        }
        ch.close();
    }

    /**
     * Netty's native transports report socket errors (a reset, a broken pipe)
     * as their own {@code NativeIoException}, a bare {@link IOException}; the
     * selector engine reports them as the JDK does, with
     * {@link java.net.SocketException}. Give protocols the JDK's type on every
     * transport, Netty's exception as the cause, so that a {@code catch}
     * works the same on every backend.
     */
    @Override
    protected Throwable lossCause(Throwable e) {
        if (e instanceof io.netty.channel.unix.Errors.NativeIoException) {
            java.net.SocketException s = new java.net.SocketException(e.getMessage());
            s.initCause(e);
            return s;
        }
        return e;
    }

    /** Drops the bytes not yet handed to Netty (the connection is lost, or the loop closes). */
    void releaseDeferred() {
        ByteBuf b = deferred;
        if (b != null) {
            deferred = null;
            b.release();
        }
    }

    private void releaseHeld() {
        ByteBuf b;
        while ((b = held.poll()) != null) {
            b.release();
        }
        eofHeld = false;
    }
}
