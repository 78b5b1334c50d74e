package dev.aio4j.tck;

import static dev.aio4j.tck.LoopSteps.finishes;
import static dev.aio4j.tck.LoopSteps.settle;
import static dev.aio4j.tck.LoopSteps.spawn;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.aio4j.AsyncIO;
import dev.aio4j.CancelledError;
import dev.aio4j.Coroutine;
import dev.aio4j.Future;
import dev.aio4j.Loop;
import dev.aio4j.Task;
import dev.aio4j.Timeout;
import dev.aio4j.sync.Barrier;
import dev.aio4j.sync.BoundedSemaphore;
import dev.aio4j.sync.BrokenBarrierException;
import dev.aio4j.sync.CapacityLimiter;
import dev.aio4j.sync.Condition;
import dev.aio4j.sync.Event;
import dev.aio4j.sync.Hold;
import dev.aio4j.sync.Lock;
import dev.aio4j.sync.Semaphore;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * SPEC section Y: the synchronisation primitives of {@code dev.aio4j.sync},
 * library code in the API run on the provider's loop. Each historical race
 * (a waiter woken and then cancelled before it runs keeps the wake-up:
 * CPython bpo-27585, gh-90155, gh-112202) is a rule here. Orders are made by
 * hand: tasks reach their wait in a few loop iterations ({@code settle}), a
 * wake-up that should come is waited for a bounded number of iterations
 * ({@code finishes}), never by a sleep.
 *
 * <p>The tests were proved by planting defects in {@code dev.aio4j.sync}, one
 * at a time, and seeing the rule's test fail: a wait queue that drops the
 * wake-up of a woken-then-cancelled waiter (Y8, Y20, Y26, Y35, Y36), that
 * passes a broadcast wake-up on (Y16), that serves waiters last-in first-out
 * (Y6, Y9, Y19, Y25, Y32, Y34, Y37), that hands a wake-up to a waiter
 * cancelled while waiting (Y39); a lock and a semaphore that let a new
 * acquirer barge in after a release (Y7; Y25, Y26, Y37); a condition that
 * does not hold the lock again when cancelled (Y21) or keeps it while waiting
 * (Y16, Y18 to Y23); a barrier that does not drain (Y29); no check of the
 * loop (Y1, Y23); no over-release check (Y27); a borrower borrowing twice
 * (Y33); a raised total that wakes nobody (Y34).
 */
public abstract class SyncVerification extends AbstractVerification {
    /** For a backend's subclass, which names its provider. */
    protected SyncVerification() {}


    @Override
    protected String area() {
        return "Sync";
    }

    /** A wait of a primitive: {@code event::await}, {@code semaphore::acquire}. */
    @FunctionalInterface
    private interface Wait {
        void run() throws Exception;
    }

    /** A task that waits ({@code event::await}, {@code sem::acquire}: a permit it keeps) and then logs {@code name}. */
    private static Task<Void> logsAfter(Wait wait, String name, List<String> log) {
        return spawn(() -> {
            wait.run();
            log.add(name);
            return null;
        });
    }

    /** A task that takes {@code lock}, logs {@code name} and releases it. */
    private static Task<Void> locker(Lock lock, String name, List<String> log) {
        return spawn(() -> {
            lock.acquire();
            log.add(name);
            lock.release();
            return null;
        });
    }

    /** How a message names a loop: its identity hash, in hex (the loop's toString comes before it). */
    private static String identity(Loop loop) {
        return "@" + Integer.toHexString(System.identityHashCode(loop));
    }

    private static void assertMessage(Throwable e, String part, String what) {
        assertTrue(String.valueOf(e.getMessage()).contains(part), what + ": the message must name " + part + ": " + e);
    }

    // ------------------------------------------------------------------ every primitive

    /** Y1: a primitive binds to the first loop that uses it; another loop is refused, naming both. */
    @Test
    public void required_Y1_aPrimitiveBindsToTheFirstLoopThatUsesIt() {
        Loop a = newLoop();
        Loop b = newLoop();
        Lock lock = new Lock();
        Event event = new Event();
        Condition cond = new Condition();
        Semaphore sem = new Semaphore(1);
        BoundedSemaphore bounded = new BoundedSemaphore(1);
        Barrier barrier = new Barrier(2);
        CapacityLimiter limiter = new CapacityLimiter(1);
        run(a, () -> {
            assertTrue(lock.tryAcquire(), "(SPEC Y1)");
            event.set();
            cond.isLocked();
            assertTrue(sem.tryAcquire(), "(SPEC Y1)");
            bounded.availablePermits();
            barrier.waiting();
            limiter.availableTokens();
            return null;
        });
        run(b, () -> {
            Map<String, Executable> uses = new LinkedHashMap<>();
            uses.put("Lock.release()", lock::release);
            uses.put("Event.clear()", event::clear);
            uses.put("Lock.isLocked()", cond::isLocked);
            uses.put("Semaphore.release()", sem::release);
            uses.put("BoundedSemaphore.tryAcquire()", bounded::tryAcquire);
            uses.put("Barrier.reset()", barrier::reset);
            uses.put("CapacityLimiter.setTotalTokens()", () -> limiter.setTotalTokens(5));
            uses.forEach((name, use) -> {
                IllegalStateException e = assertThrows(IllegalStateException.class, use,
                        name + " on a second loop must be refused (SPEC Y1)");
                assertMessage(e, name, "(SPEC Y1)");
                assertMessage(e, identity(a), "the loop it is bound to, by its identity (SPEC Y1)");
                assertMessage(e, identity(b), "the loop of the call, by its identity (SPEC Y1)");
            });
            return null;
        });
        run(a, () -> {
            assertTrue(lock.isLocked() && event.isSet() && sem.availablePermits() == 0 && limiter.totalTokens() == 1,
                    "a refused call must change nothing, and the first loop keeps its primitives (SPEC Y1)");
            return null;
        });
    }

    /** Y2: a call from a thread that runs no loop is refused with WrongThreadException naming the call, and has no effect. */
    @Test
    public void required_Y2_aCallFromAThreadWithoutALoopIsRefused() {
        Map<String, Executable> unbound = new LinkedHashMap<>();
        unbound.put("Lock.tryAcquire()", new Lock()::tryAcquire);
        unbound.put("Event.set()", new Event()::set);
        unbound.put("Condition.signal()", new Condition()::signal);
        unbound.put("Semaphore.release()", new Semaphore(0)::release);
        unbound.put("Barrier.abort()", new Barrier(2)::abort);
        unbound.put("CapacityLimiter.availableTokens()", new CapacityLimiter(1)::availableTokens);
        unbound.forEach((name, use) -> {
            WrongThreadException e = assertThrows(WrongThreadException.class, use,
                    name + " from a thread that runs no loop must be refused (SPEC Y2)");
            assertMessage(e, name, "(SPEC Y2)");
        });
        Loop loop = newLoop();
        Lock lock = new Lock();
        Event event = new Event();
        run(loop, () -> {
            assertTrue(lock.tryAcquire(), "(SPEC Y2)");
            Throwable fromThread = loop.toThread(() -> {
                try {
                    lock.release();
                    return null;
                } catch (Throwable t) {
                    return t;
                }
            }).await();
            assertInstanceOf(WrongThreadException.class, fromThread,
                    "Lock.release() from another thread while the loop runs must be refused (SPEC Y2)");
            assertMessage(fromThread, "Lock.release()", "(SPEC Y2)");
            Throwable setFromThread = loop.toThread(() -> {
                try {
                    event.set();
                    return null;
                } catch (Throwable t) {
                    return t;
                }
            }).await();
            assertInstanceOf(WrongThreadException.class, setFromThread, "(SPEC Y2)");
            assertTrue(lock.isLocked(), "a refused release must leave the lock locked (SPEC Y2)");
            assertFalse(event.isSet(), "a refused set must leave the event clear (SPEC Y2)");
            lock.release();
            return null;
        });
    }

    /** Y3: the waiting calls are refused in a callback; the non-suspending ones work there. */
    @Test
    public void required_Y3_waitingOutsideATaskIsRefused() {
        Loop loop = newLoop();
        run(loop, () -> {
            Lock lock = new Lock();
            Event event = new Event();
            Condition cond = new Condition();
            Semaphore sem = new Semaphore(1);
            Barrier barrier = new Barrier(1);
            CapacityLimiter limiter = new CapacityLimiter(1);
            Map<String, Executable> waits = new LinkedHashMap<>();
            waits.put("Lock.acquire()", lock::acquire);
            waits.put("Event.await()", event::await);
            waits.put("Condition.await()", cond::await);
            waits.put("Semaphore.acquire()", sem::acquire);
            waits.put("Barrier.await()", barrier::await);
            waits.put("CapacityLimiter.acquire()", limiter::acquire);
            for (Map.Entry<String, Executable> w : waits.entrySet()) {
                Throwable t = thrownInACallback(loop, w.getValue());
                assertInstanceOf(IllegalStateException.class, t,
                        w.getKey() + " in a callback must be refused: a callback cannot wait (SPEC Y3)");
                assertMessage(t, w.getKey(), "(SPEC Y3)");
                assertMessage(t, "outside a task", "(SPEC Y3)");
            }
            assertFalse(lock.isLocked(), "a refused acquire must take nothing (SPEC Y3)");
            assertEquals(1, sem.availablePermits(), "a refused acquire must take nothing (SPEC Y3)");
            assertNull(thrownInACallback(loop, () -> {
                assertTrue(lock.tryAcquire());
                lock.release();
                event.set();
                event.clear();
                assertTrue(sem.tryAcquire());
                sem.release();
                barrier.reset();
                assertTrue(limiter.tryAcquireOnBehalfOf("callback"));
                limiter.releaseOnBehalfOf("callback");
            }), "the calls that never suspend must work in a callback (SPEC Y3)");
            return null;
        });
    }

    /** Y4: bad input is refused, naming the argument, and changes nothing. */
    @Test
    public void required_Y4_badInputIsRefusedNamingTheArgument() {
        assertMessage(assertThrows(IllegalArgumentException.class, () -> new Semaphore(-1), "(SPEC Y4)"), "permits", "(SPEC Y4)");
        assertMessage(assertThrows(IllegalArgumentException.class, () -> new BoundedSemaphore(-1), "(SPEC Y4)"), "permits", "(SPEC Y4)");
        assertMessage(assertThrows(IllegalArgumentException.class, () -> new Barrier(0), "a barrier of 0 parties (SPEC Y4)"),
                "parties", "(SPEC Y4)");
        assertMessage(assertThrows(IllegalArgumentException.class, () -> new Barrier(-2), "(SPEC Y4)"), "parties", "(SPEC Y4)");
        assertMessage(assertThrows(IllegalArgumentException.class, () -> new CapacityLimiter(0), "(SPEC Y4)"),
                "totalTokens", "(SPEC Y4)");
        assertMessage(assertThrows(NullPointerException.class, () -> new Condition(null), "(SPEC Y4)"), "lock", "(SPEC Y4)");
        Loop loop = newLoop();
        run(loop, () -> {
            Lock lock = new Lock();
            assertMessage(assertThrows(NullPointerException.class, () -> lock.withLock(null), "(SPEC Y4)"), "body", "(SPEC Y4)");
            assertFalse(lock.isLocked(), "a refused withLock must take nothing (SPEC Y4)");
            Condition cond = new Condition(lock);
            assertMessage(assertThrows(NullPointerException.class, () -> cond.waitFor(null), "(SPEC Y4)"), "predicate", "(SPEC Y4)");
            cond.acquire();
            assertMessage(assertThrows(IllegalArgumentException.class, () -> cond.signal(-1), "(SPEC Y4)"), "n", "(SPEC Y4)");
            cond.release();
            CapacityLimiter limiter = new CapacityLimiter(2);
            assertMessage(assertThrows(IllegalArgumentException.class, () -> limiter.setTotalTokens(0), "(SPEC Y4)"),
                    "totalTokens", "(SPEC Y4)");
            assertEquals(2, limiter.totalTokens(), "a refused setTotalTokens must change nothing (SPEC Y4)");
            assertMessage(assertThrows(NullPointerException.class, () -> limiter.acquireOnBehalfOf(null), "(SPEC Y4)"),
                    "borrower", "(SPEC Y4)");
            assertMessage(assertThrows(NullPointerException.class, () -> limiter.tryAcquireOnBehalfOf(null), "(SPEC Y4)"),
                    "borrower", "(SPEC Y4)");
            assertMessage(assertThrows(NullPointerException.class, () -> limiter.releaseOnBehalfOf(null), "(SPEC Y4)"),
                    "borrower", "(SPEC Y4)");
            assertEquals(0, limiter.borrowedTokens(), "(SPEC Y4)");
            return null;
        });
    }

    // ------------------------------------------------------------------ Lock

    /** Y5: a free lock is taken at once, without suspending the task. */
    @Test
    public void required_Y5_aFreeLockIsTakenWithoutSuspending() {
        Loop loop = newLoop();
        run(loop, () -> {
            Lock lock = new Lock();
            List<String> log = new ArrayList<>();
            spawn(() -> log.add("other task ran"));
            assertFalse(lock.isLocked(), "(SPEC Y5)");
            lock.acquire();
            assertEquals(List.of(), log, "acquire() of a free lock must not suspend the task (SPEC Y5)");
            assertTrue(lock.isLocked(), "(SPEC Y5)");
            assertFalse(lock.tryAcquire(), "tryAcquire() of a locked lock must fail (SPEC Y5)");
            lock.release();
            assertFalse(lock.isLocked(), "(SPEC Y5)");
            assertTrue(lock.tryAcquire(), "tryAcquire() of a free lock must take it (SPEC Y5)");
            assertTrue(lock.isLocked(), "(SPEC Y5)");
            lock.release();
            return null;
        });
    }

    /** Y6: waiters acquire in the order they began waiting. */
    @Test
    public void required_Y6_lockWaitersAcquireInFifoOrder() {
        Loop loop = newLoop();
        run(loop, () -> {
            Lock lock = new Lock();
            List<String> log = new ArrayList<>();
            lock.acquire();
            List<Task<Void>> tasks = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                tasks.add(locker(lock, "w" + i, log));
            }
            settle();
            assertEquals(List.of(), log, "(SPEC Y6)");
            lock.release();
            for (Task<Void> t : tasks) {
                finishes(t, "every waiter must get the lock in turn (SPEC Y6)");
            }
            assertEquals(List.of("w0", "w1", "w2", "w3", "w4"), log, "waiters must acquire in FIFO order (SPEC Y6)");
            assertFalse(lock.isLocked(), "(SPEC Y6)");
            return null;
        });
    }

    /** Y7: release hands the lock to the first waiter; nobody barges in before it resumes. */
    @Test
    public void required_Y7_releaseHandsTheLockToTheFirstWaiterWithoutBarging() {
        Loop loop = newLoop();
        run(loop, () -> {
            Lock lock = new Lock();
            List<String> log = new ArrayList<>();
            lock.acquire();
            Task<Void> waiter = locker(lock, "waiter", log);
            settle();
            Task<Void> barger = locker(lock, "barger", log); // runs before the waiter resumes
            lock.release();
            assertTrue(lock.isLocked(), "a release with a task waiting must hand the lock over: it stays locked (SPEC Y7)");
            assertFalse(lock.tryAcquire(), "tryAcquire() must not take a lock handed to a waiter (SPEC Y7)");
            finishes(waiter, "(SPEC Y7)");
            finishes(barger, "(SPEC Y7)");
            assertEquals(List.of("waiter", "barger"), log,
                    "a task acquiring after the release must not barge in before the waiter it was handed to (SPEC Y7)");
            assertFalse(lock.isLocked(), "(SPEC Y7)");
            return null;
        });
    }

    /** Y8: a woken waiter cancelled before it runs passes the lock on (CPython bpo-27585). */
    @Test
    public void required_Y8_aWokenLockWaiterCancelledBeforeItRunsPassesTheLockOn() {
        Loop loop = newLoop();
        run(loop, () -> {
            Lock lock = new Lock();
            List<String> log = new ArrayList<>();
            lock.acquire();
            Task<Void> first = locker(lock, "first", log);
            Task<Void> second = locker(lock, "second", log);
            settle();
            lock.release();          // hands the lock to first...
            first.cancel("too late"); // ...which is cancelled before it resumes (SPEC C13)
            finishes(first, "(SPEC Y8)");
            assertTrue(first.isCancelled(), "the woken waiter must end cancelled (SPEC Y8)");
            finishes(second, "the lock handed to a cancelled waiter must pass to the next one (SPEC Y8, CPython bpo-27585)");
            assertEquals(List.of("second"), log, "(SPEC Y8)");
            assertFalse(lock.isLocked(), "(SPEC Y8)");

            lock.acquire();
            Task<Void> only = locker(lock, "only", log);
            settle();
            lock.release();
            only.cancel();
            finishes(only, "(SPEC Y8)");
            assertFalse(lock.isLocked(),
                    "a lock handed to a cancelled waiter with nobody after it must be unlocked (SPEC Y8, CPython bpo-27585)");
            assertTrue(lock.tryAcquire(), "(SPEC Y8)");
            return null;
        });
    }

    /** Y9: a waiter cancelled while it waits leaves the queue; the lock and the other waiters are unaffected. */
    @Test
    public void required_Y9_aLockWaiterCancelledWhileWaitingLeavesTheQueue() {
        Loop loop = newLoop();
        run(loop, () -> {
            Lock lock = new Lock();
            List<String> log = new ArrayList<>();
            lock.acquire();
            Task<Void> w1 = locker(lock, "w1", log);
            Task<Void> w2 = locker(lock, "w2", log);
            Task<Void> w3 = locker(lock, "w3", log);
            settle();
            w2.cancel();
            finishes(w2, "(SPEC Y9)");
            assertTrue(w2.isCancelled(), "a waiter cancelled while waiting must end cancelled (SPEC Y9)");
            assertTrue(lock.isLocked(), "a waiter leaving must not release the lock it never had (SPEC Y9)");
            assertEquals(List.of(), log, "(SPEC Y9)");
            lock.release();
            finishes(w1, "(SPEC Y9)");
            finishes(w3, "(SPEC Y9)");
            assertEquals(List.of("w1", "w3"), log, "the other waiters must get the lock in order (SPEC Y9)");
            assertFalse(lock.isLocked(), "(SPEC Y9)");

            log.clear();
            lock.acquire();
            Task<Void> gone = locker(lock, "gone", log);
            Task<Void> next = locker(lock, "next", log);
            settle();
            gone.cancel();  // cancelled while waiting; it has not resumed yet...
            lock.release(); // ...when the lock is released: it must skip gone
            finishes(gone, "(SPEC Y9)");
            finishes(next, "a release must skip a waiter cancelled before it resumed, and go to the next one (SPEC Y9)");
            assertEquals(List.of("next"), log, "(SPEC Y9)");
            assertFalse(lock.isLocked(), "(SPEC Y9)");
            return null;
        });
    }

    /** Y10: releasing an unlocked lock is refused and changes nothing. */
    @Test
    public void required_Y10_releasingAnUnlockedLockIsRefused() {
        Loop loop = newLoop();
        run(loop, () -> {
            Lock lock = new Lock();
            IllegalStateException e = assertThrows(IllegalStateException.class, lock::release,
                    "release() of an unlocked lock must be refused (SPEC Y10)");
            assertMessage(e, "not acquired", "(SPEC Y10)");
            assertFalse(lock.isLocked(), "(SPEC Y10)");
            lock.acquire();
            lock.release();
            assertThrows(IllegalStateException.class, lock::release, "a second release must be refused (SPEC Y10)");
            assertTrue(lock.tryAcquire(), "the lock must still work (SPEC Y10)");
            return null;
        });
    }

    /** Y11: a hold releases on every exit, once; withLock returns the body's value and passes its exception unchanged. */
    @Test
    public void required_Y11_holdAndWithLockReleaseOnEveryExit() {
        Loop loop = newLoop();
        run(loop, () -> {
            Lock lock = new Lock();
            try (Hold h = lock.hold()) {
                assertTrue(lock.isLocked(), "hold() must acquire (SPEC Y11)");
            }
            assertFalse(lock.isLocked(), "closing the hold must release (SPEC Y11)");
            IllegalStateException boom = new IllegalStateException("boom");
            IllegalStateException thrown = assertThrows(IllegalStateException.class, () -> {
                try (Hold h = lock.hold()) {
                    throw boom;
                }
            });
            assertSame(boom, thrown, "(SPEC Y11)");
            assertFalse(lock.isLocked(), "a hold must release when its body throws (SPEC Y11)");
            Hold h = lock.hold();
            h.close();
            assertTrue(lock.tryAcquire(), "(SPEC Y11)");
            h.close();
            assertTrue(lock.isLocked(), "a hold closed twice must release once, not the lock someone else took since (SPEC Y11)");
            lock.release();
            assertEquals("value", lock.withLock(() -> {
                assertTrue(lock.isLocked(), "withLock must hold the lock while the body runs (SPEC Y11)");
                return "value";
            }), "withLock must return the body's value (SPEC Y11)");
            IOException checked = new IOException("checked");
            Throwable t = assertThrows(IOException.class, () -> lock.withLock(() -> {
                throw checked;
            }), "(SPEC Y11)");
            assertSame(checked, t, "withLock must pass the body's exception unchanged, checked or not (SPEC Y11)");
            assertFalse(lock.isLocked(), "withLock must release when the body throws (SPEC Y11)");
            return null;
        });
    }

    /** Y12: a lock is not owned: another task or a callback may release it. */
    @Test
    public void required_Y12_aLockIsNotOwnedByTheTaskThatAcquiredIt() {
        Loop loop = newLoop();
        run(loop, () -> {
            Lock lock = new Lock();
            lock.acquire();
            assertNull(thrownInACallback(loop, lock::release), "a callback may release the lock (SPEC Y12)");
            assertFalse(lock.isLocked(), "(SPEC Y12)");
            Task<Void> holder = spawn(() -> {
                lock.acquire();
                return null;
            });
            finishes(holder, "(SPEC Y12)");
            assertTrue(lock.isLocked(), "(SPEC Y12)");
            lock.release(); // released by another task than the one that acquired it
            assertFalse(lock.isLocked(), "any task of the loop may release the lock (SPEC Y12)");
            return null;
        });
    }

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

    // ------------------------------------------------------------------ Semaphore

    /** Y24: a semaphore counts permits; a free permit is taken without suspending; at zero acquire waits. */
    @Test
    public void required_Y24_aSemaphoreCountsPermits() {
        Loop loop = newLoop();
        run(loop, () -> {
            Semaphore sem = new Semaphore(2);
            List<String> log = new ArrayList<>();
            spawn(() -> log.add("other task ran"));
            assertEquals(2, sem.availablePermits(), "(SPEC Y24)");
            sem.acquire();
            sem.acquire();
            assertEquals(List.of(), log, "acquire() with a free permit must not suspend (SPEC Y24)");
            assertEquals(0, sem.availablePermits(), "(SPEC Y24)");
            assertTrue(sem.isLocked(), "(SPEC Y24)");
            assertFalse(sem.tryAcquire(), "tryAcquire() at zero must fail (SPEC Y24)");
            Task<Void> w = logsAfter(sem::acquire, "waiter", log);
            settle();
            assertFalse(w.isDone(), "acquire() at zero must wait (SPEC Y24)");
            sem.release();
            finishes(w, "(SPEC Y24)");
            sem.release();
            sem.release();
            sem.release(); // a plain semaphore may be released more often than acquired
            assertEquals(3, sem.availablePermits(), "each release with nobody waiting must add a permit (SPEC Y24)");
            assertTrue(sem.tryAcquire(), "(SPEC Y24)");
            assertEquals(2, sem.availablePermits(), "(SPEC Y24)");
            Semaphore zero = new Semaphore(0);
            assertTrue(zero.isLocked() && !zero.tryAcquire(), "a semaphore of zero permits starts locked (SPEC Y24)");
            return null;
        });
    }

    /** Y25: release hands the permit to the first waiter, in order; nobody barges in before it resumes. */
    @Test
    public void required_Y25_semaphoreReleaseHandsThePermitToTheFirstWaiterWithoutBarging() {
        Loop loop = newLoop();
        run(loop, () -> {
            Semaphore sem = new Semaphore(0);
            List<String> log = new ArrayList<>();
            Task<Void> a = logsAfter(sem::acquire, "a", log);
            Task<Void> b = logsAfter(sem::acquire, "b", log);
            settle();
            Task<Void> barger = logsAfter(sem::acquire, "barger", log); // runs before a resumes
            sem.release();
            assertEquals(0, sem.availablePermits(), "a permit released with a task waiting must be handed over (SPEC Y25)");
            assertFalse(sem.tryAcquire(), "tryAcquire() must not take a permit handed to a waiter (SPEC Y25)");
            finishes(a, "(SPEC Y25)");
            settle();
            assertEquals(List.of("a"), log, "the first waiter must get the permit, and nobody else (SPEC Y25)");
            sem.release();
            sem.release();
            finishes(b, "(SPEC Y25)");
            finishes(barger, "(SPEC Y25)");
            assertEquals(List.of("a", "b", "barger"), log, "waiters must get permits in FIFO order (SPEC Y25)");
            assertEquals(0, sem.availablePermits(), "(SPEC Y25)");
            return null;
        });
    }

    /** Y26: a woken waiter cancelled before it runs passes the permit on (CPython gh-90155). */
    @Test
    public void required_Y26_aWokenSemaphoreWaiterCancelledBeforeItRunsPassesThePermitOn() {
        Loop loop = newLoop();
        run(loop, () -> {
            Semaphore sem = new Semaphore(0);
            List<String> log = new ArrayList<>();
            Task<Void> first = logsAfter(sem::acquire, "first", log);
            Task<Void> second = logsAfter(sem::acquire, "second", log);
            settle();
            sem.release();
            first.cancel();
            finishes(first, "(SPEC Y26)");
            assertTrue(first.isCancelled(), "(SPEC Y26)");
            finishes(second, "the permit handed to a cancelled waiter must pass to the next one (SPEC Y26, CPython gh-90155)");
            assertEquals(List.of("second"), log, "(SPEC Y26)");

            Task<Void> only = logsAfter(sem::acquire, "only", log);
            settle();
            sem.release();
            only.cancel();
            finishes(only, "(SPEC Y26)");
            assertEquals(1, sem.availablePermits(),
                    "the permit of a cancelled waiter with nobody after it must go back to the count (SPEC Y26, CPython gh-90155)");
            return null;
        });
    }

    /** Y27: a bounded semaphore refuses a release beyond its initial permits, and changes nothing. */
    @Test
    public void required_Y27_aBoundedSemaphoreRefusesOverRelease() {
        Loop loop = newLoop();
        run(loop, () -> {
            BoundedSemaphore sem = new BoundedSemaphore(2);
            assertEquals(2, sem.bound(), "(SPEC Y27)");
            IllegalStateException e = assertThrows(IllegalStateException.class, sem::release,
                    "releasing a bounded semaphore more often than it was acquired must be refused (SPEC Y27)");
            assertMessage(e, "released too many times", "(SPEC Y27)");
            assertEquals(2, sem.availablePermits(), "a refused release must change nothing (SPEC Y27)");
            sem.acquire();
            sem.release();
            assertThrows(IllegalStateException.class, sem::release, "(SPEC Y27)");
            assertEquals(2, sem.availablePermits(), "(SPEC Y27)");
            sem.acquire();
            sem.acquire();
            Task<Void> w = spawn(() -> {
                sem.acquire();
                return null;
            });
            settle();
            sem.release(); // handed to w: permits stay 0
            finishes(w, "(SPEC Y27)");
            sem.release();
            sem.release();
            assertThrows(IllegalStateException.class, sem::release, "(SPEC Y27)");
            assertEquals(2, sem.availablePermits(), "(SPEC Y27)");
            return null;
        });
    }

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

    // ------------------------------------------------------------------ CapacityLimiter

    /** A task that borrows a token of {@code limiter}, logs {@code name}, waits for {@code gate} and gives it back. */
    private static Task<Void> borrower(CapacityLimiter limiter, String name, List<String> log, Future<Void> gate) {
        return spawn(() -> {
            limiter.acquire();
            log.add(name);
            gate.await();
            limiter.release();
            return null;
        });
    }

    /** Y32: a limiter lends its tokens to borrowers, the calling task or any object; at zero, borrowers wait in order. */
    @Test
    public void required_Y32_aLimiterLendsTokensToBorrowers() {
        Loop loop = newLoop();
        run(loop, () -> {
            CapacityLimiter limiter = new CapacityLimiter(2);
            List<String> log = new ArrayList<>();
            Future<Void> gate = loop.createFuture();
            assertEquals(2, limiter.totalTokens(), "(SPEC Y32)");
            limiter.acquire(); // borrowed by this task
            assertTrue(limiter.tryAcquireOnBehalfOf("job-1"), "(SPEC Y32)");
            assertEquals(2, limiter.borrowedTokens(), "(SPEC Y32)");
            assertEquals(0, limiter.availableTokens(), "(SPEC Y32)");
            assertFalse(limiter.tryAcquireOnBehalfOf("job-2"), "no token is free (SPEC Y32)");
            Task<Void> a = borrower(limiter, "a", log, gate);
            Task<Void> b = borrower(limiter, "b", log, gate);
            settle();
            assertEquals(2, limiter.waiting(), "(SPEC Y32)");
            assertEquals(List.of(), log, "borrowers must wait while no token is free (SPEC Y32)");
            limiter.releaseOnBehalfOf("job-1");
            settle();
            assertEquals(List.of("a"), log, "a token given back must go to the first waiting borrower (SPEC Y32)");
            limiter.release();
            settle();
            assertEquals(List.of("a", "b"), log, "(SPEC Y32)");
            gate.setResult(null);
            finishes(a, "(SPEC Y32)");
            finishes(b, "(SPEC Y32)");
            assertEquals(0, limiter.borrowedTokens(), "(SPEC Y32)");
            assertEquals(2, limiter.availableTokens(), "(SPEC Y32)");
            try (Hold h = limiter.hold()) {
                assertEquals(1, limiter.borrowedTokens(), "hold() must borrow a token (SPEC Y32)");
            }
            assertEquals(0, limiter.borrowedTokens(), "closing the hold must give it back (SPEC Y32)");
            return null;
        });
    }

    /** Y33: a borrower holds at most one token, and only a borrower gives one back. */
    @Test
    public void required_Y33_aBorrowerHoldsAtMostOneToken() {
        Loop loop = newLoop();
        run(loop, () -> {
            CapacityLimiter limiter = new CapacityLimiter(3);
            limiter.acquire();
            assertMessage(assertThrows(IllegalStateException.class, limiter::acquire,
                    "a task borrowing twice must be refused (SPEC Y33)"), "already holding", "(SPEC Y33)");
            assertThrows(IllegalStateException.class, limiter::tryAcquire, "(SPEC Y33)");
            assertEquals(1, limiter.borrowedTokens(), "a refused borrow must change nothing (SPEC Y33)");
            assertMessage(assertThrows(IllegalStateException.class, () -> limiter.releaseOnBehalfOf("stranger"),
                    "giving back a token one does not hold must be refused (SPEC Y33)"), "isn't holding", "(SPEC Y33)");
            assertEquals(1, limiter.borrowedTokens(), "(SPEC Y33)");
            limiter.release();
            assertThrows(IllegalStateException.class, limiter::release, "a second release must be refused (SPEC Y33)");
            assertEquals(0, limiter.borrowedTokens(), "(SPEC Y33)");
            return null;
        });
    }

    /** Y34: raising the total hands the new tokens to the waiters at once; lowering it takes nothing back. */
    @Test
    public void required_Y34_raisingTheTotalWakesWaitersAndLoweringTakesNothingBack() {
        Loop loop = newLoop();
        run(loop, () -> {
            CapacityLimiter limiter = new CapacityLimiter(1);
            List<String> log = new ArrayList<>();
            Future<Void> gate = loop.createFuture();
            limiter.acquire();
            Task<Void> b = borrower(limiter, "b", log, gate);
            Task<Void> c = borrower(limiter, "c", log, gate);
            Task<Void> d = borrower(limiter, "d", log, gate);
            settle();
            assertEquals(3, limiter.waiting(), "(SPEC Y34)");
            limiter.setTotalTokens(3);
            assertEquals(3, limiter.borrowedTokens(), "the new tokens must be handed to waiters at once (SPEC Y34)");
            settle();
            assertEquals(List.of("b", "c"), log, "raising the total by two must wake the two oldest waiters (SPEC Y34)");
            limiter.setTotalTokens(1);
            assertEquals(3, limiter.borrowedTokens(), "lowering the total must take no token back (SPEC Y34)");
            assertEquals(0, limiter.availableTokens(), "(SPEC Y34)");
            limiter.release();
            settle();
            assertEquals(List.of("b", "c"), log, "no token is free while the borrowed ones reach the total (SPEC Y34)");
            gate.setResult(null);
            finishes(b, "(SPEC Y34)");
            finishes(c, "(SPEC Y34)");
            finishes(d, "once the borrowed tokens fall below the total, the waiter must get one (SPEC Y34)");
            assertEquals(List.of("b", "c", "d"), log, "(SPEC Y34)");
            assertEquals(1, limiter.availableTokens(), "(SPEC Y34)");
            return null;
        });
    }

    /** Y35: a woken borrower cancelled before it runs passes the token on (the bpo-27585 race, in a limiter). */
    @Test
    public void required_Y35_aWokenBorrowerCancelledBeforeItRunsPassesTheTokenOn() {
        Loop loop = newLoop();
        run(loop, () -> {
            CapacityLimiter limiter = new CapacityLimiter(1);
            List<String> log = new ArrayList<>();
            Future<Void> gate = loop.createFuture();
            gate.setResult(null);
            limiter.acquire();
            Task<Void> first = borrower(limiter, "first", log, gate);
            Task<Void> second = borrower(limiter, "second", log, gate);
            settle();
            limiter.release();
            first.cancel();
            finishes(first, "(SPEC Y35)");
            assertTrue(first.isCancelled(), "(SPEC Y35)");
            finishes(second, "the token handed to a cancelled borrower must pass to the next one (SPEC Y35)");
            assertEquals(List.of("second"), log, "(SPEC Y35)");
            assertEquals(0, limiter.borrowedTokens(), "(SPEC Y35)");

            limiter.acquire();
            Task<Void> only = borrower(limiter, "only", log, gate);
            settle();
            limiter.release();
            only.cancel();
            finishes(only, "(SPEC Y35)");
            assertEquals(0, limiter.borrowedTokens(),
                    "the token of a cancelled borrower with nobody after it must go back to the pool (SPEC Y35)");
            assertEquals(1, limiter.availableTokens(), "(SPEC Y35)");
            assertEquals(0, limiter.waiting(), "(SPEC Y35)");
            return null;
        });
    }

    // ------------------------------------------------------------------ all of them

    /** Y36: a timeout that cancels a waiter, also one already woken, leaves the primitive as if it had not waited. */
    @Test
    public void required_Y36_aTimeoutWhileWaitingLeavesThePrimitiveAsItWas() {
        Loop loop = newLoop();
        run(loop, () -> {
            Semaphore sem = new Semaphore(0);
            assertThrows(TimeoutException.class, () -> AsyncIO.timeout(Duration.ofMillis(1), () -> {
                sem.acquire();
                return null;
            }), "(SPEC Y36)");
            assertEquals(0, sem.availablePermits(), "a timed-out waiter must take nothing (SPEC Y36)");
            sem.release();
            assertEquals(1, sem.availablePermits(), "a timed-out waiter must not stay in the queue (SPEC Y36)");

            Lock lock = new Lock();
            lock.acquire();
            AtomicReference<Timeout> scope = new AtomicReference<>();
            Task<String> first = spawn(() -> {
                try {
                    return AsyncIO.timeout(Duration.ofDays(1), t -> {
                        scope.set(t);
                        lock.acquire();
                        return "acquired";
                    });
                } catch (TimeoutException e) {
                    return "timed out";
                }
            });
            Task<String> second = spawn(() -> {
                lock.acquire();
                return "second acquired";
            });
            settle();
            scope.get().reschedule(Long.MIN_VALUE); // the deadline's cancellation is queued now...
            lock.release();                         // ...before first's wake-up: it is cancelled after it was handed the lock
            finishes(first, "(SPEC Y36)");
            assertEquals("timed out", first.result(), "the timeout must still convert its cancellation (SPEC Y36)");
            finishes(second, "the lock handed to a timed-out waiter must pass to the next one (SPEC Y36)");
            assertEquals("second acquired", second.result(), "(SPEC Y36)");
            assertTrue(lock.isLocked(), "(SPEC Y36)");
            return null;
        });
    }

    /** Y37: ten thousand tasks waiting on one lock, and on one semaphore, are served one at a time in FIFO order. */
    @Test
    public void required_Y37_tenThousandWaitersAreServedInOrder() {
        Loop loop = newLoop();
        int n = 10_000;
        run(loop, env.scaled(Duration.ofSeconds(60)), () -> {
            Lock lock = new Lock();
            Semaphore sem = new Semaphore(1);
            List<Integer> lockOrder = new ArrayList<>();
            List<Integer> semOrder = new ArrayList<>();
            int[] inside = {0};
            lock.acquire();
            sem.acquire();
            List<Task<Void>> tasks = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                int id = i;
                tasks.add(spawn(() -> {
                    lock.acquire();
                    lockOrder.add(id);
                    lock.release();
                    sem.acquire();
                    if (++inside[0] != 1) {
                        fail("two tasks hold the only permit (SPEC Y37)");
                    }
                    AsyncIO.sleep0();
                    inside[0]--;
                    semOrder.add(id);
                    sem.release();
                    return null;
                }));
            }
            AsyncIO.sleep0(); // every task now waits for the lock
            lock.release();
            sem.release();
            AsyncIO.gather(tasks).await();
            List<Integer> expected = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                expected.add(i);
            }
            assertEquals(expected, lockOrder, "10,000 lock waiters must acquire in FIFO order (SPEC Y37)");
            assertEquals(expected, semOrder, "10,000 semaphore waiters must acquire in FIFO order (SPEC Y37)");
            assertFalse(lock.isLocked(), "(SPEC Y37)");
            assertEquals(1, sem.availablePermits(), "(SPEC Y37)");
            return null;
        });
    }

    /** Y38: toString tells the state and the waiters, as asyncio's repr does. */
    @Test
    public void required_Y38_toStringTellsTheStateAndTheWaiters() {
        Loop loop = newLoop();
        run(loop, () -> {
            Lock lock = new Lock();
            assertTrue(lock.toString().contains("unlocked"), "(SPEC Y38): " + lock);
            lock.acquire();
            Task<Void> w = spawn(() -> {
                lock.acquire();
                return null;
            });
            settle();
            assertTrue(lock.toString().contains("locked") && !lock.toString().contains("unlocked")
                    && lock.toString().contains("waiters=1"), "(SPEC Y38): " + lock);
            w.cancel();
            finishes(w, "(SPEC Y38)");
            lock.release();
            Event event = new Event();
            assertTrue(event.toString().contains("unset"), "(SPEC Y38): " + event);
            event.set();
            assertTrue(event.toString().contains("set") && !event.toString().contains("unset"), "(SPEC Y38): " + event);
            assertTrue(new Semaphore(3).toString().contains("permits=3"), "(SPEC Y38): " + new Semaphore(3));
            assertTrue(new Barrier(4).toString().contains("/4"), "(SPEC Y38): " + new Barrier(4));
            assertTrue(new CapacityLimiter(5).toString().contains("0/5"), "(SPEC Y38): " + new CapacityLimiter(5));
            assertTrue(new Condition(lock).toString().contains("unlocked"), "(SPEC Y38): " + new Condition(lock));
            return null;
        });
    }

    /** Y39: a task cancelled while it waits on any primitive ends cancelled and leaves the primitive's state as it was. */
    @Test
    public void required_Y39_aTaskCancelledWhileWaitingLeavesNoTrace() {
        Loop loop = newLoop();
        run(loop, () -> {
            Semaphore sem = new Semaphore(0);
            CapacityLimiter limiter = new CapacityLimiter(1);
            limiter.acquireOnBehalfOf("holder");
            Event event = new Event();
            Condition cond = new Condition();
            Barrier barrier = new Barrier(2);
            List<Task<?>> waiting = List.of(
                    spawn(() -> {
                        sem.acquire();
                        return null;
                    }),
                    spawn(() -> {
                        limiter.acquire();
                        return null;
                    }),
                    spawn(() -> {
                        event.await();
                        return null;
                    }),
                    spawn(() -> {
                        try (Hold h = cond.hold()) {
                            cond.await();
                        }
                        return null;
                    }),
                    spawn(barrier::await));
            settle();
            assertEquals(1, limiter.waiting(), "(SPEC Y39)");
            assertEquals(1, barrier.waiting(), "(SPEC Y39)");
            for (Task<?> t : waiting) {
                t.cancel("give up");
            }
            sem.release(); // before the cancelled waiter resumed: the permit must not go to it
            assertEquals(1, sem.availablePermits(),
                    "a release must skip a waiter cancelled before it resumed: the permit is free at once (SPEC Y39)");
            for (Task<?> t : waiting) {
                finishes(t, "(SPEC Y39)");
                assertTrue(t.isCancelled(), "a task cancelled while waiting must end cancelled (SPEC Y39): " + t);
            }
            assertEquals(1, sem.availablePermits(),
                    "a permit released after the waiter was cancelled, before it resumed, must stay free (SPEC Y39)");
            assertEquals(0, limiter.waiting(), "(SPEC Y39)");
            assertEquals(1, limiter.borrowedTokens(), "(SPEC Y39)");
            limiter.releaseOnBehalfOf("holder");
            assertEquals(1, limiter.availableTokens(), "a cancelled borrower must not take a later token (SPEC Y39)");
            assertFalse(event.isSet(), "(SPEC Y39)");
            assertFalse(cond.isLocked(), "a cancelled condition waiter must release the lock it held again (SPEC Y39)");
            assertEquals(0, barrier.waiting(), "a cancelled party must no longer count (SPEC Y39)");
            Task<Integer> next = spawn(barrier::await);
            settle();
            assertFalse(next.isDone(), "(SPEC Y39)");
            assertEquals(1, barrier.await(), "(SPEC Y39)");
            finishes(next, "(SPEC Y39)");
            return null;
        });
    }

    // ------------------------------------------------------------------ the wait queue, explored

    /**
     * Y40: every ordering of waits, wake-ups, cancellations and timeouts, for
     * one to three waiters on a lock, on semaphores of one and two permits
     * and on an event, keeps the wait queue's invariants (see
     * {@link WaitQueueExploration}).
     */
    @Test
    public void required_Y40_everyOrderingOfWaitsWakeUpsCancellationsAndTimeoutsKeepsTheInvariants() {
        Loop loop = hasCapability(dev.aio4j.spi.Capability.VIRTUAL_TIME)
                ? newVirtualTimeLoop(new dev.aio4j.VirtualTicker()) : newLoop();
        run(loop, env.scaled(Duration.ofMinutes(10)), () -> {
            long start = System.nanoTime();
            WaitQueueExploration.Stats lock = WaitQueueExploration.explore(loop, WaitQueueExploration::lock, 3, 2);
            long t1 = System.nanoTime();
            WaitQueueExploration.Stats sem1 = WaitQueueExploration.explore(loop, () -> WaitQueueExploration.semaphore(1), 3, 1);
            long t2 = System.nanoTime();
            WaitQueueExploration.Stats sem2 = WaitQueueExploration.explore(loop, () -> WaitQueueExploration.semaphore(2), 3, 2);
            long t3 = System.nanoTime();
            WaitQueueExploration.Stats event = WaitQueueExploration.exploreEvent(loop, 3, 2);
            long t4 = System.nanoTime();
            System.out.printf("Y40 on %s: Lock %s in %d ms; Semaphore(1) %s in %d ms; Semaphore(2) %s in %d ms;"
                    + " Event %s in %d ms%n", backendName(), lock, (t1 - start) / 1_000_000, sem1, (t2 - t1) / 1_000_000,
                    sem2, (t3 - t2) / 1_000_000, event, (t4 - t3) / 1_000_000);
            return null;
        });
    }
}
