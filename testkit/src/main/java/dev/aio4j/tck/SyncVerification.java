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
import static org.junit.jupiter.api.Assertions.fail;

import dev.aio4j.AsyncIO;
import dev.aio4j.Loop;
import dev.aio4j.Task;
import dev.aio4j.Timeout;
import dev.aio4j.sync.Barrier;
import dev.aio4j.sync.BoundedSemaphore;
import dev.aio4j.sync.CapacityLimiter;
import dev.aio4j.sync.Condition;
import dev.aio4j.sync.Event;
import dev.aio4j.sync.Hold;
import dev.aio4j.sync.Lock;
import dev.aio4j.sync.Semaphore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * SPEC section Y, the rules that hold for every primitive of
 * {@code dev.aio4j.sync} (Y1 to Y4, Y36 to Y40): binding to one loop, the
 * refusals of calls from elsewhere and of bad input, timeouts and
 * cancellation while waiting, order under load, {@code toString}, and an
 * exhaustive exploration of the wait queue. The rules of each primitive are
 * in {@link LockVerification}, {@link EventAndConditionVerification},
 * {@link SemaphoreAndLimiterVerification} and {@link BarrierVerification}.
 *
 * <p>The tests were proved by planting defects in {@code dev.aio4j.sync}, one
 * at a time, and seeing the rule's test fail: a wait queue that drops the
 * wake-up of a woken-then-cancelled waiter (Y36), that serves waiters
 * last-in first-out (Y37), that hands a wake-up to a waiter cancelled while
 * waiting (Y39); a lock and a semaphore that let a new acquirer barge in
 * after a release (Y37); no check of the loop (Y1).
 */
public abstract class SyncVerification extends AbstractSyncVerification {
    /** For a backend's subclass, which names its provider. */
    protected SyncVerification() {}

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
    @Tag("Exploration") // mutation testing leaves it out: see mutation/pom.xml
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
