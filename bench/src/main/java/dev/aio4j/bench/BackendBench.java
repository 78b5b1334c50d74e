package dev.aio4j.bench;

import dev.aio4j.Loop;
import dev.aio4j.LoopGroup;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The workloads on every aio4j backend. One invocation runs one whole
 * workload; the score is operations per second. The {@code backend} parameter
 * is a provider name; {@link BenchMain} fills it with every backend found on
 * the class path (the default below is only what plain JMH would use).
 *
 * <p>Run all of them (from the repository root, after {@code ./mvnw -B -q -DskipTests package}):
 * <pre>{@code
 * java --add-opens java.base/java.lang=ALL-UNNAMED --enable-native-access=ALL-UNNAMED \
 *      --sun-misc-unsafe-memory-access=allow -jar bench/target/benchmarks.jar BackendBench
 * }</pre>
 * One workload on one backend: append {@code BackendBench.pingpong -p backend=executor}.
 * Each method's Javadoc names its own filter.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(2)
public class BackendBench {
    /** The provider name of the backend under test. */
    @Param({"executor"})
    public String backend;

    private Loop loop;

    @Setup(Level.Trial)
    public void open() {
        loop = Backends.open(backend);
    }

    @TearDown(Level.Trial)
    public void close() {
        loop.close();
    }

    /** {@code java ... -jar bench/target/benchmarks.jar 'BackendBench.callsoon'} */
    @Benchmark
    @OperationsPerInvocation(1_000_000)
    public void callsoon() {
        LoopWorkloads.callsoon(loop, Workload.CALLSOON.size());
    }

    /** {@code java ... -jar bench/target/benchmarks.jar 'BackendBench.tasks'} */
    @Benchmark
    @OperationsPerInvocation(200_000)
    public void tasks() {
        LoopWorkloads.tasks(loop, Workload.TASKS.size());
    }

    /** {@code java ... -jar bench/target/benchmarks.jar 'BackendBench.pingpong'} (round trips/s) */
    @Benchmark
    @OperationsPerInvocation(200_000)
    public void pingpong() {
        LoopWorkloads.pingpong(loop, Workload.PINGPONG.size());
    }

    /** {@code java ... -jar bench/target/benchmarks.jar 'BackendBench.sleep0'} */
    @Benchmark
    @OperationsPerInvocation(1_000_000)
    public void sleep0() {
        LoopWorkloads.sleep0(loop, Workload.SLEEP0.size());
    }

    /** {@code java ... -jar bench/target/benchmarks.jar 'BackendBench.timers'} */
    @Benchmark
    @OperationsPerInvocation(200_000)
    public void timers() {
        LoopWorkloads.timers(loop, Workload.TIMERS.size());
    }

    /** {@code java ... -jar bench/target/benchmarks.jar 'BackendBench.executor'} */
    @Benchmark
    @OperationsPerInvocation(50_000)
    public void executor() {
        LoopWorkloads.executor(loop, Workload.EXECUTOR.size());
    }

    /** {@code java ... -jar bench/target/benchmarks.jar 'BackendBench.async_tree'} (tasks/s) */
    @Benchmark
    @OperationsPerInvocation(Workload.AsyncTree.TASKS)
    public void async_tree() {
        LoopWorkloads.asyncTree(loop);
    }

    /**
     * {@code java ... -jar bench/target/benchmarks.jar 'BackendBench.echo'} (round trips/s):
     * loopback TCP echo on one loop, 50 clients (needs a backend declaring REAL_SOCKETS).
     */
    @Benchmark
    @OperationsPerInvocation(100_000)
    public void echo() {
        LoopWorkloads.run(loop, Workload.ECHO, Workload.ECHO.size());
    }

    /**
     * The group of echo_group, one loop per available processor, opened for the trials of that
     * benchmark only (the others would carry its idle threads).
     */
    @State(Scope.Benchmark)
    public static class Group {
        private LoopGroup group;

        /** JMH gives the benchmark's own state, whose {@code backend} parameter names the group's backend. */
        @Setup(Level.Trial)
        public void open(BackendBench bench) {
            group = Backends.openGroup(bench.backend);
        }

        /** Stops, closes and joins the group's loops (JMH's thread, never a member). */
        @TearDown(Level.Trial)
        public void close() {
            group.close();
        }
    }

    /**
     * {@code java ... -jar bench/target/benchmarks.jar 'BackendBench.echo_group'} (round trips/s):
     * the echo on a group of one loop per available processor, the server on every member and
     * the 50 clients spread over them (needs a backend declaring REAL_SOCKETS).
     */
    @Benchmark
    @OperationsPerInvocation(100_000)
    public long echo_group(Group g) {
        return LoopWorkloads.echoGroup(g.group, Workload.ECHO_GROUP.size());
    }

    /**
     * {@code java ... -jar bench/target/benchmarks.jar 'BackendBench.queue'} (items/s): 4 producer
     * and 4 consumer tasks through one bounded queue.
     */
    @Benchmark
    @OperationsPerInvocation(200_000)
    public void queue() {
        LoopWorkloads.queue(loop, Workload.QUEUE.size());
    }
}
