package dev.aio4j.bench;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.OperationsPerInvocation;

/**
 * Peer benchmark: plain virtual threads ({@link VirtualThreadPeer}), on the workloads it can express,
 * same sizes as {@link BackendBench}. Run (repository root, after packaging):
 * <pre>{@code
 * java --enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow \
 *      -jar bench/target/benchmarks.jar VirtualThreadPeerBench
 * }</pre>
 */
public class VirtualThreadPeerBench extends PeerBench {
    @Override
    protected Subject newPeer() {
        return new VirtualThreadPeer();
    }

    /** {@code java ... -jar bench/target/benchmarks.jar 'VirtualThreadPeerBench.pingpong'} */
    @Benchmark
    @OperationsPerInvocation(200_000)
    public long pingpong() throws Exception {
        return run(Workload.PINGPONG);
    }

    /** {@code java ... -jar bench/target/benchmarks.jar 'VirtualThreadPeerBench.tasks'} */
    @Benchmark
    @OperationsPerInvocation(200_000)
    public long tasks() throws Exception {
        return run(Workload.TASKS);
    }

    /** {@code java ... -jar bench/target/benchmarks.jar 'VirtualThreadPeerBench.async_tree'} */
    @Benchmark
    @OperationsPerInvocation(Workload.AsyncTree.TASKS)
    public long async_tree() throws Exception {
        return run(Workload.ASYNC_TREE);
    }

    /** {@code java ... -jar bench/target/benchmarks.jar 'VirtualThreadPeerBench.echo'} (round trips/s) */
    @Benchmark
    @OperationsPerInvocation(100_000)
    public long echo() throws Exception {
        return run(Workload.ECHO);
    }

    /**
     * {@code java ... -jar bench/target/benchmarks.jar 'VirtualThreadPeerBench.echo_group'} (round trips/s):
     * the same run as {@link #echo()} (a thread per connection already uses every carrier), so that
     * the echo_group column has this peer's figure.
     */
    @Benchmark
    @OperationsPerInvocation(100_000)
    public long echo_group() throws Exception {
        return run(Workload.ECHO_GROUP);
    }
}
