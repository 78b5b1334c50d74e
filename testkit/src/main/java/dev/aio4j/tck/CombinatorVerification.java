package dev.aio4j.tck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.aio4j.AsCompleted;
import dev.aio4j.AsyncIO;
import dev.aio4j.CancelledError;
import dev.aio4j.Done;
import dev.aio4j.ErrorContext;
import dev.aio4j.Future;
import dev.aio4j.Loop;
import dev.aio4j.Outcome;
import dev.aio4j.ReturnWhen;
import dev.aio4j.Task;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

/**
 * SPEC section G: gather, gatherSettled, wait, asCompleted and shield,
 * library code in the API run on the provider's loop. Completion orders are
 * made by hand (futures completed in a chosen order), never by timing.
 */
public abstract class CombinatorVerification extends AbstractVerification {
    /** For a backend's subclass, which names its provider. */
    protected CombinatorVerification() {}


    @Override
    protected String area() {
        return "Combinators";
    }

    private static <T> Future<T> pending() {
        return AsyncIO.currentLoop().createFuture();
    }

    /** A task that waits on {@code gate} and returns {@code value} (or runs its cleanup when cancelled). */
    private static <T> Task<T> after(Future<?> gate, T value, List<String> log, String name) {
        return AsyncIO.createTask(() -> {
            try {
                gate.await();
                return value;
            } finally {
                log.add(name + " ended");
            }
        });
    }

    /** G1: results in argument order, whatever the completion order; nulls kept; the list is unmodifiable. */
    @Test
    public void required_G1_gatherGivesResultsInArgumentOrder() {
        Loop loop = newLoop();
        run(loop, () -> {
            Future<String> a = pending();
            Future<String> b = pending();
            Future<String> c = pending();
            Future<List<String>> all = AsyncIO.gather(a, b, c);
            c.setResult("c");
            AsyncIO.sleep0();
            b.setResult(null);
            a.setResult("a");
            List<String> results = all.await();
            assertEquals(Arrays.asList("a", null, "c"), results,
                    "gather must give the results in argument order, nulls included (SPEC G1)");
            assertThrows(UnsupportedOperationException.class, () -> results.add("x"),
                    "gather's list must be unmodifiable (SPEC G1)");
            assertEquals(List.of(), AsyncIO.gather(List.<Future<String>>of()).await(),
                    "gather of nothing must give an empty list (SPEC G1)");
            return null;
        });
    }

    /** G2: the first failure in completion order fails the gather with that exception; siblings run on. */
    @Test
    public void required_G2_theFirstFailurePropagatesAndSiblingsRunOn() {
        Loop loop = newLoop();
        List<String> log = new ArrayList<>();
        run(loop, () -> {
            Future<Void> gate = pending();
            Future<String> first = pending();
            Future<String> second = pending();
            Task<String> sibling = after(gate, "sibling", log, "sibling");
            Future<List<String>> all = AsyncIO.gather(second, first, sibling);
            IllegalStateException boom = new IllegalStateException("first to fail");
            first.setException(boom);
            AsyncIO.sleep0();
            second.setException(new IllegalStateException("second to fail"));
            assertSame(boom, assertThrows(IllegalStateException.class, all::await),
                    "gather must fail with the first exception in completion order, unwrapped (SPEC G2)");
            assertFalse(sibling.isDone(), "a failure must not cancel the siblings (SPEC G2)");
            gate.setResult(null);
            assertEquals("sibling", sibling.await(), "the siblings must run on (SPEC G2)");
            return null;
        });
        loop.close(); // never-retrieved failures are reported at close
        assertTrue(errors().stream().map(ErrorContext::exception).noneMatch(e -> e != null
                && "second to fail".equals(e.getMessage())), "a child failing after the gather failed must be marked "
                + "retrieved, not reported as never retrieved (SPEC G2): " + errors());
    }

    /** G3: cancelling the awaiter cancels every child; the gather ends cancelled once their cleanup is done. */
    @Test
    public void required_G3_cancellingTheGatherCancelsEveryChildAndWaits() {
        Loop loop = newLoop();
        List<String> log = new ArrayList<>();
        run(loop, () -> {
            Future<Void> gate = pending();
            Future<Void> cleanupGate = pending();
            Task<String> a = after(gate, "a", log, "a");
            Task<String> b = AsyncIO.createTask(() -> {
                try {
                    return AsyncIO.currentLoop().<String>createFuture().await();
                } finally {
                    cleanupGate.await(); // a cleanup that waits for the test's word
                    log.add("b ended");
                }
            });
            Future<String> done = pending();
            done.setResult("done");
            Task<List<String>> awaiter = AsyncIO.createTask(() -> AsyncIO.gather(a, b, done).await());
            AsyncIO.sleep0();
            AsyncIO.sleep0();
            awaiter.cancel("stop all");
            for (int i = 0; i < 5; i++) {
                AsyncIO.sleep0();
            }
            assertTrue(a.isCancelled(), "cancelling the gather's awaiter must cancel every child not done (SPEC G3)");
            assertFalse(awaiter.isDone(), "the gather must not end while a child's cleanup still runs (SPEC G3)");
            cleanupGate.setResult(null);
            assertThrows(CancelledError.class, awaiter::await, "the awaiter must end cancelled (SPEC G3)");
            assertTrue(b.isCancelled(), "(SPEC G3)");
            assertEquals(Set.of("a ended", "b ended"), Set.copyOf(log),
                    "the gather must end only after every child's cleanup (SPEC G3)");
            Future<String> never = pending();
            Future<List<String>> direct = AsyncIO.gather(never);
            direct.cancel();
            assertThrows(CancelledError.class, direct::await, "a cancelled gather must end cancelled (SPEC G3)");
            assertTrue(never.isCancelled(), "cancelling the gather itself must cancel its children (SPEC G3)");
            return null;
        });
    }

    /** G4: a cancelled child makes gather end with CancelledError. */
    @Test
    public void required_G4_aCancelledChildCancelsTheGather() {
        Loop loop = newLoop();
        run(loop, () -> {
            Future<String> a = pending();
            Future<String> b = pending();
            Future<List<String>> all = AsyncIO.gather(a, b);
            b.cancel("child cancelled");
            CancelledError e = assertThrows(CancelledError.class, all::await,
                    "a cancelled child must make gather throw CancelledError (SPEC G4)");
            assertEquals("child cancelled", e.getMessage(), "with the child's message (SPEC G4)");
            a.setResult("a");
            return null;
        });
    }

    /** G5: gatherSettled gives every outcome in argument order and never fails for a child. */
    @Test
    public void required_G5_gatherSettledGivesEveryOutcome() {
        Loop loop = newLoop();
        run(loop, () -> {
            Future<String> ok = pending();
            Future<String> failed = pending();
            Future<String> cancelled = pending();
            Future<List<Outcome<String>>> all = AsyncIO.gatherSettled(List.of(ok, failed, cancelled));
            IllegalStateException boom = new IllegalStateException("boom");
            cancelled.cancel("no longer needed");
            failed.setException(boom);
            ok.setResult("fine");
            assertEquals(List.of(new Outcome.Success<>("fine"), new Outcome.Failure<>(boom),
                    new Outcome.Cancelled<>("no longer needed")), all.await(),
                    "gatherSettled must give each outcome in argument order (SPEC G5)");
            return null;
        });
    }

    /** G6: cancelling gatherSettled ends it cancelled, not with a list of outcomes (gh-76865). */
    @Test
    public void required_G6_gatherSettledDoesNotSwallowItsCancellation() {
        Loop loop = newLoop();
        run(loop, () -> {
            Future<String> a = pending();
            Task<List<Outcome<String>>> awaiter = AsyncIO.createTask(() -> AsyncIO.gatherSettled(List.of(a)).await());
            AsyncIO.sleep0();
            AsyncIO.sleep0();
            awaiter.cancel();
            assertThrows(CancelledError.class, awaiter::await,
                    "a cancelled gatherSettled must end cancelled, not return the outcomes (SPEC G6)");
            assertTrue(a.isCancelled(), "(SPEC G6)");
            return null;
        });
    }

    /** G7: bad input to gather. */
    @Test
    public void required_G7_gatherRefusesBadInput() {
        Loop loop = newLoop();
        Loop other = newLoop();
        Future<String> foreign = other.createFuture();
        run(loop, () -> {
            Future<String> mine = pending();
            NullPointerException npe = assertThrows(NullPointerException.class,
                    () -> AsyncIO.gather(Arrays.asList(mine, null)), "a null future must be refused (SPEC G7)");
            assertTrue(String.valueOf(npe.getMessage()).contains("futures[1]"), "naming it (SPEC G7): " + npe);
            assertThrows(NullPointerException.class, () -> AsyncIO.gather((List<Future<String>>) null), "(SPEC G7)");
            IllegalArgumentException iae = assertThrows(IllegalArgumentException.class,
                    () -> AsyncIO.gather(List.of(mine, foreign)), "futures of two loops must be refused (SPEC G7)");
            assertTrue(iae.getMessage().contains("another loop"), "saying so (SPEC G7): " + iae);
            mine.setResult("m");
            return null;
        });
    }

    /** G8: wait's three conditions, with the caller's own futures in their order. */
    @Test
    public void required_G8_waitReturnsWhenItsConditionHolds() {
        Loop loop = newLoop();
        run(loop, () -> {
            Future<String> a = pending();
            Future<String> b = pending();
            Future<String> c = pending();
            List<Future<String>> fs = List.of(a, b, c);
            loop.callSoon(() -> b.setResult("b"));
            Done<Future<String>> first = AsyncIO.wait(fs, ReturnWhen.FIRST_COMPLETED);
            assertEquals(Set.of(b), first.done(), "FIRST_COMPLETED must return once one is done (SPEC G8)");
            assertEquals(List.of(a, c), List.copyOf(first.pending()), "pending in the order given (SPEC G8)");
            loop.callSoon(() -> a.setException(new IllegalStateException("a failed")));
            Done<Future<String>> failed = AsyncIO.wait(fs, ReturnWhen.FIRST_EXCEPTION);
            assertEquals(List.of(a, b), List.copyOf(failed.done()), "FIRST_EXCEPTION must return at a failure (SPEC G8)");
            assertEquals(Set.of(c), failed.pending(), "(SPEC G8)");
            loop.callSoon(() -> c.cancel());
            Done<Future<String>> all = AsyncIO.wait(fs);
            assertEquals(List.of(a, b, c), List.copyOf(all.done()), "ALL_COMPLETED must wait for every future (SPEC G8)");
            assertTrue(all.pending().isEmpty(), "(SPEC G8)");
            Future<String> d = pending();
            Future<String> e = pending();
            loop.callSoon(() -> d.cancel());
            loop.callSoon(() -> loop.callSoon(() -> loop.callSoon(() -> loop.callSoon(() -> e.setResult("e")))));
            Done<Future<String>> noFailure = AsyncIO.wait(List.of(d, e), ReturnWhen.FIRST_EXCEPTION);
            assertEquals(2, noFailure.done().size(), "a cancellation is not a failure for FIRST_EXCEPTION: it waits "
                    + "for all (SPEC G8)");
            return null;
        });
    }

    /** G9: a timeout makes wait return, never throw, never cancel; zero returns at once. */
    @Test
    public void required_G9_waitsTimeoutReturnsWithoutCancelling() {
        Loop loop = newLoop();
        run(loop, () -> {
            Future<String> a = pending();
            Done<Future<String>> r = AsyncIO.wait(List.of(a), ReturnWhen.ALL_COMPLETED, Duration.ofMillis(1));
            assertEquals(Set.of(a), r.pending(), "wait must return when its timeout passes (SPEC G9)");
            assertFalse(a.isDone(), "wait must never cancel a future (SPEC G9)");
            Done<Future<String>> zero = AsyncIO.wait(List.of(a), ReturnWhen.FIRST_COMPLETED, Duration.ZERO);
            assertEquals(Set.of(a), zero.pending(), "a zero timeout must return at once (SPEC G9)");
            Task<Done<Future<String>>> waiter = AsyncIO.createTask(() -> AsyncIO.wait(List.of(a)));
            AsyncIO.sleep0();
            waiter.cancel();
            assertThrows(CancelledError.class, waiter::await, "(SPEC G9)");
            assertFalse(a.isDone(), "cancelling a task in wait must leave the futures alone (SPEC G9)");
            a.setResult("a");
            return null;
        });
    }

    /** G10: bad input to wait. */
    @Test
    public void required_G10_waitRefusesBadInput() {
        Loop loop = newLoop();
        run(loop, () -> {
            Future<String> a = pending();
            assertThrows(IllegalArgumentException.class, () -> AsyncIO.wait(List.<Future<String>>of()),
                    "wait() of no futures must be refused, as asyncio does (SPEC G10)");
            NullPointerException when = assertThrows(NullPointerException.class,
                    () -> AsyncIO.wait(List.of(a), null), "(SPEC G10)");
            assertTrue(String.valueOf(when.getMessage()).contains("when"), "naming the argument (SPEC G10): " + when);
            NullPointerException timeout = assertThrows(NullPointerException.class,
                    () -> AsyncIO.wait(List.of(a), ReturnWhen.ALL_COMPLETED, null), "(SPEC G10)");
            assertTrue(String.valueOf(timeout.getMessage()).contains("timeout"), "naming the argument (SPEC G10): " + timeout);
            assertInstanceOf(IllegalStateException.class, thrownInACallback(loop, () -> AsyncIO.wait(List.of(a))),
                    "wait() outside a task must throw IllegalStateException (SPEC G10)");
            a.setResult("a");
            return null;
        });
    }

    /** G11: asCompleted gives the original futures in completion order; its timeout throws from next(). */
    @Test
    public void required_G11_asCompletedGivesTheFuturesInCompletionOrder() {
        Loop loop = newLoop();
        run(loop, () -> {
            Future<String> a = pending();
            Future<String> b = pending();
            Future<String> c = pending();
            AsCompleted<Future<String>> it = AsyncIO.asCompleted(List.of(a, b, c));
            b.setResult("b");
            loop.callSoon(() -> loop.callSoon(() -> c.setResult("c")));
            List<Future<String>> order = new ArrayList<>();
            order.add(it.next());
            order.add(it.next());
            a.setResult("a");
            order.add(it.next());
            assertEquals(List.of(b, c, a), order, "asCompleted must give the original futures in completion order (SPEC G11)");
            assertFalse(it.hasNext(), "(SPEC G11)");
            assertThrows(NoSuchElementException.class, it::next, "next() after the last must throw (SPEC G11)");
            Future<String> late = pending();
            AsCompleted<Future<String>> timed = AsyncIO.asCompleted(List.of(late), Duration.ofMillis(1));
            assertThrows(TimeoutException.class, timed::next, "next() after the timeout must throw TimeoutException (SPEC G11)");
            assertFalse(late.isDone(), "asCompleted must cancel nothing (SPEC G11)");
            late.setResult("late");
            return null;
        });
    }

    /** G12: shield keeps a cancellation from reaching the inner future. */
    @Test
    public void required_G12_shieldKeepsTheCancellationFromTheInnerFuture() {
        Loop loop = newLoop();
        List<String> log = new ArrayList<>();
        run(loop, () -> {
            Future<Void> gate = pending();
            Task<String> inner = after(gate, "inner value", log, "inner");
            Task<String> awaiter = AsyncIO.createTask(() -> AsyncIO.shield(inner).await());
            AsyncIO.sleep0();
            awaiter.cancel();
            assertThrows(CancelledError.class, awaiter::await, "the awaiter of a shield must be cancelled (SPEC G12)");
            assertFalse(inner.isCancelled(), "the shielded future must not be cancelled (SPEC G12)");
            gate.setResult(null);
            assertEquals("inner value", inner.await(), "the shielded future must run on (SPEC G12)");
            Future<String> second = pending();
            Future<String> outer = AsyncIO.shield(second);
            second.setResult("copied");
            assertEquals("copied", outer.await(), "the shield must complete with the inner future's result (SPEC G12)");
            assertSame(second, AsyncIO.shield(second), "a done future must be returned as it is (SPEC G12)");
            Future<String> cancelledInner = pending();
            Future<String> outer2 = AsyncIO.shield(cancelledInner);
            cancelledInner.cancel();
            assertThrows(CancelledError.class, outer2::await, "a cancelled inner future must cancel the shield (SPEC G12)");
            return null;
        });
    }

    /** G13: a child that swallows the gather's cancellation and returns does not stop the gather ending cancelled. */
    @Test
    public void required_G13_aCancelledGatherEndsCancelledEvenIfAChildSwallowsIt() {
        Loop loop = newLoop();
        run(loop, () -> {
            Task<String> swallows = AsyncIO.createTask(() -> {
                try {
                    return AsyncIO.currentLoop().<String>createFuture().await();
                } catch (CancelledError e) {
                    return "swallowed";
                }
            });
            Task<List<String>> awaiter = AsyncIO.createTask(() -> AsyncIO.gather(swallows).await());
            AsyncIO.sleep0();
            AsyncIO.sleep0();
            awaiter.cancel();
            assertThrows(CancelledError.class, awaiter::await,
                    "a cancelled gather must end cancelled even if a child swallowed the cancellation (SPEC G13)");
            assertEquals("swallowed", swallows.await(), "(SPEC G13)");
            return null;
        });
    }

    /** G14: the same future given twice gives its result twice; tasks and plain futures mix. */
    @Test
    public void required_G14_theSameFutureTwiceGivesItsResultTwice() {
        Loop loop = newLoop();
        run(loop, () -> {
            Future<String> f = pending();
            Task<String> t = AsyncIO.createTask(() -> "task");
            Future<List<String>> all = AsyncIO.gather(f, t, f);
            f.setResult("future");
            assertEquals(List.of("future", "task", "future"), all.await(),
                    "a future given twice must give its result at both places (SPEC G14)");
            return null;
        });
    }

    /** G15: asCompleted of nothing is empty at once; its timeout may not be null. */
    @Test
    public void required_G15_asCompletedOfNothingAndBadInput() {
        Loop loop = newLoop();
        run(loop, () -> {
            AsCompleted<Future<String>> none = AsyncIO.asCompleted(List.of());
            assertFalse(none.hasNext(), "asCompleted of nothing must have nothing (SPEC G15)");
            assertThrows(NoSuchElementException.class, none::next, "(SPEC G15)");
            NullPointerException npe = assertThrows(NullPointerException.class,
                    () -> AsyncIO.asCompleted(List.of(pending()), null), "(SPEC G15)");
            assertTrue(String.valueOf(npe.getMessage()).contains("timeout"), "naming the argument (SPEC G15): " + npe);
            assertThrows(NullPointerException.class, () -> AsyncIO.shield(null), "shield(null) must be refused (SPEC G15)");
            return null;
        });
    }

    /** G16: failures gathered or settled are marked retrieved: nothing is reported as never retrieved at close. */
    @Test
    public void required_G16_gatheredFailuresAreRetrieved() {
        Loop loop = newLoop();
        run(loop, () -> {
            Future<String> a = pending();
            Future<String> b = pending();
            Future<List<String>> g = AsyncIO.gather(a);
            Future<List<Outcome<String>>> s = AsyncIO.gatherSettled(List.of(b));
            a.setException(new IllegalStateException("gathered"));
            b.setException(new IllegalStateException("settled"));
            assertThrows(IllegalStateException.class, g::await, "(SPEC G16)");
            s.await();
            return null;
        });
        loop.close();
        assertTrue(errors().isEmpty(), "a failure gather rethrew or gatherSettled reported must not be reported as "
                + "never retrieved at close (SPEC G16): " + errors());
    }

    /** G17: gather works from a callback (no task needed to start it). */
    @Test
    public void required_G17_gatherStartsFromACallback() {
        Loop loop = newLoop();
        run(loop, () -> {
            Future<String> a = pending();
            Future<Future<List<String>>> started = pending();
            loop.callSoon(() -> started.setResult(AsyncIO.gather(a)));
            Future<List<String>> g = started.await();
            a.setResult("a");
            assertEquals(List.of("a"), g.await(), "a gather started from a callback must complete (SPEC G17)");
            return null;
        });
    }

    /** G18: waitFor(shield(task)) times out while the task runs on: the classic asyncio idiom. */
    @Test
    public void required_G18_aShieldedTaskOutlivesAWaitForTimeout() {
        Loop loop = newLoop();
        run(loop, () -> {
            Future<Void> gate = pending();
            Task<String> work = AsyncIO.createTask(() -> {
                gate.await();
                return "finished anyway";
            });
            assertThrows(TimeoutException.class, () -> AsyncIO.waitFor(AsyncIO.shield(work), Duration.ofMillis(1)),
                    "waitFor of a shield must time out (SPEC G18)");
            assertFalse(work.isDone(), "the shielded task must not be cancelled by the timeout (SPEC G18)");
            gate.setResult(null);
            assertEquals("finished anyway", work.await(), "(SPEC G18)");
            return null;
        });
    }

    /** G19: a task cancelled in asCompleted's next() ends cancelled; the futures are left alone. */
    @Test
    public void required_G19_cancellingATaskInAsCompletedLeavesTheFuturesAlone() {
        Loop loop = newLoop();
        run(loop, () -> {
            Future<String> a = pending();
            Task<Object> reader = AsyncIO.createTask(() -> AsyncIO.asCompleted(List.of(a)).next());
            AsyncIO.sleep0();
            reader.cancel();
            assertThrows(CancelledError.class, reader::await, "(SPEC G19)");
            assertFalse(a.isDone(), "asCompleted must not cancel the futures when its reader is cancelled (SPEC G19)");
            a.setResult("a");
            return null;
        });
    }

    /** G20: a gather of futures already done completes with their results. */
    @Test
    public void required_G20_aGatherOfDoneFuturesCompletes() {
        Loop loop = newLoop();
        run(loop, () -> {
            Future<String> a = pending();
            Future<String> b = pending();
            a.setResult("a");
            b.setResult("b");
            assertEquals(List.of("a", "b"), AsyncIO.gather(a, b).await(),
                    "a gather of done futures must complete with their results (SPEC G20)");
            Future<String> failed = pending();
            IllegalStateException boom = new IllegalStateException("already failed");
            failed.setException(boom);
            assertSame(boom, assertThrows(IllegalStateException.class, () -> AsyncIO.gather(a, failed).await()),
                    "a gather with a future already failed must fail with it (SPEC G20)");
            return null;
        });
    }
}
