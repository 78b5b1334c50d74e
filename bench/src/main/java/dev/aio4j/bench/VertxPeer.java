package dev.aio4j.bench;

import io.vertx.core.Context;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Promise;
import io.vertx.core.ThreadingModel;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Peer: Vert.x 5 with the virtual-thread threading model, whose
 * {@code Future.await()} suspends a virtual thread while its context runs
 * others one at a time, the closest thing on the JVM to aio4j's model.
 * pingpong exchanges fresh {@link Promise}s; timers uses {@code setTimer}
 * (whose delay is whole milliseconds, at least 1).
 */
public final class VertxPeer implements Subject {
    private final Vertx vertx;
    private final Context context;

    public VertxPeer() {
        vertx = Vertx.vertx(new VertxOptions().setPreferNativeTransport(true));
        CompletableFuture<Context> ctx = new CompletableFuture<>();
        vertx.deployVerticle(new VerticleBase() {
            @Override
            public io.vertx.core.Future<?> start() {
                ctx.complete(context);
                return io.vertx.core.Future.succeededFuture();
            }
        }, new DeploymentOptions().setThreadingModel(ThreadingModel.VIRTUAL_THREAD))
                .toCompletionStage().toCompletableFuture().join();
        context = ctx.join();
    }

    @Override
    public String name() {
        return "peer:vertx-virtual-threads";
    }

    @Override
    public boolean isBackend() {
        return false;
    }

    @Override
    public Optional<String> skipReason(Workload w) {
        return w == Workload.PINGPONG || w == Workload.TIMERS ? Optional.empty()
                : Optional.of("not written for this peer");
    }

    private record Msg(int value, Promise<Msg> replyTo) {}

    @Override
    public long run(Workload w, int n) {
        CompletableFuture<Integer> done = new CompletableFuture<>();
        if (w == Workload.PINGPONG) {
            Promise<Msg> firstInbox = Promise.promise();
            context.runOnContext(x -> {
                Promise<Msg> inbox = firstInbox;
                for (int i = 0; i < n; i++) {
                    Msg m = inbox.future().await();
                    inbox = Promise.promise();
                    m.replyTo().complete(new Msg(m.value() + 1, inbox));
                }
            });
            context.runOnContext(x -> {
                Promise<Msg> toB = firstInbox;
                int v = 0;
                for (int i = 0; i < n; i++) {
                    Promise<Msg> mine = Promise.promise();
                    toB.complete(new Msg(v, mine));
                    Msg answer = mine.future().await();
                    v = answer.value();
                    toB = answer.replyTo();
                }
                done.complete(v);
            });
        } else if (w == Workload.TIMERS) {
            context.runOnContext(x -> {
                Promise<Integer> all = Promise.promise();
                int[] fired = {0};
                SplittableRandom random = new SplittableRandom(42);
                for (int i = 0; i < n; i++) {
                    long ms = Math.max(1, TimeUnit.NANOSECONDS.toMillis(random.nextLong(50_000_000L)));
                    vertx.setTimer(ms, id -> {
                        if (++fired[0] == n) {
                            all.complete(fired[0]);
                        }
                    });
                }
                done.complete(all.future().await());
            });
        } else {
            throw new UnsupportedOperationException(w.id());
        }
        int count = done.orTimeout(60, TimeUnit.SECONDS).join();
        LoopWorkloads.check(count == n, w.id() + " counted " + count + ", expected " + n);
        return n;
    }

    @Override
    public void close() {
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }
}
