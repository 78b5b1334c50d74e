package dev.aio4j.engine;

import dev.aio4j.net.Protocol;
import dev.aio4j.net.Transport;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.ArrayDeque;
import java.util.Objects;

/**
 * A connected socket of a {@link SelectorDriver} (asyncio's
 * {@code _SelectorSocketTransport}). Loop-confined; every field is touched by
 * the baton holder only.
 */
final class NioTransport implements Transport, SelectorDriver.NioChannel {
    private final SelectorDriver loop;
    private final SocketChannel ch;
    private final SelectionKey key;
    private final Protocol protocol;
    private final InetSocketAddress local;
    private final InetSocketAddress remote;

    /** Bytes the socket has not taken yet, oldest first. */
    private final ArrayDeque<ByteBuffer> pending = new ArrayDeque<>();
    private long pendingBytes;
    private final WriteFlowControl flow;
    private boolean readingPaused;
    /** The peer's EOF was read: nothing more to read. */
    private boolean eofReceived;
    /** writeEof() was called; the output is shut down once pending is sent. */
    private boolean eofRequested;
    private boolean eofSent;
    /** close() was called: close once pending is sent. */
    private boolean closeRequested;
    /**
     * The channel is closed and connectionLost is scheduled: open -> (closeRequested) -> lost,
     * or open -> lost directly on abort() or an I/O error. Never reset.
     */
    private boolean lost;

    NioTransport(SelectorDriver loop, SocketChannel ch, SelectionKey key, Protocol protocol) {
        this.loop = loop;
        this.ch = ch;
        this.key = key;
        this.protocol = protocol;
        this.flow = new WriteFlowControl(loop.host, protocol, this);
        this.local = address(ch, true);
        this.remote = address(ch, false);
    }

    private static InetSocketAddress address(SocketChannel ch, boolean local) {
        try {
            return (InetSocketAddress) (local ? ch.getLocalAddress() : ch.getRemoteAddress());
        } catch (IOException e) {
            return null; // already closed by the peer: the first read will tell
        }
    }

    /** Attaches to the key and calls connectionMade; false if that failed (the transport is aborted). */
    boolean start() {
        key.attach(this);
        updateInterest();
        try {
            protocol.connectionMade(this);
            return true;
        } catch (Throwable e) {
            loop.host.protocolFailed("connectionMade", e, this);
            abort();
            return false;
        }
    }

    // ------------------------------------------------------------------ selector side

    @Override
    public void ready(SelectionKey k) {
        int ops;
        try {
            ops = k.readyOps();
        } catch (CancelledKeyException e) {
            return;
        }
        if ((ops & SelectionKey.OP_WRITE) != 0 && !lost) {
            flush();
        }
        if ((ops & SelectionKey.OP_READ) != 0 && !lost && !readingPaused && !eofReceived) {
            read();
        }
    }

    private void read() {
        ByteBuffer b = loop.readBuffer();
        int n;
        try {
            n = ch.read(b);
        } catch (IOException e) {
            fail(e);
            return;
        }
        if (n > 0) {
            b.flip();
            try {
                protocol.dataReceived(b);
            } catch (Throwable e) {
                loop.host.protocolFailed("dataReceived", e, this);
                abort();
            }
        } else if (n < 0) {
            eofReceived = true;
            updateInterest();
            try {
                protocol.eofReceived();
            } catch (Throwable e) {
                loop.host.protocolFailed("eofReceived", e, this);
                abort();
                return;
            }
            if (eofRequested) {
                close(); // both directions are done
            }
        }
    }

    private void flush() {
        try {
            while (!pending.isEmpty()) {
                ByteBuffer head = pending.peek();
                int n = ch.write(head);
                pendingBytes -= n;
                if (head.hasRemaining()) {
                    break;
                }
                pending.poll();
            }
        } catch (IOException e) {
            fail(e);
            return;
        }
        if (pending.isEmpty()) {
            afterFlushed();
        }
        updateInterest();
        flow.update(pendingBytes);
    }

    private void afterFlushed() {
        if (eofRequested && !eofSent) {
            eofSent = true;
            try {
                ch.shutdownOutput();
            } catch (IOException e) {
                fail(e);
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

    private void updateInterest() {
        if (lost) {
            return;
        }
        int ops = 0;
        if (!readingPaused && !eofReceived && !closeRequested) {
            ops |= SelectionKey.OP_READ;
        }
        if (!pending.isEmpty()) {
            ops |= SelectionKey.OP_WRITE;
        }
        try {
            if (key.interestOps() != ops) {
                key.interestOps(ops);
            }
        } catch (CancelledKeyException e) {
            // closed meanwhile
        }
    }

    // ------------------------------------------------------------------ Transport

    @Override
    public void write(ByteBuffer data) {
        Objects.requireNonNull(data, "data");
        loop.host.checkThread("Transport.write()");
        if (eofRequested) {
            throw new IllegalStateException("Cannot call write() after writeEof()");
        }
        if (closeRequested) {
            throw new IllegalStateException("Cannot call write() after close()");
        }
        if (lost || !data.hasRemaining()) {
            return; // lost: dropped, as asyncio does; drain() reports the loss
        }
        if (pending.isEmpty()) {
            try {
                ch.write(data); // straight to the socket from the writer's thread: no selector round
            } catch (IOException e) {
                fail(e);
                return;
            }
            if (!data.hasRemaining()) {
                return;
            }
        }
        int n = data.remaining();
        ByteBuffer copy = ByteBuffer.allocate(n);
        copy.put(data).flip();
        pending.add(copy);
        pendingBytes += n;
        updateInterest();
        flow.update(pendingBytes);
    }

    @Override
    public void writeEof() {
        loop.host.checkThread("Transport.writeEof()");
        if (eofRequested || lost) {
            return;
        }
        eofRequested = true;
        if (pending.isEmpty()) {
            afterFlushed();
        }
    }

    @Override
    public long writeBufferSize() {
        return pendingBytes;
    }

    @Override
    public void setWriteBufferLimits(long high, long low) {
        loop.host.checkThread("Transport.setWriteBufferLimits()");
        flow.setLimits(high, low);
        flow.update(pendingBytes);
    }

    @Override
    public void pauseReading() {
        loop.host.checkThread("Transport.pauseReading()");
        if (!readingPaused) {
            readingPaused = true;
            updateInterest();
        }
    }

    @Override
    public void resumeReading() {
        loop.host.checkThread("Transport.resumeReading()");
        if (readingPaused) {
            readingPaused = false;
            updateInterest();
        }
    }

    @Override
    public boolean isReadingPaused() {
        return readingPaused;
    }

    @Override
    public void close() {
        loop.host.checkThread("Transport.close()");
        if (closeRequested || lost) {
            return;
        }
        closeRequested = true;
        if (pending.isEmpty()) {
            closeNow(null);
        } else {
            updateInterest(); // stop reading; keep flushing
        }
    }

    @Override
    public void abort() {
        loop.host.checkThread("Transport.abort()");
        pending.clear();
        pendingBytes = 0;
        closeNow(null);
    }

    @Override
    public boolean isClosing() {
        return closeRequested || lost;
    }

    /** An I/O error ends the connection: close it, and tell the protocol why. */
    private void fail(IOException e) {
        pending.clear();
        pendingBytes = 0;
        closeNow(e);
    }

    /** Closes the channel now and schedules connectionLost(cause), once. */
    private void closeNow(Throwable cause) {
        if (lost) {
            return;
        }
        lost = true;
        loop.closeChannel(key, ch);
        loop.host.loop().callSoon(() -> {
            try {
                protocol.connectionLost(cause);
            } catch (Throwable e) {
                loop.host.protocolFailed("connectionLost", e, this);
            }
        });
    }

    @Override
    public void closeWithLoop() {
        lost = true;
        SelectorDriver.closeQuietly(ch);
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
        return "Transport[" + local + " -> " + remote + (lost ? ", closed" : closeRequested ? ", closing" : "")
                + (pendingBytes > 0 ? ", " + pendingBytes + " bytes buffered" : "") + "]";
    }
}
