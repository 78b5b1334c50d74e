package dev.aio4j.netty;

import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioChannelOption;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.unix.UnixChannel;
import io.netty.channel.uring.IoUring;
import io.netty.channel.uring.IoUringChannelOption;
import io.netty.channel.uring.IoUringIoHandler;
import io.netty.channel.uring.IoUringIoHandlerConfig;
import io.netty.channel.uring.IoUringServerSocketChannel;
import io.netty.channel.uring.IoUringSocketChannel;
import java.io.IOException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.util.Locale;

/**
 * The Netty I/O transports a loop can run on, and the rule choosing one.
 *
 * <p>Netty's transport classes are touched only inside the constants' methods,
 * so a JVM without the native library (or without the classes jar) gets
 * {@link #isAvailable()} false instead of a linkage error at class loading.
 */
enum Transport {
    EPOLL("epoll") {
        @Override
        boolean isAvailable() {
            try {
                return Epoll.isAvailable();
            } catch (LinkageError e) {
                return false;
            }
        }

        @Override
        String unavailabilityCause() {
            try {
                Throwable t = Epoll.unavailabilityCause();
                return t == null ? "none" : String.valueOf(t);
            } catch (LinkageError e) {
                return String.valueOf(e);
            }
        }

        @Override
        IoHandlerFactory newFactory() {
            return EpollIoHandler.newFactory();
        }

        @Override
        Class<? extends ServerChannel> serverChannelClass() {
            return EpollServerSocketChannel.class;
        }

        @Override
        Class<? extends SocketChannel> socketChannelClass() {
            return EpollSocketChannel.class;
        }

        @Override
        SocketChannel newSocketChannel() {
            return new EpollSocketChannel();
        }

        @Override
        ServerChannel newServerChannel() {
            return new EpollServerSocketChannel();
        }

        @Override
        ChannelOption<Boolean> reusePortOption() {
            return EpollChannelOption.SO_REUSEPORT;
        }
    },
    NIO("nio") {
        @Override
        boolean isAvailable() {
            return true;
        }

        @Override
        String unavailabilityCause() {
            return "none";
        }

        @Override
        IoHandlerFactory newFactory() {
            return NioIoHandler.newFactory();
        }

        @Override
        Class<? extends ServerChannel> serverChannelClass() {
            return NioChannels.Server.class;
        }

        @Override
        Class<? extends SocketChannel> socketChannelClass() {
            return NioChannels.Socket.class;
        }

        @Override
        SocketChannel newSocketChannel() {
            return new NioChannels.Socket();
        }

        @Override
        ServerChannel newServerChannel() {
            return new NioChannels.Server();
        }

        @Override
        ChannelOption<Boolean> reusePortOption() {
            return NIO_REUSE_PORT_SUPPORTED ? NioChannelOption.of(StandardSocketOptions.SO_REUSEPORT) : null;
        }

        @Override
        int writeNow(Channel ch, ByteBuffer b) throws IOException {
            return ((NioChannels.Socket) ch).writeNow(b);
        }

        @Override
        void shutdownNow(Channel ch, boolean input, boolean output) throws IOException {
            ((NioChannels.Socket) ch).shutdownNow(input, output);
        }

        @Override
        void stopListening(ServerChannel ch) {
            // The JDK has no shutdown for a listening channel, and closes a registered one only when its
            // selector deregisters it: NioChannels.Server makes Netty's close do that at once.
        }
    },
    IO_URING("io_uring") {
        @Override
        boolean isAvailable() {
            try {
                return IoUring.isAvailable();
            } catch (LinkageError e) {
                return false;
            }
        }

        @Override
        String unavailabilityCause() {
            try {
                Throwable t = IoUring.unavailabilityCause();
                return t == null ? "none" : String.valueOf(t);
            } catch (LinkageError e) {
                return String.valueOf(e);
            }
        }

        /**
         * Netty's default completion queue (4,096 entries) overflows when
         * thousands of connections complete in one poll (each keeps a read
         * in flight), and Netty then logs "CompletionQueue overflow
         * detected": 16,384 entries (256 KiB per loop) hold the connections
         * a loop can have open here. Netty's own {@code -Dio.netty.iouring.cqSize}
         * still wins when set.
         */
        @Override
        IoHandlerFactory newFactory() {
            IoUringIoHandlerConfig config = new IoUringIoHandlerConfig();
            if (System.getProperty("io.netty.iouring.cqSize") == null) {
                config.setCqSize(Math.max(config.getCqSize(), 16_384));
            }
            return IoUringIoHandler.newFactory(config);
        }

        @Override
        Class<? extends ServerChannel> serverChannelClass() {
            return IoUringServerSocketChannel.class;
        }

        @Override
        Class<? extends SocketChannel> socketChannelClass() {
            return IoUringSocketChannel.class;
        }

        @Override
        SocketChannel newSocketChannel() {
            return new IoUringSocketChannel();
        }

        @Override
        ServerChannel newServerChannel() {
            return new IoUringServerSocketChannel();
        }

        @Override
        ChannelOption<Boolean> reusePortOption() {
            return IoUringChannelOption.SO_REUSEPORT;
        }
    };

    /** The system property that asks for a transport: {@code epoll}, {@code nio} or {@code io_uring}. */
    static final String PROPERTY = "aio4j.netty.transport";

    /** The name users see and ask for. */
    final String id;

    Transport(String id) {
        this.id = id;
    }

    /** Whether Netty can run this transport in this JVM (native library loaded, kernel support). */
    abstract boolean isAvailable();

    /** Why not, for messages; "none" when available. */
    abstract String unavailabilityCause();

    /** The factory of this transport's {@code IoHandler}. */
    abstract IoHandlerFactory newFactory();

    /** The TCP server channel class registrable on this transport's event loop. */
    abstract Class<? extends ServerChannel> serverChannelClass();

    /** The TCP client channel class registrable on this transport's event loop. */
    abstract Class<? extends SocketChannel> socketChannelClass();

    /**
     * A new TCP client channel of {@link #socketChannelClass()}, for
     * {@code Bootstrap.channelFactory} (Netty's reflective factory cannot
     * reach this package's own NIO channel classes).
     */
    abstract SocketChannel newSocketChannel();

    /** A new TCP server channel of {@link #serverChannelClass()}, for {@code ServerBootstrap.channelFactory}. */
    abstract ServerChannel newServerChannel();

    /**
     * The server channel option that binds with {@code SO_REUSEPORT} on this
     * transport, or null if it cannot here (NIO on a JDK and OS without it).
     */
    abstract ChannelOption<Boolean> reusePortOption();

    /** Whether the JDK binds server sockets with SO_REUSEPORT here (not on Windows): asked once. */
    private static final boolean NIO_REUSE_PORT_SUPPORTED = nioReusePortSupported();

    private static boolean nioReusePortSupported() {
        try (java.nio.channels.ServerSocketChannel ch = java.nio.channels.ServerSocketChannel.open()) {
            return ch.supportedOptions().contains(StandardSocketOptions.SO_REUSEPORT);
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Writes what the socket of {@code ch} (a channel of
     * {@link #socketChannelClass()} or accepted by {@link #serverChannelClass()})
     * takes now, from the calling thread, bypassing Netty: {@code b} is a
     * direct buffer, whose position advances by the count returned. The
     * caller must make sure that Netty is not writing the channel meanwhile
     * (it holds the loop's baton, and no write it handed to Netty is
     * unfinished). The socket is non-blocking: 0 when it takes nothing.
     *
     * @throws IOException if the socket failed (reset by the peer, ...)
     */
    int writeNow(Channel ch, ByteBuffer b) throws IOException {
        return writeFd(ch, b); // the native transports; NIO overrides
    }

    /**
     * Shuts the socket of {@code ch} down now, from the calling thread, in
     * the directions asked: the peer sees the end at once, where Netty's
     * close and shutdownOutput, called by a task, would wait for the next
     * poll. Netty sees the new state (it reads it from the same socket
     * object), so its own close or shutdown afterwards is a no-op on these
     * directions. Same caller conditions as {@link #writeNow}.
     *
     * @throws IOException if the socket is closed or failed
     */
    void shutdownNow(Channel ch, boolean input, boolean output) throws IOException {
        try {
            ((io.netty.channel.unix.Socket) ((UnixChannel) ch).fd()).shutdown(input, output); // native; NIO overrides
        } catch (java.nio.channels.NotYetConnectedException e) {
            // ENOTCONN: the connection is already gone (the peer reset it, or both sides ended): an I/O error
            java.net.SocketException s = new java.net.SocketException("Socket is not connected");
            s.initCause(e);
            throw s;
        }
    }

    /**
     * Makes the listening socket of {@code ch} refuse connections now, from
     * the calling thread, ahead of Netty's close (queued to the next poll when
     * the caller is a task; and io_uring closes a descriptor only once its
     * pending accept is cancelled). Best effort; the close follows anyway.
     */
    void stopListening(ServerChannel ch) {
        shutdownListen(ch); // native; NIO overrides
    }

    /** {@link #stopListening} for the native transports: shutdown(SHUT_RD) ends a Linux listen at once. */
    private static void shutdownListen(ServerChannel ch) {
        try {
            ((io.netty.channel.unix.Socket) ((UnixChannel) ch).fd()).shutdown(true, false);
        } catch (IOException | RuntimeException e) {
            // already closed, or not a socket Netty can shut down: Netty's close does the job
        }
    }

    /** {@link #writeNow} for the native transports: write(2) on the channel's descriptor. */
    private static int writeFd(Channel ch, ByteBuffer b) throws IOException {
        int n = ((UnixChannel) ch).fd().write(b, b.position(), b.limit());
        b.position(b.position() + n);
        return n;
    }

    @Override
    public String toString() {
        return id;
    }

    /**
     * The transport chosen, and a note when it is not the one asked for.
     *
     * @param transport what runs
     * @param fallbackNote why another transport was asked for and not chosen; null when none
     */
    record Choice(Transport transport, String fallbackNote) {}

    /**
     * Whether epoll failed to load because this JVM denies Netty native
     * access ({@code --illegal-native-access=deny}, the default of a future
     * JDK): {@code auto} then runs NIO, with nothing but this to say why.
     * Without the flag, JDK 24 and 25 only print a warning and Netty loads.
     */
    static boolean nativeAccessDenied() {
        try {
            return deniesNativeAccess(Epoll.unavailabilityCause(), 0);
        } catch (LinkageError e) {
            return false;
        }
    }

    /**
     * Whether {@code t}, its causes or suppressed exceptions hold the JDK's
     * {@code IllegalCallerException} for native access: Netty tries several
     * library names and reports each failure as a suppressed exception.
     */
    static boolean deniesNativeAccess(Throwable t, int depth) {
        if (t == null || depth > 8) {
            return false;
        }
        if (t instanceof IllegalCallerException && String.valueOf(t.getMessage()).contains("native access")) {
            return true;
        }
        for (Throwable s : t.getSuppressed()) {
            if (deniesNativeAccess(s, depth + 1)) {
                return true;
            }
        }
        return deniesNativeAccess(t.getCause(), depth + 1);
    }

    /**
     * The flag that lets Netty load its native transports, as this JVM needs
     * it: {@code =ALL-UNNAMED} on the class path, else the Netty module that
     * loads the library ({@code io.netty.common}).
     */
    static String enableNativeAccessFlag() {
        Module m = io.netty.util.Version.class.getModule();
        return "--enable-native-access=" + (m.isNamed() ? m.getName() : "ALL-UNNAMED");
    }

    /**
     * Chooses the transport for {@code requested} (the value of {@link #PROPERTY}):
     * unset, empty or {@code auto} means io_uring when task bodies are
     * carried and io_uring runs here, else epoll when it loads, else NIO;
     * {@code epoll} and {@code io_uring} fall back to that automatic choice,
     * with a note, when they cannot run here; {@code nio} is always NIO.
     *
     * <p>Why io_uring only when carried: a carried loop hands its tasks'
     * writes to Netty at each poll, and io_uring submits a whole iteration's
     * writes and reads in one system call (echo: about 2.7x epoll's round
     * trips here, bench/README.md); with task bodies on the default
     * scheduler a write is a system call of its own on any transport, and
     * epoll is the better-trodden path. {@link #isAvailable()} sets a ring up
     * to probe, so a kernel or container that forbids io_uring (seccomp)
     * gets epoll, silently, as {@code auto} means.
     *
     * @param carried whether the loop's task bodies run on its event loop's thread
     * @throws IllegalArgumentException if {@code requested} names no transport
     */
    static Choice choose(String requested, boolean carried) {
        String r = requested == null ? "" : requested.trim().toLowerCase(Locale.ROOT);
        Transport auto = carried && IO_URING.isAvailable() ? IO_URING : EPOLL.isAvailable() ? EPOLL : NIO;
        return switch (r) {
            case "", "auto" -> new Choice(auto, null);
            case "nio" -> new Choice(NIO, null);
            case "epoll" -> EPOLL.isAvailable()
                    ? new Choice(EPOLL, null)
                    : new Choice(auto, "epoll is unavailable (" + EPOLL.unavailabilityCause() + ")");
            case "io_uring", "iouring", "io-uring" -> IO_URING.isAvailable()
                    ? new Choice(IO_URING, null)
                    : new Choice(auto, "io_uring is unavailable (" + IO_URING.unavailabilityCause() + ")");
            default -> throw new IllegalArgumentException("-D" + PROPERTY + "=" + requested
                    + " names no Netty transport; use epoll, nio, io_uring or auto");
        };
    }
}
