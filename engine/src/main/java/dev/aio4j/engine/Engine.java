package dev.aio4j.engine;

import dev.aio4j.Loop;
import dev.aio4j.LoopOptions;
import dev.aio4j.spi.Capability;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * aio4j's event-loop engine, composed from parts: the one public way to make
 * an engine loop. A backend names itself, picks an {@link IoDriver} (how the
 * loop waits and polls, and its sockets) and {@link TaskThreads} (which
 * threads run task bodies), and gets loops that keep every rule of the TCK:
 *
 * <pre>{@code
 * private static final Engine ENGINE = Engine.builder("mine")
 *         .io(IoDriver.selector())
 *         .taskThreads(TaskThreads.defaultScheduler())
 *         .build();
 * public Set<Capability> capabilities() { return ENGINE.capabilities(); }
 * public Loop open(LoopOptions options) { return ENGINE.open(options); }
 * }</pre>
 *
 * <p>The loop itself (ready queue, timer heap, futures, tasks, the executor
 * bridge, debug mode, error reports, the baton that runs task bodies one at a
 * time) is the engine's, final and not extensible: what differs between
 * backends is in the parts. The capabilities follow from them.
 *
 * <p>Immutable and thread-safe; {@link #open} may be called from any thread.
 */
public final class Engine {
    private final String name;
    private final IoDriver.Factory io;
    private final TaskThreads.Factory threads;

    private Engine(Builder b) {
        this.name = b.name;
        this.io = b.io;
        this.threads = b.threads;
    }

    /**
     * Starts describing a backend named {@code name} (what {@link Loop#backendName()}
     * returns), with no I/O ({@link IoDriver#parking()}) and task bodies on the
     * default scheduler until told otherwise.
     *
     * @param name the backend's name, as {@link dev.aio4j.Loop#backendName()} reports it
     * @return a builder with the default parts
     * @throws NullPointerException if {@code name} is null
     * @throws IllegalArgumentException if {@code name} is empty
     */
    public static Builder builder(String name) {
        Objects.requireNonNull(name, "name");
        if (name.isEmpty()) {
            throw new IllegalArgumentException("name must not be empty");
        }
        return new Builder(name);
    }

    /**
     * The backend's name.
     *
     * @return the backend's name
     */
    public String name() {
        return name;
    }

    /**
     * What loops of this engine can do beyond the required rules:
     * {@link Capability#VIRTUAL_TIME} always (the timer heap runs on the
     * loop's {@code Ticker}), {@link Capability#REAL_SOCKETS} if the I/O
     * driver opens sockets (and {@link Capability#REUSE_PORT} if it also binds
     * with {@code SO_REUSEPORT}), {@link Capability#BLOCKING_CALLS_YIELD} if the
     * task threads yield in blocking calls.
     *
     * @return the capabilities its parts give
     */
    public Set<Capability> capabilities() {
        Set<Capability> c = EnumSet.of(Capability.VIRTUAL_TIME);
        if (io.opensSockets()) {
            c.add(Capability.REAL_SOCKETS);
            if (io.reusesPorts()) {
                c.add(Capability.REUSE_PORT);
            }
        }
        if (threads.blockingCallsYield()) {
            c.add(Capability.BLOCKING_CALLS_YIELD);
        }
        return c;
    }

    /**
     * Opens a new loop. Any thread.
     *
     * @param options the loop's options
     * @return the loop, open and not running
     * @throws NullPointerException if {@code options} is null
     * @throws UnsupportedOperationException if a part cannot run in this JVM (a missing flag), saying why
     */
    public Loop open(LoopOptions options) {
        return open(options, Seams.NONE);
    }

    /** {@link #open} with test-only seams (the TCK's self-test plants defects through them). */
    EventLoop open(LoopOptions options, Seams seams) {
        Objects.requireNonNull(options, "options");
        return new EventLoop(options, name, io, threads, seams);
    }

    /**
     * The I/O driver of {@code loop}, if it is an engine loop whose driver is
     * a {@code type}: for a backend that gives its users (or its own tests)
     * access to its I/O machinery; only the backend can name its driver's
     * class. Any thread.
     *
     * @param <D> the driver type
     * @param loop a loop opened by an engine
     * @param type the driver class the backend composed it with
     * @return the loop's driver
     * @throws IllegalArgumentException if {@code loop} is not such a loop
     */
    public static <D extends IoDriver> D ioDriver(Loop loop, Class<D> type) {
        Objects.requireNonNull(loop, "loop");
        Objects.requireNonNull(type, "type");
        if (loop instanceof EventLoop l && type.isInstance(l.io)) {
            return type.cast(l.io);
        }
        throw new IllegalArgumentException("not an engine loop with a " + type.getSimpleName() + ": " + loop);
    }

    @Override
    public String toString() {
        return "Engine[" + name + ", " + capabilities() + "]";
    }

    /** Describes an {@link Engine}. Not thread-safe; each method returns this builder. */
    public static final class Builder {
        private final String name;
        private IoDriver.Factory io = IoDriver.parking();
        private TaskThreads.Factory threads = TaskThreads.defaultScheduler();

        private Builder(String name) {
            this.name = name;
        }

        /**
         * The I/O part; {@link IoDriver#parking()} by default.
         *
         * @param factory makes each loop's I/O driver
         * @return this builder
         */
        public Builder io(IoDriver.Factory factory) {
            this.io = Objects.requireNonNull(factory, "factory");
            return this;
        }

        /**
         * The task-thread part; {@link TaskThreads#defaultScheduler()} by default.
         *
         * @param factory makes each loop's task-thread policy
         * @return this builder
         */
        public Builder taskThreads(TaskThreads.Factory factory) {
            this.threads = Objects.requireNonNull(factory, "factory");
            return this;
        }

        /**
         * The engine described.
         *
         * @return the engine
         */
        public Engine build() {
            return new Engine(this);
        }
    }
}
