package dev.aio4j.bench;

import java.util.Locale;

/**
 * The benchmark workloads (listed in bench/README.md), with their standard sizes. Every
 * implementation (each backend, each JVM peer, {@code bench/python/workloads.py})
 * runs the same shape, so that the ratios between them mean something.
 */
public enum Workload {
    /** Schedule N trivial callbacks with callSoon and run them. */
    CALLSOON(1_000_000),
    /** Create N trivial tasks and gather them (AsyncIO.gather; asyncio.gather in the Python script). */
    TASKS(200_000),
    /** Two tasks exchange a value through futures, a fresh one per hop; N round trips. */
    PINGPONG(200_000),
    /** One task yields to the loop N times (asyncio.sleep(0)). */
    SLEEP0(1_000_000),
    /** N callLater with random delays in [0, 50 ms), all scheduled at once. */
    TIMERS(200_000),
    /** N runInExecutor round trips, all in flight at once. */
    EXECUTOR(50_000),
    /** pyperformance's async_tree: gather tree of depth 6, branching 6, leaves yield once (55,987 tasks). */
    ASYNC_TREE(AsyncTree.TASKS),
    /** Loopback TCP echo, 50 clients x 2,000 lines of 64 bytes. */
    ECHO(100_000),
    /**
     * The same echo on a {@link dev.aio4j.LoopGroup} of one loop per available processor: the
     * server on every member ({@code Streams.startServer(group, ...)}), the clients spread over
     * the members in turn. Measures how echo scales with the cores (Python runs it on one loop).
     */
    ECHO_GROUP(100_000),
    /** N items through one bounded queue (64 places) from 4 producer tasks to 4 consumer tasks. */
    QUEUE(200_000);

    /** echo and echo_group: how many clients at once. */
    public static final int ECHO_CLIENTS = 50;

    /** echo: one line, 63 bytes and its newline (the Python script sends the same). Never modified. */
    static final byte[] ECHO_LINE = ("x".repeat(63) + "\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    /** queue: the queue's capacity, and how many producers and consumers share it. */
    public static final int QUEUE_CAPACITY = 64;
    public static final int QUEUE_PRODUCERS = 4;
    public static final int QUEUE_CONSUMERS = 4;

    /** queue: how many of the {@code n} items producer {@code p} puts (the first {@code n % producers} put one more). */
    public static int queueShare(int n, int p) {
        return n / QUEUE_PRODUCERS + (p < n % QUEUE_PRODUCERS ? 1 : 0);
    }

    private final int size;

    Workload(int size) {
        this.size = size;
    }

    /** The standard number of operations (callbacks, tasks, round trips...). */
    public int size() {
        return size;
    }

    /** echo_group: the loops of the group, one per available processor. */
    public static int groupSize() {
        return Runtime.getRuntime().availableProcessors();
    }

    /** The name used in tables, JSON and on the command line ({@code async_tree}). */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The workload with this {@link #id()}. */
    public static Workload of(String id) {
        return valueOf(id.toUpperCase(Locale.ROOT));
    }

    /** The shape of async_tree, shared by every implementation. */
    public static final class AsyncTree {
        public static final int DEPTH = 6;
        public static final int BRANCHING = 6;
        /** 1 + 6 + 36 + ... + 6^6: the root and every node is a task. */
        public static final int TASKS = 55_987;

        private AsyncTree() {}
    }
}
