package dev.aio4j.tck;

import static dev.aio4j.tck.LoopSteps.finishes;
import static dev.aio4j.tck.LoopSteps.settle;
import static dev.aio4j.tck.LoopSteps.spawn;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.aio4j.Loop;
import dev.aio4j.Task;
import dev.aio4j.sync.Hold;
import dev.aio4j.sync.Lock;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * SPEC section Y, the rules of {@code Lock} (Y5 to Y12): acquiring without
 * suspending when free, first-in first-out hand-off without barging, the
 * waiter woken and cancelled before it runs (CPython bpo-27585), releases,
 * holds and {@code withLock}, and a lock owned by no task.
 *
 * <p>The tests were proved by planting defects in {@code dev.aio4j.sync}, one
 * at a time, and seeing the rule's test fail: a wait queue that drops the
 * wake-up of a woken-then-cancelled waiter (Y8) or serves its waiters
 * last-in first-out (Y6, Y9); a lock that lets a new acquirer barge in after
 * a release (Y7).
 */
public abstract class LockVerification extends AbstractSyncVerification {
    /** For a backend's subclass, which names its provider. */
    protected LockVerification() {}

    /** A task that takes {@code lock}, logs {@code name} and releases it. */
    private static Task<Void> locker(Lock lock, String name, List<String> log) {
        return spawn(() -> {
            lock.acquire();
            log.add(name);
            lock.release();
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
}
