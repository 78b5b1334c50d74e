package dev.aio4j.tck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.aio4j.AsyncIO;
import dev.aio4j.CancelledError;
import dev.aio4j.Future;
import dev.aio4j.Task;
import dev.aio4j.InvalidStateException;
import dev.aio4j.Loop;
import dev.aio4j.LoopOptions;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * SPEC.md section F: futures.
 *
 * <p>If a test here fails, check the future's state machine (PENDING to one
 * of RESULT, EXCEPTION, CANCELLED, once), that completion only <em>queues</em>
 * the done callbacks, and that {@code await()} of a done future returns
 * without giving up the loop.
 */
public abstract class FutureVerification extends AbstractVerification {
    /** For a backend's subclass, which names its provider. */
    protected FutureVerification() {}


    @Override
    protected String area() {
        return "Futures";
    }

    /** Fails unless {@code e}'s message mentions one of {@code words} (case-insensitive). */
    static void assertMentions(Throwable e, String what, String... words) {
        String m = e.getMessage() == null ? "" : e.getMessage().toLowerCase(Locale.ROOT);
        for (String w : words) {
            if (m.contains(w.toLowerCase(Locale.ROOT))) {
                return;
            }
        }
        fail(what + ": the message must name the problem (one of " + List.of(words) + "), was: " + e);
    }

    /** F1: a done future cannot be completed again. */
    @Test
    public void required_F1_futureCompletesOnlyOnce() {
        Loop loop = newLoop();
        Future<String> withResult = loop.createFuture();
        withResult.setResult("first");
        InvalidStateException e = assertThrows(InvalidStateException.class, () -> withResult.setResult("second"),
                "setResult on a future that has a result must throw InvalidStateException (SPEC F1)");
        assertMentions(e, "setResult twice (SPEC F1)", "done", "finished", "already");
        assertThrows(InvalidStateException.class, () -> withResult.setException(new IOException("late")),
                "setException on a future that has a result must throw InvalidStateException (SPEC F1)");
        assertEquals("first", withResult.result(), "a rejected second completion must not change the result (SPEC F1)");

        Future<String> failed = loop.createFuture();
        IOException first = new IOException("first");
        failed.setException(first);
        assertThrows(InvalidStateException.class, () -> failed.setResult("late"),
                "setResult on a failed future must throw InvalidStateException (SPEC F1)");
        assertSame(first, failed.exception(), "a rejected second completion must not change the exception (SPEC F1)");

        Future<String> cancelled = loop.createFuture();
        assertTrue(cancelled.cancel(), "cancel of a pending future must return true (SPEC F3)");
        e = assertThrows(InvalidStateException.class, () -> cancelled.setResult("late"),
                "setResult on a cancelled future must throw InvalidStateException (SPEC F1)");
        assertMentions(e, "setResult after cancel (SPEC F1)", "done", "cancel", "already");
        assertThrows(InvalidStateException.class, () -> cancelled.setException(new IOException("late")),
                "setException on a cancelled future must throw InvalidStateException (SPEC F1)");
        assertTrue(cancelled.isCancelled(), "a rejected completion must leave the future cancelled (SPEC F1)");
    }

    /** F2: the outcome of a pending future cannot be read. */
    @Test
    public void required_F2_resultAndExceptionOfPendingFutureThrowInvalidState() {
        Loop loop = newLoop();
        Future<String> f = loop.createFuture();
        assertFalse(f.isDone(), "a new future must be pending (SPEC F2)");
        InvalidStateException e = assertThrows(InvalidStateException.class, f::result,
                "result() of a pending future must throw InvalidStateException (SPEC F2)");
        assertMentions(e, "result() while pending (SPEC F2)", "pending", "not ready", "not done");
        e = assertThrows(InvalidStateException.class, f::exception,
                "exception() of a pending future must throw InvalidStateException (SPEC F2)");
        assertMentions(e, "exception() while pending (SPEC F2)", "pending", "not set", "not done");
        assertFalse(f.isDone(), "reading a pending future must not change its state (SPEC F2)");
    }

    /** F3: cancel() cancels and returns true only if the future is pending. */
    @Test
    public void required_F3_cancelSucceedsOnlyOnPendingFuture() {
        Loop loop = newLoop();
        Future<String> f = loop.createFuture();
        assertTrue(f.cancel("stop"), "cancel() of a pending future must return true (SPEC F3)");
        assertTrue(f.isCancelled() && f.isDone(), "a cancelled future must be cancelled and done (SPEC F3)");
        assertFalse(f.cancel("again"), "cancel() of a cancelled future must return false (SPEC F3)");

        Future<String> done = loop.createFuture();
        done.setResult("value");
        assertFalse(done.cancel(), "cancel() of a future with a result must return false (SPEC F3)");
        assertFalse(done.isCancelled(), "cancel() of a done future must not cancel it (SPEC F3)");
        assertEquals("value", done.result(), "cancel() of a done future must keep its result (SPEC F3)");

        Future<String> failed = loop.createFuture();
        IOException x = new IOException("boom");
        failed.setException(x);
        assertFalse(failed.cancel(), "cancel() of a failed future must return false (SPEC F3)");
        assertSame(x, failed.exception(), "cancel() of a failed future must keep its exception (SPEC F3)");
    }

    /** F4: a cancelled future throws CancellationException carrying the cancel message. */
    @Test
    public void required_F4_cancelledFutureThrowsCancellationWithMessage() {
        Loop loop = newLoop();
        Future<String> f = loop.createFuture();
        f.cancel("shutting down");
        CancellationException e = assertThrows(CancellationException.class, f::result,
                "result() of a cancelled future must throw CancellationException (SPEC F4)");
        assertEquals("shutting down", e.getMessage(), "the CancellationException must carry the cancel message (SPEC F4)");
        e = assertThrows(CancellationException.class, f::exception,
                "exception() of a cancelled future must throw CancellationException (SPEC F4)");
        assertEquals("shutting down", e.getMessage(), "the CancellationException must carry the cancel message (SPEC F4)");
        String awaited = run(loop, () -> {
            try {
                f.await();
                return "await returned";
            } catch (CancelledError c) {
                return c.getMessage();
            }
        });
        assertEquals("shutting down", awaited,
                "await() of a cancelled future must throw CancelledError with the cancel message (SPEC F4)");

        Future<String> silent = loop.createFuture();
        silent.cancel();
        assertNull(assertThrows(CancellationException.class, silent::result).getMessage(),
                "cancel() without a message must give a CancellationException without one (SPEC F4)");

        // A task whose body let the cancellation out: result() says where, through the cause.
        Task<String> t = loop.createTask(() -> loop.<String>createFuture().await(), "tck-f4");
        runOnce(loop);
        t.cancel("tck-f4 stop");
        runOnce(loop);
        CancellationException fromTask = assertThrows(CancellationException.class, t::result,
                "result() of a cancelled task must throw CancellationException (SPEC F4)");
        assertEquals("tck-f4 stop", fromTask.getMessage(), "SPEC F4");
        assertTrue(fromTask.getCause() instanceof CancelledError,
                "result() of a task whose body let a cancellation out must give that cancellation as the cause, so "
                        + "that the stack trace shows where the task was cancelled; was " + fromTask.getCause() + " (SPEC F4)");
    }

    /** F5: completing a future queues its done callbacks in registration order, never inline. */
    @Test
    public void required_F5_doneCallbacksAreQueuedInRegistrationOrderNeverInline() {
        Loop loop = newLoop();
        List<String> seen = new ArrayList<>();
        List<Future<String>> futures = List.of(loop.createFuture(), loop.createFuture(), loop.createFuture());
        for (Future<String> f : futures) {
            for (String name : List.of("cb1", "cb2", "cb3")) {
                f.addDoneCallback(x -> {
                    assertSame(f, x, "a done callback must receive its own future (SPEC F5)");
                    seen.add(name);
                });
            }
        }
        loop.callSoon(() -> seen.add("before"));
        futures.get(0).setResult("r");
        assertEquals(List.of(), seen, "setResult must not run done callbacks inline (SPEC F5)");
        loop.callSoon(() -> seen.add("after"));
        runOnce(loop);
        assertEquals(List.of("before", "cb1", "cb2", "cb3", "after"), seen,
                "completion must queue the done callbacks in registration order, behind work queued earlier and "
                        + "ahead of work queued after it (SPEC F5)");

        seen.clear();
        futures.get(1).setException(new IOException("x"));
        futures.get(2).cancel();
        assertEquals(List.of(), seen, "setException and cancel must not run done callbacks inline (SPEC F5)");
        runOnce(loop);
        assertEquals(List.of("cb1", "cb2", "cb3", "cb1", "cb2", "cb3"), seen,
                "setException and cancel must queue the done callbacks in registration order (SPEC F5)");
        futures.get(1).exception(); // retrieved: nothing to report at close
    }

    /** F6: a callback added to a done future is queued at once, not run inline. */
    @Test
    public void required_F6_callbackAddedToDoneFutureIsScheduled() {
        Loop loop = newLoop();
        List<String> seen = new ArrayList<>();
        Future<String> f = loop.createFuture();
        f.setResult("r");
        loop.callSoon(() -> seen.add("a"));
        f.addDoneCallback(x -> seen.add("cb:" + x.result()));
        assertEquals(List.of(), seen, "adding a callback to a done future must not run it inline (SPEC F6)");
        loop.callSoon(() -> seen.add("b"));
        runOnce(loop);
        assertEquals(List.of("a", "cb:r", "b"), seen,
                "a callback added to a done future must be queued like callSoon, at the moment it is added (SPEC F6)");
    }

    /** F7: removeDoneCallback removes every pending registration and counts them. */
    @Test
    public void required_F7_removeDoneCallbackCountsRemovedRegistrations() {
        Loop loop = newLoop();
        List<String> seen = new ArrayList<>();
        Future<String> f = loop.createFuture();
        Consumer<Future<String>> one = x -> seen.add("one");
        Consumer<Future<String>> two = x -> seen.add("two");
        Consumer<Future<String>> stranger = x -> seen.add("stranger");
        Future<String> single = loop.createFuture(); // one registration, held apart from a list
        single.addDoneCallback(one);
        assertEquals(0, single.removeDoneCallback(stranger),
                "removing a callback never added must return 0 and remove nothing (SPEC F7)");
        assertEquals(1, single.removeDoneCallback(one), "removing the only registration must return 1 (SPEC F7)");
        single.setResult("s");
        runOnce(loop);
        assertEquals(List.of(), seen, "a removed callback must not run (SPEC F7)");
        f.addDoneCallback(one);
        f.addDoneCallback(two);
        f.addDoneCallback(one);
        assertEquals(2, f.removeDoneCallback(one),
                "removeDoneCallback must remove every registration of the callback and return how many (SPEC F7)");
        assertEquals(0, f.removeDoneCallback(one), "a second removal must find nothing (SPEC F7)");
        assertEquals(0, f.removeDoneCallback(stranger), "removing a callback never added must return 0 (SPEC F7)");
        f.setResult("r");
        assertEquals(0, f.removeDoneCallback(two),
                "after completion the callbacks are queued and removeDoneCallback must return 0 (SPEC F7)");
        runOnce(loop);
        assertEquals(List.of("two"), seen, "only the callback not removed must run (SPEC F7)");
    }

    /** F8: exception() returns the exact exception and result()/await() rethrow that same object, checked or not. */
    @Test
    public void required_F8_resultRethrowsTheExactException() {
        Loop loop = newLoop();
        Future<String> f = loop.createFuture();
        IOException checked = new IOException("disk on fire");
        f.setException(checked);
        assertSame(checked, f.exception(), "exception() must return the very exception given to setException (SPEC F8)");
        IOException thrown = assertThrows(IOException.class, f::result,
                "result() must rethrow the checked exception itself, not a wrapper (SPEC F8)");
        assertSame(checked, thrown, "result() must rethrow the same exception object (SPEC F8)");

        Future<String> g = loop.createFuture();
        IllegalArgumentException unchecked = new IllegalArgumentException("bad");
        g.setException(unchecked);
        Throwable awaited = run(loop, () -> {
            try {
                g.await();
                return null;
            } catch (Throwable t) {
                return t;
            }
        });
        assertSame(unchecked, awaited, "await() must rethrow the same exception object (SPEC F8)");

        Future<String> ok = loop.createFuture();
        ok.setResult("fine");
        assertNull(ok.exception(), "exception() of a future with a result must be null (SPEC F8)");
    }

    /** F9: awaiting a done future returns without letting anything else run. */
    @Test
    public void required_F9_awaitingDoneFutureDoesNotSuspend() {
        Loop loop = newLoop();
        List<String> seen = run(loop, () -> {
            List<String> log = new ArrayList<>();
            Future<String> done = loop.createFuture();
            done.setResult("r");
            Future<String> failed = loop.createFuture();
            IOException x = new IOException("x");
            failed.setException(x);
            loop.callSoon(() -> log.add("callback"));
            AsyncIO.createTask(() -> log.add("task"));
            log.add("await:" + done.await());
            try {
                failed.await();
            } catch (Exception e) {
                log.add("threw:" + (e == x));
            }
            log.add("await again:" + done.await());
            log.add("end of step");
            return List.copyOf(log); // the callback and the task add to log later
        });
        assertEquals(List.of("await:r", "threw:true", "await again:r", "end of step"), seen,
                "await() of a done future must return (or throw) at once without suspending: no queued callback or "
                        + "task may run in between (SPEC F9)");
    }

    /** F10: a task cannot await a future of another loop. */
    @Test
    public void required_F10_futureOfAnotherLoopCannotBeAwaited() {
        Loop loop = newLoop();
        Loop other = newLoop(LoopOptions.defaults().withName("tck-other-loop"));
        Future<String> foreign = other.createFuture();
        IllegalStateException e = run(loop, () -> {
            try {
                foreign.await();
                return null;
            } catch (IllegalStateException ise) {
                return ise;
            }
        });
        assertTrue(e != null, "awaiting a future of another loop must throw IllegalStateException (SPEC F10)");
        assertMentions(e, "await of a foreign future (SPEC F10)", "tck-other-loop");
        assertFalse(foreign.isDone(), "the foreign future must be left alone (SPEC F10)");
    }

    /** F11: bad input to a future is rejected and leaves it pending. */
    @Test
    public void required_F11_badInputIsRejected() {
        Loop loop = newLoop();
        Future<String> f = loop.createFuture();
        assertThrows(NullPointerException.class, () -> f.setException(null),
                "setException(null) must throw NullPointerException (SPEC F11)");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> f.setException(new CancellationException("no")),
                "setException(CancellationException) must throw IllegalArgumentException: cancel() cancels (SPEC F11)");
        assertMentions(e, "setException(CancellationException) (SPEC F11)", "cancel");
        assertThrows(NullPointerException.class, () -> f.addDoneCallback(null),
                "addDoneCallback(null) must throw NullPointerException (SPEC F11)");
        assertThrows(NullPointerException.class, () -> f.removeDoneCallback(null),
                "removeDoneCallback(null) must throw NullPointerException (SPEC F11)");
        assertFalse(f.isDone(), "rejected input must leave the future pending (SPEC F11)");
        f.setResult(null);
        assertNull(f.result(), "null is a valid result (SPEC F11)");
    }

    /**
     * F12: the CompletableFuture view completes with the future's outcome.
     *
     * @throws Exception an unexpected failure, which fails the test
     */
    @Test
    public void required_F12_completableFutureViewCompletesWithTheOutcome() throws Exception {
        Loop loop = newLoop();
        IOException x = new IOException("x");
        List<Future<String>> fs = run(loop, () -> {
            Future<String> ok = loop.createFuture();
            Future<String> failed = loop.createFuture();
            Future<String> cancelled = loop.createFuture();
            ok.toCompletableFuture(); // a view taken while pending must complete later
            failed.toCompletableFuture();
            cancelled.toCompletableFuture();
            ok.setResult("value");
            failed.setException(x);
            cancelled.cancel("enough");
            return List.of(ok, failed, cancelled);
        });
        long ms = env.timeout().toMillis();
        assertEquals("value", fs.get(0).toCompletableFuture().get(ms, TimeUnit.MILLISECONDS),
                "the view must complete with the future's result (SPEC F12)");
        ExecutionException ee = assertThrows(ExecutionException.class,
                () -> fs.get(1).toCompletableFuture().get(ms, TimeUnit.MILLISECONDS),
                "the view of a failed future must complete exceptionally (SPEC F12)");
        assertSame(x, ee.getCause(), "the view must fail with the future's own exception (SPEC F12)");
        CompletableFuture<String> cv = fs.get(2).toCompletableFuture();
        assertTrue(cv.isCancelled(), "the view of a cancelled future must be cancelled (SPEC F12)");
        assertThrows(CancellationException.class, () -> cv.get(ms, TimeUnit.MILLISECONDS),
                "get() of the view of a cancelled future must throw CancellationException (SPEC F12)");
        // get() may wrap the stored exception (JDK 23+ does); the stage's own exception is what completed it.
        Throwable stored = cv.handle((r, t) -> t).getNow(null);
        assertTrue(stored instanceof CancellationException,
                "the view must be completed with a CancellationException, was " + stored + " (SPEC F12)");
        assertEquals("enough", stored.getMessage(), "the view's CancellationException must carry the cancel message (SPEC F12)");
        Future<String> late = loop.createFuture();
        late.setResult("done before");
        assertTrue(late.toCompletableFuture().isDone(), "a view taken of a done future must be done at once (SPEC F12)");
        fs.get(1).exception();
    }

    /** F13: cancelling the view, from any thread, cancels the future. */
    @Test
    public void required_F13_cancellingTheViewCancelsTheFuture() {
        Loop loop = newLoop();
        boolean[] cancelledAtAwait = new boolean[1];
        Future<String> f = run(loop, () -> {
            Future<String> fut = loop.createFuture();
            CompletableFuture<String> view = fut.toCompletableFuture();
            Thread.ofPlatform().name("tck-view-canceller").start(() -> view.cancel(false));
            try {
                fut.await();
            } catch (CancelledError expected) {
                cancelledAtAwait[0] = true;
            }
            return fut;
        });
        assertTrue(cancelledAtAwait[0], "cancelling the view from another thread must cancel the future, waking its awaiter "
                + "with CancelledError (SPEC F13)");
        assertTrue(f.isCancelled(), "cancelling the view must leave the future cancelled (SPEC F13)");
    }

    /**
     * F15: await(type) behaves as await() but declares the checked type, so a
     * catch of it (or of a subclass) compiles; other failures pass unchanged.
     */
    @Test
    public void required_F15_awaitDeclaresACheckedExceptionForATypedCatch() {
        Loop loop = newLoop();
        java.io.EOFException eof = new java.io.EOFException("short read");
        run(loop, () -> {
            Future<String> failing = loop.createFuture();
            failing.setException(eof);
            Object caught;
            try {
                failing.await(IOException.class);
                caught = "no exception";
            } catch (java.io.EOFException e) { // compiles only because await(IOException.class) declares it
                caught = e;
            } catch (IOException e) {
                caught = "caught as IOException: " + e;
            }
            assertSame(eof, caught, "await(IOException.class) must throw the future's very exception, catchable by its "
                    + "own type (SPEC F15)");
            Future<String> fine = loop.createFuture();
            fine.setResult("data");
            assertEquals("data", fine.await(IOException.class), "await(type) must return the result as await() does (SPEC F15)");
            Future<String> other = loop.createFuture();
            IllegalStateException ise = new IllegalStateException("not an I/O failure");
            other.setException(ise);
            assertSame(ise, assertThrows(IllegalStateException.class, () -> other.await(IOException.class)),
                    "a failure of another type must pass through await(type) unchanged (SPEC F15)");
            Future<String> undeclared = loop.createFuture();
            java.util.concurrent.TimeoutException te = new java.util.concurrent.TimeoutException("late");
            undeclared.setException(te);
            assertSame(te, assertThrows(java.util.concurrent.TimeoutException.class, () -> undeclared.await(IOException.class)),
                    "a checked failure of an undeclared type must pass through await(type) unchanged (SPEC F15)");
            NullPointerException npe = assertThrows(NullPointerException.class, () -> fine.await(null),
                    "await(null) must throw NullPointerException (SPEC F15)");
            assertMentions(npe, "await(null) (SPEC F15)", "type");
            return null;
        });
    }

    /** F14: await points work only inside a task. */
    @Test
    public void required_F14_awaitOutsideATaskThrowsIllegalState() {
        Loop loop = newLoop();
        Future<String> pending = loop.createFuture();
        List<Throwable> inCallback = new ArrayList<>();
        loop.callSoon(() -> {
            try {
                pending.await();
                inCallback.add(null);
            } catch (Throwable t) {
                inCallback.add(t);
            }
            try {
                AsyncIO.sleep0();
                inCallback.add(null);
            } catch (Throwable t) {
                inCallback.add(t);
            }
        });
        runOnce(loop);
        assertEquals(2, inCallback.size(), "the callback must have run (SPEC F14)");
        for (Throwable t : inCallback) {
            assertTrue(t instanceof IllegalStateException,
                    "await()/sleep0() in a callback must throw IllegalStateException, got " + t + " (SPEC F14)");
            assertMentions(t, "await in a callback (SPEC F14)", "task");
        }
        IllegalStateException e = assertThrows(IllegalStateException.class, pending::await,
                "await() on a thread that runs no loop must throw IllegalStateException (SPEC F14)");
        assertMentions(e, "await on a plain thread (SPEC F14)", "task", "loop");
        assertThrows(IllegalStateException.class, AsyncIO::sleep0,
                "sleep0() on a thread that runs no loop must throw IllegalStateException (SPEC F14)");
        assertFalse(pending.isDone(), "a refused await must leave the future pending (SPEC F14)");
    }

    /** F16: await(type) of a cancelled future throws CancelledError, which a catch of the declared type does not catch. */
    @Test
    public void required_F16_awaitOfACancelledFutureWithATypeStillThrowsCancelledError() {
        Loop loop = newLoop();
        String seen = run(loop, () -> {
            Future<String> f = loop.createFuture();
            f.cancel("gone");
            try {
                f.await(IOException.class);
                return "returned";
            } catch (IOException e) {
                return "caught as IOException";
            } catch (CancelledError e) {
                return "cancelled: " + e.getMessage();
            }
        });
        assertEquals("cancelled: gone", seen, "await(type) of a cancelled future must throw CancelledError (SPEC F16)");
    }

    /** F17: a future's text tells its state; a task's also its name. */
    @Test
    public void required_F17_aFuturesTextTellsItsState() {
        Loop loop = newLoop();
        Future<String> f = loop.createFuture();
        assertTrue(f.toString().contains("pending"), "a pending future's toString must say 'pending', was: " + f + " (SPEC F17)");
        f.setResult("r");
        assertTrue(f.toString().contains("finished"), "a future with a result must say 'finished', was: " + f + " (SPEC F17)");
        Future<String> failed = loop.createFuture();
        failed.setException(new IllegalStateException("tck-f17 boom"));
        assertTrue(failed.toString().contains("finished") && failed.toString().contains("tck-f17 boom"),
                "a failed future must say 'finished' and show its exception, was: " + failed + " (SPEC F17)");
        failed.exception(); // retrieved: not reported at close
        Future<String> cancelled = loop.createFuture();
        cancelled.cancel();
        assertTrue(cancelled.toString().contains("cancelled"), "a cancelled future must say 'cancelled', was: "
                + cancelled + " (SPEC F17)");
        Task<String> t = loop.createTask(() -> "done", "tck-f17-task");
        assertTrue(t.toString().contains("tck-f17-task") && t.toString().contains("pending"),
                "a task's toString must name it and say 'pending' before it ran, was: " + t + " (SPEC F17)");
        runOnce(loop);
        assertTrue(t.toString().contains("tck-f17-task") && t.toString().contains("finished"),
                "a task's toString must name it and say 'finished' once done, was: " + t + " (SPEC F17)");
    }

    /** F18: createFuture(onCancel) leaves a pending future's cancellation to its creator. */
    @Test
    public void required_F18_aFutureCanLeaveItsCancellationToItsCreator() {
        Loop loop = newLoop();
        List<String> asked = new ArrayList<>();
        boolean[] takeOver = {true};
        Future<String> f = loop.createFuture(message -> {
            asked.add(message);
            return takeOver[0];
        });
        assertTrue(f.cancel("first"), "cancel() taken over by onCancel must return true (SPEC F18)");
        assertEquals(List.of("first"), asked, "cancel() of a pending future must call onCancel with its message (SPEC F18)");
        assertFalse(f.isDone(), "a future whose onCancel took the request over must stay pending (SPEC F18)");
        f.setResult("ended by its creator");
        assertFalse(f.cancel("late"), "cancel() of a done future must return false (SPEC F18)");
        assertEquals(List.of("first"), asked, "cancel() of a done future must not call onCancel (SPEC F18)");

        takeOver[0] = false;
        Future<String> g = loop.createFuture(message -> {
            asked.add(message);
            return takeOver[0];
        });
        assertTrue(g.cancel("second"), "cancel() that onCancel lets through must return true (SPEC F18)");
        assertTrue(g.isCancelled(), "cancel() that onCancel lets through must cancel the future at once (SPEC F18)");

        // A task cancelled while it awaits such a future asks onCancel, and ends when the creator ends the future.
        boolean[] hTakesOver = {true};
        Future<String> h = loop.createFuture(message -> {
            asked.add("h:" + message);
            return hTakesOver[0];
        });
        Task<String> waiter = loop.createTask(h::await);
        runOnce(loop);
        waiter.cancel("stop waiting");
        runOnce(loop);
        assertTrue(asked.contains("h:stop waiting"), "a task cancelled in await must cancel the awaited future through "
                + "onCancel, was: " + asked + " (SPEC F18)");
        assertFalse(h.isDone() || waiter.isDone(), "the task must wait while the creator keeps the future pending (SPEC F18)");
        hTakesOver[0] = false;
        assertTrue(h.cancel("ended by its creator"), "cancel() that onCancel lets through must return true (SPEC F18)");
        runOnce(loop);
        assertTrue(waiter.isCancelled(), "a task awaiting a future its creator cancelled must end cancelled (SPEC F18)");

        NullPointerException npe = assertThrows(NullPointerException.class, () -> loop.createFuture(null),
                "createFuture(null) (SPEC F18)");
        assertMentions(npe, "createFuture(null)", "onCancel");
    }
}
