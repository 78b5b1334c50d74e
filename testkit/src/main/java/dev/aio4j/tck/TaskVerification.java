package dev.aio4j.tck;

import static dev.aio4j.tck.FutureVerification.assertMentions;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.aio4j.AsyncIO;
import dev.aio4j.Future;
import dev.aio4j.Loop;
import dev.aio4j.Task;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * SPEC.md section T: tasks.
 *
 * <p>If a test here fails, check that a task's first step is queued (never
 * run) by {@code createTask}, that a step's end hands the loop to the next
 * ready unit, and that a task waiting on a future is woken through that
 * future's done callbacks.
 */
public abstract class TaskVerification extends AbstractVerification {
    /** For a backend's subclass, which names its provider. */
    protected TaskVerification() {}


    @Override
    protected String area() {
        return "Tasks";
    }

    /** T1: createTask runs none of the body; tasks start in creation order once the creator yields. */
    @Test
    public void required_T1_tasksStartLazilyInCreationOrder() {
        Loop loop = newLoop();
        List<String> seen = run(loop, () -> {
            List<String> log = new ArrayList<>();
            loop.callSoon(() -> log.add("callback 1"));
            loop.createTask(() -> log.add("task A"));
            loop.callSoon(() -> log.add("callback 2"));
            loop.createTask(() -> log.add("task B"));
            log.add("creator before yield");
            AsyncIO.sleep0();
            log.add("creator resumed");
            return List.copyOf(log);
        });
        assertEquals(List.of("creator before yield", "callback 1", "task A", "callback 2", "task B", "creator resumed"), seen,
                "createTask must only queue the first step (like callSoon): nothing of the body may run before the "
                        + "creator yields, and tasks start in creation order among the callbacks (SPEC T1)");
    }

    /** T2: two tasks looping on sleep0 alternate strictly. */
    @Test
    public void required_T2_sleep0AlternatesTasksStrictly() {
        Loop loop = newLoop();
        List<String> seen = run(loop, () -> {
            List<String> log = new ArrayList<>();
            Task<Void> a = loop.createTask(() -> {
                for (int i = 0; i < 5; i++) {
                    log.add("A" + i);
                    AsyncIO.sleep0();
                }
                return null;
            });
            Task<Void> b = loop.createTask(() -> {
                for (int i = 0; i < 5; i++) {
                    log.add("B" + i);
                    AsyncIO.sleep(0);
                }
                return null;
            });
            a.await();
            b.await();
            return List.copyOf(log);
        });
        assertEquals(List.of("A0", "B0", "A1", "B1", "A2", "B2", "A3", "B3", "A4", "B4"), seen,
                "sleep0 (and sleep(0)) must yield exactly one iteration, so two tasks alternate strictly (SPEC T2)");
    }

    /**
     * T2: a task alone on the loop that calls sleep0 still lets what it made
     * ready first run before it goes on (an engine may skip queueing a lone
     * task's step, never the units queued ahead of it).
     */
    @Test
    public void required_T2_sleep0LetsTheCallbacksReadyBeforeItRunFirst() {
        Loop loop = newLoop();
        List<String> seen = run(loop, () -> {
            List<String> log = new ArrayList<>();
            loop.callSoon(() -> log.add("callback 1"));
            loop.callSoon(() -> log.add("callback 2"));
            log.add("before sleep0");
            AsyncIO.sleep0();
            log.add("after sleep0");
            return List.copyOf(log);
        });
        assertEquals(List.of("before sleep0", "callback 1", "callback 2", "after sleep0"), seen,
                "sleep0 must queue the task's step behind the callbacks already ready, so they run first (SPEC T2)");
    }

    /** T3: returning sets the result, throwing sets the exception (the same object), throwing CancellationException cancels. */
    @Test
    public void required_T3_taskOutcomeFollowsItsBody() {
        Loop loop = newLoop();
        IOException boom = new IOException("boom");
        List<Task<String>> tasks = run(loop, () -> {
            Task<String> returns = loop.createTask(() -> "value");
            Task<String> fails = loop.createTask(() -> {
                throw boom;
            });
            Task<String> cancels = loop.createTask(() -> {
                throw new CancellationException("gave up");
            });
            AsyncIO.sleep0();
            return List.of(returns, fails, cancels);
        });
        Task<String> returns = tasks.get(0);
        Task<String> fails = tasks.get(1);
        Task<String> cancels = tasks.get(2);
        assertTrue(returns.isDone() && !returns.isCancelled(), "a task whose body returned must be done (SPEC T3)");
        assertEquals("value", returns.result(), "the task's result must be what its body returned (SPEC T3)");
        assertTrue(fails.isDone() && !fails.isCancelled(), "a task whose body threw must be done, not cancelled (SPEC T3)");
        assertSame(boom, fails.exception(), "the task's exception must be the very (checked) exception its body threw (SPEC T3)");
        assertSame(boom, assertThrows(IOException.class, fails::result), "result() must rethrow it unchanged (SPEC T3)");
        assertTrue(cancels.isCancelled(), "a task whose body threw CancellationException must end cancelled, even "
                + "without cancel() (SPEC T3)");
        assertEquals("gave up", assertThrows(CancellationException.class, cancels::result).getMessage(),
                "the cancelled task must keep the message of the CancellationException its body threw (SPEC T3)");
    }

    /** T4: a task's outcome cannot be set from outside. */
    @Test
    public void required_T4_taskSetResultAndSetExceptionAreUnsupported() {
        Loop loop = newLoop();
        Task<String> t = loop.createTask(() -> "mine");
        UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class, () -> t.setResult("theirs"),
                "Task.setResult must throw UnsupportedOperationException (SPEC T4)");
        assertMentions(e, "Task.setResult (SPEC T4)", "setResult", "task");
        assertThrows(UnsupportedOperationException.class, () -> t.setException(new IOException("theirs")),
                "Task.setException must throw UnsupportedOperationException (SPEC T4)");
        assertEquals("mine", run(loop, () -> t.await()), "the refused calls must not change the task (SPEC T4)");
    }

    /** T5: a task that awaits itself gets IllegalStateException instead of deadlocking. */
    @Test
    public void required_T5_taskAwaitingItselfThrowsIllegalState() {
        Loop loop = newLoop();
        String outcome = run(loop, () -> {
            Task<?> self = AsyncIO.currentTask().orElseThrow();
            try {
                self.await();
                return "await returned";
            } catch (IllegalStateException e) {
                assertMentions(e, "a task awaiting itself (SPEC T5)", "itself");
                AsyncIO.sleep0(); // the task carries on normally
                return "caught";
            }
        });
        assertEquals("caught", outcome, "a task awaiting itself must get IllegalStateException and may go on (SPEC T5)");
    }

    /** T6: several awaiters of one task resume in the order they began waiting and see the same exception object. */
    @Test
    public void required_T6_severalAwaitersResumeInOrderWithTheSameOutcome() {
        Loop loop = newLoop();
        IOException boom = new IOException("boom");
        List<String> seen = run(loop, () -> {
            List<String> log = new ArrayList<>();
            Future<Void> gate = loop.createFuture();
            Task<String> target = loop.createTask(() -> {
                gate.await();
                throw boom;
            });
            List<Task<Void>> awaiters = new ArrayList<>();
            for (String name : List.of("w1", "w2", "w3")) {
                awaiters.add(loop.createTask(() -> {
                    try {
                        target.await();
                    } catch (Exception e) {
                        log.add(name + (e == boom ? " same" : " other: " + e));
                    }
                    return null;
                }));
            }
            AsyncIO.sleep0(); // all three wait now, in creation order
            gate.setResult(null);
            for (Task<Void> w : awaiters) {
                w.await();
            }
            for (int i = 0; i < 2; i++) { // a finished task can be awaited again
                try {
                    target.await();
                } catch (Exception e) {
                    log.add("again" + (e == boom ? " same" : " other: " + e));
                }
            }
            return List.copyOf(log);
        });
        assertEquals(List.of("w1 same", "w2 same", "w3 same", "again same", "again same"), seen,
                "awaiters must resume in the order they began waiting and all see the task's very exception object; "
                        + "a done task can be awaited again (SPEC T6)");
    }

    /** T7: allTasks holds the loop's tasks that are not done, in creation order. */
    @Test
    public void required_T7_allTasksHoldsPendingTasksOnly() {
        Loop loop = newLoop();
        run(loop, () -> {
            Task<?> main = AsyncIO.currentTask().orElseThrow();
            Future<Void> gate = loop.createFuture();
            Task<String> quick = loop.createTask(() -> "quick");
            Task<Void> slow1 = loop.createTask(() -> gate.await());
            Task<Void> slow2 = loop.createTask(() -> gate.await());
            assertEquals(List.of(main, quick, slow1, slow2), List.copyOf(loop.allTasks()),
                    "allTasks must hold every task not yet done, also ones not started, in creation order (SPEC T7)");
            quick.await();
            Set<Task<?>> left = AsyncIO.allTasks();
            assertEquals(List.of(main, slow1, slow2), List.copyOf(left),
                    "allTasks must not hold a done task (SPEC T7)");
            gate.setResult(null);
            slow1.await();
            slow2.await();
            assertEquals(Set.of(main), loop.allTasks(), "allTasks must drop tasks once they are done (SPEC T7)");
            return null;
        });
        assertTrue(loop.allTasks().isEmpty(), "allTasks must be empty once every task is done (SPEC T7)");
    }

    /** T8: currentTask is the task whose step runs, and none in a callback. */
    @Test
    public void required_T8_currentTaskIsTheRunningTask() {
        Loop loop = newLoop();
        List<String> seen = new ArrayList<>();
        run(loop, () -> {
            AtomicReference<Task<?>> self = new AtomicReference<>();
            Task<Void> t = loop.createTask(() -> {
                Task<?> me = AsyncIO.currentTask().orElse(null);
                seen.add(me == self.get() && loop.currentTask() == me ? "task: itself" : "task: " + me);
                AsyncIO.sleep0();
                seen.add(AsyncIO.currentTask().orElse(null) == self.get() ? "after await: itself" : "after await: other");
                return null;
            });
            self.set(t);
            loop.callSoon(() -> seen.add("callback: " + loop.currentTask() + ", " + AsyncIO.currentTask().isPresent()));
            t.await();
            return null;
        });
        assertEquals(List.of("task: itself", "callback: null, false", "after await: itself"), seen,
                "currentTask must be the task whose step runs (also after an await), and none in a callback (SPEC T8)");
    }

    /** T9: default names are Task-n from a process-wide counter; setName renames. */
    @Test
    public void required_T9_taskNamesDefaultToTaskNAndCanBeSet() {
        Loop loop = newLoop();
        Task<Void> a = loop.createTask(() -> null);
        Task<Void> b = newLoop().createTask(() -> null);
        Task<Void> named = loop.createTask(() -> null, "worker");
        assertTrue(a.getName().matches("Task-\\d+"), "a default name must be Task-<n>, was " + a.getName() + " (SPEC T9)");
        assertTrue(b.getName().matches("Task-\\d+"), "a default name must be Task-<n>, was " + b.getName() + " (SPEC T9)");
        long na = Long.parseLong(a.getName().substring(5));
        long nb = Long.parseLong(b.getName().substring(5));
        assertTrue(nb > na, "the counter must be process-wide and increasing, across loops: "
                + a.getName() + " then " + b.getName() + " (SPEC T9)");
        assertEquals("worker", named.getName(), "createTask(coroutine, name) must use the name (SPEC T9)");
        named.setName("renamed");
        assertEquals("renamed", named.getName(), "setName must rename the task (SPEC T9)");
        assertThrows(NullPointerException.class, () -> named.setName(null), "setName(null) must throw NullPointerException (SPEC T9)");
        assertNotEquals(a.getName(), b.getName(), "default names must be unique (SPEC T9)");
        run(loop, () -> {
            a.await();
            return named.await();
        });
    }

    /** T10: a task waiting on a future resumes through its done callbacks, queued at completion. */
    @Test
    public void required_T10_awaitResumesThroughTheFuturesDoneCallbacks() {
        Loop loop = newLoop();
        List<String> seen = run(loop, () -> {
            List<String> log = new ArrayList<>();
            Future<String> f = loop.createFuture();
            f.addDoneCallback(x -> log.add("callback added before the await"));
            Task<Void> waiter = loop.createTask(() -> {
                log.add("waiter resumed with " + f.await());
                return null;
            });
            AsyncIO.sleep0(); // the waiter now waits on f
            f.addDoneCallback(x -> log.add("callback added after the await"));
            loop.callSoon(() -> {
                f.setResult("r");
                loop.callSoon(() -> log.add("queued after completion"));
            });
            waiter.await();
            return List.copyOf(log);
        });
        assertEquals(List.of("callback added before the await", "waiter resumed with r", "callback added after the await",
                        "queued after completion"), seen,
                "a waiting task must be queued like a done callback registered when it began waiting: after callbacks "
                        + "added earlier, before callbacks added later and anything queued after completion (SPEC T10)");
    }

    /** T11: a task awaiting a pending task gets its result once it is done. */
    @Test
    public void required_T11_awaitingATaskReturnsItsResult() {
        Loop loop = newLoop();
        String r = run(loop, () -> {
            Task<String> inner = loop.createTask(() -> {
                AsyncIO.sleep(1);
                AsyncIO.sleep0();
                return "inner";
            });
            Task<String> middle = loop.createTask(() -> inner.await() + "+middle");
            String got = middle.await();
            assertTrue(inner.isDone() && middle.isDone(), "await must return only once the task is done (SPEC T11)");
            return got;
        });
        assertEquals("inner+middle", r, "awaiting a task must return its result (SPEC T11)");
    }

    /** T12: a task body runs on its loop, which it can use like a callback can. */
    @Test
    public void required_T12_taskBodyRunsOnItsLoop() {
        Loop loop = newLoop();
        List<Boolean> checks = run(loop, () -> {
            boolean before = loop.inLoop() && AsyncIO.currentLoop() == loop;
            AsyncIO.sleep0();
            boolean after = loop.inLoop() && AsyncIO.currentLoop() == loop;
            loop.callSoon(() -> {}); // a confined call works from a task
            return List.of(before, after);
        });
        assertEquals(List.of(true, true), checks,
                "inside a task, inLoop() must be true and currentLoop() must be the task's loop, before and after an await (SPEC T12)");
    }

    /** T13: createTask rejects a null coroutine and a closed loop. */
    @Test
    public void required_T13_createTaskRejectsBadInput() {
        Loop loop = newLoop();
        assertThrows(NullPointerException.class, () -> loop.createTask(null),
                "createTask(null) must throw NullPointerException (SPEC T13)");
        loop.close();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> loop.createTask(() -> null),
                "createTask on a closed loop must throw IllegalStateException (SPEC T13)");
        assertMentions(e, "createTask on a closed loop (SPEC T13)", "closed");
    }

    /** T14: 100,000 tasks alive at once all complete. */
    @Test
    public void required_T14_hundredThousandLiveTasksAllComplete() {
        final int n = 100_000;
        Loop loop = newLoop();
        long sum = run(loop, env.scaled(Duration.ofSeconds(60)), () -> {
            Future<Integer> gate = loop.createFuture();
            List<Task<Integer>> tasks = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                int k = i;
                tasks.add(loop.createTask(() -> gate.await() + k));
            }
            AsyncIO.sleep0(); // every task has started and waits on the gate
            assertEquals(n + 1, loop.allTasks().size(), "all tasks must be alive at once (SPEC T14)");
            gate.setResult(1);
            long s = 0;
            for (Task<Integer> t : tasks) {
                s += t.await();
            }
            return s;
        });
        assertEquals((long) n * (n - 1) / 2 + n, sum, "every one of " + n + " live tasks must complete with its result (SPEC T14)");
    }

    /** T15: getStack gives the frames of a suspended task's body; nothing before it starts or once it is done. */
    @Test
    public void required_T15_aTaskTellsWhereItsBodyIs() {
        Loop loop = newLoop();
        run(loop, () -> inTheCaller(loop));
    }

    /** T15's main task: looks at another task's stack, in which none of its own frames may show. */
    private static Void inTheCaller(Loop loop) {
        Future<String> gate = loop.createFuture();
        Task<String> waiter = loop.createTask(waiterOf(gate), "tck-t15");
        assertEquals(0, waiter.getStack().length, "a task that has not started has no stack (SPEC T15)");
        AsyncIO.sleep0(); // the waiter runs to its await
        List<String> methods = java.util.Arrays.stream(waiter.getStack()).map(StackTraceElement::getMethodName).toList();
        assertEquals("waitsInAMethodOfItsOwn", methods.isEmpty() ? null : methods.get(0), "a suspended task's stack "
                + "must start at the method that awaits (no loop machinery above it), was: " + methods + " (SPEC T15)");
        assertFalse(methods.contains("runBody") || methods.contains("taskStrandBody"), "it must end where the body "
                + "starts, was: " + methods + " (SPEC T15)");
        assertFalse(methods.stream().anyMatch(m -> m.contains("inTheCaller")), "it must not show the frames of another "
                + "task (the caller's), was: " + methods + " (SPEC T15)");
        gate.setResult("open");
        assertEquals("open", waiter.await());
        assertEquals(0, waiter.getStack().length, "a done task has no stack (SPEC T15)");
        return null;
    }

    private static dev.aio4j.Coroutine<String> waiterOf(Future<String> gate) {
        return () -> waitsInAMethodOfItsOwn(gate);
    }

    private static String waitsInAMethodOfItsOwn(Future<String> gate) {
        return gate.await();
    }

    /**
     * T15: a task's stack shows its body and nothing else: not a callback that runs on the task's thread
     * while it awaits, and no frame at all (but no failure either) when the body is an API method itself.
     */
    @Test
    public void required_T15_aTasksStackShowsItsBodyAndNothingElse() {
        Loop loop = newLoop();
        List<List<String>> seen = new ArrayList<>();
        run(loop, () -> {
            Future<String> gate = loop.createFuture();
            Task<String> direct = loop.createTask(gate::await, "tck-t15-direct");
            AtomicReference<Task<String>> waiter = new AtomicReference<>();
            Runnable look = lookingAt(waiter, seen);
            waiter.set(loop.createTask(() -> waitsWithACallbackQueued(loop, gate, look), "tck-t15-waiter"));
            awaitCondition(loop, "the callback queued by the waiter to run", () -> !seen.isEmpty());
            List<String> directStack = methodsOf(direct.getStack());
            assertFalse(directStack.stream().anyMatch(m -> m.contains("required_T15")), "a task awaiting an API "
                    + "method directly must not show another task's frames, was: " + directStack + " (SPEC T15)");
            gate.setResult("open");
            assertEquals("open", waiter.get().await());
            assertEquals("open", direct.await());
            return null;
        });
        List<String> methods = seen.get(0);
        assertEquals("waitsWithACallbackQueued", methods.isEmpty() ? null : methods.get(0), "the stack of a task "
                + "whose thread runs a callback while it awaits must start at the method that awaits, was: " + methods
                + " (SPEC T15)");
        assertFalse(methods.stream().anyMatch(m -> m.contains("lookingAt")), "it must not show the callback, was: "
                + methods + " (SPEC T15)");
    }

    /** T15's callback: records the waiter's stack, as seen from a callback that may run on the waiter's thread. */
    private static Runnable lookingAt(AtomicReference<Task<String>> waiter, List<List<String>> seen) {
        return () -> seen.add(methodsOf(waiter.get().getStack()));
    }

    private static List<String> methodsOf(StackTraceElement[] stack) {
        return java.util.Arrays.stream(stack).map(StackTraceElement::getMethodName).toList();
    }

    /** T15's waiter: queues the callback, then awaits, so that its own thread may run the callback meanwhile. */
    private static String waitsWithACallbackQueued(Loop loop, Future<String> gate, Runnable callback) {
        loop.callSoon(callback);
        return gate.await();
    }

    /**
     * T16: tasks that each leave their thread's interrupt flag set, as {@code catch
     * (InterruptedException e) { Thread.currentThread().interrupt(); }} does, pass it
     * neither to the tasks that run after them nor to the callbacks run meanwhile.
     */
    @Test
    public void required_T16_aTaskStartsWithAClearInterruptFlag() {
        Loop loop = newLoop();
        int n = 20;
        List<Boolean> seen = run(loop, () -> {
            List<Boolean> flags = new ArrayList<>();
            List<Task<Void>> tasks = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                Task<Void> t = loop.createTask(() -> {
                    flags.add(Thread.currentThread().isInterrupted());
                    Thread.currentThread().interrupt();
                    return null;
                });
                t.addDoneCallback(f -> flags.add(Thread.currentThread().isInterrupted()));
                tasks.add(t);
            }
            for (Task<Void> t : tasks) {
                t.await();
            }
            return flags;
        });
        assertEquals(java.util.Collections.nCopies(2 * n, false), seen, "each task body and each done callback must "
                + "start with the interrupt flag clear, whatever a task before it on the same thread left (SPEC T16)");
    }
}
