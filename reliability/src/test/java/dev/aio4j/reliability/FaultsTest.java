package dev.aio4j.reliability;

import static dev.aio4j.reliability.Harness.TARGETS;
import static dev.aio4j.reliability.Harness.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.aio4j.AsyncIO;
import dev.aio4j.CancelledError;
import dev.aio4j.ErrorContext;
import dev.aio4j.Future;
import dev.aio4j.Loop;
import dev.aio4j.tck.LogCapture;
import dev.aio4j.Task;
import dev.aio4j.net.Connection;
import dev.aio4j.net.Server;
import dev.aio4j.net.Streams;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Faults: code that throws (callbacks, the exception handler, done
 * callbacks, tasks), cancellation storms, closing with work in flight, and
 * sockets that fail (resets, half-closes, refused and unanswered connects).
 * Nothing may hang, and every expected error is recorded, not printed.
 */
@Order(4)
class FaultsTest {
    private final Harness.Scope scope = new Harness.Scope();

    @AfterEach
    void closeLoops() throws Exception {
        scope.close();
    }

    /** An Error that is not a VirtualMachineError: an ordinary failure for the loop. */
    static final class ReliabilityError extends Error {
        ReliabilityError(String m) {
            super(m, null, false, false);
        }
    }

    /** A checked exception, thrown undeclared from a Runnable. */
    static final class ReliabilityChecked extends Exception {
        ReliabilityChecked(String m) {
            super(m, null, false, false);
        }
    }

    private static Throwable failure(int i) {
        return switch (i % 3) {
            case 0 -> new IllegalStateException("unchecked " + i);
            case 1 -> new ReliabilityChecked("checked " + i);
            default -> new ReliabilityError("error " + i);
        };
    }

    /**
     * scale x 3,000 callbacks (callSoon, callLater, callSoonThreadsafe from
     * another thread, done callbacks), every other one throwing an unchecked
     * exception, a checked one or an Error: each failure reaches the handler
     * once with "Exception in callback" and its exact exception, every other
     * callback runs, and the run returns normally (S12, E1).
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource(TARGETS)
    void throwingCallbacksReachTheHandlerAndTheLoopGoesOn(Target target) throws Exception {
        int n = Knobs.scaled(3_000);
        Loop loop = scope.open(target, "faults-callbacks");
        List<Throwable> thrown = new ArrayList<>();
        int[] ran = {0};
        int throwing = (n + 1) / 2;
        String r = run(loop, () -> {
            Future<Void> all = loop.createFuture();
            int[] seen = {0};
            List<Runnable> cbs = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                Throwable t = i % 2 == 0 ? failure(i) : null;
                if (t != null) {
                    thrown.add(t);
                }
                cbs.add(() -> {
                    if (++seen[0] == n) {
                        all.setResult(null);
                    }
                    if (t != null) {
                        throw Harness.sneaky(t);
                    }
                    ran[0]++;
                });
            }
            List<Runnable> fromThread = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                Runnable cb = cbs.get(i);
                switch (i % 4) {
                    case 0 -> loop.callSoon(cb);
                    case 1 -> loop.callLater(Duration.ofMillis(i % 7), cb);
                    case 2 -> fromThread.add(cb);
                    default -> {
                        Future<String> f = loop.createFuture();
                        f.addDoneCallback(x -> cb.run());
                        loop.callSoon(() -> f.setResult("done"));
                    }
                }
            }
            Thread.ofPlatform().daemon().name("reliability-threadsafe").start(() -> fromThread.forEach(loop::callSoonThreadsafe));
            all.await();
            return "ok";
        });
        assertEquals("ok", r);
        assertEquals(n - throwing, ran[0], "every callback that did not throw must run");
        List<ErrorContext> errs = scope.errors(loop).all();
        assertEquals(throwing, errs.size(), "each throwing callback must be reported once");
        Set<Throwable> reported = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        for (ErrorContext c : errs) {
            assertTrue(c.message().startsWith("Exception in callback"), "message: " + c.message());
            reported.add(c.exception());
        }
        for (Throwable t : thrown) {
            assertTrue(reported.contains(t), "not reported as it was thrown: " + t);
        }
    }

    /**
     * An exception handler that throws, called scale x 500 times: the loop
     * goes on, and each time the default handler logs "Unhandled error in
     * exception handler" (E3; the log is captured, not printed).
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource(TARGETS)
    void aThrowingExceptionHandlerDoesNotStopTheLoop(Target target) throws Exception {
        int n = Knobs.scaled(500);
        Loop loop = scope.open(target, "faults-handler");
        AtomicInteger handled = new AtomicInteger();
        loop.setExceptionHandler((l, c) -> {
            handled.incrementAndGet();
            throw new IllegalStateException("the handler fails too");
        });
        try (LogCapture log = new LogCapture()) {
            int[] ran = {0};
            String r = run(loop, () -> {
                for (int i = 0; i < n; i++) {
                    loop.callSoon(() -> {
                        throw new IllegalArgumentException("a callback fails");
                    });
                    loop.callSoon(() -> ran[0]++);
                }
                Task<Object> failing = loop.createTask(() -> {
                    throw new IllegalArgumentException("a task fails, awaited");
                });
                try {
                    failing.await();
                    return "the task's failure was lost";
                } catch (IllegalArgumentException expected) {
                    // awaited: not reported
                }
                AsyncIO.sleep0();
                AsyncIO.sleep0();
                return "ok";
            });
            assertEquals("ok", r);
            assertEquals(n, ran[0], "the callbacks after the failing ones must run");
            assertEquals(n, handled.get(), "the handler must be called once per failing callback");
            assertEquals(n, log.matching(Level.SEVERE, "Unhandled error in exception handler", "").size(),
                    "the default handler must log each failure of the handler (E3)");
            assertEquals(n, log.matching(Level.SEVERE, "Exception in callback", "").size(),
                    "and, after each, the context the handler failed on (E3)");
        }
    }

    /**
     * scale x 1,000 futures, each with three done callbacks of which the
     * middle one throws: the others run, in registration order, and each
     * throw is reported once (F5, E1).
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource(TARGETS)
    void throwingDoneCallbacksDoNotStopTheOthers(Target target) throws Exception {
        int n = Knobs.scaled(1_000);
        Loop loop = scope.open(target, "faults-done-callbacks");
        List<String> order = run(loop, () -> {
            List<String> seen = new ArrayList<>();
            List<Future<Integer>> fs = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                Future<Integer> f = loop.createFuture();
                f.addDoneCallback(x -> seen.add("a" + x.result()));
                f.addDoneCallback(x -> {
                    throw new IllegalStateException("done callback " + x.result());
                });
                f.addDoneCallback(x -> seen.add("c" + x.result()));
                fs.add(f);
            }
            for (int i = 0; i < n; i++) {
                if (i % 2 == 0) {
                    fs.get(i).setResult(i);
                } else {
                    int v = i;
                    loop.callSoon(() -> fs.get(v).setResult(v));
                }
            }
            for (Future<Integer> f : fs) {
                f.await();
            }
            AsyncIO.sleep0();
            AsyncIO.sleep0();
            return seen;
        });
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < n; i += 2) {
            expected.add("a" + i);
            expected.add("c" + i);
        }
        for (int i = 1; i < n; i += 2) {
            expected.add("a" + i);
            expected.add("c" + i);
        }
        assertEquals(expected, order, "done callbacks must all run, in registration order");
        assertEquals(n, scope.errors(loop).withMessage("Exception in callback").size());
        assertEquals(n, scope.errors(loop).all().size());
    }

    /**
     * A task whose body throws an Error that is not a VirtualMachineError
     * fails with that very Error and nothing else happens: its awaiter gets
     * it, the other tasks go on, the run returns; one nobody awaits is
     * reported at close as never retrieved (T3, E4).
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource(TARGETS)
    void anErrorFromATaskFailsOnlyThatTask(Target target) throws Exception {
        int n = Knobs.scaled(200);
        Loop loop = scope.open(target, "faults-error");
        ReliabilityError lost = new ReliabilityError("never awaited");
        String r = run(loop, () -> {
            List<Task<Integer>> healthy = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                int v = i;
                healthy.add(loop.createTask(() -> {
                    AsyncIO.sleep(Duration.ofMillis(v % 5));
                    return v;
                }));
            }
            for (int i = 0; i < n; i++) {
                ReliabilityError e = new ReliabilityError("task " + i);
                Task<Object> bad = loop.createTask(() -> {
                    AsyncIO.sleep0();
                    throw e;
                });
                try {
                    bad.await();
                    return "task " + i + " did not fail";
                } catch (ReliabilityError got) {
                    if (got != e) {
                        return "task " + i + " failed with another Error: " + got;
                    }
                }
                if (bad.exception() != e) {
                    return "exception() of task " + i + " is " + bad.exception();
                }
            }
            Task<Object> unawaited = loop.createTask(() -> {
                throw lost;
            }, "never-awaited");
            for (int i = 0; i < n; i++) {
                if (healthy.get(i).await() != i) {
                    return "healthy task " + i + " lost its result";
                }
            }
            while (!unawaited.isDone()) {
                AsyncIO.sleep0();
            }
            return "ok";
        });
        assertEquals("ok", r);
        scope.errors(loop).assertNone("before close");
        loop.close();
        List<ErrorContext> errs = scope.errors(loop).all();
        assertEquals(1, errs.size(), "only the task nobody awaited is reported: " + errs);
        assertSame(lost, errs.get(0).exception());
        assertTrue(errs.get(0).message().startsWith("Task exception was never retrieved"), errs.get(0).message());
    }

    /**
     * Cancellation storm: scale x 3,000 tasks (asleep for an hour, awaiting a
     * future, or yielding with sleep0) cancelled 1 to 3 times each in 5
     * rounds; each round delivers exactly one CancelledError per
     * task, which catches it and withdraws it (C7, C8, C9); a sixth round
     * ends every task cancelled. Then scale x 300 runCoroutineThreadsafe
     * tasks cancelled from 4 other threads through their CompletableFutures
     * end cancelled too (H7).
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource(TARGETS)
    void cancellationStormsDeliverEachRequestOnceAndEndCancelled(Target target) throws Exception {
        int n = Knobs.scaled(3_000);
        int rounds = 5;
        Loop loop = scope.open(target, "faults-cancel-storm");
        List<String> problems = run(loop, () -> {
            List<String> out = new ArrayList<>();
            int[] caught = new int[n];
            int[] arrived = {0};
            AtomicReference<Future<Void>> barrier = new AtomicReference<>(loop.createFuture());
            List<Task<Void>> tasks = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                int id = i;
                tasks.add(loop.createTask(() -> {
                    Task<?> me = AsyncIO.currentTask().orElseThrow();
                    for (;;) {
                        try {
                            switch (id % 3) {
                                case 0 -> AsyncIO.sleep(Duration.ofHours(1));
                                case 1 -> loop.createFuture().await();
                                default -> AsyncIO.sleep0();
                            }
                        } catch (CancelledError e) {
                            caught[id]++;
                            if (caught[id] > rounds) {
                                throw e;
                            }
                            while (me.uncancel() > 0) {
                                // withdraw every request of this round
                            }
                            if (++arrived[0] == n) {
                                barrier.get().setResult(null);
                            }
                        }
                    }
                }, "storm-" + i));
            }
            AsyncIO.sleep0(); // every task has started
            SplittableRandom rnd = new SplittableRandom(3);
            for (int r = 1; r <= rounds + 1; r++) {
                arrived[0] = 0;
                barrier.set(loop.createFuture());
                for (Task<Void> t : tasks) {
                    int k = 1 + rnd.nextInt(3);
                    for (int j = 0; j < k; j++) {
                        if (!t.cancel("round " + r)) {
                            out.add(t.getName() + ".cancel() returned false in round " + r + " (it is done: " + t + ")");
                        }
                    }
                }
                if (!out.isEmpty()) {
                    return out;
                }
                if (r <= rounds) {
                    barrier.get().await();
                }
            }
            for (Task<Void> t : tasks) {
                try {
                    t.await();
                    out.add(t.getName() + " returned instead of ending cancelled");
                } catch (CancelledError expected) {
                    if (!t.isCancelled()) {
                        out.add(t.getName() + " is not cancelled");
                    }
                }
            }
            for (int i = 0; i < n && out.size() < 10; i++) {
                if (caught[i] != rounds + 1) {
                    out.add("task " + i + " caught " + caught[i] + " cancellations, expected " + (rounds + 1));
                }
            }

            // From other threads: cancel runCoroutineThreadsafe tasks through their CompletableFutures.
            int m = Knobs.scaled(300);
            AtomicInteger started = new AtomicInteger();
            List<Task<?>> remote = new ArrayList<>();
            List<CompletableFuture<Integer>> cfs = new ArrayList<>();
            for (int i = 0; i < m; i++) {
                int v = i;
                cfs.add(loop.runCoroutineThreadsafe(() -> {
                    remote.add(AsyncIO.currentTask().orElseThrow());
                    started.incrementAndGet();
                    AsyncIO.sleep(Duration.ofHours(1));
                    return v;
                }));
            }
            CompletableFuture<Void> cancelled = new CompletableFuture<>();
            Thread.ofPlatform().daemon().name("reliability-cancellers").start(() -> {
                try {
                    Harness.until("the remote tasks to start", () -> started.get() == m);
                    List<Thread> ts = new ArrayList<>();
                    for (int t = 0; t < 4; t++) {
                        int from = t;
                        ts.add(Thread.ofPlatform().start(() -> {
                            for (int i = from; i < m; i += 4) {
                                cfs.get(i).cancel(true);
                            }
                        }));
                    }
                    for (Thread t : ts) {
                        Harness.join("a canceller", t);
                    }
                    cancelled.complete(null);
                } catch (Throwable e) {
                    cancelled.completeExceptionally(e);
                }
            });
            loop.wrapFuture(cancelled).await();
            for (Task<?> t : remote) {
                try {
                    t.await();
                    out.add(t.getName() + " returned though its CompletableFuture was cancelled");
                } catch (CancelledError expected) {
                    // delivered at its sleep
                }
            }
            for (int i = 0; i < m; i++) {
                if (!cfs.get(i).isCancelled()) {
                    out.add("CompletableFuture " + i + " is not cancelled: " + cfs.get(i));
                }
            }
            if (loop.allTasks().size() != 1) {
                out.add(loop.allTasks().size() - 1 + " tasks still pending besides the main one");
            }
            return out;
        });
        assertEquals(List.of(), problems.subList(0, Math.min(10, problems.size())), problems.size() + " problems");
        scope.errors(loop).assertNone("cancellation storm");
    }

    /**
     * Closing an idle loop with work in flight: executor jobs still running,
     * scale x 100 tasks pending, a future pending with a CompletableFuture
     * view, a runCoroutineThreadsafe queued from another thread, and a thread
     * calling callSoonThreadsafe in a loop. close() returns; the pending tasks
     * are reported and their threads end (E5); the view and the queued
     * coroutine fail with IllegalStateException (L18); the producer gets
     * "Event loop is closed" (L12); the jobs finish and their results are
     * dropped without a report (X8).
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource(TARGETS)
    void closeWithWorkInFlightHangsNothingAndFailsWhatOthersWaitOn(Target target) throws Exception {
        int pendingTasks = Knobs.scaled(100);
        int jobs = 4;
        Loop loop = scope.open(target, "faults-close");
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger jobsEnded = new AtomicInteger();
        List<Thread> taskThreads = java.util.Collections.synchronizedList(new ArrayList<>());
        AtomicReference<Future<String>> pending = new AtomicReference<>();
        run(loop, () -> {
            List<CompletableFuture<Void>> started = new ArrayList<>();
            for (int j = 0; j < jobs; j++) {
                CompletableFuture<Void> s = new CompletableFuture<>();
                started.add(s);
                int v = j;
                loop.runInExecutor(null, () -> {
                    s.complete(null);
                    try {
                        release.await();
                        return v;
                    } finally {
                        jobsEnded.incrementAndGet();
                    }
                });
            }
            for (int i = 0; i < pendingTasks; i++) {
                int id = i;
                loop.createTask(() -> {
                    taskThreads.add(Thread.currentThread());
                    if (id % 2 == 0) {
                        AsyncIO.sleep(Duration.ofHours(1));
                    } else {
                        loop.createFuture().await();
                    }
                    return null;
                }, "pending-" + i);
            }
            pending.set(loop.createFuture());
            loop.wrapFuture(CompletableFuture.allOf(started.toArray(CompletableFuture[]::new))).await();
            while (taskThreads.size() < pendingTasks) {
                AsyncIO.sleep0();
            }
            return null;
        });
        try {
            CompletableFuture<String> view = pending.get().toCompletableFuture();
            CompletableFuture<String> queued = Harness.onThread("runCoroutineThreadsafe on an idle loop",
                    () -> loop.runCoroutineThreadsafe(() -> "never runs"));
            AtomicLong calls = new AtomicLong();
            AtomicReference<Throwable> producerEnd = new AtomicReference<>();
            Thread producer = Thread.ofPlatform().daemon().name("reliability-producer").start(() -> {
                try {
                    for (long k = 0; k < 5_000_000L; k++) { // bounded: close() comes long before
                        loop.callSoonThreadsafe(() -> {});
                        calls.incrementAndGet();
                    }
                } catch (Throwable e) {
                    producerEnd.set(e);
                }
            });
            Harness.until("the producer to get going", () -> calls.get() >= 1000 || producerEnd.get() != null);
            Harness.onThread("close() with work in flight", () -> {
                loop.close();
                return null;
            });
            Harness.join("the callSoonThreadsafe producer", producer);
            Throwable end = producerEnd.get();
            assertInstanceOf(IllegalStateException.class, end, "the producer must be refused once the loop is closed");
            assertTrue(end.getMessage().contains("Event loop is closed"), end.getMessage());

            long reportedPending = scope.errors(loop).withMessage("Task was destroyed but it is pending!").stream()
                    .filter(c -> c.future() instanceof Task<?> t && t.getName().startsWith("pending-")).count();
            assertEquals(pendingTasks, reportedPending, "every pending task must be reported at close (E5)");
            for (Thread t : List.copyOf(taskThreads)) {
                Harness.join("the thread of a task pending at close (E5)", t);
            }
            for (var e : List.of(java.util.Map.entry("the view of a pending future", view),
                    java.util.Map.entry("a runCoroutineThreadsafe queued before close", queued))) {
                Throwable t = Harness.thrown(() -> Harness.get(e.getKey() + " to fail at close (L18)", e.getValue()));
                assertInstanceOf(ExecutionException.class, t, e.getKey() + " must fail at close (L18), got " + t);
                assertInstanceOf(IllegalStateException.class, t.getCause(), e.getKey() + " (L18)");
                assertTrue(t.getCause().getMessage().contains("closed"), t.getCause().getMessage());
            }
        } finally {
            release.countDown();
        }
        Harness.until("the executor jobs to finish after close", () -> jobsEnded.get() == jobs);
        List<ErrorContext> others = scope.errors(loop).all().stream()
                .filter(c -> !c.message().startsWith("Task was destroyed but it is pending!")).toList();
        assertEquals(List.of(), others, "nothing else is reported: a job's late result is dropped (X8)");
    }

    /**
     * scale x 20 plain JDK clients that each send a line, read its echo and
     * then reset the connection (SO_LINGER 0): the server's read fails with
     * SocketException, the drain after it too (N10), the handler ends and
     * the server is left with no connection; nothing hangs.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource(TARGETS)
    void aPeerResetFailsTheServersReadAndDrain(Target target) throws Exception {
        int k = Knobs.scaled(20);
        Loop loop = scope.open(target, "faults-reset-server");
        List<String> outcomes = run(loop, () -> {
            List<String> out = new ArrayList<>();
            Future<Void> all = loop.createFuture();
            Server server = Streams.startServer((reader, writer) -> {
                String read;
                try {
                    byte[] line;
                    while ((line = reader.readLine()).length > 0) {
                        writer.write(line);
                        writer.drain();
                    }
                    read = "read: end of stream";
                } catch (IOException e) {
                    read = "read: " + e.getClass().getSimpleName();
                }
                String drain;
                try {
                    writer.write("after the reset\n");
                    writer.drain();
                    drain = "drain: returned";
                } catch (IOException e) {
                    drain = "drain: " + e.getClass().getSimpleName();
                }
                out.add(read + ", " + drain);
                if (out.size() == k) {
                    all.setResult(null);
                }
            }, 0);
            int port = server.port();
            CompletableFuture<Void> clients = new CompletableFuture<>();
            Thread.ofPlatform().daemon().name("reliability-resetting-clients").start(() -> {
                try {
                    for (int i = 0; i < k; i++) {
                        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
                            s.setSoTimeout((int) Harness.TIMEOUT.toMillis());
                            s.getOutputStream().write(("hello " + i + "\n").getBytes(StandardCharsets.UTF_8));
                            String echo = new BufferedReader(new InputStreamReader(s.getInputStream(),
                                    StandardCharsets.UTF_8)).readLine();
                            if (!("hello " + i).equals(echo)) {
                                throw new AssertionError("echo " + echo);
                            }
                            s.setSoLinger(true, 0); // close() sends RST
                        }
                    }
                    clients.complete(null);
                } catch (Throwable e) {
                    clients.completeExceptionally(e);
                }
            });
            loop.wrapFuture(clients).await();
            all.await();
            server.close();
            server.waitClosed();
            return out;
        });
        for (String o : outcomes) {
            assertEquals("read: SocketException, drain: SocketException", o,
                    "a reset connection must fail the read and the drain with SocketException (N10)");
        }
        assertEquals(k, outcomes.size());
        scope.errors(loop).assertNone("server side of resets");
    }

    /**
     * scale x 20 clients whose plain JDK server reads a line and resets the
     * connection: the client's waiting read fails with SocketException, a
     * write after it is dropped and drain fails with SocketException (N10),
     * waitClosed returns or fails, never hangs.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource(TARGETS)
    void aResetByTheServerFailsTheClientsReadAndDrain(Target target) throws Exception {
        int k = Knobs.scaled(20);
        Loop loop = scope.open(target, "faults-reset-client");
        try (ServerSocket listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread resetter = Thread.ofPlatform().daemon().name("reliability-resetting-server").start(() -> {
                for (int i = 0; i < k; i++) {
                    try (Socket s = listener.accept()) {
                        s.setSoTimeout((int) Harness.TIMEOUT.toMillis());
                        new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8)).readLine();
                        s.setSoLinger(true, 0);
                    } catch (IOException e) {
                        return; // the test fails on the client side
                    }
                }
            });
            List<String> outcomes = run(loop, () -> {
                List<String> out = new ArrayList<>();
                for (int i = 0; i < k; i++) {
                    Connection c = Streams.openConnection("127.0.0.1", listener.getLocalPort());
                    c.writer().write("hello\n");
                    String read;
                    try {
                        byte[] b = c.reader().readLine();
                        read = "read: " + b.length + " bytes";
                    } catch (IOException e) {
                        read = "read: " + e.getClass().getSimpleName();
                    }
                    String drain;
                    try {
                        c.writer().write("after the reset\n");
                        c.writer().drain();
                        drain = "drain: returned";
                    } catch (IOException e) {
                        drain = "drain: " + e.getClass().getSimpleName();
                    }
                    c.close();
                    try {
                        c.writer().waitClosed();
                    } catch (IOException e) {
                        // the reset ended it: also a way to be closed
                    }
                    out.add(read + ", " + drain);
                }
                return out;
            });
            Harness.join("the resetting server", resetter);
            for (String o : outcomes) {
                assertEquals("read: SocketException, drain: SocketException", o,
                        "a reset connection must fail the read and the drain with SocketException (N10)");
            }
        }
        scope.errors(loop).assertNone("client side of resets");
    }

    /**
     * Half-close both ways, scale x 20 connections at once: a client that
     * sends N lines and writeEof still reads every echo and the server's
     * summary after it (N11); a server that sends its greeting and writeEof
     * first still reads everything the client sends; a write after writeEof
     * throws IllegalStateException.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource(TARGETS)
    void halfCloseLetsTheOtherSideFinish(Target target) throws Exception {
        int conns = Knobs.scaled(20);
        int lines = 50;
        Loop loop = scope.open(target, "faults-half-close");
        List<String> problems = run(loop, () -> {
            List<String> out = new ArrayList<>();
            // Client half-closes first: the server answers after the client's EOF.
            Server echo = Streams.startServer((reader, writer) -> {
                int count = 0;
                byte[] line;
                while ((line = reader.readLine()).length > 0) {
                    writer.write(line);
                    count++;
                }
                writer.write("count " + count + "\n");
                writer.drain();
            }, 0);
            // Server half-closes first: it still reads what the client sends after its EOF.
            Server greeter = Streams.startServer((reader, writer) -> {
                writer.write("hello\n");
                writer.writeEof();
                try {
                    writer.write("too late\n");
                    out.add("write after writeEof did not throw on the server");
                } catch (IllegalStateException expected) {
                    // N11
                }
                int count = 0;
                while (reader.readLine().length > 0) {
                    count++;
                }
                if (count != lines) {
                    out.add("greeter read " + count + " lines after its writeEof, expected " + lines);
                }
            }, 0);
            List<Task<Void>> clients = new ArrayList<>();
            for (int i = 0; i < conns; i++) {
                clients.add(loop.createTask(() -> {
                    try (Connection c = Streams.openConnection("127.0.0.1", echo.port())) {
                        for (int j = 0; j < lines; j++) {
                            c.writer().write("line " + j + "\n");
                        }
                        c.writer().writeEof();
                        try {
                            c.writer().write("too late\n");
                            out.add("write after writeEof did not throw on the client");
                        } catch (IllegalStateException expected) {
                            // N11
                        }
                        for (int j = 0; j < lines; j++) {
                            String got = new String(c.reader().readLine(), StandardCharsets.UTF_8);
                            if (!got.equals("line " + j + "\n")) {
                                out.add("echo " + j + " after the client's EOF: " + got.strip());
                                return null;
                            }
                        }
                        String summary = new String(c.reader().readLine(), StandardCharsets.UTF_8);
                        if (!summary.equals("count " + lines + "\n")) {
                            out.add("summary after the client's EOF: " + summary.strip());
                        }
                        if (c.reader().readLine().length != 0) {
                            out.add("no end of stream after the summary");
                        }
                    }
                    try (Connection c = Streams.openConnection("127.0.0.1", greeter.port())) {
                        String hello = new String(c.reader().readLine(), StandardCharsets.UTF_8);
                        if (!hello.equals("hello\n") || c.reader().readLine().length != 0) {
                            out.add("greeting then end of stream expected, got " + hello.strip());
                        }
                        for (int j = 0; j < lines; j++) {
                            c.writer().write("line " + j + "\n");
                        }
                        c.writer().drain();
                        c.writer().writeEof();
                        c.writer().waitClosed();
                    }
                    return null;
                }));
            }
            for (Task<Void> t : clients) {
                t.await();
            }
            echo.close();
            greeter.close();
            echo.waitClosed();
            greeter.waitClosed();
            return out;
        });
        assertEquals(List.of(), problems.subList(0, Math.min(10, problems.size())));
        scope.errors(loop).assertNone("half-close");
    }

    /**
     * scale x 50 connects to a loopback port nothing listens on: each fails
     * with ConnectException (N15), at once, and leaks no descriptor.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource(TARGETS)
    void aRefusedConnectFailsWithConnectException(Target target) throws Exception {
        int k = Knobs.scaled(50);
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort(); // closed at once: nothing listens there
        }
        Loop loop = scope.open(target, "faults-refused");
        run(loop, () -> null); // the loop's own descriptors exist before the count
        long before = Fds.open();
        List<String> problems = run(loop, () -> {
            List<String> out = new ArrayList<>();
            for (int i = 0; i < k; i++) {
                try {
                    Connection c = Streams.openConnection("127.0.0.1", port);
                    c.close();
                    out.add("connect " + i + " to a closed port succeeded");
                } catch (ConnectException expected) {
                    // N15
                } catch (Exception e) {
                    out.add("connect " + i + " failed with " + e + " instead of ConnectException");
                }
            }
            return out;
        });
        assertEquals(List.of(), problems.subList(0, Math.min(10, problems.size())));
        Harness.until("the refused sockets' descriptors to be released", () -> Fds.open() <= before + 8);
        scope.errors(loop).assertNone("refused connects");
    }

    /**
     * A connect that the peer never answers: a JDK listener whose accept
     * queue is full (backlog 1, never accepting) drops new SYNs, so a connect
     * stays pending. Cancelling the waiting task (the way to time a connect
     * out) ends it with CancelledError and releases its socket; the
     * loop goes on. Skipped if this kernel answers anyway.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource(TARGETS)
    void aConnectThatIsNeverAnsweredCanBeTimedOut(Target target) throws Exception {
        try (ServerSocket full = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            List<Socket> fillers = new ArrayList<>();
            boolean saturated = false;
            try {
                for (int i = 0; i < 16 && !saturated; i++) {
                    Socket s = new Socket();
                    fillers.add(s);
                    try {
                        s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), full.getLocalPort()), 200);
                    } catch (SocketTimeoutException e) {
                        saturated = true;
                    }
                }
                Assumptions.assumeTrue(saturated, "this kernel answers connects to a listener whose accept queue "
                        + "is full, so an unanswered connect cannot be made on loopback");
                Loop loop = scope.open(target, "faults-connect-timeout");
                run(loop, () -> null);
                long before = Fds.open();
                int k = Knobs.scaled(5);
                List<String> problems = run(loop, () -> {
                    List<String> out = new ArrayList<>();
                    for (int i = 0; i < k; i++) {
                        Task<Connection> connecting = loop.createTask(
                                () -> Streams.openConnection("127.0.0.1", full.getLocalPort()));
                        loop.callLater(Duration.ofMillis(50), () -> connecting.cancel("connect timed out"));
                        try {
                            Connection c = connecting.await();
                            c.close();
                            out.add("connect " + i + " to a full accept queue succeeded");
                        } catch (CancelledError expected) {
                            if (!"connect timed out".equals(expected.getMessage())) {
                                out.add("cancel message lost: " + expected.getMessage());
                            }
                        }
                    }
                    return out;
                });
                assertEquals(List.of(), problems);
                Harness.until("the abandoned connects' descriptors to be released", () -> Fds.open() <= before + 8);
                scope.errors(loop).assertNone("timed-out connects");
            } finally {
                for (Socket s : fillers) {
                    s.close();
                }
            }
        }
    }
}
