package dev.aio4j.reliability;

import static dev.aio4j.reliability.Harness.TARGETS;
import static dev.aio4j.reliability.Harness.run;
import static dev.aio4j.reliability.Harness.thrown;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.aio4j.AsyncIO;
import dev.aio4j.Coroutine;
import dev.aio4j.Future;
import dev.aio4j.Loop;
import dev.aio4j.Task;
import dev.aio4j.TimerHandle;
import dev.aio4j.net.Connection;
import dev.aio4j.net.Server;
import dev.aio4j.net.StreamReader;
import dev.aio4j.net.Streams;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Bad input: nulls, extreme and overflowing values, the wrong thread, the
 * wrong loop, a closed loop, a nested run. Each call is refused at once with
 * the named error SPEC.md gives (S13, S14, S17, L6, L7, L8, L12, H8, H10,
 * F10, F11, N15), or handled, and none hangs. Each check is a line "call:
 * problem", collected so that one run lists every problem.
 */
@Order(2)
class BadInputTest {
    private final Harness.Scope scope = new Harness.Scope();

    @AfterEach
    void closeLoops() throws Exception {
        scope.close();
    }

    /** Checks that {@code call} threw {@code type} whose message contains {@code mentions}; adds a problem if not. */
    private static void expect(List<String> problems, String call, Class<? extends Throwable> type, String mentions,
            Callable<?> body) {
        Throwable t = thrown(body);
        if (!type.isInstance(t)) {
            problems.add(call + ": expected " + type.getSimpleName() + ", got " + (t == null ? "no exception" : t));
        } else if (mentions != null && (t.getMessage() == null || !t.getMessage().contains(mentions))) {
            problems.add(call + ": the " + type.getSimpleName() + " must mention \"" + mentions + "\", message: "
                    + t.getMessage());
        }
    }

    private static Void nothing() {
        return null;
    }

    /** Null arguments are refused with NullPointerException naming the argument, and schedule nothing (S13, L6, F11, N15). */
    @ParameterizedTest(name = "{0}")
    @MethodSource(TARGETS)
    void nullArgumentsAreRefusedNamingThem(Target target) throws Exception {
        Loop loop = scope.open(target, "bad-nulls");
        List<String> p = new ArrayList<>();
        expect(p, "runUntilComplete((Coroutine) null)", NullPointerException.class, "main",
                () -> Harness.onThread("runUntilComplete(null)", () -> loop.runUntilComplete((Coroutine<Object>) null)));
        expect(p, "runUntilComplete((Future) null)", NullPointerException.class, "future",
                () -> Harness.onThread("runUntilComplete(null)", () -> loop.runUntilComplete((Future<Object>) null)));
        List<String> inLoop = run(loop, () -> {
            List<String> q = new ArrayList<>();
            expect(q, "callSoon(null)", NullPointerException.class, "callback", () -> loop.callSoon(null));
            expect(q, "callLater(d, null)", NullPointerException.class, "callback",
                    () -> loop.callLater(Duration.ZERO, null));
            expect(q, "callLater(null, cb)", NullPointerException.class, "delay", () -> loop.callLater(null, () -> {}));
            expect(q, "callAt(t, null)", NullPointerException.class, "callback", () -> loop.callAt(loop.time(), null));
            expect(q, "callSoonThreadsafe(null)", NullPointerException.class, "callback",
                    () -> loop.callSoonThreadsafe(null));
            expect(q, "execute(null)", NullPointerException.class, null, () -> {
                loop.execute(null);
                return null;
            });
            expect(q, "createTask(null)", NullPointerException.class, null, () -> loop.createTask(null));
            expect(q, "runInExecutor(null, null)", NullPointerException.class, "job", () -> loop.runInExecutor(null, null));
            expect(q, "runCoroutineThreadsafe(null)", NullPointerException.class, null,
                    () -> loop.runCoroutineThreadsafe(null));
            expect(q, "wrapFuture(null)", NullPointerException.class, null,
                    () -> loop.wrapFuture((CompletableFuture<Object>) null));
            expect(q, "AsyncIO.sleep(null)", NullPointerException.class, "delay", () -> {
                AsyncIO.sleep(null);
                return null;
            });
            Future<String> f = loop.createFuture();
            expect(q, "setException(null)", NullPointerException.class, null, () -> {
                f.setException(null);
                return null;
            });
            expect(q, "addDoneCallback(null)", NullPointerException.class, null, () -> {
                f.addDoneCallback(null);
                return null;
            });
            expect(q, "removeDoneCallback(null)", NullPointerException.class, null, () -> f.removeDoneCallback(null));
            if (f.isDone()) {
                q.add("a refused call completed the future");
            }
            Task<Void> t = loop.createTask(BadInputTest::nothing);
            expect(q, "Task.setName(null)", NullPointerException.class, null, () -> {
                t.setName(null);
                return null;
            });
            t.await();
            expect(q, "Streams.openConnection(null, port)", NullPointerException.class, "host",
                    () -> Streams.openConnection(null, 80));
            expect(q, "Streams.startServer(null, 0)", NullPointerException.class, "handler",
                    () -> Streams.startServer(null, 0));
            AsyncIO.sleep0(); // a refused call must have scheduled nothing that fails now
            return q;
        });
        p.addAll(inLoop);
        assertEquals(List.of(), p, Harness.lines(p));
        scope.errors(loop).assertNone("null arguments");
    }

    /**
     * Extreme delays: an overflowing delay (Duration.ofSeconds(Long.MAX_VALUE),
     * FOREVER, Long.MAX_VALUE nanos from a non-negative clock) is refused
     * with IllegalArgumentException naming the delay, by callLater and by
     * AsyncIO.sleep, scheduling nothing (S14); any past deadline
     * (callAt(Long.MIN_VALUE), Long.MIN_VALUE nanos, ofSeconds(Long.MIN_VALUE))
     * is due now, and the loop still wakes for a later timer (S17); a
     * deadline at Long.MAX_VALUE is accepted, and cancelled, holds nothing up.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource(TARGETS)
    void extremeDelaysAreRefusedOrDueNowAndNothingHangs(Target target) throws Exception {
        Loop loop = scope.open(target, "bad-delays");
        List<String> p = run(loop, () -> {
            List<String> q = new ArrayList<>();
            int[] ran = {0};
            List<Duration> huge = new ArrayList<>(List.of(Duration.ofSeconds(Long.MAX_VALUE),
                    ChronoUnit.FOREVER.getDuration(), Duration.ofDays(365L * 1000)));
            if (loop.time() >= 0) {
                huge.add(Duration.ofNanos(Long.MAX_VALUE));
            }
            for (Duration d : huge) {
                expect(q, "callLater(" + d + ")", IllegalArgumentException.class, "delay",
                        () -> loop.callLater(d, () -> ran[0]++));
                expect(q, "AsyncIO.sleep(" + d + ")", IllegalArgumentException.class, "delay", () -> {
                    AsyncIO.sleep(d);
                    return null;
                });
            }
            TimerHandle far = loop.callAt(Long.MAX_VALUE, () -> ran[0]++);
            if (far.when() != Long.MAX_VALUE) {
                q.add("callAt(Long.MAX_VALUE).when() is " + far.when());
            }
            List<String> fired = new ArrayList<>();
            Map<String, Callable<?>> past = new LinkedHashMap<>();
            past.put("callAt(Long.MIN_VALUE)", () -> loop.callAt(Long.MIN_VALUE, () -> fired.add("callAt(MIN)")));
            past.put("callAt(time - MAX/2)",
                    () -> loop.callAt(loop.time() - Long.MAX_VALUE / 2, () -> fired.add("callAt(time - MAX/2)")));
            past.put("callLater(ofNanos(Long.MIN_VALUE))",
                    () -> loop.callLater(Duration.ofNanos(Long.MIN_VALUE), () -> fired.add("ofNanos(MIN)")));
            past.put("callLater(ofSeconds(Long.MIN_VALUE))",
                    () -> loop.callLater(Duration.ofSeconds(Long.MIN_VALUE), () -> fired.add("ofSeconds(MIN)")));
            past.put("callLater(-FOREVER)",
                    () -> loop.callLater(ChronoUnit.FOREVER.getDuration().negated(), () -> fired.add("-FOREVER")));
            past.put("AsyncIO.sleep(ofNanos(Long.MIN_VALUE))", () -> {
                AsyncIO.sleep(Duration.ofNanos(Long.MIN_VALUE)); // yields once
                return null;
            });
            past.put("AsyncIO.sleep(ofSeconds(Long.MIN_VALUE))", () -> {
                AsyncIO.sleep(Duration.ofSeconds(Long.MIN_VALUE));
                return null;
            });
            for (Map.Entry<String, Callable<?>> e : past.entrySet()) {
                Throwable t = thrown(e.getValue());
                if (t != null) {
                    q.add(e.getKey() + " must be due now (S17), it threw " + t);
                }
            }
            AsyncIO.sleep(Duration.ofMillis(20)); // a later timer: the loop must still wake for it
            if (fired.size() != 5) {
                q.add("timers with past deadlines must all be due now (S17), fired: " + fired);
            }
            far.cancel();
            AsyncIO.sleep(Duration.ofMillis(1));
            if (ran[0] != 0) {
                q.add(ran[0] + " refused or cancelled timers ran");
            }
            return q;
        });
        assertEquals(List.of(), p, Harness.lines(p));
        scope.errors(loop).assertNone("extreme delays");
    }

    /**
     * The wrong thread: while the loop runs, confined calls from another
     * thread throw WrongThreadException naming the method and change nothing
     * (H8); AsyncIO.currentLoop() there throws IllegalStateException (L15);
     * await and sleep0 outside a task throw IllegalStateException (F14).
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource(TARGETS)
    void confinedCallsFromTheWrongThreadAreRefused(Target target) throws Exception {
        Loop loop = scope.open(target, "bad-thread");
        List<String> p = run(loop, () -> {
            Future<String> f = loop.createFuture();
            Task<Object> t = loop.createTask(() -> loop.createFuture().await(), "waiting");
            AsyncIO.sleep0();
            CompletableFuture<List<String>> fromThread = new CompletableFuture<>();
            Thread.ofPlatform().daemon().name("reliability-wrong-thread").start(() -> {
                List<String> q = new ArrayList<>();
                Map<String, Callable<?>> calls = new LinkedHashMap<>();
                calls.put("callSoon", () -> loop.callSoon(() -> {}));
                calls.put("callLater", () -> loop.callLater(Duration.ZERO, () -> {}));
                calls.put("callAt", () -> loop.callAt(0, () -> {}));
                calls.put("createTask", () -> loop.createTask(BadInputTest::nothing));
                calls.put("runInExecutor", () -> loop.runInExecutor(Runnable::run, () -> null));
                calls.put("wrapFuture", () -> loop.wrapFuture(new CompletableFuture<>()));
                calls.put("stop", () -> {
                    loop.stop();
                    return null;
                });
                calls.put("setResult", () -> {
                    f.setResult("x");
                    return null;
                });
                calls.put("cancel", f::cancel);
                calls.put("addDoneCallback", () -> {
                    f.addDoneCallback(x -> {});
                    return null;
                });
                calls.put("result", f::result);
                calls.put("Task.cancel", t::cancel);
                for (Map.Entry<String, Callable<?>> e : calls.entrySet()) {
                    String method = e.getKey().substring(e.getKey().indexOf('.') + 1);
                    expect(q, e.getKey() + " from another thread", WrongThreadException.class, method, e.getValue());
                }
                expect(q, "AsyncIO.currentLoop() from another thread", IllegalStateException.class,
                        "no running event loop", AsyncIO::currentLoop);
                expect(q, "await() outside a task", IllegalStateException.class, null, f::await);
                expect(q, "AsyncIO.sleep0() outside a task", IllegalStateException.class, null, () -> {
                    AsyncIO.sleep0();
                    return null;
                });
                fromThread.complete(q);
            });
            List<String> q = new ArrayList<>(loop.wrapFuture(fromThread).await());
            if (f.isDone() || t.isDone()) {
                q.add("a refused call changed a future or task: " + f + ", " + t);
            }
            t.cancel();
            return q;
        });
        assertEquals(List.of(), p, Harness.lines(p));
        scope.errors(loop).assertNone("wrong thread");
    }

    /**
     * The wrong loop: awaiting a future of another loop throws
     * IllegalStateException naming that loop and leaves it alone (F10);
     * runUntilComplete with another loop's future throws
     * IllegalArgumentException (L6); a task of one running loop calling
     * confined methods of another running loop gets WrongThreadException (H8).
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource(TARGETS)
    void workForAnotherLoopIsRefused(Target target) throws Exception {
        Loop loop = scope.open(target, "bad-loop-one");
        Loop other = scope.open(target, "bad-loop-other");
        Future<String> foreign = other.createFuture();
        List<String> p = new ArrayList<>();
        // While the other loop is idle: its future is refused by this loop's run and await.
        expect(p, "runUntilComplete(future of another loop)", IllegalArgumentException.class, "another loop",
                () -> Harness.onThread("runUntilComplete", () -> loop.runUntilComplete(foreign)));
        if (loop.isRunning()) {
            p.add("a refused runUntilComplete left the loop running");
        }
        p.addAll(run(loop, () -> {
            List<String> q = new ArrayList<>();
            expect(q, "await() of another loop's future", IllegalStateException.class, "bad-loop-other",
                    foreign::await);
            return q;
        }));
        // The other loop runs on a thread of its own until told to stop.
        CompletableFuture<Void> otherRunning = new CompletableFuture<>();
        CompletableFuture<String> stopOther = new CompletableFuture<>();
        Thread otherThread = Thread.ofPlatform().daemon().name("reliability-other-loop").start(() -> {
            try {
                other.runUntilComplete(() -> {
                    otherRunning.complete(null);
                    return other.wrapFuture(stopOther).await();
                });
            } catch (Throwable e) {
                otherRunning.completeExceptionally(e);
            }
        });
        try {
            Harness.get("the other loop to run", otherRunning);
            p.addAll(run(loop, () -> {
                List<String> q = new ArrayList<>();
                expect(q, "another running loop's callSoon from this loop's task", WrongThreadException.class,
                        "callSoon", () -> other.callSoon(() -> {}));
                expect(q, "another running loop's future.setResult from this loop's task",
                        WrongThreadException.class, "setResult", () -> {
                            foreign.setResult("x");
                            return null;
                        });
                Future<Object> viaThreadsafe = loop.wrapFuture(other.runCoroutineThreadsafe(() -> "crossed"));
                if (!"crossed".equals(viaThreadsafe.await())) {
                    q.add("runCoroutineThreadsafe across loops lost its result");
                }
                return q;
            }));
        } finally {
            stopOther.complete("stop");
            Harness.join("the other loop", otherThread);
        }
        if (foreign.isDone()) {
            p.add("the foreign future was changed: " + foreign);
        }
        assertEquals(List.of(), p, Harness.lines(p));
        scope.errors(loop).assertNone("wrong loop");
        scope.errors(other).assertNone("wrong loop (the other)");
    }

    /**
     * A closed loop refuses work with IllegalStateException "Event loop is
     * closed", from its owner and from other threads (L12, H10), createFuture
     * still works, and close() again does nothing (L10).
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource(TARGETS)
    void aClosedLoopRefusesWork(Target target) throws Exception {
        Loop loop = scope.open(target, "bad-closed");
        Future<String> before = loop.createFuture();
        run(loop, () -> null);
        loop.close();
        loop.close();
        List<String> p = new ArrayList<>();
        Executor direct = Runnable::run;
        Map<String, Callable<?>> calls = new LinkedHashMap<>();
        calls.put("callSoon", () -> loop.callSoon(() -> {}));
        calls.put("callLater", () -> loop.callLater(Duration.ofMillis(1), () -> {}));
        calls.put("callAt", () -> loop.callAt(loop.time(), () -> {}));
        calls.put("callSoonThreadsafe", () -> loop.callSoonThreadsafe(() -> {}));
        calls.put("execute", () -> {
            loop.execute(() -> {});
            return null;
        });
        calls.put("createTask", () -> loop.createTask(BadInputTest::nothing));
        calls.put("runForever", () -> {
            loop.runForever();
            return null;
        });
        calls.put("runUntilComplete(coroutine)", () -> loop.runUntilComplete(BadInputTest::nothing));
        calls.put("runUntilComplete(future)", () -> loop.runUntilComplete(before));
        calls.put("runInExecutor", () -> loop.runInExecutor(direct, () -> null));
        calls.put("runCoroutineThreadsafe", () -> loop.runCoroutineThreadsafe(BadInputTest::nothing));
        for (Map.Entry<String, Callable<?>> e : calls.entrySet()) {
            expect(p, e.getKey() + " on a closed loop", IllegalStateException.class, "Event loop is closed",
                    () -> Harness.onThread(e.getKey(), e.getValue()));
        }
        Future<String> after = loop.createFuture();
        if (after.loop() != loop || after.isDone()) {
            p.add("createFuture on a closed loop must give a pending future of that loop");
        }
        assertEquals(List.of(), p, Harness.lines(p));
        assertFalse(loop.isRunning());
    }

    /**
     * Nested runs are refused and leave both loops usable: the loop's own
     * runUntilComplete or runForever inside its task ("already running", L7),
     * another loop's inside it ("another loop", L8), AsyncIO.run inside a
     * loop, and close() while running (L9).
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource(TARGETS)
    void nestedRunsAreRefused(Target target) throws Exception {
        Loop loop = scope.open(target, "bad-nested");
        Loop other = scope.open(target, "bad-nested-other");
        List<String> p = run(loop, () -> {
            List<String> q = new ArrayList<>();
            expect(q, "runUntilComplete inside its own task", IllegalStateException.class, "already running",
                    () -> loop.runUntilComplete(BadInputTest::nothing));
            expect(q, "runForever inside its own task", IllegalStateException.class, "already running", () -> {
                loop.runForever();
                return null;
            });
            expect(q, "another loop's runUntilComplete inside a task", IllegalStateException.class, "another loop",
                    () -> other.runUntilComplete(BadInputTest::nothing));
            expect(q, "another loop's runForever inside a task", IllegalStateException.class, "another loop", () -> {
                other.runForever();
                return null;
            });
            expect(q, "AsyncIO.run inside a task", IllegalStateException.class, null,
                    () -> AsyncIO.run(BadInputTest::nothing));
            expect(q, "close() inside a task", IllegalStateException.class, "Cannot close a running event loop", () -> {
                loop.close();
                return null;
            });
            Future<String> cb = loop.createFuture();
            loop.callSoon(() -> {
                List<String> r = new ArrayList<>();
                expect(r, "runUntilComplete inside a callback", IllegalStateException.class, "already running",
                        () -> loop.runUntilComplete(BadInputTest::nothing));
                expect(r, "another loop's runUntilComplete inside a callback", IllegalStateException.class,
                        "another loop", () -> other.runUntilComplete(BadInputTest::nothing));
                cb.setResult(String.join("; ", r));
            });
            String fromCallback = cb.await();
            if (!fromCallback.isEmpty()) {
                q.add(fromCallback);
            }
            return q;
        });
        assertEquals(List.of(), p, Harness.lines(p));
        assertEquals("still usable", run(loop, () -> "still usable"));
        assertEquals("still usable", run(other, () -> "still usable"));
        scope.errors(loop).assertNone("nested runs");
        scope.errors(other).assertNone("nested runs (other)");
    }

    /**
     * Bad stream arguments are refused before any socket opens: ports out of
     * range, a limit or backlog that is not positive, stream calls outside a
     * running loop (N15, N3); reads with bad sizes or separators and bad
     * water marks (N4, N5, N9).
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource(TARGETS)
    void badStreamArgumentsAreRefused(Target target) throws Exception {
        Loop loop = scope.open(target, "bad-streams");
        List<String> p = new ArrayList<>();
        expect(p, "Streams.openConnection outside a loop", IllegalStateException.class, null,
                () -> Streams.openConnection("127.0.0.1", 80));
        expect(p, "Streams.startServer outside a loop", IllegalStateException.class, null,
                () -> Streams.startServer((r, w) -> {}, 0));
        p.addAll(run(loop, () -> {
            List<String> q = new ArrayList<>();
            for (int port : new int[] {-1, 0, 65536, Integer.MIN_VALUE, Integer.MAX_VALUE}) {
                expect(q, "openConnection(port " + port + ")", IllegalArgumentException.class, "port",
                        () -> Streams.openConnection("127.0.0.1", port));
            }
            for (int port : new int[] {-1, 65536}) {
                expect(q, "startServer(port " + port + ")", IllegalArgumentException.class, "port",
                        () -> Streams.startServer((r, w) -> {}, port));
            }
            expect(q, "openConnection(limit 0)", IllegalArgumentException.class, null,
                    () -> Streams.openConnection("127.0.0.1", 80, 0));
            expect(q, "startServer(backlog 0)", IllegalArgumentException.class, "backlog",
                    () -> Streams.startServer((r, w) -> {}, null, 0, StreamReader.DEFAULT_LIMIT, 0));
            expect(q, "startServer(limit -1)", IllegalArgumentException.class, "limit",
                    () -> Streams.startServer((r, w) -> {}, null, 0, -1, 10));
            expect(q, "new StreamReader(loop, 0)", IllegalArgumentException.class, null,
                    () -> new StreamReader(loop, 0));
            Server server = Streams.startServer((r, w) -> {
                while (r.readLine().length > 0) {
                    // drain the client's lines
                }
            }, 0);
            try (Connection c = Streams.openConnection("127.0.0.1", server.port())) {
                expect(q, "readExactly(-1)", IllegalArgumentException.class, null, () -> c.reader().readExactly(-1));
                expect(q, "readUntil(empty)", IllegalArgumentException.class, null,
                        () -> c.reader().readUntil(new byte[0]));
                expect(q, "setWriteBufferLimits(1, 2)", IllegalArgumentException.class, null, () -> {
                    c.writer().transport().setWriteBufferLimits(1, 2);
                    return null;
                });
                expect(q, "setWriteBufferLimits(-1, -1)", IllegalArgumentException.class, null, () -> {
                    c.writer().transport().setWriteBufferLimits(-1, -1);
                    return null;
                });
                if (c.reader().readExactly(0).length != 0 || c.reader().read(0).length != 0) {
                    q.add("readExactly(0) and read(0) must return empty arrays at once");
                }
                c.writer().write("still works\n");
                c.writer().drain();
            }
            server.close();
            server.closeClients();
            server.waitClosed();
            return q;
        }));
        assertEquals(List.of(), p, Harness.lines(p));
        scope.errors(loop).assertNone("bad stream arguments");
    }
}
