package dev.aio4j.tck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.aio4j.AsyncIO;
import dev.aio4j.Context;
import dev.aio4j.ContextVar;
import dev.aio4j.Future;
import dev.aio4j.Loop;
import dev.aio4j.Task;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * SPEC section V: context variables. Library code in the API over the
 * provider's {@code CurrentLoop.Binding.context}: if a rule fails here, check
 * that the binding gives the running task's context during a task step and
 * the running callback's otherwise, that each callback carries the context
 * captured where it was scheduled, and that a task captures its creator's.
 */
public abstract class ContextVerification extends AbstractVerification {
    /** For a backend's subclass, which names its provider. */
    protected ContextVerification() {}

    private static final String NONE = "<none>";

    @Override
    protected String area() {
        return "Context";
    }

    private static Loop loop() {
        return AsyncIO.currentLoop();
    }

    /** Runs {@code action} on a new platform thread (one with a context of its own) and returns its result. */
    private <T> T inFreshThread(Callable<T> action) throws Exception {
        FutureTask<T> task = new FutureTask<>(action);
        Thread.ofPlatform().name("tck-context-thread").start(task);
        return task.get(env.timeout().toMillis(), TimeUnit.MILLISECONDS);
    }

    /** V1: get gives the value set in the current context, else the default, else NoSuchElementException. */
    @Test
    public void required_V1_getGivesTheCurrentValueElseTheDefault() {
        ContextVar<String> plain = new ContextVar<>("tck-v1-plain");
        ContextVar<String> withDefault = new ContextVar<>("tck-v1-default", "the default");
        run(() -> {
            NoSuchElementException e = assertThrows(NoSuchElementException.class, plain::get,
                    "get() of a variable with no value and no default (SPEC V1)");
            assertTrue(String.valueOf(e.getMessage()).contains("tck-v1-plain"),
                    "the error must name the variable, was: " + e.getMessage() + " (SPEC V1)");
            assertEquals("the default", withDefault.get(), "get() with no value gives the default (SPEC V1)");
            assertEquals("fallback", withDefault.get("fallback"), "get(fallback) ignores the default (SPEC V1)");
            plain.set(null);
            assertNull(plain.get(), "null is a value like any other (SPEC V1)");
            assertNull(plain.get("fallback"), "get(fallback) of a variable set to null gives null (SPEC V1)");
            withDefault.set("set");
            assertEquals("set", withDefault.get(), "get() gives the value set (SPEC V1)");
            return null;
        });
        NullPointerException npe = assertThrows(NullPointerException.class, () -> new ContextVar<String>(null),
                "a variable without a name (SPEC V1)");
        assertTrue(String.valueOf(npe.getMessage()).contains("name"), "the error must name 'name' (SPEC V1)");
    }

    /** V2: a task starts from a snapshot of its creator's context; its sets stay in it and its children. */
    @Test
    public void required_V2_aTaskRunsInASnapshotOfItsCreatorsContext() {
        ContextVar<String> v = new ContextVar<>("tck-v2");
        run(() -> {
            v.set("before");
            Task<String> child = AsyncIO.createTask(() -> {
                String seen = v.get(NONE);
                v.set("child");
                AsyncIO.sleep0(); // the sibling runs here
                String afterAwait = v.get(NONE);
                String grandchild = AsyncIO.createTask(() -> v.get(NONE)).await();
                return seen + "," + afterAwait + "," + grandchild;
            });
            v.set("after");
            Task<String> sibling = AsyncIO.createTask(() -> v.get(NONE));
            assertEquals("before,child,child", child.await(), "a task must see its creator's values at its creation, "
                    + "keep its own across an await, and hand them to the tasks it creates (SPEC V2)");
            assertEquals("after", sibling.await(), "a sibling must not see what another task set (SPEC V2)");
            assertEquals("after", v.get(NONE), "the creator must not see what its child set (SPEC V2)");
            return null;
        });
    }

    /**
     * V3: callbacks run in the context where they were scheduled; their sets do not outlive them.
     *
     * @throws Exception an unexpected failure, which fails the test
     */
    @Test
    public void required_V3_aCallbackRunsInTheContextWhereItWasScheduled() throws Exception {
        ContextVar<String> v = new ContextVar<>("tck-v3");
        List<String> seen = new ArrayList<>();
        run(() -> {
            Loop loop = loop();
            v.set("scheduled");
            Future<Void> done = loop.createFuture();
            loop.callSoon(() -> {
                seen.add("first:" + v.get(NONE));
                v.set("set by first");
                loop.callSoon(() -> seen.add("its child:" + v.get(NONE)));
            });
            loop.callSoon(() -> seen.add("second:" + v.get(NONE)));
            loop.callLater(Duration.ZERO, () -> seen.add("later:" + v.get(NONE)));
            loop.callAt(loop.time(), () -> {
                seen.add("at:" + v.get(NONE));
                done.setResult(null);
            });
            v.set("changed after scheduling");
            done.await();
            AsyncIO.sleep0(); // the first callback's child
            assertEquals("changed after scheduling", v.get(NONE), "a callback's set must not reach the task (SPEC V3)");
            return null;
        });
        assertEquals(Set.of("first:scheduled", "second:scheduled", "later:scheduled", "at:scheduled",
                "its child:set by first"), Set.copyOf(seen), "each callback must run in the context current where it "
                + "was scheduled (SPEC V3), ran: " + seen);

        // callSoonThreadsafe from another thread: that thread's context.
        String fromThread = run(() -> {
            Loop loop = loop();
            Future<String> got = loop.createFuture();
            v.set("the loop's");
            inFreshThread(() -> {
                v.set("the thread's");
                return loop.callSoonThreadsafe(() -> got.setResult(v.get(NONE)));
            });
            return got.await();
        });
        assertEquals("the thread's", fromThread, "callSoonThreadsafe from another thread must run the callback in "
                + "that thread's context (SPEC V3)");
    }

    /** V4: a done callback runs in the context where it was added. */
    @Test
    public void required_V4_aDoneCallbackRunsInTheContextWhereItWasAdded() {
        ContextVar<String> v = new ContextVar<>("tck-v4");
        List<String> seen = new ArrayList<>();
        run(() -> {
            Future<Integer> f = loop().createFuture();
            v.set("added");
            f.addDoneCallback(x -> seen.add(v.get(NONE)));
            Consumer<Future<Integer>> removed = x -> seen.add("removed callback ran");
            f.addDoneCallback(removed);
            assertEquals(1, f.removeDoneCallback(removed), "a callback added in a context must still be removable "
                    + "(SPEC V4, F7)");
            v.set("completed");
            f.setResult(1);
            AsyncIO.sleep0();
            return null;
        });
        assertEquals(List.of("added"), seen, "a done callback must run in the context where it was added (SPEC V4)");
    }

    /** V5: toThread carries the caller's context to its job; runInExecutor does not. */
    @Test
    public void required_V5_toThreadCarriesTheContextRunInExecutorDoesNot() {
        ContextVar<String> v = new ContextVar<>("tck-v5");
        run(() -> {
            v.set("caller");
            assertEquals("caller", AsyncIO.toThread(() -> v.get(NONE)).await(),
                    "toThread's job must run in the caller's context (SPEC V5)");
            assertEquals(NONE, loop().runInExecutor(null, () -> v.get(NONE)).await(),
                    "runInExecutor's job must not see the caller's context (SPEC V5)");
            return null;
        });
    }

    /** V6: Context.run runs a body with a snapshot current, then restores; the snapshot does not change. */
    @Test
    public void required_V6_contextRunRunsABodyInAContextThenRestores() {
        ContextVar<String> v = new ContextVar<>("tck-v6");
        run(() -> {
            v.set("one");
            Context snapshot = Context.current();
            v.set("two");
            assertEquals("one", snapshot.get(v), "a snapshot must not change when the context moves on (SPEC V6)");
            String inside = snapshot.run(() -> {
                String first = v.get(NONE);
                v.set("inside");
                AsyncIO.sleep0(); // a task's body may await in it
                return first + "," + v.get(NONE);
            });
            assertEquals("one,inside", inside, "the body must run with the snapshot current (SPEC V6)");
            assertEquals("two", v.get(NONE), "run must restore the previous context (SPEC V6)");
            assertEquals("one", snapshot.get(v), "what the body set must not change the snapshot (SPEC V6)");
            IOException boom = new IOException("tck-v6");
            IOException thrown = assertThrows(IOException.class, () -> snapshot.run(() -> {
                v.set("about to throw");
                throw boom;
            }), "run must pass the body's exception on (SPEC V6)");
            assertSame(boom, thrown, "unchanged (SPEC V6)");
            assertEquals("two", v.get(NONE), "run must restore the previous context when the body throws (SPEC V6)");
            assertThrows(NullPointerException.class, () -> snapshot.run(null), "run(null) (SPEC V6)");
            return null;
        });
    }

    /** V7: reset restores the value before set; tokens are used once and belong to their variable. */
    @Test
    public void required_V7_resetRestoresTheValueBeforeSet() {
        ContextVar<String> v = new ContextVar<>("tck-v7");
        ContextVar<String> other = new ContextVar<>("tck-v7-other");
        run(() -> {
            ContextVar.Token<String> first = v.set("a");
            assertFalse(first.hadValue(), "a token of the first set must say there was no value (SPEC V7)");
            assertThrows(NoSuchElementException.class, first::oldValue, "no old value to give (SPEC V7)");
            ContextVar.Token<String> second = v.set("b");
            assertEquals("a", second.oldValue(), "a token must keep the value before its set (SPEC V7)");
            v.reset(second);
            assertEquals("a", v.get(NONE), "reset must restore the value before the set (SPEC V7)");
            assertThrows(IllegalStateException.class, () -> v.reset(second), "a token used twice (SPEC V7)");
            assertThrows(IllegalArgumentException.class, () -> other.reset(first), "another variable's token (SPEC V7)");
            v.reset(first);
            assertEquals(NONE, v.get(NONE), "reset to a token of the first set must remove the value (SPEC V7)");
            assertThrows(NullPointerException.class, () -> v.reset(null), "reset(null) (SPEC V7)");
            return null;
        });
    }

    /**
     * V8: off any loop, each thread has its own context; work created there before the loop runs starts from it.
     *
     * @throws Exception an unexpected failure, which fails the test
     */
    @Test
    public void required_V8_offTheLoopEachThreadHasItsOwnContext() throws Exception {
        ContextVar<String> v = new ContextVar<>("tck-v8");
        Loop loop = newLoop();
        List<String> seen = new ArrayList<>();
        Task<String> task = inFreshThread(() -> {
            assertEquals(NONE, v.get(NONE), "a new thread's context must be empty (SPEC V8)");
            v.set("the creating thread's");
            loop.callSoon(() -> seen.add(v.get(NONE)));
            return loop.createTask(() -> v.get(NONE));
        });
        assertEquals(NONE, inFreshThread(() -> v.get(NONE)), "another thread must not see that value (SPEC V8)");
        assertEquals("the creating thread's", onLoopThread(loop, () -> loop.runUntilComplete(task)),
                "a task created off the loop must start from the creating thread's context (SPEC V8)");
        assertEquals(List.of("the creating thread's"), seen, "a callback scheduled off the loop must run in the "
                + "scheduling thread's context (SPEC V8)");
    }
}
