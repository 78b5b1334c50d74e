package dev.aio4j.tck;

import static dev.aio4j.tck.LoopSteps.finishes;
import static dev.aio4j.tck.LoopSteps.settle;
import static dev.aio4j.tck.LoopSteps.spawn;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.aio4j.AsyncIO;
import dev.aio4j.Loop;
import dev.aio4j.Task;
import dev.aio4j.Timeout;
import dev.aio4j.sync.LifoQueue;
import dev.aio4j.sync.PriorityQueue;
import dev.aio4j.sync.Queue;
import dev.aio4j.sync.QueueEmptyException;
import dev.aio4j.sync.QueueFullException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * SPEC section Q, the hand-offs (Q9 to Q14): an item put while a getter
 * waits, and a slot freed while a putter waits, go to the first waiter and
 * are not lost when it is cancelled before it resumes (the race CPython fixed
 * in python/asyncio#343 is Q9); nobody barges in meanwhile, and a bounded
 * queue never holds more than its size.
 *
 * <p>The tests were proved by planting defects in {@code dev.aio4j.sync}, one
 * at a time, and seeing the rule's test fail: the promise of a woken getter
 * cancelled before it runs kept (Q9, Q13) or its item thrown away (Q9, Q13);
 * a wait queue that does not pass a wake-up on (Q9, Q10) or serves its
 * waiters last-in first-out (Q9, Q12); a {@code Queue} that is last-in
 * first-out (Q9); a {@code getNow} that takes an item promised to a woken
 * getter (Q11, Q13); a {@code putNow} that takes a slot handed to a woken
 * putter (Q11); a promised item that frees its slot (Q13).
 */
public abstract class QueueHandOffVerification extends AbstractQueueVerification {
    /** For a backend's subclass, which names its provider. */
    protected QueueHandOffVerification() {}

    // ------------------------------------------------------------------ hand-offs and cancellation

    /** Q9: a getter handed an item and cancelled before it resumes loses no item (python/asyncio#343). */
    @Test
    public void required_Q9_aWokenGetterCancelledBeforeItRunsLosesNoItem() {
        Loop loop = newLoop();
        run(loop, () -> {
            Queue<String> q = new Queue<>();
            Task<String> first = spawn(q::get);
            Task<String> second = spawn(q::get);
            settle();
            q.putNow("a");       // hands a to first...
            first.cancel("late"); // ...which is cancelled before it resumes (SPEC C13)
            finishes(first, "(SPEC Q9)");
            assertTrue(first.isCancelled(), "the woken getter must end cancelled (SPEC Q9)");
            finishes(second, "the item of a cancelled getter must go to the next getter (SPEC Q9, python/asyncio#343)");
            assertEquals("a", second.result(), "(SPEC Q9)");

            Task<String> g1 = spawn(q::get);
            Task<String> g2 = spawn(q::get);
            Task<String> g3 = spawn(q::get);
            settle();
            q.putNow("a1"); // for g1
            q.putNow("a2"); // for g2
            g1.cancel();    // g1's item goes to g3; the items still come out in order
            finishes(g1, "(SPEC Q9)");
            finishes(g2, "(SPEC Q9)");
            finishes(g3, "the item of a cancelled getter must go to the next getter (SPEC Q9)");
            assertEquals(List.of("a1", "a2"), List.of(g2.result(), g3.result()),
                    "the items must still come out first in, first out (SPEC Q9)");

            for (Queue<String> queue : List.<Queue<String>>of(new Queue<>(), new LifoQueue<>())) {
                Task<String> only = spawn(queue::get);
                settle();
                queue.putNow("b"); // for only
                only.cancel();
                queue.putNow("c"); // nobody waits: stored behind (or, in a LifoQueue, on top of) b
                finishes(only, "(SPEC Q9)");
                assertTrue(only.isCancelled(), "(SPEC Q9)");
                List<String> expected = queue instanceof LifoQueue ? List.of("c", "b") : List.of("b", "c");
                assertEquals(expected, drain(queue),
                        "the item of a cancelled getter with nobody after it must stay in its place (SPEC Q9): " + queue);
            }
            Task<String> h1 = spawn(q::get);
            Task<String> h2 = spawn(q::get);
            settle();
            q.putNow("e1"); // for h1
            q.putNow("e2"); // for h2
            h1.cancel();    // nobody waits: one item is free again, the first
            finishes(h1, "(SPEC Q9)");
            finishes(h2, "(SPEC Q9)");
            assertEquals("e1", h2.result(), "the items must still come out first in, first out (SPEC Q9)");
            assertEquals(List.of("e2"), drain(q), "the item of a cancelled getter must not be lost (SPEC Q9)");
            PriorityQueue<Integer> prio = new PriorityQueue<>();
            Task<Integer> pg = spawn(prio::get);
            settle();
            prio.putNow(2);
            pg.cancel();
            prio.putNow(3);
            prio.putNow(1);
            finishes(pg, "(SPEC Q9)");
            assertEquals(List.of(1, 2, 3), List.of(prio.getNow(), prio.getNow(), prio.getNow()),
                    "the item of a cancelled getter must go back into a PriorityQueue at its priority (SPEC Q9)");

            AtomicReference<Timeout> scope = new AtomicReference<>();
            Task<String> timed = spawn(() -> {
                try {
                    return AsyncIO.timeout(Duration.ofDays(1), t -> {
                        scope.set(t);
                        return q.get();
                    });
                } catch (TimeoutException e) {
                    return "timed out";
                }
            });
            Task<String> next = spawn(q::get);
            settle();
            scope.get().reschedule(Long.MIN_VALUE); // the deadline's cancellation is queued now...
            q.putNow("d");                          // ...before the getter's wake-up
            finishes(timed, "(SPEC Q9)");
            assertEquals("timed out", timed.result(), "the timeout must still throw TimeoutException (SPEC Q9)");
            finishes(next, "the item of a timed-out getter must go to the next getter (SPEC Q9)");
            assertEquals("d", next.result(), "(SPEC Q9)");
            assertTrue(q.isEmpty(), "(SPEC Q9)");
            return null;
        });
    }

    /** Q10: a putter handed a slot and cancelled before it resumes passes the slot on. */
    @Test
    public void required_Q10_aWokenPutterCancelledBeforeItRunsPassesTheSlotOn() {
        Loop loop = newLoop();
        run(loop, () -> {
            Queue<String> q = new Queue<>(1);
            q.putNow("x");
            Task<Void> first = putter(q, "first");
            Task<Void> second = putter(q, "second");
            settle();
            assertEquals("x", q.getNow(), "(SPEC Q10)"); // hands the slot to first...
            first.cancel();                                // ...which is cancelled before it resumes
            finishes(first, "(SPEC Q10)");
            assertTrue(first.isCancelled(), "the woken putter must end cancelled (SPEC Q10)");
            finishes(second, "the slot of a cancelled putter must go to the next putter (SPEC Q10)");
            assertEquals(List.of("second"), drain(q), "a cancelled putter must not put its item (SPEC Q10)");

            q.putNow("y");
            Task<Void> only = putter(q, "only");
            settle();
            assertEquals("y", q.getNow(), "(SPEC Q10)");
            only.cancel();
            finishes(only, "(SPEC Q10)");
            assertFalse(q.isFull(), "the slot of a cancelled putter with nobody after it must be free (SPEC Q10)");
            q.putNow("z");
            assertEquals(List.of("z"), drain(q), "(SPEC Q10)");
            return null;
        });
    }

    /** Q11: an item put while a getter waits, and a slot freed while a putter waits, go to the first waiter. */
    @Test
    public void required_Q11_nobodyBargesInAfterAPutOrAGet() {
        Loop loop = newLoop();
        run(loop, () -> {
            Queue<String> q = new Queue<>();
            Task<String> waiter = spawn(q::get);
            settle();
            Task<String> barger = spawn(q::get); // its first step runs before the waiter resumes
            q.putNow("a");
            assertEquals(0, q.size(), "an item put while a getter waits must be handed to it (SPEC Q11)");
            assertTrue(q.isEmpty(), "(SPEC Q11)");
            assertThrows(QueueEmptyException.class, q::getNow,
                    "getNow() must not take an item handed to a waiting getter (SPEC Q11)");
            finishes(waiter, "(SPEC Q11)");
            assertEquals("a", waiter.result(), "the first getter must get the item (SPEC Q11)");
            settle();
            assertFalse(barger.isDone(), "a get after the put must not take the item handed to the waiter (SPEC Q11)");
            q.putNow("b");
            finishes(barger, "(SPEC Q11)");
            assertEquals("b", barger.result(), "(SPEC Q11)");

            Queue<String> bounded = new Queue<>(1);
            bounded.putNow("x");
            Task<Void> p = putter(bounded, "p");
            settle();
            Task<Void> late = putter(bounded, "late"); // its first step runs before p resumes
            assertEquals("x", bounded.getNow(), "(SPEC Q11)");
            assertTrue(bounded.isFull(), "a slot freed while a putter waits must be handed to it (SPEC Q11)");
            assertThrows(QueueFullException.class, () -> bounded.putNow("barge"),
                    "putNow() must not take a slot handed to a waiting putter (SPEC Q11)");
            finishes(p, "(SPEC Q11)");
            assertEquals("p", bounded.getNow(), "the first putter must get the slot (SPEC Q11)");
            finishes(late, "(SPEC Q11)");
            assertEquals(List.of("late"), drain(bounded), "(SPEC Q11)");
            return null;
        });
    }

    /** Q12: tasks waiting in put put their items in the order they began waiting. */
    @Test
    public void required_Q12_puttersAreServedInFifoOrder() {
        Loop loop = newLoop();
        run(loop, () -> {
            Queue<String> q = new Queue<>(1);
            q.putNow("x");
            List<Task<Void>> putters = new ArrayList<>();
            for (String item : List.of("p0", "p1", "p2", "p3")) {
                putters.add(putter(q, item));
            }
            settle();
            List<String> got = new ArrayList<>();
            got.add(q.getNow());
            for (Task<Void> p : putters) {
                finishes(p, "every waiting putter must get a slot in turn (SPEC Q12)");
                got.add(q.getNow());
            }
            assertEquals(List.of("x", "p0", "p1", "p2", "p3"), got, "putters must be served in FIFO order (SPEC Q12)");
            return null;
        });
    }

    /** Q13: an item handed to a getter keeps its slot until the getter resumes; the queries predict the calls. */
    @Test
    public void required_Q13_aBoundedQueueNeverHoldsMoreThanMaxSize() {
        Loop loop = newLoop();
        run(loop, () -> {
            Queue<String> q = new Queue<>(1);
            Task<String> g = spawn(q::get);
            settle();
            q.putNow("a"); // handed to g
            assertEquals(0, q.size(), "(SPEC Q13)");
            assertTrue(q.isFull(), "an item handed to a getter that has not resumed keeps its slot (SPEC Q13)");
            assertThrows(QueueFullException.class, () -> q.putNow("b"),
                    "a bounded queue must not take more than maxSize items (SPEC Q13)");
            g.cancel(); // a comes back: it must fit
            finishes(g, "(SPEC Q13)");
            assertEquals(1, q.size(), "(SPEC Q13)");
            assertTrue(q.isFull(), "(SPEC Q13)");
            assertEquals("a", q.getNow(), "(SPEC Q13)");

            Task<String> g2 = spawn(q::get);
            settle();
            q.putNow("c");
            finishes(g2, "(SPEC Q13)");
            assertFalse(q.isFull(), "once the getter resumed, the slot is free (SPEC Q13)");
            q.putNow("d");
            assertFalse(q.isEmpty(), "(SPEC Q13)");
            assertEquals("d", q.getNow(), "(SPEC Q13)");
            return null;
        });
    }

    /** Q14: a task cancelled while it waits in put, get or join leaves the queue as it was. */
    @Test
    public void required_Q14_aTaskCancelledWhileWaitingLeavesNoTrace() {
        Loop loop = newLoop();
        run(loop, () -> {
            Queue<String> empty = new Queue<>();
            Queue<String> full = new Queue<>(1);
            full.putNow("x");
            Queue<String> pending = new Queue<>();
            pending.putNow("job");
            Task<String> getter = spawn(empty::get);
            Task<Void> put = putter(full, "never");
            Task<Void> joiner = spawn(() -> {
                pending.join();
                return null;
            });
            settle();
            getter.cancel();
            put.cancel();
            joiner.cancel();
            empty.putNow("a");               // after the cancellation, before the getter resumed: must skip it
            assertEquals("x", full.getNow()); // likewise the freed slot
            assertEquals(1, empty.size(), "an item put after a getter was cancelled must stay in the queue (SPEC Q14)");
            assertFalse(full.isFull(), "a slot freed after a putter was cancelled must be free at once (SPEC Q14)");
            for (Task<?> t : List.of(getter, put, joiner)) {
                finishes(t, "(SPEC Q14)");
                assertTrue(t.isCancelled(), "a task cancelled while waiting must end cancelled (SPEC Q14): " + t);
            }
            assertEquals(List.of("a"), drain(empty), "(SPEC Q14)");
            assertTrue(full.isEmpty(), "a cancelled putter must not put its item (SPEC Q14)");
            assertEquals("job", pending.getNow(), "(SPEC Q14)");
            pending.taskDone();
            pending.join();

            assertThrows(TimeoutException.class, () -> AsyncIO.timeout(Duration.ofMillis(1), empty::get), "(SPEC Q14)");
            empty.putNow("b");
            assertEquals(List.of("b"), drain(empty), "a timed-out getter must not stay in the queue (SPEC Q14)");
            assertTrue(empty.toString().contains("size=0") && !empty.toString().contains("getters"), "(SPEC Q14): " + empty);
            return null;
        });
    }
}
