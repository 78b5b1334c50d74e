package dev.aio4j.tck;

import static dev.aio4j.tck.LoopSteps.finishes;
import static dev.aio4j.tck.LoopSteps.settle;
import static dev.aio4j.tck.LoopSteps.spawn;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.aio4j.AsyncIO;
import dev.aio4j.Coroutine;
import dev.aio4j.Future;
import dev.aio4j.Loop;
import dev.aio4j.Task;
import dev.aio4j.Timeout;
import dev.aio4j.sync.LifoQueue;
import dev.aio4j.sync.PriorityQueue;
import dev.aio4j.sync.Queue;
import dev.aio4j.sync.QueueEmptyException;
import dev.aio4j.sync.QueueFullException;
import dev.aio4j.sync.QueueShutDownException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * SPEC section Q: the queues of {@code dev.aio4j.sync} ({@code Queue},
 * {@code LifoQueue}, {@code PriorityQueue}), library code in the API run on
 * the provider's loop. The race CPython fixed in python/asyncio#343 (a getter
 * woken with an item and cancelled before it runs loses the item) is Q9.
 * Orders are made by hand, as in {@link SyncVerification}: tasks reach their
 * wait in a few loop iterations ({@code settle}), a wake-up that should come
 * is waited for a bounded number of iterations ({@code finishes}), never by a
 * sleep. A task created before a put runs its first step before the getter
 * that put wakes resumes: that is how a barging task is staged.
 *
 * <p>The tests were proved by planting defects in {@code dev.aio4j.sync}, one
 * at a time, and seeing the rule's test fail: the promise of a woken getter
 * cancelled before it runs kept (Q9, Q13, Q19) or its item thrown away (Q9,
 * Q13, Q19); a wait queue that does not pass a wake-up on (Q9, Q10) or serves
 * its waiters last-in first-out (Q4, Q9, Q12, Q21); a {@code Queue} that is
 * last-in first-out (Q2, Q4, Q7, Q9, Q18); a {@code getNow} that takes an
 * item promised to a woken getter (Q11, Q13); a {@code putNow} that takes a
 * slot handed to a woken putter (Q11); a promised item that frees its slot
 * (Q13); an immediate shutdown that does not count its items done (Q18), or
 * keeps the items promised to woken getters (Q19); a shutdown that wakes no
 * getter (Q17, Q18); a graceful shutdown that still accepts puts (Q17); no
 * {@code taskDone} check (Q16, Q18); no loop check (Q1); a null item
 * accepted (Q3).
 */
public abstract class QueueVerification extends AbstractVerification {
    /** For a backend's subclass, which names its provider. */
    protected QueueVerification() {}


    @Override
    protected String area() {
        return "Queue";
    }

    private static Task<Void> putter(Queue<String> q, String item) {
        return spawn(() -> {
            q.put(item);
            return null;
        });
    }

    private static void assertMessage(Throwable e, String part, String what) {
        assertTrue(String.valueOf(e.getMessage()).contains(part), what + ": the message must name " + part + ": " + e);
    }

    /** The exception {@code t} failed with. */
    private static Throwable failure(Task<?> t) {
        assertTrue(t.isDone() && !t.isCancelled(), "expected a failed task: " + t);
        return t.exception();
    }

    private static List<String> drain(Queue<String> q) {
        List<String> out = new ArrayList<>();
        while (!q.isEmpty()) {
            out.add(q.getNow());
        }
        return out;
    }

    // ------------------------------------------------------------------ confinement and input

    /** Q1: a queue binds to the first loop that uses it; other loops and loop-less threads are refused. */
    @Test
    public void required_Q1_aQueueIsConfinedToTheFirstLoopThatUsesIt() {
        Loop a = newLoop();
        Loop b = newLoop();
        Queue<String> q = new Queue<>(3);
        LifoQueue<String> lifo = new LifoQueue<>();
        PriorityQueue<String> prio = new PriorityQueue<>();
        run(a, () -> {
            q.putNow("kept");
            lifo.putNow("kept");
            prio.size();
            return null;
        });
        run(b, () -> {
            Map<String, Executable> uses = new LinkedHashMap<>();
            uses.put("Queue.putNow()", () -> q.putNow("x"));
            uses.put("Queue.getNow()", q::getNow);
            uses.put("Queue.shutdown()", () -> q.shutdown(true));
            uses.put("LifoQueue.size()", lifo::size);
            uses.put("PriorityQueue.putNow()", () -> prio.putNow("x"));
            uses.forEach((name, use) -> {
                IllegalStateException e = assertThrows(IllegalStateException.class, use,
                        name + " on a second loop must be refused (SPEC Q1)");
                assertMessage(e, name, "(SPEC Q1)");
                assertMessage(e, "@" + Integer.toHexString(System.identityHashCode(a)), "the queue's loop (SPEC Q1)");
                assertMessage(e, "@" + Integer.toHexString(System.identityHashCode(b)), "the caller's loop (SPEC Q1)");
            });
            return null;
        });
        WrongThreadException w = assertThrows(WrongThreadException.class, () -> q.putNow("y"),
                "Queue.putNow() from a thread that runs no loop must be refused (SPEC Q1)");
        assertMessage(w, "Queue.putNow()", "(SPEC Q1)");
        assertThrows(WrongThreadException.class, new Queue<String>()::taskDone, "(SPEC Q1)");
        assertEquals(3, q.maxSize(), "maxSize() may be called from any thread (SPEC Q1)");
        assertTrue(q.toString().contains("size=1"), "toString() may be called from any thread (SPEC Q1): " + q);
        run(a, () -> {
            Throwable fromThread = a.toThread(() -> {
                try {
                    q.putNow("z");
                    return null;
                } catch (Throwable t) {
                    return t;
                }
            }).await();
            assertInstanceOf(WrongThreadException.class, fromThread,
                    "a call from another thread while the loop runs must be refused (SPEC Q1)");
            assertEquals(List.of("kept"), drain(q), "a refused call must change nothing (SPEC Q1)");
            assertFalse(q.isShutDown(), "(SPEC Q1)");
            assertEquals(1, lifo.size(), "(SPEC Q1)");
            return null;
        });
    }

    /** Q2: put, get and join are refused in a callback; the calls that never suspend work there. */
    @Test
    public void required_Q2_waitingOutsideATaskIsRefused() {
        Loop loop = newLoop();
        run(loop, () -> {
            Queue<String> q = new Queue<>(2);
            q.putNow("a");
            Map<String, Executable> waits = new LinkedHashMap<>();
            waits.put("Queue.put()", () -> q.put("b"));
            waits.put("Queue.get()", q::get);
            waits.put("Queue.join()", q::join);
            for (Map.Entry<String, Executable> w : waits.entrySet()) {
                Throwable t = thrownInACallback(loop, w.getValue());
                assertInstanceOf(IllegalStateException.class, t,
                        w.getKey() + " in a callback must be refused, even when it would not wait (SPEC Q2)");
                assertMessage(t, w.getKey(), "(SPEC Q2)");
                assertMessage(t, "outside a task", "(SPEC Q2)");
            }
            assertEquals(1, q.size(), "a refused put or get must change nothing (SPEC Q2)");
            assertNull(thrownInACallback(loop, () -> {
                q.putNow("b");
                assertEquals("a", q.getNow());
                q.taskDone();
                assertFalse(q.isEmpty() || q.isFull());
                q.shutdown();
            }), "putNow, getNow, taskDone, shutdown and the queries must work in a callback (SPEC Q2)");
            assertEquals(List.of("b"), drain(q), "(SPEC Q2)");
            return null;
        });
    }

    /** Q3: null items, comparators and hooks, and unorderable items, are refused; maxSize of 0 or less is unbounded. */
    @Test
    public void required_Q3_badInputIsRefusedAndASizeOfZeroOrLessIsUnbounded() {
        assertMessage(assertThrows(NullPointerException.class, () -> new PriorityQueue<String>(null), "(SPEC Q3)"),
                "comparator", "(SPEC Q3)");
        assertMessage(assertThrows(NullPointerException.class, () -> new PriorityQueue<String>(3, null), "(SPEC Q3)"),
                "comparator", "(SPEC Q3)");
        Loop loop = newLoop();
        run(loop, () -> {
            List<Queue<String>> queues = List.of(new Queue<>(), new LifoQueue<>(), new PriorityQueue<>());
            for (Queue<String> q : queues) {
                assertMessage(assertThrows(NullPointerException.class, () -> q.putNow(null),
                        "a null item must be refused (SPEC Q3)"), "item", "(SPEC Q3)");
                assertMessage(assertThrows(NullPointerException.class, () -> q.put(null),
                        "a null item must be refused (SPEC Q3)"), "item", "(SPEC Q3)");
                assertMessage(assertThrows(NullPointerException.class, () -> q.shutdown(true, null),
                        "(SPEC Q3)"), "dropped", "(SPEC Q3)");
                assertTrue(q.isEmpty() && !q.isShutDown(), "a refused call must change nothing (SPEC Q3): " + q);
            }
            Queue<String> waited = new Queue<>();
            Task<String> getter = spawn(waited::get);
            settle();
            assertThrows(NullPointerException.class, () -> waited.putNow(null),
                    "a null item must be refused also when a getter waits (SPEC Q3)");
            settle();
            assertFalse(getter.isDone(), "a refused null must not wake the getter (SPEC Q3)");
            waited.putNow("real");
            finishes(getter, "(SPEC Q3)");
            assertEquals("real", getter.result(), "(SPEC Q3)");
            waited.taskDone();

            PriorityQueue<Object> natural = new PriorityQueue<>();
            Task<Object> naturalGetter = spawn(natural::get);
            settle();
            assertThrows(ClassCastException.class, () -> natural.putNow(new Object()),
                    "an item that is not Comparable must be refused by a natural-order PriorityQueue (SPEC Q3)");
            settle();
            assertFalse(naturalGetter.isDone(), "a refused item must not reach a waiting getter (SPEC Q3)");
            naturalGetter.cancel();
            finishes(naturalGetter, "(SPEC Q3)");

            for (int max : new int[] {0, -1, Integer.MIN_VALUE}) {
                Queue<Integer> q = new Queue<>(max);
                assertEquals(max, q.maxSize(), "maxSize() must return the size given (SPEC Q3)");
                for (int i = 0; i < 1000; i++) {
                    q.putNow(i);
                    q.put(i);
                }
                assertFalse(q.isFull(), "a queue of maxSize " + max + " must be unbounded (SPEC Q3)");
                assertEquals(2000, q.size(), "(SPEC Q3)");
            }
            return null;
        });
    }

    // ------------------------------------------------------------------ order

    /** Q4: a Queue gives its items in the order they were put; waiting getters are served in order. */
    @Test
    public void required_Q4_aQueueIsFirstInFirstOut() {
        Loop loop = newLoop();
        run(loop, () -> {
            Queue<String> q = new Queue<>();
            q.putNow("a");
            q.putNow("b");
            q.put("c");
            List<String> log = new ArrayList<>();
            spawn(() -> log.add("other task ran"));
            assertEquals("a", q.get(), "a Queue must be first in, first out (SPEC Q4)");
            assertEquals(List.of(), log, "get() of a queue holding items must not suspend the task (SPEC Q4)");
            assertEquals(List.of("b", "c"), drain(q), "a Queue must be first in, first out (SPEC Q4)");
            List<Task<String>> getters = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                getters.add(spawn(q::get));
            }
            settle();
            for (String item : List.of("1", "2", "3", "4")) {
                q.putNow(item);
            }
            List<String> got = new ArrayList<>();
            for (Task<String> g : getters) {
                finishes(g, "(SPEC Q4)");
                got.add(g.result());
            }
            assertEquals(List.of("1", "2", "3", "4"), got,
                    "waiting getters must get the items in the order they began waiting, one each (SPEC Q4)");
            return null;
        });
    }

    /** Q5: a LifoQueue gives the item put most recently first. */
    @Test
    public void required_Q5_aLifoQueueIsLastInFirstOut() {
        Loop loop = newLoop();
        run(loop, () -> {
            LifoQueue<String> q = new LifoQueue<>(5);
            for (String item : List.of("a", "b", "c")) {
                q.putNow(item);
            }
            assertEquals("c", q.get(), "a LifoQueue must be last in, first out (SPEC Q5)");
            q.putNow("d");
            assertEquals(List.of("d", "b", "a"), drain(q), "a LifoQueue must be last in, first out (SPEC Q5)");
            return null;
        });
    }

    private record Job(int priority, String name) {}

    /** Q6: a PriorityQueue gives the least item first, by its comparator or the natural order. */
    @Test
    public void required_Q6_aPriorityQueueGivesTheLeastItemFirst() {
        Loop loop = newLoop();
        run(loop, () -> {
            PriorityQueue<Integer> natural = new PriorityQueue<>();
            for (int i : new int[] {5, 1, 4, 2, 3}) {
                natural.putNow(i);
            }
            List<Integer> got = new ArrayList<>();
            while (!natural.isEmpty()) {
                got.add(natural.get());
            }
            assertEquals(List.of(1, 2, 3, 4, 5), got, "a PriorityQueue must give the least item first (SPEC Q6)");
            PriorityQueue<Job> jobs = new PriorityQueue<>(10, Comparator.comparingInt(Job::priority));
            jobs.putNow(new Job(3, "low"));
            jobs.putNow(new Job(1, "urgent"));
            jobs.putNow(new Job(2, "normal"));
            assertEquals("urgent", jobs.getNow().name(), "by the comparator (SPEC Q6)");
            assertEquals("normal", jobs.getNow().name(), "(SPEC Q6)");
            assertEquals("low", jobs.getNow().name(), "(SPEC Q6)");
            PriorityQueue<String> reversed = new PriorityQueue<>(Comparator.reverseOrder());
            reversed.putNow("a");
            reversed.putNow("c");
            reversed.putNow("b");
            assertEquals(List.of("c", "b", "a"), drain(reversed), "(SPEC Q6)");
            return null;
        });
    }

    // ------------------------------------------------------------------ full and empty

    /** Q7: put waits while the queue is full; putNow throws QueueFullException. */
    @Test
    public void required_Q7_aFullQueueMakesPutWaitAndPutNowFail() {
        Loop loop = newLoop();
        run(loop, () -> {
            Queue<String> q = new Queue<>(2);
            q.putNow("a");
            assertFalse(q.isFull(), "(SPEC Q7)");
            q.put("b");
            assertTrue(q.isFull(), "(SPEC Q7)");
            QueueFullException e = assertThrows(QueueFullException.class, () -> q.putNow("x"),
                    "putNow() on a full queue must throw QueueFullException (SPEC Q7)");
            assertInstanceOf(IllegalStateException.class, e, "(SPEC Q7)");
            assertEquals(2, q.size(), "a refused putNow must change nothing (SPEC Q7)");
            Task<Void> p = putter(q, "c");
            settle();
            assertFalse(p.isDone(), "put() on a full queue must wait (SPEC Q7)");
            assertEquals(2, q.size(), "(SPEC Q7)");
            assertEquals("a", q.getNow(), "(SPEC Q7)");
            finishes(p, "a waiting put must go on once a slot is free (SPEC Q7)");
            assertEquals(List.of("b", "c"), drain(q), "(SPEC Q7)");
            return null;
        });
    }

    /** Q8: get waits while the queue is empty; getNow throws QueueEmptyException. */
    @Test
    public void required_Q8_anEmptyQueueMakesGetWaitAndGetNowFail() {
        Loop loop = newLoop();
        run(loop, () -> {
            Queue<String> q = new Queue<>();
            assertTrue(q.isEmpty(), "(SPEC Q8)");
            QueueEmptyException e = assertThrows(QueueEmptyException.class, q::getNow,
                    "getNow() on an empty queue must throw QueueEmptyException (SPEC Q8)");
            assertInstanceOf(NoSuchElementException.class, e, "(SPEC Q8)");
            Task<String> g = spawn(q::get);
            settle();
            assertFalse(g.isDone(), "get() on an empty queue must wait (SPEC Q8)");
            q.putNow("a");
            finishes(g, "a waiting get must return once an item is put (SPEC Q8)");
            assertEquals("a", g.result(), "(SPEC Q8)");
            assertTrue(q.isEmpty(), "(SPEC Q8)");
            assertEquals(0, q.size(), "(SPEC Q8)");
            return null;
        });
    }

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

    // ------------------------------------------------------------------ taskDone and join

    /** Q15: join waits until every item put is marked done; every joiner wakes. */
    @Test
    public void required_Q15_joinWaitsUntilEveryItemPutIsDone() {
        Loop loop = newLoop();
        run(loop, () -> {
            Queue<String> q = new Queue<>();
            List<String> log = new ArrayList<>();
            spawn(() -> log.add("other task ran"));
            q.join();
            assertEquals(List.of(), log, "join() with nothing unfinished must not suspend (SPEC Q15)");
            q.putNow("a");
            q.putNow("b");
            Task<Void> j1 = spawn(() -> {
                q.join();
                return null;
            });
            Task<Void> j2 = spawn(() -> {
                q.join();
                return null;
            });
            settle();
            assertFalse(j1.isDone(), "join() must wait while items are unfinished (SPEC Q15)");
            q.getNow();
            q.getNow();
            settle();
            assertFalse(j1.isDone() || j2.isDone(), "an item got is unfinished until taskDone() (SPEC Q15)");
            q.taskDone();
            settle();
            assertFalse(j1.isDone() || j2.isDone(), "one item is still unfinished (SPEC Q15)");
            q.taskDone();
            finishes(j1, "join() must return once every item put is done (SPEC Q15)");
            finishes(j2, "every task in join() must wake (SPEC Q15)");
            return null;
        });
    }

    /** Q16: taskDone with nothing unfinished is refused and changes nothing. */
    @Test
    public void required_Q16_taskDoneMoreOftenThanItemsIsRefused() {
        Loop loop = newLoop();
        run(loop, () -> {
            Queue<String> q = new Queue<>();
            IllegalStateException e = assertThrows(IllegalStateException.class, q::taskDone,
                    "taskDone() on a fresh queue must be refused (SPEC Q16)");
            assertMessage(e, "taskDone() called more times than there were items put", "(SPEC Q16)");
            q.putNow("a");
            q.getNow();
            q.taskDone();
            assertThrows(IllegalStateException.class, q::taskDone, "a second taskDone() for one item must be refused (SPEC Q16)");
            q.putNow("b");
            Task<Void> j = spawn(() -> {
                q.join();
                return null;
            });
            settle();
            assertFalse(j.isDone(), "a refused taskDone() must not count: the new item holds join() (SPEC Q16)");
            q.taskDone();
            finishes(j, "(SPEC Q16)");
            return null;
        });
    }

    // ------------------------------------------------------------------ shutdown

    /** Q17: after a graceful shutdown, puts fail, gets drain the queue and then fail, and waiters are woken. */
    @Test
    public void required_Q17_aGracefulShutdownRefusesPutsAndLetsGetsDrainTheQueue() {
        Loop loop = newLoop();
        run(loop, () -> {
            Queue<String> q = new Queue<>(1);
            q.putNow("a");
            Task<Void> p = putter(q, "b");
            Queue<String> empty = new Queue<>();
            Task<String> g1 = spawn(empty::get);
            Task<String> g2 = spawn(empty::get);
            settle();
            assertFalse(q.isShutDown(), "(SPEC Q17)");
            q.shutdown();
            empty.shutdown();
            assertTrue(q.isShutDown(), "(SPEC Q17)");
            for (Task<?> t : List.of(p, g1, g2)) {
                finishes(t, "a task waiting in put or get must be woken by a shutdown (SPEC Q17)");
                assertInstanceOf(QueueShutDownException.class, failure(t), "(SPEC Q17)");
            }
            QueueShutDownException e = assertThrows(QueueShutDownException.class, () -> q.putNow("c"),
                    "putNow() after shutdown() must be refused (SPEC Q17)");
            assertInstanceOf(IllegalStateException.class, e, "(SPEC Q17)");
            assertMessage(e, "Queue.putNow()", "(SPEC Q17)");
            assertThrows(QueueShutDownException.class, () -> empty.put("c"), "put() after shutdown() must be refused (SPEC Q17)");
            assertEquals("a", q.get(), "get() must take the items left after a graceful shutdown (SPEC Q17)");
            assertThrows(QueueShutDownException.class, q::getNow,
                    "getNow() of a shut-down, empty queue must throw QueueShutDownException, not QueueEmptyException (SPEC Q17)");
            assertThrows(QueueShutDownException.class, q::get, "(SPEC Q17)");
            q.taskDone();
            q.join();
            return null;
        });
    }

    /** Q18: an immediate shutdown drops the items to the hook, counts them done, and gets fail at once. */
    @Test
    public void required_Q18_anImmediateShutdownEmptiesTheQueueAndCountsItsItemsDone() {
        Loop loop = newLoop();
        run(loop, () -> {
            Queue<String> q = new Queue<>();
            for (String item : List.of("a", "b", "c")) {
                q.putNow(item);
            }
            assertEquals("a", q.getNow(), "(SPEC Q18)"); // got, not yet done
            Task<Void> joiner = spawn(() -> {
                q.join();
                return null;
            });
            settle();
            List<String> dropped = new ArrayList<>();
            q.shutdown(true, dropped::add);
            assertEquals(List.of("b", "c"), dropped, "the items left must be given to the hook, in get order (SPEC Q18)");
            assertEquals(0, q.size(), "an immediate shutdown must empty the queue (SPEC Q18)");
            assertThrows(QueueShutDownException.class, q::getNow, "(SPEC Q18)");
            assertThrows(QueueShutDownException.class, q::get, "(SPEC Q18)");
            settle();
            assertFalse(joiner.isDone(), "the item got and not done still holds join() (SPEC Q18)");
            q.taskDone();
            finishes(joiner, "the dropped items must count as done: join() returns (SPEC Q18)");

            Queue<String> lifo = new LifoQueue<>(2);
            lifo.putNow("x");
            lifo.putNow("y");
            Task<Void> p = putter(lifo, "z");
            Task<Void> j = spawn(() -> {
                lifo.join();
                return null;
            });
            Queue<String> empty = new Queue<>();
            Task<String> g = spawn(empty::get);
            settle();
            List<String> lifoDropped = new ArrayList<>();
            lifo.shutdown(true, lifoDropped::add);
            empty.shutdown(true);
            assertEquals(List.of("y", "x"), lifoDropped, "in the order gets would have taken them (SPEC Q18)");
            finishes(p, "a putter waiting must be woken by an immediate shutdown (SPEC Q18)");
            assertInstanceOf(QueueShutDownException.class, failure(p), "(SPEC Q18)");
            finishes(g, "a getter waiting must be woken by an immediate shutdown (SPEC Q18)");
            assertInstanceOf(QueueShutDownException.class, failure(g), "(SPEC Q18)");
            finishes(j, "with every item dropped, join() must be released (SPEC Q18)");
            assertThrows(IllegalStateException.class, lifo::taskDone, "(SPEC Q18)");

            Queue<String> hooked = new Queue<>();
            hooked.putNow("m");
            hooked.putNow("n");
            List<String> seen = new ArrayList<>();
            IllegalStateException boom = new IllegalStateException("boom");
            IllegalStateException thrown = assertThrows(IllegalStateException.class, () -> hooked.shutdown(true, item -> {
                seen.add(item);
                throw boom;
            }), "(SPEC Q18)");
            assertEquals(boom, thrown, "the hook's exception must pass through (SPEC Q18)");
            assertEquals(List.of("m", "n"), seen, "a hook that throws must still be given every item (SPEC Q18)");
            assertTrue(hooked.isShutDown() && hooked.isEmpty(), "(SPEC Q18)");
            hooked.join();
            return null;
        });
    }

    /** Q19: a getter woken for an item, not yet resumed, gets it after a graceful shutdown and fails after an immediate one. */
    @Test
    public void required_Q19_aWokenGetterSeesTheShutdownAsTheQueueDoes() {
        Loop loop = newLoop();
        run(loop, () -> {
            Queue<String> q = new Queue<>();
            Task<String> g = spawn(q::get);
            settle();
            q.putNow("a"); // for g
            q.shutdown();
            finishes(g, "(SPEC Q19)");
            assertEquals("a", g.result(), "after a graceful shutdown, a woken getter must get its item (SPEC Q19)");
            q.taskDone();

            Queue<String> immediate = new Queue<>();
            Task<String> woken = spawn(immediate::get);
            Task<Void> j = spawn(() -> {
                immediate.join();
                return null;
            });
            settle();
            immediate.putNow("b"); // for woken
            List<String> dropped = new ArrayList<>();
            immediate.shutdown(true, dropped::add);
            assertEquals(List.of("b"), dropped, "an immediate shutdown must drop the item promised to a woken getter (SPEC Q19)");
            finishes(woken, "(SPEC Q19)");
            assertInstanceOf(QueueShutDownException.class, failure(woken),
                    "after an immediate shutdown, a woken getter must throw QueueShutDownException (SPEC Q19)");
            finishes(j, "the item dropped must count as done (SPEC Q19)");

            Queue<String> cancelledAfter = new Queue<>();
            Task<String> cancelled = spawn(cancelledAfter::get);
            settle();
            cancelledAfter.putNow("c");
            cancelledAfter.shutdown(true, dropped::add);
            cancelled.cancel();
            finishes(cancelled, "(SPEC Q19)");
            assertTrue(cancelled.isCancelled(), "(SPEC Q19)");
            assertEquals(List.of("b", "c"), dropped, "each item is dropped once (SPEC Q19)");
            assertEquals(0, cancelledAfter.size(), "(SPEC Q19)");

            Queue<String> graceful = new Queue<>();
            Task<String> gone = spawn(graceful::get);
            settle();
            graceful.putNow("c");
            graceful.shutdown();
            gone.cancel();
            finishes(gone, "(SPEC Q19)");
            assertEquals("c", graceful.getNow(),
                    "after a graceful shutdown, the item of a cancelled getter must go back for a later get (SPEC Q19)");
            assertThrows(QueueShutDownException.class, graceful::getNow, "(SPEC Q19)");
            return null;
        });
    }

    // ------------------------------------------------------------------ all of them

    /** Q20: toString tells the type, size, maxSize, unfinished items, waiters and shutdown. */
    @Test
    public void required_Q20_toStringTellsTheState() {
        Loop loop = newLoop();
        run(loop, () -> {
            Queue<String> q = new Queue<>(5);
            q.putNow("a");
            q.putNow("b");
            String s = q.toString();
            assertTrue(s.startsWith("Queue[") && s.contains("size=2") && s.contains("maxSize=5") && s.contains("unfinished=2"),
                    "(SPEC Q20): " + s);
            LifoQueue<String> lifo = new LifoQueue<>();
            Task<String> g = spawn(lifo::get);
            settle();
            s = lifo.toString();
            assertTrue(s.startsWith("LifoQueue[") && s.contains("unbounded") && s.contains("getters=1"), "(SPEC Q20): " + s);
            Queue<String> full = new Queue<>(1);
            full.putNow("x");
            Task<Void> p = putter(full, "y");
            settle();
            assertTrue(full.toString().contains("putters=1"), "(SPEC Q20): " + full);
            g.cancel();
            p.cancel();
            finishes(g, "(SPEC Q20)");
            finishes(p, "(SPEC Q20)");
            q.shutdown();
            assertTrue(q.toString().contains("shut down"), "(SPEC Q20): " + q);
            assertTrue(new PriorityQueue<Integer>().toString().startsWith("PriorityQueue["), "(SPEC Q20)");
            return null;
        });
    }

    /** Q21: ten thousand getters, and ten thousand putters on a queue of one slot, are served in order. */
    @Test
    public void required_Q21_tenThousandWaitersAreServedInOrder() {
        Loop loop = newLoop();
        int n = 10_000;
        run(loop, env.scaled(Duration.ofSeconds(60)), () -> {
            Queue<Integer> q = new Queue<>(1);
            List<Task<Integer>> getters = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                getters.add(spawn(q::get));
            }
            AsyncIO.sleep0(); // every getter now waits
            for (int i = 0; i < n; i++) {
                q.put(i); // each item is handed to the next getter; its slot frees when that getter resumes
            }
            AsyncIO.gather(getters).await();
            for (int i = 0; i < n; i++) {
                assertEquals(i, getters.get(i).result(), "10,000 getters must be served in FIFO order (SPEC Q21)");
            }
            q.putNow(-1);
            List<Task<Void>> putters = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                int item = i;
                putters.add(spawn(() -> {
                    q.put(item);
                    return null;
                }));
            }
            AsyncIO.sleep0(); // every putter now waits
            List<Integer> got = new ArrayList<>();
            got.add(q.get());
            for (int i = 0; i < n; i++) {
                got.add(q.get());
            }
            List<Integer> expected = new ArrayList<>();
            expected.add(-1);
            for (int i = 0; i < n; i++) {
                expected.add(i);
            }
            assertEquals(expected, got, "10,000 putters must put in FIFO order (SPEC Q21)");
            AsyncIO.gather(putters).await();
            return null;
        });
    }
}
