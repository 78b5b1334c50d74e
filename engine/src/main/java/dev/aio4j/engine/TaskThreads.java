package dev.aio4j.engine;

/**
 * The task-thread part of an engine loop: which threads run task bodies and
 * the loop strand. A task body runs on a thread no other unfinished task uses,
 * so that it can suspend at an await; the engine lets one of them run at a
 * time (the baton).
 * A thread whose task has finished runs the next task if that one has not
 * started yet, so a task thread is made only when no finished one is at hand.
 * The engine ships two policies: {@link #defaultScheduler()} (virtual threads
 * of the JDK's default scheduler, public APIs only) and {@link #carried()}
 * (virtual threads whose scheduler is the loop itself, on one carrier: see
 * {@link VirtualThreadCarrier}).
 *
 * <p>Threads: {@link #newTaskThread} is called on the loop, at most once per task;
 * {@link #runLoopStrand} in the thread that runs the loop strand;
 * {@link #close} in the thread closing the loop, once, after the I/O driver
 * closed.
 */
public interface TaskThreads {

    /**
     * Makes the unstarted thread that will run a task's body (and, after it,
     * the bodies of tasks it inherits; see the type's description). A virtual
     * thread: a platform thread works but costs a kernel switch per await.
     * Baton holder, when the task's first step is dispatched.
     *
     * @param body the task's body, run by the engine
     * @return the thread, not started
     */
    Thread newTaskThread(Runnable body);

    /**
     * Runs the loop strand's body and returns when it has returned. Default:
     * in the calling thread.
     *
     * @param body the loop strand's work
     */
    default void runLoopStrand(Runnable body) {
        body.run();
    }

    /**
     * How many times a strand spins before parking while it waits for the
     * baton: worth it only when task threads run on several carriers (the
     * next holder usually hands the baton back within a microsecond); 0 when
     * they share one, where a spinning strand only delays the next holder.
     *
     * @return the number of spins; 0 to park at once
     */
    int batonSpins();

    /**
     * Whether a JDK blocking call in a task's body parks only that task, the
     * loop running on meanwhile (through {@link LoopHost#detachBlockedHolder});
     * then the engine declares {@link dev.aio4j.spi.Capability#BLOCKING_CALLS_YIELD}.
     *
     * @return true if they do
     */
    default boolean blockingCallsYield() {
        return false;
    }

    /** Ends what the policy still holds (threads detached in a blocking call) once the loop closed. Default: nothing. */
    default void close() {}

    /** Makes one loop's policy. Implementations are immutable and thread-safe. */
    interface Factory {
        /**
         * Makes the task threads of one loop, opened now. In the thread opening the loop.
         *
         * @param host the loop
         * @return the loop's policy
         * @throws UnsupportedOperationException if this JVM cannot run them (a missing flag), saying why
         */
        TaskThreads create(LoopHost host);

        /**
         * Whether the policies it makes yield in blocking calls ({@link TaskThreads#blockingCallsYield()}).
         *
         * @return true if they do
         */
        default boolean blockingCallsYield() {
            return false;
        }
    }

    /**
     * Task bodies on virtual threads of the JDK's default scheduler (or of
     * {@code builder}), one at a time, the baton passing straight from one to
     * the next ready one; needs no JVM flag. A JDK blocking call in a task
     * holds the loop, as in asyncio.
     *
     * @param builder makes the task threads
     * @return the factory
     */
    static Factory defaultScheduler(Thread.Builder.OfVirtual builder) {
        java.util.Objects.requireNonNull(builder, "builder");
        return host -> new DefaultSchedulerThreads(builder);
    }

    /**
     * {@link #defaultScheduler(Thread.Builder.OfVirtual)} with {@code Thread.ofVirtual()}.
     *
     * @return the factory
     */
    static Factory defaultScheduler() {
        return defaultScheduler(Thread.ofVirtual());
    }

    /**
     * Task bodies and the loop strand on virtual threads whose scheduler is
     * the loop ({@link VirtualThreadCarrier}): an await is a park and a
     * resume a queue entry on one carrier, and blocking calls yield. Needs
     * {@code --add-opens java.base/java.lang=ALL-UNNAMED}
     * ({@code =dev.aio4j.engine} on the module path); without it,
     * {@link Factory#create} throws {@link UnsupportedOperationException}
     * naming the flag ({@link VirtualThreadCarrier#unavailabilityCause()}).
     *
     * @return the factory
     */
    static Factory carried() {
        return new Factory() {
            @Override
            public TaskThreads create(LoopHost host) {
                return new VirtualThreadCarrier(host);
            }

            @Override
            public boolean blockingCallsYield() {
                return true;
            }
        };
    }
}
