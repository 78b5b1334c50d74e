package dev.aio4j.loom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.aio4j.AsyncIO;
import dev.aio4j.Future;
import dev.aio4j.Loop;
import dev.aio4j.LoopOptions;
import dev.aio4j.Task;
import dev.aio4j.spi.LoopProvider;
import dev.aio4j.tck.LogCapture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The loom backend's own traps, beyond the TCK: what comes of a loop that is
 * the scheduler of its virtual threads (a carrier blocking on its own parked
 * threads, inherited schedulers, the JDK's socket pollers; see backend-loom/README.md).
 */
class LoomBackendTest {
    private static final long TIMEOUT_MS = 20_000;
    private static final String CARRIER = "loom-test-carrier";
    private final List<Loop> loops = new ArrayList<>();

    private Loop newLoop() {
        Loop l = new LoomLoopProvider().open(LoopOptions.defaults().withName("loom-test"));
        loops.add(l);
        return l;
    }

    @AfterEach
    void close() {
        for (Loop l : loops) {
            if (!l.isRunning()) {
                l.close();
            }
        }
    }

    /** Runs {@code action} on a platform thread named CARRIER (it becomes the loop's carrier); fails on a hang. */
    private static <T> T onCarrier(Callable<T> action) throws Exception {
        CompletableFuture<T> done = new CompletableFuture<>();
        Thread t = Thread.ofPlatform().name(CARRIER).daemon().start(() -> {
            try {
                done.complete(action.call());
            } catch (Throwable e) {
                done.completeExceptionally(e);
            }
        });
        try {
            return done.get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            StringBuilder sb = new StringBuilder("hung; carrier stack:");
            for (StackTraceElement el : t.getStackTrace()) {
                sb.append("\n\tat ").append(el);
            }
            throw new AssertionError(sb.toString());
        }
    }

    /**
     * Netty issue 13204: code on the loop (a plain callback) blocks on a lock
     * held by a parked virtual thread of the same carrier. The loop strand is
     * a virtual thread, so it parks and the carrier runs the lock holder.
     */
    @Test
    void callbackBlockingOnLockHeldByParkedThreadOfSameCarrierDoesNotDeadlock() throws Exception {
        Loop loop = newLoop();
        ReentrantLock lock = new ReentrantLock();
        List<String> seen = new ArrayList<>();
        onCarrier(() -> loop.runUntilComplete(() -> {
            CountDownLatch locked = new CountDownLatch(1);
            Thread child = Thread.ofVirtual().start(() -> { // inherits the loop's carrier
                lock.lock();
                try {
                    locked.countDown();
                    LockSupport.parkNanos(5_000_000); // parked, holding the lock, needing the carrier to go on
                } finally {
                    lock.unlock();
                }
            });
            locked.await();
            Future<Void> f = loop.createFuture();
            loop.callSoon(() -> {
                lock.lock(); // on the loop strand itself
                try {
                    seen.add("callback got the lock");
                } finally {
                    lock.unlock();
                }
                f.setResult(null);
            });
            f.await();
            child.join();
            return null;
        }));
        assertEquals(List.of("callback got the lock"), seen,
                "a callback blocking on a lock held by a parked thread of the same carrier must not deadlock");
    }

    /** Thread.ofVirtual() in a task: the child inherits the loop's carrier and runs while the task awaits. */
    @Test
    void virtualThreadStartedInTaskRunsOnTheLoopsCarrier() throws Exception {
        Loop loop = newLoop();
        String[] childThread = new String[1];
        boolean[] childInLoop = new boolean[1];
        String got = onCarrier(() -> loop.runUntilComplete(() -> {
            Future<String> f = loop.createFuture();
            Thread.ofVirtual().start(() -> {
                childThread[0] = Thread.currentThread().toString();
                childInLoop[0] = loop.inLoop();
                loop.callSoonThreadsafe(() -> f.setResult("from child"));
            });
            return f.await();
        }));
        assertEquals("from child", got);
        assertTrue(childThread[0].endsWith("@" + CARRIER),
                "a virtual thread started in a task must run on the loop's carrier; it ran as " + childThread[0]);
        assertFalse(childInLoop[0], "a virtual thread started in a task is not on the loop");
    }

    /**
     * Hand-offs made on the carrier (two tasks passing the baton back and
     * forth without end) must not starve a virtual thread of the same carrier
     * woken by another thread (here the JDK's timer, after a short park).
     */
    @Test
    void carrierHandOffsDoNotStarveWakeUpsFromOtherThreads() throws Exception {
        Loop loop = newLoop();
        int rounds = onCarrier(() -> loop.runUntilComplete(() -> {
            boolean[] woke = new boolean[1]; // read and written on the one carrier only
            Thread.ofVirtual().start(() -> { // inherits the loop's carrier
                LockSupport.parkNanos(1_000_000); // woken by the JDK's timer thread
                woke[0] = true;
            });
            @SuppressWarnings("unchecked")
            Future<Integer>[] toB = new Future[] {loop.createFuture()};
            Task<Void> b = loop.createTask(() -> {
                for (;;) {
                    int v = toB[0].await();
                    if (v < 0) {
                        return null;
                    }
                    toB[0] = loop.createFuture();
                }
            });
            int n = 0;
            while (!woke[0]) {
                Future<Integer> f = toB[0];
                f.setResult(n++);
                while (toB[0] == f) { // until b took it and is waiting on a fresh future
                    AsyncIO.sleep0();
                }
            }
            toB[0].setResult(-1);
            b.await();
            return n;
        }));
        assertTrue(rounds > 0, "the tasks must have exchanged values while the child was parked: " + rounds);
    }

    /** A child virtual thread that outlives the loop's run finishes after the loop closed. */
    @Test
    void childVirtualThreadOutlivingTheLoopFinishesAfterClose() throws Exception {
        Loop loop = newLoop();
        CountDownLatch go = new CountDownLatch(1);
        Thread child = onCarrier(() -> loop.runUntilComplete(() -> Thread.ofVirtual().start(() -> {
            try {
                go.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        })));
        loop.close();
        go.countDown();
        assertTrue(child.join(java.time.Duration.ofMillis(TIMEOUT_MS)),
                "a virtual thread a task started must still run after the loop closed: " + child);
    }

    /** Closing the loop with tasks pending (at an await, and in a blocking call) ends their threads. */
    @Test
    void closeReleasesThreadsOfPendingTasks() throws Exception {
        Loop loop = newLoop();
        List<Thread> taskThreads = new ArrayList<>();
        onCarrier(() -> loop.runUntilComplete(() -> {
            for (int i = 0; i < 50; i++) {
                loop.createTask(() -> {
                    taskThreads.add(Thread.currentThread());
                    loop.createFuture().await(); // never completes
                    return null;
                });
            }
            loop.createTask(() -> {
                taskThreads.add(Thread.currentThread());
                Thread.sleep(3_600_000); // detached in a blocking call
                return null;
            });
            dev.aio4j.AsyncIO.sleep(5);
            return null;
        }));
        assertEquals(51, taskThreads.size());
        try (LogCapture reports = new LogCapture()) {
            loop.close();
            assertEquals(51, reports.messages(System.Logger.Level.ERROR, "Task was destroyed but it is pending!", "").size(),
                    "close() must report each pending task once through the default exception handler");
        }
        for (Thread t : taskThreads) {
            assertTrue(t.join(java.time.Duration.ofMillis(TIMEOUT_MS)),
                    "a pending task's thread must end when the loop closes; still alive: " + t);
        }
    }

    /** runForever called from a virtual thread: a platform thread carries the loop instead. */
    @Test
    void runFromAVirtualThreadWorks() throws Exception {
        Loop loop = newLoop();
        CompletableFuture<String> r = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            try {
                r.complete(loop.runUntilComplete(() -> {
                    dev.aio4j.AsyncIO.sleep(1);
                    return "ok";
                }));
            } catch (Throwable e) {
                r.completeExceptionally(e);
            }
        });
        assertEquals("ok", r.get(TIMEOUT_MS, TimeUnit.MILLISECONDS));
    }

    /** In a JVM without the flag: open("loom") fails with the flag, and discovery picks another backend. */
    @Test
    void withoutTheFlagOpenFailsNamingItAndDiscoverySkipsLoom(@TempDir Path services) throws Exception {
        Path file = services.resolve("META-INF/services/" + LoopProvider.class.getName());
        Files.createDirectories(file.getParent());
        Files.writeString(file, NoFlagProbe.Fallback.class.getName() + "\n");
        ChildJvm.Result r = ChildJvm.run(NoFlagProbe.class, List.of(), List.of(services.toString()));
        assertEquals(0, r.exitCode(), r.output());
        assertTrue(r.output().contains("--add-opens java.base/java.lang=ALL-UNNAMED"), r.output());
        assertTrue(r.output().contains("CHOSEN: fallback"), r.output());
        // SPEC D7: discovery says, once, which backend runs and why, and warns that loom was passed over for the flag.
        assertEquals(1, count(r.output(), "AIO4J(I): using backend 'fallback' ((loom's tests), "
                + NoFlagProbe.Fallback.class.getName() + "); the only one of the "), r.output());
        assertTrue(r.output().contains("backends found that can run in this JVM; also found: 'loom' (cannot run here)"),
                r.output());
        assertEquals(1, count(r.output(), "AIO4J(W): backend 'loom' (dev.aio4j:aio4j-backend-loom) was found but "
                + "cannot run in this JVM, so 'fallback' runs instead: "), r.output());
    }

    private static int count(String text, String part) {
        int n = 0;
        for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) {
            n++;
        }
        return n;
    }

    /** The poller hijack: after a loop that did the JVM's first socket read closes, socket I/O still works. */
    @Test
    void socketIoOnDefaultVirtualThreadsWorksAfterALoopCloses() throws Exception {
        ChildJvm.Result r = ChildJvm.run(PollerProbe.class, List.of("--add-opens", "java.base/java.lang=ALL-UNNAMED"));
        assertEquals(0, r.exitCode(), "socket read on a default virtual thread after the loop closed: " + r.output());
    }
}
