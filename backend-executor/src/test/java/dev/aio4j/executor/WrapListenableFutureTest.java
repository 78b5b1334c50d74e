package dev.aio4j.executor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.util.concurrent.ListenableFuture;
import com.google.common.util.concurrent.SettableFuture;
import dev.aio4j.Future;
import dev.aio4j.Loop;
import dev.aio4j.LoopOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Loop.wrapFuture of a Guava {@link ListenableFuture}, which the engine follows
 * through {@code addListener} (reached reflectively: api has no Guava). Kept
 * out of the TCK, which must not depend on Guava (SPEC X12 covers plain
 * {@code java.util.concurrent.Future}s there).
 */
class WrapListenableFutureTest {

    /** Runs {@code loop} until {@code main} is done, failing after 10 s instead of hanging. */
    private static <T> T run(Loop loop, dev.aio4j.Coroutine<T> main) throws Exception {
        return CompletableFuture.supplyAsync(() -> loop.runUntilComplete(main), r -> Thread.ofPlatform().daemon().start(r))
                .get(10, TimeUnit.SECONDS);
    }

    @Test
    void mirrorsResultExceptionAndCancellationOnTheLoop() throws Exception {
        try (Loop loop = new ExecutorLoopProvider().open(LoopOptions.defaults().withName("guava"))) {
            SettableFuture<String> ok = SettableFuture.create();
            SettableFuture<String> failed = SettableFuture.create();
            SettableFuture<String> toCancel = SettableFuture.create();
            IllegalStateException boom = new IllegalStateException("boom");
            List<Object> seen = run(loop, () -> {
                List<Object> out = new ArrayList<>();
                Future<String> a = loop.wrapFuture((ListenableFuture<String>) ok);
                a.addDoneCallback(x -> out.add("callback inLoop=" + loop.inLoop()));
                Thread.ofPlatform().daemon().start(() -> {
                    ok.set("value");
                    failed.setException(boom);
                });
                out.add(a.await());
                try {
                    loop.wrapFuture((ListenableFuture<String>) failed).await();
                    out.add("no exception");
                } catch (Throwable t) {
                    out.add(t);
                }
                Future<String> c = loop.wrapFuture((ListenableFuture<String>) toCancel);
                c.cancel();
                dev.aio4j.AsyncIO.sleep0(); // the cancellation reaches the Guava future in a done callback
                out.add("guava cancelled=" + toCancel.isCancelled());
                return out;
            });
            assertEquals("callback inLoop=true", seen.get(0), "done callbacks of a wrapped ListenableFuture must run on the loop");
            assertEquals("value", seen.get(1), "a wrapped ListenableFuture's result must reach the awaiter");
            assertSame(boom, seen.get(2), "a wrapped ListenableFuture's exception must reach the awaiter unwrapped");
            assertEquals("guava cancelled=true", seen.get(3), "cancelling the loop future must cancel the ListenableFuture");
        }
    }

    @Test
    void guavaCancellationCancelsTheLoopFuture() throws Exception {
        try (Loop loop = new ExecutorLoopProvider().open(LoopOptions.defaults().withName("guava"))) {
            SettableFuture<String> source = SettableFuture.create();
            boolean cancelled = run(loop, () -> {
                Future<String> f = loop.wrapFuture((ListenableFuture<String>) source);
                Thread.ofPlatform().daemon().start(() -> source.cancel(false));
                try {
                    f.await();
                    return false;
                } catch (dev.aio4j.CancelledError e) {
                    return f.isCancelled();
                }
            });
            assertTrue(cancelled, "cancelling a ListenableFuture must cancel the loop future wrapping it");
        }
    }
}
