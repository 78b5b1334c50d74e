package dev.aio4j.bench;

import com.fasterxml.jackson.jr.ob.JSON;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Optional;

/**
 * What the report says about things rather than what it measured, kept as data
 * in {@code src/main/resources/dev/aio4j/bench/report/} so that a new workload,
 * backend or target is a new entry there, not new code:
 * {@code workloads.json} (what each workload measures and which programs it
 * resembles), {@code backends.json} (each backend's JVM flags and why it needs
 * them) and {@code targets.json} (the project's own goals, shown apart at the end).
 */
public record ReportData(List<WorkloadInfo> workloads, List<BackendFlags> backends, Targets targets) {

    /** A workload as the reader sees it. {@code id} is the name in results ({@code async_tree}). */
    public record WorkloadInfo(String id, String title, String unit, String size, String measures, String resembles) {
        /** For a workload in the results that has no entry in {@code workloads.json}. */
        static WorkloadInfo undescribed(String id) {
            return new WorkloadInfo(id, id, "ops/s", "", "(not described in workloads.json)", "");
        }
    }

    /** The JVM flags a backend needs or wants, and why. */
    public record BackendFlags(String backend, List<String> flags, String why) {}

    /** The project's goals: ratios against CPython, and how close every backend must stay to the fastest. */
    public record Targets(List<Ratio> ratios, Spread spread) {}

    /**
     * A ratio to reach, of one of two kinds, told apart by which baseline is given:
     * <ul>
     * <li>{@code baseline} (a subject, {@code asyncio}): {@code subject} (or, when absent, the
     *     fastest backend on the workload) at least {@code atLeast} times {@code baseline} on
     *     {@code workload};</li>
     * <li>{@code baselineWorkload}: {@code subject} (or, when absent, every backend, each
     *     judged on its own) at least {@code atLeast} times its own figure on
     *     {@code baselineWorkload}, e.g. echo_group at least 1.3x the same backend's echo.</li>
     * </ul>
     *
     * @throws IllegalArgumentException unless exactly one of {@code baseline} and
     *     {@code baselineWorkload} is given, or if {@code workload} is missing
     */
    public record Ratio(String workload, String subject, String baseline, String baselineWorkload, double atLeast) {
        public Ratio {
            if (workload == null) {
                throw new IllegalArgumentException("targets.json: a ratio without its workload (baseline "
                        + baseline + ", baselineWorkload " + baselineWorkload + ")");
            }
            if ((baseline == null) == (baselineWorkload == null)) {
                throw new IllegalArgumentException("targets.json: the ratio on " + workload
                        + " needs exactly one of baseline (a subject to compare with) and baselineWorkload"
                        + " (a workload of the same subject); got baseline " + baseline + ", baselineWorkload "
                        + baselineWorkload);
            }
        }

        /** Whether it compares two workloads of the same subject rather than two subjects. */
        public boolean acrossWorkloads() {
            return baselineWorkload != null;
        }
    }

    /** Every backend within {@code within}x of the fastest backend on at least {@code onAtLeast} workloads. */
    public record Spread(double within, int onAtLeast) {}

    private static final String DIR = "/dev/aio4j/bench/report/";

    /** The data files shipped with the report. */
    public static ReportData load() throws IOException {
        return new ReportData(
                JSON.std.listOfFrom(WorkloadInfo.class, resource("workloads.json")),
                JSON.std.listOfFrom(BackendFlags.class, resource("backends.json")),
                JSON.std.beanFrom(Targets.class, resource("targets.json")));
    }

    /** The description of workload {@code id}. */
    public WorkloadInfo workload(String id) {
        return workloads.stream().filter(w -> w.id().equals(id)).findFirst().orElseGet(() -> WorkloadInfo.undescribed(id));
    }

    /** The flags of backend {@code name}, matched on its name before any {@code /configuration}. */
    public Optional<BackendFlags> flags(String name) {
        String base = name.contains("/") ? name.substring(0, name.indexOf('/')) : name;
        return backends.stream().filter(b -> b.backend().equals(base)).findFirst();
    }

    private static String resource(String name) {
        try (InputStream in = ReportData.class.getResourceAsStream(DIR + name)) {
            if (in == null) {
                throw new IllegalStateException("missing report data " + DIR + name + " on the class path");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read report data " + DIR + name, e);
        }
    }
}
