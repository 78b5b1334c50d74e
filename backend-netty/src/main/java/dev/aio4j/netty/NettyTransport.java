package dev.aio4j.netty;

import dev.aio4j.Future;
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
import java.util.Objects;

/**
 * A connected TCP socket of a {@link NettyDriver}: a Netty socket channel
 * registered on the loop's event loop, with this object as its only handler.
 * It behaves as the selector engine's {@code NioTransport} (asyncio's
 * {@code _SelectorSocketTransport}), observed through the
 * {@link dev.aio4j.net.Transport} contract.
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
 * <p>Flow control is counted here, not with Netty's writability: a write is
 * counted from {@link #write} until its promise completes (the bytes went to
 * the socket), so {@code pauseWriting} runs inside the {@code write} that
 * crosses the high water mark, as asyncio does (Netty's own count changes only
 * when the queued write task runs, and adds a per-message overhead), and
 * {@code resumeWriting} runs at or below the low water mark (Netty becomes
 * writable only strictly below it, so never with a low mark of 0).
 */
final class NettyTransport extends ChannelInboundHandlerAdapter implements dev.aio4j.net.Transport {
    private final NettyDriver loop;
    private final Protocol protocol;
    /** Accepted by a listener: started by channelActive; a client is started by its connect listener. */
    private final boolean accepted;
    /** Set when the handler is added to the channel's pipeline, before any other call. */
    private SocketChannel ch;
    private InetSocketAddress local;
    private InetSocketAddress remote;

    /** Bytes passed to write() whose promise has not completed. */
    private long pendingBytes;
    private final dev.aio4j.engine.WriteFlowControl flow;
    /** connectionMade ran (or is running). */
    private boolean started;
    private boolean readingPaused;
    /**
     * Data Netty read while reading was paused (or before data held earlier
     * was delivered): Netty's autoRead off takes effect at its next poll, and
     * a read already under way finishes, so arrivals are held here in order.
     */
    private final ArrayDeque<ByteBuf> held = new ArrayDeque<>();
    /** The peer's EOF arrived while reading was paused: delivered after {@link #held}. */
    private boolean eofHeld;
    /** eofReceived was delivered: nothing more to read. */
    private boolean eofReceived;
    /** writeEof() was called; the output is shut down once pendingBytes is 0. */
    private boolean eofRequested;
    private boolean eofSent;
    /** close() was called: close once pendingBytes is 0. */
    private boolean closeRequested;
    /** The channel is closed (or closing) and connectionLost is scheduled. Never reset. */
    private boolean lost;
    /** The first I/O error of a write: why the connection ended, when Netty closes it for that. */
    private Throwable writeFailure;
    /**
     * When the loop batches writes ({@link NettyDriver#batchesWrites()}): the
     * bytes tasks wrote since the loop's last I/O poll, handed to Netty as
     * one write at the next poll ({@link #flushDeferred}); else null.
     */
    private ByteBuf deferred;

    NettyTransport(NettyDriver loop, Protocol protocol, boolean accepted) {
        this.loop = loop;
        this.protocol = protocol;
        this.accepted = accepted;
        this.flow = new dev.aio4j.engine.WriteFlowControl(loop.host(), protocol, this);
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
                .handler(t)
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
            closeChannel(f.channel());
            return;
        }
        if (!f.isSuccess()) {
            closeChannel(f.channel());
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
    private static void closeChannel(io.netty.channel.Channel c) {
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
        started = true;
        local = ch.localAddress();
        remote = ch.remoteAddress();
        try {
            protocol.connectionMade(this);
            return true;
        } catch (Throwable e) {
            loop.protocolFailed("connectionMade", e, this);
            abort();
            return false;
        }
    }

    // ------------------------------------------------------------------ Netty side (owner thread)

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
        if (accepted && !started && !lost && !loop.isClosed()) {
            start();
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf buf = (ByteBuf) msg;
        if (lost || closeRequested || eofReceived || eofHeld || !started || loop.isClosed()) {
            buf.release();
            return;
        }
        if (readingPaused || !held.isEmpty()) {
            held.add(buf);
            return;
        }
        deliver(buf);
    }

    private void deliver(ByteBuf buf) {
        try {
            protocol.dataReceived(buf.nioBuffer());
        } catch (Throwable e) {
            loop.protocolFailed("dataReceived", e, this);
            abort();
        } finally {
            buf.release();
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt != ChannelInputShutdownEvent.INSTANCE) {
            ctx.fireUserEventTriggered(evt); // the tail releases what is reference-counted
            return;
        }
        if (lost || closeRequested || eofReceived || eofHeld || !started || loop.isClosed()) {
            return;
        }
        if (readingPaused || !held.isEmpty()) {
            eofHeld = true;
            return;
        }
        deliverEof();
    }

    private void deliverEof() {
        eofReceived = true;
        try {
            protocol.eofReceived();
        } catch (Throwable e) {
            loop.protocolFailed("eofReceived", e, this);
            abort();
            return;
        }
        if (eofRequested) {
            close(); // both directions are done
        }
    }

    /** Delivers what arrived while reading was paused, as a callback after resumeReading. */
    private void deliverHeld() {
        while (!held.isEmpty() && !readingPaused && !lost && !closeRequested) {
            deliver(held.poll());
        }
        if (eofHeld && held.isEmpty() && !readingPaused && !lost && !closeRequested) {
            eofHeld = false;
            deliverEof();
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        closeNow(writeFailure); // the peer or the system closed it; after close()/abort() a no-op
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        closeNow(cause); // a read failed (reset by the peer, ...): Netty closes the channel, we tell why
    }

    /** A write's promise completed: the bytes went to the socket, or the connection failed. */
    private void written(int n, ChannelFuture f) {
        if (!f.isSuccess()) {
            Throwable c = f.cause();
            if (!lost && writeFailure == null && c instanceof IOException && !(c instanceof ClosedChannelException)) {
                writeFailure = c; // Netty closes the channel next: channelInactive reports this cause
            }
        }
        if (lost) {
            return; // closeNow zeroed pendingBytes: nothing to flush, nobody to resume
        }
        pendingBytes -= n;
        if (loop.isClosed()) {
            return;
        }
        if (pendingBytes == 0) {
            afterFlushed();
        }
        maybePauseOrResume();
    }

    private void afterFlushed() {
        if (eofRequested && !eofSent && !lost) {
            eofSent = true;
            try {
                loop.transport().shutdownNow(ch, false, true); // the peer sees EOF now, not at the next poll
            } catch (IOException e) {
                closeNow(e);
                return;
            }
            if (eofReceived) {
                close();
            }
        }
        if (closeRequested) {
            closeNow(null);
        }
    }

    // ------------------------------------------------------------------ Transport

    @Override
    public void write(ByteBuffer data) {
        Objects.requireNonNull(data, "data");
        loop.checkLoopThread("Transport.write()");
        if (eofRequested) {
            throw new IllegalStateException("Cannot call write() after writeEof()");
        }
        if (closeRequested) {
            throw new IllegalStateException("Cannot call write() after close()");
        }
        if (lost || !data.hasRemaining()) {
            return; // lost: dropped, as asyncio does; drain() reports the loss
        }
        int n = data.remaining();
        if (loop.batchesWrites()) {
            if (deferred != null || !loop.onOwnerThread()) {
                // A task: Netty would queue the write as a task of its own (and wake its ring with a system
                // call); the loop strand hands it to Netty at the next poll instead, with every other
                // transport's, and io_uring submits them all in one call.
                if (deferred == null) {
                    deferred = ch.alloc().directBuffer(Math.max(n, 256));
                    loop.flushAtNextPoll(this);
                }
                deferred.writeBytes(data);
                pendingBytes += n;
                maybePauseOrResume();
                return;
            }
        } else if (pendingBytes == 0) {
            // Nothing of ours is in Netty's hands: straight to the socket from the writer's thread, as the
            // selector engine does (no wait for the next poll; Netty is not running: we hold the baton).
            try {
                writeNow(data);
            } catch (IOException e) {
                closeNow(e);
                return;
            }
            if (!data.hasRemaining()) {
                return;
            }
            n = data.remaining();
        }
        ByteBuf buf = ch.alloc().directBuffer(n);
        buf.writeBytes(data); // the copy: the caller may reuse data
        handToNetty(buf, n);
        maybePauseOrResume();
    }

    /** Writes {@code buf} ({@code n} bytes) through Netty, counted until its promise completes. */
    private void handToNetty(ByteBuf buf, int n) {
        ChannelPromise p = ch.newPromise();
        ch.writeAndFlush(buf, p);
        // On the owner thread Netty wrote at once, and may be done. From a task, it queued the write:
        // the promise completes at a later poll, after the listener is added (the poll needs the baton).
        pendingBytes += n;
        p.addListener((ChannelFuture f) -> written(n, f));
    }

    /**
     * Hands the bytes tasks wrote since the last poll to Netty. The loop
     * strand, on the owner thread, at the start of a poll.
     */
    void flushDeferred() {
        ByteBuf b = deferred;
        if (b == null) {
            return; // closed meanwhile: closeNow released it
        }
        deferred = null;
        int n = b.readableBytes();
        pendingBytes -= n; // counted again, until Netty completes the write
        handToNetty(b, n);
    }

    /** Writes what the socket takes of {@code data} now, through the loop's direct scratch buffer if need be. */
    private void writeNow(ByteBuffer data) throws IOException {
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

    private void maybePauseOrResume() {
        if (!lost) {
            flow.update(pendingBytes);
        }
    }

    @Override
    public void writeEof() {
        loop.checkLoopThread("Transport.writeEof()");
        if (eofRequested || lost) {
            return;
        }
        eofRequested = true;
        if (pendingBytes == 0) {
            afterFlushed();
        }
    }

    @Override
    public long writeBufferSize() {
        return pendingBytes;
    }

    @Override
    public void setWriteBufferLimits(long high, long low) {
        loop.checkLoopThread("Transport.setWriteBufferLimits()");
        flow.setLimits(high, low);
        maybePauseOrResume();
    }

    @Override
    public void pauseReading() {
        loop.checkLoopThread("Transport.pauseReading()");
        if (!readingPaused) {
            readingPaused = true;
            if (!lost) {
                ch.config().setAutoRead(false);
            }
        }
    }

    @Override
    public void resumeReading() {
        loop.checkLoopThread("Transport.resumeReading()");
        if (readingPaused) {
            readingPaused = false;
            if (lost || closeRequested) {
                return;
            }
            ch.config().setAutoRead(true);
            if (!held.isEmpty() || eofHeld) {
                loop.callSoon(this::deliverHeld); // later, as a read: never inside resumeReading
            }
        }
    }

    @Override
    public boolean isReadingPaused() {
        return readingPaused;
    }

    @Override
    public void close() {
        loop.checkLoopThread("Transport.close()");
        if (closeRequested || lost) {
            return;
        }
        closeRequested = true;
        releaseHeld();
        if (pendingBytes == 0) {
            closeNow(null);
        } else {
            ch.config().setAutoRead(false); // stop reading; keep flushing
        }
    }

    @Override
    public void abort() {
        loop.checkLoopThread("Transport.abort()");
        closeNow(null);
    }

    @Override
    public boolean isClosing() {
        return closeRequested || lost;
    }

    /** Closes the channel now (Netty drops what it has not sent) and schedules connectionLost(cause), once. */
    private void closeNow(Throwable failure) {
        if (lost) {
            return;
        }
        lost = true;
        Throwable cause = jdkType(failure);
        pendingBytes = 0;
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
        if (!started || loop.isClosed()) {
            return; // no connectionMade, no connectionLost; a closed loop runs no callbacks
        }
        loop.callSoon(() -> {
            try {
                protocol.connectionLost(cause);
            } catch (Throwable e) {
                loop.protocolFailed("connectionLost", e, this);
            }
        });
    }

    /**
     * Netty's native transports report socket errors (a reset, a broken pipe)
     * as their own {@code NativeIoException}, a bare {@link IOException}; the
     * selector engine reports them as the JDK does, with
     * {@link java.net.SocketException}. Give protocols the JDK's type on every
     * transport, Netty's exception as the cause, so that a {@code catch}
     * works the same on every backend.
     */
    private static Throwable jdkType(Throwable e) {
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

    @Override
    public InetSocketAddress localAddress() {
        return local;
    }

    @Override
    public InetSocketAddress remoteAddress() {
        return remote;
    }

    @Override
    public String toString() {
        return "Transport[" + local + " -> " + remote + ", " + loop.transport()
                + (lost ? ", closed" : closeRequested ? ", closing" : "")
                + (pendingBytes > 0 ? ", " + pendingBytes + " bytes buffered" : "") + "]";
    }
}
