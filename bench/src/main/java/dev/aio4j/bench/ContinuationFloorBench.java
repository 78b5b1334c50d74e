package dev.aio4j.bench;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.OperationsPerInvocation;

/**
 * Peer benchmark: raw JDK continuations driven by a plain loop ({@link ContinuationFloor}),
 * the floor of pingpong and sleep0 on one core, same sizes as {@link BackendBench}. Its forks
 * get {@code --add-exports java.base/jdk.internal.vm=ALL-UNNAMED} from the annotation below
 * (prepended: the jar's main class replaces the appended options with its own). Run
 * (repository root, after packaging):
 * <pre>{@code
 * java --enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow \
 *      -jar bench/target/benchmarks.jar ContinuationFloorBench
 * }</pre>
 */
@Fork(value = 2, jvmArgsPrepend = {"--add-exports", "java.base/jdk.internal.vm=ALL-UNNAMED"})
public class ContinuationFloorBench extends PeerBench {
    @Override
    protected Subject newPeer() {
        return new ContinuationFloor();
    }

    /** {@code java ... -jar bench/target/benchmarks.jar 'ContinuationFloorBench.pingpong'} (round trips/s) */
    @Benchmark
    @OperationsPerInvocation(200_000)
    public long pingpong() throws Exception {
        return run(Workload.PINGPONG);
    }

    /** {@code java ... -jar bench/target/benchmarks.jar 'ContinuationFloorBench.sleep0'} (yields/s) */
    @Benchmark
    @OperationsPerInvocation(1_000_000)
    public long sleep0() throws Exception {
        return run(Workload.SLEEP0);
    }
}
