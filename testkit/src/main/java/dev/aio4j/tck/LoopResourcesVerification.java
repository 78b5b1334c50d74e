package dev.aio4j.tck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.aio4j.AsyncIO;
import dev.aio4j.Future;
import dev.aio4j.Loop;
import dev.aio4j.Task;
import java.lang.ref.Reference;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * SPEC.md section L, what a loop does with what it is given to run on: the
 * thread that runs it (L17, an interrupt flag; L20, a virtual thread) and
 * the memory a burst of work made it take (L21).
 *
 * <p>If a test here fails, check how the loop waits for work (a parked
 * thread whose interrupt flag is set returns at once), which thread carries
 * the loop when its caller is virtual, and whether the loop's tables (ready
 * queue, timer heap, live tasks, unretrieved failures) keep the capacity of
 * their peak once it is over.
 */
public abstract class LoopResourcesVerification extends AbstractVerification {
    /** For a backend's subclass, which names its provider. */
    protected LoopResourcesVerification() {}

    @Override
    protected String area() {
        return "Lifecycle";
    }

    /** Whether {@code t} is parked (waiting, not running): what a thread that waits without spinning shows. */
    private static boolean parked(Thread t) {
        Thread.State st = t.getState();
        return st == Thread.State.WAITING || st == Thread.State.TIMED_WAITING;
    }

    /**
     * Starts a platform thread that waits until {@code thread} is set and
     * parked, then runs {@code then} through {@code callSoonThreadsafe}; if it
     * never parks within half the timeout, records why in {@code failure}
     * and runs {@code then} anyway, so that the loop can finish.
     */
    private void whenParked(Loop loop, AtomicReference<Thread> thread, String who, List<String> failure, Runnable then) {
        long deadline = System.nanoTime() + env.timeout().toNanos() / 2;
        Thread.ofPlatform().daemon().name("tck-watcher").start(() -> {
            while (thread.get() == null || !parked(thread.get())) {
                if (System.nanoTime() > deadline) {
                    failure.add(who + " never parked while it waited (state " + (thread.get() == null ? "unknown"
                            : thread.get().getState()) + "): it spins on its interrupt flag");
                    break;
                }
                Thread.onSpinWait();
            }
            loop.callSoonThreadsafe(then);
        });
    }

    /**
     * L17: an interrupt flag neither stalls the loop nor is lost: a task that
     * keeps its interrupt (as {@code catch (InterruptedException e)
     * { Thread.currentThread().interrupt(); }} does) and awaits waits parked
     * and still has its flag after the await; a loop run from a thread whose
     * flag is set waits parked when idle, and gives the caller its flag back.
     */
    @Test
    public void required_L17_anInterruptFlagNeitherStallsTheLoopNorIsLost() {
        Loop loop = newLoop();
        List<String> failure = new java.util.concurrent.CopyOnWriteArrayList<>();
        AtomicReference<Thread> taskThread = new AtomicReference<>();
        Future<String> release = loop.createFuture();
        Task<Boolean> task = loop.createTask(() -> {
            Thread.currentThread().interrupt();
            taskThread.set(Thread.currentThread());
            release.await();
            boolean kept = Thread.currentThread().isInterrupted();
            AsyncIO.sleep0(); // once more with the flag set
            Thread.interrupted();
            return kept;
        });
        whenParked(loop, taskThread, "a task awaiting with its interrupt flag set", failure, () -> release.setResult("go"));
        assertTrue(run(loop, () -> task.await()),
                "a task's interrupt flag must still be set after its await returns (SPEC L17)");
        assertEquals(List.of(), failure, "SPEC L17");

        AtomicReference<Thread> caller = new AtomicReference<>();
        Future<String> idle = loop.createFuture();
        whenParked(loop, caller, "the thread running an idle loop with its interrupt flag set", failure,
                () -> idle.setResult("woken"));
        boolean[] callerKept = new boolean[1];
        String r = onLoopThread(loop, () -> {
            Thread.currentThread().interrupt();
            caller.set(Thread.currentThread());
            String v = loop.runUntilComplete(idle);
            callerKept[0] = Thread.interrupted();
            return v;
        });
        assertEquals("woken", r, "SPEC L17");
        assertEquals(List.of(), failure, "SPEC L17");
        assertTrue(callerKept[0], "runUntilComplete must return with the caller's interrupt flag still set (SPEC L17)");

        // And the other way round: a caller whose flag is clear does not get one, though the loop waited idle.
        boolean[] invented = new boolean[1];
        onLoopThread(loop, () -> {
            Thread.interrupted();
            Future<String> later = loop.createFuture();
            loop.callLater(Duration.ofMillis(5), () -> later.setResult("timer"));
            loop.runUntilComplete(later); // idles until the timer
            invented[0] = Thread.interrupted();
            return null;
        });
        assertFalse(invented[0], "runUntilComplete must not set an interrupt flag its caller did not have (SPEC L17)");
        boolean[] taskInvented = new boolean[2];
        onLoopThread(loop, () -> {
            Thread.interrupted();
            loop.runUntilComplete(() -> {
                Future<String> later = loop.createFuture();
                loop.callLater(Duration.ofMillis(5), () -> later.setResult("timer"));
                later.await(); // the task's thread and the loop's wait parked for the baton meanwhile
                taskInvented[0] = Thread.currentThread().isInterrupted();
                return null;
            });
            taskInvented[1] = Thread.interrupted();
            return null;
        });
        assertFalse(taskInvented[0], "an await must not set an interrupt flag the task did not have (SPEC L17)");
        assertFalse(taskInvented[1], "runUntilComplete of a task that awaited must not set an interrupt flag its "
                + "caller did not have (SPEC L17)");
    }

    /**
     * L20: a virtual thread may run a loop: the result and the exact
     * exception come back, an interrupt of the caller while the loop runs
     * neither stops the loop early nor is lost, and the loop runs again
     * afterwards from any thread.
     */
    @Test
    public void required_L20_aVirtualThreadMayRunALoop() {
        Loop loop = newLoop();
        AtomicReference<Thread> caller = new AtomicReference<>();
        boolean[] callerKept = new boolean[1];
        String r = onVirtualThread(loop, () -> {
            caller.set(Thread.currentThread());
            String v = loop.runUntilComplete(() -> {
                caller.get().interrupt(); // while the loop runs, and the loop has more to wait for
                AsyncIO.sleep(Duration.ofMillis(5));
                return "done";
            });
            callerKept[0] = Thread.interrupted();
            return v;
        });
        assertTrue(caller.get().isVirtual(), "the TCK must have run the loop from a virtual thread");
        assertEquals("done", r, "runUntilComplete called from a virtual thread must return the result (SPEC L20)");
        assertTrue(callerKept[0], "a virtual caller interrupted while its loop ran must get its flag back (SPEC L20, L17)");
        assertFalse(loop.isRunning(), "the loop must not be left running when runUntilComplete returned (SPEC L20)");

        java.io.IOException boom = new java.io.IOException("from the task");
        Throwable thrown = LifecycleVerification.thrownBy(() -> onVirtualThread(loop, () -> loop.runUntilComplete(() -> {
            AsyncIO.sleep0();
            throw boom;
        })));
        assertSame(boom, thrown, "a virtual caller must get the task's very exception (SPEC L20, L2)");
        assertEquals("again", run(loop, () -> "again"), "a loop a virtual thread ran must run again from another "
                + "thread (SPEC L20, L14)");
    }

    // ------------------------------------------------------------------ L21: memory of a burst

    /**
     * What an idle loop may keep of a burst, in bytes: each burst below would
     * leave 1 MB or more in tables that keep their peak capacity, and two
     * readings of a JVM at rest differ by a few KiB.
     */
    static final long KEPT_LIMIT = 256 << 10;

    /** The work of one burst: ready at once, or alive at once, then over. */
    enum Burst {
        /** A quarter of a million callbacks ready at once. */
        CALLBACKS(250_000) {
            @Override
            void run(Loop loop, int n) {
                int[] ran = {0};
                for (int i = 0; i < n; i++) {
                    loop.callSoon(() -> ran[0]++);
                }
                AsyncIO.sleep0(); // this task's step comes after all of them
                assertEquals(n, ran[0], "every callback of the burst must have run (SPEC L21)");
            }
        },
        /** A quarter of a million timers due at once. */
        TIMERS(250_000) {
            @Override
            void run(Loop loop, int n) {
                int[] ran = {0};
                for (int i = 0; i < n; i++) {
                    loop.callLater(Duration.ZERO, () -> ran[0]++);
                }
                while (ran[0] < n) { // a task that yields with nothing else ready: the burst comes in at its yield
                    AsyncIO.sleep0();
                }
            }
        },
        /** A hundred thousand tasks alive at once. */
        TASKS(100_000) {
            @Override
            void run(Loop loop, int n) {
                Task<?> t = null;
                int[] ran = {0};
                for (int i = 0; i < n; i++) {
                    t = loop.createTask(() -> ++ran[0]);
                }
                t.await(); // tasks start in creation order, and each ends in its first step
                assertEquals(n, ran[0], "every task of the burst must have run (SPEC L21)");
            }
        },
        /** A quarter of a million futures failed at once, their exceptions then retrieved. */
        FAILURES(250_000) {
            @Override
            void run(Loop loop, int n) {
                RuntimeException boom = new RuntimeException("burst");
                List<Future<Void>> failed = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    Future<Void> f = loop.createFuture();
                    f.setException(boom);
                    failed.add(f);
                }
                for (Future<Void> f : failed) {
                    f.exception();
                }
            }
        };

        /** The burst's size. */
        final int size;

        Burst(int size) {
            this.size = size;
        }

        /** From a task of {@code loop}: makes a burst of {@code n} and returns when it is over. */
        abstract void run(Loop loop, int n);
    }

    /**
     * L21: once a burst is over and the loop has idled, the loop, open and
     * still referenced, keeps no more than {@link #KEPT_LIMIT} of what the
     * burst took: for a quarter of a million callbacks or timers ready at
     * once, a hundred thousand tasks alive at once, and a quarter of a
     * million failed futures.
     */
    @Test
    public void required_L21_anIdleLoopGivesBackTheMemoryOfABurst() {
        Loop loop = newLoop();
        List<String> keptBack = new ArrayList<>();
        for (Burst burst : Burst.values()) {
            // A small burst first: what the first use of each kind loads or makes once is then in "before".
            run(loop, env.scaled(Duration.ofSeconds(60)), () -> {
                burst.run(loop, 100);
                AsyncIO.sleep(Duration.ofMillis(10));
                return null;
            });
            long before = reachableHeap();
            run(loop, env.scaled(Duration.ofSeconds(60)), () -> {
                burst.run(loop, burst.size);
                return null;
            });
            // The loop gives memory back when it idles, which a burst's tail (a collection, say) can outlast a
            // timer: until the memory is back, or the TCK's timeout, let it idle again and read again.
            long deadline = System.nanoTime() + env.timeout().toNanos();
            long held;
            do {
                run(loop, () -> {
                    AsyncIO.sleep(Duration.ofMillis(10)); // nothing else to do: the loop waits for the timer
                    return null;
                });
            } while ((held = reachableHeap() - before) > KEPT_LIMIT && System.nanoTime() < deadline);
            if (held > KEPT_LIMIT) {
                keptBack.add(burst + " (" + burst.size + "): " + held / 1024 + " KiB kept");
            }
        }
        Reference.reachabilityFence(loop);
        assertEquals(List.of(), keptBack, "an idle loop must give back what a past burst took, beyond "
                + KEPT_LIMIT / 1024 + " KiB (SPEC L21)");
    }
}
