package dev.aio4j.reliability;

import static dev.aio4j.reliability.Harness.TARGETS;
import static dev.aio4j.reliability.Harness.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.aio4j.AsyncIO;
import dev.aio4j.Future;
import dev.aio4j.Loop;
import dev.aio4j.Task;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Interrupts (SPEC L17): an interrupt flag is not a request the loop acts
 * on; it neither stalls the loop (a parked wait returns at once while the
 * flag is set, so a loop that waits without clearing it spins) nor is lost.
 */
@Order(7)
class InterruptsTest {
    private final Harness.Scope scope = new Harness.Scope();

    @AfterEach
    void closeLoops() throws Exception {
        scope.close();
    }

    private static boolean parked(Thread t) {
        Thread.State s = t.getState();
        return s == Thread.State.WAITING || s == Thread.State.TIMED_WAITING;
    }

    /**
     * scale x 200 tasks that set their own interrupt flag and then await (a
     * timer, another task's future, sleep0, an executor job): every await
     * returns normally, each task finds its flag still set after each one,
     * and one such task, while it waits, is parked, not spinning.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource(TARGETS)
    void tasksThatKeepTheirInterruptFlagAwaitAndKeepIt(Target target) throws Exception {
        int n = Knobs.scaled(200);
        Loop loop = scope.open(target, "interrupts-tasks");
        AtomicReference<Thread> watched = new AtomicReference<>();
        String r = run(loop, () -> {
            Future<String> release = loop.createFuture();
            // One task waits with its flag set until a watcher thread has seen it parked.
            Task<Boolean> waiter = loop.createTask(() -> {
                Thread.currentThread().interrupt();
                watched.set(Thread.currentThread());
                release.await();
                boolean kept = Thread.currentThread().isInterrupted();
                Thread.interrupted();
                return kept;
            });
            CompletableFuture<String> seenParked = new CompletableFuture<>();
            Thread.ofPlatform().daemon().name("reliability-parked-watcher").start(() -> {
                try {
                    Harness.until("a task awaiting with its interrupt flag set to be parked",
                            () -> watched.get() != null && parked(watched.get()));
                    seenParked.complete("parked");
                } catch (Throwable e) {
                    seenParked.complete("never parked: " + watched.get() + " " + (watched.get() == null ? ""
                            : watched.get().getState()));
                }
                loop.callSoonThreadsafe(() -> release.setResult("go"));
            });
            List<Task<String>> ts = new ArrayList<>();
            Future<Integer> shared = loop.createFuture();
            for (int i = 0; i < n; i++) {
                int id = i;
                ts.add(loop.createTask(() -> {
                    Thread.currentThread().interrupt();
                    try {
                        AsyncIO.sleep(Duration.ofMillis(1 + id % 10));
                        if (!Thread.currentThread().isInterrupted()) {
                            return "task " + id + " lost its flag in sleep";
                        }
                        if (shared.await() != 42 || !Thread.currentThread().isInterrupted()) {
                            return "task " + id + " lost its flag awaiting a future";
                        }
                        AsyncIO.sleep0();
                        if (!Thread.currentThread().isInterrupted()) {
                            return "task " + id + " lost its flag in sleep0";
                        }
                        if (id % 20 == 0) {
                            int v = loop.toThread(() -> id).await();
                            if (v != id || !Thread.currentThread().isInterrupted()) {
                                return "task " + id + " lost its flag awaiting an executor job";
                            }
                        }
                        return null;
                    } finally {
                        Thread.interrupted();
                    }
                }));
            }
            loop.callLater(Duration.ofMillis(15), () -> shared.setResult(42));
            List<String> problems = new ArrayList<>();
            for (Task<String> t : ts) {
                String p = t.await();
                if (p != null) {
                    problems.add(p);
                }
            }
            if (!waiter.await()) {
                problems.add("the waiting task's flag was cleared by its await");
            }
            String parked = loop.wrapFuture(seenParked).await();
            if (!parked.equals("parked")) {
                problems.add("a task awaiting with its flag set spins instead of parking: " + parked);
            }
            return problems.isEmpty() ? "ok" : String.join("; ", problems.subList(0, Math.min(5, problems.size())));
        });
        assertEquals("ok", r);
        scope.errors(loop).assertNone("interrupted tasks");
    }

    /**
     * runUntilComplete (and runForever) called with the caller's interrupt
     * flag set: the run completes (timers, an executor job, an idle wait for
     * another thread), the idle caller is parked, not spinning, and the flag
     * is still set when the run returns.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource(TARGETS)
    void aRunStartedWithTheCallersFlagSetCompletesAndKeepsIt(Target target) throws Exception {
        Loop loop = scope.open(target, "interrupts-caller");
        Harness.onThread("runUntilComplete with the flag set", () -> {
            Thread caller = Thread.currentThread();
            CompletableFuture<String> seenParked = new CompletableFuture<>();
            Future<String> idle = loop.createFuture();
            Thread.ofPlatform().daemon().name("reliability-caller-watcher").start(() -> {
                String verdict = "parked";
                try {
                    Harness.until("the caller of an idle loop, its flag set, to be parked", () -> parked(caller));
                } catch (Throwable e) {
                    verdict = "never parked: " + caller.getState();
                }
                seenParked.complete(verdict);
                loop.callSoonThreadsafe(() -> idle.setResult("woken"));
            });
            caller.interrupt();
            String r = loop.runUntilComplete(() -> {
                AsyncIO.sleep(Duration.ofMillis(5));
                int v = loop.toThread(() -> 7).await();
                String w = idle.await(); // the loop is idle here until the watcher wakes it
                return v + " " + w;
            });
            assertEquals("7 woken", r);
            assertTrue(Thread.interrupted(), "runUntilComplete must return with the caller's flag still set (L17)");
            assertEquals("parked", Harness.get("the watcher", seenParked), "L17");

            caller.interrupt();
            loop.callLater(Duration.ofMillis(5), loop::stop);
            loop.runForever();
            assertTrue(Thread.interrupted(), "runForever must return with the caller's flag still set (L17)");
            return null;
        });
        scope.errors(loop).assertNone("interrupted caller");
    }

    /**
     * Interrupts from outside while the loop waits: the thread running the
     * loop is interrupted while the loop is idle, and a task's thread while
     * the task awaits. The loop goes on (the interrupt is not a
     * cancellation: the task's await returns its value), the caller gets its
     * flag back, and the task finds its flag set.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource(TARGETS)
    void interruptsFromOutsideWhileWaitingAreKeptNotActedOn(Target target) throws Exception {
        Loop loop = scope.open(target, "interrupts-outside");
        Harness.onThread("a loop interrupted from outside", () -> {
            Thread caller = Thread.currentThread();
            AtomicReference<Thread> taskThread = new AtomicReference<>();
            Future<String> release = loop.createFuture();
            Thread.ofPlatform().daemon().name("reliability-interrupter").start(() -> {
                try {
                    Harness.until("the task to wait", () -> taskThread.get() != null && parked(taskThread.get()));
                } catch (Throwable e) {
                    // interrupt anyway; the assertions below tell
                }
                caller.interrupt();
                Thread tt = taskThread.get();
                if (tt != null) {
                    tt.interrupt();
                }
                loop.callSoonThreadsafe(() -> release.setResult("released"));
            });
            String r = loop.runUntilComplete(() -> {
                Task<String> t = loop.createTask(() -> {
                    taskThread.set(Thread.currentThread());
                    String v = release.await();
                    boolean flag = Thread.interrupted();
                    AsyncIO.sleep(Duration.ofMillis(2)); // and it can wait again afterwards
                    return v + (flag ? " with the flag" : " without the flag");
                });
                return t.await();
            });
            assertEquals("released with the flag", r,
                    "an interrupt of a waiting task is kept for it, not turned into anything (L17)");
            assertTrue(Thread.interrupted(), "the thread running the loop must get its flag back (L17)");
            return null;
        });
        scope.errors(loop).assertNone("interrupts from outside");
    }
}
