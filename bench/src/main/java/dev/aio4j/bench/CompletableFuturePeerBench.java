package dev.aio4j.bench;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.OperationsPerInvocation;

/**
 * Peer benchmark: CompletableFuture chains ({@link CompletableFuturePeer}), on the workloads it can express,
 * same sizes as {@link BackendBench}. Run (repository root, after packaging):
 * <pre>{@code
 * java --enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow \
 *      -jar bench/target/benchmarks.jar CompletableFuturePeerBench
 * }</pre>
 */
public class CompletableFuturePeerBench extends PeerBench {
    @Override
    protected Subject newPeer() {
        return new CompletableFuturePeer();
    }

    /** {@code java ... -jar bench/target/benchmarks.jar 'CompletableFuturePeerBench.pingpong'} */
    @Benchmark
    @OperationsPerInvocation(200_000)
    public long pingpong() throws Exception {
        return run(Workload.PINGPONG);
    }

    /** {@code java ... -jar bench/target/benchmarks.jar 'CompletableFuturePeerBench.tasks'} */
    @Benchmark
    @OperationsPerInvocation(200_000)
    public long tasks() throws Exception {
        return run(Workload.TASKS);
    }

    /** {@code java ... -jar bench/target/benchmarks.jar 'CompletableFuturePeerBench.executor'} */
    @Benchmark
    @OperationsPerInvocation(50_000)
    public long executor() throws Exception {
        return run(Workload.EXECUTOR);
    }
}
