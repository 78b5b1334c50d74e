package dev.aio4j.sync;

import dev.aio4j.CancelledError;
import dev.aio4j.Loop;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * A first-in, first-out queue for the tasks of one loop: asyncio's
 * <a href="https://docs.python.org/3/library/asyncio-queue.html#asyncio.Queue">{@code Queue}</a>.
 * {@link LifoQueue} and {@link PriorityQueue} are the same queue taking its
 * items in another order; everything this page says holds for them too.
 *
 * <pre>{@code
 * Queue<Job> jobs = new Queue<>(100);          // at most 100 items; 0 or less: unbounded
 * // producer task                             // consumer task
 * jobs.put(job);                               Job job = jobs.get();
 * jobs.join();                                 try { handle(job); } finally { jobs.taskDone(); }
 * jobs.shutdown();                             // get() throws QueueShutDownException once the queue is empty
 * }</pre>
 *
 * <p><b>Size.</b> {@code maxSize} of 0 or less makes the queue unbounded, as
 * in asyncio ({@code maxsize <= 0}); otherwise {@link #put} suspends the task
 * while the queue is full, and {@link #putNow} throws
 * {@link QueueFullException}. {@link #get} suspends while the queue is
 * empty, and {@link #getNow} throws {@link QueueEmptyException}. Null items
 * are refused ({@link NullPointerException} naming the item), as
 * {@code java.util.concurrent}'s queues refuse them.
 *
 * <p><b>Fair, without barging.</b> Getters are served in the order they
 * began waiting, and so are putters. An item put while a getter waits is
 * promised to the first getter: it stays in the queue, in its place, until
 * that getter resumes and takes the next item, and nobody else
 * ({@link #getNow}, a new {@link #get}) can take it meanwhile:
 * {@link #size()} does not count it, and {@link #isFull()} does (it still
 * takes its slot). Likewise a slot freed while a putter waits is handed to
 * the first putter, and {@code isFull()} stays true until it resumes.
 * {@code isEmpty()} false means that {@code getNow()} succeeds,
 * {@code isFull()} false that {@code putNow()} does (unless the queue is shut
 * down). The items come out in the queue's order (first in, first out here)
 * in the order the gets return, as in asyncio, whose items also stay in the
 * queue until a woken getter takes one.
 *
 * <p><b>Cancellation never loses an item.</b> A getter woken for an item and
 * cancelled before it resumes (SPEC C13) passes the promise to the next getter
 * waiting, or, if none waits, leaves the item free where it is, at the front
 * of the queue, for the next get (python/asyncio#343, SPEC Q9). A putter
 * handed a free slot and cancelled before it resumes passes the slot to the
 * next putter, or leaves it free (Q10). A task cancelled while it waits
 * leaves the queue as it was.
 *
 * <p><b>Unfinished items.</b> Every item put counts as unfinished until a
 * {@link #taskDone()} marks one done; {@link #join()} suspends the task until
 * none is unfinished. {@code taskDone()} called more often than items were
 * put throws {@link IllegalStateException} (asyncio's {@code ValueError}).
 *
 * <p><b>Shutting down</b> (asyncio 3.13's
 * <a href="https://docs.python.org/3/library/asyncio-queue.html#asyncio.Queue.shutdown">{@code shutdown}</a>).
 * After {@link #shutdown()}, every put throws {@link QueueShutDownException},
 * and a get takes the items left and throws it once the queue is empty.
 * {@link #shutdown(boolean, Consumer) shutdown(true, dropped)} empties the
 * queue at once: its items are given to {@code dropped}, in the order gets
 * would have taken them, and counted done, which may release {@code join()};
 * every get then throws {@code QueueShutDownException} at once. Tasks waiting
 * in {@code put} or {@code get} are woken with {@code QueueShutDownException},
 * and so is a getter woken for an item before the shutdown that had not
 * resumed yet: the item was still in the queue and is dropped with the
 * others, as in asyncio. (The dropped items are this hook's: a queue of
 * connections or buffers can release them.)
 *
 * <p><b>How it differs from {@link java.util.concurrent.BlockingQueue}.</b>
 * {@code put} and {@code get} suspend the calling task, never a thread: the
 * loop runs its other tasks meanwhile. It is not thread-safe and need not be:
 * it serves the tasks of one loop, which run one step at a time. There are no
 * timed forms (use {@code AsyncIO.timeout} around {@code put} or
 * {@code get}: a timeout is a cancellation and loses nothing), and it has
 * {@code taskDone}/{@code join} and {@code shutdown}, as asyncio's has. It
 * does not implement {@link java.util.Queue}: a collection view of a queue
 * that tasks wait on would bypass the waiting.
 *
 * <p><b>Threads.</b> The queue binds to the first loop that uses it; every
 * method except {@link #toString()} and {@link #maxSize()} must then be called
 * on that loop (from a thread that runs no loop: {@link WrongThreadException};
 * from another loop: {@link IllegalStateException} naming both). From another
 * thread, go through the loop: {@code loop.callSoonThreadsafe(() -> q.putNow(x))}.
 * {@link #put}, {@link #get} and {@link #join()} may suspend, so they must be
 * called in a task (also when they would not suspend); the others work in
 * callbacks too.
 *
 * <p>Memory consistency effects: actions of a task before it puts an item
 * happen-before the actions of the task that gets that item after its get
 * returns, and actions before a {@code taskDone()} happen-before those after
 * the {@code join()} it releases returns (SPEC H11: the loop runs its steps
 * one at a time, each happening-before the next).
 *
 * @param <E> the items
 */
public sealed class Queue<E> permits LifoQueue, PriorityQueue {
    /** OPEN -> SHUT_DOWN (shutdown(false)) -> IMMEDIATE (shutdown(true)); OPEN -> IMMEDIATE; never back. */
    private enum State { OPEN, SHUT_DOWN, IMMEDIATE }

    final LoopBinding binding = new LoopBinding();
    private final String type;
    private final int maxSize;
    /**
     * Every item put and not yet taken, in the order gets take them, the
     * {@link #reserved} ones included: an item stays here until a get takes
     * it, so it keeps its place and its slot.
     */
    private final QueueStore<E> store;
    /**
     * How many of the stored items are promised to getters that were woken
     * and have not resumed yet: +1 when put wakes a getter, -1 when that
     * getter resumes (and takes the next item) or, cancelled first, finds no
     * getter to pass the promise to (the item is then free again, where it
     * was). Only {@code store.size() - reserved} items can be taken by
     * getNow or a new get. Invariant: while that is positive, no getter waits.
     */
    private int reserved;
    /**
     * Slots handed to a putter that has not resumed yet: +1 when a slot
     * frees while a putter waits, -1 when the putter resumes or a cancelled
     * putter's slot finds nobody to pass to. Invariant: while a slot is free,
     * no putter waits.
     */
    private int handedSlots;
    /**
     * Items put and not yet marked done: +1 per item put, -1 per taskDone()
     * and per item an immediate shutdown drops; never negative. join() waits
     * while it is positive; reaching 0 wakes every joiner.
     */
    private long unfinished;
    private State state = State.OPEN;
    /** The tasks waiting for an item, FIFO; a wake-up promises one item (TRUE) or says the queue was shut down (FALSE). */
    private final WaitQueue<Boolean> getters = new WaitQueue<>(promise -> reserved--);
    /** The tasks waiting for a slot, FIFO; a wake-up hands a slot over (TRUE) or says the queue was shut down (FALSE). */
    private final WaitQueue<Boolean> putters = new WaitQueue<>(slot -> handedSlots--);
    /** The tasks in join(), woken all at once when no item is unfinished. */
    private final WaitQueue<Void> joiners = new WaitQueue<>(unused -> { });

    /** An unbounded FIFO queue. */
    public Queue() {
        this(0);
    }

    /**
     * A FIFO queue of at most {@code maxSize} items.
     *
     * @param maxSize the most items it holds; 0 or less: unbounded (as asyncio's {@code maxsize})
     */
    public Queue(int maxSize) {
        this(maxSize, "Queue", QueueStore.fifo());
    }

    Queue(int maxSize, String type, QueueStore<E> store) {
        this.maxSize = maxSize;
        this.type = type;
        this.store = store;
    }

    /**
     * Puts an item, suspending the calling task while the queue is full. With
     * a getter waiting, the item is promised to the first one.
     *
     * @param item the item
     * @throws NullPointerException if {@code item} is null (nothing changes)
     * @throws QueueShutDownException if the queue is shut down, also while the task waits
     * @throws CancelledError if the task is cancelled while it waits; nothing was put, and a
     *     slot handed to it goes on to the next putter
     * @throws IllegalStateException outside a task, or on a loop other than the queue's
     * @throws WrongThreadException from a thread that runs no event loop
     */
    public void put(E item) {
        Loop loop = binding.checkTask(type, "put()");
        accept(item, "put()");
        if (full()) {
            boolean slot = putters.await(loop); // a slot handed over, or shut down
            if (slot) {
                handedSlots--;
            }
            if (state != State.OPEN) {
                if (slot) {
                    freeSlot();
                }
                throw shutDown("put()");
            }
            try {
                deliver(item);
            } catch (RuntimeException | Error e) { // a PriorityQueue's comparison failed: the slot goes on
                freeSlot();
                throw e;
            }
            return;
        }
        deliver(item);
    }

    /**
     * Puts an item if a slot is free, without suspending; works in callbacks
     * (asyncio's {@code put_nowait}).
     *
     * @param item the item
     * @throws NullPointerException if {@code item} is null (nothing changes)
     * @throws QueueFullException if no slot is free (also while a freed slot is handed to a waiting putter)
     * @throws QueueShutDownException if the queue is shut down
     */
    public void putNow(E item) {
        binding.check(type, "putNow()");
        accept(item, "putNow()");
        if (full()) {
            throw new QueueFullException(type + ".putNow(): the queue is full (maxSize=" + maxSize + ")");
        }
        deliver(item);
    }

    /**
     * Removes and returns the next item, suspending the calling task while
     * the queue is empty. Tasks that wait are woken in the order they began
     * waiting, each for one item put, which is theirs: nobody else can take it.
     *
     * @return the item
     * @throws QueueShutDownException if the queue is shut down and empty (at once after an
     *     immediate shutdown), also while the task waits
     * @throws CancelledError if the task is cancelled while it waits; it then got nothing, and an
     *     item put for it goes to the next getter or stays at the front of the queue
     * @throws IllegalStateException outside a task, or on a loop other than the queue's
     * @throws WrongThreadException from a thread that runs no event loop
     */
    public E get() {
        Loop loop = binding.checkTask(type, "get()");
        if (free() > 0) {
            return take();
        }
        if (state != State.OPEN) {
            throw shutDown("get()");
        }
        if (getters.await(loop)) { // an item promised
            reserved--;
        }
        if (free() > 0) { // promised, or freed by a getter cancelled after its wake-up
            return take();
        }
        throw shutDown("get()"); // woken by a shutdown, or its item dropped by an immediate one
    }

    /**
     * Removes and returns the next item if there is one, without suspending;
     * works in callbacks (asyncio's {@code get_nowait}). An item promised to a
     * woken getter that has not resumed yet is not there to take.
     *
     * @return the item
     * @throws QueueEmptyException if the queue is empty
     * @throws QueueShutDownException if the queue is shut down and empty
     */
    public E getNow() {
        binding.check(type, "getNow()");
        if (free() > 0) {
            return take();
        }
        if (state != State.OPEN) {
            throw shutDown("getNow()");
        }
        throw new QueueEmptyException(type + ".getNow(): the queue is empty");
    }

    /**
     * Marks one item put as done: a consumer calls it once per item it got,
     * when it has handled it. When no item is unfinished, every task in
     * {@link #join()} is woken. Works in callbacks.
     *
     * @throws IllegalStateException if called more often than items were put
     *     (asyncio's {@code ValueError}); nothing changes
     */
    public void taskDone() {
        binding.check(type, "taskDone()");
        if (unfinished == 0) {
            throw new IllegalStateException(type + ".taskDone() called more times than there were items put"
                    + " (every item put is marked done once, and an immediate shutdown marks the items it drops)");
        }
        done(1);
    }

    /**
     * Waits until every item put has been marked done ({@link #taskDone()},
     * or dropped by an immediate shutdown); returns at once, without
     * suspending, if none is unfinished.
     *
     * @throws CancelledError if the task is cancelled while it waits
     * @throws IllegalStateException outside a task, or on a loop other than the queue's
     * @throws WrongThreadException from a thread that runs no event loop
     */
    public void join() {
        Loop loop = binding.checkTask(type, "join()");
        if (unfinished > 0) {
            joiners.await(loop);
        }
    }

    /** {@code shutdown(false)}: graceful. */
    public void shutdown() {
        shutdown(false);
    }

    /**
     * {@code shutdown(immediate, item -> {})}: the items an immediate shutdown drops are discarded.
     *
     * @param immediate whether to drop the items left
     */
    public void shutdown(boolean immediate) {
        shutdown(immediate, item -> { });
    }

    /**
     * Shuts the queue down, as asyncio 3.13's {@code Queue.shutdown}: from
     * now on every put throws {@link QueueShutDownException}, and every get
     * once the queue is empty; the tasks waiting in {@code put} or
     * {@code get} are woken with it. Works in callbacks; may be called again
     * (an immediate shutdown after a graceful one empties the queue then).
     *
     * <p>{@code immediate}: the queue is emptied now, each item given to
     * {@code dropped} (in the order gets would have taken them) and counted
     * done, so that {@link #join()} returns once the items already got are
     * done; items promised to woken getters that have not resumed yet are
     * dropped too, and those getters throw {@code QueueShutDownException}.
     * {@code dropped} runs on the loop, after the queue's state has changed;
     * if it throws, the other items are still given to it, and the first
     * exception is thrown from this method with the others suppressed.
     *
     * @param immediate whether to drop the items left (true) or let gets take them (false)
     * @param dropped given each item an immediate shutdown drops; not called when {@code immediate} is false
     * @throws NullPointerException if {@code dropped} is null (nothing changes)
     */
    public void shutdown(boolean immediate, Consumer<? super E> dropped) {
        binding.check(type, "shutdown()");
        Objects.requireNonNull(dropped, "dropped");
        List<E> gone = List.of();
        if (immediate) {
            state = State.IMMEDIATE;
            if (store.size() > 0) {
                gone = new ArrayList<>(store.size());
                while (store.size() > 0) {
                    gone.add(store.take());
                }
            }
        } else if (state == State.OPEN) {
            state = State.SHUT_DOWN;
        }
        getters.wakeAll(Boolean.FALSE);
        putters.wakeAll(Boolean.FALSE);
        if (!gone.isEmpty()) {
            done(Math.min(unfinished, gone.size()));
            Throwable first = null;
            for (E item : gone) {
                try {
                    dropped.accept(item);
                } catch (Throwable t) {
                    if (first == null) {
                        first = t;
                    } else if (t != first) { // the same exception thrown again is reported once
                        first.addSuppressed(t);
                    }
                }
            }
            if (first != null) {
                throw Rethrow.unchecked(first);
            }
        }
    }

    /**
     * Whether the queue was shut down (either way).
     *
     * @return true once shut down
     */
    public boolean isShutDown() {
        binding.check(type, "isShutDown()");
        return state != State.OPEN;
    }

    /**
     * How many items a get can take now (asyncio's {@code qsize()}, but not
     * counting an item promised to a woken getter that has not resumed yet).
     *
     * @return the number of items
     */
    public int size() {
        binding.check(type, "size()");
        return Math.max(0, free());
    }

    /**
     * Whether no item can be taken now: {@link #getNow()} would throw.
     *
     * @return true if it holds no item
     */
    public boolean isEmpty() {
        binding.check(type, "isEmpty()");
        return free() <= 0;
    }

    /**
     * Whether no slot is free: {@link #putNow} would throw
     * {@link QueueFullException}. Never true for an unbounded queue. An item
     * promised to a woken getter, and a slot handed to a woken putter, take
     * their slot until that task resumes.
     *
     * @return true if a put would wait
     */
    public boolean isFull() {
        binding.check(type, "isFull()");
        return full();
    }

    /**
     * The {@code maxSize} given; 0 or less means unbounded. Any thread.
     *
     * @return the bound; 0 or less: unbounded
     */
    public int maxSize() {
        return maxSize;
    }

    /**
     * The state, asyncio's repr: {@code Queue[size=2, maxSize=5, unfinished=3]},
     * with {@code getters=}, {@code putters=} when tasks wait and
     * {@code shut down} once shut down. Any thread (a snapshot, maybe stale).
     */
    @Override
    public String toString() {
        StringBuilder s = new StringBuilder(type).append("[size=").append(Math.max(0, free()))
                .append(", maxSize=").append(maxSize > 0 ? String.valueOf(maxSize) : "unbounded");
        if (getters.size() > 0) {
            s.append(", getters=").append(getters.size());
        }
        if (putters.size() > 0) {
            s.append(", putters=").append(putters.size());
        }
        s.append(", unfinished=").append(unfinished);
        if (state != State.OPEN) {
            s.append(state == State.IMMEDIATE ? ", shut down immediately" : ", shut down");
        }
        return s.append(']').toString();
    }

    // ------------------------------------------------------------------ internals, on the loop

    /** Refuses a null item, one the store cannot order, or any item once shut down; nothing changes. */
    private void accept(E item, String call) {
        Objects.requireNonNull(item, "item");
        store.check(item);
        if (state != State.OPEN) {
            throw shutDown(call);
        }
    }

    /** No free slot: the stored items (promised ones included) and the slots being handed over fill maxSize. */
    private boolean full() {
        return maxSize > 0 && store.size() + handedSlots >= maxSize;
    }

    /** How many stored items no getter was promised: what getNow or a new get can take (negative after an immediate shutdown). */
    private int free() {
        return store.size() - reserved;
    }

    /** Stores an item the caller has a slot for, and promises it to the first getter waiting, if any. */
    private void deliver(E item) {
        store.add(item); // may throw (a comparator's ClassCastException): nothing has changed then
        unfinished++;
        if (getters.wakeOne(Boolean.TRUE)) {
            reserved++;
        }
    }

    /** Takes the next stored item, handing the slot it frees to the first putter waiting. */
    private E take() {
        E item = store.take();
        freeSlot();
        return item;
    }

    /** A slot was freed: hands it to the first putter waiting, if any. */
    private void freeSlot() {
        if (putters.wakeOne(Boolean.TRUE)) {
            handedSlots++;
        }
    }

    /** Marks {@code n} items done, waking every joiner when none is unfinished. */
    private void done(long n) {
        if (n == 0) {
            return;
        }
        unfinished -= n;
        if (unfinished == 0) {
            joiners.wakeAll(null);
        }
    }

    private QueueShutDownException shutDown(String call) {
        String why = state == State.IMMEDIATE ? " immediately (its items were dropped)"
                : call.startsWith("get") ? " and empty" : "";
        return new QueueShutDownException(type + "." + call + ": the queue is shut down" + why);
    }
}
