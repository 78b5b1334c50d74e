package dev.aio4j.engine;

import dev.aio4j.net.Protocol;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.ArrayDeque;

/**
 * A connected socket of a {@link SelectorDriver}: a non-blocking
 * {@link SocketChannel} under the {@link StreamTransport} state machine, which
 * asks this class for its I/O. Loop-confined; every field is touched by the
 * baton holder only ({@code write} may write to the channel from a task's
 * thread, which holds the baton then).
 */
final class NioTransport extends StreamTransport implements SelectorDriver.NioChannel {
    private final SelectorDriver loop;
    private final SocketChannel ch;
    private final SelectionKey key;
    /** Bytes the socket has not taken yet, oldest first. */
    private final ArrayDeque<ByteBuffer> pending = new ArrayDeque<>();

    NioTransport(SelectorDriver loop, SocketChannel ch, SelectionKey key, Protocol protocol) {
        super(loop.host, protocol, null);
        this.loop = loop;
        this.ch = ch;
        this.key = key;
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
        boolean made = start(address(ch, true), address(ch, false));
        updateInterest();
        return made;
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
        if ((ops & SelectionKey.OP_WRITE) != 0 && !isClosed()) {
            flush();
        }
        if ((ops & SelectionKey.OP_READ) != 0 && isOpen() && !isReadingPaused() && !isEofReceived()) {
            read();
        }
    }

    private void read() {
        ByteBuffer b = loop.readBuffer();
        int n;
        try {
            n = ch.read(b);
        } catch (IOException e) {
            closeNow(e);
            return;
        }
        if (n > 0) {
            b.flip();
            dataArrived(b);
        } else if (n < 0) {
            eofArrived();
            updateInterest(); // no more OP_READ
        }
    }

    private void flush() {
        long n = 0;
        try {
            while (!pending.isEmpty()) {
                ByteBuffer head = pending.peek();
                n += ch.write(head);
                if (head.hasRemaining()) {
                    break;
                }
                pending.poll();
            }
        } catch (IOException e) {
            closeNow(e);
            return;
        }
        updateInterest();
        sent(n);
    }

    private void updateInterest() {
        if (isClosed()) {
            return;
        }
        int ops = 0;
        if (isOpen() && !isReadingPaused() && !isEofReceived()) {
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

    // ------------------------------------------------------------------ StreamTransport's primitives

    @Override
    protected void writeNow(ByteBuffer data) throws IOException {
        ch.write(data);
    }

    @Override
    protected void queueWrite(ByteBuffer data) {
        ByteBuffer copy = ByteBuffer.allocate(data.remaining());
        copy.put(data).flip();
        pending.add(copy);
        updateInterest();
    }

    @Override
    protected void shutdownOutput() throws IOException {
        ch.shutdownOutput();
    }

    @Override
    protected void setReading(boolean on) {
        updateInterest(); // follows from the state
    }

    @Override
    protected void closeChannel() {
        pending.clear();
        loop.closeChannel(key, ch);
    }

    @Override
    public void closeWithLoop() {
        markClosed();
        pending.clear();
        SelectorDriver.closeQuietly(ch);
    }
}
