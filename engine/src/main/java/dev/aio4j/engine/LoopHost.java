package dev.aio4j.engine;

import dev.aio4j.ErrorContext;
import dev.aio4j.Loop;
import dev.aio4j.LoopOptions;

/**
 * What an engine loop offers the parts it is composed of (its {@link IoDriver}
 * and its {@link TaskThreads}): the loop itself, its confinement check, and
 * the baton operations a carrier of blocked task threads needs. Each loop
 * gives its parts one host when it is opened; users never see it.
 *
 * <p>Threads: each method says who may call it. "The baton holder" is
 * whichever thread runs the loop's code now (the loop strand, or the task
 * strand whose step runs): see the glossary in {@code package-info}.
 */
public interface LoopHost {
    /**
     * The loop these parts serve. Any thread.
     *
     * @return the loop
     */
    Loop loop();

    /**
     * The loop's options. Any thread.
     *
     * @return the options
     */
    LoopOptions options();

    /**
     * The loop's task-thread part, made before its I/O driver: a driver that
     * must run the loop strand on a thread of its own composes with it (for
     * instance with a {@link VirtualThreadCarrier}). Any thread.
     *
     * @return the task-thread part
     */
    TaskThreads taskThreads();

    /**
     * Throws {@link WrongThreadException} naming {@code operation} unless the
     * caller may use the loop's confined state now (it holds the baton, or
     * the loop does not run). Any thread.
     *
     * @param operation the call, for the message
     */
    void checkThread(String operation);

    /**
     * Whether another thread has sent work ({@code callSoonThreadsafe} and the
     * like) that the loop has not taken yet. An {@link IoDriver#awaitWork}
     * that is about to block checks it after making itself wakeable, and does
     * not block when it is true: that closes the window in which a wake-up
     * could be lost. Any thread.
     *
     * @return true if work is waiting
     */
    boolean hasThreadsafeWork();

    /** Wakes the loop strand out of {@link IoDriver#awaitWork} (through the driver). Any thread. */
    void wakeup();

    /**
     * Reports {@code e}, thrown by a protocol's callback, to the exception
     * handler ("Fatal error: protocol.&lt;callback&gt;() call failed on
     * &lt;transport&gt;"); a {@link VirtualMachineError} is rethrown, which
     * stops the loop. Baton holder.
     *
     * @param callback the protocol method that threw
     * @param e what it threw
     * @param transport the transport, for the message
     */
    void protocolFailed(String callback, Throwable e, Object transport);

    /**
     * Reports {@code context} to the loop's exception handler. Baton holder.
     *
     * @param context what happened
     */
    default void report(ErrorContext context) {
        loop().callExceptionHandler(context);
    }

    /**
     * The thread holding the baton now, or null: a racy snapshot. Any thread.
     *
     * @return the holder, or null
     */
    Thread batonHolder();

    /**
     * For task threads that yield in JDK blocking calls
     * ({@link TaskThreads#blockingCallsYield()}): takes the baton from
     * {@code t}, a task thread parked in a blocking call inside its own task's
     * body, and gives it to the loop strand, so that the loop runs on. Call
     * only while {@code t} is parked and cannot resume before
     * {@link #rejoin} lets it. Any thread.
     *
     * @param t the parked task thread
     * @return a token for {@link #rejoin}, or null if {@code t} does not hold
     *     the baton inside its own task's body (then nothing changed)
     */
    Object detachBlockedHolder(Thread t);

    /**
     * Asks for the baton back for a thread detached by
     * {@link #detachBlockedHolder}, whose blocking call returned: queued like
     * a {@code callSoonThreadsafe}; when the loop reaches it, the thread holds
     * the baton again (its task current) and {@code release} runs, which must
     * let the thread's continuation run. If the loop is closed,
     * {@code release} runs at once (the task's next await unwinds it). Any
     * thread.
     *
     * @param token what {@link #detachBlockedHolder} returned
     * @param release lets the thread's continuation run
     */
    void rejoin(Object token, Runnable release);
}
