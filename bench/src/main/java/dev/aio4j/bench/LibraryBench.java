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
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * How the library's cost grows with its size: gather of {@code n} futures,
 * gather of {@code n} tasks, and a TaskGroup of {@code n} children, each run
 * whole per invocation. The score is nanoseconds per invocation; divided by
 * {@code n} it is the cost per element, which should stay within a small
 * factor from 10 to 100,000 (no quadratic step).
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

    /** gather of n pending futures, completed in order by one callback. */
    @Benchmark
    public int gatherFutures() {
        return loop.runUntilComplete(() -> {
            List<Future<Integer>> fs = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                fs.add(loop.createFuture());
            }
            Future<List<Integer>> all = AsyncIO.gather(fs);
            loop.callSoon(() -> {
                for (int i = 0; i < n; i++) {
                    fs.get(i).setResult(i);
                }
            });
            return all.await().size();
        });
    }

    /** gather of n trivial tasks (asyncio's gather(*coros)). */
    @Benchmark
    public int gatherTasks() {
        return loop.runUntilComplete(() -> {
            List<Task<Integer>> ts = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                int v = i;
                ts.add(loop.createTask(() -> v));
            }
            return AsyncIO.gather(ts).await().size();
        });
    }

    /** A TaskGroup of n trivial children. */
    @Benchmark
    public int taskGroup() {
        return loop.runUntilComplete(() -> TaskGroup.run(tg -> {
            for (int i = 0; i < n; i++) {
                int v = i;
                tg.createTask(() -> v);
            }
            return n;
        }));
    }
}
