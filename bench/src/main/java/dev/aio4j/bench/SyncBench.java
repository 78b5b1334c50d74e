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
 *       turn (n hand-offs of the lock as well);</li>
 *   <li>{@code baselineFutures}: no primitive: n tasks each wait on a future
 *       of their own, all completed at once: what n suspended tasks cost on
 *       the backend, to tell the wait queue's share from the loop's;</li>
 *   <li>{@code lockCycle}, {@code semaphoreCycle}, {@code eventCycle},
 *       {@code conditionCycle}: the same wake-ups in a steady state, n tasks
 *       made once (by the first invocation) that wait again after each
 *       wake-up: the score is one wake-up with n tasks waiting, without the
 *       making of n tasks per round (whose garbage collection dominates the
 *       rounds at 100,000: they all survive young collections).</li>
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
        stopCycle();
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

    /**
     * The baseline without a primitive: n tasks each wait on a loop future of
     * their own, and one callback completes them all (what {@code eventSet}
     * costs minus the wait queue): how the cost of n suspended tasks grows
     * with n on this backend.
     */
    @Benchmark
    @OperationsPerInvocation(ELEMENTS)
    public int baselineFutures() {
        return loop.runUntilComplete(() -> {
            int served = 0;
            for (int round = 0; round < ELEMENTS / n; round++) {
                Countdown c = new Countdown(loop, n);
                java.util.List<Future<Void>> fs = new java.util.ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    Future<Void> f = loop.createFuture();
                    fs.add(f);
                    loop.createTask(() -> {
                        f.await();
                        c.served();
                        return null;
                    });
                }
                AsyncIO.sleep0();
                for (Future<Void> f : fs) {
                    f.setResult(null);
                }
                c.done.await();
                served += n;
            }
            return served;
        });
    }

    // ------------------------------------------------------------------ steady state: n long-lived waiters

    /** The long-lived tasks of a {@code *Cycle} benchmark: made by its first invocation, cancelled at tear-down. */
    private Cycle cycle;

    /** Cancels a cycle's tasks (before the loop closes). */
    private void stopCycle() {
        if (cycle != null) {
            Cycle c = cycle;
            cycle = null;
            loop.runUntilComplete(() -> {
                for (dev.aio4j.Task<Void> t : c.tasks) {
                    t.cancel();
                }
                AsyncIO.gatherSettled(c.tasks).await();
                return null;
            });
        }
    }

    /** n tasks that live across invocations, so that the score is the cost of one wake-up with n waiting, not of making n tasks. */
    private abstract static class Cycle {
        final java.util.List<dev.aio4j.Task<Void>> tasks = new java.util.ArrayList<>();

        /** Runs on the loop, in the benchmark's task: ELEMENTS wake-ups. */
        abstract void invocation();
    }

    /** n tasks pass a lock (or one permit) round and round: each wake-up is a hand-off with n - 1 waiting. */
    private static final class HandOffCycle extends Cycle {
        private final Loop loop;
        private final Runnable acquire;
        private final Runnable release;
        private long count;
        private Future<Void> done;
        private Future<Void> resume;

        HandOffCycle(Loop loop, int n, Runnable acquire, Runnable release) {
            this.loop = loop;
            this.acquire = acquire;
            this.release = release;
            acquire.run();
            for (int i = 0; i < n; i++) {
                tasks.add(loop.createTask(this::run));
            }
            AsyncIO.sleep0(); // every task waits
        }

        private Void run() {
            while (true) {
                acquire.run();
                if (++count % ELEMENTS == 0) { // the invocation's last hand-off: park holding it
                    Future<Void> r = loop.createFuture();
                    resume = r;
                    done.setResult(null);
                    r.await();
                }
                release.run();
            }
        }

        @Override
        void invocation() {
            done = loop.createFuture();
            if (resume == null) {
                release.run(); // the first: the benchmark's task holds it
            } else {
                Future<Void> r = resume;
                resume = null;
                r.setResult(null);
            }
            done.await();
        }
    }

    /** Lock hand-off, n long-lived tasks taking it in turn (n - 1 always waiting). */
    @Benchmark
    @OperationsPerInvocation(ELEMENTS)
    public int lockCycle() {
        return loop.runUntilComplete(() -> {
            if (cycle == null) {
                Lock lock = new Lock();
                cycle = new HandOffCycle(loop, n, lock::acquire, lock::release);
            }
            cycle.invocation();
            return n;
        });
    }

    /** Semaphore(1) hand-off, n long-lived tasks taking the permit in turn. */
    @Benchmark
    @OperationsPerInvocation(ELEMENTS)
    public int semaphoreCycle() {
        return loop.runUntilComplete(() -> {
            if (cycle == null) {
                Semaphore sem = new Semaphore(1);
                cycle = new HandOffCycle(loop, n, sem::acquire, sem::release);
            }
            cycle.invocation();
            return n;
        });
    }

    /** Event.set waking n long-lived tasks, wave after wave (two events, set and cleared in turn). */
    @Benchmark
    @OperationsPerInvocation(ELEMENTS)
    public int eventCycle() {
        return loop.runUntilComplete(() -> {
            if (cycle == null) {
                cycle = new EventCycle(loop, n);
            }
            cycle.invocation();
            return n;
        });
    }

    private static final class EventCycle extends Cycle {
        private final Loop loop;
        private final int n;
        private final Event[] events = {new Event(), new Event()};
        private int wave;
        private int woken;
        private Future<Void> allWoken;

        EventCycle(Loop loop, int n) {
            this.loop = loop;
            this.n = n;
            for (int i = 0; i < n; i++) {
                tasks.add(loop.createTask(() -> {
                    int w = 0;
                    while (true) {
                        events[w & 1].await();
                        w++;
                        if (++woken == n) {
                            allWoken.setResult(null); // and it waits for the next wave in this same step, as the others did
                        }
                    }
                }));
            }
            AsyncIO.sleep0();
        }

        @Override
        void invocation() {
            for (int k = 0; k < ELEMENTS / n; k++) {
                events[(wave + 1) & 1].clear();
                woken = 0;
                allWoken = loop.createFuture();
                events[wave & 1].set();
                allWoken.await();
                wave++;
            }
        }
    }

    /** Condition.signalAll waking n long-lived tasks, wave after wave, each taking the lock again in turn. */
    @Benchmark
    @OperationsPerInvocation(ELEMENTS)
    public int conditionCycle() {
        return loop.runUntilComplete(() -> {
            if (cycle == null) {
                cycle = new ConditionCycle(loop, n);
            }
            cycle.invocation();
            return n;
        });
    }

    private static final class ConditionCycle extends Cycle {
        private final Loop loop;
        private final int n;
        private final Condition cond = new Condition();
        private int parked;
        private Future<Void> allParked;

        ConditionCycle(Loop loop, int n) {
            this.loop = loop;
            this.n = n;
            allParked = loop.createFuture();
            for (int i = 0; i < n; i++) {
                tasks.add(loop.createTask(() -> {
                    while (true) {
                        try (Hold h = cond.hold()) {
                            if (++parked == n) {
                                allParked.setResult(null);
                            }
                            cond.await();
                        }
                    }
                }));
            }
            allParked.await();
        }

        @Override
        void invocation() {
            for (int k = 0; k < ELEMENTS / n; k++) {
                try (Hold h = cond.hold()) {
                    parked = 0;
                    allParked = loop.createFuture();
                    cond.signalAll();
                }
                allParked.await(); // every one woke, took the lock, and waits again
            }
        }
    }
}
