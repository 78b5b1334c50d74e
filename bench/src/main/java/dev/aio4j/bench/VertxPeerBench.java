package dev.aio4j.bench;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.OperationsPerInvocation;

/**
 * Peer benchmark: Vert.x 5 virtual-thread await ({@link VertxPeer}), on the workloads it can express,
 * same sizes as {@link BackendBench}. Run (repository root, after packaging):
 * <pre>{@code
 * java --enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow \
 *      -jar bench/target/benchmarks.jar VertxPeerBench
 * }</pre>
 */
public class VertxPeerBench extends PeerBench {
    @Override
    protected Subject newPeer() {
        return new VertxPeer();
    }

    /** {@code java ... -jar bench/target/benchmarks.jar 'VertxPeerBench.pingpong'} */
    @Benchmark
    @OperationsPerInvocation(200_000)
    public long pingpong() throws Exception {
        return run(Workload.PINGPONG);
    }

    /** {@code java ... -jar bench/target/benchmarks.jar 'VertxPeerBench.timers'} */
    @Benchmark
    @OperationsPerInvocation(200_000)
    public long timers() throws Exception {
        return run(Workload.TIMERS);
    }
}
