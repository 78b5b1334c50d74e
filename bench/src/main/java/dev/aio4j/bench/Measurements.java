package dev.aio4j.bench;

import com.fasterxml.jackson.jr.ob.JSON;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * Measures every subject: each backend found on the class path and each JVM
 * peer in short runs (or their figures from a JMH result file), and CPython
 * asyncio and uvloop through {@code bench/python/workloads.py}.
 *
 * <p>Short runs: each workload runs a few times in one loop after warm-up
 * runs; the figure is the median run and its error bar reaches the farthest
 * run (on a shared machine the spread is part of the answer).
 */
final class Measurements {
    /**
     * How to measure.
     *
     * @param root       the repository root (where {@code bench/python/workloads.py} is)
     * @param python     the Python executable
     * @param pythonSkip when set, Python is not run and this is the reason shown
     * @param pythonArgs extra arguments of the Python script
     * @param jmh        a JMH JSON result file to take the JVM figures from, or null for short runs
     * @param warmup     warm-up runs per workload (short runs)
     * @param runs       measured runs per workload (short runs)
     * @param scale      size factor of the short runs (never applied to timers or async_tree)
     * @param timeoutS   how long one workload may take before its subject is abandoned
     * @param only       the JVM subjects to measure (empty: all)
     */
    record Settings(Path root, String python, String pythonSkip, List<String> pythonArgs, Path jmh, int warmup,
            int runs, double scale, long timeoutS, Set<String> only) {}

    /** JMH peer benchmark classes and the subject each stands for. */
    private static final Map<String, String> PEER_BENCHES = Map.of(
            "NettyPeerBench", "peer:netty-eventloop",
            "NioSelectorPeerBench", "peer:nio-selector",
            "CompletableFuturePeerBench", "peer:completablefuture",
            "VirtualThreadPeerBench", "peer:virtual-threads",
            "OneCarrierVirtualThreadPeerBench", "peer:virtual-threads-one-carrier",
            "ContinuationFloorBench", "peer:continuation-floor",
            "VertxPeerBench", "peer:vertx-virtual-threads");

    private final Settings settings;
    private final List<Result> results = new ArrayList<>();
    private final Map<String, String> machine = new LinkedHashMap<>();
    private final List<String> notes = new ArrayList<>();
    private final long started = System.nanoTime();

    Measurements(Settings settings) {
        this.settings = settings;
    }

    /** Runs everything; the JVM's own peers and backends first, then Python. */
    Results run() throws IOException, InterruptedException {
        describeMachine();
        Map<String, Optional<String>> found = Backends.discover();
        if (found.isEmpty()) {
            notes.add("No aio4j backend was found on the class path.");
        }
        List<Results.Backend> backends = found.entrySet().stream()
                .map(e -> new Results.Backend(e.getKey(), e.getValue().orElse(null), Backends.design(e.getKey()).orElse(null)))
                .toList();
        if (settings.jmh() != null) {
            readJmh(settings.jmh(), found);
        } else {
            for (var e : found.entrySet()) {
                if (e.getValue().isPresent()) {
                    skipAll(e.getKey(), "backend", "backend unavailable: " + e.getValue().get());
                } else {
                    measure(e.getKey(), "backend", () -> Backends.subject(e.getKey()));
                }
            }
            for (Peers.Entry p : Peers.all()) {
                if (p.jvmFlags().isEmpty()) {
                    measure(p.name(), "peer", p.start());
                } else {
                    measureForked(p);
                }
            }
        }
        runPython();
        machine.put("peak memory of the measuring JVM", peakMemory());
        return new Results(machine, backends, results, notes);
    }

    void progress(String s) {
        System.err.printf(Locale.ROOT, "[report %5.1fs] %s%n", (System.nanoTime() - started) / 1e9, s);
    }

    // ------------------------------------------------------------------ machine

    private void describeMachine() {
        machine.put("cores", String.valueOf(Runtime.getRuntime().availableProcessors()));
        machine.put("cpu", procField("/proc/cpuinfo", "model name").orElse("?"));
        machine.put("memory", procField("/proc/meminfo", "MemTotal").map(Measurements::kilobytes).orElse("?"));
        machine.put("os", osName() + ", kernel " + System.getProperty("os.version") + ", " + System.getProperty("os.arch"));
        machine.put("jdk", System.getProperty("java.vm.vendor") + " " + System.getProperty("java.vm.name") + " "
                + System.getProperty("java.runtime.version"));
        machine.put("python", "not run");
        machine.put("load average at start", read("/proc/loadavg").trim().replaceAll("^(\\S+ \\S+ \\S+).*", "$1"));
        String transport;
        try {
            transport = NettyPeer.transport();
        } catch (Throwable e) {
            transport = "unavailable (" + e + ")";
        }
        machine.put("netty transport", transport + " (Netty " + io.netty.util.Version.identify().values().stream()
                .map(v -> v.artifactVersion()).distinct().collect(Collectors.joining(",")) + ")");
        machine.put("date", ZonedDateTime.now().format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm z", Locale.ROOT)));
        machine.put("mode", settings.jmh() != null ? "full: JMH (" + settings.jmh().getFileName() + ")"
                : String.format(Locale.ROOT, "short runs: median of %d after %d warm-up, sizes x%s",
                        settings.runs(), settings.warmup(), settings.scale()));
    }

    private static String osName() {
        return read("/etc/os-release").lines().filter(l -> l.startsWith("PRETTY_NAME="))
                .map(l -> l.substring(12).replace("\"", "")).findFirst().orElse(System.getProperty("os.name"));
    }

    /** The value of the first {@code key: value} line of a /proc file. */
    private static Optional<String> procField(String file, String key) {
        return read(file).lines().filter(l -> l.startsWith(key))
                .map(l -> l.substring(l.indexOf(':') + 1).trim()).findFirst();
    }

    /** "24570196 kB" as "23.4 GiB". */
    private static String kilobytes(String field) {
        String digits = field.replaceAll("[^0-9]", "");
        return digits.isEmpty() ? field : String.format(Locale.ROOT, "%.1f GiB", Long.parseLong(digits) / 1048576.0);
    }

    /** The resident-set high-water mark of this JVM (VmHWM), what the machine had to give it. */
    private static String peakMemory() {
        return procField("/proc/self/status", "VmHWM").map(Measurements::kilobytes).orElse("unknown");
    }

    private static String read(String file) {
        try {
            return Files.readString(Path.of(file));
        } catch (IOException e) {
            return "";
        }
    }

    // ------------------------------------------------------------------ JVM runs

    private void skipAll(String subject, String kind, String reason) {
        for (Workload w : Workload.values()) {
            results.add(Result.skipped(subject, kind, w.id(), reason));
        }
        progress(subject + ": skipped, " + reason);
    }

    private int size(Workload w) {
        if (w == Workload.TIMERS || w == Workload.ASYNC_TREE) {
            return w.size(); // timers' 50 ms spread is a floor: scaling it down would cap every rate
        }
        return Math.max(1, (int) (w.size() * settings.scale()));
    }

    /** Runs every workload on one subject in a thread of its own, so that a hang costs a timeout, not the report. */
    private void measure(String name, String kind, Supplier<Subject> start) throws InterruptedException {
        if (!settings.only().isEmpty() && !settings.only().contains(name)) {
            skipAll(name, kind, "not selected (--only)");
            return;
        }
        BlockingQueue<Result> done = new LinkedBlockingQueue<>();
        Thread t = new Thread(() -> {
            Subject s;
            try {
                s = start.get();
            } catch (Throwable e) {
                for (Workload w : Workload.values()) {
                    done.add(Result.skipped(name, kind, w.id(), "cannot start: " + e));
                }
                return;
            }
            try {
                for (Workload w : Workload.values()) {
                    Optional<String> skip = s.skipReason(w);
                    try {
                        done.add(skip.isPresent() ? Result.skipped(name, kind, w.id(), skip.get()) : time(s, name, kind, w));
                    } catch (Throwable e) {
                        done.add(Result.skipped(name, kind, w.id(), "FAILED: " + e));
                    }
                }
            } finally {
                s.close();
            }
        }, "report-" + name);
        t.setDaemon(true);
        t.start();
        for (Workload w : Workload.values()) {
            Result r = done.poll(settings.timeoutS(), TimeUnit.SECONDS);
            if (r == null) {
                progress(name + " " + w.id() + ": TIMED OUT after " + settings.timeoutS() + " s; abandoning " + name);
                for (Workload rest : Workload.values()) {
                    if (rest.ordinal() >= w.ordinal()) {
                        results.add(Result.skipped(name, kind, rest.id(), "FAILED: timed out after " + settings.timeoutS() + " s"));
                    }
                }
                return;
            }
            results.add(r);
            progressLine(r);
        }
        t.join(TimeUnit.SECONDS.toMillis(10));
    }

    /**
     * Measures peer {@code p} here, in this JVM, and returns its results: the child side of
     * {@link #measureForked}, called by {@link ForkedPeer} in the JVM started with the peer's flags.
     */
    List<Result> measureHere(Peers.Entry p) throws InterruptedException {
        measure(p.name(), "peer", p.start());
        return List.copyOf(results);
    }

    /**
     * Measures a peer whose JVM needs flags of its own ({@link Peers.Entry#jvmFlags()}) in a child
     * JVM: this JVM's options and class path, the peer's flags, and {@link ForkedPeer} as the main
     * class, which prints the results as JSON on its stdout (its progress goes to our stderr).
     * The child does not pre-touch a heap of its own: this JVM holds its own meanwhile, and
     * neither pingpong nor async_tree keeps much alive.
     */
    private void measureForked(Peers.Entry p) throws IOException, InterruptedException {
        if (!settings.only().isEmpty() && !settings.only().contains(p.name())) {
            skipAll(p.name(), "peer", "not selected (--only)");
            return;
        }
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(a -> !a.startsWith("-Xms") && !a.equals("-XX:+AlwaysPreTouch")).forEach(cmd::add);
        cmd.addAll(p.jvmFlags());
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), ForkedPeer.class.getName(), p.name(),
                String.valueOf(settings.warmup()), String.valueOf(settings.runs()), String.valueOf(settings.scale()),
                String.valueOf(settings.timeoutS())));
        progress(p.name() + ": in a JVM of its own, with " + String.join(" ", p.jvmFlags()));
        Process child = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String out = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        int rc = child.waitFor();
        List<Result> got;
        try {
            got = rc == 0 ? JSON.std.listOfFrom(Result.class, out.strip()) : List.of();
        } catch (IOException e) {
            got = List.of();
        }
        if (got.isEmpty()) {
            skipAll(p.name(), "peer", "FAILED: its JVM of its own exited with " + rc + " and gave no results");
            return;
        }
        results.addAll(got); // their progress lines came on the child's stderr
    }

    private void progressLine(Result r) {
        progress(String.format(Locale.ROOT, "%-28s %-10s %s", r.subject(), r.workload(), r.ok()
                ? Tables.human(r.value()) + " ops/s (+/- " + Tables.human(r.errorOrZero()) + ")" : "skipped: " + r.skipped()));
    }

    private Result time(Subject s, String name, String kind, Workload w) throws Exception {
        int n = size(w);
        long budget = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        for (int i = 0; i < settings.warmup() && (i == 0 || System.nanoTime() < budget); i++) {
            s.run(w, n);
        }
        double[] rates = new double[settings.runs()];
        int done = 0;
        budget = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (done < rates.length && (done == 0 || System.nanoTime() < budget)) {
            long t0 = System.nanoTime();
            long ops = s.run(w, n);
            rates[done++] = ops / ((System.nanoTime() - t0) / 1e9);
        }
        return Result.ofRuns(name, kind, w.id(), Arrays.copyOf(rates, done));
    }

    // ------------------------------------------------------------------ JMH results (--full)

    /** One benchmark of a JMH JSON result file (the fields the report uses). */
    record JmhBenchmark(String benchmark, Map<String, String> params, int forks, int measurementIterations,
            Map<String, Object> primaryMetric) {}

    private void readJmh(Path file, Map<String, Optional<String>> backends) throws IOException {
        Map<String, Result> found = new LinkedHashMap<>();
        for (JmhBenchmark b : JSON.std.listOfFrom(JmhBenchmark.class, Files.readString(file))) {
            String[] parts = b.benchmark().split("\\.");
            String cls = parts[parts.length - 2];
            String workload = parts[parts.length - 1];
            boolean backend = cls.equals("BackendBench");
            String subject = backend ? b.params().get("backend") : PEER_BENCHES.get(cls);
            if (subject == null) {
                continue;
            }
            double score = ((Number) b.primaryMetric().get("score")).doubleValue();
            // JMH writes "NaN" (a string) when one iteration gives no confidence interval.
            Double error = b.primaryMetric().get("scoreError") instanceof Number n ? n.doubleValue() : null;
            found.put(subject + "/" + workload, new Result(subject, backend ? "backend" : "peer", workload, score, error,
                    score, b.forks() * b.measurementIterations(), null));
        }
        List<String> subjects = new ArrayList<>(backends.keySet());
        Peers.all().forEach(p -> subjects.add(p.name()));
        for (String s : subjects) {
            String kind = backends.containsKey(s) ? "backend" : "peer";
            String cause = backends.getOrDefault(s, Optional.empty()).map(c -> "backend unavailable: " + c).orElse(null);
            for (Workload w : Workload.values()) {
                Result r = found.get(s + "/" + w.id());
                results.add(r != null ? r : Result.skipped(s, kind, w.id(), cause != null ? cause : "not in the JMH results"));
            }
        }
    }

    // ------------------------------------------------------------------ Python

    private void runPython() throws IOException, InterruptedException {
        List<String> impls = List.of("asyncio", "uvloop");
        if (settings.pythonSkip() != null) {
            impls.forEach(impl -> skipAll(impl, "python", settings.pythonSkip()));
            return;
        }
        Path script = settings.root().resolve("bench/python/workloads.py");
        List<String> cmd = new ArrayList<>(List.of(settings.python(), script.toString()));
        cmd.addAll(settings.pythonArgs());
        progress("running " + String.join(" ", cmd));
        Process p;
        try {
            p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        } catch (IOException e) {
            impls.forEach(impl -> skipAll(impl, "python", "cannot start " + settings.python() + ": " + e.getMessage()));
            return;
        }
        Map<String, Result> got = new LinkedHashMap<>();
        Map<String, String> implSkip = new LinkedHashMap<>();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = in.readLine()) != null; ) {
                Map<String, Object> m;
                try {
                    m = JSON.std.mapFrom(line);
                } catch (IOException e) {
                    progress("python said: " + line);
                    continue;
                }
                if (m.containsKey("python")) {
                    machine.put("python", "CPython " + m.get("python") + " (" + m.get("executable") + "), uvloop "
                            + (m.get("uvloop") == null ? "not importable" : m.get("uvloop")));
                } else if (m.containsKey("skipped")) {
                    implSkip.put((String) m.get("impl"), (String) m.get("skipped"));
                    progress(m.get("impl") + ": skipped, " + m.get("skipped"));
                } else {
                    Result r = pythonResult(m);
                    got.put(r.subject() + "/" + r.workload(), r);
                    progressLine(r);
                }
            }
        }
        int rc = p.waitFor();
        for (String impl : impls) {
            for (Workload w : Workload.values()) {
                Result r = got.get(impl + "/" + w.id());
                results.add(r != null ? r : Result.skipped(impl, "python", w.id(), implSkip.getOrDefault(impl,
                        rc != 0 ? "FAILED: the Python script exited with " + rc : "not run")));
            }
        }
    }

    private static Result pythonResult(Map<String, Object> m) {
        String impl = (String) m.get("impl");
        String workload = (String) m.get("workload");
        if (m.containsKey("error")) {
            return Result.skipped(impl, "python", workload, "FAILED: " + m.get("error"));
        }
        double best = ((Number) m.get("ops_per_s")).doubleValue();
        double median = ((Number) m.get("median_ops_per_s")).doubleValue();
        double worst = m.get("min_ops_per_s") instanceof Number n ? n.doubleValue() : median;
        return Result.ofSpread(impl, "python", workload, median, best, worst, ((Number) m.get("runs")).intValue());
    }
}
