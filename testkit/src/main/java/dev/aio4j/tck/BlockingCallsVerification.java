package dev.aio4j.tck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.aio4j.AsyncIO;
import dev.aio4j.Loop;
import dev.aio4j.LoopOptions;
import dev.aio4j.Task;
import dev.aio4j.Ticker;
import dev.aio4j.spi.Capability;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.Test;

/**
 * SPEC.md section B, capability {@link Capability#BLOCKING_CALLS_YIELD}: a JDK
 * blocking call inside a task parks only that task.
 *
 * <p>If a required test here fails, a blocking call in a task broke the
 * loop (it must complete, holding the loop at worst). If an optional test
 * fails, the backend declares the capability but a blocking call still holds
 * the loop: check that a task thread parked while it holds the loop gives
 * the loop back, and takes its turn again when the call returns. The
 * optional tests bound every blocking call by the TCK timeout, so that a
 * backend that holds the loop fails with a message instead of hanging.
 */
public abstract class BlockingCallsVerification extends AbstractVerification {
    /** For a backend's subclass, which names its provider. */
    protected BlockingCallsVerification() {}


    @Override
    protected String area() {
        return "BlockingCalls";
    }

    /** B1: a blocking call inside a task completes, and the task goes on as the loop's current task. */
    @Test
    public void required_B1_blockingCallInTaskCompletesAndTheTaskGoesOn() {
        Loop loop = newLoop();
        String result = run(loop, () -> {
            Task<?> self = loop.currentTask();
            Thread.sleep(5); // the subject under test: a JDK blocking call inside a task, not a wait
            assertTrue(loop.inLoop(), "after a blocking call, a task must still run on the loop (SPEC B1)");
            assertSame(self, loop.currentTask(),
                    "after a blocking call, the task must still be the loop's current task (SPEC B1)");
            AsyncIO.sleep(1);
            return "done";
        });
        assertEquals("done", result, "a task whose body calls Thread.sleep must complete with its result (SPEC B1)");
    }

    /** B2: Thread.sleep in a task parks only that task; the loop runs another task meanwhile. */
    @Test
    public void optional_B2_sleepInTaskLetsOtherTasksRun() {
        requireCapability(Capability.BLOCKING_CALLS_YIELD);
        Loop loop = newLoop();
        List<String> seen = Collections.synchronizedList(new ArrayList<>());
        run(loop, () -> {
            Task<Void> sleeper = loop.createTask(() -> {
                Task<?> self = loop.currentTask();
                seen.add("sleep");
                Thread.sleep(20); // the subject under test: the blocking call that must park only this task
                seen.add("woke");
                assertTrue(loop.inLoop(), "after a blocking call the task must be back on the loop (SPEC B2)");
                assertSame(self, loop.currentTask(),
                        "after a blocking call the task must be the loop's current task again (SPEC B2)");
                return null;
            });
            Task<Void> other = loop.createTask(() -> {
                seen.add("other");
                return null;
            });
            sleeper.await();
            other.await();
            return null;
        });
        assertEquals(List.of("sleep", "other", "woke"), seen,
                "another task must run while a task is in Thread.sleep (SPEC B2: blocking calls park only their task)");
    }

    /**
     * B3: a task blocked on a ReentrantLock held by another thread lets the loop run on.
     *
     * @throws Exception an unexpected failure, which fails the test
     */
    @Test
    public void optional_B3_lockHeldByAnotherThreadParksOnlyTheTask() throws Exception {
        requireCapability(Capability.BLOCKING_CALLS_YIELD);
        Loop loop = newLoop();
        ReentrantLock lock = new ReentrantLock();
        CountDownLatch locked = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Thread holder = Thread.ofPlatform().daemon().name("tck-lock-holder").start(() -> {
            lock.lock();
            try {
                locked.countDown();
                if (!release.await(env.timeout().toMillis(), TimeUnit.MILLISECONDS)) {
                    env.flop("the task that releases the lock never ran (SPEC B3)");
                }
            } catch (InterruptedException e) {
                env.flop(e);
            } finally {
                lock.unlock();
            }
        });
        assertTrue(locked.await(env.timeout().toMillis(), TimeUnit.MILLISECONDS), "lock holder did not start");
        boolean got = run(loop, () -> {
            Task<Boolean> blocked = loop.createTask(() -> {
                boolean ok = lock.tryLock(env.timeout().toMillis(), TimeUnit.MILLISECONDS);
                if (ok) {
                    lock.unlock();
                }
                return ok;
            });
            Task<Void> releaser = loop.createTask(() -> {
                release.countDown();
                return null;
            });
            releaser.await();
            return blocked.await();
        });
        holder.join(env.timeout().toMillis());
        assertTrue(got, "a task blocked on a lock held by another thread must let the loop run the task that makes "
                + "the holder release it, instead of holding the loop (SPEC B3)");
    }

    /** B4: a task in Object.wait lets the loop run the task that notifies it. */
    @Test
    public void optional_B4_objectWaitParksOnlyTheTask() {
        requireCapability(Capability.BLOCKING_CALLS_YIELD);
        Loop loop = newLoop();
        Object monitor = new Object();
        boolean[] flag = new boolean[1];
        boolean notified = run(loop, () -> {
            Task<Boolean> waiter = loop.createTask(() -> {
                long deadline = System.nanoTime() + env.timeout().toNanos();
                synchronized (monitor) {
                    while (!flag[0]) {
                        long left = deadline - System.nanoTime();
                        if (left <= 0) {
                            return false;
                        }
                        monitor.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
                    }
                }
                return true;
            });
            Task<Void> notifier = loop.createTask(() -> {
                synchronized (monitor) {
                    flag[0] = true;
                    monitor.notifyAll();
                }
                return null;
            });
            notifier.await();
            return waiter.await();
        });
        assertTrue(notified, "a task in Object.wait must let the loop run the task that notifies it (SPEC B4)");
    }

    /**
     * B5: a blocking socket read in a task lets the loop run the task that writes the data.
     *
     * @throws Exception an unexpected failure, which fails the test
     */
    @Test
    public void optional_B5_blockingSocketReadParksOnlyTheTask() throws Exception {
        requireCapability(Capability.BLOCKING_CALLS_YIELD);
        Loop loop = newLoop();
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                Socket client = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort());
                Socket accepted = server.accept()) {
            accepted.setSoTimeout((int) env.timeout().toMillis());
            int read = run(loop, () -> {
                Task<Integer> reader = loop.createTask(() -> {
                    InputStream in = accepted.getInputStream();
                    try {
                        return in.read();
                    } catch (java.net.SocketTimeoutException e) {
                        return -2;
                    }
                });
                Task<Void> writer = loop.createTask(() -> {
                    client.getOutputStream().write(42);
                    client.getOutputStream().flush();
                    return null;
                });
                writer.await();
                return reader.await();
            });
            assertEquals(42, read, "a task blocked in a socket read must let the loop run the task that writes "
                    + "the data (SPEC B5); -2 means the read timed out while holding the loop");
        }
    }

    /**
     * B6: a task blocked on a lock held by another task of the same loop,
     * suspended at an await, does not deadlock the loop.
     */
    @Test
    public void optional_B6_lockHeldByTaskSuspendedAtAnAwaitDoesNotDeadlock() {
        requireCapability(Capability.BLOCKING_CALLS_YIELD);
        Loop loop = newLoop();
        ReentrantLock lock = new ReentrantLock();
        List<String> seen = Collections.synchronizedList(new ArrayList<>());
        run(loop, () -> {
            Task<Void> owner = loop.createTask(() -> {
                lock.lock();
                try {
                    seen.add("owner locked");
                    AsyncIO.sleep(10); // suspended at an await, holding the lock
                    seen.add("owner unlocks");
                } finally {
                    lock.unlock();
                }
                return null;
            });
            Task<Void> contender = loop.createTask(() -> {
                if (lock.tryLock(env.timeout().toMillis(), TimeUnit.MILLISECONDS)) {
                    try {
                        seen.add("contender locked");
                    } finally {
                        lock.unlock();
                    }
                } else {
                    seen.add("contender timed out");
                }
                return null;
            });
            owner.await();
            contender.await();
            return null;
        });
        assertEquals(List.of("owner locked", "owner unlocks", "contender locked"), seen,
                "a task blocked on a lock held by a task suspended at an await must let the loop resume that task "
                        + "(SPEC B6: the carrier deadlock of Netty issue 13204)");
    }

    /**
     * B7: with the capability, a task parked in a blocking call is not a slow
     * step: the loop runs on meanwhile, so debug mode reports neither a
     * blocked loop nor a slow step for the time it was parked.
     */
    @Test
    public void optional_B7_aTaskParkedInABlockingCallIsNotReportedAsSlow() {
        requireCapability(Capability.BLOCKING_CALLS_YIELD);
        Duration threshold = Duration.ofMillis(50);
        Loop loop = newLoop(new LoopOptions(Ticker.system(), "tck-b7", true, threshold));
        try (LogCapture log = new LogCapture()) {
            log.expectWarningsOfLoop("tck-b7");
            run(loop, () -> {
                CountDownLatch latch = new CountDownLatch(1);
                Task<Void> blocked = loop.createTask(() -> {
                    // The subject: a blocking call that lasts four thresholds while the loop runs on.
                    assertTrue(latch.await(env.timeout().toMillis(), TimeUnit.MILLISECONDS), "SPEC B7");
                    return null;
                }, "tck-b7-blocked");
                loop.callLater(threshold.multipliedBy(4), latch::countDown);
                blocked.await();
                return null;
            });
            List<LogRecord> reports = log.matching(Level.WARNING, "", "tck-b7-blocked");
            assertEquals(List.of(), reports.stream().map(LogRecord::getMessage).toList(),
                    "a task parked in a blocking call lets the loop run on: debug mode must not report it as "
                            + "blocking the loop or as a slow step (SPEC B7)");
        }
    }
    /**
     * B7: the step resumes when the task rejoins the loop: a task that holds the loop once its
     * blocking call has returned is reported as blocking it (E9), like any other step.
     */
    @Test
    public void optional_B7_aTaskThatHoldsTheLoopAfterABlockingCallIsReported() {
        requireCapability(Capability.BLOCKING_CALLS_YIELD);
        Duration threshold = Duration.ofMillis(50);
        Loop loop = newLoop(new LoopOptions(Ticker.system(), "tck-b7-rejoin", true, threshold));
        try (LogCapture log = new LogCapture()) {
            log.expectWarningsOfLoop("tck-b7-rejoin");
            long deadline = System.nanoTime() + env.timeout().toNanos();
            run(loop, () -> {
                CountDownLatch latch = new CountDownLatch(1);
                Task<Void> holder = loop.createTask(() -> {
                    assertTrue(latch.await(env.timeout().toMillis(), TimeUnit.MILLISECONDS), "SPEC B7");
                    // The subject: back on the loop, the task holds it until it is reported.
                    while (log.matching(Level.WARNING, "Blocked", "tck-b7-holder").isEmpty()
                            && System.nanoTime() < deadline) {
                        Thread.onSpinWait();
                    }
                    return null;
                }, "tck-b7-holder");
                loop.callSoon(latch::countDown);
                holder.await();
                return null;
            });
            assertEquals(1, log.matching(Level.WARNING, "Blocked", "tck-b7-holder").size(), "a task that holds the "
                    + "loop after its blocking call returned must be reported as blocking it, once (SPEC B7, E9)");
        }
    }

    /**
     * B8: closing the loop ends a task parked in a blocking call: its thread is interrupted, the call
     * throws InterruptedException, and the thread ends; nothing of the loop's stays behind on it.
     *
     * @throws Exception an unexpected failure, which fails the test
     */
    @Test
    public void optional_B8_closingTheLoopEndsATaskParkedInABlockingCall() throws Exception {
        requireCapability(Capability.BLOCKING_CALLS_YIELD);
        Loop loop = newLoop();
        java.util.concurrent.atomic.AtomicReference<Thread> sleeper = new java.util.concurrent.atomic.AtomicReference<>();
        List<Throwable> woken = Collections.synchronizedList(new ArrayList<>());
        long forever = env.timeout().toMillis() * 10;
        run(loop, () -> {
            loop.createTask(() -> {
                sleeper.set(Thread.currentThread());
                try {
                    Thread.sleep(forever); // the subject: parked when the loop stops and closes
                } catch (InterruptedException e) {
                    woken.add(e);
                    throw e;
                }
                return null;
            });
            while (sleeper.get() == null || sleeper.get().getState() != Thread.State.TIMED_WAITING) {
                AsyncIO.sleep0(); // the sleeper parked gives the loop back: this task goes on
            }
            return null; // the loop stops with the sleeper still in its call
        });
        loop.close();
        Thread t = sleeper.get();
        t.join(env.timeout().toMillis());
        assertFalse(t.isAlive(), "closing the loop must end the thread of a task parked in a blocking call, state "
                + t.getState() + " (SPEC B8)");
        assertEquals(1, woken.size(), "the blocking call must throw InterruptedException once the loop closes (SPEC B8)");
    }

    /**
     * B9: a virtual thread a task started runs on while the loop is stopped (unparked then, it is not stranded
     * on a carrier that no longer carries), and afterwards a blocking call of that task still parks only the
     * task (B2).
     *
     * @throws Exception an unexpected failure, which fails the test
     */
    @Test
    public void optional_B9_aVirtualThreadATaskStartedRunsOnWhileTheLoopIsStopped() throws Exception {
        requireCapability(Capability.BLOCKING_CALLS_YIELD);
        Loop loop = newLoop();
        CountDownLatch go = new CountDownLatch(1);
        java.util.concurrent.CompletableFuture<String> child = new java.util.concurrent.CompletableFuture<>();
        dev.aio4j.Future<Void> resume = loop.createFuture();
        List<String> seen = Collections.synchronizedList(new ArrayList<>());
        List<Task<Void>> task = new ArrayList<>();
        run(loop, () -> {
            task.add(loop.createTask(() -> {
                Thread.ofVirtual().start(() -> { // started by the task: the subject
                    try {
                        go.await();
                        child.complete("ran");
                    } catch (InterruptedException e) {
                        child.completeExceptionally(e);
                    }
                });
                resume.await();
                seen.add("sleep");
                Thread.sleep(20); // B2 once more, for this task
                seen.add("woke");
                return null;
            }));
            AsyncIO.sleep0(); // the task starts its thread and waits for resume
            return null; // the loop stops, the task and its thread still waiting
        });
        go.countDown(); // the thread the task started is unparked while no loop runs
        assertEquals("ran", child.get(env.timeout().toMillis(), TimeUnit.MILLISECONDS),
                "a virtual thread a task started must run on while the loop is stopped (SPEC B9)");
        run(loop, () -> {
            resume.setResult(null);
            Task<Void> other = loop.createTask(() -> {
                seen.add("other");
                return null;
            });
            task.get(0).await();
            other.await();
            return null;
        });
        assertEquals(List.of("sleep", "other", "woke"), seen, "after its thread ran while the loop was stopped, a "
                + "task's Thread.sleep must still park only that task (SPEC B9, B2)");
    }
}
