package dev.aio4j.bench;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.Optional;

/**
 * Peer: the floor under every task switch on one core, raw JDK continuations
 * ({@code jdk.internal.vm.Continuation}, what virtual threads are made of)
 * driven by a plain loop on the calling thread, with no scheduler, no future
 * and no queue in between. It runs two workloads, each the honest floor of
 * aio4j's own on one loop:
 * <ul>
 * <li>pingpong: two continuations, A and B, alternated by the driver. A
 *     round trip is A writing a value and yielding, the driver running B,
 *     B answering and yielding, the driver running A again: two run/yield
 *     pairs, one per hop. That is the shape of aio4j's pingpong, where each
 *     hop suspends one task and the loop resumes the other (two task switches
 *     per round trip, both through the loop), not one continuation yielding
 *     twice to a driver that plays the other side (that would count one task,
 *     not two).</li>
 * <li>sleep0: one continuation yields N times; the driver resumes it each
 *     time, as the loop resumes a task after {@code sleep0()}.</li>
 * </ul>
 * The JDK class is internal: it is reached through method handles, so the
 * bench compiles for {@code --release 21} (which refuses {@code --add-exports}),
 * and the JVM must run with {@code --add-exports java.base/jdk.internal.vm=ALL-UNNAMED}
 * ({@link ContinuationFloorBench}'s forks have it; {@code bench/report.sh} passes
 * it). Without it every workload is skipped with that reason. The handles are
 * {@code static final}, so the JIT compiles their calls as direct calls.
 *
 * <p>One workload at a time, on the calling thread (it drives the continuations).
 */
public final class ContinuationFloor implements Subject {
    /** The JVM option that opens the internal class to this code. */
    static final String ADD_EXPORTS = "--add-exports java.base/jdk.internal.vm=ALL-UNNAMED";

    private static final MethodHandle NEW_SCOPE;    // (String) -> ContinuationScope, as Object
    private static final MethodHandle NEW;          // (Object scope, Runnable) -> Continuation, as Object
    private static final MethodHandle RUN;          // (Object continuation) -> void
    private static final MethodHandle YIELD;        // (Object scope) -> boolean
    private static final MethodHandle IS_DONE;      // (Object continuation) -> boolean
    private static final String UNAVAILABLE;        // why the handles could not be made, or null

    static {
        MethodHandle newScope = null, create = null, run = null, yield = null, isDone = null;
        String unavailable = null;
        try {
            Class<?> scope = Class.forName("jdk.internal.vm.ContinuationScope");
            Class<?> cont = Class.forName("jdk.internal.vm.Continuation");
            // lookup(), not publicLookup(): the latter sees only packages exported to everyone, not to ALL-UNNAMED
            MethodHandles.Lookup l = MethodHandles.lookup();
            newScope = l.findConstructor(scope, MethodType.methodType(void.class, String.class))
                    .asType(MethodType.methodType(Object.class, String.class));
            create = l.findConstructor(cont, MethodType.methodType(void.class, scope, Runnable.class))
                    .asType(MethodType.methodType(Object.class, Object.class, Runnable.class));
            run = l.findVirtual(cont, "run", MethodType.methodType(void.class))
                    .asType(MethodType.methodType(void.class, Object.class));
            yield = l.findStatic(cont, "yield", MethodType.methodType(boolean.class, scope))
                    .asType(MethodType.methodType(boolean.class, Object.class));
            isDone = l.findVirtual(cont, "isDone", MethodType.methodType(boolean.class))
                    .asType(MethodType.methodType(boolean.class, Object.class));
        } catch (ReflectiveOperationException | RuntimeException e) {
            unavailable = "needs the JVM option " + ADD_EXPORTS + " (" + e + ")";
        }
        NEW_SCOPE = newScope;
        NEW = create;
        RUN = run;
        YIELD = yield;
        IS_DONE = isDone;
        UNAVAILABLE = unavailable;
    }

    @Override
    public String name() {
        return "peer:continuation-floor";
    }

    @Override
    public boolean isBackend() {
        return false;
    }

    @Override
    public Optional<String> skipReason(Workload w) {
        if (UNAVAILABLE != null) {
            return Optional.of(UNAVAILABLE);
        }
        return w == Workload.PINGPONG || w == Workload.SLEEP0 ? Optional.empty()
                : Optional.of("a floor of task switches only (pingpong, sleep0)");
    }

    @Override
    public long run(Workload w, int n) throws Exception {
        skipReason(w).ifPresent(why -> {
            throw new UnsupportedOperationException(w.id() + ": " + why);
        });
        try {
            return w == Workload.PINGPONG ? pingpong(n) : sleep0(n);
        } catch (Exception | Error e) {
            throw e;
        } catch (Throwable t) { // invokeExact declares Throwable; nothing else is thrown
            throw new IllegalStateException(t);
        }
    }

    /** The two sides' mailboxes: plain fields, since both continuations run on the driver's thread. */
    private static final class Mailbox {
        int toB;
        int toA;
    }

    private static long pingpong(int n) throws Throwable {
        Object scope = NEW_SCOPE.invokeExact("pingpong");
        Mailbox box = new Mailbox();
        Object a = NEW.invokeExact(scope, (Runnable) () -> {
            int v = 0;
            for (int i = 0; i < n; i++) {
                box.toB = v;
                yieldTo(scope);        // hop 1: A suspends, the driver resumes B
                v = box.toA;
            }
            box.toB = v;               // the final count, for the check below
        });
        Object b = NEW.invokeExact(scope, (Runnable) () -> {
            for (int i = 0; i < n; i++) {
                box.toA = box.toB + 1;
                yieldTo(scope);        // hop 2: B suspends, the driver resumes A
            }
        });
        // The driver plays the loop: resume whichever side is due, until both are done.
        while (!(boolean) IS_DONE.invokeExact(a)) {
            RUN.invokeExact(a);
            if (!(boolean) IS_DONE.invokeExact(b)) {
                RUN.invokeExact(b);
            }
        }
        LoopWorkloads.check(box.toB == n, "continuation pingpong counted " + box.toB + ", expected " + n);
        return n;
    }

    private static long sleep0(int n) throws Throwable {
        Object scope = NEW_SCOPE.invokeExact("sleep0");
        int[] yields = {0};
        Object c = NEW.invokeExact(scope, (Runnable) () -> {
            for (int i = 0; i < n; i++) {
                yields[0]++;
                yieldTo(scope);
            }
        });
        while (!(boolean) IS_DONE.invokeExact(c)) {
            RUN.invokeExact(c);
        }
        LoopWorkloads.check(yields[0] == n, "continuation sleep0 yielded " + yields[0] + " times, expected " + n);
        return n;
    }

    /** Suspends the running continuation of {@code scope}; a pinned one (a monitor held) is a bug here. */
    private static void yieldTo(Object scope) {
        boolean yielded;
        try {
            yielded = (boolean) YIELD.invokeExact(scope);
        } catch (Throwable e) {
            throw new IllegalStateException("Continuation.yield failed", e);
        }
        LoopWorkloads.check(yielded, "Continuation.yield did not yield (pinned)");
    }

    @Override
    public void close() {
        // nothing held between runs: each run makes its own continuations
    }
}
