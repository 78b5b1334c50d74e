package dev.aio4j.tck;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.aio4j.Coroutine;
import dev.aio4j.ErrorContext;
import dev.aio4j.Future;
import dev.aio4j.Loop;
import dev.aio4j.LoopOptions;
import dev.aio4j.VirtualTicker;
import dev.aio4j.spi.Capability;
import dev.aio4j.spi.LoopProvider;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The base of every verification class: a backend author supplies
 * {@link #provider()}, and the TCK does the rest.
 *
 * <p>Test names carry the level and the rule of SPEC.md they verify:
 * {@code required_C2_cancelBeforeStartRunsNoneOfTheBody}. {@code required_}
 * rules every backend keeps; {@code optional_} ones need a declared
 * {@link Capability} and are skipped, naming it, without; {@code untested_}
 * rules cannot be checked from outside and are reported as skipped with the
 * reason, never left out.
 *
 * <p>Helpers: every loop opened through {@link #newLoop()} is closed after
 * the test; {@link #run} runs a loop on a watchdog thread so that a backend
 * that hangs (a lost wake-up, a deadlock) fails the test with the loop
 * thread's stack instead of hanging the build; {@link #errors()} holds what
 * reached each loop's exception handler.
 */
@ExtendWith(ConformanceReport.class)
public abstract class AbstractVerification {
    /** For the area classes of the TCK. */
    protected AbstractVerification() {}


    /** The environment: timeouts and failures seen on other threads. */
    protected final TckEnvironment env = new TckEnvironment();

    private final List<Loop> loops = new ArrayList<>();
    private final List<ErrorContext> errors = Collections.synchronizedList(new ArrayList<>());

    /**
     * The backend under test. Called once or more per test; may return a new instance each time.
     *
     * @return the provider
     */
    protected abstract LoopProvider provider();

    /**
     * The rule area this class verifies, for the conformance summary ("Scheduling", "Futures", ...).
     *
     * @return the area's name
     */
    protected abstract String area();

    final String backendName() {
        return provider().name();
    }

    // ------------------------------------------------------------------ loops

    /**
     * A new loop of the backend under test, with default options; closed after the test.
     *
     * @return the loop
     */
    protected Loop newLoop() {
        return newLoop(LoopOptions.defaults().withName("tck"));
    }

    /**
     * A new loop with {@code options}; closed after the test. Its exception
     * handler records into {@link #errors()}.
     *
     * @param options the loop's options
     * @return the loop
     */
    protected Loop newLoop(LoopOptions options) {
        Loop loop = provider().open(options);
        loops.add(loop);
        loop.setExceptionHandler((l, c) -> errors.add(c));
        return loop;
    }

    /**
     * A new loop on a {@link VirtualTicker}: timers fire in virtual time, no
     * test waits in real time. Skips the test unless the backend declares
     * {@link Capability#VIRTUAL_TIME}.
     *
     * @param ticker the clock the test moves
     * @return the loop
     */
    protected Loop newVirtualTimeLoop(VirtualTicker ticker) {
        requireCapability(Capability.VIRTUAL_TIME);
        return newLoop(LoopOptions.defaults().withName("tck-virtual").withTicker(ticker));
    }

    /**
     * What reached the exception handlers of this test's loops, in order.
     *
     * @return the errors so far
     */
    protected List<ErrorContext> errors() {
        synchronized (errors) {
            return List.copyOf(errors);
        }
    }

    @AfterEach
    void closeLoops() {
        try {
            for (Loop l : loops) {
                if (l.isRunning()) {
                    continue; // a hung loop; its watchdog already failed the test
                }
                l.close();
            }
        } finally {
            loops.clear();
            env.verifyNoAsyncErrors();
        }
    }

    // ------------------------------------------------------------------ running

    /**
     * Runs {@code action} in a callback of {@code loop} (on the loop, outside
     * any task) and returns what it threw, or null. Call it from a task of
     * that loop: it awaits the callback.
     *
     * @param loop the loop
     * @param action what to run in the callback
     * @return what it threw, or null
     */
    protected static Throwable thrownInACallback(Loop loop, org.junit.jupiter.api.function.Executable action) {
        Future<Throwable> thrown = loop.createFuture();
        loop.callSoon(() -> {
            Throwable t = null;
            try {
                action.execute();
            } catch (Throwable e) {
                t = e;
            }
            thrown.setResult(t);
        });
        return thrown.await();
    }

    /**
     * Runs {@code main} to completion on {@code loop} (in a fresh thread) and
     * returns its result; its exception is rethrown unchanged. Fails the test
     * if the loop does not finish within the timeout, with the loop thread's
     * stack in the message.
     *
     * @param <T> the result type
     * @param loop the loop
     * @param main the main task's body
     * @return its result
     */
    protected <T> T run(Loop loop, Coroutine<T> main) {
        return onLoopThread(loop, () -> loop.runUntilComplete(main));
    }

    /**
     * {@code run(newLoop(), main)}.
     *
     * @param <T> the result type
     * @param main the main task's body
     * @return its result
     */
    protected <T> T run(Coroutine<T> main) {
        return run(newLoop(), main);
    }

    /**
     * Runs exactly one iteration of {@code loop} (stop, then runForever: SPEC L3).
     *
     * @param loop the loop
     */
    protected void runOnce(Loop loop) {
        onLoopThread(loop, () -> {
            loop.stop();
            loop.runForever();
            return null;
        });
    }

    /**
     * Runs {@code action} (which runs the loop) on a new platform thread and
     * waits for it with the TCK timeout.
     *
     * @param <T> the result type
     * @param loop the loop, for the stack in a timeout's message
     * @param action what runs the loop
     * @return what it returned
     */
    protected <T> T onLoopThread(Loop loop, java.util.concurrent.Callable<T> action) {
        return onLoopThread(loop, env.timeout(), action);
    }

    /**
     * As {@link #onLoopThread(Loop, java.util.concurrent.Callable)} with another
     * deadline (scale it with {@code env.scaled}), for tests whose work is
     * large: their speed is not under test, and a shared machine may be slow.
     * What {@code action} throws is rethrown unchanged (also a
     * {@code CancellationException}).
     *
     * @param <T> the result type
     * @param loop the loop, for the stack in a timeout's message
     * @param deadline how long it may take
     * @param action what runs the loop
     * @return what it returned
     */
    protected <T> T onLoopThread(Loop loop, java.time.Duration deadline, java.util.concurrent.Callable<T> action) {
        return onThread(Thread.ofPlatform().daemon(), loop, deadline, action);
    }

    /**
     * As {@link #onLoopThread(Loop, java.util.concurrent.Callable)}, the loop
     * run by a new virtual thread (a program on virtual threads runs its loop
     * so: SPEC L20).
     *
     * @param <T> the result type
     * @param loop the loop, for the stack in a timeout's message
     * @param action what runs the loop
     * @return what it returned
     */
    protected <T> T onVirtualThread(Loop loop, java.util.concurrent.Callable<T> action) {
        return onThread(Thread.ofVirtual(), loop, env.timeout(), action);
    }

    private <T> T onThread(Thread.Builder thread, Loop loop, java.time.Duration deadline,
            java.util.concurrent.Callable<T> action) {
        Object[] outcome = new Object[2]; // [0] result, [1] throwable; published by the latch
        CountDownLatch done = new CountDownLatch(1);
        Thread t = thread.name("tck-loop-" + backendName()).start(() -> {
            try {
                outcome[0] = action.call();
            } catch (Throwable e) {
                outcome[1] = e;
            } finally {
                done.countDown();
            }
        });
        try {
            if (!done.await(deadline.toMillis(), TimeUnit.MILLISECONDS)) {
                StringBuilder stack = new StringBuilder();
                appendFrames(stack, t.getStackTrace());
                // The thread that called runForever may only wait for another (a backend's own loop thread):
                // every other thread's stack too, so that one failure is enough to see where the loop stopped.
                Thread.getAllStackTraces().forEach((other, frames) -> {
                    if (other != t && other != Thread.currentThread() && frames.length > 0) {
                        stack.append("\n\"").append(other.getName()).append("\" ").append(other.getState());
                        appendFrames(stack, java.util.Arrays.copyOf(frames, Math.min(frames.length, 40)));
                    }
                });
                virtualLoopThreads(stack);
                throw new AssertionError("the loop did not finish within " + deadline
                        + " (a lost wake-up, a deadlock or a task that never resumed?); loop thread state "
                        + t.getState() + ":" + stack);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
        if (outcome[1] != null) {
            throw sneaky((Throwable) outcome[1]);
        }
        @SuppressWarnings("unchecked")
        T result = (T) outcome[0];
        return result;
    }

    /**
     * Appends the stacks of the backend's virtual threads named "aio4j..." (a carried loop strand runs on
     * one: its carrier's stack shows only {@code Continuation.run}), from the JDK's thread dump, which
     * lists virtual threads; the whole dump is left in a file named in the text.
     */
    private static void virtualLoopThreads(StringBuilder out) {
        try {
            java.nio.file.Path dump = java.nio.file.Files.createTempFile("tck-threads-", ".txt");
            java.nio.file.Files.delete(dump); // dumpThreads refuses to overwrite
            java.lang.management.ManagementFactory.getPlatformMXBean(com.sun.management.HotSpotDiagnosticMXBean.class)
                    .dumpThreads(dump.toString(), com.sun.management.HotSpotDiagnosticMXBean.ThreadDumpFormat.TEXT_PLAIN);
            out.append("\n\nvirtual threads of the backend (every thread, tasks included: ").append(dump).append("):");
            boolean keep = false;
            for (String line : java.nio.file.Files.readAllLines(dump)) {
                if (line.startsWith("#")) {
                    keep = line.contains(" virtual ") && line.contains("\"aio4j");
                }
                if (keep) {
                    out.append('\n').append(line);
                }
            }
        } catch (Exception | LinkageError e) { // a JVM without the HotSpot diagnostic bean: the stacks above must do
            out.append("\n(no thread dump of virtual threads: ").append(e).append(')');
        }
    }

    private static void appendFrames(StringBuilder out, StackTraceElement[] frames) {
        for (StackTraceElement f : frames) {
            out.append("\n\tat ").append(f);
        }
    }

    /**
     * As {@link #run(Loop, Coroutine)} with another deadline (see {@link #onLoopThread(Loop, java.time.Duration, java.util.concurrent.Callable)}).
     *
     * @param <T> the result type
     * @param loop the loop
     * @param deadline how long it may take
     * @param main the main task's body
     * @return its result
     */
    protected <T> T run(Loop loop, java.time.Duration deadline, Coroutine<T> main) {
        return onLoopThread(loop, deadline, () -> loop.runUntilComplete(main));
    }

    /**
     * Waits, in a task, until {@code condition} holds, yielding to the loop
     * between checks; fails after the TCK timeout. For conditions that other
     * threads make true.
     *
     * @param loop the loop the calling task runs on
     * @param what the condition, for the failure's message
     * @param condition the condition
     */
    protected void awaitCondition(Loop loop, String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + env.timeout().toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("timed out after " + env.timeout() + " waiting for: " + what);
            }
            Future<Void> f = loop.createFuture();
            loop.callLater(java.time.Duration.ofMillis(1), () -> f.setResult(null));
            f.await();
        }
    }

    /**
     * The heap the JVM's reachable objects take: the least of three readings,
     * each right after a full collection ({@code System.gc()}). From the
     * test's thread, with no loop running: two readings of a JVM at rest
     * differ by a few KiB.
     *
     * @return the bytes in use in the heap
     */
    protected static long reachableHeap() {
        java.lang.management.MemoryMXBean memory = java.lang.management.ManagementFactory.getMemoryMXBean();
        long least = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            System.gc();
            least = Math.min(least, memory.getHeapMemoryUsage().getUsed());
        }
        return least;
    }

    /**
     * Collects garbage until {@code collected} holds (the objects a rule says the
     * loop lets go of have become unreachable), or fails with {@code failure}'s
     * text after the TCK's timeout. From the test's thread, with no loop running.
     */
    protected void collectGarbageUntil(BooleanSupplier collected, java.util.function.Supplier<String> failure) {
        long deadline = System.nanoTime() + env.timeout().toNanos();
        while (!collected.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail(failure.get());
            }
            System.gc();
            byte[] nudge = new byte[1 << 20]; // provokes a collection even under -XX:+DisableExplicitGC
            nudge[0] = 1;
        }
    }

    /**
     * Asserts that {@code e}'s message contains {@code part}: the TCK checks
     * that a refusal names what was refused (the call, the argument, the loop).
     */
    static void assertMessage(Throwable e, String part, String what) {
        assertTrue(String.valueOf(e.getMessage()).contains(part), what + ": the message must name " + part + ": " + e);
    }

    // ------------------------------------------------------------------ levels

    /**
     * Skips the test unless the backend declares {@code c}.
     *
     * @param c the capability
     */
    protected void requireCapability(Capability c) {
        Assumptions.assumeTrue(provider().capabilities().contains(c),
                () -> "backend '" + backendName() + "' does not declare capability " + c);
    }

    /**
     * Whether the backend declares {@code c}.
     *
     * @param c the capability
     * @return true if declared
     */
    protected boolean hasCapability(Capability c) {
        return provider().capabilities().contains(c);
    }

    /**
     * Marks an {@code untested_} rule: reported as skipped with the reason.
     *
     * @param reason why, for the test report
     */
    protected static void notVerified(String reason) {
        Assumptions.abort("not verified: " + reason);
    }

    @SuppressWarnings("unchecked")
    static <X extends Throwable> RuntimeException sneaky(Throwable t) throws X {
        throw (X) t;
    }
}
