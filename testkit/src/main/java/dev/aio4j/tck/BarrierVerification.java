package dev.aio4j.tck;

import static dev.aio4j.tck.LoopSteps.finishes;
import static dev.aio4j.tck.LoopSteps.settle;
import static dev.aio4j.tck.LoopSteps.spawn;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.aio4j.Loop;
import dev.aio4j.Task;
import dev.aio4j.sync.Barrier;
import dev.aio4j.sync.BrokenBarrierException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * SPEC section Y, the rules of {@code Barrier} (Y28 to Y31): parties
 * released together with their arrival index, a round that drains before
 * the next one fills, abort and reset, and a party cancelled while the
 * barrier fills.
 *
 * <p>The tests were proved by planting defects in {@code dev.aio4j.sync}, one
 * at a time, and seeing the rule's test fail: a barrier that does not drain
 * (Y29).
 */
public abstract class BarrierVerification extends AbstractSyncVerification {
    /** For a backend's subclass, which names its provider. */
    protected BarrierVerification() {}

    // ------------------------------------------------------------------ Barrier

    /** Y28: a barrier releases its parties together, each with its arrival index; the last does not suspend. */
    @Test
    public void required_Y28_aBarrierReleasesAllPartiesWithTheirArrivalIndex() {
        Loop loop = newLoop();
        run(loop, () -> {
            Barrier barrier = new Barrier(3);
            assertEquals(3, barrier.parties(), "(SPEC Y28)");
            Task<Integer> a = spawn(barrier::await);
            Task<Integer> b = spawn(barrier::await);
            settle();
            assertFalse(a.isDone() || b.isDone(), "parties must wait until the last one arrives (SPEC Y28)");
            assertEquals(2, barrier.waiting(), "(SPEC Y28)");
            List<String> log = new ArrayList<>();
            spawn(() -> log.add("other task ran"));
            assertEquals(2, barrier.await(), "the last party must get index parties - 1 (SPEC Y28)");
            assertEquals(List.of(), log, "the last party must not suspend (SPEC Y28)");
            finishes(a, "(SPEC Y28)");
            finishes(b, "(SPEC Y28)");
            assertEquals(0, a.result(), "arrival index (SPEC Y28)");
            assertEquals(1, b.result(), "arrival index (SPEC Y28)");
            assertEquals(0, new Barrier(1).await(), "a barrier of one party must let it through at once (SPEC Y28)");
            fullRound(barrier, "a barrier must serve round after round (SPEC Y28)"); // the barrier is cyclic
            return null;
        });
    }

    /** A full round of a three-party {@code barrier}: two tasks and the caller arrive, in that order. */
    private static void fullRound(Barrier barrier, String what) {
        Task<Integer> c = spawn(barrier::await);
        Task<Integer> d = spawn(barrier::await);
        settle();
        assertEquals(2, barrier.await(), what);
        finishes(c, what);
        finishes(d, what);
        assertEquals(List.of(0, 1), List.of(c.result(), d.result()), "arrival indexes: " + what);
    }

    /** Y29: tasks arriving while a released round drains wait for the next round. */
    @Test
    public void required_Y29_aBarrierDrainsBeforeTheNextRoundFills() {
        Loop loop = newLoop();
        run(loop, () -> {
            Barrier barrier = new Barrier(2);
            Task<Integer> a = spawn(barrier::await);
            Task<Integer> b = spawn(barrier::await); // releases the round; a has not resumed yet...
            Task<Integer> c = spawn(barrier::await); // ...when c arrives: c must wait for the next round
            finishes(a, "(SPEC Y29)");
            finishes(b, "(SPEC Y29)");
            settle();
            assertEquals(0, a.result(), "(SPEC Y29)");
            assertEquals(1, b.result(), "(SPEC Y29)");
            assertFalse(c.isDone(), "a task arriving while the round drains must not join it (SPEC Y29)");
            assertEquals(1, barrier.waiting(), "it must count for the next round once the round drained (SPEC Y29)");
            Task<Integer> d = spawn(barrier::await);
            finishes(c, "(SPEC Y29)");
            finishes(d, "(SPEC Y29)");
            assertEquals(0, c.result(), "the next round must begin at index 0 (SPEC Y29)");
            assertEquals(1, d.result(), "(SPEC Y29)");
            return null;
        });
    }

    /** Y30: abort breaks the barrier for those in it and those to come; reset mends it. */
    @Test
    public void required_Y30_abortBreaksTheBarrierAndResetMendsIt() {
        Loop loop = newLoop();
        run(loop, () -> {
            Barrier barrier = new Barrier(3);
            Task<Integer> a = spawn(barrier::await);
            settle();
            barrier.abort();
            assertTrue(barrier.isBroken(), "(SPEC Y30)");
            finishes(a, "abort() must wake the tasks in the barrier (SPEC Y30)");
            assertInstanceOf(BrokenBarrierException.class, a.exception(), "they must get BrokenBarrierException (SPEC Y30)");
            assertThrows(BrokenBarrierException.class, barrier::await, "a broken barrier must refuse await() (SPEC Y30)");
            barrier.reset();
            assertFalse(barrier.isBroken(), "reset() must mend a broken barrier (SPEC Y30)");
            Task<Integer> b = spawn(barrier::await);
            settle();
            barrier.reset();
            finishes(b, "reset() must wake the tasks in the barrier (SPEC Y30)");
            assertInstanceOf(BrokenBarrierException.class, b.exception(), "they must get BrokenBarrierException (SPEC Y30)");
            settle();
            assertEquals(0, barrier.waiting(), "(SPEC Y30)");
            fullRound(barrier, "after a reset the barrier must work again (SPEC Y30)");
            return null;
        });
    }

    /** Y31: a task cancelled while the barrier fills no longer counts; the others wait on. */
    @Test
    public void required_Y31_aTaskCancelledInABarrierNoLongerCounts() {
        Loop loop = newLoop();
        run(loop, () -> {
            Barrier barrier = new Barrier(3);
            Task<Integer> a = spawn(barrier::await);
            Task<Integer> b = spawn(barrier::await);
            settle();
            assertEquals(2, barrier.waiting(), "(SPEC Y31)");
            a.cancel();
            finishes(a, "(SPEC Y31)");
            assertTrue(a.isCancelled(), "(SPEC Y31)");
            assertEquals(1, barrier.waiting(), "a cancelled task must no longer count as arrived (SPEC Y31)");
            Task<Integer> c = spawn(barrier::await);
            settle();
            assertFalse(b.isDone() || c.isDone(), "the barrier must still need its third party (SPEC Y31)");
            barrier.await();
            finishes(b, "(SPEC Y31)");
            finishes(c, "(SPEC Y31)");
            assertFalse(barrier.isBroken(), "(SPEC Y31)");
            return null;
        });
    }
}
