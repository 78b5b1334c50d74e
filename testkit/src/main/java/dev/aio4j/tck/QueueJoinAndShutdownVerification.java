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
import dev.aio4j.sync.LifoQueue;
import dev.aio4j.sync.Queue;
import dev.aio4j.sync.QueueEmptyException;
import dev.aio4j.sync.QueueShutDownException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * SPEC section Q, the end of a queue's work (Q15 to Q19): {@code taskDone}
 * and {@code join}, the graceful and the immediate shutdown, and a getter
 * woken for an item when the shutdown comes.
 *
 * <p>The tests were proved by planting defects in {@code dev.aio4j.sync}, one
 * at a time, and seeing the rule's test fail: the promise of a woken getter
 * cancelled before it runs kept or its item thrown away (Q19); a
 * {@code Queue} that is last-in first-out (Q18); an immediate shutdown that
 * does not count its items done (Q18), or keeps the items promised to woken
 * getters (Q19); a shutdown that wakes no getter (Q17, Q18); a graceful
 * shutdown that still accepts puts (Q17); no {@code taskDone} check (Q16,
 * Q18).
 */
public abstract class QueueJoinAndShutdownVerification extends AbstractQueueVerification {
    /** For a backend's subclass, which names its provider. */
    protected QueueJoinAndShutdownVerification() {}

    /** The exception {@code t} failed with. */
    private static Throwable failure(Task<?> t) {
        assertTrue(t.isDone() && !t.isCancelled(), "expected a failed task: " + t);
        return t.exception();
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
}
