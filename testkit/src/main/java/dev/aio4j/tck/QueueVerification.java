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
import dev.aio4j.Loop;
import dev.aio4j.Task;
import dev.aio4j.sync.LifoQueue;
import dev.aio4j.sync.PriorityQueue;
import dev.aio4j.sync.Queue;
import dev.aio4j.sync.QueueEmptyException;
import dev.aio4j.sync.QueueFullException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * SPEC section Q, the rules of every queue's plain use (Q1 to Q8, Q20, Q21):
 * confinement to one loop, refused calls and input, the order of
 * {@code Queue}, {@code LifoQueue} and {@code PriorityQueue}, a full and an
 * empty queue, {@code toString}, and order under load. The hand-offs to
 * waiting tasks are in {@link QueueHandOffVerification}; {@code taskDone},
 * {@code join} and shutdown in {@link QueueJoinAndShutdownVerification}.
 *
 * <p>The tests were proved by planting defects in {@code dev.aio4j.sync}, one
 * at a time, and seeing the rule's test fail: a wait queue that serves its
 * waiters last-in first-out (Q4, Q21); a {@code Queue} that is last-in
 * first-out (Q2, Q4, Q7); no loop check (Q1); a null item accepted (Q3).
 */
public abstract class QueueVerification extends AbstractQueueVerification {
    /** For a backend's subclass, which names its provider. */
    protected QueueVerification() {}

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
