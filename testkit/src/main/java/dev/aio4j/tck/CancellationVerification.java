package dev.aio4j.tck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.aio4j.AsyncIO;
import dev.aio4j.CancelRequest;
import dev.aio4j.CancelledError;
import dev.aio4j.Future;
import dev.aio4j.Loop;
import dev.aio4j.Task;
import dev.aio4j.VirtualTicker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * SPEC.md section C: cancellation.
 *
 * <p>If a test here fails, check the three ways a request reaches a task:
 * before its first step (none of the body runs), while it waits on a future
 * (that future is cancelled and wakes it), and while it is runnable (a flag
 * thrown as {@link CancelledError} at its next step); and check the
 * request count ({@code cancelling}/{@code uncancel}).
 */
public abstract class CancellationVerification extends AbstractVerification {
    /** For a backend's subclass, which names its provider. */
    protected CancellationVerification() {}


    @Override
    protected String area() {
        return "Cancellation";
    }

    private static CancelledError cancellationOf(Task<?> t, String rule) {
        return assertThrows(CancelledError.class, t::await,
                "awaiting the cancelled task must throw CancelledError (" + rule + ")");
    }

    /** Awaits {@code t}, failing with {@code message} if it ends cancelled. */
    private static <T> T awaitUncancelled(Task<T> t, String message) {
        try {
            return t.await();
        } catch (CancelledError e) {
            return fail(message + ", but the task ended cancelled: " + e);
        }
    }

    /** C1: cancel() returns false once done and true otherwise, also repeated; cancelling() counts the requests. */
    @Test
    public void required_C1_cancelReturnsTrueUntilDoneAndCancellingCounts() {
        Loop loop = newLoop();
        run(loop, () -> {
            Future<Void> gate = loop.createFuture();
            Task<Void> t = loop.createTask(() -> gate.await());
            AsyncIO.sleep0();
            assertEquals(0, t.cancelling(), "a task never cancelled must have cancelling() 0 (SPEC C1)");
            assertTrue(t.cancel(), "cancel() of a pending task must return true (SPEC C1)");
            assertTrue(t.cancel("again"), "cancel() again, before the task ended, must return true (SPEC C1)");
            assertEquals(2, t.cancelling(), "cancelling() must count every cancel() request (SPEC C1)");
            assertFalse(t.isCancelled() || t.isDone(),
                    "cancel() only requests: the task must not be cancelled before its body ends (SPEC C1)");
            cancellationOf(t, "SPEC C1");
            assertTrue(t.isCancelled(), "the task must be cancelled once its body ended with the cancellation (SPEC C1)");
            assertFalse(t.cancel(), "cancel() of a done task must return false (SPEC C1)");
            assertEquals(2, t.cancelling(), "cancel() of a done task must not count (SPEC C1)");
            Task<String> finished = loop.createTask(() -> "ok");
            finished.await();
            assertFalse(finished.cancel(), "cancel() of a task with a result must return false (SPEC C1)");
            assertEquals("ok", finished.result(), "cancel() of a finished task must keep its result (SPEC C1)");
            return null;
        });
    }

    /** C2: a task cancelled before its first step runs none of its body, not even finally blocks. */
    @Test
    public void required_C2_cancelBeforeStartRunsNoneOfTheBody() {
        Loop loop = newLoop();
        List<String> ran = new ArrayList<>();
        String message = run(loop, () -> {
            Task<Void> t = loop.createTask(() -> {
                try {
                    ran.add("body");
                    AsyncIO.sleep0();
                } finally {
                    ran.add("finally");
                }
                return null;
            });
            assertTrue(t.cancel("early"), "cancel() of a task not yet started must return true (SPEC C2)");
            String m = cancellationOf(t, "SPEC C2").getMessage();
            assertTrue(t.isCancelled(), "a task cancelled before its first step must end cancelled (SPEC C2)");
            return m;
        });
        assertEquals(List.of(), ran, "a task cancelled before its first step must run none of its body, "
                + "not even finally blocks (SPEC C2)");
        assertEquals("early", message, "the cancellation must carry the cancel message (SPEC C2)");
    }

    /** C3: cancelling a task that waits on a future cancels that future at once; the task sees the cancellation at the await. */
    @Test
    public void required_C3_cancelWhileSuspendedCancelsTheAwaitedFuture() {
        Loop loop = newLoop();
        List<String> log = new ArrayList<>();
        run(loop, () -> {
            Future<String> f = loop.createFuture();
            Task<String> t = loop.createTask(() -> {
                try {
                    return f.await();
                } catch (CancelledError e) {
                    log.add("at await: " + e.getMessage());
                    throw e;
                }
            });
            AsyncIO.sleep0(); // t waits on f
            assertTrue(t.cancel("stop"), "cancel() of a waiting task must return true (SPEC C3)");
            assertTrue(f.isCancelled(), "cancel() of a task waiting on a future must cancel that future at once (SPEC C3)");
            assertEquals("stop", assertThrows(CancellationException.class, f::result).getMessage(),
                    "the awaited future must be cancelled with the task's cancel message (SPEC C3)");
            assertEquals(List.of(), log, "the task must not resume inside cancel(), only at its next step (SPEC C3)");
            cancellationOf(t, "SPEC C3");
            return null;
        });
        assertEquals(List.of("at await: stop"), log,
                "the task must see CancelledError, with the message, at the await it was suspended in (SPEC C3)");
    }

    /** C4: a request for a runnable task is delivered at its next step; a self-cancelled task's next awaited future is cancelled. */
    @Test
    public void required_C4_cancelWhileRunnableIsDeliveredAtTheNextStep() {
        Loop loop = newLoop();
        List<String> log = new ArrayList<>();
        run(loop, () -> {
            Task<Void> t = loop.createTask(() -> {
                log.add("step 1");
                try {
                    AsyncIO.sleep0();
                    log.add("not interrupted");
                } catch (CancelledError e) {
                    log.add("cancelled at sleep0: " + e.getMessage());
                    throw e;
                }
                return null;
            });
            AsyncIO.sleep0(); // t ran step 1 and is queued again: runnable, waiting on no future
            assertTrue(t.cancel("now"), "cancel() of a runnable task must return true (SPEC C4)");
            cancellationOf(t, "SPEC C4");

            Task<String> self = loop.createTask(() -> {
                AsyncIO.currentTask().orElseThrow().cancel("self");
                Future<String> fresh = loop.createFuture();
                try {
                    fresh.await();
                    return "not interrupted";
                } catch (CancelledError e) {
                    return "fresh cancelled " + fresh.isCancelled() + ", message " + e.getMessage();
                }
            });
            log.add(self.await());
            return null;
        });
        assertEquals(List.of("step 1", "cancelled at sleep0: now", "fresh cancelled true, message self"), log,
                "a cancel request for a runnable task must be thrown at its next await point; a task that cancelled itself "
                        + "must have the next future it awaits cancelled (SPEC C4)");
    }

    /** C5: a task cancelled in the step in which it returns ends cancelled; the value is lost. */
    @Test
    public void required_C5_returningInTheCancelledStepEndsCancelled() {
        Loop loop = newLoop();
        run(loop, () -> {
            Task<String> t = loop.createTask(() -> {
                AsyncIO.currentTask().orElseThrow().cancel("late");
                return "lost";
            });
            CancelledError e = cancellationOf(t, "SPEC C5");
            assertTrue(t.isCancelled(), "a task that returned in the step it was cancelled in must end cancelled (SPEC C5)");
            assertEquals("late", e.getMessage(), "the cancellation must carry the cancel message (SPEC C5)");
            return null;
        });
    }

    /** C6: cancelling a task cancels the task it awaits; the innermost sees the cancellation first. */
    @Test
    public void required_C6_cancellationTravelsDownTheAwaitChain() {
        Loop loop = newLoop();
        List<String> log = new ArrayList<>();
        run(loop, () -> {
            Future<Void> f = loop.createFuture();
            Task<Void> inner = loop.createTask(() -> {
                try {
                    f.await();
                } catch (CancelledError e) {
                    log.add("inner: " + e.getMessage());
                    throw e;
                }
                return null;
            });
            Task<Void> outer = loop.createTask(() -> {
                try {
                    inner.await();
                } catch (CancelledError e) {
                    log.add("outer: " + e.getMessage());
                    throw e;
                }
                return null;
            });
            AsyncIO.sleep0(); // outer waits on inner, inner on f
            assertTrue(outer.cancel("down"), "cancel() of the outer task must return true (SPEC C6)");
            assertEquals(1, inner.cancelling(), "cancelling the outer task must request cancellation of the task it awaits (SPEC C6)");
            assertTrue(f.isCancelled(), "the request must reach the future the innermost task awaits (SPEC C6)");
            cancellationOf(outer, "SPEC C6");
            assertTrue(inner.isCancelled() && outer.isCancelled(), "both tasks of the chain must end cancelled (SPEC C6)");
            return null;
        });
        assertEquals(List.of("inner: down", "outer: down"), log,
                "the innermost task must see the cancellation first, then its awaiter, with the message (SPEC C6)");
    }

    /** C7: a task may catch the cancellation and return a value; cancelling() stays above zero. */
    @Test
    public void required_C7_caughtCancellationLetsTheTaskReturn() {
        Loop loop = newLoop();
        run(loop, () -> {
            Future<Void> f = loop.createFuture();
            Task<String> t = loop.createTask(() -> {
                try {
                    f.await();
                    return "not cancelled";
                } catch (CancelledError e) {
                    AsyncIO.sleep0(); // may keep awaiting
                    return "recovered";
                }
            });
            AsyncIO.sleep0();
            t.cancel();
            assertEquals("recovered", awaitUncancelled(t, "a task that caught the cancellation must end with the value it returned (SPEC C7)"),
                    "a task that caught the cancellation must end with the value it returned (SPEC C7)");
            assertFalse(t.isCancelled(), "a task that caught the cancellation and returned must not be cancelled (SPEC C7)");
            assertEquals(1, t.cancelling(), "cancelling() must stay above zero until uncancel() (SPEC C7)");
            return null;
        });
    }

    /** C8: uncancel decrements (never below zero); reaching zero withdraws an undelivered request. */
    @Test
    public void required_C8_uncancelDecrementsAndAtZeroWithdrawsTheRequest() {
        Loop loop = newLoop();
        run(loop, () -> {
            Task<String> withdrawn = loop.createTask(CancellationVerification::yieldTwiceAndReturn);
            Task<String> kept = loop.createTask(CancellationVerification::yieldTwiceAndReturn);
            assertEquals(0, withdrawn.uncancel(), "uncancel() with no request must return 0, never below (SPEC C8)");
            AsyncIO.sleep0(); // both are runnable, queued behind this step
            withdrawn.cancel();
            assertEquals(0, withdrawn.uncancel(), "uncancel() must return the new count (SPEC C8)");
            kept.cancel();
            kept.cancel();
            assertEquals(1, kept.uncancel(), "uncancel() must decrement the count by one (SPEC C8)");
            String what = "uncancel() reaching zero must withdraw a request not yet delivered (asyncio 3.13) (SPEC C8)";
            assertEquals("ran to the end", awaitUncancelled(withdrawn, what), what);
            assertFalse(withdrawn.isCancelled(), "a withdrawn request must not cancel the task (SPEC C8)");
            cancellationOf(kept, "SPEC C8: a request still counted must be delivered");
            return null;
        });
    }

    private static String yieldTwiceAndReturn() {
        AsyncIO.sleep0();
        AsyncIO.sleep0();
        return "ran to the end";
    }

    /** C9: several requests before delivery collapse into one CancelledError; the next await is not interrupted. */
    @Test
    public void required_C9_severalCancelsCollapseIntoOneDelivery() {
        Loop loop = newLoop();
        run(loop, () -> {
            Future<Void> f = loop.createFuture();
            Future<String> g = loop.createFuture();
            Task<String> suspended = loop.createTask(() -> {
                int n = 0;
                try {
                    f.await();
                } catch (CancelledError e) {
                    n++;
                }
                return n + " delivery, then " + g.await();
            });
            AsyncIO.sleep0(); // waits on f
            suspended.cancel("1");
            suspended.cancel("2");
            suspended.cancel("3");
            assertEquals(3, suspended.cancelling(), "cancelling() must record each request (SPEC C9)");
            AsyncIO.sleep0(); // it caught the cancellation and waits on g
            assertFalse(suspended.isDone(), "the await after the caught cancellation must not be interrupted (SPEC C9)");
            g.setResult("g");
            String what = "three requests to a waiting task must be delivered once (SPEC C9)";
            assertEquals("1 delivery, then g", awaitUncancelled(suspended, what), what);

            Task<String> runnable = loop.createTask(() -> {
                int n = 0;
                AsyncIO.sleep0();
                try {
                    AsyncIO.sleep0();
                } catch (CancelledError e) {
                    n++;
                }
                AsyncIO.sleep0();
                AsyncIO.sleep0();
                return n + " delivery";
            });
            AsyncIO.sleep0(); // ran to its first sleep0: runnable
            AsyncIO.sleep0(); // ran to its second sleep0: runnable
            runnable.cancel();
            runnable.cancel();
            what = "two requests to a runnable task must be delivered once (SPEC C9)";
            assertEquals("1 delivery", awaitUncancelled(runnable, what), what);
            return null;
        });
    }

    /** C10: before the first step the last message wins; while suspended the first wins. */
    @Test
    public void required_C10_cancelMessageRules() {
        Loop loop = newLoop();
        run(loop, () -> {
            Task<Void> unstarted = loop.createTask(() -> null);
            unstarted.cancel("first");
            unstarted.cancel("last");
            assertEquals("last", cancellationOf(unstarted, "SPEC C10").getMessage(),
                    "for a task not yet started the last cancel message must win (SPEC C10)");

            Future<Void> f = loop.createFuture();
            Task<Void> waiting = loop.createTask(() -> f.await());
            AsyncIO.sleep0();
            waiting.cancel("first");
            waiting.cancel("last");
            assertEquals("first", cancellationOf(waiting, "SPEC C10").getMessage(),
                    "for a waiting task the first cancel message must win: it went to the awaited future (SPEC C10)");
            return null;
        });
    }

    /** C11: the cancel message reaches whoever awaits the cancelled task, with the task's own exception in the cause chain. */
    @Test
    public void required_C11_cancelMessagePropagatesToAwaiters() {
        Loop loop = newLoop();
        AtomicReference<CancelledError> inside = new AtomicReference<>();
        Task<?> task = run(loop, () -> {
            Future<Void> f = loop.createFuture();
            Task<Void> t = loop.createTask(() -> {
                try {
                    f.await();
                } catch (CancelledError e) {
                    inside.set(e);
                    throw e;
                }
                return null;
            });
            AsyncIO.sleep0();
            t.cancel("bye");
            CancelledError outside = cancellationOf(t, "SPEC C11");
            assertEquals("bye", outside.getMessage(), "the awaiter's CancelledError must carry the cancel message (SPEC C11)");
            boolean found = false;
            for (Throwable c = outside; c != null; c = c.getCause()) {
                found |= c == inside.get();
            }
            assertTrue(found, "the CancelledError raised inside the task must be the awaiter's exception or in "
                    + "its cause chain (SPEC C11)");
            return t;
        });
        assertEquals("bye", assertThrows(CancellationException.class, task::result).getMessage(),
                "result() of the cancelled task must carry the cancel message (SPEC C11)");
    }

    /** C12: AsyncIO.sleep is cancellable: the task wakes at once with the cancellation. */
    @Test
    public void required_C12_sleepIsCancellable() {
        Loop loop = newLoop();
        List<String> log = new ArrayList<>();
        run(loop, () -> {
            Task<Void> t = loop.createTask(() -> {
                try {
                    AsyncIO.sleep(Duration.ofDays(1));
                    log.add("slept a day");
                } catch (CancelledError e) {
                    log.add("cancelled: " + e.getMessage());
                    throw e;
                } finally {
                    log.add("finally");
                }
                return null;
            });
            AsyncIO.sleep0();
            t.cancel("wake up");
            cancellationOf(t, "SPEC C12");
            return null;
        });
        assertEquals(List.of("cancelled: wake up", "finally"), log,
                "a task cancelled in sleep() must wake at once with CancelledError at the sleep (SPEC C12)");
    }

    /** C12: a cancelled sleep cancels its timer (observed in virtual time: an idle loop does not jump to it). */
    @Test
    public void optional_C12_cancelledSleepCancelsItsTimer() {
        VirtualTicker ticker = new VirtualTicker();
        Loop loop = newVirtualTimeLoop(ticker);
        long elapsed = run(loop, () -> {
            Task<Void> sleeper = loop.createTask(() -> {
                AsyncIO.sleep(Duration.ofHours(1));
                return null;
            });
            AsyncIO.sleep0();
            sleeper.cancel();
            try {
                sleeper.await();
            } catch (CancelledError expected) {
                // as asked
            }
            long t0 = loop.time();
            Future<Void> external = loop.createFuture();
            // Another thread wakes the loop once it is idle; a live timer would have let the clock jump meanwhile.
            CompletableFuture.delayedExecutor(20, TimeUnit.MILLISECONDS)
                    .execute(() -> loop.callSoonThreadsafe(() -> external.setResult(null)));
            external.await();
            return loop.time() - t0;
        });
        if (elapsed >= Duration.ofHours(1).toNanos()) {
            fail("a cancelled sleep must cancel its timer, but the idle loop advanced virtual time by "
                    + Duration.ofNanos(elapsed) + " to fire it (SPEC C12)");
        }
    }

    /** C13: a task cancelled after its awaited future completed, before it resumed, still sees the cancellation. */
    @Test
    public void required_C13_cancelAfterWakeUpBeforeResumeIsStillDelivered() {
        Loop loop = newLoop();
        List<String> log = new ArrayList<>();
        run(loop, () -> {
            Future<String> f = loop.createFuture();
            Task<String> t = loop.createTask(() -> {
                try {
                    return f.await();
                } catch (CancelledError e) {
                    log.add("cancelled at await: " + e.getMessage());
                    throw e;
                }
            });
            AsyncIO.sleep0();
            f.setResult("r"); // t's resumption is queued
            assertTrue(t.cancel("too late?"), "cancel() of a task not yet resumed must return true (SPEC C13)");
            cancellationOf(t, "SPEC C13");
            assertEquals("r", f.result(), "the completed future must keep its result (SPEC C13)");
            return null;
        });
        assertEquals(List.of("cancelled at await: too late?"), log,
                "a request made after the awaited future completed but before the task resumed must be thrown at that "
                        + "await (SPEC C13)");
    }

    /** C14: cancelling a future wakes every task waiting on it, in order, with its message. */
    @Test
    public void required_C14_cancellingAFutureWakesAllItsAwaiters() {
        Loop loop = newLoop();
        List<String> log = new ArrayList<>();
        run(loop, () -> {
            Future<Void> f = loop.createFuture();
            List<Task<Void>> waiters = new ArrayList<>();
            for (String name : List.of("w1", "w2", "w3")) {
                waiters.add(loop.createTask(() -> {
                    try {
                        return f.await();
                    } catch (CancelledError e) {
                        log.add(name + ": " + e.getMessage());
                        throw e;
                    }
                }));
            }
            AsyncIO.sleep0();
            f.cancel("all of you");
            for (Task<Void> w : waiters) {
                cancellationOf(w, "SPEC C14");
                assertTrue(w.isCancelled(), "a task that let the cancellation of its future escape must end cancelled (SPEC C14)");
                assertEquals(0, w.cancelling(), "a cancelled future must not count as a request on its awaiters (SPEC C14)");
            }
            return null;
        });
        assertEquals(List.of("w1: all of you", "w2: all of you", "w3: all of you"), log,
                "every task waiting on a cancelled future must see CancelledError with its message, in the "
                        + "order they began waiting (SPEC C14)");
    }

    /**
     * C15: the cancellation an await delivers is not an Exception: an
     * asyncio-style worker that catches Exception to log and carry on ends
     * cancelled, while ordinary failures still reach its handler.
     */
    @Test
    public void required_C15_catchingExceptionDoesNotStopACancellation() {
        Loop loop = newLoop();
        List<String> log = new ArrayList<>();
        run(loop, () -> {
            List<Future<String>> jobs = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                jobs.add(loop.createFuture());
            }
            Task<String> worker = loop.createTask(() -> {
                for (Future<String> job : jobs) {
                    try {
                        log.add("done " + job.await());
                    } catch (Exception e) { // "log any error and keep looping"
                        log.add("logged " + e.getMessage());
                    }
                }
                return "ran out of jobs";
            });
            jobs.get(0).setException(new IllegalStateException("job 0 failed"));
            AsyncIO.sleep0(); // the worker logs it and waits on job 1
            AsyncIO.sleep0();
            worker.cancel("shutting down");
            jobs.get(2).setResult("never awaited");
            assertEquals("shutting down", cancellationOf(worker, "SPEC C15").getMessage(),
                    "the worker must end cancelled, with the cancel message (SPEC C15)");
            assertTrue(worker.isCancelled(), "catch (Exception e) must not stop a cancellation: the worker must end "
                    + "cancelled, as in asyncio (SPEC C15)");
            return null;
        });
        assertEquals(List.of("logged job 0 failed"), log,
                "an ordinary failure must reach catch (Exception e); the cancellation must not (SPEC C15)");
    }

    /**
     * C16: CancelledError caught by name and rethrown ends the task
     * cancelled; caught, uncancelled and carried on, the task keeps running
     * and completes with its value.
     */
    @Test
    public void required_C16_cancellationCaughtByNameKeepsItsMeaning() {
        Loop loop = newLoop();
        List<String> log = new ArrayList<>();
        run(loop, () -> {
            Future<Void> never = loop.createFuture();
            Task<Void> rethrows = loop.createTask(() -> {
                try {
                    return never.await();
                } catch (CancelledError e) {
                    log.add("cleaned up");
                    throw e;
                }
            });
            Task<String> carriesOn = loop.createTask(() -> {
                Future<Void> waitHere = loop.createFuture();
                try {
                    waitHere.await();
                } catch (CancelledError e) {
                    AsyncIO.currentTask().orElseThrow().uncancel();
                    log.add("withdrawn");
                }
                AsyncIO.sleep0(); // later awaits are not interrupted
                AsyncIO.sleep0();
                return "carried on";
            });
            AsyncIO.sleep0();
            rethrows.cancel();
            carriesOn.cancel();
            cancellationOf(rethrows, "SPEC C16");
            assertTrue(rethrows.isCancelled(), "a body that catches CancelledError by name and rethrows it must end "
                    + "cancelled (SPEC C16)");
            assertEquals("carried on", awaitUncancelled(carriesOn, "a body that caught CancelledError and called uncancel() "
                    + "must keep running and complete with its value (SPEC C16)"), "(SPEC C16)");
            assertEquals(0, carriesOn.cancelling(), "uncancel() must have withdrawn the request (SPEC C16)");
            return null;
        });
        assertEquals(List.of("cleaned up", "withdrawn"), log, "both bodies must see the CancelledError by name (SPEC C16)");
    }

    /** C17: each request records its origin; uncancel(origin) withdraws that origin's own; the delivered error lists them. */
    @Test
    public void required_C17_cancelRequestsRecordWhoAsked() {
        Loop loop = newLoop();
        run(loop, () -> {
            Task<?> me = AsyncIO.currentTask().orElseThrow();
            Object scope = new Object() {
                @Override
                public String toString() {
                    return "a scope";
                }
            };
            AtomicReference<CancelledError> delivered = new AtomicReference<>();
            Future<Void> never = loop.createFuture();
            Task<Void> t = loop.createTask(() -> {
                try {
                    return never.await();
                } catch (CancelledError e) {
                    delivered.set(e);
                    throw e;
                }
            });
            AsyncIO.sleep0(); // t waits on never
            assertThrows(NullPointerException.class, () -> t.cancel("x", null),
                    "cancel(message, null) must throw NullPointerException (SPEC C17)");
            assertEquals(0, t.cancelling(), "a refused request must record nothing (SPEC C17)");
            loop.callSoon(() -> t.cancel("by a callback")); // runs before t wakes
            assertTrue(t.cancel("by the scope", scope));
            assertTrue(t.cancel("by me"));
            cancellationOf(t, "SPEC C17");
            List<CancelRequest> all = List.of(new CancelRequest(scope, "by the scope"), new CancelRequest(me, "by me"),
                    new CancelRequest(loop, "by a callback"));
            assertEquals(all, t.cancelRequests(), "cancelRequests() must list each request with its origin, oldest first: "
                    + "the given origin, the calling task, the loop for a callback (SPEC C17)");
            assertEquals(3, t.cancelling(), "cancelling() must count the requests (SPEC C17)");
            assertEquals(all, delivered.get().requests(),
                    "the delivered CancelledError must list the requests pending at delivery (SPEC C17)");
            assertFalse(t.uncancel(new Object()), "uncancel(origin) of an origin with no request must return false (SPEC C17)");
            assertTrue(t.uncancel(scope), "uncancel(origin) must withdraw that origin's request (SPEC C17)");
            assertEquals(all.subList(1, 3), t.cancelRequests(),
                    "uncancel(origin) must withdraw exactly that origin's request (SPEC C17)");
            return null;
        });
    }

    /** C18: a done task records no request; the delivered CancelledError names who asked in its text. */
    @Test
    public void required_C18_aDoneTaskRecordsNothingAndTheErrorNamesWhoAsked() {
        Loop loop = newLoop();
        run(loop, () -> {
            Task<String> done = loop.createTask(() -> "done");
            done.await();
            assertFalse(done.cancel("late", "someone"), "cancel(message, origin) of a done task must return false (SPEC C18)");
            assertEquals(0, done.cancelling(), "and record nothing (SPEC C18)");
            Object scope = new Object() {
                @Override
                public String toString() {
                    return "the-checkout-scope";
                }
            };
            Task<Object> t = loop.createTask(() -> AsyncIO.currentLoop().createFuture().await());
            AsyncIO.sleep0();
            t.cancel("basket emptied", scope);
            CancelledError e = cancellationOf(t, "SPEC C18");
            assertTrue(e.toString().contains("the-checkout-scope"),
                    "the CancelledError's text must name who asked (SPEC C18): " + e);
            return null;
        });
    }

    /** C19: catch (RuntimeException e) does not stop a cancellation either; catch (Throwable t) sees it, as except BaseException does. */
    @Test
    public void required_C19_onlyACatchOfThrowableOrByNameSeesTheCancellation() {
        Loop loop = newLoop();
        List<String> log = new ArrayList<>();
        run(loop, () -> {
            Task<Object> runtime = loop.createTask(() -> {
                try {
                    return AsyncIO.currentLoop().createFuture().await();
                } catch (RuntimeException e) {
                    log.add("RuntimeException caught it");
                    return null;
                }
            });
            Task<Object> throwable = loop.createTask(() -> {
                try {
                    return AsyncIO.currentLoop().createFuture().await();
                } catch (Throwable t) {
                    log.add("Throwable caught " + t.getClass().getSimpleName());
                    throw t;
                }
            });
            AsyncIO.sleep0();
            runtime.cancel();
            throwable.cancel();
            cancellationOf(runtime, "SPEC C19");
            cancellationOf(throwable, "SPEC C19");
            return null;
        });
        assertEquals(List.of("Throwable caught CancelledError"), log,
                "catch (RuntimeException e) must not catch a cancellation; catch (Throwable t) must (SPEC C19)");
    }

    /**
     * C20: a request still undelivered when the task awaits goes to the awaited future; if the
     * awaited task swallows it and returns, the awaiter resumes with that value.
     */
    @Test
    public void required_C20_anUndeliveredRequestGoesToTheAwaitedFuture() {
        Loop loop = newLoop();
        List<String> log = new ArrayList<>();
        String r = run(loop, () -> {
            Task<String> inner = loop.createTask(() -> {
                try {
                    loop.createFuture().await();
                    return "inner was not cancelled";
                } catch (CancelledError e) {
                    return "inner swallowed '" + e.getMessage() + "'";
                }
            }, "tck-c20-inner");
            Task<String> outer = loop.createTask(() -> {
                AsyncIO.sleep0(); // the inner task now waits on its future
                AsyncIO.currentTask().orElseThrow().cancel("tck-c20"); // runnable: the request stays undelivered
                String v = inner.await(); // ... until this await hands it to the inner task
                log.add("outer resumed with: " + v);
                return v;
            }, "tck-c20-outer");
            try {
                return outer.await();
            } catch (CancelledError e) {
                return "outer ended cancelled: " + e.getMessage();
            }
        });
        assertEquals("inner swallowed 'tck-c20'", r, "a task with an undelivered cancel request that awaits a pending "
                + "task must pass the request on to it, with its message, instead of keeping it; when the awaited "
                + "task swallows it and returns, the awaiter must resume with that value, not with CancelledError "
                + "(SPEC C20)");
        assertEquals(List.of("outer resumed with: inner swallowed 'tck-c20'"), log, "SPEC C20");
    }
}
