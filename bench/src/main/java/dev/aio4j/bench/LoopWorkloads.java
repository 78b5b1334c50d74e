package dev.aio4j.bench;

import dev.aio4j.AsyncIO;
import dev.aio4j.Coroutine;
import dev.aio4j.Future;
import dev.aio4j.Loop;
import dev.aio4j.LoopGroup;
import dev.aio4j.net.ConnectionHandler;
import dev.aio4j.net.GroupServer;
import dev.aio4j.net.Connection;
import dev.aio4j.net.Server;
import dev.aio4j.net.Streams;
import dev.aio4j.Task;
import dev.aio4j.sync.Queue;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;

/**
 * The workloads written against the aio4j API, so that they run unchanged on
 * every backend. Each method runs one whole workload on {@code loop} (which
 * must not be running) with {@code runUntilComplete} and checks its result,
 * so that a broken backend fails loudly instead of looking fast.
 *
 * <p>Not thread-safe: call from the thread that owns {@code loop} ({@link #echoGroup}: from any
 * thread outside the group).
 */
public final class LoopWorkloads {
    private static final Callable<Integer> ONE = () -> 1;
    private static final Coroutine<Integer> TRIVIAL = () -> 1;

    private LoopWorkloads() {}

    /**
     * Runs {@code w} with {@code n} operations (async_tree ignores n: its shape is fixed).
     *
     * @throws IllegalArgumentException for echo_group, which needs a group ({@link #echoGroup})
     */
    public static void run(Loop loop, Workload w, int n) {
        switch (w) {
            case CALLSOON -> callsoon(loop, n);
            case TASKS -> tasks(loop, n);
            case PINGPONG -> pingpong(loop, n);
            case SLEEP0 -> sleep0(loop, n);
            case TIMERS -> timers(loop, n);
            case EXECUTOR -> executor(loop, n);
            case ASYNC_TREE -> asyncTree(loop);
            case ECHO -> echo(loop, n);
            case ECHO_GROUP -> throw new IllegalArgumentException(
                    "echo_group runs on a LoopGroup, not on one loop: call echoGroup(group, n)");
            case QUEUE -> queue(loop, n);
        }
    }

    /**
     * N items through one {@link Queue} of
     * {@link Workload#QUEUE_CAPACITY} places, from {@link Workload#QUEUE_PRODUCERS} producer
     * tasks to {@link Workload#QUEUE_CONSUMERS} consumers that mark each item done; the main
     * task joins the queue, then stops each consumer with a sentinel (-1). Ops: items consumed.
     */
    public static long queue(Loop loop, int n) {
        long consumed = loop.runUntilComplete(() -> {
            Queue<Integer> q = new Queue<>(Workload.QUEUE_CAPACITY);
            List<Task<Long>> consumers = new ArrayList<>();
            for (int c = 0; c < Workload.QUEUE_CONSUMERS; c++) {
                consumers.add(loop.createTask(() -> {
                    long got = 0;
                    for (;;) {
                        int v = q.get();
                        q.taskDone();
                        if (v < 0) {
                            return got;
                        }
                        got++;
                    }
                }));
            }
            List<Task<Void>> producers = new ArrayList<>();
            for (int p = 0; p < Workload.QUEUE_PRODUCERS; p++) {
                int items = Workload.queueShare(n, p);
                producers.add(loop.createTask(() -> {
                    for (int i = 0; i < items; i++) {
                        q.put(i);
                    }
                    return null;
                }));
            }
            AsyncIO.gather(producers).await();
            q.join();
            for (int c = 0; c < Workload.QUEUE_CONSUMERS; c++) {
                q.put(-1);
            }
            long total = 0;
            for (long got : AsyncIO.gather(consumers).await()) {
                total += got;
            }
            return total;
        });
        check(consumed == n, "queue consumed " + consumed + " of " + n + " items");
        return consumed;
    }

    /** N trivial callbacks scheduled with callSoon from a task; the last one completes a future the task awaits. */
    public static void callsoon(Loop loop, int n) {
        int count = loop.runUntilComplete(() -> {
            Future<Void> done = loop.createFuture();
            int[] ran = {0};
            Runnable cb = () -> {
                if (++ran[0] == n) {
                    done.setResult(null);
                }
            };
            for (int i = 0; i < n; i++) {
                loop.callSoon(cb);
            }
            done.await();
            return ran[0];
        });
        check(count == n, "callsoon ran " + count + " of " + n + " callbacks");
    }

    /** N trivial tasks gathered: AsyncIO.gather, as the Python script's asyncio.gather. */
    public static void tasks(Loop loop, int n) {
        long sum = loop.runUntilComplete(() -> {
            List<Task<Integer>> tasks = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                tasks.add(loop.createTask(TRIVIAL));
            }
            long s = 0;
            for (int v : AsyncIO.gather(tasks).await()) {
                s += v;
            }
            return s;
        });
        check(sum == n, "tasks summed " + sum + ", expected " + n);
    }

    /** A message of pingpong: the value, and the fresh future the answer must go to. */
    private record Msg(int value, Future<Msg> replyTo) {}

    /**
     * Two tasks exchange a value N times there and back. Every hop completes a
     * fresh future created by the receiver, as {@code asyncio.Queue.get()} does.
     */
    public static void pingpong(Loop loop, int n) {
        int last = loop.runUntilComplete(() -> {
            Future<Msg> firstInbox = loop.createFuture();
            Task<Void> b = loop.createTask(() -> {
                Future<Msg> inbox = firstInbox;
                for (int i = 0; i < n; i++) {
                    Msg m = inbox.await();
                    inbox = loop.createFuture();
                    m.replyTo().setResult(new Msg(m.value() + 1, inbox));
                }
                return null;
            }, "pong");
            Future<Msg> toB = firstInbox;
            int v = 0;
            for (int i = 0; i < n; i++) {
                Future<Msg> mine = loop.createFuture();
                toB.setResult(new Msg(v, mine));
                Msg answer = mine.await();
                v = answer.value();
                toB = answer.replyTo();
            }
            b.await();
            return v;
        });
        check(last == n, "pingpong counted " + last + " round trips, expected " + n);
    }

    /** One task yields N times. */
    public static void sleep0(Loop loop, int n) {
        int count = loop.runUntilComplete(() -> {
            int i = 0;
            while (i < n) {
                AsyncIO.sleep0();
                i++;
            }
            return i;
        });
        check(count == n, "sleep0 yielded " + count + " times, expected " + n);
    }

    /** N timers with random delays in [0, 50 ms), seeded; done when the last one fires. */
    public static void timers(Loop loop, int n) {
        int count = loop.runUntilComplete(() -> {
            Future<Void> done = loop.createFuture();
            int[] fired = {0};
            Runnable cb = () -> {
                if (++fired[0] == n) {
                    done.setResult(null);
                }
            };
            SplittableRandom random = new SplittableRandom(42);
            for (int i = 0; i < n; i++) {
                loop.callLater(Duration.ofNanos(random.nextLong(50_000_000L)), cb);
            }
            done.await();
            return fired[0];
        });
        check(count == n, "timers fired " + count + " of " + n);
    }

    /** N trivial jobs sent to the default executor at once, then each result awaited. */
    public static void executor(Loop loop, int n) {
        long sum = loop.runUntilComplete(() -> {
            @SuppressWarnings("unchecked")
            Future<Integer>[] fs = new Future[n];
            for (int i = 0; i < n; i++) {
                fs[i] = loop.runInExecutor(null, ONE);
            }
            long s = 0;
            for (Future<Integer> f : fs) {
                s += f.await();
            }
            return s;
        });
        check(sum == n, "executor summed " + sum + ", expected " + n);
    }

    /** pyperformance's async_tree (the "none" variant): every node a task, leaves yield once. */
    public static void asyncTree(Loop loop) {
        int count = loop.runUntilComplete(tree(loop, Workload.AsyncTree.DEPTH));
        check(count == Workload.AsyncTree.TASKS, "async_tree ran " + count + " tasks, expected " + Workload.AsyncTree.TASKS);
    }

    private static Coroutine<Integer> tree(Loop loop, int depth) {
        return () -> {
            if (depth == 0) {
                AsyncIO.sleep0();
                return 1;
            }
            @SuppressWarnings("unchecked")
            Task<Integer>[] kids = new Task[Workload.AsyncTree.BRANCHING];
            for (int i = 0; i < kids.length; i++) {
                kids[i] = loop.createTask(tree(loop, depth - 1));
            }
            int count = 1;
            for (Task<Integer> k : kids) {
                count += k.await();
            }
            return count;
        };
    }

    /**
     * Loopback TCP echo on one loop, as asyncio's version: a stream server
     * that writes each line back, and {@link Workload#ECHO_CLIENTS} client
     * tasks that each write a 64-byte line and read the echo, n / clients
     * times, then close. Counts round trips.
     */
    public static void echo(Loop loop, int n) {
        int lines = n / Workload.ECHO_CLIENTS;
        int total = loop.runUntilComplete(() -> {
            Server server = Streams.startServer(ECHO_BACK, 0);
            List<Task<Integer>> clients = new ArrayList<>(Workload.ECHO_CLIENTS);
            for (int c = 0; c < Workload.ECHO_CLIENTS; c++) {
                clients.add(loop.createTask(echoClient(server.port(), lines)));
            }
            int sum = 0;
            for (Task<Integer> t : clients) {
                sum += t.await();
            }
            server.close();
            server.waitClosed();
            return sum;
        });
        check(total == lines * Workload.ECHO_CLIENTS, "echo did " + total + " round trips");
    }

    /**
     * echo_group: the same echo on every member of {@code group}. The server listens on every
     * member ({@link Streams#startServer(LoopGroup, dev.aio4j.net.ConnectionHandler, String, int)},
     * SO_REUSEPORT where the backend has it, so the kernel spreads the connections), and client
     * {@code c} is a task of member {@code c % size}, as a program hands its work to the members
     * in turn. Counts round trips.
     *
     * <p>Blocks until every client is done: call from any thread but one of {@code group}'s members.
     */
    public static long echoGroup(LoopGroup group, int n) {
        int lines = n / Workload.ECHO_CLIENTS;
        GroupServer server = Streams.startServer(group, ECHO_BACK, null, 0).join();
        long total = 0;
        try {
            List<CompletableFuture<Integer>> clients = new ArrayList<>(Workload.ECHO_CLIENTS);
            for (int c = 0; c < Workload.ECHO_CLIENTS; c++) {
                clients.add(group.submit(c % group.size(), echoClient(server.port(), lines)));
            }
            for (CompletableFuture<Integer> f : clients) {
                total += f.join();
            }
        } finally {
            server.close().join();
        }
        check(total == (long) lines * Workload.ECHO_CLIENTS, "echo_group did " + total + " round trips");
        return total;
    }

    /** The server side of echo and echo_group: each line written back as soon as it is read. */
    private static final ConnectionHandler ECHO_BACK = (r, w) -> {
        byte[] line;
        while ((line = r.readLine()).length > 0) {
            w.write(line);
            w.drain();
        }
    };

    /** One echo client: {@code lines} round trips of a 64-byte line to {@code port}, then close; returns {@code lines}. */
    private static Coroutine<Integer> echoClient(int port, int lines) {
        return () -> {
            Connection conn = Streams.openConnection("127.0.0.1", port);
            for (int i = 0; i < lines; i++) {
                conn.writer().write(Workload.ECHO_LINE);
                byte[] got = conn.reader().readLine();
                check(got.length == Workload.ECHO_LINE.length, "echo returned " + got.length + " bytes");
            }
            conn.close();
            conn.writer().waitClosed();
            return lines;
        };
    }

    static void check(boolean ok, String message) {
        if (!ok) {
            throw new IllegalStateException("workload gave a wrong result: " + message);
        }
    }
}
