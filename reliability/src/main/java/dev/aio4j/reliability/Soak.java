package dev.aio4j.reliability;

import dev.aio4j.AsyncIO;
import dev.aio4j.ErrorContext;
import dev.aio4j.Future;
import dev.aio4j.Loop;
import dev.aio4j.Task;
import dev.aio4j.TimerHandle;
import dev.aio4j.net.Connection;
import dev.aio4j.net.Server;
import dev.aio4j.net.Streams;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The soak run: every target runs a loopback echo, timers and short tasks
 * for a while, on a loop of its own, all at once; every sample interval
 * (10 s) the process's heap (after {@code System.gc()}) and open file
 * descriptors are printed, one line per sample. It fails (exit 1) if heap or
 * descriptors grow steadily, if a loop stops making progress, or if a
 * workload fails; it ends by itself after the time asked for.
 *
 * <p>Growth: the median of the last third of the samples is more than 1.5
 * times the median of the first third, and more than an absolute slack
 * above it (64 MiB of heap, 64 descriptors), so that small numbers and GC
 * noise do not count. Traffic is loopback only and paced: each client sends
 * 50 lines, then pauses 5 ms.
 *
 * <pre>
 * java ... dev.aio4j.reliability.Soak MINUTES [TARGET_PREFIX[,TARGET_PREFIX...] ...]
 * </pre>
 * or, through the build, {@code SoakTest} with {@code -Daio4j.reliability.soakMinutes=MINUTES}
 * (README). The sample interval is {@code -Daio4j.reliability.soakSampleSeconds} (default 10).
 */
public final class Soak {
    /** The sample interval in seconds (default 10). */
    public static final String SAMPLE_PROPERTY = "aio4j.reliability.soakSampleSeconds";
    /** How long the soak run by the build lasts, in minutes ({@code SoakTest}); unset: no soak. */
    public static final String MINUTES_PROPERTY = "aio4j.reliability.soakMinutes";
    /** Heap growth below this many bytes never counts. */
    static final long HEAP_SLACK = 64L << 20;
    /** Descriptor growth below this many never counts. */
    static final long FD_SLACK = 64;
    private static final int CLIENTS = 4;
    private static final int LINES = 50;
    private static final int TIMERS = 1000;
    private static final int TASKS = 500;

    private Soak() {}

    public static void main(String[] args) {
        List<String> rest = Arrays.stream(args).map(String::trim).filter(s -> !s.isEmpty()).toList();
        if (rest.isEmpty()) {
            System.err.println("usage: Soak MINUTES [TARGET_PREFIX ...]   (targets: " + Target.all() + ")");
            System.exit(2);
        }
        double minutes;
        try {
            minutes = Double.parseDouble(rest.get(0));
        } catch (NumberFormatException e) {
            minutes = -1;
        }
        if (!(minutes > 0) || minutes > 7 * 24 * 60) {
            System.err.println("Soak: MINUTES must be a positive number of minutes (at most a week), got " + rest.get(0));
            System.exit(2);
        }
        List<Target> targets = Target.matching(String.join(",", rest.subList(1, rest.size())));
        int rc = run(Duration.ofMillis(Math.round(minutes * 60_000)), sampleInterval(), targets, System.out);
        System.exit(rc);
    }

    /** The sample interval: {@value #SAMPLE_PROPERTY} seconds, 10 by default. */
    public static Duration sampleInterval() {
        String v = System.getProperty(SAMPLE_PROPERTY, "").trim();
        return Duration.ofSeconds(v.isEmpty() ? 10 : Math.max(1, Long.parseLong(v)));
    }

    /**
     * Runs the soak workload on {@code targets} for {@code length}, sampling
     * every {@code interval}, and prints to {@code out}.
     *
     * @return 0 if it passed, 1 if it failed
     */
    public static int run(Duration length, Duration interval, List<Target> targets, PrintStream out) {
        out.printf(Locale.ROOT, "soak: %s on %s, a sample every %ss%n", length, targets, interval.toSeconds());
        long start = System.nanoTime();
        long deadline = start + length.toNanos();
        CountDownLatch finished = new CountDownLatch(targets.size());
        List<Worker> workers = new ArrayList<>();
        for (Target t : targets) {
            Worker w = new Worker(t, deadline, finished);
            workers.add(w);
            Thread.ofPlatform().daemon().name("soak-" + t.id()).start(w);
        }
        List<String> problems = new ArrayList<>();
        List<Long> heap = new ArrayList<>();
        List<Long> fds = new ArrayList<>();
        long[] lastOps = new long[workers.size()];
        // A stall is no progress for the suite's timeout (or one interval, if longer), not for one interval:
        // on a loaded machine a target can miss a whole second (seen: load 8 on 2 cores) without being stuck.
        long stallNanos = Math.max(interval.toNanos(), Knobs.timeout().toNanos());
        long[] lastProgress = new long[workers.size()];
        java.util.Arrays.fill(lastProgress, start);
        boolean[] stalled = new boolean[workers.size()];
        var memory = ManagementFactory.getMemoryMXBean();
        long wait = interval.toNanos();
        for (int k = 1; ; k++) {
            long at = start + k * wait;
            if (at > deadline) {
                break;
            }
            try {
                if (finished.await(at - System.nanoTime(), TimeUnit.NANOSECONDS)) {
                    break; // every worker ended early: a failure, reported below
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                problems.add("interrupted");
                break;
            }
            System.gc();
            long h = memory.getHeapMemoryUsage().getUsed();
            long f = Fds.open();
            heap.add(h);
            fds.add(f);
            StringBuilder progress = new StringBuilder();
            for (int i = 0; i < workers.size(); i++) {
                Worker w = workers.get(i);
                long ops = w.ops.get();
                long delta = ops - lastOps[i];
                lastOps[i] = ops;
                progress.append(i == 0 ? "" : ", ").append(w.target.id()).append(" +").append(delta);
                long now = System.nanoTime();
                if (delta > 0) {
                    lastProgress[i] = now;
                } else if (!stalled[i] && now - lastProgress[i] >= stallNanos && w.failure.get() == null && !w.done) {
                    stalled[i] = true;
                    problems.add(w.target.id() + " made no progress for " + Duration.ofNanos(now - lastProgress[i])
                            + " (up to sample " + k + ")");
                }
            }
            out.printf(Locale.ROOT, "sample %d t=%ds heapUsed=%.1fMiB fds=%d ops: %s%n", k,
                    (System.nanoTime() - start) / 1_000_000_000L, h / 1048576.0, f, progress);
            out.flush();
        }
        try {
            if (!finished.await(Knobs.timeout().toNanos(), TimeUnit.NANOSECONDS)) {
                for (Worker w : workers) {
                    if (!w.done) {
                        problems.add(w.target.id() + " did not stop within " + Knobs.timeout() + " after the deadline");
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            problems.add("interrupted");
        }
        for (int i = 0; i < workers.size(); i++) {
            if (!stalled[i] && workers.get(i).ops.get() == 0 && workers.get(i).failure.get() == null) {
                problems.add(workers.get(i).target.id() + " made no progress in the whole soak");
            }
        }
        for (Worker w : workers) {
            Throwable t = w.failure.get();
            if (t != null) {
                problems.add(w.target.id() + " failed: " + t);
            }
            if (!w.errors.isEmpty()) {
                problems.add(w.target.id() + " reported " + w.errors.size() + " errors, first: " + w.errors.get(0));
            }
        }
        problems.addAll(growth("heap used", heap, HEAP_SLACK));
        problems.addAll(growth("open fds", fds, FD_SLACK));
        if (heap.size() < 3) {
            out.println("soak: " + heap.size() + " samples: too few for a trend (3 or more needed)");
        }
        if (problems.isEmpty()) {
            out.println("soak: PASS (" + heap.size() + " samples)");
            return 0;
        }
        out.println("soak: FAIL");
        for (String p : problems) {
            out.println("  " + p);
        }
        return 1;
    }

    /**
     * The verdict on one series: steady growth if the median of the last
     * third is above both 1.5 times and {@code slack} more than the median
     * of the first third. Needs at least 3 samples.
     */
    static List<String> growth(String what, List<Long> samples, long slack) {
        int n = samples.size();
        if (n < 3) {
            return List.of();
        }
        int third = n / 3;
        long first = median(samples.subList(0, third));
        long last = median(samples.subList(n - third, n));
        if (last > first * 1.5 && last - first > slack) {
            return List.of(what + " grows: median of the first third " + first + ", of the last third " + last
                    + " (more than 1.5x and " + slack + " above); samples " + samples);
        }
        return List.of();
    }

    static long median(List<Long> xs) {
        long[] a = xs.stream().mapToLong(Long::longValue).sorted().toArray();
        return a.length % 2 == 1 ? a[a.length / 2] : (a[a.length / 2 - 1] + a[a.length / 2]) / 2;
    }

    /** One target's loop and workload; ends by itself at the deadline. */
    static final class Worker implements Runnable {
        final Target target;
        final long deadline;
        final CountDownLatch finished;
        final AtomicLong ops = new AtomicLong();
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        final List<ErrorContext> errors = java.util.Collections.synchronizedList(new ArrayList<>());
        volatile boolean done;
        private final SplittableRandom random = new SplittableRandom(42); // loop-confined

        Worker(Target target, long deadline, CountDownLatch finished) {
            this.target = target;
            this.deadline = deadline;
            this.finished = finished;
        }

        @Override
        public void run() {
            try {
                Loop loop = target.open("soak-" + target.id());
                try {
                    loop.setExceptionHandler((l, c) -> errors.add(c));
                    loop.runUntilComplete(this::workload);
                } finally {
                    AsyncIO.run(loop, () -> null); // cancels leftovers, shuts the executor down, closes
                }
            } catch (Throwable t) {
                failure.compareAndSet(null, t);
            } finally {
                done = true;
                finished.countDown();
            }
        }

        private boolean running() {
            return System.nanoTime() - deadline < 0 && failure.get() == null;
        }

        private Void workload() throws Exception {
            Loop loop = AsyncIO.currentLoop();
            Server server = Streams.startServer((reader, writer) -> {
                byte[] line;
                while ((line = reader.readLine()).length > 0) {
                    writer.write(line);
                    writer.drain();
                }
            }, 0);
            List<Task<Void>> parts = new ArrayList<>();
            for (int c = 0; c < CLIENTS; c++) {
                parts.add(loop.createTask(() -> echoClient(server.port()), "soak-client-" + c));
            }
            parts.add(loop.createTask(this::timers, "soak-timers"));
            parts.add(loop.createTask(this::tasks, "soak-tasks"));
            try {
                for (Task<Void> p : parts) {
                    p.await();
                }
            } catch (Throwable t) {
                failure.compareAndSet(null, t);
                throw t;
            } finally {
                server.close();
                server.closeClients();
                server.waitClosed();
            }
            return null;
        }

        private Void echoClient(int port) throws Exception {
            while (running()) {
                Connection c = Streams.openConnection("127.0.0.1", port);
                try {
                    for (int i = 0; i < LINES; i++) {
                        String line = "soak line " + i + " of " + target.id() + "\n";
                        c.writer().write(line);
                        String back = new String(c.reader().readLine(), StandardCharsets.UTF_8);
                        if (!back.equals(line)) {
                            throw new AssertionError("echo: sent " + line.strip() + ", got " + back.strip());
                        }
                        ops.incrementAndGet();
                    }
                    c.writer().writeEof();
                    byte[] end = c.reader().readLine();
                    if (end.length != 0) {
                        throw new AssertionError("expected the end of the stream, got " + end.length + " bytes");
                    }
                } finally {
                    c.close();
                }
                c.writer().waitClosed();
                AsyncIO.sleep(Duration.ofMillis(5)); // pacing: bounds the loopback traffic
            }
            return null;
        }

        private Void timers() throws Exception {
            Loop loop = AsyncIO.currentLoop();
            while (running()) {
                TimerHandle[] hs = new TimerHandle[TIMERS];
                Future<Void> all = loop.createFuture();
                int[] left = {0};
                long[] lastWhen = {Long.MIN_VALUE};
                for (int i = 0; i < TIMERS; i++) {
                    int idx = i;
                    hs[i] = loop.callLater(Duration.ofNanos(random.nextLong(20_000_000)), () -> {
                        long when = hs[idx].when();
                        if (all.isDone()) {
                            return;
                        }
                        if (when < lastWhen[0] || loop.time() < when) {
                            all.setException(new AssertionError("timer out of order or early: " + when
                                    + " after " + lastWhen[0] + ", time " + loop.time()));
                            return;
                        }
                        lastWhen[0] = when;
                        ops.incrementAndGet();
                        if (--left[0] == 0) {
                            all.setResult(null);
                        }
                    });
                }
                for (int i = 0; i < TIMERS; i++) {
                    if (i % 4 == 0) {
                        hs[i].cancel();
                    } else {
                        left[0]++;
                    }
                }
                all.await();
            }
            return null;
        }

        private Void tasks() throws Exception {
            Loop loop = AsyncIO.currentLoop();
            while (running()) {
                List<Task<Integer>> ts = new ArrayList<>(TASKS);
                for (int i = 0; i < TASKS; i++) {
                    int v = i;
                    long nanos = random.nextLong(10_000_000);
                    ts.add(loop.createTask(() -> {
                        AsyncIO.sleep(Duration.ofNanos(nanos));
                        return v;
                    }));
                }
                for (int i = 0; i < TASKS; i++) {
                    int r = ts.get(i).await();
                    if (r != i) {
                        throw new AssertionError("task " + i + " returned " + r);
                    }
                    ops.incrementAndGet();
                }
                int x = loop.toThread(() -> 6 * 7).await();
                if (x != 42) {
                    throw new AssertionError("toThread returned " + x);
                }
            }
            return null;
        }
    }
}
