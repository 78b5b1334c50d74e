package dev.aio4j.bench;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Peer benchmark: Vert.x 5 virtual-thread await ({@link VertxPeer}), on the workloads it can express,
 * same sizes as {@link BackendBench}. Run (repository root, after packaging):
 * <pre>{@code
 * java --enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow \
 *      -jar bench/target/benchmarks.jar VertxPeerBench
 * }</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(2)
public class VertxPeerBench {
    private VertxPeer peer;

    @Setup(Level.Trial)
    public void open() {
        peer = new VertxPeer();
    }

    @TearDown(Level.Trial)
    public void close() {
        peer.close();
    }

    /** {@code java ... -jar bench/target/benchmarks.jar 'VertxPeerBench.pingpong'} */
    @Benchmark
    @OperationsPerInvocation(200_000)
    public long pingpong() throws Exception {
        return peer.run(Workload.PINGPONG, Workload.PINGPONG.size());
    }

    /** {@code java ... -jar bench/target/benchmarks.jar 'VertxPeerBench.timers'} */
    @Benchmark
    @OperationsPerInvocation(200_000)
    public long timers() throws Exception {
        return peer.run(Workload.TIMERS, Workload.TIMERS.size());
    }
}
