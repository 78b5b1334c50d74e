package dev.aio4j.tck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.aio4j.AsyncIO;
import dev.aio4j.CancelledError;
import dev.aio4j.Coroutine;
import dev.aio4j.Future;
import dev.aio4j.Loop;
import dev.aio4j.Task;
import dev.aio4j.Timeout;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * SPEC section W: the timeout scopes and {@code waitFor}. They are library
 * code in the API, run here on the provider's loop. Deadlines that must pass
 * are one millisecond on a future nobody completes, or already past: no rule
 * depends on how fast the machine is.
 */
public abstract class TimeoutVerification extends AbstractVerification {
    /** For a backend's subclass, which names its provider. */
    protected TimeoutVerification() {}


    @Override
    protected String area() {
        return "Timeouts";
    }

    private static Task<?> me() {
        return AsyncIO.currentTask().orElseThrow();
    }

    /** A future of the running loop that nobody completes. */
    private static <T> Future<T> never() {
        return AsyncIO.currentLoop().createFuture();
    }

    /** W1: the scope's own cancellation becomes a TimeoutException; the task goes on. */
    @Test
    public void required_W1_timeoutConvertsItsOwnCancellation() {
        Loop loop = newLoop();
        run(loop, () -> {
            Future<String> awaited = never();
            TimeoutException te = assertThrows(TimeoutException.class,
                    () -> AsyncIO.timeout(Duration.ofMillis(1), () -> awaited.await()),
                    "a scope whose deadline passes while the body awaits must throw TimeoutException (SPEC W1)");
            assertInstanceOf(CancelledError.class, te.getCause(),
                    "the TimeoutException's cause must be the body's CancelledError (SPEC W1)");
            Throwable asThrowable = te;
            assertFalse(asThrowable instanceof CancellationException, "a timeout must not be a cancellation type (SPEC W1)");
            assertTrue(awaited.isCancelled(), "the deadline must cancel the future the body awaited (SPEC W1)");
            assertEquals(0, me().cancelling(), "the scope must withdraw its request (SPEC W1)");
            AsyncIO.sleep0();
            AsyncIO.sleep(Duration.ofMillis(2)); // later awaits go on uninterrupted
            return null;
        });
    }

    /** W2: a body that returns in time keeps its value; the deadline never fires afterwards. */
    @Test
    public void required_W2_aBodyEndingInTimeReturnsItsValueAndTheDeadlineIsGone() {
        Loop loop = newLoop();
        run(loop, () -> {
            assertEquals("in time", AsyncIO.timeout(Duration.ofDays(1), () -> {
                AsyncIO.sleep0();
                return "in time";
            }), "a body ending before the deadline must give its value (SPEC W2)");
            AtomicReference<Timeout> scope = new AtomicReference<>();
            assertEquals("quick", AsyncIO.timeout(Duration.ofMillis(1), (Timeout s) -> {
                scope.set(s);
                return "quick";
            }), "(SPEC W2)");
            AsyncIO.sleep(Duration.ofMillis(5)); // past the deadline: the scope is over, nothing may cancel us
            assertFalse(scope.get().expired(), "a scope whose body ended in time must never expire (SPEC W2)");
            assertEquals(0, me().cancelling(), "a scope whose body ended in time must not cancel its task (SPEC W2)");
            return null;
        });
    }

    /** W3: zero, negative and past deadlines cancel at the first await; a body without awaits returns. */
    @Test
    public void required_W3_aZeroOrPastDeadlineCancelsAtTheFirstAwait() {
        Loop loop = newLoop();
        run(loop, () -> {
            assertEquals("no await", AsyncIO.timeout(Duration.ZERO, () -> "no await"),
                    "a body that never awaits must return its value, even with a zero delay (SPEC W3)");
            for (Duration d : List.of(Duration.ZERO, Duration.ofSeconds(-5), Duration.ofSeconds(Long.MIN_VALUE))) {
                List<String> log = new ArrayList<>();
                assertThrows(TimeoutException.class, () -> AsyncIO.timeout(d, () -> {
                    log.add("before");
                    AsyncIO.sleep0();
                    log.add("after the first await");
                    return null;
                }), "a delay of " + d + " must cancel at the first await (SPEC W3)");
                assertEquals(List.of("before"), log, "a delay of " + d + " must cancel at the first await (SPEC W3)");
            }
            assertThrows(TimeoutException.class, () -> AsyncIO.timeoutAt(Long.MIN_VALUE, () -> never().await()),
                    "timeoutAt(Long.MIN_VALUE) must be expired (SPEC W3)");
            assertThrows(TimeoutException.class, () -> AsyncIO.timeoutAt(loop.time() - 1, () -> never().await()),
                    "timeoutAt a past deadline must be expired (SPEC W3)");
            assertEquals(0, me().cancelling(), "(SPEC W3)");
            return null;
        });
    }

    /** W4: a request made after the scope was entered keeps the cancellation a cancellation (async-timeout#229). */
    @Test
    public void required_W4_anotherRequestKeepsTheCancellation() {
        Loop loop = newLoop();
        run(loop, () -> {
            Task<?> me = me();
            CancelledError e = assertThrows(CancelledError.class, () -> AsyncIO.timeout(Duration.ZERO, () -> {
                // Queued after the scope's own deadline callback: runs after it, before this task resumes.
                loop.callSoon(() -> me.cancel("explicit"));
                return never().await();
            }), "a cancel() made just after the deadline must stay a CancelledError, not become a timeout (SPEC W4)");
            assertEquals(1, me.cancelling(), "the scope must withdraw only its own request (SPEC W4): " + me.cancelRequests());
            assertEquals("explicit", me.cancelRequests().get(0).message(), "the other request must be kept (SPEC W4)");
            assertEquals(2, e.requests().size(), "the CancelledError must name both requests (SPEC W4): " + e);
            me.uncancel();
            return null;
        });
    }

    /** W5: an inner scope converts its own; an outer scope's cancellation passes through the inner one. */
    @Test
    public void required_W5_nestedScopesConvertOnlyTheirOwnCancellation() {
        Loop loop = newLoop();
        run(loop, () -> {
            // Inner expires, outer goes on.
            assertEquals("outer done", AsyncIO.timeout(Duration.ofDays(1), () -> {
                assertThrows(TimeoutException.class, () -> AsyncIO.timeout(Duration.ofMillis(1), () -> never().await()),
                        "an inner scope that expires must convert its own cancellation (SPEC W5)");
                AsyncIO.sleep0();
                return "outer done";
            }), "the outer scope must go on after the inner one timed out (SPEC W5)");
            // Outer expires while the inner one runs.
            AtomicReference<Timeout> inner = new AtomicReference<>();
            AtomicReference<Throwable> throughInner = new AtomicReference<>();
            assertThrows(TimeoutException.class, () -> AsyncIO.timeout(Duration.ofMillis(1), () -> {
                try {
                    return AsyncIO.timeout(Duration.ofDays(1), (Timeout s) -> {
                        inner.set(s);
                        return never().await();
                    });
                } catch (Throwable t) {
                    throughInner.set(t);
                    throw t;
                }
            }), "the outer scope that expired must convert its cancellation (SPEC W5)");
            assertInstanceOf(CancelledError.class, throughInner.get(),
                    "the outer scope's cancellation must pass through the inner scope unchanged (SPEC W5)");
            assertFalse(inner.get().expired(), "(SPEC W5)");
            // Both expired: the outer one converts.
            throughInner.set(null);
            assertThrows(TimeoutException.class, () -> AsyncIO.timeout(Duration.ZERO, () -> {
                try {
                    return AsyncIO.timeout(Duration.ZERO, () -> never().await());
                } catch (Throwable t) {
                    throughInner.set(t);
                    throw t;
                }
            }), "when both scopes expired, the outer one must convert (SPEC W5)");
            assertInstanceOf(CancelledError.class, throughInner.get(),
                    "when both expired, the inner scope must let the cancellation through (SPEC W5)");
            assertEquals(0, me().cancelling(), "every scope must withdraw its request (SPEC W5)");
            return null;
        });
    }

    /** W6: another failure after the deadline is thrown, the timeout suppressed in it. */
    @Test
    public void required_W6_theBodysOwnFailureWinsWithTheTimeoutSuppressed() {
        Loop loop = newLoop();
        run(loop, () -> {
            IllegalStateException failure = new IllegalStateException("cleanup failed");
            IllegalStateException thrown = assertThrows(IllegalStateException.class, () -> AsyncIO.timeout(Duration.ZERO, () -> {
                try {
                    return never().await();
                } catch (CancelledError e) {
                    throw failure;
                }
            }), "a body that fails after the deadline must have its own exception thrown (SPEC W6)");
            assertSame(failure, thrown, "(SPEC W6)");
            assertEquals(1, thrown.getSuppressed().length, "the timeout must be attached as suppressed (SPEC W6)");
            assertInstanceOf(TimeoutException.class, thrown.getSuppressed()[0], "(SPEC W6)");
            assertEquals(0, me().cancelling(), "(SPEC W6)");
            return null;
        });
    }

    /** W7: when(), expired() and reschedule(). */
    @Test
    public void required_W7_aScopeCanBeReadAndRescheduled() {
        Loop loop = newLoop();
        run(loop, () -> {
            AtomicReference<Timeout> kept = new AtomicReference<>();
            assertThrows(TimeoutException.class, () -> AsyncIO.timeout(Duration.ofDays(1), (Timeout s) -> {
                kept.set(s);
                assertTrue(s.when() > loop.time(), "when() must be the deadline on the loop's clock (SPEC W7)");
                s.reschedule(Long.MAX_VALUE);
                assertEquals(Long.MAX_VALUE, s.when(), "reschedule(Long.MAX_VALUE) must remove the deadline (SPEC W7)");
                AsyncIO.sleep0();
                assertFalse(s.expired(), "(SPEC W7)");
                s.reschedule(loop.time() - 1);
                try {
                    return never().await();
                } catch (CancelledError e) {
                    assertTrue(s.expired(), "a scope that cancelled its task must report expired() (SPEC W7)");
                    assertThrows(IllegalStateException.class, () -> s.reschedule(Long.MAX_VALUE),
                            "reschedule() of an expired scope must throw IllegalStateException (SPEC W7)");
                    throw e;
                }
            }), "a deadline moved into the past must cancel at the next await (SPEC W7)");
            AtomicReference<Timeout> ended = new AtomicReference<>();
            AsyncIO.timeout(Duration.ofDays(1), (Timeout s) -> {
                ended.set(s);
                return null;
            });
            assertThrows(IllegalStateException.class, () -> ended.get().reschedule(loop.time() + 1),
                    "reschedule() after the body ended must throw IllegalStateException (SPEC W7)");
            return null;
        });
    }

    /** W8: waitFor returns in time; on expiry it cancels the task and waits for its cleanup. */
    @Test
    public void required_W8_waitForCancelsOnExpiryAndWaitsForTheCleanup() {
        Loop loop = newLoop();
        List<String> log = new ArrayList<>();
        run(loop, () -> {
            assertEquals("fast", AsyncIO.waitFor(loop.createTask(() -> "fast"), Duration.ofDays(1)),
                    "waitFor must return the value of a future done in time (SPEC W8)");
            Future<String> blocker = never();
            Task<String> slow = loop.createTask(() -> {
                try {
                    return blocker.await();
                } finally {
                    log.add("cleanup started");
                    AsyncIO.sleep0();
                    AsyncIO.sleep0();
                    log.add("cleanup finished");
                }
            });
            TimeoutException te = assertThrows(TimeoutException.class, () -> AsyncIO.waitFor(slow, Duration.ofMillis(1)),
                    "waitFor must throw TimeoutException when the future is not done in time (SPEC W8)");
            assertEquals(List.of("cleanup started", "cleanup finished"), log,
                    "waitFor must wait until the cancelled task's cleanup finished (SPEC W8)");
            assertTrue(slow.isCancelled(), "waitFor must cancel the future on expiry (SPEC W8)");
            assertInstanceOf(CancelledError.class, te.getCause(), "the TimeoutException must be caused by the cancellation (SPEC W8)");
            assertEquals(0, me().cancelling(), "(SPEC W8)");
            return null;
        });
    }

    /** W9: a value the cancelled task returns during its cleanup is returned (gh-86296). */
    @Test
    public void required_W9_aValueProducedDuringTheCleanupIsReturned() {
        Loop loop = newLoop();
        run(loop, () -> {
            Future<String> blocker = never();
            Task<String> swallows = loop.createTask(() -> {
                try {
                    return blocker.await();
                } catch (CancelledError e) {
                    AsyncIO.sleep0();
                    return "produced during the cleanup";
                }
            });
            assertEquals("produced during the cleanup", AsyncIO.waitFor(swallows, Duration.ofMillis(1)),
                    "a value produced while the expired waitFor waited for the cleanup must be returned (SPEC W9)");
            assertEquals(0, me().cancelling(), "no request may stay pending (SPEC W9)");
            AsyncIO.sleep0();
            return null;
        });
    }

    /** W10: zero and negative timeouts of waitFor. */
    @Test
    public void required_W10_zeroAndNegativeTimeoutsOfWaitForAreExpired() {
        Loop loop = newLoop();
        run(loop, () -> {
            Future<String> done = loop.createFuture();
            done.setResult("already");
            assertEquals("already", AsyncIO.waitFor(done, Duration.ZERO),
                    "waitFor(done future, 0) must return its result (SPEC W10)");
            List<String> log = new ArrayList<>();
            Task<String> pending = loop.createTask(() -> {
                try {
                    return AsyncIO.currentLoop().<String>createFuture().await();
                } finally {
                    log.add("cleaned up");
                }
            });
            AsyncIO.sleep0(); // the task waits
            assertThrows(TimeoutException.class, () -> AsyncIO.waitFor(pending, Duration.ofSeconds(-1)),
                    "waitFor(pending, negative) must throw TimeoutException (SPEC W10)");
            assertTrue(pending.isCancelled(), "waitFor(pending, negative) must cancel the future (SPEC W10)");
            assertEquals(List.of("cleaned up"), log, "and wait until it is done (SPEC W10)");
            AtomicBoolean started = new AtomicBoolean();
            Coroutine<String> body = () -> {
                started.set(true);
                return "ran";
            };
            assertThrows(TimeoutException.class, () -> AsyncIO.waitFor(body, Duration.ZERO),
                    "waitFor(coroutine, 0) must throw TimeoutException (SPEC W10)");
            assertFalse(started.get(), "waitFor(coroutine, 0) must never start the coroutine (SPEC W10)");
            assertEquals(0, me().cancelling(), "(SPEC W10)");
            return null;
        });
    }

    /** W11: an outside cancel stays a cancellation, also right after the future completed (gh-86296). */
    @Test
    public void required_W11_waitForNeverSwallowsAnOutsideCancellation() {
        Loop loop = newLoop();
        run(loop, () -> {
            Future<String> inner = never();
            Task<String> waiter = loop.createTask(() -> AsyncIO.waitFor(inner, Duration.ofDays(1)));
            AsyncIO.sleep0();
            waiter.cancel("outside");
            assertThrows(CancelledError.class, waiter::await,
                    "a task cancelled in waitFor must end with CancelledError (SPEC W11)");
            assertTrue(waiter.isCancelled(), "(SPEC W11)");
            assertTrue(inner.isCancelled(), "the awaited future must be cancelled (SPEC W11)");
            Future<String> completes = never();
            Task<String> late = loop.createTask(() -> AsyncIO.waitFor(completes, Duration.ofDays(1)));
            AsyncIO.sleep0();
            completes.setResult("done");
            late.cancel("after completion"); // before the waiter resumed
            assertThrows(CancelledError.class, late::await,
                    "a cancel arriving after the future completed must not be swallowed (SPEC W11)");
            assertTrue(late.isCancelled(), "(SPEC W11)");
            return null;
        });
    }

    /** W12: bad input. */
    @Test
    public void required_W12_badInputIsRefused() {
        Loop loop = newLoop();
        Loop other = newLoop();
        Future<String> foreign = other.createFuture();
        run(loop, () -> {
            assertNpe("delay", () -> AsyncIO.timeout(null, () -> null));
            assertNpe("body", () -> AsyncIO.timeout(Duration.ofSeconds(1), (Coroutine<Object>) null));
            assertNpe("body", () -> AsyncIO.timeoutAt(0, (Timeout.Body<Object>) null));
            assertNpe("future", () -> AsyncIO.waitFor((Future<Object>) null, Duration.ofSeconds(1)));
            assertNpe("timeout", () -> AsyncIO.waitFor(loop.createFuture(), null));
            IllegalArgumentException iae = assertThrows(IllegalArgumentException.class,
                    () -> AsyncIO.waitFor(foreign, Duration.ofSeconds(1)),
                    "waitFor of another loop's future must throw IllegalArgumentException (SPEC W12)");
            assertTrue(iae.getMessage().contains("another loop"), "the message must say so (SPEC W12): " + iae);
            assertInstanceOf(IllegalStateException.class,
                    thrownInACallback(loop, () -> AsyncIO.timeout(Duration.ofSeconds(1), () -> null)),
                    "a timeout scope outside a task must throw IllegalStateException (SPEC W12)");
            return null;
        });
    }

    private static void assertNpe(String argument, org.junit.jupiter.api.function.Executable call) {
        NullPointerException e = assertThrows(NullPointerException.class, call,
                "a null " + argument + " must throw NullPointerException (SPEC W12)");
        assertTrue(String.valueOf(e.getMessage()).contains(argument),
                "the NullPointerException must name the argument '" + argument + "' (SPEC W12), was: " + e);
    }

    /** W13: a delay beyond the clock's range is no deadline, never an overflow into the past. */
    @Test
    public void required_W13_aDelayBeyondTheClockIsNoDeadline() {
        Loop loop = newLoop();
        run(loop, () -> {
            for (Duration d : List.of(Duration.ofSeconds(Long.MAX_VALUE), java.time.temporal.ChronoUnit.FOREVER.getDuration())) {
                assertEquals("in time", AsyncIO.timeout(d, (Timeout s) -> {
                    assertEquals(Long.MAX_VALUE, s.when(), "a delay of " + d + " must mean no deadline (SPEC W13)");
                    AsyncIO.sleep0();
                    return "in time";
                }), "a delay of " + d + " must not overflow into the past (SPEC W13)");
                assertEquals("waited", AsyncIO.waitFor(() -> {
                    AsyncIO.sleep0();
                    return "waited";
                }, d), "(SPEC W13)");
            }
            return null;
        });
    }

    /** W14: a failure before the deadline passes through a scope unchanged. */
    @Test
    public void required_W14_aFailureBeforeTheDeadlinePassesUnchanged() {
        Loop loop = newLoop();
        run(loop, () -> {
            IllegalStateException boom = new IllegalStateException("early");
            IllegalStateException thrown = assertThrows(IllegalStateException.class, () -> AsyncIO.timeout(Duration.ofDays(1), () -> {
                AsyncIO.sleep0();
                throw boom;
            }), "(SPEC W14)");
            assertSame(boom, thrown, "a failure before the deadline must pass through unchanged (SPEC W14)");
            assertEquals(0, thrown.getSuppressed().length, "with nothing attached (SPEC W14)");
            java.io.IOException checked = new java.io.IOException("checked");
            assertSame(checked, assertThrows(java.io.IOException.class,
                    () -> AsyncIO.waitFor(() -> { throw checked; }, Duration.ofDays(1))), "(SPEC W14)");
            return null;
        });
    }

    /** W15: waitFor(coroutine) runs the coroutine in the calling task, not in a task of its own. */
    @Test
    public void required_W15_waitForRunsACoroutineInTheCallingTask() {
        Loop loop = newLoop();
        run(loop, () -> {
            Task<?> caller = me();
            assertSame(caller, AsyncIO.waitFor(() -> me(), Duration.ofDays(1)),
                    "waitFor(coroutine) must run the coroutine in the calling task (SPEC W15)");
            return null;
        });
    }

    /** W16: a body that runs past its deadline without awaiting is cancelled at its next await. */
    @Test
    public void required_W16_aBusyBodyIsCancelledAtItsNextAwait() {
        Loop loop = newLoop();
        run(loop, () -> {
            List<String> log = new ArrayList<>();
            assertThrows(TimeoutException.class, () -> AsyncIO.timeout(Duration.ofMillis(1), (Timeout s) -> {
                long deadline = s.when();
                while (loop.time() <= deadline) {
                    Thread.onSpinWait(); // busy past the deadline: the loop cannot run the timer meanwhile
                }
                log.add("busy part done");
                AsyncIO.sleep0(); // the step queued before the due timer runs first, as in asyncio
                log.add("after the first await");
                AsyncIO.sleep0();
                log.add("after the second await");
                return null;
            }), "a deadline that passed while the body was busy must cancel it at an await once its timer ran (SPEC W16)");
            assertFalse(log.contains("after the second await"),
                    "the timer runs in the first iteration after the deadline: the cancellation must arrive by the "
                            + "second await (SPEC W16): " + log);
            return null;
        });
    }

    /** W17: moving the deadline later lets the body run past the original one. */
    @Test
    public void required_W17_aDeadlineMovedLaterLetsTheBodyRunOn() {
        Loop loop = newLoop();
        run(loop, () -> {
            assertEquals("ran past the first deadline", AsyncIO.timeout(Duration.ofMillis(1), (Timeout s) -> {
                long first = s.when();
                s.reschedule(first + Duration.ofDays(1).toNanos());
                while (loop.time() <= first) {
                    AsyncIO.sleep0(); // past the first deadline, awaiting all along
                }
                assertFalse(s.expired(), "(SPEC W17)");
                return "ran past the first deadline";
            }), "a deadline moved later must not fire at the first one (SPEC W17)");
            return null;
        });
    }

    /** W18: timeoutAt(Long.MAX_VALUE) is no deadline. */
    @Test
    public void required_W18_timeoutAtMaxValueIsNoDeadline() {
        Loop loop = newLoop();
        run(loop, () -> {
            assertEquals("no deadline", AsyncIO.timeoutAt(Long.MAX_VALUE, (Timeout s) -> {
                assertEquals(Long.MAX_VALUE, s.when(), "(SPEC W18)");
                AsyncIO.sleep(Duration.ofMillis(2));
                assertFalse(s.expired(), "(SPEC W18)");
                return "no deadline";
            }), "timeoutAt(Long.MAX_VALUE) must never cancel (SPEC W18)");
            return null;
        });
    }
}
