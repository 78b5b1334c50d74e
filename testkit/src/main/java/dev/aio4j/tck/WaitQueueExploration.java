package dev.aio4j.tck;

import static org.junit.jupiter.api.Assertions.fail;

import dev.aio4j.AsyncIO;
import dev.aio4j.Loop;
import dev.aio4j.Task;
import dev.aio4j.Timeout;
import dev.aio4j.sync.Lock;
import dev.aio4j.sync.Semaphore;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * Exhaustive exploration of the wait queue behind {@code dev.aio4j.sync}
 * (SPEC Y40): every ordering of a small alphabet of events on one loop,
 * driven step by step by one driver task, with the invariants checked after
 * every event and every loop iteration.
 *
 * <p><b>Why orderings and not thread interleavings.</b> A primitive is
 * confined to its loop, and the loop runs one step at a time (SPEC H11): the
 * only races are the orders in which wake-ups, cancellations and timeouts
 * reach the waiters, and how many loop iterations pass between them. Those
 * are enumerated here, all of them, for small numbers of waiters.
 *
 * <p><b>The alphabet.</b> The resource (a lock, or a semaphore of {@code k}
 * permits) starts fully held by the driver. An ordering is a sequence of
 * <ul>
 *   <li>{@code A i}: waiter {@code i} is created: a task that enters a
 *       timeout scope (deadline: none) and acquires. Waiters are created in
 *       their index order (a renaming of any other order, as their fates are
 *       enumerated per index);</li>
 *   <li>{@code R}: the oldest holder releases one unit (nothing if nobody
 *       holds one: a release then would be a bug of the test, not of the
 *       queue);</li>
 *   <li>{@code C i}: waiter {@code i}'s task is cancelled;</li>
 *   <li>{@code T i}: waiter {@code i}'s timeout expires: its scope's deadline
 *       is moved to now, and the loop's timer fires it in the next iteration
 *       (a waiter that has not entered its scope yet, or has finished, has no
 *       deadline to expire: nothing);</li>
 * </ul>
 * every waiter having one fate (nothing, {@code C} or {@code T}, every
 * combination enumerated) after its {@code A}, and between consecutive
 * events a gap of 0 iterations (the two events in one driver step: the
 * window of the historical races, a waiter woken and cancelled before it
 * resumes) or 1 iteration ({@code sleep0}). After the last event the loop
 * settles, then the driver releases whatever is held, one unit at a time,
 * settling after each.
 *
 * <p><b>The invariants</b>, after every event and every iteration: never more
 * holders than units, and held plus free never more than the units (nothing
 * duplicated); while a unit is free, no task waits that has no cancellation
 * pending (no lost wake-up: the waiters the resource's {@code toString}
 * counts, SPEC Y38, are at most the tasks cancelled while waiting that have
 * not resumed yet); waiters become holders in the order they began
 * waiting (FIFO, among those that suspended); a waiter whose task ended cancelled or timed out never
 * held a unit, and one that returned normally did. When the loop has
 * settled: held plus free is exactly the units (no unit lost, also none in
 * the hands of a task that left), and a task with a cancellation pending has
 * ended. At the end: every waiter that no cancellation reached holds (in
 * turn) and every unit is free again.
 */
final class WaitQueueExploration {

    /** The resource under exploration, as the driver sees it. */
    interface Resource {
        /** How many units it has. */
        int units();

        /** The free units. */
        int free();

        void acquire();

        void release();

        String describe();
    }

    static Resource lock() {
        Lock lock = new Lock();
        return new Resource() {
            @Override
            public int units() {
                return 1;
            }

            @Override
            public int free() {
                return lock.isLocked() ? 0 : 1;
            }

            @Override
            public void acquire() {
                lock.acquire();
            }

            @Override
            public void release() {
                lock.release();
            }

            @Override
            public String describe() {
                return lock.toString();
            }
        };
    }

    static Resource semaphore(int permits) {
        Semaphore sem = new Semaphore(permits);
        return new Resource() {
            @Override
            public int units() {
                return permits;
            }

            @Override
            public int free() {
                return sem.availablePermits();
            }

            @Override
            public void acquire() {
                sem.acquire();
            }

            @Override
            public void release() {
                sem.release();
            }

            @Override
            public String describe() {
                return sem.toString();
            }
        };
    }

    /** Event codes: A i = i, R = RELEASE, C i = CANCEL + i, T i = TIMEOUT + i. */
    static final int RELEASE = 100;
    static final int CANCEL = 200;
    static final int TIMEOUT = 300;
    /** Waiter fates. */
    static final int NONE = 0;
    static final int CANCELLED = 1;
    static final int TIMED_OUT = 2;

    /**
     * Loop iterations that let every consequence of the events so far land.
     * The longest chain with three waiters is six (a timer fires; its task
     * resumes and passes the unit on; the next, cancelled too, resumes and
     * passes it on; the last resumes). Too few would make a correct queue
     * fail (a unit still in flight counts as lost once "settled"), so a
     * green run shows they are enough.
     */
    private static final int SETTLE = 8;

    /** An ordering: the events, and the gap (0 or 1 iteration) after each but the last. */
    record Ordering(int[] events, int[] gaps) {
        @Override
        public String toString() {
            StringBuilder b = new StringBuilder();
            for (int k = 0; k < events.length; k++) {
                int e = events[k];
                b.append(e >= TIMEOUT ? "T" + (e - TIMEOUT) : e >= CANCEL ? "C" + (e - CANCEL) : e == RELEASE ? "R" : "A" + e);
                if (k < events.length - 1) {
                    b.append(gaps[k] == 0 ? " " : " ; ");
                }
            }
            return b.toString();
        }
    }

    /**
     * Every ordering for {@code waiters} waiters with the given fates and
     * {@code releases} releases, in a fixed order.
     */
    static void orderings(int waiters, int[] fates, int releases, Consumer<Ordering> out) {
        List<Integer> tokens = new ArrayList<>();
        for (int i = 0; i < waiters; i++) {
            tokens.add(i);
            if (fates[i] == CANCELLED) {
                tokens.add(CANCEL + i);
            } else if (fates[i] == TIMED_OUT) {
                tokens.add(TIMEOUT + i);
            }
        }
        for (int r = 0; r < releases; r++) {
            tokens.add(RELEASE);
        }
        int n = tokens.size();
        int[] seq = new int[n];
        sequences(waiters, fates, releases, seq, 0, new int[] {0}, new boolean[waiters], new boolean[waiters], new int[] {0},
                events -> {
                    int[] gaps = new int[n - 1];
                    for (int mask = 0; mask < (1 << (n - 1)); mask++) {
                        for (int k = 0; k < n - 1; k++) {
                            gaps[k] = (mask >> k) & 1;
                        }
                        out.accept(new Ordering(events.clone(), gaps.clone()));
                    }
                });
    }

    private static void sequences(int waiters, int[] fates, int releases, int[] seq, int pos, int[] created,
            boolean[] fated, boolean[] unusedFlag, int[] released, Consumer<int[]> out) {
        if (pos == seq.length) {
            out.accept(seq);
            return;
        }
        if (created[0] < waiters) { // the next waiter, in index order
            seq[pos] = created[0];
            created[0]++;
            sequences(waiters, fates, releases, seq, pos + 1, created, fated, unusedFlag, released, out);
            created[0]--;
        }
        if (released[0] < releases) {
            seq[pos] = RELEASE;
            released[0]++;
            sequences(waiters, fates, releases, seq, pos + 1, created, fated, unusedFlag, released, out);
            released[0]--;
        }
        for (int i = 0; i < created[0]; i++) { // a fate comes after its waiter was created
            if (fates[i] != NONE && !fated[i]) {
                seq[pos] = (fates[i] == CANCELLED ? CANCEL : TIMEOUT) + i;
                fated[i] = true;
                sequences(waiters, fates, releases, seq, pos + 1, created, fated, unusedFlag, released, out);
                fated[i] = false;
            }
        }
    }

    /** What an exploration did. */
    static final class Stats {
        long orderings;
        long events;
        long iterations;

        @Override
        public String toString() {
            return orderings + " orderings, " + events + " events, " + iterations + " loop iterations";
        }
    }

    /**
     * Explores every ordering for 1 to {@code maxWaiters} waiters, every fate
     * combination, on resources from {@code factory}; runs in a task of
     * {@code loop}. Fails with the ordering and the broken invariant.
     */
    static Stats explore(Loop loop, java.util.function.Supplier<Resource> factory, int maxWaiters, int releases) {
        Stats stats = new Stats();
        for (int n = 1; n <= maxWaiters; n++) {
            int[] fates = new int[n];
            int combos = (int) Math.pow(3, n);
            for (int c = 0; c < combos; c++) {
                for (int i = 0, x = c; i < n; i++, x /= 3) {
                    fates[i] = x % 3;
                }
                int waiters = n;
                int[] f = fates.clone();
                orderings(n, f, releases, o -> new Run(loop, factory.get(), waiters, o, stats).play());
            }
        }
        return stats;
    }

    /**
     * The broadcast side of the queue, on an {@link Event}: the same
     * orderings, {@code R} toggling the event (set if clear, else clear; the
     * second {@code R} clears what the first set). After every event and
     * iteration: while the event is set, no waiter waits that has no
     * cancellation pending (no lost wake-up); a waiter that returned saw a
     * set while it waited or found the event set (nothing passed on to a
     * later waiter, SPEC Y16); a waiter cancelled or timed out did not
     * return. At the end the event is set once more, and every waiter that no
     * cancellation reached has returned.
     */
    static Stats exploreEvent(Loop loop, int maxWaiters, int toggles) {
        Stats stats = new Stats();
        for (int n = 1; n <= maxWaiters; n++) {
            int[] fates = new int[n];
            int combos = (int) Math.pow(3, n);
            for (int c = 0; c < combos; c++) {
                for (int i = 0, x = c; i < n; i++, x /= 3) {
                    fates[i] = x % 3;
                }
                int waiters = n;
                orderings(n, fates.clone(), toggles, o -> new EventRun(loop, waiters, o, stats).play());
            }
        }
        return stats;
    }

    /** One ordering played on a fresh event. */
    private static final class EventRun {
        private final Loop loop;
        private final dev.aio4j.sync.Event event = new dev.aio4j.sync.Event();
        private final int n;
        private final Ordering ordering;
        private final Stats stats;
        private final Task<String>[] tasks;
        private final Timeout[] scopes;
        private final boolean[] entered;
        private final boolean[] foundSet;
        private final boolean[] sawSet;
        private final boolean[] cancelRequested;
        private final StringBuilder trace = new StringBuilder();

        @SuppressWarnings("unchecked")
        EventRun(Loop loop, int n, Ordering ordering, Stats stats) {
            this.loop = loop;
            this.n = n;
            this.ordering = ordering;
            this.stats = stats;
            this.tasks = new Task[n];
            this.scopes = new Timeout[n];
            this.entered = new boolean[n];
            this.foundSet = new boolean[n];
            this.sawSet = new boolean[n];
            this.cancelRequested = new boolean[n];
        }

        void play() {
            stats.orderings++;
            int[] events = ordering.events();
            for (int k = 0; k < events.length; k++) {
                apply(events[k]);
                check("after " + Run.name(events[k]));
                if (k < events.length - 1 && ordering.gaps()[k] == 1) {
                    step();
                }
            }
            settle();
            if (!event.isSet()) {
                set();
            }
            settle();
            for (int i = 0; i < n; i++) {
                Task<String> t = tasks[i];
                if (!t.isDone()) {
                    broken("waiter " + i + " never finished although the event is set (a lost wake-up)");
                }
                if (!cancelRequested[i] && (t.isCancelled() || !"woken".equals(t.result()))) {
                    broken("waiter " + i + ", which nothing cancelled, did not return from await()");
                }
            }
        }

        private void set() {
            for (int i = 0; i < n; i++) { // every waiter waiting now is woken by this set
                if (tasks[i] != null && entered[i] && !tasks[i].isDone()) {
                    sawSet[i] = true;
                }
            }
            event.set();
        }

        private void apply(int e) {
            stats.events++;
            trace.append(Run.name(e)).append(' ');
            if (e == RELEASE) {
                if (event.isSet()) {
                    event.clear();
                } else {
                    set();
                }
            } else if (e >= TIMEOUT) {
                int i = e - TIMEOUT;
                if (scopes[i] != null && !tasks[i].isDone() && !scopes[i].expired()) {
                    cancelRequested[i] = true;
                    scopes[i].reschedule(loop.time());
                }
            } else if (e >= CANCEL) {
                int i = e - CANCEL;
                if (tasks[i].cancel("explored")) {
                    cancelRequested[i] = true;
                }
            } else {
                int i = e;
                tasks[i] = AsyncIO.createTask(() -> {
                    try {
                        return AsyncIO.timeout(Duration.ofDays(365), scope -> {
                            scopes[i] = scope;
                            entered[i] = true;
                            foundSet[i] = event.isSet();
                            event.await();
                            return "woken";
                        });
                    } catch (TimeoutException x) {
                        return "timed out";
                    }
                });
            }
        }

        private void step() {
            stats.iterations++;
            trace.append("; ");
            AsyncIO.sleep0();
            check("after an iteration");
        }

        private void settle() {
            for (int s = 0; s < SETTLE; s++) {
                step();
            }
            for (int i = 0; i < n; i++) {
                if (tasks[i] != null && !tasks[i].isDone() && tasks[i].cancelling() > 0) {
                    broken("once the loop settled: waiter " + i + " has a cancellation pending and has not ended");
                }
            }
        }

        private void check(String when) {
            int linked = Run.linked(event.toString());
            int mayBeLinked = 0;
            for (int i = 0; i < n; i++) {
                Task<String> t = tasks[i];
                if (t != null && entered[i] && !t.isDone() && t.cancelling() > 0) {
                    mayBeLinked++;
                }
            }
            if (event.isSet() && linked > mayBeLinked) {
                broken(when + ": " + (linked - mayBeLinked) + " waiter(s) with no cancellation pending wait on a set event (a lost wake-up)");
            }
            for (int i = 0; i < n; i++) {
                Task<String> t = tasks[i];
                if (t == null || !t.isDone()) {
                    continue;
                }
                boolean returned = !t.isCancelled() && t.exception() == null && "woken".equals(t.result());
                if (returned && !foundSet[i] && !sawSet[i]) {
                    broken(when + ": waiter " + i + " returned from await() although no set() happened while it waited"
                            + " (a broadcast wake-up passed on, SPEC Y16)");
                }
                if (!returned && !cancelRequested[i]) {
                    broken(when + ": waiter " + i + " ended " + (t.isCancelled() ? "cancelled" : t.result()) + " with no cancellation");
                }
            }
        }

        private void broken(String what) {
            fail("the wait queue broke an invariant (SPEC Y40, Event): " + what + "\n  ordering (';' = one loop iteration, R toggles the event): "
                    + ordering + "\n  played: " + trace + "\n  event: " + event + ", tasks " + Arrays.toString(tasks));
        }
    }

    /** One ordering played on a fresh resource. */
    private static final class Run {
        private final Loop loop;
        private final Resource res;
        private final int n;
        private final Ordering ordering;
        private final Stats stats;
        @SuppressWarnings("unchecked")
        private final Task<String>[] tasks;
        private final Timeout[] scopes;
        private final boolean[] entered;
        private final boolean[] acquiredEver;
        private final boolean[] cancelRequested;
        /** The holders, oldest first; -1 is the driver. */
        private final ArrayDeque<Integer> holders = new ArrayDeque<>();
        /**
         * The waiters that suspended, in the order they resumed holding. (One
         * that found a unit free took it at once, and may resume before an
         * earlier waiter that was handed a unit in the same iteration; that
         * nobody takes a free unit while a waiter waits is the lost-wake-up
         * check.)
         */
        private final List<Integer> order = new ArrayList<>();
        private final StringBuilder trace = new StringBuilder();

        @SuppressWarnings("unchecked")
        Run(Loop loop, Resource res, int n, Ordering ordering, Stats stats) {
            this.loop = loop;
            this.res = res;
            this.n = n;
            this.ordering = ordering;
            this.stats = stats;
            this.tasks = new Task[n];
            this.scopes = new Timeout[n];
            this.entered = new boolean[n];
            this.acquiredEver = new boolean[n];
            this.cancelRequested = new boolean[n];
        }

        void play() {
            stats.orderings++;
            for (int u = 0; u < res.units(); u++) {
                res.acquire(); // the driver holds every unit: free ones are taken without suspending
                holders.add(-1);
            }
            check("start", false);
            int[] events = ordering.events();
            for (int k = 0; k < events.length; k++) {
                apply(events[k]);
                check("after " + name(events[k]), false);
                if (k < events.length - 1 && ordering.gaps()[k] == 1) {
                    step();
                }
            }
            settle();
            while (!holders.isEmpty()) { // the drain: release every unit held, in turn
                apply(RELEASE);
                check("after the drain's release", false);
                settle();
            }
            for (int i = 0; i < n; i++) {
                Task<String> t = tasks[i];
                if (!t.isDone()) {
                    broken("waiter " + i + " never finished (a lost wake-up)");
                }
                if (!cancelRequested[i] && !(!t.isCancelled() && "acquired".equals(t.result()))) {
                    broken("waiter " + i + ", which nothing cancelled, never acquired (a lost wake-up): "
                            + (t.isCancelled() ? "cancelled" : t.result()));
                }
            }
            if (res.free() != res.units()) {
                broken("after every holder released, " + res.free() + " of " + res.units() + " units are free (a unit lost)");
            }
        }

        static String name(int e) {
            return new Ordering(new int[] {e}, new int[0]).toString();
        }

        private void apply(int e) {
            stats.events++;
            trace.append(name(e)).append(' ');
            if (e == RELEASE) {
                if (!holders.isEmpty()) {
                    holders.removeFirst();
                    res.release();
                }
            } else if (e >= TIMEOUT) {
                int i = e - TIMEOUT;
                if (scopes[i] != null && !tasks[i].isDone() && !scopes[i].expired()) {
                    cancelRequested[i] = true;
                    scopes[i].reschedule(loop.time()); // due now: the loop's timer fires it next iteration
                }
            } else if (e >= CANCEL) {
                int i = e - CANCEL;
                if (tasks[i].cancel("explored")) {
                    cancelRequested[i] = true;
                }
            } else {
                int i = e;
                tasks[i] = AsyncIO.createTask(() -> waiter(i));
            }
        }

        private String waiter(int i) {
            try {
                return AsyncIO.timeout(Duration.ofDays(365), scope -> {
                    scopes[i] = scope;
                    entered[i] = true;
                    boolean suspends = res.free() == 0; // a free unit is taken without suspending (SPEC Y5, Y24)
                    res.acquire();
                    acquiredEver[i] = true;
                    holders.add(i);
                    if (suspends) {
                        order.add(i);
                    }
                    return "acquired";
                });
            } catch (TimeoutException e) {
                return "timed out";
            }
        }

        private void step() {
            stats.iterations++;
            trace.append("; ");
            AsyncIO.sleep0();
            check("after an iteration", false);
        }

        private void settle() {
            for (int s = 0; s < SETTLE; s++) {
                step();
            }
            check("once the loop settled", true);
        }

        private void check(String when, boolean settled) {
            int free = res.free();
            int held = holders.size();
            int units = res.units();
            if (held > units || held + free > units) {
                broken(when + ": " + held + " holders and " + free + " free units of " + units + " (a unit duplicated)");
            }
            for (int k = 1; k < order.size(); k++) {
                if (order.get(k) < order.get(k - 1)) {
                    broken(when + ": waiters acquired in the order " + order + ", not the order they began waiting (FIFO)");
                }
            }
            int linked = linked(res.describe());
            int mayBeLinked = 0; // tasks that may legitimately stay linked while a unit is free: cancelled, not resumed yet
            for (int i = 0; i < n; i++) {
                Task<String> t = tasks[i];
                if (t != null && entered[i] && !t.isDone() && !acquiredEver[i] && t.cancelling() > 0) {
                    mayBeLinked++;
                }
            }
            if (free > 0 && linked > mayBeLinked) {
                broken(when + ": " + (linked - mayBeLinked) + " waiter(s) with no cancellation pending wait while " + free
                        + " unit(s) are free (a lost wake-up)");
            }
            for (int i = 0; i < n; i++) {
                Task<String> t = tasks[i];
                if (t == null) {
                    continue;
                }
                if (t.isDone()) {
                    boolean normal = !t.isCancelled() && t.exception() == null && "acquired".equals(t.result());
                    if (normal != acquiredEver[i]) {
                        broken(when + ": waiter " + i + " ended " + (t.isCancelled() ? "cancelled" : t.exception() != null
                                ? t.exception().toString() : t.result()) + (acquiredEver[i] ? " but held a unit" : " without a unit")
                                + " (a cancelled waiter must never hold)");
                    }
                }
                if (settled && !t.isDone() && t.cancelling() > 0) {
                    broken(when + ": waiter " + i + " has a cancellation pending and has not ended");
                }
            }
            if (settled && held + free != units) {
                broken(when + ": " + held + " holders and " + free + " free units of " + units
                        + " once the loop settled (a unit lost: handed to a task that left)");
            }
        }

        /** How many waiters the resource's toString counts (SPEC Y38: "waiters=2"; none shown when none wait). */
        static int linked(String described) {
            int at = described.indexOf("waiters=");
            if (at < 0) {
                return 0;
            }
            int end = at + "waiters=".length();
            while (end < described.length() && Character.isDigit(described.charAt(end))) {
                end++;
            }
            return Integer.parseInt(described.substring(at + "waiters=".length(), end));
        }

        private void broken(String what) {
            fail("the wait queue broke an invariant (SPEC Y40): " + what + "\n  ordering (';' = one loop iteration): "
                    + ordering + "\n  played: " + trace + "\n  resource: " + res.describe() + ", holders " + holders
                    + ", tasks " + Arrays.toString(tasks));
        }
    }

    private WaitQueueExploration() {}
}
