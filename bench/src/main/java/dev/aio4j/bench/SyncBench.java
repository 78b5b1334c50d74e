package dev.aio4j.bench;

import dev.aio4j.AsyncIO;
import dev.aio4j.Future;
import dev.aio4j.Loop;
import dev.aio4j.sync.Condition;
import dev.aio4j.sync.Event;
import dev.aio4j.sync.Hold;
import dev.aio4j.sync.Lock;
import dev.aio4j.sync.Semaphore;
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
 * How the synchronisation primitives' cost grows with the number of tasks
 * waiting on one primitive (issue 13: within 3x per operation from 10 to
 * 100,000 waiters). Each invocation serves {@value #ELEMENTS} waiters in one
 * loop run, as {@code ELEMENTS / n} rounds of {@code n} tasks that all wait at
 * once, so the score is nanoseconds per waiter served (its task's creation,
 * first step, wait and wake-up included) whatever {@code n}.
 *
 * <ul>
 *   <li>{@code lockHandOff}: the lock is held; n tasks wait for it; one
 *       release, and each waiter releases to the next (n hand-offs);</li>
 *   <li>{@code semaphoreHandOff}: the same through a {@code Semaphore(1)};</li>
 *   <li>{@code eventSet}: n tasks wait on an event; one {@code set()} wakes them all;</li>
 *   <li>{@code conditionSignalAll}: n tasks wait on a condition; one
 *       {@code signalAll()} wakes them all, and each takes the lock again in
 *       turn (n hand-offs of the lock as well).</li>
 * </ul>
 *
 * <pre>{@code
 * java --add-opens java.base/java.lang=ALL-UNNAMED --enable-native-access=ALL-UNNAMED \
 *      --sun-misc-unsafe-memory-access=allow -jar bench/target/benchmarks.jar SyncBench -p backend=loom
 * }</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class SyncBench {
    static final int ELEMENTS = 100_000;

    /** The provider name of the backend under test. */
    @Param({"executor"})
    public String backend;

    /** How many tasks wait on the primitive at once. */
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

    /** Counts the waiters served; completes {@code done} with the last. */
    private static final class Countdown {
        final Future<Void> done;
        int remaining;

        Countdown(Loop loop, int n) {
            done = loop.createFuture();
            remaining = n;
        }

        void served() {
            if (--remaining == 0) {
                done.setResult(null);
            }
        }
    }

    /** Lock hand-off through n waiting tasks. */
    @Benchmark
    @OperationsPerInvocation(ELEMENTS)
    public int lockHandOff() {
        return loop.runUntilComplete(() -> {
            int served = 0;
            for (int round = 0; round < ELEMENTS / n; round++) {
                Lock lock = new Lock();
                Countdown c = new Countdown(loop, n);
                lock.acquire();
                for (int i = 0; i < n; i++) {
                    loop.createTask(() -> {
                        lock.acquire();
                        c.served();
                        lock.release();
                        return null;
                    });
                }
                AsyncIO.sleep0(); // every task now waits
                lock.release();
                c.done.await();
                served += n;
            }
            return served;
        });
    }

    /** Semaphore(1) acquire/release through n waiting tasks. */
    @Benchmark
    @OperationsPerInvocation(ELEMENTS)
    public int semaphoreHandOff() {
        return loop.runUntilComplete(() -> {
            int served = 0;
            for (int round = 0; round < ELEMENTS / n; round++) {
                Semaphore sem = new Semaphore(1);
                Countdown c = new Countdown(loop, n);
                sem.acquire();
                for (int i = 0; i < n; i++) {
                    loop.createTask(() -> {
                        sem.acquire();
                        c.served();
                        sem.release();
                        return null;
                    });
                }
                AsyncIO.sleep0();
                sem.release();
                c.done.await();
                served += n;
            }
            return served;
        });
    }

    /** Event.set waking n waiting tasks. */
    @Benchmark
    @OperationsPerInvocation(ELEMENTS)
    public int eventSet() {
        return loop.runUntilComplete(() -> {
            int served = 0;
            for (int round = 0; round < ELEMENTS / n; round++) {
                Event event = new Event();
                Countdown c = new Countdown(loop, n);
                for (int i = 0; i < n; i++) {
                    loop.createTask(() -> {
                        event.await();
                        c.served();
                        return null;
                    });
                }
                AsyncIO.sleep0();
                event.set();
                c.done.await();
                served += n;
            }
            return served;
        });
    }

    /** Condition.signalAll waking n waiting tasks, each re-taking the lock in turn. */
    @Benchmark
    @OperationsPerInvocation(ELEMENTS)
    public int conditionSignalAll() {
        return loop.runUntilComplete(() -> {
            int served = 0;
            for (int round = 0; round < ELEMENTS / n; round++) {
                Condition cond = new Condition();
                Countdown c = new Countdown(loop, n);
                for (int i = 0; i < n; i++) {
                    loop.createTask(() -> {
                        try (Hold h = cond.hold()) {
                            cond.await();
                            c.served();
                        }
                        return null;
                    });
                }
                AsyncIO.sleep0(); // each took the lock, waits and released it, in one iteration
                try (Hold h = cond.hold()) {
                    cond.signalAll();
                }
                c.done.await();
                served += n;
            }
            return served;
        });
    }
}
