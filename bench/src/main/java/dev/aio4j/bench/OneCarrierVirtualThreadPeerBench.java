package dev.aio4j.bench;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.OperationsPerInvocation;

/**
 * Peer benchmark: virtual threads on one carrier ({@link OneCarrierVirtualThreadPeer}), same
 * sizes as {@link BackendBench}. Its forks get
 * {@code -Djdk.virtualThreadScheduler.parallelism=1 -Djdk.virtualThreadScheduler.maxPoolSize=1}
 * from the annotation below (prepended: the jar's main class replaces the appended options
 * with its own). Run (repository root, after packaging):
 * <pre>{@code
 * java --enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow \
 *      -jar bench/target/benchmarks.jar OneCarrierVirtualThreadPeerBench
 * }</pre>
 */
@Fork(value = 2, jvmArgsPrepend = {OneCarrierVirtualThreadPeer.PARALLELISM, OneCarrierVirtualThreadPeer.MAX_POOL_SIZE})
public class OneCarrierVirtualThreadPeerBench extends PeerBench {
    @Override
    protected Subject newPeer() {
        return new OneCarrierVirtualThreadPeer();
    }

    /** {@code java ... -jar bench/target/benchmarks.jar 'OneCarrierVirtualThreadPeerBench.pingpong'} (round trips/s) */
    @Benchmark
    @OperationsPerInvocation(200_000)
    public long pingpong() throws Exception {
        return run(Workload.PINGPONG);
    }

    /** {@code java ... -jar bench/target/benchmarks.jar 'OneCarrierVirtualThreadPeerBench.async_tree'} (tasks/s) */
    @Benchmark
    @OperationsPerInvocation(Workload.AsyncTree.TASKS)
    public long async_tree() throws Exception {
        return run(Workload.ASYNC_TREE);
    }
}
