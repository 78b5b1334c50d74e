package dev.aio4j.tck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.aio4j.AsyncIO;
import dev.aio4j.ErrorContext;
import dev.aio4j.Future;
import dev.aio4j.Handle;
import dev.aio4j.Loop;
import dev.aio4j.TimerHandle;
import dev.aio4j.VirtualTicker;
import dev.aio4j.spi.Capability;
import java.lang.ref.WeakReference;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.FutureTask;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * SPEC.md section S: scheduling and callback ordering.
 *
 * <p>If a test here fails, check the ready queue (a FIFO), the iteration
 * boundary (what was ready when the iteration began, no more) and the timer
 * heap (deadline, then scheduling order).
 *
 * <p>Timing rules run on the real clock and check only relative order, never
 * how long something took; the {@code optional_} variants need
 * {@link dev.aio4j.spi.Capability#VIRTUAL_TIME}.
 */
public abstract class SchedulingVerification extends AbstractVerification {
    /** For a backend's subclass, which names its provider. */
    protected SchedulingVerification() {}


    @Override
    protected String area() {
        return "Scheduling";
    }

    /** S1: callbacks run in the order callSoon was called, each exactly once. */
    @Test
    public void required_S1_callSoonRunsCallbacksInFifoOrder() {
        Loop loop = newLoop();
        List<Integer> seen = new ArrayList<>();
        List<Integer> expected = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            int n = i;
            expected.add(n);
            loop.callSoon(() -> seen.add(n));
        }
        runOnce(loop);
        assertEquals(expected, seen,
                "callbacks must run in the order callSoon was called, each exactly once (SPEC S1)");
    }

    /** S2: one iteration runs only what was ready when it began. */
    @Test
    public void required_S2_callbacksScheduledByCallbacksRunInTheNextIteration() {
        Loop loop = newLoop();
        List<String> seen = new ArrayList<>();
        loop.callSoon(() -> {
            seen.add("a");
            loop.callSoon(() -> seen.add("c"));
        });
        loop.callSoon(() -> seen.add("b"));
        runOnce(loop);
        assertEquals(List.of("a", "b"), seen,
                "a callback scheduled during an iteration must wait for the next one (SPEC S2)");
        runOnce(loop);
        assertEquals(List.of("a", "b", "c"), seen, "the callback must run in the next iteration (SPEC S2)");
    }

    /** S3: a cancelled handle is skipped; cancel is idempotent and isCancelled reports it. */
    @Test
    public void required_S3_cancelledHandleIsSkippedAndCancelIsIdempotent() {
        Loop loop = newLoop();
        List<String> seen = new ArrayList<>();
        Handle a = loop.callSoon(() -> seen.add("a"));
        Handle b = loop.callSoon(() -> seen.add("b"));
        loop.callSoon(() -> seen.add("c"));
        b.cancel();
        b.cancel();
        assertTrue(b.isCancelled(), "isCancelled() must be true after cancel() (SPEC S3)");
        assertFalse(a.isCancelled(), "isCancelled() must be false for a handle nobody cancelled (SPEC S3)");
        runOnce(loop);
        assertEquals(List.of("a", "c"), seen,
                "a cancelled callback must be skipped, the others run in order, and a second cancel() changes nothing (SPEC S3)");
    }

    /** S3: a callback cancelled by an earlier callback of the same iteration is skipped. */
    @Test
    public void required_S3_handleCancelledDuringTheIterationIsSkipped() {
        Loop loop = newLoop();
        List<String> seen = new ArrayList<>();
        Handle[] victim = new Handle[1];
        loop.callSoon(() -> {
            seen.add("a");
            victim[0].cancel();
        });
        victim[0] = loop.callSoon(() -> seen.add("b"));
        loop.callSoon(() -> seen.add("c"));
        runOnce(loop);
        assertEquals(List.of("a", "c"), seen,
                "a callback cancelled by an earlier callback of the same iteration must not run (SPEC S3)");
    }

    /** S19: a handle's text names its callback, and says "cancelled" once cancelled and not before. */
    @Test
    public void required_S19_aHandlesTextNamesItsCallbackAndSaysWhetherItIsCancelled() {
        Loop loop = newLoop();
        Runnable fn = new Runnable() {
            @Override
            public void run() {}

            @Override
            public String toString() {
                return "tck-callback";
            }
        };
        List<String> bad = new ArrayList<>();
        for (Handle h : List.of(loop.callSoon(fn), loop.callLater(Duration.ofHours(1), fn))) {
            String before = h.toString();
            h.cancel();
            String after = h.toString();
            if (!before.contains("tck-callback") || before.contains("cancelled")) {
                bad.add("\"" + before + "\" before cancel()");
            }
            if (!after.contains("tck-callback") || !after.contains("cancelled")) {
                bad.add("\"" + after + "\" after cancel()");
            }
        }
        assertEquals(List.of(), bad, "a handle's text must name its callback, and say \"cancelled\" once it is "
                + "cancelled and not before (SPEC S19)");
    }

    /** S4: timers fire in deadline order, not scheduling order (callAt). */
    @Test
    public void required_S4_timersFireInDeadlineOrderNotSchedulingOrder() {
        Loop loop = newLoop();
        long ms = 1_000_000L;
        long base = loop.time() + 5 * ms;
        long[] offsets = {40 * ms, 10 * ms, 30 * ms, 0, 20 * ms, 45 * ms, 5 * ms};
        List<Integer> seen = new ArrayList<>();
        Future<Void> all = loop.createFuture();
        for (int i = 0; i < offsets.length; i++) {
            int n = i;
            loop.callAt(base + offsets[i], () -> {
                seen.add(n);
                if (seen.size() == offsets.length) {
                    all.setResult(null);
                }
            });
        }
        onLoopThread(loop, () -> loop.runUntilComplete(all));
        List<Integer> expected = IntStream.range(0, offsets.length).boxed()
                .sorted(Comparator.comparingLong(i -> offsets[i])).toList();
        assertEquals(expected, seen, "timers must fire in deadline order, not in scheduling order (SPEC S4)");
    }

    /** S4: callLater timers fire in the order of their deadlines (as their handles report them). */
    @Test
    public void required_S4_callLaterTimersFireInTheOrderOfTheirWhen() {
        Loop loop = newLoop();
        int[] delaysMs = {40, 10, 30, 1, 20, 50, 5, 25};
        List<TimerHandle> handles = new ArrayList<>();
        List<Integer> seen = new ArrayList<>();
        Future<Void> all = loop.createFuture();
        for (int i = 0; i < delaysMs.length; i++) {
            int n = i;
            handles.add(loop.callLater(Duration.ofMillis(delaysMs[i]), () -> {
                seen.add(n);
                if (seen.size() == delaysMs.length) {
                    all.setResult(null);
                }
            }));
        }
        onLoopThread(loop, () -> loop.runUntilComplete(all));
        // Relative order only: sorted by the deadlines the handles report, ties in scheduling order.
        List<Integer> expected = IntStream.range(0, delaysMs.length).boxed()
                .sorted(Comparator.comparingLong(i -> handles.get(i).when())).toList();
        assertEquals(expected, seen, "callLater timers must fire in the order of their deadlines (SPEC S4)");
    }

    /** S5: a due timer goes behind callbacks already ready. */
    @Test
    public void required_S5_dueTimerRunsAfterCallbacksAlreadyReady() {
        Loop loop = newLoop();
        List<String> seen = new ArrayList<>();
        loop.callLater(Duration.ZERO, () -> seen.add("timer"));
        loop.callSoon(() -> seen.add("soon"));
        runOnce(loop);
        assertEquals(List.of("soon", "timer"), seen,
                "callSoon(b) must run before an earlier callLater(0, a): due timers join the back of the ready queue (SPEC S5)");
    }

    /** S6: zero and negative delays (and past deadlines) are due in the first iteration, in deadline order. */
    @Test
    public void required_S6_zeroAndNegativeDelaysAreDueNowInDeadlineOrder() {
        Loop loop = newLoop();
        List<String> seen = new ArrayList<>();
        loop.callLater(Duration.ZERO, () -> seen.add("zero"));
        loop.callLater(Duration.ofSeconds(-1), () -> seen.add("minus1s"));
        loop.callLater(Duration.ofHours(-1), () -> seen.add("minus1h"));
        loop.callAt(loop.time() - Duration.ofHours(2).toNanos(), () -> seen.add("at-minus2h"));
        runOnce(loop);
        assertEquals(List.of("at-minus2h", "minus1h", "minus1s", "zero"), seen,
                "zero and negative delays must be due in the very first iteration and run in deadline order, "
                        + "so callLater(-1h) beats an earlier callLater(0) (SPEC S6)");
    }

    /** S7: timers with equal deadlines fire in scheduling order. */
    @Test
    public void required_S7_equalDeadlinesFireInSchedulingOrder() {
        Loop loop = newLoop();
        long when = loop.time() + Duration.ofMillis(2).toNanos();
        long later = when + Duration.ofMillis(1).toNanos();
        List<Integer> seen = new ArrayList<>();
        List<Integer> expected = new ArrayList<>();
        Future<Void> all = loop.createFuture();
        for (int i = 0; i < 100; i++) {
            int n = i;
            if (i % 10 == 3) {
                // interleave a later deadline so a heap that only keeps ties "mostly" in order shows it
                loop.callAt(later, () -> seen.add(1000 + n));
            } else {
                expected.add(n);
                loop.callAt(when, () -> seen.add(n));
            }
        }
        for (int i = 0; i < 100; i++) {
            if (i % 10 == 3) {
                expected.add(1000 + i);
            }
        }
        loop.callAt(later, () -> all.setResult(null));
        onLoopThread(loop, () -> loop.runUntilComplete(all));
        assertEquals(expected, seen,
                "timers with the same deadline must fire in the order they were scheduled (SPEC S7)");
    }

    /** S8: cancelled timers never run, cancel is idempotent, and many cancelled timers do not hold the loop up. */
    @Test
    public void required_S8_cancelledTimersNeverRunAndDoNotHoldTheLoopUp() {
        Loop loop = newLoop();
        AtomicInteger ran = new AtomicInteger();
        // Inside the loop, so that the watchdog also catches a cancel() that costs O(timers).
        // One timer in ten stays live, among them: a loop that drops cancelled timers in bulk must keep those.
        AtomicInteger liveRan = new AtomicInteger();
        int live = 100_000 / 10;
        String r = run(loop, () -> {
            List<TimerHandle> handles = new ArrayList<>(100_000);
            for (int i = 0; i < 100_000; i++) {
                Duration d = i % 2 == 0 ? Duration.ofHours(1) : Duration.ofMillis(1 + i % 20);
                handles.add(loop.callLater(d, i % 10 == 1 ? liveRan::incrementAndGet : ran::incrementAndGet));
            }
            for (int i = 0; i < handles.size(); i++) {
                if (i % 10 != 1) {
                    handles.get(i).cancel();
                    handles.get(i).cancel();
                }
            }
            for (int i = 0; i < handles.size(); i++) {
                if (i % 10 != 1 && !handles.get(i).isCancelled()) {
                    return "isCancelled() was false after cancel()";
                }
            }
            AsyncIO.sleep(Duration.ofMillis(30)); // the 1-20 ms timers would all have been due
            return "ok";
        });
        assertEquals("ok", r, "SPEC S8");
        assertEquals(0, ran.get(), "a cancelled timer must never run (SPEC S8)");
        assertEquals(live, liveRan.get(), "every timer left live among 90,000 cancelled ones must fire, once: dropping "
                + "cancelled timers must keep the live ones (SPEC S8)");
        runOnce(loop);
        assertEquals(0, ran.get(), "a cancelled timer must never run, also in a later run (SPEC S8)");
    }

    /** S8: a timer cancelled after it became due, before it ran, does not run. */
    @Test
    public void required_S8_timerCancelledWhileDueIsSkipped() {
        Loop loop = newLoop();
        List<String> seen = new ArrayList<>();
        TimerHandle[] victim = new TimerHandle[1];
        long when = loop.time() - 1;
        loop.callAt(when, () -> {
            seen.add("a");
            victim[0].cancel();
        });
        victim[0] = loop.callAt(when, () -> seen.add("b"));
        loop.callAt(when, () -> seen.add("c"));
        runOnce(loop);
        assertEquals(List.of("a", "c"), seen,
                "a due timer cancelled by an earlier callback of the same iteration must not run (SPEC S8)");
    }

    /** S8: cancelled timers are released by the loop (lazy removal is bounded): no leak. */
    @Test
    public void required_S8_cancelledTimersAreReleased() {
        Loop loop = newLoop();
        int n = 10_000;
        List<WeakReference<Object>> refs = new ArrayList<>(n);
        run(loop, () -> {
            // A live timer ahead of them: removing cancelled timers only when they reach the head would keep them all.
            loop.callLater(Duration.ofMinutes(30), () -> {});
            List<TimerHandle> handles = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                Object payload = new Object();
                refs.add(new WeakReference<>(payload));
                handles.add(loop.callLater(Duration.ofHours(1), () -> payload.hashCode()));
            }
            handles.forEach(TimerHandle::cancel);
            return null;
        });
        runOnce(loop); // a loop may drop cancelled timers lazily, at an iteration boundary
        int wanted = n * 9 / 10;
        collectGarbageUntil(() -> released(refs) >= wanted, () -> "only " + released(refs) + " of " + n
                + " cancelled timers' callbacks became unreachable after cancel() and one iteration; the loop must "
                + "not keep cancelled timers (SPEC S8)");
    }

    private static long released(List<WeakReference<Object>> refs) {
        return refs.stream().filter(r -> r.get() == null).count();
    }

    /** S9: TimerHandle.when() is the absolute deadline. */
    @Test
    public void required_S9_timerHandleWhenIsTheDeadline() {
        Loop loop = newLoop();
        long d = loop.time() + 123_456_789L;
        assertEquals(d, loop.callAt(d, () -> {}).when(), "callAt(d).when() must be d (SPEC S9)");
        long past = loop.time() - 987_654_321L;
        assertEquals(past, loop.callAt(past, () -> {}).when(),
                "callAt with a past deadline must keep that deadline as when(), not clamp it (SPEC S9)");
        Duration delay = Duration.ofMillis(250);
        long before = loop.time();
        TimerHandle h = loop.callLater(delay, () -> {});
        long after = loop.time();
        assertTrue(h.when() >= before + delay.toNanos() && h.when() <= after + delay.toNanos(),
                "callLater(delay).when() must be time() + delay at the call, was " + h.when() + ", expected within ["
                        + (before + delay.toNanos()) + ", " + (after + delay.toNanos()) + "] (SPEC S9)");
    }

    /** S10: time() never goes backwards, and a timer never fires before its deadline on the loop's clock. */
    @Test
    public void required_S10_timeIsMonotonicAndTimersNeverFireEarly() {
        Loop loop = newLoop();
        List<Long> readings = new ArrayList<>();
        List<String> early = new ArrayList<>();
        Future<Void> all = loop.createFuture();
        int timers = 20;
        AtomicInteger fired = new AtomicInteger();
        for (int i = 0; i < 200; i++) {
            loop.callSoon(() -> readings.add(loop.time()));
        }
        for (int i = 0; i < timers; i++) {
            TimerHandle[] h = new TimerHandle[1];
            h[0] = loop.callLater(Duration.ofMillis(1 + i), () -> {
                long now = loop.time();
                readings.add(now);
                if (now < h[0].when()) {
                    early.add("fired at " + now + " before its deadline " + h[0].when());
                }
                if (fired.incrementAndGet() == timers) {
                    all.setResult(null);
                }
            });
        }
        onLoopThread(loop, () -> loop.runUntilComplete(all));
        for (int i = 1; i < readings.size(); i++) {
            if (readings.get(i) < readings.get(i - 1)) {
                fail("time() went backwards from " + readings.get(i - 1) + " to " + readings.get(i)
                        + ": it must be monotonic (SPEC S10)");
            }
        }
        assertEquals(List.of(), early, "a timer must not fire before time() reaches its when() (SPEC S10)");
    }

    /** S11: on the loop, callSoonThreadsafe and execute are callSoon: they interleave in call order. */
    @Test
    public void required_S11_callSoonThreadsafeOnTheLoopKeepsCallOrder() {
        Loop loop = newLoop();
        List<Integer> fromCallback = new ArrayList<>();
        loop.callSoon(() -> scheduleMixed(loop, fromCallback, 30));
        runOnce(loop);
        runOnce(loop);
        assertEquals(IntStream.range(0, 30).boxed().toList(), fromCallback,
                "from a callback, callSoon, callSoonThreadsafe and execute must append to one FIFO in call order (SPEC S11)");

        List<Integer> fromTask = new ArrayList<>();
        run(loop, () -> {
            scheduleMixed(loop, fromTask, 30);
            Future<Void> f = loop.createFuture();
            loop.callSoon(() -> f.setResult(null));
            f.await();
            return null;
        });
        assertEquals(IntStream.range(0, 30).boxed().toList(), fromTask,
                "from a task, callSoon, callSoonThreadsafe and execute must append to one FIFO in call order (SPEC S11)");

        List<Integer> beforeRun = new ArrayList<>();
        scheduleMixed(loop, beforeRun, 30); // on the thread that runs the loop, before it runs
        runOnce(loop);
        runOnce(loop);
        assertEquals(IntStream.range(0, 30).boxed().toList(), beforeRun, "on the thread that runs the loop, before "
                + "it runs, callSoon, callSoonThreadsafe and execute must append to one FIFO in call order (SPEC S11)");
    }

    private static void scheduleMixed(Loop loop, List<Integer> seen, int n) {
        for (int i = 0; i < n; i++) {
            int k = i;
            switch (i % 3) {
                case 0 -> loop.callSoon(() -> seen.add(k));
                case 1 -> loop.callSoonThreadsafe(() -> seen.add(k));
                default -> loop.execute(() -> seen.add(k));
            }
        }
    }

    /** S12: an exception thrown by a callback or timer goes to the exception handler; the loop goes on. */
    @Test
    public void required_S12_callbackExceptionReachesTheHandlerAndTheLoopGoesOn() {
        Loop loop = newLoop();
        List<String> seen = new ArrayList<>();
        RuntimeException unchecked = new IllegalStateException("tck: boom in callSoon");
        Exception checked = new java.io.IOException("tck: checked boom in a timer");
        AssertionError error = new AssertionError("tck: non-fatal Error in a callback");
        Handle h1 = loop.callSoon(() -> {
            throw unchecked;
        });
        loop.callSoon(() -> seen.add("b"));
        TimerHandle h2 = loop.callLater(Duration.ZERO, () -> {
            throw sneaky(checked);
        });
        Handle h3 = loop.callSoon(() -> {
            throw error;
        });
        loop.callSoon(() -> seen.add("c"));
        Future<Void> done = loop.createFuture();
        loop.callLater(Duration.ofMillis(1), () -> {
            seen.add("d");
            done.setResult(null);
        });
        onLoopThread(loop, () -> loop.runUntilComplete(done));
        assertEquals(List.of("b", "c", "d"), seen,
                "callbacks after one that threw must still run, in order (SPEC S12)");
        List<ErrorContext> errs = errors();
        assertEquals(3, errs.size(), "each exception thrown by a callback must reach the exception handler once, was "
                + errs + " (SPEC S12)");
        Object[][] want = {{unchecked, h1}, {error, h3}, {checked, h2}};
        for (int i = 0; i < want.length; i++) {
            ErrorContext c = errs.get(i);
            assertSame(want[i][0], c.exception(),
                    "the exception handler must receive the exact exception the callback threw, in the order thrown (SPEC S12)");
            assertSame(want[i][1], c.handle(),
                    "the error context must name the handle of the callback that threw (SPEC S12)");
            assertNotNull(c.message());
            assertTrue(c.message().startsWith("Exception in callback"),
                    "the error context's message must start with \"Exception in callback\", was \"" + c.message() + "\" (SPEC S12)");
        }
    }

    /** S13: null callbacks and delays are refused with NullPointerException naming the argument. */
    @Test
    public void required_S13_nullArgumentsAreRefusedNamingTheArgument() {
        Loop loop = newLoop();
        expectNpe("callback", "callSoon(null)", () -> loop.callSoon(null));
        expectNpe("callback", "callLater(d, null)", () -> loop.callLater(Duration.ZERO, null));
        expectNpe("delay", "callLater(null, r)", () -> loop.callLater(null, () -> {}));
        expectNpe("callback", "callAt(t, null)", () -> loop.callAt(0L, null));
        expectNpe("callback", "callSoonThreadsafe(null)", () -> loop.callSoonThreadsafe(null));
        runOnce(loop);
        assertEquals(List.of(), errors(), "a refused call must schedule nothing (SPEC S13)");
    }

    private static void expectNpe(String argument, String call, Executable e) {
        NullPointerException npe = assertThrows(NullPointerException.class, e,
                call + " must throw NullPointerException (SPEC S13)");
        assertTrue(npe.getMessage() != null && npe.getMessage().contains(argument),
                call + " must throw NullPointerException naming '" + argument + "', message was \""
                        + npe.getMessage() + "\" (SPEC S13)");
    }

    /** S14: a delay whose deadline does not fit the clock is refused with IllegalArgumentException. */
    @Test
    public void required_S14_delayOverflowIsRefused() {
        Loop loop = newLoop();
        AtomicInteger ran = new AtomicInteger();
        List<Duration> huge = new ArrayList<>(List.of(Duration.ofSeconds(Long.MAX_VALUE),
                ChronoUnit.FOREVER.getDuration(), Duration.ofDays(365L * 1000)));
        if (loop.time() >= 0) {
            huge.add(Duration.ofNanos(Long.MAX_VALUE)); // time() + MAX overflows only from a non-negative clock
        }
        for (Duration d : huge) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> loop.callLater(d, ran::incrementAndGet),
                    "callLater(" + d + ") overflows a long of nanoseconds and must throw IllegalArgumentException, "
                            + "not wrap around or throw ArithmeticException (SPEC S14)");
            assertTrue(e.getMessage() != null && e.getMessage().contains("delay"),
                    "the IllegalArgumentException must name the delay, message was \"" + e.getMessage() + "\" (SPEC S14)");
        }
        runOnce(loop);
        assertEquals(0, ran.get(), "a refused timer must not be scheduled (SPEC S14)");
    }

    /**
     * S17: any deadline in the past is due now, however far back: the loop
     * neither waits for it nor stops waking for later timers (a deadline
     * subtracted from the clock before comparing overflows into the far future).
     */
    @Test
    public void required_S17_deadlinesFarInThePastAreDueNow() {
        Loop loop = newLoop();
        List<String> fired = new ArrayList<>();
        String r = run(loop, () -> {
            loop.callAt(Long.MIN_VALUE, () -> fired.add("callAt(Long.MIN_VALUE)"));
            loop.callLater(Duration.ofNanos(Long.MIN_VALUE), () -> fired.add("callLater(ofNanos(Long.MIN_VALUE))"));
            loop.callLater(Duration.ofNanos(-Long.MAX_VALUE), () -> fired.add("callLater(ofNanos(-Long.MAX_VALUE))"));
            loop.callLater(Duration.ofSeconds(Long.MIN_VALUE), () -> fired.add("callLater(ofSeconds(Long.MIN_VALUE))"));
            Future<String> later = loop.createFuture();
            loop.callLater(Duration.ofMillis(20), () -> later.setResult("later"));
            return later.await();
        });
        assertEquals("later", r, "a timer after past deadlines must fire (SPEC S17)");
        assertEquals(4, fired.size(), "every timer with a past deadline must fire, fired: " + fired + " (SPEC S17)");
    }

    /** S15: under virtual time, timers fire at their deadlines without waiting in real time. */
    @Test
    public void optional_S15_virtualTimeJumpsToTheNextDeadline() {
        VirtualTicker ticker = new VirtualTicker();
        Loop loop = newVirtualTimeLoop(ticker);
        long start = loop.time();
        List<Long> firedAt = new ArrayList<>();
        TimerHandle hour = loop.callLater(Duration.ofHours(1), () -> firedAt.add(loop.time()));
        TimerHandle day = loop.callLater(Duration.ofDays(1), () -> firedAt.add(loop.time()));
        // The watchdog (env.timeout(), seconds) fails the test if the loop really waits.
        String r = run(loop, () -> {
            AsyncIO.sleep(Duration.ofDays(2));
            return "slept";
        });
        assertEquals("slept", r, "SPEC S15");
        assertEquals(List.of(hour.when(), day.when()), firedAt,
                "under virtual time each timer must fire with time() equal to its deadline (SPEC S15)");
        assertTrue(loop.time() - start >= Duration.ofDays(2).toNanos(),
                "time() must have advanced by the two days slept (SPEC S15)");
    }

    /**
     * S15: under virtual time, the clock does not jump while work outside the loop may still bring a result,
     * for every kind of it: an executor job (runInExecutor, toThread), a wrapped CompletionStage, a wrapped
     * java.util.concurrent.Future, the wait of shutdownDefaultExecutor; once it is back (or was refused at
     * once), the clock jumps again.
     */
    @Test
    public void optional_S15_virtualTimeWaitsForWorkOutsideTheLoop() {
        requireCapability(Capability.VIRTUAL_TIME);
        Executor ownThread = r -> Thread.ofPlatform().daemon().name("tck-s15-job").start(r);
        List<String> problems = new ArrayList<>();
        clockWhileOutside(problems, "runInExecutor(executor, job)", true,
                (loop, release) -> loop.runInExecutor(ownThread, () -> waitFor(release)));
        clockWhileOutside(problems, "runInExecutor(null, job)", true, (loop, release) -> loop.runInExecutor(null, () -> waitFor(release)));
        clockWhileOutside(problems, "toThread(job)", true, (loop, release) -> loop.toThread(() -> waitFor(release)));
        clockWhileOutside(problems, "wrapFuture(CompletionStage)", true,
                (loop, release) -> loop.wrapFuture(release.thenApply(v -> "stage")));
        clockWhileOutside(problems, "wrapFuture(java.util.concurrent.Future)", true, (loop, release) -> {
            FutureTask<String> ft = new FutureTask<>(() -> waitFor(release));
            Thread.ofPlatform().daemon().name("tck-s15-futuretask").start(ft);
            return loop.wrapFuture((java.util.concurrent.Future<String>) ft);
        });
        clockWhileOutside(problems, "shutdownDefaultExecutor() waiting for a running job", true, (loop, release) -> {
            ExecutorService pool = Executors.newSingleThreadExecutor(r -> Thread.ofPlatform().daemon().unstarted(r));
            pool.execute(() -> { // a job the loop did not send: only the shutdown waits for it
                try {
                    waitFor(release);
                } catch (Exception e) {
                    env.flop(e);
                }
            });
            loop.setDefaultExecutor(pool);
            return loop.shutdownDefaultExecutor();
        });
        clockWhileOutside(problems, "runInExecutor with an executor that rejects the job", false,
                (loop, release) -> loop.runInExecutor(r -> {
                    throw new RejectedExecutionException("tck: refused");
                }, () -> "never"));
        clockWhileOutside(problems, "wrapFuture(java.util.concurrent.Future) after shutdownDefaultExecutor()", false, (loop, release) -> {
            loop.shutdownDefaultExecutor().await();
            FutureTask<String> ft = new FutureTask<>(() -> "done");
            ft.run();
            return loop.wrapFuture((java.util.concurrent.Future<String>) ft);
        });
        assertEquals(List.of(), problems, "under virtual time the clock must not jump to the next timer while work is "
                + "outside the loop, and must jump again once it is back (SPEC S15)");
    }

    /**
     * S15 with BLOCKING_CALLS_YIELD: a task parked in a blocking call is work outside the loop too: the clock
     * does not jump until it is back.
     */
    @Test
    public void optional_S15_virtualTimeWaitsForATaskInABlockingCall() {
        requireCapability(Capability.VIRTUAL_TIME);
        requireCapability(Capability.BLOCKING_CALLS_YIELD);
        List<String> problems = new ArrayList<>();
        clockWhileOutside(problems, "a task in a blocking call", true,
                (loop, release) -> loop.createTask(() -> waitFor(release))); // a JDK blocking call in the task
        assertEquals(List.of(), problems, "under virtual time the clock must not jump while a task is parked in a "
                + "blocking call, and must jump again once it is back (SPEC S15)");
    }

    /** Round trips through the loop while work is outside it (S15). */
    private static final int PROBES = 5;

    private String waitFor(CompletableFuture<Void> release) throws Exception {
        release.get(env.timeout().toMillis(), TimeUnit.MILLISECONDS);
        return "back";
    }

    /**
     * On a new virtual-time loop with a timer an hour ahead, starts work outside the loop with {@code start}
     * (work that waits for {@code release}) and awaits it. If {@code staysOut}, a thread makes {@link #PROBES}
     * round trips through the loop meanwhile (each leaves the loop idle with the timer pending: a loop that jumps
     * then would run the timer) and only then releases the work; the clock must not have moved. Afterwards a
     * two-hour sleep must complete at once (the watchdog catches a real wait), the timer firing on the way.
     */
    private void clockWhileOutside(List<String> problems, String what, boolean staysOut,
            java.util.function.BiFunction<Loop, CompletableFuture<Void>, Future<?>> start) {
        VirtualTicker ticker = new VirtualTicker();
        Loop loop = newVirtualTimeLoop(ticker);
        long t0 = loop.time();
        List<Long> fired = new ArrayList<>();
        TimerHandle hour = loop.callLater(Duration.ofHours(1), () -> fired.add(loop.time()));
        String expectedWhileOut = "while out: clock moved PT0S, probes saw "
                + java.util.Collections.nCopies(PROBES, "PT0S") + ", timer fired false";
        String[] whileOut = {null}; // kept if the loop then hangs
        List<String> seen;
        try {
            seen = run(loop, () -> {
                List<String> out = new ArrayList<>();
                CompletableFuture<Void> release = new CompletableFuture<>();
                List<Long> probed = new ArrayList<>(); // loop only
                Future<?> work = start.apply(loop, release);
                if (staysOut) {
                    Thread.ofPlatform().daemon().name("tck-s15-prober").start(() -> {
                        try {
                            for (int i = 0; i < PROBES; i++) {
                                // A loop that jumps does so as soon as it is idle; a pause lets it get there
                                // (a loop that waits, as it must, passes whatever the timing).
                                java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
                                CompletableFuture<Void> ack = new CompletableFuture<>();
                                loop.callSoonThreadsafe(() -> {
                                    probed.add(loop.time() - t0);
                                    ack.complete(null);
                                });
                                ack.get(env.timeout().toMillis(), TimeUnit.MILLISECONDS);
                            }
                        } catch (Exception e) {
                            env.flop(e);
                        } finally {
                            release.complete(null);
                        }
                    });
                } else {
                    release.complete(null);
                }
                try {
                    work.await();
                } catch (Throwable e) {
                    // its outcome is another rule's
                }
                whileOut[0] = "while out: clock moved " + Duration.ofNanos(loop.time() - t0) + ", probes saw "
                        + probed.stream().map(n -> Duration.ofNanos(n).toString()).toList() + ", timer fired " + !fired.isEmpty();
                out.add(whileOut[0]);
                AsyncIO.sleep(Duration.ofHours(2)); // nothing outside now: the clock jumps
                out.add("after: timer fired at " + fired.stream().map(n -> n - t0).toList());
                return out;
            });
        } catch (AssertionError e) {
            if (staysOut && whileOut[0] != null && !whileOut[0].equals(expectedWhileOut)) {
                problems.add(what + ": the clock jumped while it was out: " + whileOut[0]);
            }
            problems.add(what + ": " + String.valueOf(e.getMessage()).lines().findFirst().orElse("")
                    + (whileOut[0] != null ? " (after the work was back: the clock no longer jumps)" : ""));
            return;
        }
        if (staysOut && !seen.get(0).equals(expectedWhileOut)) {
            problems.add(what + ": the clock jumped while it was out: " + seen.get(0));
        }
        String after = "after: timer fired at " + List.of(hour.when() - t0);
        if (!seen.get(1).equals(after)) {
            problems.add(what + ": once back, expected " + after + ", was " + seen.get(1));
        }
    }

    /** S16: under virtual time, a cancelled timer does not move the clock. */
    @Test
    public void optional_S16_cancelledTimerDoesNotAdvanceVirtualTime() {
        VirtualTicker ticker = new VirtualTicker();
        Loop loop = newVirtualTimeLoop(ticker);
        long start = loop.time();
        loop.callLater(Duration.ofHours(1), () -> {}).cancel();
        run(loop, () -> {
            AsyncIO.sleep(Duration.ofSeconds(1));
            return null;
        });
        long advanced = loop.time() - start;
        assertTrue(advanced >= Duration.ofSeconds(1).toNanos() && advanced < Duration.ofHours(1).toNanos(),
                "a cancelled 1-hour timer must not make the virtual clock jump; time() advanced by "
                        + Duration.ofNanos(advanced) + " for a 1 s sleep (SPEC S16)");
    }

    /** S18: under virtual time, a timer due at the clock's current reading fires although the clock stands still. */
    @Test
    public void optional_S18_aTimerDueNowFiresWhileVirtualTimeStandsStill() {
        VirtualTicker ticker = new VirtualTicker();
        Loop loop = newVirtualTimeLoop(ticker);
        long start = loop.time();
        // The watchdog (env.timeout()) fails the test if the loop waits for a clock that never moves.
        String r = run(loop, () -> {
            Future<String> f = loop.createFuture();
            loop.callAt(loop.time(), () -> f.setResult("fired"));
            return f.await();
        });
        assertEquals("fired", r, "a timer whose deadline is exactly time() must fire at the next iteration, also "
                + "when the clock does not move (SPEC S18)");
        assertEquals(start, loop.time(), "a timer due now must not make virtual time advance (SPEC S18)");
    }
}
