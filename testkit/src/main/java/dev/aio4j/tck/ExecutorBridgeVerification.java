package dev.aio4j.tck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.aio4j.AsyncIO;
import dev.aio4j.CancelledError;
import dev.aio4j.Future;
import dev.aio4j.Loop;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.FutureTask;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * SPEC.md section X: the executor bridge ({@code runInExecutor},
 * {@code toThread}, the default executor, {@code wrapFuture}, the loop as an
 * {@link Executor}).
 *
 * <p>If a test here fails, check that every outcome crossing from another
 * thread is copied into the loop future <em>on the loop</em> (through
 * {@code callSoonThreadsafe}), never completed from the foreign thread, and
 * that cancellation is propagated in both directions.
 */
public abstract class ExecutorBridgeVerification extends AbstractVerification {
    /** For a backend's subclass, which names its provider. */
    protected ExecutorBridgeVerification() {}


    @Override
    protected String area() {
        return "ExecutorBridge";
    }

    /** A single-thread executor whose thread is named {@code prefix-N}; shut down by the caller. */
    private static ExecutorService namedSingleThread(String prefix) {
        AtomicInteger n = new AtomicInteger();
        ThreadFactory tf = r -> {
            Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
        return Executors.newSingleThreadExecutor(tf);
    }

    private boolean await(CountDownLatch latch) {
        try {
            return latch.await(env.timeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** X1: the outcome of runInExecutor is delivered on the loop: the awaiting task and the done callbacks run with inLoop() true. */
    @Test
    public void required_X1_resultIsDeliveredOnTheLoop() {
        Loop loop = newLoop();
        ExecutorService ex = namedSingleThread("tck-x1");
        try {
            List<String> seen = new ArrayList<>();
            String r = run(loop, () -> {
                Future<String> f = loop.runInExecutor(ex, () -> "done");
                f.addDoneCallback(x -> seen.add("callback inLoop=" + loop.inLoop()));
                String v = f.await();
                seen.add("awaiter inLoop=" + loop.inLoop());
                AsyncIO.sleep0(); // let the done callback run if it has not
                return v;
            });
            assertEquals("done", r, "awaiting runInExecutor's future must return the job's result (SPEC X1)");
            assertTrue(seen.contains("callback inLoop=true"),
                    "runInExecutor's done callbacks must run on the loop, inLoop() true; saw " + seen + " (SPEC X1)");
            assertTrue(seen.contains("awaiter inLoop=true"),
                    "the task awaiting runInExecutor must resume on the loop, inLoop() true; saw " + seen + " (SPEC X1)");
        } finally {
            ex.shutdownNow();
        }
    }

    /** X2: the job runs on a thread of the given executor, not on the loop. */
    @Test
    public void required_X2_jobRunsOnAnExecutorThreadNotOnTheLoop() {
        Loop loop = newLoop();
        ExecutorService ex = namedSingleThread("tck-x2");
        try {
            AtomicReference<Thread> taskThread = new AtomicReference<>();
            AtomicBoolean jobInLoop = new AtomicBoolean(true);
            Thread jobThread = run(loop, () -> {
                taskThread.set(Thread.currentThread());
                return loop.runInExecutor(ex, () -> {
                    jobInLoop.set(loop.inLoop());
                    return Thread.currentThread();
                }).await();
            });
            assertNotSame(taskThread.get(), jobThread,
                    "runInExecutor must not run the job in the calling task's thread (SPEC X2)");
            assertTrue(jobThread.getName().startsWith("tck-x2-"),
                    "runInExecutor must run the job on the executor given, but it ran on " + jobThread + " (SPEC X2)");
            assertFalse(jobInLoop.get(), "a job run by runInExecutor must not run on the loop: inLoop() was true in it (SPEC X2)");
        } finally {
            ex.shutdownNow();
        }
    }

    /** X3: the job's exception reaches the awaiter unchanged: same instance, checked or not, no wrapper. */
    @Test
    public void required_X3_jobExceptionPropagatesUnchanged() {
        Loop loop = newLoop();
        ExecutorService ex = namedSingleThread("tck-x3");
        try {
            IOException boom = new IOException("boom");
            Throwable caught = run(loop, () -> {
                Future<Object> f = loop.runInExecutor(ex, () -> {
                    throw boom;
                });
                try {
                    f.await();
                    return null;
                } catch (Throwable t) {
                    return t;
                }
            });
            assertSame(boom, caught, "awaiting runInExecutor must throw the job's own exception, not "
                    + caught + " (SPEC X3)");
        } finally {
            ex.shutdownNow();
        }
    }

    /** X4: a null executor and toThread use the default executor, which setDefaultExecutor replaces. */
    @Test
    public void required_X4_nullExecutorAndToThreadUseTheDefaultExecutor() {
        Loop loop = newLoop();
        ExecutorService ex = namedSingleThread("tck-x4");
        try {
            List<String> names = run(loop, () -> {
                loop.setDefaultExecutor(ex);
                String a = loop.runInExecutor(null, () -> Thread.currentThread().getName()).await();
                String b = loop.toThread(() -> Thread.currentThread().getName()).await();
                String c = AsyncIO.toThread(() -> Thread.currentThread().getName()).await();
                return List.of(a, b, c);
            });
            for (String n : names) {
                assertTrue(n.startsWith("tck-x4-"), "runInExecutor(null, ..), toThread and AsyncIO.toThread must run on the "
                        + "executor given to setDefaultExecutor, but ran on " + names + " (SPEC X4)");
            }
            assertThrows(NullPointerException.class, () -> loop.setDefaultExecutor(null),
                    "setDefaultExecutor(null) must throw NullPointerException (SPEC X4)");
        } finally {
            ex.shutdownNow();
        }
    }

    /** X5: the default executor runs at least min(32, cpus + 4) jobs at the same time. */
    @Test
    public void required_X5_defaultExecutorRunsMinOf32AndCpusPlus4JobsAtOnce() {
        Loop loop = newLoop();
        int n = Math.min(32, Runtime.getRuntime().availableProcessors() + 4);
        CountDownLatch started = new CountDownLatch(n);
        CountDownLatch release = new CountDownLatch(1);
        try {
            int sum = run(loop, () -> {
                List<Future<Integer>> jobs = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    int v = i;
                    jobs.add(loop.toThread(() -> {
                        started.countDown();
                        // Each job holds its thread until all n have started: fewer threads never get there.
                        return release.await(env.timeout().toMillis(), TimeUnit.MILLISECONDS) ? v : -1_000_000;
                    }));
                }
                try {
                    awaitCondition(loop, n + " jobs running at once on the default executor: it must have at least "
                            + "min(32, cpus+4) threads (SPEC X5)", () -> started.getCount() == 0);
                } finally {
                    release.countDown();
                }
                int s = 0;
                for (Future<Integer> j : jobs) {
                    s += j.await();
                }
                return s;
            });
            assertEquals(n * (n - 1) / 2, sum, "every job on the default executor must deliver its own result (SPEC X5)");
        } finally {
            release.countDown();
        }
    }

    /** X6: an executor that rejects the job gives a failed future with its RejectedExecutionException, never a hang. */
    @Test
    public void required_X6_rejectingExecutorGivesFailedFuture() {
        Loop loop = newLoop();
        RejectedExecutionException rejection = new RejectedExecutionException("tck: full");
        ExecutorService shut = Executors.newSingleThreadExecutor();
        shut.shutdown();
        List<Throwable> caught = run(loop, () -> {
            List<Throwable> out = new ArrayList<>();
            for (Executor e : List.<Executor>of(r -> {
                throw rejection;
            }, shut)) {
                Future<String> f = loop.runInExecutor(e, () -> "never");
                try {
                    f.await();
                    out.add(null);
                } catch (Throwable t) {
                    out.add(t);
                }
            }
            return out;
        });
        assertSame(rejection, caught.get(0),
                "an executor that throws RejectedExecutionException must fail the future with it, got " + caught.get(0) + " (SPEC X6)");
        assertTrue(caught.get(1) instanceof RejectedExecutionException,
                "a shut-down ExecutorService must fail the future with RejectedExecutionException, got " + caught.get(1) + " (SPEC X6)");
    }

    /** X7: cancelling runInExecutor's future before the job started means the job never runs. */
    @Test
    public void required_X7_cancelBeforeStartMeansTheJobNeverRuns() {
        Loop loop = newLoop();
        ExecutorService ex = namedSingleThread("tck-x7");
        CountDownLatch blockerStarted = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicBoolean ran = new AtomicBoolean();
        try {
            Throwable awaited = run(loop, () -> {
                // Occupy the only thread, so that the job under test is queued and not started.
                Future<Boolean> blocker = loop.runInExecutor(ex, () -> {
                    blockerStarted.countDown();
                    return release.await(env.timeout().toMillis(), TimeUnit.MILLISECONDS);
                });
                awaitCondition(loop, "the blocking job started", () -> blockerStarted.getCount() == 0);
                Future<String> f = loop.runInExecutor(ex, () -> {
                    ran.set(true);
                    return "ran";
                });
                assertTrue(f.cancel(), "cancel() of runInExecutor's pending future must return true (SPEC X7)");
                AsyncIO.sleep0(); // one iteration for the cancellation to reach the executor
                release.countDown();
                blocker.await();
                // The executor is FIFO on one thread: once this marker ran, the cancelled job had its turn.
                loop.runInExecutor(ex, () -> null).await();
                try {
                    f.await();
                    return null;
                } catch (Throwable t) {
                    return t;
                }
            });
            assertFalse(ran.get(), "a job whose runInExecutor future was cancelled before it started must never run (SPEC X7)");
            assertTrue(awaited instanceof CancelledError,
                    "awaiting a cancelled runInExecutor future must throw CancelledError, got " + awaited + " (SPEC X7)");
        } finally {
            release.countDown();
            ex.shutdownNow();
        }
    }

    /** X8: cancelling while the job runs lets it finish; its result is dropped and nothing is reported. */
    @Test
    public void required_X8_runningJobFinishesAndItsResultIsDropped() {
        Loop loop = newLoop();
        ExecutorService ex = namedSingleThread("tck-x8");
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicBoolean finished = new AtomicBoolean();
        try {
            Future<String> f = run(loop, () -> {
                Future<String> job = loop.runInExecutor(ex, () -> {
                    started.countDown();
                    release.await(env.timeout().toMillis(), TimeUnit.MILLISECONDS);
                    finished.set(true);
                    return "late";
                });
                awaitCondition(loop, "the job started", () -> started.getCount() == 0);
                job.cancel();
                AsyncIO.sleep0();
                release.countDown();
                // FIFO single thread: once this marker's result is back, the cancelled job's has been too.
                loop.runInExecutor(ex, () -> null).await();
                return job;
            });
            assertTrue(finished.get(), "a running job must run to its end after its future was cancelled (SPEC X8)");
            assertTrue(f.isCancelled(), "the late result of a cancelled job must be dropped: the future must stay cancelled (SPEC X8)");
            assertEquals(List.of(), errors(), "a dropped result must not be reported to the exception handler (SPEC X8)");
        } finally {
            release.countDown();
            ex.shutdownNow();
        }
    }

    /**
     * X9: shutdownDefaultExecutor waits for running jobs while the loop keeps running; afterwards a
     * null executor fails with IllegalStateException and an explicit one still works.
     */
    @Test
    public void required_X9_shutdownDefaultExecutorWaitsWithoutBlockingTheLoop() {
        Loop loop = newLoop();
        ExecutorService other = namedSingleThread("tck-x9");
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicBoolean finished = new AtomicBoolean();
        try {
            run(loop, () -> {
                Future<Integer> job = loop.toThread(() -> {
                    started.countDown();
                    release.await(env.timeout().toMillis(), TimeUnit.MILLISECONDS);
                    finished.set(true);
                    return 1;
                });
                awaitCondition(loop, "the job started", () -> started.getCount() == 0);
                Future<Void> shutdown = loop.shutdownDefaultExecutor();
                AsyncIO.sleep(5); // a timer fires: the loop runs while the shutdown waits
                assertFalse(shutdown.isDone(),
                        "shutdownDefaultExecutor's future must not be done while a job still runs (SPEC X9)");
                release.countDown();
                shutdown.await();
                assertTrue(finished.get(), "shutdownDefaultExecutor must wait until running jobs have finished (SPEC X9)");
                assertEquals(1, job.await(), "a job running during shutdownDefaultExecutor must deliver its result (SPEC X9)");
                IllegalStateException e = assertThrows(IllegalStateException.class,
                        () -> loop.runInExecutor(null, () -> 2),
                        "runInExecutor(null, ..) after shutdownDefaultExecutor must throw IllegalStateException (SPEC X9)");
                assertTrue(e.getMessage() != null && e.getMessage().toLowerCase().contains("shutdown"),
                        "the IllegalStateException must say the executor was shut down, was: " + e.getMessage() + " (SPEC X9)");
                assertThrows(IllegalStateException.class, () -> loop.toThread(() -> 2),
                        "toThread after shutdownDefaultExecutor must throw IllegalStateException (SPEC X9)");
                assertEquals(3, loop.runInExecutor(other, () -> 3).await(),
                        "runInExecutor with an explicit executor must still work after shutdownDefaultExecutor (SPEC X9)");
                java.util.concurrent.FutureTask<Integer> plain = new java.util.concurrent.FutureTask<>(() -> 5);
                Future<Integer> waitedFor = loop.wrapFuture((java.util.concurrent.Future<Integer>) plain);
                assertTrue(waitedFor != null && waitedFor.isDone() && waitedFor.exception() instanceof IllegalStateException,
                        "wrapFuture of a plain Future, which waits on the default executor, must give a future failed"
                                + " with IllegalStateException after shutdownDefaultExecutor (SPEC X9)");
                loop.setDefaultExecutor(other);
                assertEquals("tck-x9-1", loop.toThread(() -> Thread.currentThread().getName()).await(),
                        "after shutdownDefaultExecutor, setDefaultExecutor must make toThread run its jobs there (SPEC X9)");
                return null;
            });
            Loop unused = newLoop(); // never made its default executor: nothing to wait for
            Future<Void> none = unused.shutdownDefaultExecutor();
            assertTrue(none.isDone() && !none.isCancelled() && none.exception() == null,
                    "shutdownDefaultExecutor of a loop whose default executor never ran a job must be done at once "
                            + "(SPEC X9)");
            assertThrows(IllegalStateException.class, () -> unused.runInExecutor(null, () -> 2),
                    "runInExecutor(null, ..) after shutdownDefaultExecutor must throw IllegalStateException, even if the "
                            + "default executor was never made (SPEC X9)");
        } finally {
            release.countDown();
            other.shutdownNow();
        }
    }

    /** X10: wrapFuture(CompletableFuture) mirrors the result, the exception (CompletionException unwrapped) and cancellation, on the loop. */
    @Test
    public void required_X10_wrapCompletableFutureMirrorsItsOutcomeOnTheLoop() {
        Loop loop = newLoop();
        IllegalArgumentException boom = new IllegalArgumentException("boom");
        CompletableFuture<String> ok = new CompletableFuture<>();
        CompletableFuture<String> failed = CompletableFuture.supplyAsync(() -> {
            throw boom; // reaches dependants as a CompletionException wrapping boom
        });
        CompletableFuture<String> cancelled = new CompletableFuture<>();
        List<Object> seen = run(loop, () -> {
            List<Object> out = new ArrayList<>();
            Future<String> a = loop.wrapFuture(ok);
            a.addDoneCallback(x -> out.add("callback inLoop=" + loop.inLoop()));
            Thread.ofPlatform().daemon().start(() -> ok.complete("value"));
            out.add(a.await());
            out.add("awaiter inLoop=" + loop.inLoop());
            try {
                loop.wrapFuture((CompletionStage<String>) failed).await();
                out.add("no exception");
            } catch (Throwable t) {
                out.add(t);
            }
            Future<String> c = loop.wrapFuture(cancelled);
            Thread.ofPlatform().daemon().start(() -> cancelled.cancel(false));
            try {
                c.await();
                out.add("no cancellation");
            } catch (CancelledError e) {
                out.add("cancelled=" + c.isCancelled());
            }
            return out;
        });
        assertEquals("value", seen.get(1), "a wrapped CompletableFuture's result must reach the awaiter (SPEC X10)");
        assertEquals("awaiter inLoop=true", seen.get(2), "the awaiter of a wrapped future must resume on the loop (SPEC X10)");
        assertSame(boom, seen.get(3),
                "a wrapped CompletableFuture's exception must reach the awaiter with CompletionException unwrapped, got "
                        + seen.get(3) + " (SPEC X10)");
        assertEquals("cancelled=true", seen.get(4),
                "cancelling a CompletableFuture must cancel the loop future wrapping it (SPEC X10)");
        assertEquals("callback inLoop=true", seen.get(0),
                "done callbacks of a wrapped future must run on the loop, before the awaiter resumes (SPEC X10)");
    }

    /** X11: cancelling the loop future returned by wrapFuture cancels the CompletableFuture. */
    @Test
    public void required_X11_cancellingTheWrapperCancelsTheCompletableFuture() {
        Loop loop = newLoop();
        CompletableFuture<String> source = new CompletableFuture<>();
        run(loop, () -> {
            Future<String> f = loop.wrapFuture(source);
            f.cancel();
            awaitCondition(loop, "the wrapped CompletableFuture to be cancelled after cancelling its loop future (SPEC X11)",
                    source::isCancelled);
            return null;
        });
        assertTrue(source.isCancelled(), "cancelling wrapFuture's loop future must cancel the CompletableFuture (SPEC X11)");
    }

    /** X12: wrapFuture of a plain java.util.concurrent.Future (a FutureTask) mirrors result, exception and cancellation. */
    @Test
    public void required_X12_wrapPlainJavaFutureMirrorsItsOutcome() {
        Loop loop = newLoop();
        IllegalStateException boom = new IllegalStateException("boom");
        FutureTask<String> ok = new FutureTask<>(() -> "value");
        FutureTask<String> failed = new FutureTask<>(() -> {
            throw boom;
        });
        CountDownLatch never = new CountDownLatch(1);
        FutureTask<String> toCancel = new FutureTask<>(() -> {
            never.await();
            return "never";
        });
        try {
            List<Object> seen = run(loop, () -> {
                List<Object> out = new ArrayList<>();
                Future<String> a = loop.wrapFuture((java.util.concurrent.Future<String>) ok);
                Future<String> b = loop.wrapFuture((java.util.concurrent.Future<String>) failed);
                Thread.ofPlatform().daemon().start(() -> {
                    ok.run();
                    failed.run();
                });
                out.add(a.await());
                out.add("awaiter inLoop=" + loop.inLoop());
                try {
                    b.await();
                    out.add("no exception");
                } catch (Throwable t) {
                    out.add(t);
                }
                CompletableFuture<String> stageAsFuture = new CompletableFuture<>();
                Future<String> asFuture = loop.wrapFuture((java.util.concurrent.Future<String>) stageAsFuture);
                Thread.ofPlatform().daemon().start(() -> stageAsFuture.complete("a CompletableFuture as a Future"));
                out.add(asFuture.await());
                Future<String> c = loop.wrapFuture((java.util.concurrent.Future<String>) toCancel);
                c.cancel();
                awaitCondition(loop, "the FutureTask to be cancelled after cancelling its loop future (SPEC X12)",
                        toCancel::isCancelled);
                FutureTask<String> cancelledBySource = new FutureTask<>(() -> "never");
                Future<String> d = loop.wrapFuture((java.util.concurrent.Future<String>) cancelledBySource);
                Thread.ofPlatform().daemon().start(() -> cancelledBySource.cancel(false));
                try {
                    d.await();
                    out.add("no cancellation");
                } catch (CancelledError e) {
                    out.add("cancelled=" + d.isCancelled());
                }
                return out;
            });
            assertEquals("value", seen.get(0), "a wrapped FutureTask's result must reach the awaiter (SPEC X12)");
            assertEquals("awaiter inLoop=true", seen.get(1), "the awaiter of a wrapped FutureTask must resume on the loop (SPEC X12)");
            assertSame(boom, seen.get(2), "a wrapped FutureTask's exception must reach the awaiter unwrapped from "
                    + "ExecutionException, got " + seen.get(2) + " (SPEC X12)");
            assertEquals("a CompletableFuture as a Future", seen.get(3),
                    "a CompletableFuture given as a java.util.concurrent.Future must be mirrored too (SPEC X12)");
            assertEquals("cancelled=true", seen.get(4),
                    "cancelling a wrapped FutureTask must cancel the loop future wrapping it (SPEC X12)");
        } finally {
            never.countDown();
        }
    }

    /** X13: the loop is an Executor: execute is callSoonThreadsafe, from any thread, FIFO with callSoon on the loop. */
    @Test
    public void required_X13_loopAsExecutorRunsCommandsOnTheLoop() {
        Loop loop = newLoop();
        List<String> seen = new ArrayList<>();
        String r = run(loop, () -> {
            loop.callSoon(() -> seen.add("a"));
            loop.execute(() -> seen.add("b"));
            loop.callSoon(() -> seen.add("c"));
            String v = loop.wrapFuture(CompletableFuture.supplyAsync(() -> {
                // From another thread: the loop as the executor of a CompletableFuture stage.
                return CompletableFuture.supplyAsync(() -> "inLoop=" + loop.inLoop(), loop).join();
            })).await();
            return v;
        });
        assertEquals("inLoop=true", r, "a command given to loop.execute from another thread must run on the loop (SPEC X13)");
        assertEquals(List.of("a", "b", "c"), seen,
                "loop.execute on the loop must queue like callSoon, in call order (SPEC X13)");
    }

    /** X14: null arguments are refused at once with NullPointerException naming the argument. */
    @Test
    public void required_X14_nullArgumentsThrowNullPointerExceptionNamingThem() {
        Loop loop = newLoop();
        run(loop, () -> {
            NullPointerException e = assertThrows(NullPointerException.class,
                    () -> loop.runInExecutor(null, (Callable<Object>) null),
                    "runInExecutor(.., null) must throw NullPointerException (SPEC X14)");
            assertNotNull(e.getMessage(), "the NullPointerException must name the null argument 'job' (SPEC X14)");
            assertTrue(e.getMessage().contains("job"),
                    "the NullPointerException must name the null argument 'job', was: " + e.getMessage() + " (SPEC X14)");
            assertThrows(NullPointerException.class, () -> loop.toThread(null),
                    "toThread(null) must throw NullPointerException (SPEC X14)");
            assertThrows(NullPointerException.class, () -> loop.wrapFuture((CompletionStage<Object>) null),
                    "wrapFuture((CompletionStage) null) must throw NullPointerException (SPEC X14)");
            assertThrows(NullPointerException.class, () -> loop.wrapFuture((java.util.concurrent.Future<Object>) null),
                    "wrapFuture((Future) null) must throw NullPointerException (SPEC X14)");
            assertThrows(NullPointerException.class, () -> loop.execute(null),
                    "execute(null) must throw NullPointerException (SPEC X14)");
            return null;
        });
    }
}
