package dev.aio4j.bench;

import dev.aio4j.AsyncIO;
import dev.aio4j.Future;
import dev.aio4j.Loop;
import dev.aio4j.Task;
import dev.aio4j.TaskGroup;
import java.util.ArrayList;
import java.util.List;
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
 * How the library's cost grows with its size: gather of {@code n} futures,
 * gather of {@code n} tasks, and a TaskGroup of {@code n} children. Each
 * invocation handles {@value #ELEMENTS} elements in one loop run, as
 * {@code ELEMENTS / n} gathers (or groups) of {@code n} one after the other,
 * so the score is nanoseconds per element whatever {@code n}: it should stay
 * within a small factor from 10 to 100,000 (no quadratic step).
 *
 * <pre>{@code
 * java --add-opens java.base/java.lang=ALL-UNNAMED --enable-native-access=ALL-UNNAMED \
 *      --sun-misc-unsafe-memory-access=allow -jar bench/target/benchmarks.jar LibraryBench -p backend=loom
 * }</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class LibraryBench {
    static final int ELEMENTS = 100_000;

    /** The provider name of the backend under test. */
    @Param({"executor"})
    public String backend;

    /** How many futures, tasks or children. */
    @Param({"10", "1000", "100000"})
    public int n;

    private Loop loop;

    @Setup(Level.Trial)
    public void open() {
        loop = Backends.open(backend);
    }

    @TearDown(Level.Trial)
    public void close() {
        loop.close();
    }

    /** gathers of n pending futures, each set completed in order by one callback. */
    @Benchmark
    @OperationsPerInvocation(ELEMENTS)
    public int gatherFutures() {
        return loop.runUntilComplete(() -> {
            int total = 0;
            for (int round = 0; round < ELEMENTS / n; round++) {
                List<Future<Integer>> fs = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    fs.add(loop.createFuture());
                }
                Future<List<Integer>> all = AsyncIO.gather(fs);
                loop.callSoon(() -> {
                    for (int i = 0; i < fs.size(); i++) {
                        fs.get(i).setResult(i);
                    }
                });
                total += all.await().size();
            }
            return total;
        });
    }

    /** gathers of n trivial tasks (asyncio's gather(*coros)). */
    @Benchmark
    @OperationsPerInvocation(ELEMENTS)
    public int gatherTasks() {
        return loop.runUntilComplete(() -> {
            int total = 0;
            for (int round = 0; round < ELEMENTS / n; round++) {
                List<Task<Integer>> ts = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    int v = i;
                    ts.add(loop.createTask(() -> v));
                }
                total += AsyncIO.gather(ts).await().size();
            }
            return total;
        });
    }

    /** TaskGroups of n trivial children. */
    @Benchmark
    @OperationsPerInvocation(ELEMENTS)
    public int taskGroup() {
        return loop.runUntilComplete(() -> {
            int total = 0;
            for (int round = 0; round < ELEMENTS / n; round++) {
                total += TaskGroup.run(tg -> {
                    for (int i = 0; i < n; i++) {
                        int v = i;
                        tg.createTask(() -> v);
                    }
                    return n;
                });
            }
            return total;
        });
    }
}
