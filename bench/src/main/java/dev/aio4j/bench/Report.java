package dev.aio4j.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.style.Styler;

/**
 * The report: runs a short version of every workload on every backend found on
 * the class path and every JVM peer (or reads a JMH result file, in
 * {@code --full} mode), runs {@code bench/python/workloads.py} for CPython
 * asyncio and uvloop, reads the TCK conformance summaries, and writes
 * {@code report/index.html}, {@code report/chart.png} and
 * {@code report/results.json}, printing the same tables. Started by
 * {@code bench/report.sh} (run from anywhere), which builds and runs the TCK
 * first.
 *
 * <p>Short runs: each workload runs a few times in one loop after warm-up
 * runs; the best run is the figure (the machine is shared, and the best run
 * is the least disturbed), the median is kept beside it.
 *
 * <p>Options: {@code --root DIR} (repository root, default {@code .}),
 * {@code --out DIR} (default {@code report}), {@code --python EXE} or
 * {@code --python-skip REASON}, {@code --python-args "..."} (extra arguments of
 * the script), {@code --jmh FILE} (take JVM figures from a JMH JSON result),
 * {@code --warmup N}, {@code --runs N}, {@code --scale F} (sizes of the short
 * runs, but never timers' or async_tree's), {@code --only a,b} (subjects).
 */
public final class Report {
    /** One figure: ops/s of a subject on a workload, or why there is none. */
    record Row(String subject, String kind, Workload workload, double best, double median, int runs, String skip) {
        boolean ok() {
            return skip == null;
        }
    }

    /** Where the issue wants the fastest backend against CPython asyncio (echo: against uvloop). */
    private static final Map<Workload, Double> TARGETS = new LinkedHashMap<>();

    static {
        TARGETS.put(Workload.CALLSOON, 20.0);
        TARGETS.put(Workload.TASKS, 20.0);
        TARGETS.put(Workload.EXECUTOR, 20.0);
        TARGETS.put(Workload.PINGPONG, 10.0);
        TARGETS.put(Workload.SLEEP0, 10.0);
        TARGETS.put(Workload.ASYNC_TREE, 10.0);
        TARGETS.put(Workload.TIMERS, 8.0);
        TARGETS.put(Workload.ECHO, 3.0);
        TARGETS.put(Workload.QUEUE, 10.0);
    }

    /** JMH peer benchmark classes and the subject each stands for. */
    private static final Map<String, String> PEER_BENCHES = Map.of(
            "NettyPeerBench", "peer:netty-eventloop",
            "NioSelectorPeerBench", "peer:nio-selector",
            "CompletableFuturePeerBench", "peer:completablefuture",
            "VirtualThreadPeerBench", "peer:virtual-threads",
            "VertxPeerBench", "peer:vertx-virtual-threads");

    private final Map<String, String> opt = new LinkedHashMap<>();
    private final List<Row> rows = new ArrayList<>();
    private final Map<String, String> machine = new LinkedHashMap<>();
    private final List<String> subjects = new ArrayList<>();
    private final Map<String, String> subjectKinds = new LinkedHashMap<>();
    private final StringBuilder notes = new StringBuilder();
    private final long started = System.nanoTime();

    public static void main(String[] args) throws Exception {
        Report r = new Report();
        for (int i = 0; i + 1 < args.length; i += 2) {
            if (!args[i].startsWith("--")) {
                throw new IllegalArgumentException("expected --option value, got " + args[i]);
            }
            r.opt.put(args[i].substring(2), args[i + 1]);
        }
        r.run();
        System.exit(0); // peers may leave non-daemon threads behind
    }

    private String opt(String k, String dflt) {
        return opt.getOrDefault(k, dflt);
    }

    private void progress(String s) {
        System.err.printf(Locale.ROOT, "[report %5.1fs] %s%n", (System.nanoTime() - started) / 1e9, s);
    }

    private void run() throws Exception {
        Path root = Path.of(opt("root", "."));
        Path out = Path.of(opt("out", "report"));
        Files.createDirectories(out);
        describeMachine();
        Map<String, Optional<String>> backends = Backends.discover();
        if (backends.isEmpty()) {
            notes.append("No aio4j backend found on the class path.\n");
        }
        backends.forEach((name, cause) -> {
            subjects.add(name);
            subjectKinds.put(name, "backend");
        });
        for (Peers.Entry p : Peers.all()) {
            subjects.add(p.name());
            subjectKinds.put(p.name(), "peer");
        }
        subjects.add("asyncio");
        subjects.add("uvloop");
        subjectKinds.put("asyncio", "python");
        subjectKinds.put("uvloop", "python");

        runPython();
        if (opt.containsKey("jmh")) {
            readJmh(Path.of(opt.get("jmh")), backends);
        } else {
            for (var e : backends.entrySet()) {
                if (e.getValue().isPresent()) {
                    skipAll(e.getKey(), "backend", "backend unavailable: " + e.getValue().get());
                } else {
                    measure(e.getKey(), "backend", () -> Backends.subject(e.getKey()));
                }
            }
            for (Peers.Entry p : Peers.all()) {
                measure(p.name(), "peer", p.start());
            }
        }
        List<Tck> tck = readTck(root);
        String text = render(tck, false);
        System.out.println(text);
        Files.writeString(out.resolve("index.html"), html(tck));
        Files.writeString(out.resolve("results.json"), json());
        try {
            chart(out.resolve("chart.png"));
        } catch (RuntimeException e) {
            progress("could not draw the chart: " + e);
        }
        progress("wrote " + out.resolve("index.html") + ", " + out.resolve("chart.png") + ", " + out.resolve("results.json"));
    }

    // ------------------------------------------------------------------ machine

    private void describeMachine() {
        int cores = Runtime.getRuntime().availableProcessors();
        machine.put("cores", String.valueOf(cores));
        machine.put("cpu", read("/proc/cpuinfo").lines().filter(l -> l.startsWith("model name"))
                .map(l -> l.substring(l.indexOf(':') + 1).trim()).findFirst().orElse("?"));
        machine.put("memory", read("/proc/meminfo").lines().filter(l -> l.startsWith("MemTotal"))
                .map(l -> l.replaceAll("\\s+", " ").substring(l.indexOf(':') + 1).trim()).findFirst().orElse("?"));
        machine.put("load average", read("/proc/loadavg").trim().replaceAll("^(\\S+ \\S+ \\S+).*", "$1"));
        machine.put("jdk", System.getProperty("java.vm.vendor") + " " + System.getProperty("java.vm.name") + " "
                + System.getProperty("java.runtime.version"));
        String os = read("/etc/os-release").lines().filter(l -> l.startsWith("PRETTY_NAME="))
                .map(l -> l.substring(12).replace("\"", "")).findFirst().orElse(System.getProperty("os.name"));
        machine.put("os", os + ", kernel " + System.getProperty("os.version") + ", " + System.getProperty("os.arch"));
        String transport;
        try {
            transport = NettyPeer.transport();
        } catch (Throwable e) {
            transport = "unavailable (" + e + ")";
        }
        machine.put("netty transport", transport + " (Netty " + io.netty.util.Version.identify().values().stream()
                .map(v -> v.artifactVersion()).distinct().collect(Collectors.joining(",")) + ")");
        machine.put("date", ZonedDateTime.now().toString());
        machine.put("mode", opt.containsKey("jmh") ? "full (JMH: " + opt.get("jmh") + ")"
                : "short runs: best of " + opt("runs", "3") + " after " + opt("warmup", "2") + " warm-up, scale " + opt("scale", "1"));
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
            rows.add(new Row(subject, kind, w, 0, 0, 0, reason));
        }
        progress(subject + ": skipped, " + reason);
    }

    private int size(Workload w) {
        double scale = Double.parseDouble(opt("scale", "1"));
        if (w == Workload.TIMERS || w == Workload.ASYNC_TREE) {
            return w.size(); // timers' 50 ms spread is a floor: scaling it down would cap every rate
        }
        return Math.max(1, (int) (w.size() * scale));
    }

    /** Runs every workload on one subject in a thread of its own, so that a hang costs a timeout, not the report. */
    private void measure(String name, String kind, Supplier<Subject> start) throws InterruptedException {
        if (opt.containsKey("only") && !Arrays.asList(opt.get("only").split(",")).contains(name)) {
            skipAll(name, kind, "not selected (--only)");
            return;
        }
        int warmup = Integer.parseInt(opt("warmup", "2"));
        int runs = Integer.parseInt(opt("runs", "3"));
        long timeoutS = Long.parseLong(opt("timeout", "120"));
        BlockingQueue<Row> results = new LinkedBlockingQueue<>();
        Thread t = new Thread(() -> {
            Subject s;
            try {
                s = start.get();
            } catch (Throwable e) {
                for (Workload w : Workload.values()) {
                    results.add(new Row(name, kind, w, 0, 0, 0, "cannot start: " + e));
                }
                return;
            }
            try {
                for (Workload w : Workload.values()) {
                    Optional<String> skip = s.skipReason(w);
                    if (skip.isPresent()) {
                        results.add(new Row(name, kind, w, 0, 0, 0, skip.get()));
                        continue;
                    }
                    try {
                        results.add(time(s, name, kind, w, warmup, runs));
                    } catch (Throwable e) {
                        results.add(new Row(name, kind, w, 0, 0, 0, "FAILED: " + e));
                    }
                }
            } finally {
                s.close();
            }
        }, "report-" + name);
        t.setDaemon(true);
        t.start();
        for (Workload w : Workload.values()) {
            Row r = results.poll(timeoutS, TimeUnit.SECONDS);
            if (r == null) {
                progress(name + " " + w.id() + ": TIMED OUT after " + timeoutS + " s; abandoning " + name);
                for (Workload rest : Workload.values()) {
                    if (rest.ordinal() >= w.ordinal()) {
                        rows.add(new Row(name, kind, rest, 0, 0, 0, "FAILED: timed out after " + timeoutS + " s"));
                    }
                }
                return;
            }
            rows.add(r);
            progress(String.format(Locale.ROOT, "%-28s %-10s %s", name, r.workload().id(),
                    r.ok() ? human(r.best()) + " ops/s (median " + human(r.median()) + ")" : "skipped: " + r.skip()));
        }
        t.join(TimeUnit.SECONDS.toMillis(10));
    }

    private Row time(Subject s, String name, String kind, Workload w, int warmup, int runs) throws Exception {
        int n = size(w);
        long budget = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        for (int i = 0; i < warmup && (i == 0 || System.nanoTime() < budget); i++) {
            s.run(w, n);
        }
        double[] rates = new double[runs];
        int done = 0;
        budget = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (done < runs && (done == 0 || System.nanoTime() < budget)) {
            long t0 = System.nanoTime();
            long ops = s.run(w, n);
            rates[done++] = ops / ((System.nanoTime() - t0) / 1e9);
        }
        double[] got = Arrays.copyOf(rates, done);
        Arrays.sort(got);
        return new Row(name, kind, w, got[got.length - 1], got[got.length / 2], done, null);
    }

    // ------------------------------------------------------------------ JMH results (--full)

    @SuppressWarnings("unchecked")
    private void readJmh(Path file, Map<String, Optional<String>> backends) throws IOException {
        Map<String, Row> found = new LinkedHashMap<>();
        for (Object o : (List<Object>) Json.parse(Files.readString(file))) {
            Map<String, Object> b = (Map<String, Object>) o;
            String bench = (String) b.get("benchmark");
            String[] parts = bench.split("\\.");
            String cls = parts[parts.length - 2];
            Workload w = Workload.of(parts[parts.length - 1]);
            String subject = cls.equals("BackendBench")
                    ? (String) ((Map<String, Object>) b.get("params")).get("backend")
                    : PEER_BENCHES.get(cls);
            if (subject == null) {
                continue;
            }
            Map<String, Object> pm = (Map<String, Object>) b.get("primaryMetric");
            double score = (Double) pm.get("score");
            found.put(subject + "/" + w, new Row(subject, subjectKinds.getOrDefault(subject, "backend"), w, score, score,
                    ((Number) b.get("forks")).intValue() * ((Number) b.get("measurementIterations")).intValue(), null));
        }
        for (String s : subjects) {
            if (subjectKinds.get(s).equals("python")) {
                continue;
            }
            for (Workload w : Workload.values()) {
                Row r = found.get(s + "/" + w);
                String cause = backends.getOrDefault(s, Optional.empty()).map(c -> "backend unavailable: " + c).orElse(null);
                rows.add(r != null ? r : new Row(s, subjectKinds.get(s), w, 0, 0, 0,
                        cause != null ? cause : "not in the JMH results"));
            }
        }
    }

    // ------------------------------------------------------------------ Python

    private void runPython() throws IOException, InterruptedException {
        if (opt.containsKey("python-skip")) {
            for (String impl : List.of("asyncio", "uvloop")) {
                skipAll(impl, "python", opt.get("python-skip"));
            }
            return;
        }
        String exe = opt("python", "/usr/bin/python3");
        Path script = Path.of(opt("root", ".")).resolve("bench/python/workloads.py");
        List<String> cmd = new ArrayList<>(List.of(exe, script.toString()));
        String extra = opt("python-args", "");
        if (!extra.isBlank()) {
            cmd.addAll(Arrays.asList(extra.trim().split("\\s+")));
        }
        progress("running " + String.join(" ", cmd));
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        Map<String, Row> got = new LinkedHashMap<>();
        Map<String, String> implSkip = new LinkedHashMap<>();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = in.readLine()) != null; ) {
                Map<String, Object> m;
                try {
                    m = Json.object(line);
                } catch (RuntimeException e) {
                    progress("python said: " + line);
                    continue;
                }
                if (m.containsKey("python")) {
                    machine.put("python", m.get("python") + " (" + m.get("executable") + "), uvloop "
                            + (m.get("uvloop") == null ? "not importable" : m.get("uvloop")));
                } else if (m.containsKey("skipped")) {
                    implSkip.put((String) m.get("impl"), (String) m.get("skipped"));
                    progress(m.get("impl") + ": skipped, " + m.get("skipped"));
                } else {
                    String impl = (String) m.get("impl");
                    Workload w = Workload.of((String) m.get("workload"));
                    Row r = m.containsKey("error")
                            ? new Row(impl, "python", w, 0, 0, 0, "FAILED: " + m.get("error"))
                            : new Row(impl, "python", w, (Double) m.get("ops_per_s"), (Double) m.get("median_ops_per_s"),
                                    ((Number) m.get("runs")).intValue(), null);
                    got.put(impl + "/" + w, r);
                    progress(String.format(Locale.ROOT, "%-28s %-10s %s", impl, w.id(),
                            r.ok() ? human(r.best()) + " ops/s (median " + human(r.median()) + ")" : r.skip()));
                }
            }
        }
        int rc = p.waitFor();
        for (String impl : List.of("asyncio", "uvloop")) {
            for (Workload w : Workload.values()) {
                Row r = got.get(impl + "/" + w);
                if (r == null) {
                    r = new Row(impl, "python", w, 0, 0, 0, implSkip.getOrDefault(impl,
                            rc != 0 ? "FAILED: the Python script exited with " + rc : "not run"));
                }
                rows.add(r);
            }
        }
    }

    // ------------------------------------------------------------------ TCK

    /** One backend's conformance summary: area to {passed, failed, skipped}, and what failed. */
    record Tck(String backend, Map<String, int[]> areas, int requiredTotal, int requiredPassed, List<String> failed) {}

    @SuppressWarnings("unchecked")
    private List<Tck> readTck(Path root) throws IOException {
        List<Path> files;
        try (Stream<Path> dirs = Files.list(root)) {
            files = dirs.map(d -> d.resolve("target/aio4j-tck")).filter(Files::isDirectory).flatMap(d -> {
                try (Stream<Path> f = Files.list(d)) {
                    return f.filter(x -> x.toString().endsWith(".json")).toList().stream();
                } catch (IOException e) {
                    return Stream.empty();
                }
            }).sorted().toList();
        }
        List<Tck> all = new ArrayList<>();
        for (Path f : files) {
            Map<String, Object> m = Json.object(Files.readString(f));
            Map<String, int[]> areas = new TreeMap<>();
            List<String> failed = new ArrayList<>();
            int reqTotal = 0;
            int reqPassed = 0;
            for (Object o : (List<Object>) m.get("results")) {
                Map<String, Object> e = (Map<String, Object>) o;
                int[] c = areas.computeIfAbsent((String) e.get("area"), k -> new int[3]);
                String result = (String) e.get("result");
                c["passed".equals(result) ? 0 : "failed".equals(result) ? 1 : 2]++;
                if ("required".equals(e.get("level"))) {
                    reqTotal++;
                    reqPassed += "passed".equals(result) ? 1 : 0;
                }
                if ("failed".equals(result)) {
                    failed.add(e.get("area") + "#" + e.get("test"));
                }
            }
            all.add(new Tck((String) m.get("backend"), areas, reqTotal, reqPassed, failed));
        }
        return all;
    }

    // ------------------------------------------------------------------ rendering

    private Optional<Row> row(String subject, Workload w) {
        return rows.stream().filter(r -> r.subject().equals(subject) && r.workload() == w).findFirst();
    }

    private double rate(String subject, Workload w) {
        return row(subject, w).filter(Row::ok).map(Row::best).orElse(0.0);
    }

    static String human(double v) {
        if (v >= 1e6) {
            return String.format(Locale.ROOT, "%.2fM", v / 1e6);
        }
        if (v >= 1e3) {
            return String.format(Locale.ROOT, "%.1fk", v / 1e3);
        }
        return String.format(Locale.ROOT, "%.0f", v);
    }

    private static String ratio(double a, double b) {
        return a > 0 && b > 0 ? String.format(Locale.ROOT, a / b >= 10 ? "%.0fx" : "%.1fx", a / b) : "-";
    }

    private List<String> backends() {
        return subjects.stream().filter(s -> subjectKinds.get(s).equals("backend")).toList();
    }

    /** The tables, as printed. */
    private String render(List<Tck> tck, boolean forHtml) {
        StringBuilder sb = new StringBuilder();
        sb.append("aio4j report\n");
        machine.forEach((k, v) -> sb.append(String.format("  %-16s %s%n", k, v)));
        sb.append("\nThroughput, ops/s (best run; '-' = skipped, reasons below)\n");
        table(sb, (s, w) -> row(s, w).filter(Row::ok).map(r -> human(r.best())).orElseGet(() -> row(s, w)
                .map(r -> r.skip().startsWith("FAILED") ? "FAILED" : "-").orElse("-")));
        sb.append("\nRatio to CPython asyncio (same run)\n");
        table(sb, (s, w) -> ratio(rate(s, w), rate("asyncio", w)));
        sb.append("\nRatio to uvloop (same run)\n");
        if (rows.stream().noneMatch(r -> r.subject().equals("uvloop") && r.ok())) {
            sb.append("  uvloop not measured: ").append(row("uvloop", Workload.CALLSOON).map(Row::skip).orElse("?")).append('\n');
        } else {
            table(sb, (s, w) -> ratio(rate(s, w), rate("uvloop", w)));
        }
        sb.append("\nSkipped and failed\n");
        for (String s : subjects) {
            Map<String, List<String>> byReason = new LinkedHashMap<>();
            for (Workload w : Workload.values()) {
                row(s, w).filter(r -> !r.ok()).ifPresent(r -> byReason.computeIfAbsent(r.skip(), k -> new ArrayList<>()).add(w.id()));
            }
            byReason.forEach((reason, ws) -> sb.append(String.format("  %-28s %s: %s%n", s,
                    ws.size() == Workload.values().length ? "all" : String.join(", ", ws), reason)));
        }
        sb.append("\nBackends against the fastest backend (goal: within 2x on at least 6 of 8 workloads)\n");
        List<String> bs = backends().stream().filter(b -> rows.stream().anyMatch(r -> r.subject().equals(b) && r.ok())).toList();
        if (bs.isEmpty()) {
            sb.append("  no backend measured\n");
        }
        for (String b : bs) {
            int within = 0;
            List<String> slower = new ArrayList<>();
            List<String> missing = new ArrayList<>();
            for (Workload w : Workload.values()) {
                double fastest = bs.stream().mapToDouble(x -> rate(x, w)).max().orElse(0);
                double mine = rate(b, w);
                if (mine <= 0) {
                    missing.add(w.id());
                } else if (mine * 2 >= fastest) {
                    within++;
                } else {
                    slower.add(w.id() + " (" + ratio(fastest, mine) + " slower)");
                }
            }
            sb.append(String.format("  %-12s within 2x on %d of 8 %s%s%s%n", b, within, within >= 6 ? "[ok]" : "[NOT MET]",
                    slower.isEmpty() ? "" : "; more than 2x slower on: " + String.join(", ", slower),
                    missing.isEmpty() ? "" : "; not measured: " + String.join(", ", missing)));
            if (!slower.isEmpty()) {
                // The report must say why a backend is slower, not only that it is.
                Backends.design(b).ifPresent(d -> sb.append("               why: ").append(d).append('\n'));
            }
        }
        if (bs.size() == 1) {
            sb.append("  (only one backend measured: nothing to compare with yet)\n");
        }
        sb.append("\nTargets (fastest backend vs CPython asyncio; echo vs uvloop)\n");
        for (var t : TARGETS.entrySet()) {
            Workload w = t.getKey();
            String base = w == Workload.ECHO ? "uvloop" : "asyncio";
            String best = bs.stream().max((x, y) -> Double.compare(rate(x, w), rate(y, w))).orElse(null);
            double mine = best == null ? 0 : rate(best, w);
            double ref = rate(base, w);
            String verdict = mine <= 0 ? "SKIPPED (" + (best == null ? "no backend" : row(best, w).map(Row::skip).orElse("?")) + ")"
                    : ref <= 0 ? "SKIPPED (" + base + " not measured)"
                    : (mine / ref >= t.getValue() ? "met" : "NOT MET");
            // A target missed is read against what the JVM does at all here: the peers, same run, fastest first.
            List<String> peers = subjects.stream().filter(x -> "peer".equals(subjectKinds.get(x)) && rate(x, w) > 0)
                    .sorted((x, y) -> Double.compare(rate(y, w), rate(x, w)))
                    .map(x -> x + " " + ratio(rate(x, w), ref)).toList();
            String context = !verdict.equals("NOT MET") || peers.isEmpty() || ref <= 0 ? ""
                    : "; JVM peers here: " + String.join(", ", peers);
            sb.append(String.format(Locale.ROOT, "  %-10s need >= %4.0fx %-7s  got %-6s (%s)  %s%s%n", w.id(), t.getValue(), base,
                    ratio(mine, ref), best == null ? "-" : best, verdict, context));
        }
        double exPp = rate("executor", Workload.PINGPONG);
        double pyPp = rate("asyncio", Workload.PINGPONG);
        sb.append(String.format(Locale.ROOT, "  issue 2: executor pingpong %s round trips/s vs asyncio %s = %s (need >= 3x): %s%n",
                human(exPp), human(pyPp), ratio(exPp, pyPp),
                exPp > 0 && pyPp > 0 ? (exPp / pyPp >= 3 ? "met" : "NOT MET") : "SKIPPED"));
        sb.append("\nTCK conformance (passed/failed/skipped per area)\n");
        if (tck.isEmpty()) {
            sb.append("  no TCK summary found under */target/aio4j-tck (run the TCK first: bench/report.sh does)\n");
        } else {
            List<String> areas = tck.stream().flatMap(t -> t.areas().keySet().stream()).distinct().sorted().toList();
            int width = Math.max(12, tck.stream().mapToInt(t -> t.backend().length()).max().orElse(0));
            String name = "  %-" + width + "s";
            sb.append(String.format(name, "backend"));
            areas.forEach(a -> sb.append(String.format(" %13s", a.length() > 13 ? a.substring(0, 13) : a)));
            sb.append("  required passed\n");
            for (Tck t : tck) {
                sb.append(String.format(name, t.backend()));
                for (String a : areas) {
                    int[] c = t.areas().get(a);
                    sb.append(String.format(" %13s", c == null ? "-" : c[0] + "/" + c[1] + "/" + c[2]));
                }
                sb.append(String.format("  %d/%d%n", t.requiredPassed(), t.requiredTotal()));
                t.failed().stream().limit(15).forEach(f -> sb.append("      failed: ").append(f).append('\n'));
            }
            for (String b : backends()) {
                if (tck.stream().noneMatch(t -> t.backend().equals(b))) {
                    sb.append("  ").append(b).append(": no TCK summary found\n");
                }
            }
        }
        if (!notes.isEmpty()) {
            sb.append('\n').append(notes);
        }
        return sb.toString();
    }

    private void table(StringBuilder sb, java.util.function.BiFunction<String, Workload, String> cell) {
        sb.append(String.format("  %-28s", ""));
        for (Workload w : Workload.values()) {
            sb.append(String.format(" %10s", w.id()));
        }
        sb.append('\n');
        for (String s : subjects) {
            sb.append(String.format("  %-28s", s));
            for (Workload w : Workload.values()) {
                sb.append(String.format(" %10s", cell.apply(s, w)));
            }
            sb.append('\n');
        }
    }

    private String html(List<Tck> tck) {
        String text = render(tck, true).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
        return "<!doctype html>\n<html><head><meta charset=\"utf-8\"><title>aio4j report</title>\n"
                + "<style>body{font-family:sans-serif;margin:2em}pre{font-size:13px;background:#f6f6f6;padding:1em}</style>"
                + "</head><body>\n<h1>aio4j: backends and peers against CPython asyncio</h1>\n"
                + "<p>Throughput in operations per second (log scale), grouped by workload. "
                + "Workloads and sizes: <code>bench/README.md</code>. Produced by <code>bench/report.sh</code>.</p>\n"
                + "<img src=\"chart.png\" alt=\"throughput chart\" style=\"max-width:100%\">\n<pre>" + text + "</pre>\n</body></html>\n";
    }

    private String json() {
        StringBuilder sb = new StringBuilder("{\n  \"machine\": {");
        sb.append(machine.entrySet().stream().map(e -> Json.quote(e.getKey()) + ": " + Json.quote(e.getValue()))
                .collect(Collectors.joining(", ")));
        sb.append("},\n  \"results\": [\n");
        sb.append(rows.stream().map(r -> String.format(Locale.ROOT,
                "    {\"subject\": %s, \"kind\": %s, \"workload\": %s, \"ops_per_s\": %s, \"median_ops_per_s\": %s, \"runs\": %d%s}",
                Json.quote(r.subject()), Json.quote(r.kind()), Json.quote(r.workload().id()),
                r.ok() ? String.format(Locale.ROOT, "%.1f", r.best()) : "null",
                r.ok() ? String.format(Locale.ROOT, "%.1f", r.median()) : "null", r.runs(),
                r.ok() ? "" : ", \"skipped\": " + Json.quote(r.skip()))).collect(Collectors.joining(",\n")));
        return sb.append("\n  ]\n}\n").toString();
    }

    private void chart(Path png) throws IOException {
        CategoryChart chart = new CategoryChartBuilder().width(1400).height(650)
                .title("aio4j: throughput by workload (ops/s, log scale, higher is better)")
                .xAxisTitle("workload").yAxisTitle("ops/s").build();
        chart.getStyler().setYAxisLogarithmic(true);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        chart.getStyler().setOverlapped(false);
        List<String> xs = Arrays.stream(Workload.values()).map(Workload::id).toList();
        int series = 0;
        double min = rows.stream().filter(Row::ok).mapToDouble(Row::best).min().orElse(1);
        // Bars start at the axis minimum: a power of ten below the smallest figure keeps the log axis valid.
        chart.getStyler().setYAxisMin(Math.pow(10, Math.floor(Math.log10(Math.max(1, min)))));
        for (String s : subjects) {
            List<Double> ys = new ArrayList<>();
            boolean any = false;
            for (Workload w : Workload.values()) {
                double v = rate(s, w);
                ys.add(v > 0 ? v : null);
                any |= v > 0;
            }
            if (any) {
                chart.addSeries(s, xs, ys);
                series++;
            }
        }
        if (series == 0) {
            chart.addSeries("nothing measured", List.of("none"), List.of(1.0));
        }
        BitmapEncoder.saveBitmap(chart, png.toString(), BitmapEncoder.BitmapFormat.PNG);
    }
}
