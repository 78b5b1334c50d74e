package dev.aio4j.engine;

import dev.aio4j.Future;
import dev.aio4j.net.Listener;
import dev.aio4j.net.Protocol;
import dev.aio4j.net.Transport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.function.Supplier;

/**
 * {@link IoDriver#selector()}: TCP sockets on a {@link java.nio.channels.Selector},
 * as asyncio's {@code SelectorEventLoop}: non-blocking {@code SocketChannel}s
 * for {@code createConnection} and {@code createServer}.
 *
 * <p>Threads: the selector is created on first use of a socket; until then
 * the loop strand parks as {@link IoDriver#parking()} does. From then on it
 * waits for work inside {@link Selector#select(java.util.function.Consumer, long)},
 * {@link #wakeup()} also wakes the selector, and every iteration polls it
 * without blocking ({@link #poll()}) on whichever strand holds the baton.
 * Ready channels are handled right there, on the loop: protocols' callbacks
 * run as part of the iteration boundary, before the iteration's ready units
 * (asyncio queues them as handles instead; the order among one socket's
 * events is the same).
 *
 * <p>A task's {@code write} goes to the socket at once, from the task's own
 * thread (a non-blocking channel may be written from any thread); only what
 * the socket does not take waits for the selector.
 */
final class SelectorDriver implements IoDriver {
    static final IoDriver.Factory FACTORY = new IoDriver.Factory() {
        @Override
        public IoDriver create(LoopHost host) {
            return new SelectorDriver(host);
        }

        @Override
        public boolean opensSockets() {
            return true;
        }

        @Override
        public boolean reusesPorts() {
            return REUSE_PORT_SUPPORTED;
        }
    };

    /**
     * Whether this JDK and OS bind server sockets with SO_REUSEPORT (Linux,
     * the BSDs and macOS do; Windows does not): asked once, of a channel
     * opened and closed at once.
     */
    private static final boolean REUSE_PORT_SUPPORTED = reusePortSupported();

    private static boolean reusePortSupported() {
        try (ServerSocketChannel ch = ServerSocketChannel.open()) {
            return ch.supportedOptions().contains(StandardSocketOptions.SO_REUSEPORT);
        } catch (IOException e) {
            return false;
        }
    }

    /** One read's buffer, shared by every socket of the loop (asyncio reads up to 256 KiB at once). */
    private static final int READ_BUFFER_SIZE = 64 * 1024;

    final LoopHost host;
    /** Waits while no socket was ever opened. */
    private final ParkingDriver parking;

    // ---- baton ----
    private Selector selector; // also read by wakeup() from any thread: see selectorForWakeup
    private ByteBuffer readBuffer;
    private int registered;
    /** Inside a selection: ready() callbacks run from within it. */
    private boolean selecting;
    /** A channel was closed during the selection: flush the cancelled keys after it. */
    private boolean flushAfterSelect;

    /** The selector, for wakeup(); written once by the baton holder. */
    private volatile Selector selectorForWakeup;

    SelectorDriver(LoopHost host) {
        this.host = host;
        this.parking = new ParkingDriver(host);
    }

    // ------------------------------------------------------------------ waiting

    @Override
    public void awaitWork(long timeoutNanos) {
        Selector s = selector;
        if (s == null) {
            parking.awaitWork(timeoutNanos);
            return;
        }
        selecting = true;
        try {
            if (host.hasThreadsafeWork()) { // re-checked after selectorForWakeup was published: no lost wake-up
                s.selectNow(this::ready);
            } else if (timeoutNanos == Long.MAX_VALUE) {
                s.select(this::ready);
            } else {
                // Round up: a timer's callback may run late, never early.
                s.select(this::ready, Math.max(1, (timeoutNanos + 999_999) / 1_000_000));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("selector failed", e);
        } finally {
            afterSelect();
        }
    }

    @Override
    public void wakeup() {
        parking.wakeup();
        Selector s = selectorForWakeup;
        if (s != null) {
            s.wakeup(); // sticky: a select that starts later returns at once
        }
    }

    @Override
    public void poll() {
        if (registered == 0) {
            return;
        }
        selecting = true;
        try {
            selector.selectNow(this::ready);
        } catch (IOException e) {
            throw new UncheckedIOException("selector failed", e);
        } finally {
            afterSelect();
        }
    }

    private void ready(SelectionKey key) {
        ((NioChannel) key.attachment()).ready(key);
    }

    @Override
    public void close() {
        Selector s = selector;
        if (s == null) {
            return;
        }
        for (SelectionKey k : new ArrayList<>(s.keys())) {
            ((NioChannel) k.attachment()).closeWithLoop();
        }
        try {
            s.close();
        } catch (IOException e) {
            // nothing useful to do: the loop is closed
        }
    }

    // ------------------------------------------------------------------ sockets

    @Override
    public void connect(InetSocketAddress remote, Protocol protocol, Future<Transport> result) {
        SocketChannel ch = null;
        try {
            ch = SocketChannel.open();
            ch.configureBlocking(false);
            ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
            NioConnector c = new NioConnector(this, ch, protocol, result);
            if (ch.connect(remote)) {
                c.connected(register(ch, 0, c));
            } else {
                register(ch, SelectionKey.OP_CONNECT, c);
            }
        } catch (IOException | RuntimeException e) {
            closeQuietly(ch);
            result.setException(e);
        }
    }

    @Override
    public void listen(InetSocketAddress local, int backlog, boolean reusePort,
            Supplier<? extends Protocol> protocols, Future<Listener> result) {
        ServerSocketChannel ch = null;
        try {
            ch = ServerSocketChannel.open();
            ch.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            if (reusePort) {
                ch.setOption(StandardSocketOptions.SO_REUSEPORT, true);
            }
            ch.bind(local, backlog);
            ch.configureBlocking(false);
            NioListener l = new NioListener(this, ch, protocols, backlog);
            l.key = register(ch, SelectionKey.OP_ACCEPT, l);
            result.setResult(l);
        } catch (IOException | RuntimeException e) {
            closeQuietly(ch);
            result.setException(e);
        }
    }

    /** Registers {@code ch} with the selector, creating it on first use. Baton holder. */
    final SelectionKey register(java.nio.channels.SelectableChannel ch, int ops, NioChannel handler)
            throws IOException {
        if (selector == null) {
            selector = Selector.open();
            readBuffer = ByteBuffer.allocateDirect(READ_BUFFER_SIZE);
            selectorForWakeup = selector;
        }
        SelectionKey k = ch.register(selector, ops, handler);
        registered++;
        return k;
    }

    /**
     * Cancels {@code key} (if any) and closes {@code ch}. Baton holder.
     * A channel closed while registered is only really closed (its descriptor
     * released, its peer told) when the selector next deregisters it; so
     * select at once, or right after the selection in progress, that a
     * listener stops accepting and a peer sees the end now, not at the next
     * iteration. Readiness is level-triggered: keys this extra selection
     * finds are found again by the next one.
     */
    final void closeChannel(SelectionKey key, java.nio.channels.Channel ch) {
        if (key != null) {
            key.cancel();
            registered--;
        }
        closeQuietly(ch);
        if (selector == null) {
            return;
        }
        if (selecting) {
            flushAfterSelect = true; // a selector refuses a select from inside its own selection
        } else {
            flushCancelledKeys();
        }
    }

    private void flushCancelledKeys() {
        try {
            selector.selectNow();
            selector.selectedKeys().clear();
        } catch (IOException e) {
            throw new UncheckedIOException("selector failed", e);
        }
    }

    private void afterSelect() {
        selecting = false;
        if (flushAfterSelect) {
            flushAfterSelect = false;
            flushCancelledKeys();
        }
    }

    /** The shared read buffer, cleared. Baton holder. */
    final ByteBuffer readBuffer() {
        return readBuffer.clear();
    }

    static void closeQuietly(java.nio.channels.Channel ch) {
        if (ch != null) {
            try {
                ch.close();
            } catch (IOException e) {
                // closing after a failure: the first failure is the one reported
            }
        }
    }

    /** What a selection key's attachment does when its channel is ready. */
    interface NioChannel {
        /** Handles the key's ready operations. Baton holder. */
        void ready(SelectionKey key);

        /** The loop is closing: close the channel, without callbacks (the loop runs none any more). */
        void closeWithLoop();
    }
}
