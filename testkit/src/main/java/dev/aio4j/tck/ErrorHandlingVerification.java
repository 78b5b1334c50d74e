package dev.aio4j.tck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.aio4j.AsyncIO;
import dev.aio4j.ContextVar;
import dev.aio4j.ErrorContext;
import dev.aio4j.Future;
import dev.aio4j.Handle;
import dev.aio4j.Loop;
import dev.aio4j.LoopOptions;
import dev.aio4j.Task;
import dev.aio4j.Ticker;
import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * SPEC.md section E: the exception handler, error reports and debug mode.
 *
 * <p>If a test here fails, check that every callback runs inside a catch that
 * hands the exception to {@code callExceptionHandler} and carries on, that the
 * handler's own failure is caught too, and what {@code close()} reports.
 *
 * <p>Log output is observed through {@code java.util.logging}, the JDK's
 * default backing of {@code System.Logger}; where the JVM routes
 * {@code System.Logger} elsewhere, the log checks are skipped with the reason.
 */
public abstract class ErrorHandlingVerification extends AbstractVerification {
    /** For a backend's subclass, which names its provider. */
    protected ErrorHandlingVerification() {}


    @Override
    protected String area() {
        return "Errors";
    }

    /** The name of the System.Logger the loop logs to (SPEC E6, E2). */
    static final String LOGGER = LogCapture.LOGGER;

    /** E1: an exception thrown by a callback, a timer or a done callback reaches the handler, and the loop goes on. */
    @Test
    public void required_E1_callbackExceptionReachesTheHandlerAndTheLoopGoesOn() {
        Loop loop = newLoop();
        RuntimeException a = new RuntimeException("from callSoon");
        RuntimeException b = new RuntimeException("from callLater");
        RuntimeException c = new RuntimeException("from a done callback");
        List<String> after = new ArrayList<>();
        run(loop, () -> {
            loop.callSoon(() -> {
                throw a;
            });
            loop.callLater(Duration.ZERO, () -> {
                throw b;
            });
            Future<String> f = loop.createFuture();
            f.addDoneCallback(x -> {
                throw c;
            });
            f.setResult("x");
            loop.callSoon(() -> after.add("callback after the failures"));
            AsyncIO.sleep(1);
            AsyncIO.sleep0();
            after.add("task resumed");
            return null;
        });
        List<ErrorContext> errs = errors();
        assertEquals(3, errs.size(), "each exception thrown by a callback must reach the exception handler once, got " + errs + " (SPEC E1)");
        List<Throwable> got = new ArrayList<>();
        for (ErrorContext e : errs) {
            assertTrue(e.message().startsWith("Exception in callback"),
                    "the context of a failed callback must have a message starting 'Exception in callback', was '"
                            + e.message() + "' (SPEC E1)");
            got.add(e.exception());
        }
        assertTrue(got.contains(a) && got.contains(b) && got.contains(c),
                "the context must carry the exception the callback threw, got " + got + " (SPEC E1)");
        assertEquals(List.of("callback after the failures", "task resumed"), after,
                "the loop must go on running after a callback threw (SPEC E1)");
    }

    /** E2: a custom exception handler replaces the default; setExceptionHandler(null) restores the default, which logs at ERROR. */
    @Test
    public void required_E2_customHandlerReplacesDefaultAndNullRestoresIt() {
        Loop loop = newLoop();
        List<ErrorContext> custom = new ArrayList<>();
        RuntimeException first = new RuntimeException("tck-e2-first");
        RuntimeException second = new RuntimeException("tck-e2-second");
        try (LogCapture log = new LogCapture()) {
            loop.setExceptionHandler((l, ctx) -> {
                assertSame(loop, l, "the handler must receive the loop the error happened on (SPEC E2)");
                custom.add(ctx);
            });
            loop.callSoon(() -> {
                throw first;
            });
            runOnce(loop);
            assertEquals(1, custom.size(), "a custom exception handler must receive the callback's error (SPEC E2)");
            assertSame(first, custom.get(0).exception(), "the custom handler must receive the exception thrown (SPEC E2)");
            assertEquals(List.of(), log.matching(Level.SEVERE, "", ""),
                    "with a custom handler the default handler must not log too (SPEC E2)");
            loop.setExceptionHandler(null);
            loop.callSoon(() -> {
                throw second;
            });
            runOnce(loop);
            assertEquals(1, custom.size(), "setExceptionHandler(null) must remove the custom handler (SPEC E2)");
            List<LogRecord> logged = log.matching(Level.SEVERE, "Exception in callback", "");
            assertEquals(1, logged.size(), "after setExceptionHandler(null) the default handler must log the error at ERROR on "
                    + "System.Logger '" + LOGGER + "' (SPEC E2)");
            assertSame(second, logged.get(0).getThrown(), "the default handler must log the exception itself (SPEC E2)");
            Future<String> failed = loop.createFuture();
            Handle handle = loop.callSoon(() -> { });
            handle.cancel();
            // The default handler's log shows the context's future, and its handle, each by its text.
            for (ErrorContext c : List.of(
                    new ErrorContext("tck-e2 context with a future", new RuntimeException("tck-e2"), failed, null),
                    new ErrorContext("tck-e2 context with a handle", new RuntimeException("tck-e2"), null, handle))) {
                loop.callExceptionHandler(c);
                String shown = String.valueOf(c.future() != null ? c.future() : c.handle());
                List<LogRecord> logs = log.matching(Level.SEVERE, c.message(), "");
                assertTrue(logs.size() == 1 && logs.get(0).getMessage().contains(shown),
                        "the default handler's log must show the context's " + (c.future() != null ? "future" : "handle")
                                + ", was: " + (logs.isEmpty() ? "nothing" : logs.get(0).getMessage()) + " (SPEC E2)");
            }
        }
    }

    /** E3: a handler that throws does not stop the loop; both failures are logged by the default handler. */
    @Test
    public void required_E3_throwingHandlerDoesNotStopTheLoop() {
        Loop loop = newLoop();
        List<String> seen = new ArrayList<>();
        try (LogCapture log = new LogCapture()) {
            loop.setExceptionHandler((l, ctx) -> {
                seen.add("handler");
                throw new IllegalStateException("tck-e3 handler fails");
            });
            loop.callSoon(() -> {
                throw new RuntimeException("tck-e3 callback fails");
            });
            loop.callSoon(() -> seen.add("next callback"));
            runOnce(loop);
            assertEquals(List.of("handler", "next callback"), seen,
                    "the loop must go on after the exception handler threw (SPEC E3)");
            assertEquals(1, log.matching(Level.SEVERE, "Unhandled error in exception handler", "").size(),
                    "the default handler must log 'Unhandled error in exception handler' when the custom handler throws (SPEC E3)");
            List<LogRecord> original = log.matching(Level.SEVERE, "Exception in callback", "");
            assertTrue(original.size() == 1 && original.get(0).getThrown() != null
                            && "tck-e3 callback fails".equals(original.get(0).getThrown().getMessage()),
                    "the default handler must also log the original context, with its exception, when the custom "
                            + "handler throws (SPEC E3)");
        }
    }

    /** E4: a failed task or future whose exception nobody retrieved is reported at close; a retrieved one is not. */
    @Test
    public void required_E4_unretrievedExceptionIsReportedAtClose() {
        Loop loop = newLoop();
        IllegalStateException lost = new IllegalStateException("tck-e4 lost");
        IllegalStateException lostFuture = new IllegalStateException("tck-e4 lost future");
        AtomicReference<Task<?>> lostTask = new AtomicReference<>();
        AtomicReference<Future<?>> lostF = new AtomicReference<>();
        run(loop, () -> {
            Task<Object> unretrieved = loop.createTask(() -> {
                throw lost;
            }, "tck-e4-lost");
            Task<Object> awaited = loop.createTask(() -> {
                throw new IllegalStateException("awaited");
            });
            Task<Object> inspected = loop.createTask(() -> {
                throw new IllegalStateException("inspected");
            });
            Future<Object> f = loop.createFuture();
            f.setException(lostFuture);
            lostTask.set(unretrieved);
            lostF.set(f);
            try {
                awaited.await();
            } catch (IllegalStateException expected) {
                // retrieved by awaiting
            }
            awaitCondition(loop, "the tasks to finish", () -> unretrieved.isDone() && inspected.isDone());
            assertNotNull(inspected.exception(), "a failed task's exception() must return its exception (SPEC E4)");
            return null;
        });
        assertEquals(List.of(), errors(), "a failed task must not be reported before the loop closes (SPEC E4)");
        loop.close();
        List<ErrorContext> errs = errors();
        assertEquals(2, errs.size(), "close() must report exactly the failed task and future whose exception was never "
                + "retrieved, not the awaited or inspected ones; got " + errs + " (SPEC E4)");
        ErrorContext t = errs.stream().filter(e -> e.future() == lostTask.get()).findFirst()
                .orElseThrow(() -> new AssertionError("the unretrieved task was not reported at close, got " + errs + " (SPEC E4)"));
        assertEquals("Task exception was never retrieved", t.message(), "wrong message for an unretrieved task (SPEC E4)");
        assertSame(lost, t.exception(), "the report must carry the task's exception (SPEC E4)");
        ErrorContext fu = errs.stream().filter(e -> e.future() == lostF.get()).findFirst()
                .orElseThrow(() -> new AssertionError("the unretrieved future was not reported at close, got " + errs + " (SPEC E4)"));
        assertEquals("Future exception was never retrieved", fu.message(), "wrong message for an unretrieved future (SPEC E4)");
        assertSame(lostFuture, fu.exception(), "the report must carry the future's exception (SPEC E4)");
    }

    /**
     * E5: tasks still pending at close are reported and their threads released.
     *
     * @throws InterruptedException an unexpected failure, which fails the test
     */
    @Test
    public void required_E5_pendingTasksAreReportedAtCloseAndTheirThreadsEnd() throws InterruptedException {
        Loop loop = newLoop();
        AtomicReference<Thread> taskThread = new AtomicReference<>();
        AtomicReference<Task<?>> pending = new AtomicReference<>();
        run(loop, () -> {
            Future<Void> started = loop.createFuture();
            pending.set(loop.createTask(() -> {
                taskThread.set(Thread.currentThread());
                started.setResult(null);
                return loop.createFuture().await(); // never completes
            }, "tck-e5-pending"));
            started.await();
            return null;
        });
        loop.close();
        List<ErrorContext> errs = errors();
        assertEquals(1, errs.size(), "close() must report each task still pending, once; got " + errs + " (SPEC E5)");
        assertEquals("Task was destroyed but it is pending!", errs.get(0).message(),
                "wrong message for a task pending at close (SPEC E5)");
        assertSame(pending.get(), errs.get(0).future(), "the report must name the pending task (SPEC E5)");
        Thread t = taskThread.get();
        t.join(env.timeout().toMillis());
        assertFalse(t.isAlive(), "the thread of a task pending at close must end after close(), but it is "
                + t.getState() + " (SPEC E5)");
    }

    /** E6: in debug mode a callback slower than slowCallbackDuration is logged at WARNING ("Executing ..."); not without debug. */
    @Test
    public void required_E6_debugModeLogsSlowCallbacks() {
        Duration threshold = Duration.ofMillis(20);
        Loop loop = newLoop(new LoopOptions(Ticker.system(), "tck-e6", false, threshold));
        Runnable slow = new Runnable() {
            @Override
            public void run() {
                long until = System.nanoTime() + threshold.toNanos() * 2;
                while (System.nanoTime() < until) {
                    Thread.onSpinWait(); // busy: the subject is a callback that holds the loop
                }
            }

            @Override
            public String toString() {
                return "tck-e6-slow-callback";
            }
        };
        try (LogCapture log = new LogCapture()) {
            log.expectWarningsOfLoop("tck-e6");
            loop.callSoon(slow);
            runOnce(loop);
            assertEquals(List.of(), log.matching(Level.WARNING, "Executing", "tck-e6"),
                    "a slow callback must not be logged when debug mode is off (SPEC E6)");
            loop.setDebug(true);
            loop.callSoon(slow);
            loop.callSoon(() -> {}); // fast: not logged
            long before = System.nanoTime();
            runOnce(loop);
            long elapsedMillis = (System.nanoTime() - before) / 1_000_000;
            // Counted by the slow callback's name: on a loaded machine the fast one may take 20 ms too, and be logged.
            List<LogRecord> slowLogged = log.matching(Level.WARNING, "Executing", "tck-e6-slow-callback");
            assertEquals(1, slowLogged.size(), "in debug mode a callback slower than slowCallbackDuration must be logged once "
                    + "at WARNING on System.Logger '" + LOGGER + "' with a message starting 'Executing' and naming the "
                    + "callback; logged: " + log.matching(Level.WARNING, "Executing", "tck-e6").stream()
                            .map(LogRecord::getMessage).toList() + " (SPEC E6)");
            assertTrue(slowLogged.get(0).getMessage().contains("'tck-e6'"),
                    "the slow-callback warning must name the loop, was: " + slowLogged.get(0).getMessage() + " (SPEC E6)");
            long said = millisIn(slowLogged.get(0).getMessage(), "took");
            assertTrue(said >= threshold.toMillis() * 2 && said <= elapsedMillis, "the warning must say how long the "
                    + "callback took, in milliseconds (it ran " + threshold.toMillis() * 2 + " ms, the iteration "
                    + elapsedMillis + " ms), was: " + slowLogged.get(0).getMessage() + " (SPEC E6)");

            // A task's steps too: one ending at an await, and its last one.
            Task<String> t = loop.createTask(() -> {
                slow.run();
                AsyncIO.sleep0();
                slow.run();
                return "done";
            }, "tck-e6-slow-task");
            loop.runUntilComplete(t);
            List<LogRecord> steps = log.matching(Level.WARNING, "Executing", "tck-e6-slow-task");
            assertEquals(2, steps.size(), "in debug mode each task step slower than slowCallbackDuration (one ending at "
                    + "an await, and the last) must be logged, naming the task; logged: "
                    + steps.stream().map(LogRecord::getMessage).toList() + " (SPEC E6)");

            // A future's done callbacks, one added where a context variable was set (it runs in that context).
            ContextVar<String> where = new ContextVar<>("tck-e6-where");
            loop.runUntilComplete(() -> {
                Future<String> f = loop.createFuture();
                f.addDoneCallback(slowDoneCallback(slow, "tck-e6-slow-done-callback"));
                where.set("in a context");
                f.addDoneCallback(slowDoneCallback(slow, "tck-e6-slow-done-callback-in-a-context"));
                f.setResult("done");
                AsyncIO.sleep0(); // the callbacks run
                return null;
            });
            for (String name : List.of("tck-e6-slow-done-callback", "tck-e6-slow-done-callback-in-a-context")) {
                assertEquals(1, log.matching(Level.WARNING, "Executing", name + "'").size(), "in debug mode a "
                        + "slow done callback must be logged, named by its toString (" + name + "); logged: "
                        + log.matching(Level.WARNING, "Executing", "tck-e6").stream().map(LogRecord::getMessage).toList()
                        + " (SPEC E6)");
            }
        }
    }

    /** E6's done callback: runs {@code slow}, and is named {@code name} (quoted, to tell the two apart). */
    private static java.util.function.Consumer<Future<String>> slowDoneCallback(Runnable slow, String name) {
        return new java.util.function.Consumer<>() {
            @Override
            public void accept(Future<String> f) {
                slow.run();
            }

            @Override
            public String toString() {
                return name + "'";
            }
        };
    }

    /** The number of milliseconds a debug-mode report gives after {@code word} ("took 42 ms"), or -1 if none. */
    private static long millisIn(String message, String word) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile(word + "\\D*?(\\d+) ms").matcher(message);
        return m.find() ? Long.parseLong(m.group(1)) : -1;
    }

    /** E7: isDebug reflects setDebug and LoopOptions.debug, from any thread. */
    @Test
    public void required_E7_isDebugReflectsSetDebug() {
        Loop loop = newLoop(LoopOptions.defaults().withName("tck-e7").withDebug(false));
        assertFalse(loop.isDebug(), "isDebug() must be false for a loop opened with debug off (SPEC E7)");
        loop.setDebug(true);
        assertTrue(loop.isDebug(), "isDebug() must be true after setDebug(true) (SPEC E7)");
        boolean seenElsewhere = CompletableFuture.supplyAsync(loop::isDebug).orTimeout(env.timeout().toMillis(), TimeUnit.MILLISECONDS).join();
        assertTrue(seenElsewhere, "isDebug() must reflect setDebug(true) from another thread (SPEC E7)");
        loop.setDebug(false);
        assertFalse(loop.isDebug(), "isDebug() must be false after setDebug(false) (SPEC E7)");
        Loop on = newLoop(LoopOptions.defaults().withName("tck-e7-on").withDebug(true));
        assertTrue(on.isDebug(), "a loop opened with LoopOptions debug=true must start in debug mode (SPEC E7)");
    }

    /** E8: callExceptionHandler passes the context to the handler unchanged; a null context is refused. */
    @Test
    public void required_E8_callExceptionHandlerPassesTheContext() {
        Loop loop = newLoop();
        ErrorContext ctx = ErrorContext.of("tck-e8 something happened", new RuntimeException("tck-e8"));
        run(loop, () -> {
            loop.callExceptionHandler(ctx);
            return null;
        });
        assertEquals(List.of(ctx), errors(), "callExceptionHandler must pass the context to the handler unchanged (SPEC E8)");
        assertThrows(NullPointerException.class, () -> loop.callExceptionHandler(null),
                "callExceptionHandler(null) must throw NullPointerException (SPEC E8)");
        NullPointerException e = assertThrows(NullPointerException.class, () -> new ErrorContext(null, null, null, null),
                "an ErrorContext without a message must be refused (SPEC E8)");
        assertTrue(e.getMessage() != null && e.getMessage().contains("message"),
                "the NullPointerException must name 'message' (SPEC E8)");
    }

    /**
     * E4: once a failed future's exception has been retrieved (by {@code result()},
     * {@code exception()} or an await), the loop keeps no reference to it: a
     * long-lived loop does not hold every failure it has seen until it closes.
     */
    @Test
    public void required_E4_aRetrievedFailureIsNotKeptByTheLoop() {
        Loop loop = newLoop();
        Map<String, WeakReference<Future<?>>> retrieved = run(loop, () -> failedAndRetrieved(loop));
        runOnce(loop); // a loop may forget at an iteration boundary
        collectGarbageUntil(() -> retrieved.values().stream().allMatch(r -> r.get() == null),
                () -> "the open loop still holds the failed futures whose exception was retrieved by "
                        + retrieved.entrySet().stream().filter(e -> e.getValue().get() != null).map(Map.Entry::getKey)
                                .toList() + " (SPEC E4)");
    }

    /** E4's futures, each failed and then retrieved one way; only weak references leave this method. */
    private static Map<String, WeakReference<Future<?>>> failedAndRetrieved(Loop loop) {
        Future<Object> read = loop.createFuture();
        read.setException(new IllegalStateException("tck-e4 read"));
        assertThrows(IllegalStateException.class, read::result, "(SPEC E4)");
        Future<Object> inspected = loop.createFuture();
        inspected.setException(new IllegalStateException("tck-e4 inspected"));
        assertNotNull(inspected.exception(), "(SPEC E4)");
        Future<Object> awaited = loop.createFuture();
        awaited.setException(new IllegalStateException("tck-e4 awaited"));
        assertThrows(IllegalStateException.class, awaited::await, "(SPEC E4)");
        return Map.of("result()", new WeakReference<>(read), "exception()", new WeakReference<>(inspected),
                "await()", new WeakReference<>(awaited));
    }

    /**
     * E9: in debug mode a callback that has run longer than slowCallbackDuration
     * is reported while it still runs ("Blocked: ..."), once, with the stack of
     * the thread running it.
     */
    @Test
    public void required_E9_debugModeReportsABlockedLoopWhileItIsBlocked() {
        Duration threshold = Duration.ofMillis(50);
        Loop loop = newLoop(new LoopOptions(Ticker.system(), "tck-e9", true, threshold));
        // Another loop in debug mode, closed first: closing it must not stop the watch over this one.
        Loop other = newLoop(new LoopOptions(Ticker.system(), "tck-e9-other", true, threshold));
        other.close();
        try (LogCapture log = new LogCapture()) {
            log.expectWarningsOfLoop("tck-e9");
            long started = System.nanoTime();
            long deadline = started + env.timeout().toNanos();
            loop.callSoon(new Runnable() {
                @Override
                public void run() {
                    // Holds the loop until the report appears: the subject is a blocked loop.
                    while (log.matching(Level.WARNING, "Blocked", "tck-e9").isEmpty() && System.nanoTime() < deadline) {
                        Thread.onSpinWait();
                    }
                }

                @Override
                public String toString() {
                    return "tck-e9-blocking-callback";
                }
            });
            runOnce(loop);
            long elapsedMillis = (System.nanoTime() - started) / 1_000_000;
            List<LogRecord> blocked = log.matching(Level.WARNING, "Blocked", "tck-e9");
            assertEquals(1, blocked.size(), "in debug mode a callback blocked longer than slowCallbackDuration must be "
                    + "reported once, while it still runs, at WARNING on System.Logger '" + LOGGER
                    + "' with a message starting 'Blocked' and naming the loop (SPEC E9)");
            LogRecord r = blocked.get(0);
            assertTrue(r.getMessage().contains("tck-e9-blocking-callback"),
                    "the report must name what blocks the loop, was: " + r.getMessage() + " (SPEC E9)");
            assertTrue(r.getThrown() != null && java.util.Arrays.stream(r.getThrown().getStackTrace())
                            .anyMatch(f -> f.getClassName().startsWith(ErrorHandlingVerification.class.getName())),
                    "the report must carry the stack of the thread that runs the blocking callback, showing "
                            + "where it is stuck (SPEC E9)");
            long said = millisIn(r.getMessage(), "for");
            assertTrue(said >= threshold.toMillis() && said <= elapsedMillis, "the report must say for how many "
                    + "milliseconds the unit has run (past the " + threshold.toMillis() + " ms threshold, within the "
                    + elapsedMillis + " ms the iteration took), was: " + r.getMessage() + " (SPEC E9)");
        }

        // A task step holds the loop the same way, on its own thread.
        Loop taskLoop = newLoop(new LoopOptions(Ticker.system(), "tck-e9-step", true, threshold));
        try (LogCapture log = new LogCapture()) {
            log.expectWarningsOfLoop("tck-e9-step");
            long deadline = System.nanoTime() + env.timeout().toNanos();
            run(taskLoop, () -> {
                while (log.matching(Level.WARNING, "Blocked", "tck-e9-step").isEmpty() && System.nanoTime() < deadline) {
                    Thread.onSpinWait();
                }
                return null;
            });
            List<LogRecord> blocked = log.matching(Level.WARNING, "Blocked", "tck-e9-step");
            assertEquals(1, blocked.size(), "in debug mode a task step blocked longer than slowCallbackDuration must be "
                    + "reported once, while it still runs (SPEC E9)");
            LogRecord r = blocked.get(0);
            assertTrue(r.getThrown() != null && java.util.Arrays.stream(r.getThrown().getStackTrace())
                            .anyMatch(f -> f.getClassName().startsWith(ErrorHandlingVerification.class.getName())),
                    "the report of a blocked task step must carry the stack of the task's thread, showing where it is "
                            + "stuck (SPEC E9)");
        }
    }

    /** E11: in debug mode a lambda callback is described by the line that scheduled it. */
    @Test
    public void required_E11_debugModeSaysWhereALambdaWasScheduled() {
        Duration threshold = Duration.ofMillis(5);
        Loop loop = newLoop(new LoopOptions(Ticker.system(), "tck-e11", true, threshold));
        try (LogCapture log = new LogCapture()) {
            log.expectWarningsOfLoop("tck-e11");
            loop.callSoon(() -> spin(threshold.multipliedBy(2)));
            runOnce(loop);
            List<LogRecord> slow = log.matching(Level.WARNING, "Executing", "tck-e11");
            assertTrue(slow.stream().anyMatch(r -> r.getMessage().contains(ErrorHandlingVerification.class.getSimpleName()
                            + ".required_E11_debugModeSaysWhereALambdaWasScheduled(")),
                    "a slow lambda callback must be described by the line that scheduled it, logged: "
                            + slow.stream().map(LogRecord::getMessage).toList() + " (SPEC E11)");
            assertFalse(slow.stream().anyMatch(r -> r.getMessage().contains("$$Lambda")),
                    "not by its generated class name (SPEC E11)");
            Task<Void> task = loop.createTask(() -> {
                spin(threshold.multipliedBy(2));
                return null;
            });
            runOnce(loop);
            assertTrue(task.isDone(), "(SPEC E11)");
            List<LogRecord> steps = log.matching(Level.WARNING, "Executing", "created at");
            assertTrue(steps.stream().anyMatch(r -> r.getMessage().contains("required_E11_debugModeSaysWhereALambdaWasScheduled(")),
                    "a slow step of a task created in debug mode must say where the task was created, logged: "
                            + log.matching(Level.WARNING, "Executing", "tck-e11").stream().map(LogRecord::getMessage).toList()
                            + " (SPEC E11)");
            scheduledWithCallLater(loop, threshold);
            CompletableFuture.runAsync(() -> scheduledFromAnotherThread(loop, threshold))
                    .orTimeout(env.timeout().toMillis(), TimeUnit.MILLISECONDS).join();
            runOnce(loop);
            runOnce(loop); // callLater(0): due at the next iteration's boundary at the latest
            List<String> messages = log.matching(Level.WARNING, "Executing", "tck-e11").stream()
                    .map(LogRecord::getMessage).toList();
            for (String site : List.of("scheduledWithCallLater(", "scheduledFromAnotherThread(")) {
                assertTrue(messages.stream().anyMatch(m -> m.contains(site)), "a slow lambda given to callLater or "
                        + "callSoonThreadsafe must be described by the line that scheduled it (" + site + "...), "
                        + "logged: " + messages + " (SPEC E11)");
            }
            run(loop, () -> createdThroughAsyncIO(threshold).await());
            assertTrue(log.matching(Level.WARNING, "Executing", "created at").stream()
                            .anyMatch(r -> r.getMessage().contains("createdThroughAsyncIO(")),
                    "a task created through AsyncIO.createTask must be said to be created where the user called it, "
                            + "not inside the API, logged: " + log.matching(Level.WARNING, "Executing", "created at")
                            .stream().map(LogRecord::getMessage).toList() + " (SPEC E11)");
        }
    }

    /** E11's timer. */
    private static void scheduledWithCallLater(Loop loop, Duration threshold) {
        loop.callLater(Duration.ZERO, () -> spin(threshold.multipliedBy(2)));
    }

    /** E11's callback from a thread off the loop. */
    private static void scheduledFromAnotherThread(Loop loop, Duration threshold) {
        loop.callSoonThreadsafe(() -> spin(threshold.multipliedBy(2)));
    }

    /** E11's task made through the static API. */
    private static Task<Void> createdThroughAsyncIO(Duration threshold) {
        return AsyncIO.createTask(() -> {
            spin(threshold.multipliedBy(2));
            return null;
        });
    }

    /** E12: the stack of a Blocked report ends where the blocked callback starts, not in the task that runs it. */
    @Test
    public void required_E12_aBlockedReportsStackEndsWhereTheUnitStarts() {
        Duration threshold = Duration.ofMillis(50);
        Loop loop = newLoop(new LoopOptions(Ticker.system(), "tck-e12", true, threshold));
        try (LogCapture log = new LogCapture()) {
            log.expectWarningsOfLoop("tck-e12");
            long deadline = System.nanoTime() + env.timeout().toNanos();
            Runnable blocking = () -> {
                while (log.matching(Level.WARNING, "Blocked", "tck-e12").isEmpty() && System.nanoTime() < deadline) {
                    Thread.onSpinWait(); // the subject: a callback that holds the loop until it is reported
                }
            };
            run(loop, () -> taskThatYieldsToACallback(loop, blocking));
            List<LogRecord> blocked = log.matching(Level.WARNING, "Blocked", "tck-e12");
            assertEquals(1, blocked.size(), "the blocked callback must be reported (SPEC E9, E12)");
            StackTraceElement[] stack = blocked.get(0).getThrown().getStackTrace();
            assertTrue(java.util.Arrays.stream(stack).anyMatch(f -> f.getMethodName().contains("required_E12")),
                    "the report's stack must show the blocked callback (SPEC E12)");
            assertFalse(java.util.Arrays.stream(stack).anyMatch(f -> f.getMethodName().equals("taskThatYieldsToACallback")),
                    "the report's stack must not run on into the task whose thread runs the callback: "
                            + java.util.Arrays.toString(stack) + " (SPEC E12)");
        }
    }

    /** E12's task: yields with the blocking callback queued, so that its own thread runs it. */
    private static Void taskThatYieldsToACallback(Loop loop, Runnable blocking) {
        loop.callSoon(blocking);
        AsyncIO.sleep0();
        return null;
    }

    private static void spin(Duration d) {
        long until = System.nanoTime() + d.toNanos();
        while (System.nanoTime() < until) {
            Thread.onSpinWait(); // busy: the subject is a callback that holds the loop
        }
    }

    /**
     * E9: a unit that returns within slowCallbackDuration is never reported as blocked, however
     * often the loop is looked at meanwhile.
     */
    @Test
    public void required_E9_aUnitWithinTheThresholdIsNotReportedAsBlocked() {
        Duration threshold = env.timeout(); // seconds: far above what the callbacks below take
        Loop loop = newLoop(new LoopOptions(Ticker.system(), "tck-e9-quick", true, threshold));
        try (LogCapture log = new LogCapture()) {
            for (int i = 0; i < 5; i++) {
                loop.callSoon(() -> {
                    long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(30);
                    while (System.nanoTime() < until) {
                        Thread.onSpinWait(); // long enough for a watcher to look, far within the threshold
                    }
                });
            }
            runOnce(loop);
            assertEquals(List.of(), log.matching(Level.WARNING, "Blocked", "tck-e9-quick"),
                    "a callback that returns within slowCallbackDuration must not be reported as blocked (SPEC E9)");
        }
    }

    /**
     * E10: a {@code VirtualMachineError} thrown by a callback or a task is
     * fatal: it reaches the exception handler, the loop stops after the
     * iteration, and {@code runForever} rethrows that very error.
     */
    @Test
    public void required_E10_fatalErrorIsReportedStopsTheLoopAndIsRethrown() {
        for (String where : List.of("callback", "task")) {
            Loop loop = newLoop();
            StackOverflowError fatal = new StackOverflowError("tck-e10 fatal error in a " + where);
            Object[] source = new Object[1];
            if (where.equals("callback")) {
                loop.callSoon(() -> {
                    throw fatal;
                });
            } else {
                source[0] = loop.createTask(() -> {
                    throw fatal;
                });
            }
            Throwable thrown = LifecycleVerification.thrownBy(() -> onLoopThread(loop, () -> {
                loop.runForever(); // returns only because the fatal error stopped the loop
                return null;
            }));
            assertSame(fatal, thrown, "runForever must rethrow a VirtualMachineError thrown by a " + where
                    + " (SPEC E10), threw " + thrown);
            assertTrue(errors().stream().anyMatch(c -> c.exception() == fatal
                            && (source[0] == null || c.future() == source[0])),
                    "a VirtualMachineError thrown by a " + where + " must reach the exception handler"
                            + (source[0] == null ? "" : ", with the task as the context's future") + "; reported: "
                            + errors() + " (SPEC E10)");
        }
    }
}
