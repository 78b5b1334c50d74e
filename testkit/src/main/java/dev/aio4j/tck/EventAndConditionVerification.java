package dev.aio4j.tck;

import static dev.aio4j.tck.LoopSteps.finishes;
import static dev.aio4j.tck.LoopSteps.settle;
import static dev.aio4j.tck.LoopSteps.spawn;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.aio4j.CancelledError;
import dev.aio4j.Coroutine;
import dev.aio4j.Loop;
import dev.aio4j.Task;
import dev.aio4j.sync.Condition;
import dev.aio4j.sync.Event;
import dev.aio4j.sync.Hold;
import dev.aio4j.sync.Lock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * SPEC section Y, the rules of {@code Event} (Y13 to Y16) and
 * {@code Condition} (Y17 to Y23), the primitives whose waiters are woken by a
 * notification: {@code set}, {@code signal} and {@code signalAll}. Among them
 * the broadcast wake-up that a cancelled waiter must not pass on (Y16), and
 * the signalled waiter cancelled before it runs (CPython gh-112202).
 *
 * <p>The tests were proved by planting defects in {@code dev.aio4j.sync}, one
 * at a time, and seeing the rule's test fail: a wait queue that drops the
 * wake-up of a woken-then-cancelled waiter (Y20), that passes a broadcast
 * wake-up on (Y16) or serves its waiters last-in first-out (Y19); a
 * condition that does not hold the lock again when cancelled (Y21) or keeps
 * it while waiting (Y16, Y18 to Y23); no check of the loop (Y23).
 */
public abstract class EventAndConditionVerification extends AbstractSyncVerification {
    /** For a backend's subclass, which names its provider. */
    protected EventAndConditionVerification() {}

    // ------------------------------------------------------------------ Event

    /** Y13: set wakes every waiter, oldest first; a set event is awaited without suspending. */
    @Test
    public void required_Y13_setWakesEveryWaiterInOrder() {
        Loop loop = newLoop();
        run(loop, () -> {
            Event event = new Event();
            List<String> log = new ArrayList<>();
            List<Task<Void>> tasks = List.of(logsAfter(event::await, "a", log), logsAfter(event::await, "b", log),
                    logsAfter(event::await, "c", log));
            settle();
            assertEquals(List.of(), log, "await() must wait while the event is clear (SPEC Y13)");
            assertFalse(event.isSet(), "(SPEC Y13)");
            event.set();
            assertTrue(event.isSet(), "(SPEC Y13)");
            for (Task<Void> t : tasks) {
                finishes(t, "set() must wake every waiter (SPEC Y13)");
            }
            assertEquals(List.of("a", "b", "c"), log, "waiters must wake in the order they began waiting (SPEC Y13)");
            spawn(() -> log.add("other task ran"));
            event.await();
            assertEquals(3, log.size(), "await() of a set event must return without suspending (SPEC Y13)");
            event.set(); // set again: nothing
            assertTrue(event.isSet(), "(SPEC Y13)");
            return null;
        });
    }

    /** Y14: a set wakes its waiters even if the event is cleared before they run; later waiters wait for the next set. */
    @Test
    public void required_Y14_aSetWakesItsWaitersEvenIfClearedBeforeTheyRun() {
        Loop loop = newLoop();
        run(loop, () -> {
            Event event = new Event();
            List<String> log = new ArrayList<>();
            Task<Void> a = logsAfter(event::await, "a", log);
            Task<Void> b = logsAfter(event::await, "b", log);
            settle();
            event.set();
            event.clear();
            assertFalse(event.isSet(), "(SPEC Y14)");
            finishes(a, "a waiter woken by a set must return even if the event was cleared since (SPEC Y14)");
            finishes(b, "(SPEC Y14)");
            Task<Void> late = logsAfter(event::await, "late", log);
            settle();
            assertFalse(late.isDone(), "a task awaiting after clear() must wait for the next set() (SPEC Y14)");
            event.set();
            finishes(late, "(SPEC Y14)");
            assertEquals(List.of("a", "b", "late"), log, "(SPEC Y14)");
            return null;
        });
    }

    /** Y15: a waiter cancelled while it waits leaves; the others still wake. */
    @Test
    public void required_Y15_aCancelledEventWaiterLeavesAndTheOthersStillWake() {
        Loop loop = newLoop();
        run(loop, () -> {
            Event event = new Event();
            List<String> log = new ArrayList<>();
            Task<Void> a = logsAfter(event::await, "a", log);
            Task<Void> b = logsAfter(event::await, "b", log);
            Task<Void> c = logsAfter(event::await, "c", log);
            settle();
            b.cancel();
            finishes(b, "(SPEC Y15)");
            assertTrue(b.isCancelled(), "a waiter cancelled while waiting must end cancelled (SPEC Y15)");
            assertFalse(event.isSet(), "(SPEC Y15)");
            event.set();
            finishes(a, "(SPEC Y15)");
            finishes(c, "(SPEC Y15)");
            assertEquals(List.of("a", "c"), log, "the other waiters must still wake (SPEC Y15)");
            return null;
        });
    }

    /** Y16: a wake-up that tells every waiter (set, signalAll, a barrier opening) is not passed on by a cancelled one. */
    @Test
    public void required_Y16_aBroadcastWakeUpIsNotPassedOn() {
        Loop loop = newLoop();
        run(loop, () -> {
            Event event = new Event();
            List<String> log = new ArrayList<>();
            Task<Void> a = logsAfter(event::await, "a", log);
            settle();
            // late's first step is queued before a's wake-up, so late begins waiting (after the clear) before a
            // resumes: a cancelled a that passed its wake-up on would wake late.
            Task<Void> late = logsAfter(event::await, "late", log);
            event.set();
            a.cancel(); // woken, cancelled before it runs
            event.clear();
            finishes(a, "(SPEC Y16)");
            settle();
            assertTrue(a.isCancelled(), "(SPEC Y16)");
            assertFalse(late.isDone(),
                    "a cancelled waiter of a set() must not pass its wake-up to a task that began waiting after clear() (SPEC Y16)");
            event.set();
            finishes(late, "(SPEC Y16)");

            Condition cond = new Condition();
            Task<Void> w = spawn(() -> {
                try (Hold h = cond.hold()) {
                    cond.await();
                }
                return null;
            });
            settle();
            cond.acquire();
            Task<String> after = spawn(() -> { // begins waiting before w resumes, as late above
                try (Hold h = cond.hold()) {
                    cond.await();
                    return "woken";
                }
            });
            cond.signalAll();
            w.cancel();
            cond.release();
            finishes(w, "(SPEC Y16)");
            settle();
            assertFalse(after.isDone(),
                    "a cancelled waiter of signalAll() must not pass its wake-up to a task that began waiting after it (SPEC Y16)");
            after.cancel();
            finishes(after, "(SPEC Y16)");
            return null;
        });
    }

    // ------------------------------------------------------------------ Condition

    /** A task that waits on {@code cond} holding its lock, and logs {@code name} once woken. */
    private static Task<Void> condWaiter(Condition cond, String name, List<String> log) {
        return spawn(() -> {
            try (Hold h = cond.hold()) {
                cond.await();
                log.add(name);
            }
            return null;
        });
    }

    /** Y17: await and signal need the lock locked. */
    @Test
    public void required_Y17_awaitAndSignalNeedTheLock() {
        Loop loop = newLoop();
        run(loop, () -> {
            Condition cond = new Condition();
            assertMessage(assertThrows(IllegalStateException.class, cond::await,
                    "await() without the lock must be refused (SPEC Y17)"), "un-acquired lock", "(SPEC Y17)");
            assertMessage(assertThrows(IllegalStateException.class, cond::signal,
                    "signal() without the lock must be refused (SPEC Y17)"), "un-acquired lock", "(SPEC Y17)");
            assertMessage(assertThrows(IllegalStateException.class, cond::signalAll,
                    "signalAll() without the lock must be refused (SPEC Y17)"), "un-acquired lock", "(SPEC Y17)");
            assertFalse(cond.isLocked(), "a refused call must leave the lock as it was (SPEC Y17)");
            return null;
        });
    }

    /** Y18: await releases the lock while it waits, and holds it again when it returns. */
    @Test
    public void required_Y18_awaitReleasesTheLockWhileItWaitsAndHoldsItOnReturn() {
        Loop loop = newLoop();
        run(loop, () -> {
            Condition cond = new Condition();
            List<String> log = new ArrayList<>();
            Task<Void> w = spawn(() -> {
                try (Hold h = cond.hold()) {
                    cond.await();
                    log.add("returned, locked=" + cond.isLocked());
                }
                return null;
            });
            settle();
            assertFalse(cond.isLocked(), "a task in await() must not hold the lock (SPEC Y18)");
            cond.acquire();
            cond.signal();
            settle();
            assertEquals(List.of(), log, "a signalled task must not return before it holds the lock again (SPEC Y18)");
            cond.release();
            finishes(w, "(SPEC Y18)");
            assertEquals(List.of("returned, locked=true"), log, "await() must return holding the lock (SPEC Y18)");
            assertFalse(cond.isLocked(), "(SPEC Y18)");
            return null;
        });
    }

    /** Y19: signal(n) wakes n waiters, oldest first; signalAll wakes every one; a signal with nobody waiting is lost. */
    @Test
    public void required_Y19_signalWakesWaitersInOrder() {
        Loop loop = newLoop();
        run(loop, () -> {
            Condition cond = new Condition();
            List<String> log = new ArrayList<>();
            cond.acquire();
            cond.signal(); // nobody waits: nothing
            cond.release();
            List<Task<Void>> tasks = new ArrayList<>();
            for (String name : List.of("a", "b", "c", "d")) {
                tasks.add(condWaiter(cond, name, log));
            }
            settle();
            cond.acquire();
            cond.signal(2);
            cond.release();
            finishes(tasks.get(0), "(SPEC Y19)");
            finishes(tasks.get(1), "(SPEC Y19)");
            settle();
            assertEquals(List.of("a", "b"), log, "signal(2) must wake the two oldest waiters, in order (SPEC Y19)");
            assertFalse(tasks.get(2).isDone() || tasks.get(3).isDone(), "the others must wait on (SPEC Y19)");
            cond.acquire();
            cond.signal(0);
            cond.signalAll();
            cond.release();
            finishes(tasks.get(2), "(SPEC Y19)");
            finishes(tasks.get(3), "(SPEC Y19)");
            assertEquals(List.of("a", "b", "c", "d"), log, "signalAll() must wake every waiter, in order (SPEC Y19)");
            return null;
        });
    }

    /** Y20: a signalled waiter cancelled before it runs passes the signal on (CPython gh-112202). */
    @Test
    public void required_Y20_aSignalledWaiterCancelledBeforeItRunsPassesTheSignalOn() {
        Loop loop = newLoop();
        run(loop, () -> {
            Condition cond = new Condition();
            List<String> log = new ArrayList<>();
            Task<Void> first = condWaiter(cond, "first", log);
            Task<Void> second = condWaiter(cond, "second", log);
            settle();
            cond.acquire();
            cond.signal();   // wakes first...
            first.cancel();  // ...which is cancelled before it resumes
            cond.release();
            finishes(first, "(SPEC Y20)");
            assertTrue(first.isCancelled(), "(SPEC Y20)");
            finishes(second, "the signal of a cancelled waiter must pass to the next one (SPEC Y20, CPython gh-112202)");
            assertEquals(List.of("second"), log, "(SPEC Y20)");
            assertFalse(cond.isLocked(), "(SPEC Y20)");
            return null;
        });
    }

    /** Y21: await holds the lock again before it throws the cancellation, even if cancelled again meanwhile. */
    @Test
    public void required_Y21_awaitHoldsTheLockAgainEvenWhenCancelled() {
        Loop loop = newLoop();
        run(loop, () -> {
            Condition cond = new Condition();
            List<String> log = new ArrayList<>();
            Coroutine<Void> waiter = () -> {
                try (Hold h = cond.hold()) {
                    try {
                        cond.await();
                        log.add("returned");
                    } catch (CancelledError e) {
                        log.add("cancelled, locked=" + cond.isLocked());
                        throw e;
                    }
                }
                return null;
            };
            Task<Void> w = spawn(waiter);
            settle();
            cond.acquire();
            w.cancel();
            settle();
            assertFalse(w.isDone(), "a cancelled await() must wait to hold the lock again before it throws (SPEC Y21)");
            cond.release();
            finishes(w, "(SPEC Y21)");
            assertTrue(w.isCancelled(), "(SPEC Y21)");
            assertEquals(List.of("cancelled, locked=true"), log, "the CancelledError must come with the lock held (SPEC Y21)");
            assertFalse(cond.isLocked(), "(SPEC Y21)");

            log.clear();
            Task<Void> twice = spawn(waiter);
            settle();
            cond.acquire();
            twice.cancel("first");
            settle();                // now waiting to hold the lock again
            twice.cancel("second");  // cancelled again there
            settle();
            assertFalse(twice.isDone(), "cancelled again while re-acquiring, await() must still hold the lock first (SPEC Y21)");
            cond.release();
            finishes(twice, "(SPEC Y21)");
            assertTrue(twice.isCancelled(), "(SPEC Y21)");
            assertEquals(List.of("cancelled, locked=true"), log, "(SPEC Y21)");
            assertFalse(cond.isLocked(), "(SPEC Y21)");
            return null;
        });
    }

    /** Y22: waitFor checks the predicate first, and again after every wake-up. */
    @Test
    public void required_Y22_waitForChecksThePredicateBeforeAndAfterEachWakeUp() {
        Loop loop = newLoop();
        run(loop, () -> {
            Condition cond = new Condition();
            AtomicInteger checks = new AtomicInteger();
            boolean[] ready = {false};
            try (Hold h = cond.hold()) {
                cond.waitFor(() -> {
                    checks.incrementAndGet();
                    return true;
                });
                assertEquals(1, checks.get(), "a true predicate must return at once (SPEC Y22)");
                assertTrue(cond.isLocked(), "(SPEC Y22)");
            }
            checks.set(0);
            Task<Void> w = spawn(() -> {
                try (Hold h = cond.hold()) {
                    cond.waitFor(() -> {
                        checks.incrementAndGet();
                        return ready[0];
                    });
                    assertTrue(cond.isLocked(), "waitFor must return holding the lock (SPEC Y22)");
                }
                return null;
            });
            settle();
            assertEquals(1, checks.get(), "the predicate must be checked before waiting (SPEC Y22)");
            cond.acquire();
            cond.signalAll(); // predicate still false
            cond.release();
            settle();
            assertEquals(2, checks.get(), "the predicate must be checked after each wake-up (SPEC Y22)");
            assertFalse(w.isDone(), "a false predicate must wait again (SPEC Y22)");
            cond.acquire();
            ready[0] = true;
            cond.signal();
            cond.release();
            finishes(w, "(SPEC Y22)");
            assertEquals(3, checks.get(), "(SPEC Y22)");
            w.result();
            return null;
        });
    }

    /** Y23: conditions may share a lock; each wakes only its own waiters; a lock bound to another loop binds its conditions too. */
    @Test
    public void required_Y23_conditionsShareTheirLock() {
        Loop loop = newLoop();
        Lock lock = new Lock();
        run(loop, () -> {
            Condition notEmpty = new Condition(lock);
            Condition notFull = new Condition(lock);
            assertSame(lock, notEmpty.lock(), "lock() must be the lock given (SPEC Y23)");
            assertTrue(new Condition().lock() != null && new Condition().lock() != lock, "(SPEC Y23)");
            List<String> log = new ArrayList<>();
            Task<Void> a = condWaiter(notEmpty, "notEmpty", log);
            Task<Void> b = condWaiter(notFull, "notFull", log);
            settle();
            lock.acquire();
            assertTrue(notEmpty.isLocked() && notFull.isLocked(), "the conditions must share the lock (SPEC Y23)");
            notFull.signal();
            lock.release();
            finishes(b, "(SPEC Y23)");
            settle();
            assertEquals(List.of("notFull"), log, "a signal must wake only that condition's waiters (SPEC Y23)");
            assertFalse(a.isDone(), "(SPEC Y23)");
            a.cancel();
            finishes(a, "(SPEC Y23)");
            return null;
        });
        Loop other = newLoop();
        run(other, () -> {
            Condition late = new Condition(lock);
            IllegalStateException e = assertThrows(IllegalStateException.class, late::signal,
                    "a condition over a lock bound to another loop must be refused on this one (SPEC Y23)");
            assertMessage(e, identity(loop), "(SPEC Y23)");
            return null;
        });
    }
}
