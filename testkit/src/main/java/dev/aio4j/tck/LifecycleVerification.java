package dev.aio4j.tck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.aio4j.AsyncIO;
import dev.aio4j.Coroutine;
import dev.aio4j.Future;
import dev.aio4j.Loop;
import dev.aio4j.Task;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * SPEC.md section L: loop lifecycle and its errors.
 *
 * <p>If a test here fails, check the loop's state machine (idle, running,
 * closed), the stop flag (honoured only at an iteration boundary) and the
 * thread-bound "running loop" that {@code AsyncIO.currentLoop()} reads.
 *
 * <p>Outcomes seen inside callbacks are recorded and asserted on the test
 * thread: an assertion thrown in a callback would only reach the exception
 * handler.
 */
public abstract class LifecycleVerification extends AbstractVerification {
    /** For a backend's subclass, which names its provider. */
    protected LifecycleVerification() {}


    @Override
    protected String area() {
        return "Lifecycle";
    }

    /** A checked exception no backend could produce by accident. */
    static final class TckCheckedException extends Exception {
        TckCheckedException(String message) {
            super(message);
        }
    }

    /** Runs {@code e} and returns what it threw, or null. */
    static Throwable thrownBy(Executable e) {
        try {
            e.execute();
            return null;
        } catch (Throwable t) {
            return t;
        }
    }

    /**
     * Runs {@code e}, which is expected to refuse to run {@code loop}, under
     * the watchdog (a backend that runs the loop instead fails, not hangs)
     * and returns what it threw, or null.
     */
    Throwable thrownByRun(Loop loop, Executable e) {
        return onLoopThread(loop, () -> thrownBy(e));
    }

    /** Runs {@code body} on a new platform thread (not the loop's) and returns what it returned. */
    static <T> T onOtherThread(Supplier<T> body) {
        CompletableFuture<T> out = new CompletableFuture<>();
        Thread t = Thread.ofPlatform().name("tck-other").start(() -> {
            try {
                out.complete(body.get());
            } catch (Throwable e) {
                out.completeExceptionally(e);
            }
        });
        try {
            t.join();
            return out.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    static void assertIllegalState(Throwable t, String expectedText, String what) {
        assertInstanceOf(IllegalStateException.class, t, what + ": expected IllegalStateException, got " + t);
        assertTrue(t.getMessage() != null && t.getMessage().contains(expectedText),
                what + ": the message must say \"" + expectedText + "\", was \"" + t.getMessage() + "\"");
    }

    // ------------------------------------------------------------------ L1, L2: results

    /** L1: runUntilComplete returns the coroutine's result, or a future's. */
    @Test
    public void required_L1_runUntilCompleteReturnsTheResult() {
        Loop loop = newLoop();
        assertEquals("main", run(loop, () -> "main"),
                "runUntilComplete(coroutine) must return the coroutine's result (SPEC L1)");
        Future<String> f = loop.createFuture();
        loop.callLater(Duration.ofMillis(1), () -> f.setResult("future"));
        assertEquals("future", onLoopThread(loop, () -> loop.runUntilComplete(f)),
                "runUntilComplete(future) must run the loop until the future is done and return its result (SPEC L1)");
        Future<String> done = loop.createFuture();
        done.setResult("already");
        assertEquals("already", onLoopThread(loop, () -> loop.runUntilComplete(done)),
                "runUntilComplete of a future already done must return its result (SPEC L1)");
    }

    /** L2: runUntilComplete rethrows the exact exception, a checked one included. */
    @Test
    public void required_L2_runUntilCompleteRethrowsTheExactException() {
        Loop loop = newLoop();
        TckCheckedException checked = new TckCheckedException("tck: checked failure of main");
        Coroutine<String> failing = () -> {
            throw checked;
        };
        Throwable t = thrownBy(() -> run(loop, failing));
        assertSame(checked, t,
                "runUntilComplete must throw the coroutine's exact exception, unwrapped, checked ones included; got " + t
                        + " (SPEC L2)");

        IllegalArgumentException unchecked = new IllegalArgumentException("tck: failure of a future");
        Future<String> f = loop.createFuture();
        loop.callSoon(() -> f.setException(unchecked));
        t = thrownBy(() -> onLoopThread(loop, () -> loop.runUntilComplete(f)));
        assertSame(unchecked, t, "runUntilComplete(future) must throw the future's exact exception; got " + t + " (SPEC L2)");

        Future<String> cancelled = loop.createFuture();
        loop.callSoon(() -> cancelled.cancel("tck: cancelled"));
        t = thrownBy(() -> onLoopThread(loop, () -> loop.runUntilComplete(cancelled)));
        assertInstanceOf(java.util.concurrent.CancellationException.class, t,
                "runUntilComplete of a cancelled future must throw CancellationException (SPEC L2)");
    }

    // ------------------------------------------------------------------ L3, L4: stop

    /** L3: stop() before runForever runs exactly one iteration, without waiting for timers. */
    @Test
    public void required_L3_stopBeforeRunForeverRunsExactlyOneIteration() {
        Loop loop = newLoop();
        List<String> seen = new ArrayList<>();
        loop.callSoon(() -> {
            seen.add("a");
            loop.callSoon(() -> seen.add("next-iteration"));
        });
        loop.callLater(Duration.ofHours(1), () -> seen.add("timer"));
        loop.stop();
        onLoopThread(loop, () -> {
            loop.runForever();
            return null;
        }); // the watchdog fails the test if the loop waits for the timer
        assertEquals(List.of("a"), seen,
                "stop() then runForever() must run exactly one iteration and return without waiting (SPEC L3)");
        assertFalse(loop.isRunning(), "the loop must not be running after runForever returned (SPEC L3)");
    }

    /** L4: stop() lets the iteration in progress finish; what it scheduled waits for the next run. */
    @Test
    public void required_L4_stopFinishesTheIterationAndKeepsLaterCallbacks() {
        Loop loop = newLoop();
        List<String> seen = new ArrayList<>();
        loop.callSoon(() -> {
            seen.add("a");
            loop.stop();
            loop.callSoon(() -> seen.add("c"));
        });
        loop.callSoon(() -> seen.add("b"));
        onLoopThread(loop, () -> {
            loop.runForever();
            return null;
        });
        assertEquals(List.of("a", "b"), seen,
                "after stop() the callbacks already ready in that iteration must still run, and no later one (SPEC L4)");
        runOnce(loop);
        assertEquals(List.of("a", "b", "c"), seen,
                "a callback scheduled in the stopping iteration must stay queued and run in the next run (SPEC L4)");
    }

    /**
     * L4: a task that stops the loop and then yields goes on only in the next
     * run, even when it is alone on the loop (its step after sleep0 belongs
     * to the next iteration, which the stop forbids).
     */
    @Test
    public void required_L4_aTaskThatStopsTheLoopAndYieldsGoesOnInTheNextRun() {
        Loop loop = newLoop();
        List<String> seen = new ArrayList<>();
        Task<Void> task = loop.createTask(() -> {
            seen.add("before");
            loop.stop();
            AsyncIO.sleep0();
            seen.add("after");
            return null;
        });
        onLoopThread(loop, () -> {
            loop.runForever();
            return null;
        });
        assertEquals(List.of("before"), seen,
                "a task that stops the loop and yields must not go on before the loop stops (SPEC L4)");
        onLoopThread(loop, () -> loop.runUntilComplete(task));
        assertEquals(List.of("before", "after"), seen, "the task must go on when the loop runs again (SPEC L4)");
    }

    /** L5: if the loop stops first, runUntilComplete fails and the task stays pending. */
    @Test
    public void required_L5_stoppedBeforeCompletionFailsAndLeavesTheTaskPending() {
        Loop loop = newLoop();
        Future<String> gate = loop.createFuture();
        Task<String> task = loop.createTask(() -> {
            loop.stop();
            return gate.await();
        });
        Throwable t = thrownBy(() -> onLoopThread(loop, () -> loop.runUntilComplete(task)));
        assertIllegalState(t, "Event loop stopped before Future completed.",
                "runUntilComplete must fail when the loop stops before the future is done (SPEC L5)");
        assertFalse(task.isDone(), "the task must be left pending, not cancelled or failed (SPEC L5)");
        gate.setResult("resumed");
        assertEquals("resumed", onLoopThread(loop, () -> loop.runUntilComplete(task)),
                "the pending task must resume when the loop runs again (SPEC L5)");

        Future<String> never = loop.createFuture();
        loop.callSoon(loop::stop);
        t = thrownBy(() -> onLoopThread(loop, () -> loop.runUntilComplete(never)));
        assertIllegalState(t, "Event loop stopped before Future completed.",
                "runUntilComplete(future) must fail when a callback stops the loop first (SPEC L5)");
        assertFalse(never.isDone(), "the future must be left pending (SPEC L5)");

        // The failed run must not leave its stop-on-completion behind: completing that future during a later
        // run must not stop the later one.
        Future<String> later = loop.createFuture();
        loop.callSoon(() -> never.setResult("done late"));
        // Two iterations after it: a stale stop would end that run first (stop() lets only the current iteration finish).
        loop.callSoon(() -> loop.callSoon(() -> loop.callSoon(() -> later.setResult("later"))));
        assertEquals("later", onLoopThread(loop, () -> loop.runUntilComplete(later)), "completing the future of an "
                + "earlier, failed runUntilComplete must not stop a later run (SPEC L5)");
    }

    // ------------------------------------------------------------------ L6: bad input

    /** L6: runUntilComplete refuses a future of another loop and null arguments. */
    @Test
    public void required_L6_runUntilCompleteRefusesForeignFuturesAndNull() {
        Loop loop = newLoop();
        Loop other = newLoop();
        Future<String> foreign = other.createFuture();
        Throwable t = thrownByRun(loop, () -> loop.runUntilComplete(foreign));
        IllegalArgumentException e = assertInstanceOf(IllegalArgumentException.class, t,
                "runUntilComplete with a future of another loop must throw IllegalArgumentException (SPEC L6)");
        assertTrue(e.getMessage() != null && e.getMessage().contains("another loop"),
                "the message must say the future belongs to another loop, was \"" + e.getMessage() + "\" (SPEC L6)");
        assertFalse(loop.isRunning(), "a refused runUntilComplete must not leave the loop running (SPEC L6)");

        NullPointerException npe = assertInstanceOf(NullPointerException.class,
                thrownByRun(loop, () -> loop.runUntilComplete((Coroutine<Object>) null)),
                "runUntilComplete((Coroutine) null) must throw NullPointerException (SPEC L6)");
        assertTrue(npe.getMessage() != null && npe.getMessage().contains("main"),
                "the NullPointerException must name 'main', was \"" + npe.getMessage() + "\" (SPEC L6)");
        npe = assertInstanceOf(NullPointerException.class,
                thrownByRun(loop, () -> loop.runUntilComplete((Future<Object>) null)),
                "runUntilComplete((Future) null) must throw NullPointerException (SPEC L6)");
        assertTrue(npe.getMessage() != null && npe.getMessage().contains("future"),
                "the NullPointerException must name 'future', was \"" + npe.getMessage() + "\" (SPEC L6)");
        assertEquals("still usable", run(loop, () -> "still usable"),
                "the loop must still run after refused calls (SPEC L6)");
    }

    // ------------------------------------------------------------------ L7, L8: re-entry

    /** L7: running a loop that is already running fails, from a callback, a task or another thread. */
    @Test
    public void required_L7_runningLoopCannotBeRunAgain() {
        Loop loop = newLoop();
        List<Throwable> seen = new ArrayList<>();
        List<String> refusedRan = new ArrayList<>();
        loop.callSoon(() -> {
            seen.add(thrownBy(loop::runForever));
            seen.add(thrownBy(() -> loop.runUntilComplete(() -> refusedRan.add("nested coroutine ran") ? "nested" : "")));
            seen.add(onOtherThread(() -> thrownBy(loop::runForever)));
        });
        String r = run(loop, () -> {
            seen.add(thrownBy(loop::runForever));
            seen.add(thrownBy(() -> loop.runUntilComplete(loop.createFuture())));
            Future<String> done = loop.createFuture();
            done.setResult("already done");
            seen.add(thrownBy(() -> loop.runUntilComplete(done)));
            for (int i = 0; i < 3; i++) {
                AsyncIO.sleep0(); // a refused run must leave nothing behind that stops this one
            }
            return "done";
        });
        assertEquals("done", r, "the loop must keep running after a refused re-entry (SPEC L7)");
        runOnce(loop);
        assertEquals(List.of(), refusedRan, "the coroutine given to a refused runUntilComplete must never run (SPEC L7)");
        String[] where = {"runForever in a callback", "runUntilComplete in a callback",
                "runForever from another thread while it runs", "runForever in a task", "runUntilComplete in a task",
                "runUntilComplete of a done future in a task"};
        assertEquals(where.length, seen.size(), "SPEC L7");
        for (int i = 0; i < where.length; i++) {
            assertIllegalState(seen.get(i), "already running", where[i] + " (SPEC L7)");
        }
    }

    /** L8: a loop cannot run in a thread where another loop is running. */
    @Test
    public void required_L8_anotherLoopCannotRunInsideARunningLoop() {
        Loop loop = newLoop();
        Loop other = newLoop();
        List<Throwable> seen = new ArrayList<>();
        loop.callSoon(() -> {
            seen.add(thrownBy(other::runForever));
            seen.add(thrownBy(() -> other.runUntilComplete(() -> "nested")));
        });
        run(loop, () -> {
            seen.add(thrownBy(other::runForever));
            seen.add(thrownBy(() -> other.runUntilComplete(() -> "nested")));
            return null;
        });
        String[] where = {"runForever in a callback of another loop", "runUntilComplete in a callback of another loop",
                "runForever in a task of another loop", "runUntilComplete in a task of another loop"};
        assertEquals(where.length, seen.size(), "SPEC L8");
        for (int i = 0; i < where.length; i++) {
            assertIllegalState(seen.get(i), "another loop", where[i] + " (SPEC L8)");
        }
        assertFalse(other.isRunning(), "the refused loop must not be left running (SPEC L8)");
        assertEquals("fine", run(other, () -> "fine"), "the refused loop must still run afterwards (SPEC L8)");
    }

    // ------------------------------------------------------------------ L9 - L12: close

    /** L9: close() while the loop runs fails, from the loop and from another thread; the loop goes on. */
    @Test
    public void required_L9_closeWhileRunningFails() {
        Loop loop = newLoop();
        List<Throwable> seen = new ArrayList<>();
        loop.callSoon(() -> {
            seen.add(thrownBy(loop::close));
            seen.add(onOtherThread(() -> thrownBy(loop::close)));
        });
        String r = run(loop, () -> {
            seen.add(thrownBy(loop::close));
            return "done";
        });
        assertEquals("done", r, "the loop must keep running after a refused close() (SPEC L9)");
        String[] where = {"close() in a callback", "close() from another thread while it runs", "close() in a task"};
        assertEquals(where.length, seen.size(), "SPEC L9");
        for (int i = 0; i < where.length; i++) {
            assertIllegalState(seen.get(i), "running", where[i] + " (SPEC L9)");
        }
        assertFalse(loop.isClosed(), "a refused close() must not close the loop (SPEC L9)");
    }

    /** L10: close() is idempotent. */
    @Test
    public void required_L10_closeIsIdempotent() {
        Loop loop = newLoop();
        run(loop, () -> null);
        loop.close();
        assertTrue(loop.isClosed(), "isClosed() must be true after close() (SPEC L10)");
        Throwable t = thrownBy(loop::close);
        assertNull(t, "a second close() must do nothing, it threw " + t + " (SPEC L10)");
        Throwable t2 = onOtherThread(() -> thrownBy(loop::close));
        assertNull(t2, "close() from another thread on a closed loop must do nothing, it threw " + t2 + " (SPEC L10)");
        assertTrue(loop.isClosed(), "SPEC L10");
    }

    /** L11: close() discards queued callbacks and timers: they never run. */
    @Test
    public void required_L11_closeDiscardsQueuedCallbacksAndTimers() {
        Loop loop = newLoop();
        AtomicInteger ran = new AtomicInteger();
        // Left queued by a stopped run ...
        loop.callSoon(() -> {
            loop.stop();
            loop.callSoon(ran::incrementAndGet);
        });
        onLoopThread(loop, () -> {
            loop.runForever();
            return null;
        });
        // ... and scheduled while idle, from the owner and from another thread.
        loop.callSoon(ran::incrementAndGet);
        loop.callLater(Duration.ZERO, ran::incrementAndGet);
        loop.callLater(Duration.ofMillis(1), ran::incrementAndGet);
        loop.callAt(loop.time() - 1, ran::incrementAndGet);
        onOtherThread(() -> loop.callSoonThreadsafe(ran::incrementAndGet));
        loop.close();
        assertEquals(0, ran.get(), "close() must discard queued callbacks and timers, not run them (SPEC L11)");
        // Give a backend with a timer thread of its own the time to misfire the 1 ms timer.
        run(newLoop(), () -> {
            AsyncIO.sleep(Duration.ofMillis(30));
            return null;
        });
        assertEquals(0, ran.get(), "a callback or timer queued before close() must never run (SPEC L11)");
    }

    /** L12: a closed loop refuses work with "Event loop is closed"; createFuture still works. */
    @Test
    public void required_L12_closedLoopRefusesWork() {
        Loop loop = newLoop();
        Future<String> before = loop.createFuture();
        loop.close();
        Executor direct = Runnable::run;
        Object[][] calls = {
            {"callSoon", (Executable) () -> loop.callSoon(() -> {})},
            {"callLater", (Executable) () -> loop.callLater(Duration.ofMillis(1), () -> {})},
            {"callAt", (Executable) () -> loop.callAt(loop.time(), () -> {})},
            {"callSoonThreadsafe", (Executable) () -> loop.callSoonThreadsafe(() -> {})},
            {"createTask", (Executable) () -> loop.createTask(() -> null)},
            {"createTask(name)", (Executable) () -> loop.createTask(() -> null, "tck")},
            {"runForever", (Executable) loop::runForever},
            {"runUntilComplete(coroutine)", (Executable) () -> loop.runUntilComplete(() -> null)},
            {"runUntilComplete(future)", (Executable) () -> loop.runUntilComplete(before)},
            {"runInExecutor(null)", (Executable) () -> loop.runInExecutor(null, () -> null)},
            {"runInExecutor(executor)", (Executable) () -> loop.runInExecutor(direct, () -> null)},
            {"runCoroutineThreadsafe", (Executable) () -> loop.runCoroutineThreadsafe(() -> null)},
            {"wrapFuture(CompletionStage)", (Executable) () -> loop.wrapFuture(new CompletableFuture<String>())},
            {"wrapFuture(java.util.concurrent.Future)",
                (Executable) () -> loop.wrapFuture(new java.util.concurrent.FutureTask<String>(() -> "x"))},
        };
        for (Object[] c : calls) {
            Throwable t = thrownByRun(loop, (Executable) c[1]);
            assertIllegalState(t, "Event loop is closed", c[0] + " on a closed loop (SPEC L12)");
        }
        Throwable t = onOtherThread(() -> thrownBy(() -> loop.callSoonThreadsafe(() -> {})));
        assertIllegalState(t, "Event loop is closed", "callSoonThreadsafe from another thread on a closed loop (SPEC L12)");

        Future<String> f = loop.createFuture();
        assertSame(loop, f.loop(), "createFuture on a closed loop must still give a future of that loop (SPEC L12)");
        assertFalse(f.isDone(), "SPEC L12");
        f.setResult("ok");
        assertEquals("ok", f.result(), "a future of a closed loop must still hold a result (SPEC L12)");
    }

    // ------------------------------------------------------------------ L13, L14: state

    /** L13: isRunning and isClosed tell the loop's state, from any thread. */
    @Test
    public void required_L13_isRunningAndIsClosedReportTheState() {
        Loop loop = newLoop();
        assertFalse(loop.isRunning(), "a new loop must not be running (SPEC L13)");
        assertFalse(loop.isClosed(), "a new loop must not be closed (SPEC L13)");
        List<Boolean> inside = new ArrayList<>();
        loop.callSoon(() -> {
            inside.add(loop.isRunning());
            inside.add(onOtherThread(loop::isRunning));
            inside.add(loop.isClosed());
        });
        run(loop, () -> {
            inside.add(loop.isRunning());
            return null;
        });
        assertEquals(List.of(true, true, false, true), inside,
                "isRunning() must be true in a callback, from another thread while it runs and in a task; "
                        + "isClosed() false (SPEC L13)");
        assertFalse(loop.isRunning(), "isRunning() must be false once runUntilComplete returned (SPEC L13)");
        loop.close();
        assertTrue(loop.isClosed(), "isClosed() must be true after close() (SPEC L13)");
        assertFalse(loop.isRunning(), "a closed loop must not be running (SPEC L13)");
    }

    /** L14: a loop can run again after a run returned; what was left queued carries over. */
    @Test
    public void required_L14_loopCanRunAgain() {
        Loop loop = newLoop();
        List<String> seen = new ArrayList<>();
        assertEquals("one", run(loop, () -> {
            loop.callLater(Duration.ofMillis(5), () -> seen.add("timer from run 1"));
            return "one";
        }), "SPEC L14");
        assertEquals("two", run(loop, () -> {
            AsyncIO.sleep(Duration.ofMillis(20));
            return "two";
        }), "runUntilComplete must work a second time on the same loop (SPEC L14)");
        assertEquals(List.of("timer from run 1"), seen,
                "a timer scheduled in one run must fire in the next (SPEC L14)");
        loop.callSoon(loop::stop);
        onLoopThread(loop, () -> {
            loop.runForever();
            return null;
        });
        assertEquals("three", run(loop, () -> "three"), "the loop must run again after runForever returned (SPEC L14)");
    }

    // ------------------------------------------------------------------ L15, L16: running loop and task

    /** L15: AsyncIO.currentLoop() is the loop inside its callbacks and tasks, and fails elsewhere. */
    @Test
    public void required_L15_currentLoopIsTheRunningLoopAndFailsOutside() {
        Loop loop = newLoop();
        Map<String, Object> seen = new ConcurrentHashMap<>();
        loop.callSoon(() -> {
            seen.put("callback", AsyncIO.currentLoop());
            seen.put("callback inLoop", loop.inLoop());
            seen.put("other thread", onOtherThread(() -> String.valueOf(thrownBy(AsyncIO::currentLoop))));
            seen.put("other thread inLoop", onOtherThread(loop::inLoop));
        });
        loop.callLater(Duration.ZERO, () -> seen.put("timer", AsyncIO.currentLoop()));
        run(loop, () -> {
            seen.put("task", AsyncIO.currentLoop());
            seen.put("task inLoop", loop.inLoop());
            return null;
        });
        assertSame(loop, seen.get("callback"), "AsyncIO.currentLoop() in a callback must be its loop (SPEC L15)");
        assertEquals(true, seen.get("callback inLoop"), "inLoop() must be true in a callback (SPEC L15)");
        assertSame(loop, seen.get("timer"), "AsyncIO.currentLoop() in a timer callback must be its loop (SPEC L15)");
        assertSame(loop, seen.get("task"), "AsyncIO.currentLoop() in a task must be its loop (SPEC L15)");
        assertEquals(true, seen.get("task inLoop"), "inLoop() must be true in a task (SPEC L15)");
        String other = (String) seen.get("other thread");
        assertTrue(other != null && other.startsWith(IllegalStateException.class.getName()) && other.contains("no running event loop"),
                "AsyncIO.currentLoop() on another thread while the loop runs must throw IllegalStateException "
                        + "\"no running event loop\", got " + other + " (SPEC L15)");
        assertEquals(false, seen.get("other thread inLoop"), "inLoop() must be false on another thread (SPEC L15)");

        assertIllegalState(thrownBy(AsyncIO::currentLoop), "no running event loop",
                "AsyncIO.currentLoop() outside any loop (SPEC L15)");
        Loop second = newLoop();
        Throwable[] afterRun = new Throwable[1];
        String secondRan = onLoopThread(loop, () -> {
            loop.runUntilComplete(() -> null);
            afterRun[0] = thrownBy(AsyncIO::currentLoop);
            return second.runUntilComplete(() -> "other loop ran");
        });
        assertIllegalState(afterRun[0], "no running event loop",
                "AsyncIO.currentLoop() on the thread that ran the loop, once runUntilComplete returned (SPEC L15)");
        assertEquals("other loop ran", secondRan, "the thread that ran a loop must be able to run another afterwards (SPEC L15)");
        assertFalse(loop.inLoop(), "inLoop() must be false outside the loop (SPEC L15)");
    }

    /** L16: AsyncIO.currentTask() is the task in a task step, and empty in a callback or outside a loop. */
    @Test
    public void required_L16_currentTaskIsEmptyInACallback() {
        Loop loop = newLoop();
        List<Object> seen = new ArrayList<>();
        loop.callSoon(() -> {
            seen.add(AsyncIO.currentTask());
            seen.add(Optional.ofNullable(loop.currentTask()));
        });
        Task<String> task = loop.createTask(() -> {
            seen.add(AsyncIO.currentTask());
            seen.add(Optional.ofNullable(loop.currentTask()));
            return "t";
        });
        task.addDoneCallback(t -> seen.add(AsyncIO.currentTask()));
        onLoopThread(loop, () -> loop.runUntilComplete(task));
        runOnce(loop); // the done callback may run after runUntilComplete returned
        assertEquals(5, seen.size(), "SPEC L16");
        assertEquals(Optional.empty(), seen.get(0), "AsyncIO.currentTask() must be empty in a callback (SPEC L16)");
        assertEquals(Optional.empty(), seen.get(1), "loop.currentTask() must be null in a callback (SPEC L16)");
        assertEquals(Optional.of(task), seen.get(2), "AsyncIO.currentTask() in a task must be that task (SPEC L16)");
        assertEquals(Optional.of(task), seen.get(3), "loop.currentTask() in a task must be that task (SPEC L16)");
        assertEquals(Optional.empty(), seen.get(4),
                "AsyncIO.currentTask() must be empty in a task's done callback (SPEC L16)");
        assertEquals(Optional.empty(), AsyncIO.currentTask(),
                "AsyncIO.currentTask() must be empty outside any loop (SPEC L16)");
    }

    /** L19: a loop's text names it and says whether it runs or is closed (error messages show it). */
    @Test
    public void required_L19_aLoopsTextTellsItsNameAndState() {
        Loop loop = newLoop(dev.aio4j.LoopOptions.defaults().withName("tck-l19"));
        String idle = loop.toString();
        String running = run(loop, loop::toString);
        loop.close();
        String closed = loop.toString();
        List<String> texts = List.of(idle, running, closed);
        assertTrue(texts.stream().allMatch(t -> t.contains("tck-l19")), "a loop's text must name it, was: " + texts
                + " (SPEC L19)");
        assertFalse(idle.contains("running") || idle.contains("closed"), "a loop neither running nor closed must "
                + "not say it is, was: " + idle + " (SPEC L19)");
        assertTrue(running.contains("running") && !running.contains("closed"), "a running loop's text must say "
                + "'running', was: " + running + " (SPEC L19)");
        assertTrue(closed.contains("closed") && !closed.contains("running"), "a closed loop's text must say "
                + "'closed', was: " + closed + " (SPEC L19)");
    }

    /**
     * L18: closing the loop fails what other threads may be blocked on: the
     * {@code CompletableFuture} view of a pending future, and a
     * {@code runCoroutineThreadsafe} that never ran, each with
     * {@code IllegalStateException} saying the loop is closed; a view taken
     * after close of a future still pending fails at once.
     *
     * @throws Exception an unexpected failure, which fails the test
     */
    @Test
    public void required_L18_closeFailsWhatOtherThreadsWaitOn() throws Exception {
        Loop loop = newLoop();
        Future<String> pending = loop.createFuture();
        CompletableFuture<String> view = pending.toCompletableFuture();
        CompletableFuture<String> queued = loop.runCoroutineThreadsafe(() -> "never runs");
        CompletableFuture<Throwable> blocked = new CompletableFuture<>();
        Thread.ofPlatform().daemon().name("tck-blocked-in-get").start(() -> {
            try {
                view.get();
                blocked.complete(null);
            } catch (java.util.concurrent.ExecutionException e) {
                blocked.complete(e.getCause());
            } catch (Throwable e) {
                blocked.complete(e);
            }
        });
        loop.close();
        Throwable seen = blocked.get(env.timeout().toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        assertInstanceOf(IllegalStateException.class, seen,
                "a thread blocked in get() on the view of a pending future must be released by close() with "
                        + "IllegalStateException (SPEC L18)");
        assertTrue(seen.getMessage().contains("closed"), "the message must say the loop is closed: " + seen.getMessage()
                + " (SPEC L18)");
        Throwable q = thrownBy(() -> queued.get(env.timeout().toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS));
        assertInstanceOf(java.util.concurrent.ExecutionException.class, q,
                "runCoroutineThreadsafe queued on a loop that closed must fail, not stay pending (SPEC L18)");
        assertInstanceOf(IllegalStateException.class, q.getCause(), "SPEC L18");
        CompletableFuture<Object> late = loop.createFuture().toCompletableFuture();
        assertTrue(late.isCompletedExceptionally(),
                "the view of a pending future of a closed loop must fail at once (SPEC L18)");
    }
}
