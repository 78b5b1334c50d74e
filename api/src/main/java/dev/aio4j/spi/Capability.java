package dev.aio4j.spi;

/**
 * What a backend can do beyond the rules every backend keeps. The TCK runs the
 * {@code optional_} rules of a capability only when the provider declares it,
 * and otherwise skips them naming the capability.
 */
public enum Capability {
    /** The loop honours a {@link dev.aio4j.VirtualTicker} given in its options. */
    VIRTUAL_TIME,
    /**
     * A JDK blocking call inside a task ({@code Thread.sleep}, a socket read,
     * {@code ReentrantLock}, {@code Object.wait}) parks only that task; the
     * loop keeps running the others. Without it, such a call holds the loop,
     * as in asyncio.
     */
    BLOCKING_CALLS_YIELD,
    /** The loop can open TCP streams and servers. */
    REAL_SOCKETS,
    /**
     * With {@link #REAL_SOCKETS}: several listeners, on several loops, can
     * bind the same address ({@code SO_REUSEPORT}), the kernel spreading the
     * connections over them, so a {@link dev.aio4j.LoopGroup}'s server
     * accepts on every member. Without it, a group's server accepts on one
     * member only (SPEC M6).
     */
    REUSE_PORT
}
