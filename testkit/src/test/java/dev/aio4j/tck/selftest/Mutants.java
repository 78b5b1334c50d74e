package dev.aio4j.tck.selftest;

import dev.aio4j.AsyncIO;
import dev.aio4j.ErrorContext;
import dev.aio4j.Future;
import dev.aio4j.LoopOptions;
import dev.aio4j.Task;
import dev.aio4j.net.Listener;
import dev.aio4j.net.Protocol;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The catalogue of mutants: each a {@link ReferenceLoop} with one defect,
 * planted through one of the engine's extension points, and the TCK test
 * that must catch it. testkit/README.md lists the same table; the self-test
 * checks that it does.
 */
final class Mutants {
    private Mutants() {}

    /** A hang is caught by the TCK's watchdog (AbstractVerification.onLoopThread) as a failure of the test. */
    private static final String WATCHDOG = "did not finish within";

    static final List<Mutant> ALL = List.of(
            new Mutant("lifo-callbacks", "callbacks run last in, first out",
                    "required_S1_callSoonRunsCallbacksInFifoOrder", "in the order callSoon was called", FrontOfQueue.callbacks()),
            new Mutant("timers-jump-queue", "due timers jump ahead of callbacks already ready",
                    "required_S5_dueTimerRunsAfterCallbacksAlreadyReady", "back of the ready queue", FrontOfQueue.timers()),
            new Mutant("equal-deadlines-reversed", "timers with equal deadlines fire in reverse scheduling order",
                    "required_S7_equalDeadlinesFireInSchedulingOrder", "in the order they were scheduled", EqualDeadlinesReversed::new),
            new Mutant("closed-loop-accepts-work", "a closed loop accepts callbacks and tasks",
                    "required_L12_closedLoopRefusesWork", "on a closed loop (SPEC L12)", ClosedLoopAcceptsWork::new),
            new Mutant("inline-done-callbacks", "done callbacks run inline inside setResult",
                    "required_F5_doneCallbacksAreQueuedInRegistrationOrderNeverInline", "must not run done callbacks inline",
                    InlineDoneCallbacks::new),
            new Mutant("lifo-done-callbacks", "done callbacks queued last in, first out",
                    "required_F5_doneCallbacksAreQueuedInRegistrationOrderNeverInline", "registration order",
                    FrontOfQueue.doneCallbacks()),
            new Mutant("await-exception-wrapped", "await() wraps the future's exception",
                    "required_F8_resultRethrowsTheExactException", "await() must rethrow the same exception",
                    AwaitExceptionWrapped::new),
            new Mutant("await-done-suspends", "awaiting a done future suspends the task",
                    "required_F9_awaitingDoneFutureDoesNotSuspend", "without suspending", AwaitDoneSuspends::new),
            new Mutant("tasks-start-reversed", "task steps jump ahead of the ready queue",
                    "required_T1_tasksStartLazilyInCreationOrder", "in creation order", FrontOfQueue.taskSteps()),
            new Mutant("cancellation-swallowed", "a cancelled task resumes normally at its await",
                    "required_C3_cancelWhileSuspendedCancelsTheAwaitedFuture", "must throw CancellationException",
                    CancellationSwallowed::new),
            new Mutant("cancel-message-lost", "the cancel message is lost at the await",
                    "required_C11_cancelMessagePropagatesToAwaiters", "must carry the cancel message", CancelMessageLost::new),
            new Mutant("cancelled-waiter-never-woken", "the wake-up of a cancelled waiting task is lost",
                    "required_C3_cancelWhileSuspendedCancelsTheAwaitedFuture", WATCHDOG, CancelledWaiterNeverWoken::new),
            new Mutant("bridge-result-on-worker", "runInExecutor delivers its result on the worker thread",
                    "required_X1_resultIsDeliveredOnTheLoop", WATCHDOG, BridgeResultOnWorker::new),
            new Mutant("threadsafe-no-wakeup", "callSoonThreadsafe does not wake an idle loop",
                    "required_H2_callSoonThreadsafeWakesAnIdleLoop", "must wake", ThreadsafeNoWakeup::new),
            new Mutant("callbacks-overlap", "two callbacks run at once, on two threads",
                    "required_H11_callbacksRunOneAtATimeOnTheLoop", "one at a time, on the loop", CallbacksOverlap::new),
            new Mutant("callback-exception-swallowed", "an exception thrown by a callback never reaches the handler",
                    "required_E1_callbackExceptionReachesTheHandlerAndTheLoopGoesOn", "must reach the exception handler",
                    CallbackExceptionSwallowed::new),
            new Mutant("unretrieved-exception-unreported", "close() does not report a never-retrieved exception",
                    "required_E4_unretrievedExceptionIsReportedAtClose", "never retrieved", UnretrievedUnreported::new),
            new Mutant("pending-tasks-unreported", "close() does not report tasks still pending",
                    "required_E5_pendingTasksAreReportedAtCloseAndTheirThreadsEnd", "still pending", PendingTasksUnreported::new),
            new Mutant("sockets-half-work", "without REAL_SOCKETS, createServer returns a failed future instead of refusing",
                    "required_N1_socketsWorkOrFailCleanlyWithoutRealSockets", "must throw UnsupportedOperationException",
                    SocketsHalfWork::new));

    // ------------------------------------------------------------------ the ready queue

    /**
     * Units of one cause go to the front of the ready queue instead of the
     * back: callbacks run LIFO, due timers jump ahead of ready callbacks, done
     * callbacks reverse, or task steps jump the queue, depending on the cause.
     */
    static final class FrontOfQueue extends ReferenceLoop {
        private final ReadyCause cause;

        FrontOfQueue(LoopOptions o, String n, ReadyCause cause) {
            super(o, n);
            this.cause = cause;
        }

        // Factories here: ReadyCause is protected, visible only inside subclasses of the engine.
        static BiFunction<LoopOptions, String, FrontOfQueue> callbacks() {
            return (o, n) -> new FrontOfQueue(o, n, ReadyCause.CALL_SOON);
        }

        static BiFunction<LoopOptions, String, FrontOfQueue> timers() {
            return (o, n) -> new FrontOfQueue(o, n, ReadyCause.TIMER);
        }

        static BiFunction<LoopOptions, String, FrontOfQueue> doneCallbacks() {
            return (o, n) -> new FrontOfQueue(o, n, ReadyCause.DONE_CALLBACK);
        }

        static BiFunction<LoopOptions, String, FrontOfQueue> taskSteps() {
            return (o, n) -> new FrontOfQueue(o, n, ReadyCause.TASK_STEP);
        }

        @Override
        protected void enqueueReady(ArrayDeque<Object> ready, Object unit, ReadyCause c) {
            if (c == cause) {
                ready.addFirst(unit);
            } else {
                super.enqueueReady(ready, unit, c);
            }
        }
    }

    /** A task woken because it was cancelled while waiting is never resumed. */
    static final class CancelledWaiterNeverWoken extends ReferenceLoop {
        CancelledWaiterNeverWoken(LoopOptions o, String n) {
            super(o, n);
        }

        @Override
        protected void enqueueReady(ArrayDeque<Object> ready, Object unit, ReadyCause cause) {
            if (cause == ReadyCause.TASK_STEP && unit instanceof Task<?> t && t.cancelling() > 0) {
                return; // the wake-up is lost
            }
            super.enqueueReady(ready, unit, cause);
        }
    }

    // ------------------------------------------------------------------ timers

    /** Equal deadlines are ordered last scheduled, first fired. */
    static final class EqualDeadlinesReversed extends ReferenceLoop {
        EqualDeadlinesReversed(LoopOptions o, String n) {
            super(o, n);
        }

        @Override
        protected long timerTieBreaker(long sequence) {
            return -sequence;
        }
    }

    // ------------------------------------------------------------------ callbacks

    /** Done callbacks run inside setResult/setException/cancel. */
    static final class InlineDoneCallbacks extends ReferenceLoop {
        InlineDoneCallbacks(LoopOptions o, String n) {
            super(o, n);
        }

        @Override
        protected <T> void scheduleDoneCallback(Future<T> future, Consumer<? super Future<T>> callback) {
            callback.accept(future);
        }
    }

    /** Each callback runs on a thread of its own while the loop goes on to the next one. */
    static final class CallbacksOverlap extends ReferenceLoop {
        private Thread previous;

        CallbacksOverlap(LoopOptions o, String n) {
            super(o, n);
        }

        @Override
        protected void invokeCallback(Runnable fn) {
            Thread p = previous;
            previous = Thread.ofPlatform().daemon().name("mutant-callback").start(fn);
            if (p != null) {
                try {
                    p.join(); // at most two at once: this one and the loop's next
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    /** Exceptions thrown by callbacks are dropped. */
    static final class CallbackExceptionSwallowed extends ReferenceLoop {
        CallbackExceptionSwallowed(LoopOptions o, String n) {
            super(o, n);
        }

        @Override
        protected void invokeCallback(Runnable fn) {
            try {
                fn.run();
            } catch (RuntimeException e) {
                // swallowed
            }
        }
    }

    // ------------------------------------------------------------------ await

    /** Awaiting a done future yields one iteration first. */
    static final class AwaitDoneSuspends extends ReferenceLoop {
        AwaitDoneSuspends(LoopOptions o, String n) {
            super(o, n);
        }

        @Override
        protected <T> T awaitFuture(Future<T> future) {
            if (future.isDone()) {
                AsyncIO.sleep0();
            }
            return super.awaitFuture(future);
        }
    }

    /** await() throws the future's exception wrapped in a CompletionException. */
    static final class AwaitExceptionWrapped extends ReferenceLoop {
        AwaitExceptionWrapped(LoopOptions o, String n) {
            super(o, n);
        }

        @Override
        protected <T> T awaitFuture(Future<T> future) {
            try {
                return super.awaitFuture(future);
            } catch (CancellationException e) {
                throw e;
            } catch (Exception e) {
                throw new CompletionException(e);
            }
        }
    }

    /** A cancelled await returns null instead of throwing. */
    static final class CancellationSwallowed extends ReferenceLoop {
        CancellationSwallowed(LoopOptions o, String n) {
            super(o, n);
        }

        @Override
        protected <T> T awaitFuture(Future<T> future) {
            try {
                return super.awaitFuture(future);
            } catch (CancellationException e) {
                return null;
            }
        }
    }

    /** A cancelled await throws a CancellationException without the message or cause. */
    static final class CancelMessageLost extends ReferenceLoop {
        CancelMessageLost(LoopOptions o, String n) {
            super(o, n);
        }

        @Override
        protected <T> T awaitFuture(Future<T> future) {
            try {
                return super.awaitFuture(future);
            } catch (CancellationException e) {
                throw new CancellationException();
            }
        }
    }

    // ------------------------------------------------------------------ threads

    /** The result of work on another thread is copied into the loop future on that thread. */
    static final class BridgeResultOnWorker extends ReferenceLoop {
        BridgeResultOnWorker(LoopOptions o, String n) {
            super(o, n);
        }

        @Override
        protected void deliverFromThread(Runnable delivery) {
            delivery.run();
        }
    }

    /** Nothing wakes the loop when it waits for work. */
    static final class ThreadsafeNoWakeup extends ReferenceLoop {
        ThreadsafeNoWakeup(LoopOptions o, String n) {
            super(o, n);
        }

        @Override
        protected void wakeup() {
            // lost
        }
    }

    // ------------------------------------------------------------------ life

    /** The closed check is gone. */
    static final class ClosedLoopAcceptsWork extends ReferenceLoop {
        ClosedLoopAcceptsWork(LoopOptions o, String n) {
            super(o, n);
        }

        @Override
        protected void checkClosed() {
            // accepts anything
        }
    }

    /** close() forgets to report unretrieved exceptions. */
    static final class UnretrievedUnreported extends ReferenceLoop {
        UnretrievedUnreported(LoopOptions o, String n) {
            super(o, n);
        }

        @Override
        protected void reportAtClose(ErrorContext context) {
            if (!context.message().contains("never retrieved")) {
                super.reportAtClose(context);
            }
        }
    }

    /** close() forgets to report pending tasks. */
    static final class PendingTasksUnreported extends ReferenceLoop {
        PendingTasksUnreported(LoopOptions o, String n) {
            super(o, n);
        }

        @Override
        protected void reportAtClose(ErrorContext context) {
            if (context.future() instanceof Task<?> t && !t.isDone()) {
                return;
            }
            super.reportAtClose(context);
        }
    }

    // ------------------------------------------------------------------ sockets

    /** No REAL_SOCKETS declared, yet createServer "half-works": a future that fails later, not a clean refusal. */
    static final class SocketsHalfWork extends ReferenceLoop {
        SocketsHalfWork(LoopOptions o, String n) {
            super(o, n);
        }

        @Override
        protected void listen(InetSocketAddress local, int backlog, Supplier<? extends Protocol> protocols,
                Future<Listener> result) {
            result.setException(new java.io.IOException("sockets are not wired up"));
        }
    }
}
