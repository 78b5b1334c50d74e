package dev.aio4j.tck;

import static dev.aio4j.tck.LoopSteps.finishes;
import static dev.aio4j.tck.LoopSteps.settle;
import static dev.aio4j.tck.LoopSteps.spawn;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.aio4j.Future;
import dev.aio4j.Loop;
import dev.aio4j.Task;
import dev.aio4j.sync.BoundedSemaphore;
import dev.aio4j.sync.CapacityLimiter;
import dev.aio4j.sync.Hold;
import dev.aio4j.sync.Semaphore;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * SPEC section Y, the rules of the primitives that count what they lend:
 * {@code Semaphore} and {@code BoundedSemaphore} (Y24 to Y27), permits, and
 * {@code CapacityLimiter} (Y32 to Y35), tokens held by borrowers. Among them
 * the waiter woken and cancelled before it runs (CPython gh-90155, and the
 * bpo-27585 race in a limiter).
 *
 * <p>The tests were proved by planting defects in {@code dev.aio4j.sync}, one
 * at a time, and seeing the rule's test fail: a wait queue that drops the
 * wake-up of a woken-then-cancelled waiter (Y26, Y35) or serves its waiters
 * last-in first-out (Y25, Y32, Y34); a semaphore that lets a new acquirer
 * barge in after a release (Y25, Y26); no over-release check (Y27); a
 * borrower borrowing twice (Y33); a raised total that wakes nobody (Y34).
 */
public abstract class SemaphoreAndLimiterVerification extends AbstractSyncVerification {
    /** For a backend's subclass, which names its provider. */
    protected SemaphoreAndLimiterVerification() {}

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

    // ------------------------------------------------------------------ CapacityLimiter

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
}
