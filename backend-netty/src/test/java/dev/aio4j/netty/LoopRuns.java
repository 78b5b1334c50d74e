package dev.aio4j.netty;

import dev.aio4j.Coroutine;
import dev.aio4j.Loop;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Running a loop in this module's tests without ever hanging the build. */
final class LoopRuns {
    /** How long a test waits for a loop; scales with {@code -Daio4j.tck.timeoutScale}, as the TCK's timeouts do. */
    static final Duration TIMEOUT = Duration.ofSeconds(20L * Integer.getInteger("aio4j.tck.timeoutScale", 1));

    private LoopRuns() {}

    /**
     * Runs {@code main} on {@code loop} with {@code runUntilComplete}, called
     * from a fresh platform thread; rethrows what it threw. After
     * {@link #TIMEOUT} it fails with the stacks of the loops' platform threads
     * instead of hanging.
     */
    static <T> T run(Loop loop, Coroutine<T> main) throws Exception {
        CompletableFuture<T> done = new CompletableFuture<>();
        Thread.ofPlatform().daemon().name("netty-test-caller").start(() -> {
            try {
                done.complete(loop.runUntilComplete(main));
            } catch (Throwable e) {
                done.completeExceptionally(e);
            }
        });
        try {
            return done.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            StringBuilder sb = new StringBuilder();
            Thread.getAllStackTraces().forEach((th, st) -> {
                if (th.getName().startsWith("aio4j-netty-")) {
                    sb.append('\n').append(th).append(':');
                    for (StackTraceElement el : st) {
                        sb.append("\n\tat ").append(el);
                    }
                }
            });
            throw new AssertionError("loop " + loop + " did not finish within " + TIMEOUT + sb);
        } catch (ExecutionException e) {
            throw (e.getCause() instanceof Exception x) ? x : new RuntimeException(e.getCause());
        }
    }
}
