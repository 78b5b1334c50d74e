package dev.aio4j.tck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.aio4j.AsyncIO;
import dev.aio4j.CancelledError;
import dev.aio4j.Future;
import dev.aio4j.Handle;
import dev.aio4j.Loop;
import dev.aio4j.Task;
import dev.aio4j.TimerHandle;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.jetbrains.lincheck.datastructures.StressOptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * SPEC.md section H: threads and the thread-safe entry points
 * ({@code callSoonThreadsafe}, {@code runCoroutineThreadsafe}, {@code inLoop},
 * and the thread check of every other call).
 *
 * <p>If a test here fails, check the inbox other threads write to (lock-free
 * FIFO, drained at each iteration), the wake-up of an idle loop (no lost
 * wake-up between "inbox empty" and "park"), and the owner check in every
 * confined method.
 */
public abstract class ThreadSafetyVerification extends AbstractVerification {
    /** For a backend's subclass, which names its provider. */
    protected ThreadSafetyVerification() {}


    @Override
    protected String area() {
        return "Threads";
    }

    /**
     * Runs {@code action} on a new platform thread and, from the calling task,
     * awaits its outcome without blocking the loop. An AssertionError thrown
     * there fails the test.
     */
    private <T> T fromOtherThread(Loop loop, Callable<T> action) {
        CompletableFuture<T> cf = new CompletableFuture<>();
        Thread.ofPlatform().name("tck-other").daemon().start(() -> {
            try {
                cf.complete(action.call());
            } catch (Throwable t) {
                cf.completeExceptionally(t);
            }
        });
        return loop.wrapFuture(cf).await();
    }

    private long timeoutMillis() {
        return env.timeout().toMillis();
    }

    /** H1: a callback given to callSoonThreadsafe from another thread runs once, on the loop. */
    @Test
    public void required_H1_callSoonThreadsafeRunsTheCallbackOnTheLoop() {
        Loop loop = newLoop();
        List<String> seen = new ArrayList<>();
        run(loop, () -> {
            Future<Void> done = loop.createFuture();
            fromOtherThread(loop, () -> loop.callSoonThreadsafe(() -> {
                seen.add("inLoop=" + loop.inLoop());
                done.setResult(null); // a confined call: it works only on the loop
            }));
            done.await();
            return null;
        });
        assertEquals(List.of("inLoop=true"), seen,
                "a callback given to callSoonThreadsafe from another thread must run exactly once, on the loop (SPEC H1)");

        // The handle it returns, from another thread or on the loop, cancels the callback (cancel() on the loop).
        List<String> cancelledRan = new ArrayList<>();
        Handle fromElsewhere = CompletableFuture.supplyAsync(() -> loop.callSoonThreadsafe(() -> cancelledRan.add("elsewhere")),
                r -> Thread.ofPlatform().name("tck-h1-other").daemon().start(r)).orTimeout(timeoutMillis(), TimeUnit.MILLISECONDS).join();
        fromElsewhere.cancel(); // the loop does not run yet: this thread may act for it
        run(loop, () -> {
            loop.callSoonThreadsafe(() -> cancelledRan.add("on the loop")).cancel();
            AsyncIO.sleep0();
            AsyncIO.sleep0();
            return null;
        });
        assertEquals(List.of(), cancelledRan, "the Handle callSoonThreadsafe returns must cancel the callback, whether "
                + "it was scheduled from another thread or on the loop (SPEC H1)");
    }

    /**
     * H2: callSoonThreadsafe wakes an idle loop at once, whether it waits for a far timer or for nothing, and
     * every time it idles, not only the first (a wake-up flag that is never re-armed loses all but one).
     */
    @Test
    public void required_H2_callSoonThreadsafeWakesAnIdleLoop() {
        Loop farTimer = newLoop();
        farTimer.callLater(Duration.ofHours(1), () -> {});
        wakeIdleLoop(farTimer, "a loop waiting for a timer due in one hour");
        wakeIdleLoop(newLoop(), "a loop with nothing scheduled");
        Loop again = newLoop();
        for (int i = 1; i <= 3; i++) {
            wakeIdleLoop(again, "a loop idle again (" + i + " of 3)");
        }
    }

    /**
     * H2: a loop that never idles (a task yielding with sleep0, over and over) still runs what other
     * threads send, at an iteration boundary: the inbox is drained at every boundary, not only before a wait.
     */
    @Test
    public void required_H2_callSoonThreadsafeRunsWhileTheLoopStaysBusy() {
        Loop loop = newLoop();
        String r = run(loop, () -> {
            AtomicBoolean ran = new AtomicBoolean();
            Thread.ofPlatform().name("tck-h2-sender").daemon().start(() -> loop.callSoonThreadsafe(() -> ran.set(true)));
            long yields = 0;
            while (!ran.get()) { // the watchdog (env.timeout()) fails the test if the callback never runs
                AsyncIO.sleep0();
                yields++;
            }
            return "ran after " + yields + " yields";
        });
        assertTrue(r.startsWith("ran"), "a callback sent with callSoonThreadsafe while the loop stays "
                + "busy (a task yielding without end) must run at a coming iteration boundary, not wait for the loop "
                + "to go idle (SPEC H2)");
    }

    private void wakeIdleLoop(Loop loop, String what) {
        CountDownLatch running = new CountDownLatch(1);
        AtomicReference<Thread> loopThread = new AtomicReference<>();
        loop.callSoon(() -> {
            loopThread.set(Thread.currentThread());
            running.countDown();
        });
        Thread.ofPlatform().name("tck-waker").daemon().start(() -> {
            try {
                if (!running.await(timeoutMillis(), TimeUnit.MILLISECONDS)) {
                    env.flop("the loop never ran its first callback (SPEC H2)");
                    return;
                }
                // Best effort: call while the loop is parked, the case a lost wake-up breaks.
                Thread t = loopThread.get();
                long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
                while (System.nanoTime() < until && t.getState() != Thread.State.WAITING
                        && t.getState() != Thread.State.TIMED_WAITING) {
                    Thread.onSpinWait();
                }
                loop.callSoonThreadsafe(loop::stop);
            } catch (Throwable e) {
                env.flop(e);
            }
        });
        try {
            onLoopThread(loop, () -> {
                loop.runForever();
                return null;
            });
        } catch (AssertionError e) {
            throw new AssertionError("callSoonThreadsafe from another thread must wake " + what
                    + " at once (SPEC H2): " + e.getMessage(), e);
        }
    }

    /** H3: many threads calling callSoonThreadsafe at once: every callback runs exactly once, in each producer's order. */
    @Test
    public void required_H3_concurrentProducersLoseNothingAndKeepTheirOrder() {
        Loop loop = newLoop();
        int producers = 4;
        int perProducer = 5_000;
        int total = producers * perProducer;
        List<int[]> seen = new ArrayList<>(total); // touched only on the loop
        CyclicBarrier start = new CyclicBarrier(producers);
        for (int p = 0; p < producers; p++) {
            int producer = p;
            Thread.ofPlatform().name("tck-producer-" + p).daemon().start(() -> {
                try {
                    start.await(timeoutMillis(), TimeUnit.MILLISECONDS);
                    for (int i = 0; i < perProducer; i++) {
                        int n = i;
                        loop.callSoonThreadsafe(() -> {
                            seen.add(new int[] {producer, n});
                            if (seen.size() == total) {
                                loop.stop();
                            }
                        });
                    }
                } catch (Throwable e) {
                    env.flop(e);
                }
            });
        }
        onLoopThread(loop, () -> {
            loop.runForever();
            return null;
        });
        assertEquals(total, seen.size(), "every callback given to callSoonThreadsafe must run exactly once (SPEC H3)");
        int[] next = new int[producers];
        for (int[] e : seen) {
            assertEquals(next[e[0]], e[1], "callbacks of producer " + e[0]
                    + " must run in the order it called callSoonThreadsafe, each once (SPEC H3)");
            next[e[0]]++;
        }
    }

    /** A holder with plain (non-volatile) fields. */
    private static final class Plain {
        int value;
        String text;
    }

    /** H4: plain writes a thread makes before callSoonThreadsafe are visible in the callback (happens-before). */
    @Test
    public void required_H4_writesBeforeCallSoonThreadsafeAreVisibleInTheCallback() {
        Loop loop = newLoop();
        int rounds = 10_000;
        List<String> wrong = new ArrayList<>(); // touched only on the loop
        run(loop, () -> {
            Future<Void> done = loop.createFuture();
            fromOtherThread(loop, () -> {
                for (int i = 0; i < rounds; i++) {
                    Plain h = new Plain();
                    h.value = i;
                    h.text = "v" + i;
                    int expected = i;
                    loop.callSoonThreadsafe(() -> {
                        if (h.value != expected || !("v" + expected).equals(h.text)) {
                            wrong.add("round " + expected + " saw value=" + h.value + " text=" + h.text);
                        }
                    });
                }
                loop.callSoonThreadsafe(() -> done.setResult(null));
                return null;
            });
            done.await();
            return null;
        });
        assertEquals(List.of(), wrong,
                "writes made before callSoonThreadsafe must be visible in the callback: it must happen-before (SPEC H4)");
    }

    /** H5: callSoonThreadsafe and execute called on the loop queue like callSoon, in call order. */
    @Test
    public void required_H5_callSoonThreadsafeOnTheLoopIsCallSoon() {
        Loop loop = newLoop();
        List<String> seen = new ArrayList<>();
        loop.callSoon(() -> {
            loop.callSoon(() -> seen.add("1"));
            loop.callSoonThreadsafe(() -> seen.add("2"));
            loop.callSoon(() -> seen.add("3"));
            loop.execute(() -> seen.add("4"));
            loop.callSoon(() -> seen.add("5"));
        });
        runOnce(loop);
        runOnce(loop);
        assertEquals(List.of("1", "2", "3", "4", "5"), seen,
                "callSoonThreadsafe and execute called on the loop must queue like callSoon, in call order (SPEC H5)");
    }

    /** H6: runCoroutineThreadsafe runs the coroutine as a task and completes its CompletableFuture with the result or the exact exception. */
    @Test
    public void required_H6_runCoroutineThreadsafeDeliversResultAndException() {
        Loop loop = newLoop();
        IllegalStateException boom = new IllegalStateException("boom");
        List<Object> out = run(loop, () -> fromOtherThread(loop, () -> {
            CompletableFuture<String> ok = loop.runCoroutineThreadsafe(() -> {
                AsyncIO.sleep0();
                return "task=" + (AsyncIO.currentTask().isPresent()) + " inLoop=" + loop.inLoop();
            });
            String v = ok.get(timeoutMillis(), TimeUnit.MILLISECONDS);
            CompletableFuture<Object> bad = loop.runCoroutineThreadsafe(() -> {
                AsyncIO.sleep0();
                throw boom;
            });
            ExecutionException e = assertThrows(ExecutionException.class, () -> bad.get(timeoutMillis(), TimeUnit.MILLISECONDS),
                    "runCoroutineThreadsafe's future must fail when the coroutine throws (SPEC H6)");
            List<Object> r = new ArrayList<>();
            r.add(v);
            r.add(e.getCause());
            return r;
        }));
        assertEquals("task=true inLoop=true", out.get(0),
                "runCoroutineThreadsafe must run the coroutine as a task on the loop and deliver its result (SPEC H6)");
        assertSame(boom, out.get(1),
                "runCoroutineThreadsafe's future must fail with the coroutine's own exception, got " + out.get(1) + " (SPEC H6)");
    }

    /** H7: cancelling runCoroutineThreadsafe's future cancels the task; a cancelled task cancels the future. */
    @Test
    public void required_H7_runCoroutineThreadsafeCancellationGoesBothWays() {
        Loop loop = newLoop();
        List<String> out = run(loop, () -> fromOtherThread(loop, () -> {
            List<String> r = new ArrayList<>();
            // 1. the caller cancels the CompletableFuture: the task gets CancelledError at its await.
            CountDownLatch waiting = new CountDownLatch(1);
            CountDownLatch sawCancel = new CountDownLatch(1);
            CompletableFuture<Object> cf = loop.runCoroutineThreadsafe(() -> {
                Future<Object> never = loop.createFuture();
                waiting.countDown();
                try {
                    return never.await();
                } catch (CancelledError e) {
                    sawCancel.countDown();
                    throw e;
                }
            });
            assertTrue(waiting.await(timeoutMillis(), TimeUnit.MILLISECONDS), "the coroutine never started (SPEC H7)");
            cf.cancel(false);
            r.add("task cancelled=" + sawCancel.await(timeoutMillis(), TimeUnit.MILLISECONDS));
            // 2. the task is cancelled on the loop: the CompletableFuture is cancelled.
            AtomicReference<Task<?>> task = new AtomicReference<>();
            CountDownLatch started = new CountDownLatch(1);
            CompletableFuture<Object> cf2 = loop.runCoroutineThreadsafe(() -> {
                task.set(AsyncIO.currentTask().orElseThrow());
                started.countDown();
                return loop.createFuture().await();
            });
            assertTrue(started.await(timeoutMillis(), TimeUnit.MILLISECONDS), "the coroutine never started (SPEC H7)");
            loop.callSoonThreadsafe(() -> task.get().cancel());
            try {
                cf2.get(timeoutMillis(), TimeUnit.MILLISECONDS);
                r.add("future completed normally");
            } catch (CancellationException e) {
                r.add("future cancelled=" + cf2.isCancelled());
            }
            return r;
        }));
        assertEquals("task cancelled=true", out.get(0),
                "cancelling runCoroutineThreadsafe's CompletableFuture must cancel the task at its await point (SPEC H7)");
        assertEquals("future cancelled=true", out.get(1),
                "a cancelled task must cancel the CompletableFuture runCoroutineThreadsafe returned (SPEC H7)");
    }

    /** H8: a confined call from another thread while the loop runs throws WrongThreadException naming the method. */
    @Test
    public void required_H8_confinedCallsFromAnotherThreadThrowWrongThreadException() {
        Loop loop = newLoop();
        List<String> problems = run(loop, () -> {
            Future<String> f = loop.createFuture();
            AtomicBoolean creatorAsked = new AtomicBoolean();
            Future<String> decided = loop.createFuture(message -> {
                creatorAsked.set(true);
                return false;
            });
            Task<Object> t = loop.createTask(() -> loop.createFuture().await(), "tck-h8");
            TimerHandle timer = loop.callLater(Duration.ofHours(1), () -> {});
            AsyncIO.sleep0();
            Map<String, Runnable> calls = new LinkedHashMap<>();
            calls.put("callSoon", () -> loop.callSoon(() -> {}));
            calls.put("callLater", () -> loop.callLater(Duration.ZERO, () -> {}));
            calls.put("callAt", () -> loop.callAt(loop.time(), () -> {}));
            calls.put("createTask", () -> loop.createTask(() -> null));
            calls.put("runInExecutor", () -> loop.runInExecutor(Runnable::run, () -> null));
            calls.put("wrapFuture", () -> loop.wrapFuture(new CompletableFuture<>()));
            calls.put("wrapFuture (a plain Future)",
                    () -> loop.wrapFuture(new java.util.concurrent.FutureTask<String>(() -> "x")));
            calls.put("stop", loop::stop);
            calls.put("allTasks", loop::allTasks);
            calls.put("currentTask", loop::currentTask);
            calls.put("setExceptionHandler", () -> loop.setExceptionHandler((l, c) -> {}));
            calls.put("setDefaultExecutor", () -> loop.setDefaultExecutor(java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()));
            calls.put("shutdownDefaultExecutor", loop::shutdownDefaultExecutor);
            calls.put("setResult", () -> f.setResult("x"));
            calls.put("setException", () -> f.setException(new RuntimeException()));
            calls.put("cancel", () -> f.cancel());
            calls.put("cancel (a future whose creator decides)", () -> decided.cancel());
            calls.put("addDoneCallback", () -> f.addDoneCallback(x -> {}));
            calls.put("result", f::result);
            calls.put("exception", f::exception);
            calls.put("removeDoneCallback", () -> f.removeDoneCallback(x -> {}));
            calls.put("Task.cancel", () -> t.cancel());
            calls.put("Task.cancel (message, origin)", () -> t.cancel("tck-h8", "tck-h8 origin"));
            calls.put("Task.cancelling", t::cancelling);
            calls.put("Task.cancelRequests", t::cancelRequests);
            calls.put("Task.uncancel", t::uncancel);
            calls.put("Task.uncancel (origin)", () -> t.uncancel("tck-h8 origin"));
            calls.put("Task.setName", () -> t.setName("renamed from another thread"));
            calls.put("TimerHandle.cancel", timer::cancel);
            List<String> r = fromOtherThread(loop, () -> {
                List<String> bad = new ArrayList<>();
                calls.forEach((name, call) -> {
                    String method = name.substring(name.indexOf('.') + 1).split(" ")[0];
                    try {
                        call.run();
                        bad.add(name + " did not throw");
                    } catch (WrongThreadException e) {
                        if (e.getMessage() == null || !e.getMessage().contains(method)) {
                            bad.add(name + "'s WrongThreadException does not name the method: " + e.getMessage());
                        }
                    } catch (Throwable e) {
                        bad.add(name + " threw " + e + " instead of WrongThreadException");
                    }
                });
                return bad;
            });
            if (f.isDone()) {
                r.add("a refused call changed the future: " + f);
            }
            if (decided.isDone() || creatorAsked.get()) {
                r.add("a refused cancel reached the future created with onCancel, or asked its creator: " + decided);
            }
            if (t.isDone() || t.cancelling() != 0 || !t.getName().equals("tck-h8")) {
                r.add("a refused call changed the task: " + t + ", cancelling " + t.cancelling());
            }
            if (timer.isCancelled()) {
                r.add("a refused call cancelled the timer");
            }
            timer.cancel();
            t.cancel();
            return r;
        });
        assertEquals(List.of(), problems, "confined calls from another thread while the loop runs must throw "
                + "WrongThreadException naming the method, and have no effect (SPEC H8)");
    }

    /** H9: inLoop() is true in callbacks, done callbacks and tasks, false on other threads and while the loop does not run. */
    @Test
    public void required_H9_inLoopTellsWhetherTheCallerRunsOnTheLoop() {
        Loop loop = newLoop();
        assertFalse(loop.inLoop(), "inLoop() must be false while the loop does not run (SPEC H9)");
        List<String> seen = new ArrayList<>();
        loop.callSoon(() -> seen.add("callback=" + loop.inLoop()));
        run(loop, () -> {
            seen.add("task=" + loop.inLoop());
            Future<Void> f = loop.createFuture();
            f.addDoneCallback(x -> seen.add("doneCallback=" + loop.inLoop()));
            f.setResult(null);
            AsyncIO.sleep0();
            seen.add("otherThread=" + fromOtherThread(loop, loop::inLoop));
            seen.add("executorJob=" + loop.toThread(loop::inLoop).await());
            return null;
        });
        assertEquals(List.of("callback=true", "task=true", "doneCallback=true", "otherThread=false", "executorJob=false"),
                seen, "inLoop() must be true exactly on the loop: in callbacks, done callbacks and tasks (SPEC H9)");
        assertFalse(loop.inLoop(), "inLoop() must be false after the loop stopped (SPEC H9)");
    }

    /** H10: the thread-safe entry points refuse a closed loop with IllegalStateException, and null with NullPointerException. */
    @Test
    public void required_H10_threadSafeEntryPointsRefuseClosedLoopAndNull() {
        Loop loop = newLoop();
        NullPointerException npe = assertThrows(NullPointerException.class, () -> loop.callSoonThreadsafe(null),
                "callSoonThreadsafe(null) must throw NullPointerException (SPEC H10)");
        assertTrue(npe.getMessage() != null && npe.getMessage().contains("callback"),
                "the NullPointerException must name 'callback', was: " + npe.getMessage() + " (SPEC H10)");
        npe = assertThrows(NullPointerException.class, () -> loop.runCoroutineThreadsafe(null),
                "runCoroutineThreadsafe(null) must throw NullPointerException (SPEC H10)");
        assertTrue(npe.getMessage() != null && npe.getMessage().contains("coroutine"),
                "the NullPointerException must name 'coroutine', was: " + npe.getMessage() + " (SPEC H10)");
        loop.close();
        AtomicBoolean ran = new AtomicBoolean();
        for (Map.Entry<String, Runnable> c : Map.<String, Runnable>of(
                "callSoonThreadsafe", () -> loop.callSoonThreadsafe(() -> ran.set(true)),
                "execute", () -> loop.execute(() -> ran.set(true)),
                "runCoroutineThreadsafe", () -> loop.runCoroutineThreadsafe(() -> ran.getAndSet(true))).entrySet()) {
            CompletableFuture<Throwable> thrown = new CompletableFuture<>();
            Thread.ofPlatform().daemon().start(() -> {
                try {
                    c.getValue().run();
                    thrown.complete(null);
                } catch (Throwable e) {
                    thrown.complete(e);
                }
            });
            Throwable e = thrown.orTimeout(timeoutMillis(), TimeUnit.MILLISECONDS).join();
            assertNotNull(e, c.getKey() + " on a closed loop must throw IllegalStateException (SPEC H10)");
            assertInstanceOf(IllegalStateException.class, e,
                    c.getKey() + " on a closed loop must throw IllegalStateException, threw " + e + " (SPEC H10)");
            assertTrue(e.getMessage() != null && e.getMessage().contains("closed"),
                    c.getKey() + "'s IllegalStateException must say the loop is closed, was: " + e.getMessage() + " (SPEC H10)");
        }
        assertFalse(ran.get(), "nothing given to a closed loop may run (SPEC H10)");
    }

    /** H11: one thing runs at a time: a callback never starts while another runs, and each runs on the loop. */
    @Test
    public void required_H11_callbacksRunOneAtATimeOnTheLoop() {
        Loop loop = newLoop();
        int n = 200;
        AtomicInteger running = new AtomicInteger();
        AtomicInteger overlapped = new AtomicInteger();
        AtomicInteger offLoop = new AtomicInteger();
        AtomicInteger ran = new AtomicInteger();
        for (int i = 0; i < n; i++) {
            loop.callSoon(() -> {
                if (running.incrementAndGet() != 1) {
                    overlapped.incrementAndGet();
                }
                if (!loop.inLoop()) {
                    offLoop.incrementAndGet();
                }
                // Stay busy a few microseconds (the subject, not a wait): an overlapping callback would show.
                long until = System.nanoTime() + 20_000;
                while (System.nanoTime() < until) {
                    Thread.onSpinWait();
                }
                running.decrementAndGet();
                ran.incrementAndGet();
            });
        }
        runOnce(loop);
        assertEquals(0, overlapped.get(), "callbacks must run one at a time, on the loop, but " + overlapped.get() + " of " + n
                + " started while another callback was still running (SPEC H11)");
        assertEquals(0, offLoop.get(), "callbacks must run one at a time, on the loop, but " + offLoop.get() + " of " + n
                + " ran where inLoop() is false (SPEC H11)");
        assertEquals(n, ran.get(), "callbacks must run one at a time, on the loop: every callback must have returned "
                + "when the iteration ends (SPEC H11)");
    }

    /**
     * H12: the thread-safe entry points are linearizable under stress (Lincheck, stress mode). Tagged
     * "Lincheck" so that a run under another bytecode agent (mutation testing) can leave it out.
     *
     * @throws InterruptedException an unexpected failure, which fails the test
     */
    @Test
    @Tag("Lincheck")
    public void required_H12_threadsafeEntryPointsAreLinearizableUnderStress() throws InterruptedException {
        Loop loop = newLoop();
        Thread runner = Thread.ofPlatform().name("tck-h12-loop").daemon().start(loop::runForever);
        ThreadsafeCounter.loop = loop;
        ThreadsafeCounter.timeoutMillis = env.timeout().toMillis();
        try {
            new StressOptions()
                    .iterations(10)
                    .invocationsPerIteration(100)
                    .threads(3)
                    .actorsPerThread(3)
                    .minimizeFailedScenario(false) // a hang would make minimising take minutes
                    .check(ThreadsafeCounter.class);
        } catch (AssertionError e) {
            throw new AssertionError("callSoonThreadsafe, execute and runCoroutineThreadsafe, called from several "
                    + "threads at once, must act as if each ran alone on the loop at some moment between its call "
                    + "and its return (SPEC H12); Lincheck found a history no sequential run gives:\n"
                    + e.getMessage(), e);
        } finally {
            ThreadsafeCounter.loop = null;
            loop.callSoonThreadsafe(loop::stop);
            runner.join(env.timeout().toMillis());
        }
        assertFalse(runner.isAlive(), "the loop did not stop after the stress run (SPEC H12)");
    }
}
