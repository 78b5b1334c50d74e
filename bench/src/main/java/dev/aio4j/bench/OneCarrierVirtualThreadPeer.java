package dev.aio4j.bench;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.locks.LockSupport;

/**
 * Peer: plain virtual threads on the JDK's default scheduler cut down to one
 * carrier thread ({@code -Djdk.virtualThreadScheduler.parallelism=1
 * -Djdk.virtualThreadScheduler.maxPoolSize=1}), so that every switch between
 * them happens on one core, as every switch between the tasks of one aio4j
 * loop does. pingpong hands the value over with the cheapest JDK hand-off,
 * {@link LockSupport#park()}/{@link LockSupport#unpark(Thread)} on two
 * volatile mailboxes (the both-carrier peer, {@link VirtualThreadPeer}, uses
 * {@code SynchronousQueue}s); async_tree is {@link VirtualThreadPeer}'s tree.
 *
 * <p>The scheduler reads those properties once, when the JVM starts its
 * first virtual thread, so they must be on the JVM's command line:
 * {@link OneCarrierVirtualThreadPeerBench}'s forks have them, and the
 * report's short runs start a JVM of its own for this peer ({@link ForkedPeer}).
 * In a JVM without them every workload is skipped with that reason rather
 * than measured on every carrier under this name.
 *
 * <p>One workload at a time, from one thread (as every {@link Subject}).
 */
public final class OneCarrierVirtualThreadPeer implements Subject {
    /** The JVM options that give the default scheduler one carrier (constants: {@code @Fork} names them too). */
    static final String PARALLELISM = "-Djdk.virtualThreadScheduler.parallelism=1";
    static final String MAX_POOL_SIZE = "-Djdk.virtualThreadScheduler.maxPoolSize=1";
    static final List<String> ONE_CARRIER = List.of(PARALLELISM, MAX_POOL_SIZE);

    private final ExecutorService vts = Executors.newVirtualThreadPerTaskExecutor();

    @Override
    public String name() {
        return "peer:virtual-threads-one-carrier";
    }

    @Override
    public boolean isBackend() {
        return false;
    }

    @Override
    public Optional<String> skipReason(Workload w) {
        if (!"1".equals(System.getProperty("jdk.virtualThreadScheduler.parallelism"))
                || !"1".equals(System.getProperty("jdk.virtualThreadScheduler.maxPoolSize"))) {
            return Optional.of("needs a JVM started with " + String.join(" ", ONE_CARRIER));
        }
        return w == Workload.PINGPONG || w == Workload.ASYNC_TREE ? Optional.empty()
                : Optional.of("written for the task-switch workloads only (pingpong, async_tree)");
    }

    @Override
    public long run(Workload w, int n) throws Exception {
        skipReason(w).ifPresent(why -> {
            throw new UnsupportedOperationException(w.id() + ": " + why);
        });
        return w == Workload.PINGPONG ? pingpong(n) : VirtualThreadPeer.asyncTree(vts);
    }

    /**
     * The two sides of pingpong: each mailbox holds a value (-1: empty) and is emptied by its
     * reader before it answers, so a writer never overwrites an unread value.
     */
    private static final class Exchange {
        volatile int toB = -1;
        volatile int toA = -1;
        Thread a;
        Thread b;

        /** A's side: waits, parked, until B has answered, and empties the mailbox (spurious wake-ups loop). */
        int takeToA() {
            int v;
            while ((v = toA) < 0) {
                LockSupport.park(this);
            }
            toA = -1;
            return v;
        }

        /** B's side: as {@link #takeToA()}. */
        int takeToB() {
            int v;
            while ((v = toB) < 0) {
                LockSupport.park(this);
            }
            toB = -1;
            return v;
        }
    }

    private static long pingpong(int n) throws InterruptedException {
        Exchange x = new Exchange();
        int[] last = {-1};
        x.b = Thread.ofVirtual().name("pong").unstarted(() -> {
            for (int i = 0; i < n; i++) {
                int v = x.takeToB();
                x.toA = v + 1;
                LockSupport.unpark(x.a);
            }
        });
        x.a = Thread.ofVirtual().name("ping").unstarted(() -> {
            int v = 0;
            for (int i = 0; i < n; i++) {
                x.toB = v;
                LockSupport.unpark(x.b);
                v = x.takeToA();
            }
            last[0] = v;
        });
        x.b.start();
        x.a.start();
        x.a.join(); // join: the writes of the thread happen-before its end
        x.b.join();
        LoopWorkloads.check(last[0] == n, "pingpong counted " + last[0] + ", expected " + n);
        return n;
    }

    @Override
    public void close() {
        vts.shutdownNow();
    }
}
