package dev.aio4j.bench;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Peer: {@link CompletableFuture} chains whose continuations run on a
 * single-thread executor standing in for the loop (so they run one at a time,
 * as on a loop), with blocking jobs on a pool sized like asyncio's default
 * executor ({@code min(32, cpus + 4)}).
 */
public final class CompletableFuturePeer implements Subject {
    private static final Supplier<Integer> ONE = () -> 1;
    private final ExecutorService loop = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "cf-loop");
        t.setDaemon(true);
        return t;
    });
    private final ThreadPoolExecutor pool;

    public CompletableFuturePeer() {
        int size = Math.min(32, Runtime.getRuntime().availableProcessors() + 4);
        pool = new ThreadPoolExecutor(size, size, 60, TimeUnit.SECONDS, new LinkedBlockingQueue<>());
    }

    @Override
    public String name() {
        return "peer:completablefuture";
    }

    @Override
    public boolean isBackend() {
        return false;
    }

    @Override
    public Optional<String> skipReason(Workload w) {
        return switch (w) {
            case PINGPONG, TASKS, EXECUTOR -> Optional.empty();
            default -> Optional.of("not expressible as CompletableFuture chains");
        };
    }

    @Override
    public long run(Workload w, int n) {
        long result = switch (w) {
            case PINGPONG -> pingpong(n);
            case TASKS -> gather(n, ONE, false);
            case EXECUTOR -> gather(n, ONE, true);
            default -> throw new UnsupportedOperationException(w.id());
        };
        LoopWorkloads.check(result == n, w.id() + " gave " + result + ", expected " + n);
        return n;
    }

    /** Each hop completes a fresh future whose continuation runs on the loop executor. */
    private long pingpong(int n) {
        CompletableFuture<Integer> done = new CompletableFuture<>();
        class Side {
            void ping(int v) {
                if (v == n) {
                    done.complete(v);
                    return;
                }
                CompletableFuture<Integer> toB = new CompletableFuture<>();
                toB.thenAcceptAsync(this::pong, loop);
                toB.complete(v);
            }

            void pong(int v) {
                CompletableFuture<Integer> toA = new CompletableFuture<>();
                toA.thenAcceptAsync(this::ping, loop);
                toA.complete(v + 1);
            }
        }
        loop.execute(() -> new Side().ping(0));
        return done.join();
    }

    /** N futures started from the loop (on it, or on the pool and back), then all joined. */
    private long gather(int n, Supplier<Integer> job, boolean onPool) {
        return CompletableFuture.supplyAsync(() -> {
            @SuppressWarnings("unchecked")
            CompletableFuture<Integer>[] fs = new CompletableFuture[n];
            for (int i = 0; i < n; i++) {
                fs[i] = onPool ? CompletableFuture.supplyAsync(job, pool).thenApplyAsync(x -> x, loop)
                        : CompletableFuture.supplyAsync(job, loop);
            }
            return CompletableFuture.allOf(fs).thenApply(v -> {
                long s = 0;
                for (CompletableFuture<Integer> f : fs) {
                    s += f.join();
                }
                return s;
            });
        }, loop).thenCompose(x -> x).join();
    }

    @Override
    public void close() {
        loop.shutdownNow();
        pool.shutdownNow();
    }
}
