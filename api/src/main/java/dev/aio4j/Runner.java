package dev.aio4j;

import dev.aio4j.spi.CurrentLoop;
import dev.aio4j.spi.LoopProvider;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs coroutines on one loop and one {@link Context}, and shuts both down
 * cleanly: asyncio's
 * <a href="https://docs.python.org/3/library/asyncio-runner.html#asyncio.Runner">{@code asyncio.Runner}</a>.
 * {@link AsyncIO#run(Coroutine)} is a runner used once.
 *
 * <pre>{@code
 * try (Runner runner = new Runner(Runner.Options.defaults().withDebug(true))) {
 *     runner.run(() -> connect());
 *     runner.run(() -> serve());      // same loop, same context variables
 * }                                  // cancels what is left, shuts down, closes
 * }</pre>
 *
 * <p><b>Life.</b> CREATED (no loop yet) -> INITIALIZED (the first
 * {@link #run} opened the loop) -> CLOSED ({@link #close}). Each run creates
 * its coroutine as the loop's main task, in the runner's context, and runs the
 * loop until that task is done; what the task sets in its context is the
 * runner's context for the next run.
 *
 * <p><b>Closing</b> cancels every task still pending and waits, at most
 * {@link Options#grace()}, for them to finish their cleanup; reports to the
 * loop's exception handler each that failed (a cancellation is not a
 * failure) and each still running when the grace ran out; shuts the default
 * executor down, waiting at most {@link Options#executorTimeout()}; and
 * closes the loop. A closing that waited longer than it should is not
 * possible: both waits are bounded.
 *
 * <p><b>Signals.</b> With {@link Options#handleSignals()} (the default), while
 * a {@link #run} is in progress the first SIGINT (Ctrl-C) or SIGTERM cancels
 * the main task, its cancellation saying which signal; the task unwinds (its
 * {@code finally} blocks run) and {@code run} throws {@link SignalInterrupt}.
 * A second signal stops waiting: the JVM handles it as it would without a
 * runner (it exits with 128 + the signal number, running its shutdown
 * hooks). {@link #interrupt()} does what the first SIGINT does, from code.
 * Signals are handled by one runner at a time: a runner that starts while
 * another handles them leaves them alone. Where the JVM does not let a
 * program take them (or with {@code -Daio4j.signals=hook}), a shutdown hook
 * does the same at exit: it interrupts the run and holds the exit until the
 * runner has closed, at most the grace plus the executor timeout.
 *
 * <p>Threads: {@link #run} and {@link #close} from one thread at a time,
 * never from a loop's thread; {@link #interrupt()} from any thread.
 * <b>Memory consistency effects:</b> actions of a thread before it calls
 * {@code run} happen-before the main task starts; actions of the main task
 * happen-before {@code run} returns or throws.
 */
public final class Runner implements AutoCloseable {

    /**
     * What a runner is made with.
     *
     * @param provider the backend, or null for discovery ({@link Loops#provider()})
     * @param loopOptions the options of the loop it opens
     * @param handleSignals whether SIGINT and SIGTERM cancel the main task during a run
     * @param grace how long closing waits for cancelled tasks to finish
     * @param executorTimeout how long closing waits for the default executor's threads
     * @param context the context the first run starts in
     */
    public record Options(LoopProvider provider, LoopOptions loopOptions, boolean handleSignals, Duration grace,
            Duration executorTimeout, Context context) {

        /**
         * Options as given; see the record's components.
         *
         * @param provider the backend, or null for discovery
         * @param loopOptions the options of the loop it opens
         * @param handleSignals whether SIGINT and SIGTERM cancel the main task during a run
         * @param grace how long closing waits for cancelled tasks to finish
         * @param executorTimeout how long closing waits for the default executor's threads
         * @param context the context the first run starts in
         * @throws NullPointerException if {@code loopOptions}, {@code grace},
         *     {@code executorTimeout} or {@code context} is null
         * @throws IllegalArgumentException if a duration is negative
         */
        public Options {
            Objects.requireNonNull(loopOptions, "loopOptions");
            Objects.requireNonNull(context, "context");
            if (Objects.requireNonNull(grace, "grace").isNegative()) {
                throw new IllegalArgumentException("grace must not be negative: " + grace);
            }
            if (Objects.requireNonNull(executorTimeout, "executorTimeout").isNegative()) {
                throw new IllegalArgumentException("executorTimeout must not be negative: " + executorTimeout);
            }
        }

        /**
         * Discovery's backend, {@link LoopOptions#defaults()} (debug from
         * {@code -Daio4j.debug=true}), signals handled, 5 s of grace, 5 minutes
         * for the executor (asyncio's), the empty context.
         *
         * @return the default options
         */
        public static Options defaults() {
            return new Options(null, LoopOptions.defaults(), true, Duration.ofSeconds(5), Duration.ofMinutes(5),
                    Context.empty());
        }

        /**
         * A copy with another backend (null: discovery).
         *
         * @param p the backend
         * @return the copy
         */
        public Options withProvider(LoopProvider p) {
            return new Options(p, loopOptions, handleSignals, grace, executorTimeout, context);
        }

        /**
         * A copy with other loop options.
         *
         * @param o the loop's options
         * @return the copy
         */
        public Options withLoopOptions(LoopOptions o) {
            return new Options(provider, o, handleSignals, grace, executorTimeout, context);
        }

        /**
         * A copy with debug mode on or off ({@link Loop#setDebug}).
         *
         * @param debug whether debug mode is on
         * @return the copy
         */
        public Options withDebug(boolean debug) {
            return withLoopOptions(loopOptions.withDebug(debug));
        }

        /**
         * A copy that handles SIGINT and SIGTERM, or not.
         *
         * @param h whether the runner handles the signals
         * @return the copy
         */
        public Options withHandleSignals(boolean h) {
            return new Options(provider, loopOptions, h, grace, executorTimeout, context);
        }

        /**
         * A copy with another grace for cancelled tasks.
         *
         * @param g how long cancelled tasks have to clean up
         * @return the copy
         */
        public Options withGrace(Duration g) {
            return new Options(provider, loopOptions, handleSignals, g, executorTimeout, context);
        }

        /**
         * A copy with another bound on the default executor's shutdown.
         *
         * @param t how long the default executor has to finish
         * @return the copy
         */
        public Options withExecutorTimeout(Duration t) {
            return new Options(provider, loopOptions, handleSignals, grace, t, context);
        }

        /**
         * A copy whose first run starts in {@code c}.
         *
         * @param c the context
         * @return the copy
         */
        public Options withContext(Context c) {
            return new Options(provider, loopOptions, handleSignals, grace, executorTimeout, c);
        }
    }

    private enum State { CREATED, INITIALIZED, CLOSED }

    private final Options options;
    /** CREATED -> INITIALIZED (first run) -> CLOSED; CREATED -> CLOSED. The calling thread of run/close. */
    private State state = State.CREATED;
    private Loop loop;
    /** The context of the next run: the options', then what the last main task ended with. */
    private volatile Context context;
    /** The main task of the run in progress; null between runs. Written by run, read by interrupt (any thread). */
    private volatile Task<?> mainTask;
    /** The signal ("INT", "TERM") that interrupted the run in progress, or null. Set once per run. */
    private volatile String interruptedBy;
    /** Counted down once close() is over (the shutdown-hook fallback waits for it). */
    private final CountDownLatch closed = new CountDownLatch(1);

    /** A runner with {@link Options#defaults()}. */
    public Runner() {
        this(Options.defaults());
    }

    /**
     * A runner with {@code options}; its loop opens at the first {@code run}.
     *
     * @param options the backend, loop options, signal handling and shutdown budget
     * @throws NullPointerException if {@code options} is null
     */
    public Runner(Options options) {
        this.options = Objects.requireNonNull(options, "options");
        this.context = options.context();
    }

    /** A runner on a loop opened already (it closes it); for {@link AsyncIO#run(Loop, Coroutine)}. */
    Runner(Loop loop, Options options) {
        this(options);
        this.loop = Objects.requireNonNull(loop, "loop");
        this.state = State.INITIALIZED;
    }

    /**
     * The runner's loop, opened now if no run opened it yet.
     *
     * @return the loop
     * @throws IllegalStateException if the runner is closed
     */
    public Loop loop() {
        if (state == State.CLOSED) {
            throw new IllegalStateException("Runner is closed");
        }
        if (state == State.CREATED) {
            LoopProvider p = options.provider() != null ? options.provider() : Loops.provider();
            loop = Loops.open(p, options.loopOptions());
            state = State.INITIALIZED;
        }
        return loop;
    }

    /**
     * Runs {@code main} as the loop's main task, in the runner's context, until
     * it is done, and returns its result (its exception, unchanged).
     *
     * @param <T> the result type
     * @param main the main task's body
     * @return its result
     * @throws NullPointerException if {@code main} is null
     * @throws IllegalStateException if called on a running loop, or the runner is closed
     * @throws SignalInterrupt if a signal (or {@link #interrupt()}) cancelled the main task
     * @throws java.util.concurrent.CancellationException if the main task was cancelled otherwise
     */
    public <T> T run(Coroutine<T> main) {
        Objects.requireNonNull(main, "main");
        if (CurrentLoop.loop() != null) {
            throw new IllegalStateException("Runner.run() cannot be called from a running event loop");
        }
        Loop l = loop();
        interruptedBy = null;
        Task<T> task = context.run(() -> l.createTask(() -> {
            try {
                return main.call();
            } finally {
                context = Context.current(); // the next run goes on from here
            }
        }, "main"));
        mainTask = task;
        Signals.Registration signals = options.handleSignals()
                ? Signals.install(this, options.grace().plus(options.executorTimeout()).plusSeconds(1))
                : Signals.NONE;
        try {
            return l.runUntilComplete(task);
        } catch (java.util.concurrent.CancellationException e) {
            String signal = interruptedBy;
            if (signal != null) {
                throw new SignalInterrupt(signal, e);
            }
            throw e;
        } finally {
            mainTask = null;
            signals.close();
        }
    }

    /**
     * Does what the first SIGINT does: cancels the main task of the run in
     * progress (its cancellation says "interrupted by SIGINT"), so that
     * {@code run} throws {@link SignalInterrupt}. Any thread.
     *
     * @return false if no run is in progress, or one was interrupted already
     */
    public boolean interrupt() {
        return interrupt("INT");
    }

    /** The first signal of a run cancels its main task; false for a second, or when no run is in progress. */
    boolean interrupt(String signal) {
        Task<?> t = mainTask;
        Loop l = loop;
        if (t == null || l == null || interruptedBy != null) {
            return false;
        }
        interruptedBy = signal;
        try {
            l.callSoonThreadsafe(() -> t.cancel("interrupted by SIG" + signal));
        } catch (IllegalStateException closed) {
            return false; // the run ended and the loop closed meanwhile
        }
        return true;
    }

    /**
     * Cancels what is left, waits for it within the grace, reports failures
     * and stragglers, shuts the default executor down (bounded) and closes the
     * loop. Does nothing if closed already; a runner that never ran closes
     * without opening a loop.
     *
     * @throws IllegalStateException if called on a running loop
     */
    @Override
    public void close() {
        if (state == State.CLOSED) {
            return;
        }
        if (state == State.CREATED) {
            state = State.CLOSED;
            closed.countDown();
            return;
        }
        if (CurrentLoop.loop() != null) {
            throw new IllegalStateException("Runner.close() cannot be called from a running event loop");
        }
        try {
            try {
                cancelLeftovers();
            } finally {
                shutDownExecutor();
            }
        } finally {
            state = State.CLOSED;
            try {
                loop.close();
            } finally {
                closed.countDown();
            }
        }
    }

    /** Waits, at most {@code bound}, until {@link #close} is over; for the shutdown-hook fallback. Any thread. */
    void awaitClosed(Duration bound) {
        try {
            closed.await(bound.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void cancelLeftovers() {
        Set<Task<?>> left = loop.allTasks();
        if (left.isEmpty()) {
            return;
        }
        List<Task<?>> tasks = new ArrayList<>(left);
        for (Task<?> t : tasks) {
            t.cancel("the runner is closing");
        }
        Done<Task<?>> d = loop.runUntilComplete(() -> AsyncIO.wait(tasks, ReturnWhen.ALL_COMPLETED, options.grace()));
        for (Task<?> t : tasks) {
            if (d.pending().contains(t)) {
                Throwable where = new Throwable("where " + t.getName() + " is");
                where.setStackTrace(t.getStack());
                loop.callExceptionHandler(new ErrorContext("Task still running " + options.grace().toMillis()
                        + " ms after the runner cancelled it to close: its cleanup is cut short", where, t, null));
            } else if (!t.isCancelled() && t.exception() != null) {
                loop.callExceptionHandler(new ErrorContext("unhandled exception during Runner.close() shutdown",
                        t.exception(), t, null));
            }
        }
    }

    private void shutDownExecutor() {
        Future<Void> shutdown = loop.shutdownDefaultExecutor();
        boolean finished = loop.runUntilComplete(() -> {
            try {
                AsyncIO.waitFor(AsyncIO.shield(shutdown), options.executorTimeout());
                return true;
            } catch (TimeoutException e) {
                return false;
            }
        });
        if (!finished) {
            loop.callExceptionHandler(new ErrorContext("The default executor did not finish shutting down in "
                    + options.executorTimeout().toMillis() + " ms: its threads are left running", null, null, null));
        }
    }
}
