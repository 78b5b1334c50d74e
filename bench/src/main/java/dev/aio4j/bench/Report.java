package dev.aio4j.bench;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The report: measures every workload on every backend found on the class
 * path, the JVM peers and CPython asyncio/uvloop (or takes the JVM figures
 * from a JMH result file, or every figure from an earlier
 * {@code results.json}), reads the TCK conformance summaries, and writes
 * {@code index.html}, {@code chart.png}, {@code results.json} and
 * {@code report.txt}, printing the text. Started by {@code bench/report.sh},
 * which builds and runs the TCK first.
 */
@Command(name = "report", sortOptions = false, usageHelpAutoWidth = true,
        description = "Measures the aio4j backends, JVM peers and CPython asyncio/uvloop and writes the report page.")
public final class Report implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    boolean help;

    @Option(names = "--root", paramLabel = "DIR", description = "The repository root (default: ${DEFAULT-VALUE}).")
    Path root = Path.of(".");

    @Option(names = "--out", paramLabel = "DIR", description = "Where the page and its files go (default: ${DEFAULT-VALUE}).")
    Path out = Path.of("report");

    @Option(names = "--results", paramLabel = "FILE",
            description = "Draw the page from this results.json (of an earlier run) instead of measuring.")
    Path results;

    @Option(names = "--tck", paramLabel = "DIR", split = ",",
            description = "Directories of TCK summaries (default: every <root>/*/target/aio4j-tck).")
    List<Path> tck;

    @Option(names = "--python", paramLabel = "EXE", description = "The Python that runs bench/python/workloads.py (default: ${DEFAULT-VALUE}).")
    String python = "/usr/bin/python3";

    @Option(names = "--python-skip", paramLabel = "REASON", description = "Do not run Python; show REASON in its cells.")
    String pythonSkip;

    @Option(names = "--python-args", paramLabel = "ARGS", description = "Extra arguments of the Python script, in one string.")
    String pythonArgs = "";

    @Option(names = "--jmh", paramLabel = "FILE", description = "Take the JVM figures from this JMH JSON result file.")
    Path jmh;

    @Option(names = "--warmup", paramLabel = "N", description = "Warm-up runs per workload (default: ${DEFAULT-VALUE}).")
    int warmup = 2;

    @Option(names = "--runs", paramLabel = "N", description = "Measured runs per workload (default: ${DEFAULT-VALUE}).")
    int runs = 3;

    @Option(names = "--scale", paramLabel = "F",
            description = "Size factor of the short runs, never applied to timers or async_tree (default: ${DEFAULT-VALUE}).")
    double scale = 1;

    @Option(names = "--timeout", paramLabel = "SECONDS",
            description = "How long one workload may run before its subject is abandoned (default: ${DEFAULT-VALUE}).")
    long timeout = 120;

    @Option(names = "--only", paramLabel = "SUBJECT", split = ",", description = "Measure only these JVM subjects.")
    Set<String> only = new LinkedHashSet<>();

    public static void main(String[] args) {
        // exit, not return: peers may leave non-daemon threads behind.
        System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Parses {@code args} and runs; the exit code (2 for a bad command line, with the message on {@code err}). */
    static int run(String[] args, PrintWriter out, PrintWriter err) {
        return new CommandLine(new Report()).setOut(out).setErr(err)
                .setExecutionExceptionHandler((e, cl, parsed) -> {
                    if (!(e instanceof IOException || e instanceof UncheckedIOException)) {
                        throw e;
                    }
                    // A file that cannot be read or written: its name and the cause say it all, no stack trace.
                    cl.getErr().println("report: " + e.getMessage());
                    return 1;
                })
                .execute(args);
    }

    @Override
    public Integer call() throws IOException, InterruptedException {
        if (results != null && jmh != null) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--results draws the page from figures already measured; it cannot be combined with --jmh");
        }
        for (Path dir : tck != null ? tck : List.<Path>of()) {
            if (!Files.isDirectory(dir)) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--tck: no directory " + dir);
            }
        }
        atLeast("--warmup", warmup, 0);
        atLeast("--runs", runs, 1);
        atLeast("--timeout", timeout, 1);
        if (!(scale > 0)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--scale must be more than 0 (got " + scale + ")");
        }
        Results measured = results != null ? Results.read(results) : new Measurements(new Measurements.Settings(root, python,
                pythonSkip, pythonArgs.isBlank() ? List.of() : List.of(pythonArgs.trim().split("\\s+")), jmh, warmup, runs,
                scale, timeout, only)).run();
        List<TckSummary> conformance = TckSummary.read(tck != null ? tck : TckSummary.defaultDirectories(root));
        ReportView view = ReportView.of(measured, conformance, ReportData.load());
        Files.createDirectories(out);
        measured.write(out.resolve("results.json"));
        Chart.draw(measured, view.workloads().stream().map(ReportData.WorkloadInfo::id).toList(), out.resolve("chart.png"));
        Page.html(view, out.resolve("index.html"));
        String text = Page.text(view);
        Files.writeString(out.resolve("report.txt"), text);
        spec.commandLine().getOut().println(text);
        spec.commandLine().getErr().println("[report] wrote " + out.resolve("index.html") + ", chart.png, results.json, report.txt");
        return 0;
    }

    private void atLeast(String option, long value, long min) {
        if (value < min) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    option + " must be at least " + min + " (got " + value + ")");
        }
    }
}
