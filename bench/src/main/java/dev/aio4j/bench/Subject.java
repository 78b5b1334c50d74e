package dev.aio4j.bench;

import java.util.Optional;

/**
 * Something the report measures: an aio4j backend or a JVM peer. One subject
 * runs one workload at a time, from one thread; {@link #close()} releases its
 * threads.
 */
public interface Subject extends AutoCloseable {

    /** The name in tables and charts ({@code executor}, {@code peer:netty}). */
    String name();

    /** Whether it is an aio4j backend (as opposed to a peer). */
    boolean isBackend();

    /** Why {@code w} cannot run on this subject, or empty if it can. */
    Optional<String> skipReason(Workload w);

    /**
     * Runs one whole workload of {@code n} operations and returns how many
     * operations it performed (async_tree's size is fixed).
     */
    long run(Workload w, int n) throws Exception;

    @Override
    void close();
}
