package dev.aio4j;

import dev.aio4j.spi.CurrentLoop;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;

/**
 * The static entry points of asyncio's module level: run a program, sleep,
 * find the running loop and task. Everything here except {@link #run} MUST be
 * called on a running loop; the await points ({@code sleep}, {@code sleep0})
 * only inside a task.
 */
public final class AsyncIO {
    private AsyncIO() {}

    /**
     * Runs {@code main} on a new loop of the chosen backend ({@link Loops#open()})
     * and returns its result: asyncio.run. Then cancels every task still pending
     * and waits for their cleanup, reports what failed, shuts the default
     * executor down and closes the loop, also when {@code main} failed.
     *
     * @throws IllegalStateException if called from a running loop
     */
    public static <T> T run(Coroutine<T> main) {
        Objects.requireNonNull(main, "main");
        if (CurrentLoop.loop() != null) {
            throw new IllegalStateException("AsyncIO.run() cannot be called from a running event loop");
        }
        return run(Loops.open(), main);
    }

    /** As {@link #run(Coroutine)} on a given loop, which it closes. */
    public static <T> T run(Loop loop, Coroutine<T> main) {
        Objects.requireNonNull(loop, "loop");
        Objects.requireNonNull(main, "main");
        try {
            return loop.runUntilComplete(main);
        } finally {
            try {
                cancelAllTasks(loop);
                loop.runUntilComplete(loop.shutdownDefaultExecutor());
            } finally {
                loop.close();
            }
        }
    }

    private static void cancelAllTasks(Loop loop) {
        Set<Task<?>> left = loop.allTasks();
        if (left.isEmpty()) {
            return;
        }
        for (Task<?> t : left) {
            t.cancel();
        }
        loop.runUntilComplete(() -> {
            for (Task<?> t : left) {
                try {
                    t.await();
                } catch (java.util.concurrent.CancellationException expected) {
                    // cancelled as asked
                } catch (Throwable e) {
                    loop.callExceptionHandler(new ErrorContext("unhandled exception during AsyncIO.run() shutdown", e, t, null));
                }
            }
            return null;
        });
    }

    /** The loop running in this thread. @throws IllegalStateException if none */
    public static Loop currentLoop() {
        Loop l = CurrentLoop.loop();
        if (l == null) {
            throw new IllegalStateException("no running event loop in " + Thread.currentThread());
        }
        return l;
    }

    /** The task running now, if any (empty in a callback or outside a loop). */
    public static Optional<Task<?>> currentTask() {
        CurrentLoop.Binding b = CurrentLoop.binding();
        return Optional.ofNullable(b != null ? b.runningTask() : null);
    }

    /** The running loop's tasks that are not done. */
    public static Set<Task<?>> allTasks() {
        return currentLoop().allTasks();
    }

    /** {@code currentLoop().createTask(coroutine)}. */
    public static <T> Task<T> createTask(Coroutine<T> coroutine) {
        return currentLoop().createTask(coroutine);
    }

    /**
     * Suspends the calling task for {@code delay} (a timer of the loop); zero
     * or negative delays yield one iteration, as {@link #sleep0()}.
     *
     * @throws NullPointerException if {@code delay} is null
     * @throws IllegalStateException outside a task
     * @throws java.util.concurrent.CancellationException if the task is cancelled meanwhile
     */
    public static void sleep(Duration delay) {
        Objects.requireNonNull(delay, "delay");
        if (delay.isZero() || delay.isNegative()) {
            sleep0();
            return;
        }
        Loop loop = currentLoop();
        Future<Void> f = loop.createFuture();
        TimerHandle h = loop.callLater(delay, () -> {
            if (!f.isDone()) {
                f.setResult(null);
            }
        });
        try {
            f.await();
        } finally {
            h.cancel();
        }
    }

    /** {@code sleep(Duration.ofMillis(millis))}. */
    public static void sleep(long millis) {
        sleep(Duration.ofMillis(millis));
    }

    /**
     * Yields to the loop for exactly one iteration: asyncio's {@code sleep(0)}.
     * Two tasks looping on it alternate strictly.
     */
    public static void sleep0() {
        CurrentLoop.Binding b = CurrentLoop.binding();
        if (b == null) {
            throw new IllegalStateException("sleep(0) outside a task: no loop runs in " + Thread.currentThread());
        }
        b.yieldTask();
    }

    /** {@code currentLoop().toThread(job)}: runs blocking work on the default executor. */
    public static <T> Future<T> toThread(Callable<T> job) {
        return currentLoop().toThread(job);
    }
}
