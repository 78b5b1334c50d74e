package dev.aio4j.tck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.aio4j.AsyncIO;
import dev.aio4j.CancelledError;
import dev.aio4j.ContextVar;
import dev.aio4j.ErrorContext;
import dev.aio4j.Future;
import dev.aio4j.Loop;
import dev.aio4j.LoopOptions;
import dev.aio4j.Runner;
import dev.aio4j.SignalInterrupt;
import dev.aio4j.Task;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * SPEC section R: the runner. Library code in the API, run here on the
 * provider's loops. Each runner handles no signals (a test must not take
 * Ctrl-C from the build); {@code interrupt()} does what the first signal does.
 */
public abstract class RunnerVerification extends AbstractVerification {
    /** For a backend's subclass, which names its provider. */
    protected RunnerVerification() {}


    @Override
    protected String area() {
        return "Runner";
    }

    /** A runner of the backend under test; its loop reports into {@code errors}. */
    private Runner newRunner(Runner.Options options, List<ErrorContext> errors) {
        Runner r = new Runner(options.withProvider(provider()).withHandleSignals(false));
        r.loop().setExceptionHandler((l, c) -> errors.add(c));
        return r;
    }

    private Runner newRunner(List<ErrorContext> errors) {
        return newRunner(Runner.Options.defaults().withLoopOptions(LoopOptions.defaults().withName("tck-runner")), errors);
    }

    /** Runs {@code action} (which runs the runner's loop) on a fresh thread, within the TCK timeout. */
    private <T> T onRunnerThread(Runner r, java.util.concurrent.Callable<T> action) {
        return onLoopThread(r.loop(), action);
    }

    private static <T> Future<T> never() {
        return AsyncIO.currentLoop().createFuture();
    }

    /** R1: run runs the coroutine as the main task and gives its outcome. */
    @Test
    public void required_R1_runRunsTheCoroutineAsTheMainTask() {
        List<ErrorContext> errors = Collections.synchronizedList(new ArrayList<>());
        try (Runner r = newRunner(errors)) {
            String name = onRunnerThread(r, () -> r.run(() -> AsyncIO.currentTask().orElseThrow().getName()));
            assertEquals("main", name, "run must run the coroutine as a task named 'main' (SPEC R1)");
            IOException boom = new IOException("tck-r1");
            IOException thrown = assertThrows(IOException.class, () -> onRunnerThread(r, () -> r.run(() -> {
                throw boom;
            })), "run must throw the coroutine's exception (SPEC R1)");
            assertSame(boom, thrown, "unchanged (SPEC R1)");
        }
        assertEquals(List.of(), errors, "nothing to report (SPEC R1)");
    }

    /** R2: one loop and one context across runs; a task left pending runs on. */
    @Test
    public void required_R2_oneLoopAndOneContextAcrossRuns() {
        ContextVar<String> v = new ContextVar<>("tck-r2");
        List<ErrorContext> errors = Collections.synchronizedList(new ArrayList<>());
        List<String> log = Collections.synchronizedList(new ArrayList<>());
        try (Runner r = newRunner(errors)) {
            AtomicReference<Task<?>> background = new AtomicReference<>();
            Loop first = onRunnerThread(r, () -> r.run(() -> {
                v.set("set by the first run");
                background.set(AsyncIO.createTask(() -> {
                    AsyncIO.sleep0();
                    AsyncIO.sleep0();
                    log.add("background ran on");
                    return null;
                }));
                return AsyncIO.currentLoop();
            }));
            String seen = onRunnerThread(r, () -> r.run(() -> {
                assertSame(first, AsyncIO.currentLoop(), "every run must use the runner's one loop (SPEC R2)");
                background.get().await();
                return v.get("<none>");
            }));
            assertEquals("set by the first run", seen, "the next run must see what the last main task set (SPEC R2)");
            assertEquals(List.of("background ran on"), log, "a task left pending by a run must run on in the next (SPEC R2)");
        }
    }

    /** R3: the runner's refusals. */
    @Test
    public void required_R3_aRunnerRefusesWhatItCannotDo() {
        List<ErrorContext> errors = Collections.synchronizedList(new ArrayList<>());
        Runner r = newRunner(errors);
        Runner other = new Runner(Runner.Options.defaults().withProvider(provider()).withHandleSignals(false));
        IllegalStateException nested = onRunnerThread(r, () -> r.run(() -> assertThrows(IllegalStateException.class,
                () -> other.run(() -> "never"), "run on a running loop (SPEC R3)")));
        assertTrue(String.valueOf(nested.getMessage()).contains("running event loop"),
                "the error must say a loop is running, was: " + nested.getMessage() + " (SPEC R3)");
        other.close(); // never ran: opens nothing
        assertThrows(NullPointerException.class, () -> r.run(null), "run(null) (SPEC R3)");
        r.close();
        r.close(); // idempotent
        IllegalStateException closed = assertThrows(IllegalStateException.class, () -> r.run(() -> "late"),
                "run after close (SPEC R3)");
        assertTrue(String.valueOf(closed.getMessage()).contains("closed"), "the error must say the runner is closed, "
                + "was: " + closed.getMessage() + " (SPEC R3)");
        assertThrows(IllegalStateException.class, r::loop, "loop() after close (SPEC R3)");
        Runner.Options d = Runner.Options.defaults();
        assertThrows(IllegalArgumentException.class, () -> d.withGrace(Duration.ofMillis(-1)), "a negative grace (SPEC R3)");
        assertThrows(NullPointerException.class, () -> d.withExecutorTimeout(null), "a null executor timeout (SPEC R3)");
        assertThrows(NullPointerException.class, () -> new Runner(null), "null options (SPEC R3)");
    }

    /** R4: close cancels the tasks left, lets them clean up, reports failures, shuts down, closes. */
    @Test
    public void required_R4_closingCancelsWhatIsLeftAndWaitsForItsCleanup() {
        List<ErrorContext> errors = Collections.synchronizedList(new ArrayList<>());
        List<String> log = Collections.synchronizedList(new ArrayList<>());
        IllegalStateException boom = new IllegalStateException("tck-r4 failed in its cleanup");
        Runner r = newRunner(errors);
        Loop loop = r.loop();
        onRunnerThread(r, () -> r.run(() -> {
            AsyncIO.createTask(() -> {
                try {
                    return never().await();
                } finally {
                    AsyncIO.sleep0(); // cleanup that awaits
                    log.add("cleanup ran");
                }
            }, "tck-r4-clean");
            AsyncIO.createTask(() -> {
                try {
                    return never().await();
                } catch (CancelledError e) {
                    throw boom;
                }
            }, "tck-r4-failing");
            AsyncIO.sleep0(); // both are waiting
            return null;
        }));
        onRunnerThread(r, () -> {
            r.close();
            return null;
        });
        assertEquals(List.of("cleanup ran"), log, "close must cancel a task left and let it finish its cleanup (SPEC R4)");
        assertTrue(errors.stream().anyMatch(c -> c.exception() == boom),
                "close must report a task that failed as it was cancelled, reported: " + errors + " (SPEC R4)");
        assertFalse(errors.stream().anyMatch(c -> c.exception() instanceof CancelledError),
                "a cancellation is not a failure to report: " + errors + " (SPEC R4)");
        assertTrue(loop.isClosed(), "close must close the loop (SPEC R4)");
    }

    /**
     * R5: a straggler past the grace and an executor past its timeout are reported; close returns.
     *
     * @throws Exception an unexpected failure, which fails the test
     */
    @Test
    public void required_R5_closingIsBounded() throws Exception {
        List<ErrorContext> errors = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch release = new CountDownLatch(1);
        Runner r = newRunner(Runner.Options.defaults().withGrace(Duration.ofMillis(20))
                .withExecutorTimeout(Duration.ofMillis(20)), errors);
        Loop loop = r.loop();
        try {
            onRunnerThread(r, () -> r.run(() -> {
                AsyncIO.createTask(() -> {
                    while (true) {
                        try {
                            never().await();
                        } catch (CancelledError e) {
                            // swallowed: this task will not stop
                        }
                    }
                }, "tck-r5-straggler");
                loop.runInExecutor(null, () -> release.await(env.timeout().toMillis(), TimeUnit.MILLISECONDS));
                AsyncIO.sleep0();
                return null;
            }));
            onRunnerThread(r, () -> {
                r.close();
                return null;
            });
        } finally {
            release.countDown();
        }
        ErrorContext straggler = errors.stream().filter(c -> c.future() != null
                && c.future().toString().contains("tck-r5-straggler")).findFirst().orElse(null);
        assertTrue(straggler != null, "close must report the task still running after the grace, naming it; reported: "
                + errors + " (SPEC R5)");
        assertTrue(straggler.exception() != null && java.util.Arrays.stream(straggler.exception().getStackTrace())
                        .anyMatch(f -> f.getMethodName().contains("required_R5")),
                "the report must carry where the straggler's body is (SPEC R5, T15): " + straggler.exception());
        assertTrue(errors.stream().anyMatch(c -> c.message().contains("executor")),
                "close must report a default executor that did not shut down in time; reported: " + errors + " (SPEC R5)");
        assertTrue(loop.isClosed(), "close must return having closed the loop (SPEC R5)");
    }

    /**
     * R6: interrupt() cancels the main task; run throws SignalInterrupt; a second one does nothing.
     *
     * @throws InterruptedException an unexpected failure, which fails the test
     */
    @Test
    public void required_R6_anInterruptCancelsTheMainTaskAndRunSaysSo() throws InterruptedException {
        List<ErrorContext> errors = Collections.synchronizedList(new ArrayList<>());
        List<String> log = Collections.synchronizedList(new ArrayList<>());
        try (Runner r = newRunner(errors)) {
            assertFalse(r.interrupt(), "interrupt() with no run in progress must return false (SPEC R6)");
            AtomicReference<Boolean> second = new AtomicReference<>();
            AtomicReference<Thread> interrupter = new AtomicReference<>();
            SignalInterrupt e = assertThrows(SignalInterrupt.class, () -> onRunnerThread(r, () -> r.run(() -> {
                Future<Void> never = never();
                interrupter.set(Thread.ofPlatform().start(() -> {
                    r.interrupt();
                    second.set(r.interrupt()); // the run may have ended meanwhile: false either way
                }));
                try {
                    return never.await();
                } catch (CancelledError c) {
                    log.add(String.valueOf(c.getMessage()));
                    throw c;
                } finally {
                    log.add("main unwound");
                }
            })), "run must throw SignalInterrupt after an interrupt (SPEC R6)");
            assertEquals("INT", e.signal(), "(SPEC R6)");
            assertEquals(130, e.exitCode(), "SIGINT's exit status is 130 (SPEC R6)");
            assertInstanceOf(CancellationException.class, e.getCause(), "the cause must be the main task's cancellation "
                    + "(SPEC R6)");
            assertTrue(log.size() == 2 && log.get(0).contains("SIGINT") && log.get(1).equals("main unwound"),
                    "the main task must be cancelled with a message naming the signal and unwind, was: " + log + " (SPEC R6)");
            assertTrue(interrupter.get().join(env.timeout()), "the interrupting thread must end");
            assertEquals(Boolean.FALSE, second.get(), "a second interrupt in the same run must return false (SPEC R6)");
            assertEquals("next", onRunnerThread(r, () -> r.run(() -> "next")), "the runner goes on (SPEC R6)");
        }
    }
}
