package dev.aio4j.netty;

import static dev.aio4j.netty.LoopRuns.TIMEOUT;
import static dev.aio4j.netty.LoopRuns.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.aio4j.AsyncIO;
import dev.aio4j.Future;
import dev.aio4j.Loop;
import dev.aio4j.LoopOptions;
import dev.aio4j.Loops;
import dev.aio4j.Task;
import dev.aio4j.spi.Capability;
import dev.aio4j.engine.VirtualThreadCarrier;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.IoEventLoop;
import io.netty.channel.epoll.Epoll;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The netty backend's own machinery: transport choice, Netty I/O on the loop, wake-ups. */
class NettyLoopTest {

    private final List<Loop> loops = new ArrayList<>();
    private final ConcurrentLinkedQueue<Throwable> flops = new ConcurrentLinkedQueue<>();

    @AfterEach
    void closeLoops() {
        for (Loop l : loops) {
            if (!l.isRunning()) {
                l.close();
            }
        }
        Throwable t = flops.peek();
        if (t != null) {
            throw new AssertionError("failure on another thread: " + t, t);
        }
    }

    static Stream<NettyMode> availableTransports() {
        return NettyMode.available();
    }

    private Loop open(NettyMode t) {
        Loop l = t.open("netty-test");
        loops.add(l);
        return l;
    }

    /** A loop future completed by a Netty future; its listener must run in the loop. */
    private <V> Future<V> adapt(Loop loop, io.netty.util.concurrent.Future<V> nf) {
        Future<V> f = loop.createFuture();
        nf.addListener(x -> {
            if (!loop.inLoop()) {
                flops.add(new AssertionError("a Netty listener ran outside the loop strand: " + Thread.currentThread()));
            }
            if (x.isSuccess()) {
                f.setResult(nf.getNow());
            } else {
                f.setException(x.cause());
            }
        });
        return f;
    }

    // ------------------------------------------------------------------ transport choice

    @Test
    void transportChoice_defaultIsIoUringWhenCarriedElseEpollElseNio() {
        Transport plain = Epoll.isAvailable() ? Transport.EPOLL : Transport.NIO;
        Transport carried = Transport.IO_URING.isAvailable() ? Transport.IO_URING : plain;
        for (String auto : new String[] {null, "", "AUTO"}) {
            assertSame(plain, Transport.choose(auto, false).transport(), "auto, default scheduler");
            assertSame(carried, Transport.choose(auto, true).transport(), "auto, carried");
            assertNull(Transport.choose(auto, true).fallbackNote());
        }
    }

    @Test
    void transportChoice_honoursExplicitRequests() {
        assertSame(Transport.NIO, Transport.choose("nio", true).transport());
        if (Epoll.isAvailable()) {
            assertSame(Transport.EPOLL, Transport.choose("epoll", true).transport());
        }
        Transport.Choice uring = Transport.choose("io_uring", false);
        if (Transport.IO_URING.isAvailable()) {
            assertSame(Transport.IO_URING, uring.transport());
            assertNull(uring.fallbackNote());
        } else {
            assertSame(Transport.choose(null, false).transport(), uring.transport());
            assertTrue(uring.fallbackNote().contains("io_uring is unavailable"), uring.fallbackNote());
        }
    }

    @Test
    void transportChoice_rejectsUnknownNamesNamingTheProperty() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Transport.choose("kqueue", true));
        assertTrue(e.getMessage().contains("aio4j.netty.transport") && e.getMessage().contains("kqueue"), e.getMessage());
    }

    @Test
    void transportIsVisibleInToStringAndProvider() {
        Loop loop = Loops.open("netty");
        loops.add(loop);
        String id = NettyLoopProvider.transport();
        assertEquals(Transport.choose(System.getProperty(Transport.PROPERTY), NettyMode.standard().carried())
                .transport().id, id);
        assertTrue(loop.toString().contains(id), "toString() must name the transport: " + loop);
        assertEquals("netty", loop.backendName());
        assertTrue(NettyLoopProvider.eventLoop(loop).isIoType(switch (id) {
            case "epoll" -> io.netty.channel.epoll.EpollIoHandler.class;
            case "io_uring" -> io.netty.channel.uring.IoUringIoHandler.class;
            default -> io.netty.channel.nio.NioIoHandler.class;
        }), "the event loop runs another transport than " + id);
    }

    // ------------------------------------------------------------------ Netty I/O on the loop

    /** A Netty echo server and client on the loop's event loop; the reply completes a loop future. */
    @ParameterizedTest
    @MethodSource("availableTransports")
    void nettyChannelsOnTheEventLoopAreTheLoopsIo(NettyMode t) throws Exception {
        Loop loop = open(t);
        String reply = run(loop, () -> echo(loop, t.transport(), "hello, " + t.id()));
        assertEquals("hello, " + t.id(), reply);
    }

    /** Tasks that keep the baton among themselves still let the loop strand poll I/O (ioPollDue). */
    @ParameterizedTest
    @MethodSource("availableTransports")
    void ioIsPolledWhileTasksKeepTheLoopBusy(NettyMode t) throws Exception {
        Loop loop = open(t);
        String reply = run(loop, () -> {
            AtomicBoolean done = new AtomicBoolean();
            Task<Void> spinner = loop.createTask(() -> {
                while (!done.get()) {
                    AsyncIO.sleep0(); // the ready queue is never empty: the loop strand never idles
                }
                return null;
            });
            try {
                return echo(loop, t.transport(), "busy");
            } finally {
                done.set(true);
                spinner.await();
            }
        });
        assertEquals("busy", reply);
    }

    private String echo(Loop loop, Transport t, String message) {
        IoEventLoop el = NettyLoopProvider.eventLoop(loop);
        Future<String> received = loop.createFuture();
        StringBuilder got = new StringBuilder();
        ServerBootstrap sb = new ServerBootstrap().group(el)
                .channelFactory((io.netty.channel.ChannelFactory<io.netty.channel.ServerChannel>) t::newServerChannel)
                .childHandler(new ChannelInboundHandlerAdapter() {
                    @Override
                    public void channelRead(ChannelHandlerContext ctx, Object msg) {
                        ctx.writeAndFlush(msg);
                    }
                });
        ChannelFuture bound = sb.bind(InetAddress.getLoopbackAddress(), 0);
        adapt(loop, bound).await();
        Channel server = bound.channel();
        Bootstrap b = new Bootstrap().group(el)
                .channelFactory((io.netty.channel.ChannelFactory<io.netty.channel.socket.SocketChannel>) t::newSocketChannel)
                .handler(new ChannelInboundHandlerAdapter() {
                    @Override
                    public void channelRead(ChannelHandlerContext ctx, Object msg) {
                        ByteBuf buf = (ByteBuf) msg;
                        try {
                            if (!loop.inLoop()) {
                                flops.add(new AssertionError("channelRead ran outside the loop: " + Thread.currentThread()));
                            }
                            got.append(buf.toString(StandardCharsets.UTF_8));
                            if (got.length() >= message.length() && !received.isDone()) {
                                received.setResult(got.toString());
                            }
                        } finally {
                            buf.release();
                        }
                    }
                });
        ChannelFuture connected = b.connect(server.localAddress());
        adapt(loop, connected).await();
        Channel client = connected.channel();
        adapt(loop, client.writeAndFlush(Unpooled.copiedBuffer(message, StandardCharsets.UTF_8))).await();
        String r = received.await();
        adapt(loop, client.close()).await();
        adapt(loop, server.close()).await();
        return r;
    }

    // ------------------------------------------------------------------ wake-ups

    /**
     * callSoonThreadsafe from another thread, issued exactly while the loop
     * strand is about to block (or blocks) in Netty, wakes it; 200 times, with
     * and without a timer bounding the wait.
     */
    @ParameterizedTest
    @MethodSource("availableTransports")
    void callSoonThreadsafeWakesTheIdleLoop(NettyMode t) throws Exception {
        Loop loop = open(t);
        int rounds = run(loop, () -> {
            int n = 0;
            for (int i = 0; i < 200; i++) {
                Future<Integer> f = loop.createFuture();
                if (i % 2 == 0) {
                    loop.callLater(Duration.ofHours(1), () -> {}); // a finite but long wait
                }
                int value = i;
                Thread.ofPlatform().daemon().start(() -> {
                    long deadline = System.nanoTime() + TIMEOUT.toNanos();
                    while (!NettyLoopProvider.driver(loop).isAwaitingWork()) {
                        if (System.nanoTime() > deadline) {
                            flops.add(new AssertionError("the loop never went idle"));
                            return;
                        }
                        Thread.onSpinWait();
                    }
                    loop.callSoonThreadsafe(() -> f.setResult(value));
                });
                assertEquals(value, f.await());
                n++;
            }
            return n;
        });
        assertEquals(200, rounds);
    }

    /**
     * A callSoonThreadsafe that lands after the engine found its inbox empty
     * but before Netty announced it will block (so Netty's own wakeup() sees
     * nothing to interrupt) still wakes the loop: the blocking check re-reads
     * the wake-up request. Without that, the loop would block forever here.
     */
    @ParameterizedTest
    @MethodSource("availableTransports")
    void wakeupJustBeforeNettyBlocksIsNotLost(NettyMode t) throws Exception {
        Loop loop = open(t);
        int rounds = run(loop, () -> {
            int n = 0;
            for (int i = 0; i < 20; i++) {
                Future<Integer> f = loop.createFuture();
                int value = i;
                NettyLoopProvider.driver(loop).beforeNextBlockCheck(() -> {
                    Thread other = Thread.ofPlatform().start(() -> loop.callSoonThreadsafe(() -> f.setResult(value)));
                    try {
                        other.join();
                    } catch (InterruptedException e) {
                        flops.add(e);
                    }
                });
                assertEquals(value, f.await());
                n++;
            }
            return n;
        });
        assertEquals(20, rounds);
    }

    /** The loop's owner thread ends on close(), and a closed loop gives no event loop. */
    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void closeEndsTheOwnerThread(boolean carried) throws Exception {
        assumeTrue(!carried || VirtualThreadCarrier.unavailabilityCause().isEmpty(), "needs --add-opens");
        Loop loop = new NettyMode(Transport.choose(null, carried).transport(), carried).open("closing");
        loops.add(loop);
        Thread owner = run(loop, () -> {
            Future<Thread> f = loop.createFuture();
            NettyLoopProvider.driver(loop).ioEventLoop().execute(() -> f.setResult(Thread.currentThread())); // Netty tasks run on the owner
            return f.await();
        });
        // Carried, the owner is the loop strand (a virtual thread); else a platform thread of the loop's own.
        assertTrue(owner.getName().startsWith(carried ? "aio4j-loop-closing" : "aio4j-netty-closing-"),
                "Netty tasks ran on " + owner);
        assertEquals(carried, owner.isVirtual(), "owner " + owner);
        assertTrue(owner != null, "no owner thread found while the loop is open");
        loop.close();
        owner.join(TIMEOUT.toMillis());
        assertTrue(!owner.isAlive(), "the owner thread still runs after close()");
        IllegalStateException e = assertThrows(IllegalStateException.class, NettyLoopProvider.driver(loop)::ioEventLoop);
        assertTrue(e.getMessage().contains("closed"), e.getMessage());
    }

    // ------------------------------------------------------------------ where task bodies run

    @Test
    void taskThreadsChoice_rejectsUnknownValuesNamingTheProperty() {
        NettyLoopProvider p = new NettyLoopProvider("fibers");
        UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class,
                () -> p.open(LoopOptions.defaults()));
        assertTrue(e.getMessage().contains("aio4j.netty.taskThreads=fibers")
                && e.getMessage().contains("auto, loop or default"), e.getMessage());
        assertTrue(p.unavailabilityCause().orElseThrow().contains("aio4j.netty.taskThreads"));
    }

    /** Capabilities follow the mode: only carried task threads detach in a blocking call. */
    @Test
    void taskThreadsChoice_capabilitiesFollowTheMode() {
        assertFalse(new NettyLoopProvider("default").capabilities().contains(Capability.BLOCKING_CALLS_YIELD));
        assertTrue(new NettyLoopProvider("default").design().contains("default scheduler"));
        if (VirtualThreadCarrier.unavailabilityCause().isEmpty()) {
            assertTrue(new NettyLoopProvider("loop").capabilities().contains(Capability.BLOCKING_CALLS_YIELD));
            assertTrue(new NettyLoopProvider("auto").capabilities().contains(Capability.BLOCKING_CALLS_YIELD));
        } else {
            UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class,
                    () -> new NettyLoopProvider("loop").open(LoopOptions.defaults()));
            assertTrue(e.getMessage().contains("--add-opens java.base/java.lang="), e.getMessage());
        }
    }

    /**
     * Carried, a task body runs on the loop's platform thread (the carrier),
     * the thread Netty's handlers run on too: no switch crosses threads.
     */
    @Test
    void carriedTaskBodiesRunOnTheLoopsThread() throws Exception {
        assumeTrue(VirtualThreadCarrier.unavailabilityCause().isEmpty(), "needs --add-opens");
        Loop loop = new NettyMode(Transport.choose(null, true).transport(), true).open("carried");
        loops.add(loop);
        String carriers = run(loop, () -> {
            Future<String> netty = loop.createFuture();
            NettyLoopProvider.driver(loop).ioEventLoop().execute(() -> netty.setResult(carrierName()));
            String inNetty = netty.await();
            String inTask = loop.createTask(() -> {
                AsyncIO.sleep(0);
                return carrierName();
            }).await();
            return inNetty + "|" + inTask + "|" + carrierName();
        });
        String[] parts = carriers.split("\\|");
        assertTrue(parts[0].startsWith("aio4j-netty-carried-"), "Netty's handler: " + carriers);
        assertEquals(parts[0], parts[1], "a task body: " + carriers);
        assertEquals(parts[0], parts[2], "the main task: " + carriers);
    }

    /** The name of the platform thread running the caller (its carrier when virtual), from its toString. */
    private static String carrierName() {
        String s = Thread.currentThread().toString(); // VirtualThread[#22,name]/runnable@carrier-name
        int at = s.lastIndexOf('@');
        return Thread.currentThread().isVirtual() && at >= 0 ? s.substring(at + 1) : Thread.currentThread().getName();
    }

    @Test
    void eventLoopRejectsLoopsOfOtherBackends() {
        Loop other = (Loop) java.lang.reflect.Proxy.newProxyInstance(Loop.class.getClassLoader(),
                new Class<?>[] {Loop.class}, (proxy, m, args) -> m.getName().equals("toString") ? "otherLoop" : null);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> NettyLoopProvider.eventLoop(other));
        assertTrue(e.getMessage().contains("not a loop of the netty backend"), e.getMessage());
    }
}
