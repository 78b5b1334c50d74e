package dev.aio4j.engine;

import dev.aio4j.AsyncIO;
import dev.aio4j.CancelledError;
import dev.aio4j.ErrorContext;
import dev.aio4j.Future;
import dev.aio4j.engine.Seams.ReadyCause;
import dev.aio4j.Task;
import dev.aio4j.net.Listener;
import dev.aio4j.net.Protocol;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.CompletionException;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The catalogue of mutants: each the {@link Reference} backend with one
 * defect, planted through one of the engine's {@link Seams} or one broken
 * part, and the TCK test that must catch it. engine/README.md lists the same
 * table; the self-test checks that it does.
 */
final class Mutants {
    private Mutants() {}

    /** A hang is caught by the TCK's watchdog (AbstractVerification.onLoopThread) as a failure of the test. */
    private static final String WATCHDOG = "did not finish within";

    static final List<Mutant> ALL = List.of(
            new Mutant("lifo-callbacks", "callbacks run last in, first out",
                    "required_S1_callSoonRunsCallbacksInFifoOrder", "in the order callSoon was called", Reference.with(() -> new FrontOfQueue(ReadyCause.CALL_SOON))),
            new Mutant("timers-jump-queue", "due timers jump ahead of callbacks already ready",
                    "required_S5_dueTimerRunsAfterCallbacksAlreadyReady", "back of the ready queue", Reference.with(() -> new FrontOfQueue(ReadyCause.TIMER))),
            new Mutant("equal-deadlines-reversed", "timers with equal deadlines fire in reverse scheduling order",
                    "required_S7_equalDeadlinesFireInSchedulingOrder", "in the order they were scheduled", Reference.with(EqualDeadlinesReversed::new)),
            new Mutant("closed-loop-accepts-work", "a closed loop accepts callbacks and tasks",
                    "required_L12_closedLoopRefusesWork", "on a closed loop (SPEC L12)", Reference.with(ClosedLoopAcceptsWork::new)),
            new Mutant("inline-done-callbacks", "done callbacks run inline inside setResult",
                    "required_F5_doneCallbacksAreQueuedInRegistrationOrderNeverInline", "must not run done callbacks inline",
                    Reference.with(InlineDoneCallbacks::new)),
            new Mutant("lifo-done-callbacks", "done callbacks queued last in, first out",
                    "required_F5_doneCallbacksAreQueuedInRegistrationOrderNeverInline", "registration order",
                    Reference.with(() -> new FrontOfQueue(ReadyCause.DONE_CALLBACK))),
            new Mutant("await-exception-wrapped", "await() wraps the future's exception",
                    "required_F8_resultRethrowsTheExactException", "await() must rethrow the same exception",
                    Reference.with(AwaitExceptionWrapped::new)),
            new Mutant("await-done-suspends", "awaiting a done future suspends the task",
                    "required_F9_awaitingDoneFutureDoesNotSuspend", "without suspending", Reference.with(AwaitDoneSuspends::new)),
            new Mutant("tasks-start-reversed", "task steps jump ahead of the ready queue",
                    "required_T1_tasksStartLazilyInCreationOrder", "in creation order", Reference.with(() -> new FrontOfQueue(ReadyCause.TASK_STEP))),
            new Mutant("cancellation-swallowed", "a cancelled task resumes normally at its await",
                    "required_C3_cancelWhileSuspendedCancelsTheAwaitedFuture", "must throw CancelledError",
                    Reference.with(CancellationSwallowed::new)),
            new Mutant("cancel-message-lost", "the cancel message is lost at the await",
                    "required_C11_cancelMessagePropagatesToAwaiters", "must carry the cancel message", Reference.with(CancelMessageLost::new)),
            new Mutant("cancelled-waiter-never-woken", "the wake-up of a cancelled waiting task is lost",
                    "required_C3_cancelWhileSuspendedCancelsTheAwaitedFuture", WATCHDOG, Reference.with(CancelledWaiterNeverWoken::new)),
            new Mutant("bridge-result-on-worker", "runInExecutor delivers its result on the worker thread",
                    "required_X1_resultIsDeliveredOnTheLoop", WATCHDOG, Reference.with(BridgeResultOnWorker::new)),
            new Mutant("threadsafe-no-wakeup", "callSoonThreadsafe does not wake an idle loop",
                    "required_H2_callSoonThreadsafeWakesAnIdleLoop", "must wake", Reference.withIo(ThreadsafeNoWakeup::new)),
            new Mutant("callbacks-overlap", "two callbacks run at once, on two threads",
                    "required_H11_callbacksRunOneAtATimeOnTheLoop", "one at a time, on the loop", Reference.with(CallbacksOverlap::new)),
            new Mutant("callback-exception-swallowed", "an exception thrown by a callback never reaches the handler",
                    "required_E1_callbackExceptionReachesTheHandlerAndTheLoopGoesOn", "must reach the exception handler",
                    Reference.with(CallbackExceptionSwallowed::new)),
            new Mutant("unretrieved-exception-unreported", "close() does not report a never-retrieved exception",
                    "required_E4_unretrievedExceptionIsReportedAtClose", "never retrieved", Reference.with(UnretrievedUnreported::new)),
            new Mutant("pending-tasks-unreported", "close() does not report tasks still pending",
                    "required_E5_pendingTasksAreReportedAtCloseAndTheirThreadsEnd", "still pending", Reference.with(PendingTasksUnreported::new)),
            new Mutant("first-done-callback-only", "a future keeps one done callback, not a list: the second and later are lost",
                    "required_F5_doneCallbacksAreQueuedInRegistrationOrderNeverInline", "registration order",
                    Reference.with(FirstDoneCallbackOnly::new)),
            new Mutant("bridge-result-needs-other-work", "runInExecutor posts its result without waking the loop: it waits for other work",
                    "required_X1_resultIsDeliveredOnTheLoop", WATCHDOG, Reference.with(BridgeResultNeedsOtherWork::new)),
            new Mutant("wakeup-only-once", "the I/O part wakes an idle loop once; every later wake-up is lost",
                    "required_H2_callSoonThreadsafeWakesAnIdleLoop", "must wake", Reference.withIo(WakeupOnlyOnce::new)),
            new Mutant("sockets-half-work", "without REAL_SOCKETS, createServer returns a failed future instead of refusing",
                    "required_N1_socketsWorkOrFailCleanlyWithoutRealSockets", "must throw UnsupportedOperationException",
                    Reference.withIo(SocketsHalfWork::new)));

    // ------------------------------------------------------------------ the ready queue

    /**
     * Units of one cause go to the front of the ready queue instead of the
     * back: callbacks run LIFO, due timers jump ahead of ready callbacks, done
     * callbacks reverse, or task steps jump the queue, depending on the cause.
     */
    record FrontOfQueue(ReadyCause cause) implements Seams {
        @Override
        public void enqueueReady(ArrayDeque<Object> ready, Object unit, ReadyCause c) {
            if (c == cause) {
                ready.addFirst(unit);
            } else {
                ready.addLast(unit);
            }
        }
    }

    /** A task woken because it was cancelled while waiting is never resumed. */
    static final class CancelledWaiterNeverWoken implements Seams {
        @Override
        public void enqueueReady(ArrayDeque<Object> ready, Object unit, ReadyCause cause) {
            if (cause == ReadyCause.TASK_STEP && unit instanceof Task<?> t && t.cancelling() > 0) {
                return; // the wake-up is lost
            }
            ready.addLast(unit);
        }
    }

    // ------------------------------------------------------------------ timers

    /** Equal deadlines are ordered last scheduled, first fired. */
    static final class EqualDeadlinesReversed implements Seams {
        @Override
        public long timerTieBreaker(long sequence) {
            return -sequence;
        }
    }

    // ------------------------------------------------------------------ callbacks

    /** Done callbacks run inside setResult/setException/cancel. */
    static final class InlineDoneCallbacks implements Seams {
        @Override
        public <T> void scheduleDoneCallback(RunLoop run, Future<T> future, Consumer<? super Future<T>> callback) {
            callback.accept(future);
        }
    }

    /** Each callback runs on a thread of its own while the loop goes on to the next one. */
    static final class CallbacksOverlap implements Seams {
        private Thread previous;

        @Override
        public void invokeCallback(Runnable fn) {
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

    /**
     * One participant works, two do not: a future keeps a single done callback
     * (a field, not a list), so only the first registered ever runs.
     */
    static final class FirstDoneCallbackOnly implements Seams {
        private final Set<Future<?>> served = Collections.newSetFromMap(new IdentityHashMap<>());

        @Override
        public <T> void scheduleDoneCallback(RunLoop run, Future<T> future, Consumer<? super Future<T>> callback) {
            if (served.add(future)) {
                Seams.super.scheduleDoneCallback(run, future, callback);
            }
        }
    }

    /** Exceptions thrown by callbacks are dropped. */
    static final class CallbackExceptionSwallowed implements Seams {
        @Override
        public void invokeCallback(Runnable fn) {
            try {
                fn.run();
            } catch (RuntimeException e) {
                // swallowed
            }
        }
    }

    // ------------------------------------------------------------------ await

    /** Awaiting a done future yields one iteration first. */
    static final class AwaitDoneSuspends implements Seams {
        @Override
        public <T> T await(LoopFuture<T> future) {
            if (future.isDone()) {
                AsyncIO.sleep0();
            }
            return future.awaitNow();
        }
    }

    /** await() throws the future's exception wrapped in a CompletionException. */
    static final class AwaitExceptionWrapped implements Seams {
        @Override
        public <T> T await(LoopFuture<T> future) {
            try {
                return future.awaitNow();
            } catch (Exception e) {
                throw new CompletionException(e);
            }
        }
    }

    /** A cancelled await returns null instead of throwing. */
    static final class CancellationSwallowed implements Seams {
        @Override
        public <T> T await(LoopFuture<T> future) {
            try {
                return future.awaitNow();
            } catch (CancelledError e) {
                return null;
            }
        }
    }

    /** A cancelled await throws a CancelledError without the message or cause. */
    static final class CancelMessageLost implements Seams {
        @Override
        public <T> T await(LoopFuture<T> future) {
            try {
                return future.awaitNow();
            } catch (CancelledError e) {
                throw new CancelledError(null);
            }
        }
    }

    // ------------------------------------------------------------------ threads

    /** The result of work on another thread is copied into the loop future on that thread. */
    static final class BridgeResultOnWorker implements Seams {
        @Override
        public void deliverFromThread(EventLoop loop, Runnable delivery) {
            delivery.run();
        }
    }

    /**
     * Work that completes while the loop is idle: the outcome of a worker is
     * put where the loop looks only when it runs a callback anyway, and nothing
     * wakes it. A busy loop hides the defect; an idle one waits for ever.
     */
    static final class BridgeResultNeedsOtherWork implements Seams {
        private final Queue<Runnable> posted = new ConcurrentLinkedQueue<>();
        private volatile EventLoop loop;

        @Override
        public void deliverFromThread(EventLoop loop, Runnable delivery) {
            this.loop = loop;
            posted.add(delivery);
        }

        @Override
        public void invokeCallback(Runnable fn) {
            for (Runnable d; (d = posted.poll()) != null; ) {
                loop.callSoon(d);
            }
            fn.run();
        }
    }

    /** A broken I/O part: nothing wakes the loop when it waits for work. */
    static final class ThreadsafeNoWakeup extends ParkingDriver {
        ThreadsafeNoWakeup(LoopHost host) {
            super(host);
        }

        @Override
        public void wakeup() {
            // lost
        }
    }

    /**
     * A broken I/O part that coalesces wake-ups behind a flag and never re-arms
     * it: the first wake-up of an idle loop works, every later one is lost (a
     * burst, or a loop that idles more than once, shows it).
     */
    static final class WakeupOnlyOnce extends ParkingDriver {
        private final AtomicBoolean woken = new AtomicBoolean();

        WakeupOnlyOnce(LoopHost host) {
            super(host);
        }

        @Override
        public void wakeup() {
            if (woken.compareAndSet(false, true)) {
                super.wakeup();
            }
        }
    }

    // ------------------------------------------------------------------ life

    /** The closed check is gone. */
    static final class ClosedLoopAcceptsWork implements Seams {
        @Override
        public void checkClosed(EventLoop loop) {
            // accepts anything
        }
    }

    /** close() forgets to report unretrieved exceptions. */
    static final class UnretrievedUnreported implements Seams {
        @Override
        public void reportAtClose(EventLoop loop, ErrorContext context) {
            if (!context.message().contains("never retrieved")) {
                loop.callExceptionHandler(context);
            }
        }
    }

    /** close() forgets to report pending tasks. */
    static final class PendingTasksUnreported implements Seams {
        @Override
        public void reportAtClose(EventLoop loop, ErrorContext context) {
            if (!(context.future() instanceof Task<?> t && !t.isDone())) {
                loop.callExceptionHandler(context);
            }
        }
    }

    // ------------------------------------------------------------------ sockets

    /**
     * A broken I/O part: it declares no sockets (no REAL_SOCKETS), yet
     * createServer "half-works": a future that fails later, not a clean refusal.
     */
    static final class SocketsHalfWork extends ParkingDriver {
        SocketsHalfWork(LoopHost host) {
            super(host);
        }

        @Override
        public void listen(InetSocketAddress local, int backlog, boolean reusePort,
                Supplier<? extends Protocol> protocols, Future<Listener> result) {
            result.setException(new java.io.IOException("sockets are not wired up"));
        }
    }
}
