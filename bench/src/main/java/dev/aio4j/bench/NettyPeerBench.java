package dev.aio4j.bench;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.OperationsPerInvocation;

/**
 * Peer benchmark: a bare Netty event loop ({@link NettyPeer}), on the workloads it can express,
 * same sizes as {@link BackendBench}. Run (repository root, after packaging):
 * <pre>{@code
 * java --enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow \
 *      -jar bench/target/benchmarks.jar NettyPeerBench
 * }</pre>
 */
public class NettyPeerBench extends PeerBench {
    @Override
    protected Subject newPeer() {
        return new NettyPeer();
    }

    /** {@code java ... -jar bench/target/benchmarks.jar 'NettyPeerBench.callsoon'} */
    @Benchmark
    @OperationsPerInvocation(1_000_000)
    public long callsoon() throws Exception {
        return run(Workload.CALLSOON);
    }

    /** {@code java ... -jar bench/target/benchmarks.jar 'NettyPeerBench.timers'} */
    @Benchmark
    @OperationsPerInvocation(200_000)
    public long timers() throws Exception {
        return run(Workload.TIMERS);
    }

    /** {@code java ... -jar bench/target/benchmarks.jar 'NettyPeerBench.echo'} (round trips/s) */
    @Benchmark
    @OperationsPerInvocation(100_000)
    public long echo() throws Exception {
        return run(Workload.ECHO);
    }

    /**
     * {@code java ... -jar bench/target/benchmarks.jar 'NettyPeerBench.echo_group'} (round trips/s):
     * the echo on an event-loop group of one thread per available processor.
     */
    @Benchmark
    @OperationsPerInvocation(100_000)
    public long echo_group() throws Exception {
        return run(Workload.ECHO_GROUP);
    }
}
