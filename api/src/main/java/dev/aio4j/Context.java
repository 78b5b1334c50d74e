package dev.aio4j;

import dev.aio4j.spi.CurrentLoop;
import java.util.NoSuchElementException;
import java.util.Objects;

/**
 * The values of {@link ContextVar}s that code sees: asyncio's
 * {@code contextvars.Context}, as an immutable snapshot.
 *
 * <p><b>Which context is current.</b> On a loop, each task has its own
 * context, a snapshot of its creator's taken when the task was created; each
 * callback ({@code callSoon}, {@code callLater}, {@code callAt},
 * {@code callSoonThreadsafe}, a done callback) runs in the snapshot taken when
 * it was scheduled (or added), and what it sets does not outlive it.
 * {@code toThread} runs its job in the caller's context; {@code runInExecutor}
 * does not (its job sees the worker thread's own). Off any loop, each thread
 * has a context of its own, empty at first (asyncio: each OS thread's).
 * Follows <a href="https://docs.python.org/3/library/contextvars.html">contextvars</a>
 * and asyncio's use of it
 * (<a href="https://docs.python.org/3/library/asyncio-eventloop.html#asyncio.loop.call_soon">call_soon</a>,
 * <a href="https://docs.python.org/3/library/asyncio-task.html#asyncio.create_task">create_task</a>).
 *
 * <p><b>How it differs from asyncio.</b> A context here is immutable:
 * {@link #current()} needs no copy (asyncio's {@code copy_context()}), and
 * {@link #run} runs its body in a copy, so what the body sets is not kept in
 * this object (asyncio's {@code Context.run} keeps it). Read
 * {@link #current()} inside the body to keep it.
 *
 * <p><b>Beside ThreadLocal and ScopedValue.</b> A {@code ThreadLocal} belongs
 * to a thread, and a loop runs many tasks and callbacks on each of its
 * threads (and one task may move between threads): it cannot give each task
 * its own value. A {@code ScopedValue} binds a value for the extent of a call
 * on one thread; a context variable is set and read across a task's awaits
 * and handed to the tasks and callbacks it creates, as asyncio code expects.
 *
 * <p>Threads: any. A context is immutable, so safe to share.
 * <b>Memory consistency effects:</b> none beyond the loop's own (a snapshot
 * is read and installed by the code that runs it).
 *
 * <p>Cost: a context holds its variables in a small array; setting one copies
 * it (contexts hold a handful of variables, so this beats a tree).
 */
public final class Context {
    private static final Context EMPTY = new Context(new Object[0]);
    /** The context of a thread that runs no loop code now. */
    private static final ThreadLocal<Context> THREAD = ThreadLocal.withInitial(() -> EMPTY);

    /** Variables and values, alternating: var0, value0, var1, value1, ... Never modified. */
    private final Object[] entries;

    private Context(Object[] entries) {
        this.entries = entries;
    }

    /**
     * The context with no variable set.
     *
     * @return the empty context
     */
    public static Context empty() {
        return EMPTY;
    }

    /**
     * The calling code's current context: its task's, its callback's, or (off
     * any loop) its thread's. asyncio's {@code copy_context()}, without the
     * copy.
     *
     * @return the current context
     */
    public static Context current() {
        CurrentLoop.Binding b = CurrentLoop.binding();
        return b != null ? b.context() : THREAD.get();
    }

    /** Makes {@code c} the calling code's current context. */
    static void install(Context c) {
        CurrentLoop.Binding b = CurrentLoop.binding();
        if (b != null) {
            b.setContext(c);
        } else if (c == EMPTY) {
            THREAD.remove();
        } else {
            THREAD.set(c);
        }
    }

    /**
     * Runs {@code body} with this context current, then makes the previous one
     * current again (also when it throws). Inside a task the body may await;
     * the task keeps this context until the body returns. What the body sets
     * is not kept in this object. Whatever {@code body} throws comes out
     * unchanged, a checked exception too.
     *
     * @param <T> the result type
     * @param body the code to run in this context
     * @return what {@code body} returns
     * @throws NullPointerException if {@code body} is null
     */
    public <T> T run(Coroutine<T> body) {
        Objects.requireNonNull(body, "body");
        Context previous = current();
        install(this);
        try {
            return body.call();
        } catch (Exception e) {
            throw Sneaky.rethrow(e); // unchanged, checked or not, as an await gives it
        } finally {
            install(previous);
        }
    }

    /**
     * Whether {@code var} has a value in this context.
     *
     * @param var the variable
     * @return true if it has one
     */
    public boolean contains(ContextVar<?> var) {
        return indexOf(Objects.requireNonNull(var, "var")) >= 0;
    }

    /**
     * The value of {@code var} in this context (not its default).
     *
     * @param <T> the variable's type
     * @param var the variable
     * @return its value here
     * @throws NoSuchElementException if {@code var} has no value here
     */
    @SuppressWarnings("unchecked")
    public <T> T get(ContextVar<T> var) {
        int i = indexOf(Objects.requireNonNull(var, "var"));
        if (i < 0) {
            throw new NoSuchElementException(var + " has no value in this context");
        }
        return (T) entries[i + 1];
    }

    /**
     * How many variables have a value here.
     *
     * @return the number of variables set
     */
    public int size() {
        return entries.length / 2;
    }

    /** This context with {@code var} set to {@code value}. */
    Context with(ContextVar<?> var, Object value) {
        int i = indexOf(var);
        Object[] e;
        if (i >= 0) {
            e = entries.clone();
        } else {
            e = java.util.Arrays.copyOf(entries, entries.length + 2);
            i = entries.length;
            e[i] = var;
        }
        e[i + 1] = value;
        return new Context(e);
    }

    /** This context without {@code var}. */
    Context without(ContextVar<?> var) {
        int i = indexOf(var);
        if (i < 0) {
            return this;
        }
        if (entries.length == 2) {
            return EMPTY;
        }
        Object[] e = new Object[entries.length - 2];
        System.arraycopy(entries, 0, e, 0, i);
        System.arraycopy(entries, i + 2, e, i, entries.length - i - 2);
        return new Context(e);
    }

    private int indexOf(ContextVar<?> var) {
        for (int i = 0; i < entries.length; i += 2) {
            if (entries[i] == var) {
                return i;
            }
        }
        return -1;
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder("Context{");
        for (int i = 0; i < entries.length; i += 2) {
            b.append(i == 0 ? "" : ", ").append(((ContextVar<?>) entries[i]).name()).append('=').append(entries[i + 1]);
        }
        return b.append('}').toString();
    }
}
