package dev.aio4j.engine;

import dev.aio4j.Future;
import dev.aio4j.net.Listener;
import dev.aio4j.net.Protocol;
import dev.aio4j.net.Transport;
import java.net.InetSocketAddress;
import java.util.function.Supplier;

/**
 * The I/O part of an engine loop: how the loop strand waits for work, how
 * other threads wake it, how I/O is polled, and (for a driver that has them)
 * sockets. As a Netty 4.2 event loop is composed with one {@code IoHandler}
 * per transport, an engine loop is composed with one driver, made by its
 * {@link Factory} when the loop opens. The engine ships
 * {@link #parking()} (no I/O: the loop parks) and {@link #selector()}
 * (sockets on a {@link java.nio.channels.Selector}, as asyncio's
 * {@code SelectorEventLoop}).
 *
 * <p>Threads: {@link #awaitWork} runs on the loop strand only;
 * {@link #poll} and the socket calls on the baton holder (any strand that
 * runs the loop's code, one at a time); {@link #wakeup} on any thread;
 * {@link #close} in the thread closing the loop, once, after the loop's
 * last iteration.
 */
public interface IoDriver {

    /**
     * Blocks the loop strand until {@link #wakeup()} is called, the timeout
     * passes, or I/O is ready (handling it); may return early. It must not
     * block when {@link LoopHost#hasThreadsafeWork()} is true once it is
     * wakeable (the lost wake-up check). Loop strand only.
     *
     * @param timeoutNanos how long at most, positive; {@code Long.MAX_VALUE} for no limit
     */
    void awaitWork(long timeoutNanos);

    /** Wakes the loop strand out of {@link #awaitWork}, or makes its next call return at once. Any thread. */
    void wakeup();

    /** Polls I/O without blocking, once per iteration. Baton holder. Default: nothing. */
    default void poll() {}

    /**
     * Whether a task strand holding the baton at an iteration boundary must
     * hand it to the loop strand although units are ready, so that the loop
     * strand runs this iteration's {@link #poll}: for drivers whose I/O may be
     * polled only from the loop strand's thread (Netty's event loop). Task
     * strand holding the baton. Default: false.
     *
     * @return true to have the loop strand poll now
     */
    default boolean pollDue() {
        return false;
    }

    /**
     * Runs the loop strand's body and returns when it has returned. The
     * default lets {@code threads} run it ({@link TaskThreads#runLoopStrand}).
     * A driver whose I/O must always be entered from one thread of its own
     * runs it there (and waits). In the thread calling {@code runForever}.
     *
     * @param body the loop strand's body
     * @param threads the loop's task-thread part
     */
    default void runLoopStrand(Runnable body, TaskThreads threads) {
        threads.runLoopStrand(body);
    }

    /**
     * Connects to {@code remote}, arguments checked, and completes
     * {@code result} with the transport once {@code protocol.connectionMade}
     * has run, or with the failure. Only for a driver whose factory says
     * {@link Factory#opensSockets()}; the default refuses at once, naming
     * the capability (SPEC N1). Baton holder.
     *
     * @param remote the address to connect to
     * @param protocol receives the connection's events
     * @param result completed with the transport or the failure
     * @throws UnsupportedOperationException if the driver has no sockets
     */
    default void connect(InetSocketAddress remote, Protocol protocol, Future<Transport> result) {
        throw noSockets();
    }

    /**
     * Binds and listens, arguments checked, completing {@code result} with
     * the listener or the failure; with {@code reusePort} (asked only of a
     * driver whose factory says {@link Factory#reusesPorts()}), binds with
     * {@code SO_REUSEPORT}. As {@link #connect}. Baton holder.
     *
     * @param local the address to bind
     * @param backlog the listen backlog
     * @param reusePort whether to bind with {@code SO_REUSEPORT}
     * @param protocols a new protocol per accepted connection
     * @param result completed with the listener or the failure
     */
    default void listen(InetSocketAddress local, int backlog, boolean reusePort,
            Supplier<? extends Protocol> protocols, Future<Listener> result) {
        throw noSockets();
    }

    private static UnsupportedOperationException noSockets() {
        return new UnsupportedOperationException("this loop cannot open sockets: its I/O driver has none, so its "
                + "backend does not declare Capability.REAL_SOCKETS");
    }

    /**
     * Releases the driver's resources once the loop is closed: closes its
     * sockets without callbacks (the loop runs none any more), selectors,
     * threads. In the thread closing the loop. Default: nothing.
     */
    default void close() {}

    /**
     * A few words for the loop's {@code toString()} (a transport's name), or empty. Any thread.
     *
     * @return the description, or empty
     */
    default String description() {
        return "";
    }

    /** Makes one loop's driver. Implementations are immutable and thread-safe. */
    interface Factory {
        /**
         * Makes the driver of one loop, opened now. In the thread opening the loop.
         *
         * @param host the loop
         * @return the loop's driver
         */
        IoDriver create(LoopHost host);

        /**
         * Whether its drivers open sockets ({@link IoDriver#connect},
         * {@link IoDriver#listen}): then the engine declares
         * {@link dev.aio4j.spi.Capability#REAL_SOCKETS}. Default: false.
         *
         * @return true if they open sockets
         */
        default boolean opensSockets() {
            return false;
        }

        /**
         * Whether its drivers bind listeners with {@code SO_REUSEPORT} when
         * asked, on this platform: then the engine declares
         * {@link dev.aio4j.spi.Capability#REUSE_PORT} (with sockets). Default: false.
         *
         * @return true if they bind with {@code SO_REUSEPORT} when asked
         */
        default boolean reusesPorts() {
            return false;
        }
    }

    /**
     * No I/O: the loop strand parks when nothing is ready, and {@code wakeup} unparks it.
     *
     * @return the factory
     */
    static Factory parking() {
        return ParkingDriver::new;
    }

    /**
     * TCP sockets on a {@link java.nio.channels.Selector}, as asyncio's
     * {@code SelectorEventLoop}: see {@link SelectorDriver}.
     *
     * @return the factory
     */
    static Factory selector() {
        return SelectorDriver.FACTORY;
    }
}
