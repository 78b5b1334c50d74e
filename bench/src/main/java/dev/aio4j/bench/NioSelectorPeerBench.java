package dev.aio4j.bench;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.OperationsPerInvocation;

/**
 * Peer benchmark: one thread on a bare {@code java.nio} selector ({@link NioSelectorPeer}), echo only,
 * same size as {@link BackendBench}. Run (repository root, after packaging):
 * <pre>{@code
 * java --sun-misc-unsafe-memory-access=allow -jar bench/target/benchmarks.jar NioSelectorPeerBench
 * }</pre>
 */
public class NioSelectorPeerBench extends PeerBench {
    @Override
    protected Subject newPeer() {
        return new NioSelectorPeer();
    }

    /** {@code java ... -jar bench/target/benchmarks.jar 'NioSelectorPeerBench.echo'} (round trips/s) */
    @Benchmark
    @OperationsPerInvocation(100_000)
    public long echo() throws Exception {
        return run(Workload.ECHO);
    }
}
