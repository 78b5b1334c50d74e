package dev.aio4j.bench;

import io.netty.channel.EventLoop;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.uring.IoUring;
import io.netty.channel.uring.IoUringIoHandler;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Peer: a bare Netty 4.2 event loop (one thread, the best native transport
 * available), on the workloads it can express without tasks: callsoon
 * ({@code execute} from inside the loop) and timers ({@code schedule}).
 */
public final class NettyPeer implements Subject {
    private final MultiThreadIoEventLoopGroup group;
    private final EventLoop loop;

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
        return w == Workload.CALLSOON || w == Workload.TIMERS ? Optional.empty()
                : Optional.of("a bare event loop has no tasks");
    }

    @Override
    public long run(Workload w, int n) {
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

    @Override
    public void close() {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
