package dev.aio4j.bench;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.SynchronousQueue;

/**
 * Peer: plain virtual threads on the JDK's default scheduler (all carriers),
 * with no loop: pingpong between two virtual threads through
 * {@link SynchronousQueue}s, tasks as one virtual thread each joined in turn,
 * async_tree as a tree of virtual threads whose leaves {@code Thread.yield()},
 * queue as producer and consumer threads on an {@link ArrayBlockingQueue}, and echo as a thread per connection with blocking JDK sockets (the JDK's
 * poller parks and resumes them; they run on every carrier at once). That
 * echo already uses every core, so it is this peer's echo_group as well.
 */
public final class VirtualThreadPeer implements Subject {
    private final ExecutorService vts = Executors.newVirtualThreadPerTaskExecutor();

    @Override
    public String name() {
        return "peer:virtual-threads";
    }

    @Override
    public boolean isBackend() {
        return false;
    }

    @Override
    public Optional<String> skipReason(Workload w) {
        return switch (w) {
            case PINGPONG, TASKS, ASYNC_TREE, ECHO, ECHO_GROUP, QUEUE -> Optional.empty();
            default -> Optional.of("no loop to schedule on");
        };
    }

    @Override
    public long run(Workload w, int n) throws Exception {
        return switch (w) {
            case PINGPONG -> pingpong(n);
            case TASKS -> tasks(n);
            case ASYNC_TREE -> asyncTree(vts);
            // The carriers are every core already: a thread per connection is its own "group".
            case ECHO, ECHO_GROUP -> echo(n);
            case QUEUE -> queue(n);
            default -> throw new UnsupportedOperationException(w.id());
        };
    }

    /** The queue workload's shape with virtual threads on an {@link ArrayBlockingQueue} (no join: the sentinels follow every item). */
    private long queue(int n) throws Exception {
        ArrayBlockingQueue<Integer> q = new ArrayBlockingQueue<>(Workload.QUEUE_CAPACITY);
        List<Future<Long>> consumers = new ArrayList<>();
        for (int c = 0; c < Workload.QUEUE_CONSUMERS; c++) {
            consumers.add(vts.submit(() -> {
                long got = 0;
                while (q.take() >= 0) {
                    got++;
                }
                return got;
            }));
        }
        List<Future<?>> producers = new ArrayList<>();
        for (int p = 0; p < Workload.QUEUE_PRODUCERS; p++) {
            int items = Workload.queueShare(n, p);
            producers.add(vts.submit(() -> {
                for (int i = 0; i < items; i++) {
                    q.put(i);
                }
                return null;
            }));
        }
        for (Future<?> p : producers) {
            p.get();
        }
        for (int c = 0; c < Workload.QUEUE_CONSUMERS; c++) {
            q.put(-1);
        }
        long total = 0;
        for (Future<Long> c : consumers) {
            total += c.get();
        }
        LoopWorkloads.check(total == n, "queue consumed " + total + " of " + n);
        return total;
    }

    private long pingpong(int n) throws Exception {
        SynchronousQueue<Integer> toB = new SynchronousQueue<>();
        SynchronousQueue<Integer> toA = new SynchronousQueue<>();
        Future<?> b = vts.submit(() -> {
            for (int i = 0; i < n; i++) {
                toA.put(toB.take() + 1);
            }
            return null;
        });
        int last = vts.submit(() -> {
            int v = 0;
            for (int i = 0; i < n; i++) {
                toB.put(v);
                v = toA.take();
            }
            return v;
        }).get();
        b.get();
        LoopWorkloads.check(last == n, "pingpong counted " + last);
        return n;
    }

    private long echo(int n) throws Exception {
        int lines = n / Workload.ECHO_CLIENTS;
        int size = Workload.ECHO_LINE.length;
        try (ServerSocket server = new ServerSocket(0, 100, InetAddress.getLoopbackAddress())) {
            vts.submit(() -> {
                for (;;) {
                    Socket s = server.accept();
                    s.setTcpNoDelay(true);
                    vts.submit(() -> {
                        try (s) {
                            InputStream in = s.getInputStream();
                            OutputStream out = s.getOutputStream();
                            byte[] line;
                            while ((line = in.readNBytes(size)).length == size) {
                                out.write(line);
                            }
                        }
                        return null;
                    });
                }
            });
            List<Future<Integer>> clients = new ArrayList<>();
            for (int c = 0; c < Workload.ECHO_CLIENTS; c++) {
                clients.add(vts.submit(() -> {
                    try (Socket s = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort())) {
                        s.setTcpNoDelay(true);
                        InputStream in = s.getInputStream();
                        OutputStream out = s.getOutputStream();
                        for (int i = 0; i < lines; i++) {
                            out.write(Workload.ECHO_LINE);
                            LoopWorkloads.check(in.readNBytes(size).length == size, "echo reply cut short");
                        }
                    }
                    return lines;
                }));
            }
            long total = 0;
            for (Future<Integer> f : clients) {
                total += f.get();
            }
            LoopWorkloads.check(total == (long) lines * Workload.ECHO_CLIENTS, "echo did " + total);
            return total;
        } // closing the server ends its accept loop
    }

    private long tasks(int n) throws Exception {
        @SuppressWarnings("unchecked")
        Future<Integer>[] fs = new Future[n];
        for (int i = 0; i < n; i++) {
            fs[i] = vts.submit(() -> 1);
        }
        long s = 0;
        for (Future<Integer> f : fs) {
            s += f.get();
        }
        LoopWorkloads.check(s == n, "tasks summed " + s);
        return n;
    }

    /**
     * async_tree as a tree of virtual threads of {@code vts}, leaves {@code Thread.yield()}; the
     * tasks run. Shared with {@link OneCarrierVirtualThreadPeer}, whose carrier count is the JVM's.
     */
    static long asyncTree(ExecutorService vts) throws Exception {
        int count = vts.submit(() -> tree(vts, Workload.AsyncTree.DEPTH)).get();
        LoopWorkloads.check(count == Workload.AsyncTree.TASKS, "async_tree ran " + count);
        return count;
    }

    private static int tree(ExecutorService vts, int depth) throws Exception {
        if (depth == 0) {
            Thread.yield();
            return 1;
        }
        @SuppressWarnings("unchecked")
        Future<Integer>[] kids = new Future[Workload.AsyncTree.BRANCHING];
        for (int i = 0; i < kids.length; i++) {
            kids[i] = vts.submit(() -> tree(vts, depth - 1));
        }
        int count = 1;
        for (Future<Integer> k : kids) {
            count += k.get();
        }
        return count;
    }

    @Override
    public void close() {
        vts.shutdownNow();
    }
}
