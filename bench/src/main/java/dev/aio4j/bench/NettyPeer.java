package dev.aio4j.bench;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.channel.uring.IoUring;
import io.netty.channel.uring.IoUringIoHandler;
import io.netty.channel.uring.IoUringServerSocketChannel;
import io.netty.channel.uring.IoUringSocketChannel;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Peer: a bare Netty 4.2 event loop (one thread, the best native transport
 * available), on the workloads it can express without tasks: callsoon
 * ({@code execute} from inside the loop), timers ({@code schedule}) and echo
 * (a server and 50 clients as channel handlers on the same one-thread loop:
 * the ceiling of a single event loop on this machine, since no task, no
 * stream parsing and no copy stands between the socket and the handler).
 * For echo_group, the same echo on an event-loop group of one thread per
 * available processor, as a Netty server is usually written: the server
 * channel and its connections on the group (each connection on the next
 * thread in turn), and the client channels likewise spread over it.
 *
 * <p>One workload at a time, from one thread (as every {@link Subject}).
 */
public final class NettyPeer implements Subject {
    private final MultiThreadIoEventLoopGroup group;
    private final EventLoop loop;
    private MultiThreadIoEventLoopGroup wide; // echo_group's, opened by its first run

    public NettyPeer() {
        group = new MultiThreadIoEventLoopGroup(1, factory());
        loop = group.next();
    }

    /** The transport Netty uses here: io_uring, else epoll, else NIO. */
    public static String transport() {
        try {
            if (IoUring.isAvailable()) {
                return "io_uring";
            }
            if (Epoll.isAvailable()) {
                return "epoll";
            }
        } catch (Throwable e) {
            // native transport classes not loadable: NIO
        }
        return "nio";
    }

    private static IoHandlerFactory factory() {
        return switch (transport()) {
            case "io_uring" -> IoUringIoHandler.newFactory();
            case "epoll" -> EpollIoHandler.newFactory();
            default -> NioIoHandler.newFactory();
        };
    }

    @Override
    public String name() {
        return "peer:netty-eventloop";
    }

    @Override
    public boolean isBackend() {
        return false;
    }

    @Override
    public Optional<String> skipReason(Workload w) {
        return w == Workload.CALLSOON || w == Workload.TIMERS || w == Workload.ECHO || w == Workload.ECHO_GROUP
                ? Optional.empty()
                : Optional.of("a bare event loop has no tasks");
    }

    @Override
    public long run(Workload w, int n) throws Exception {
        if (w == Workload.ECHO) {
            return echo(loop, n);
        }
        if (w == Workload.ECHO_GROUP) {
            if (wide == null) {
                wide = new MultiThreadIoEventLoopGroup(Workload.groupSize(), factory());
            }
            return echo(wide, n);
        }
        CompletableFuture<Integer> done = new CompletableFuture<>();
        int[] ran = {0};
        Runnable cb = () -> {
            if (++ran[0] == n) {
                done.complete(ran[0]);
            }
        };
        loop.execute(() -> {
            if (w == Workload.CALLSOON) {
                for (int i = 0; i < n; i++) {
                    loop.execute(cb);
                }
            } else {
                SplittableRandom random = new SplittableRandom(42);
                for (int i = 0; i < n; i++) {
                    loop.schedule(cb, random.nextLong(50_000_000L), TimeUnit.NANOSECONDS);
                }
            }
        });
        int count = done.join();
        LoopWorkloads.check(count == n, w.id() + " ran " + count + " of " + n);
        return n;
    }

    /**
     * Echo with raw handlers on {@code threads} (one loop, or a group): the server writes back
     * what it reads; each client counts 64-byte replies.
     */
    private static long echo(EventLoopGroup threads, int n) throws Exception {
        int lines = n / Workload.ECHO_CLIENTS;
        Class<? extends ServerChannel> serverType = switch (transport()) {
            case "io_uring" -> IoUringServerSocketChannel.class;
            case "epoll" -> EpollServerSocketChannel.class;
            default -> NioServerSocketChannel.class;
        };
        Class<? extends Channel> clientType = switch (transport()) {
            case "io_uring" -> IoUringSocketChannel.class;
            case "epoll" -> EpollSocketChannel.class;
            default -> NioSocketChannel.class;
        };
        Channel server = new ServerBootstrap().group(threads).channel(serverType)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(EchoBack.INSTANCE)
                .bind(InetAddress.getLoopbackAddress(), 0).sync().channel();
        int port = ((InetSocketAddress) server.localAddress()).getPort();
        CountDownLatch done = new CountDownLatch(Workload.ECHO_CLIENTS);
        AtomicInteger roundTrips = new AtomicInteger();
        for (int c = 0; c < Workload.ECHO_CLIENTS; c++) {
            new Bootstrap().group(threads).channel(clientType).option(ChannelOption.TCP_NODELAY, true)
                    .handler(new ChannelInboundHandlerAdapter() {
                        private int received;
                        private int left = lines;

                        @Override
                        public void channelActive(ChannelHandlerContext ctx) {
                            ctx.writeAndFlush(Unpooled.wrappedBuffer(Workload.ECHO_LINE));
                        }

                        @Override
                        public void channelRead(ChannelHandlerContext ctx, Object msg) {
                            ByteBuf b = (ByteBuf) msg;
                            received += b.readableBytes();
                            b.release();
                            while (received >= Workload.ECHO_LINE.length) {
                                received -= Workload.ECHO_LINE.length;
                                roundTrips.incrementAndGet();
                                if (--left == 0) {
                                    ctx.close();
                                    done.countDown();
                                    return;
                                }
                                ctx.writeAndFlush(Unpooled.wrappedBuffer(Workload.ECHO_LINE));
                            }
                        }
                    })
                    .connect(InetAddress.getLoopbackAddress(), port);
        }
        done.await();
        server.close().sync();
        LoopWorkloads.check(roundTrips.get() == lines * Workload.ECHO_CLIENTS, "echo did " + roundTrips + " round trips");
        return roundTrips.get();
    }

    /** The server side of echo: every read goes straight back. */
    @ChannelHandler.Sharable
    private static final class EchoBack extends ChannelInboundHandlerAdapter {
        static final EchoBack INSTANCE = new EchoBack();

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ctx.writeAndFlush(msg);
        }
    }

    @Override
    public void close() {
        if (wide != null) {
            wide.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
