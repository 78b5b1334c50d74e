package dev.aio4j.bench;

import dev.aio4j.bench.ReportData.BackendFlags;
import dev.aio4j.bench.ReportData.WorkloadInfo;
import dev.aio4j.bench.Tables.Cell;
import dev.aio4j.bench.Tables.Column;
import dev.aio4j.bench.Tables.Row;
import dev.aio4j.bench.Tables.Table;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.stream.Stream;

/**
 * Everything the page and the console show, worked out from the figures, the
 * TCK summaries and the report data: nothing here names a backend, a peer or
 * a workload (only the two CPython baselines of the ratio tables), so that a
 * new one shows up by being measured or described.
 * The template ({@code report.html.mustache}) only lays this out.
 */
record ReportView(
        List<Field> machine,
        List<WorkloadInfo> workloads,
        List<Choice> choices,
        List<BackendRow> backends,
        List<String> chartNotes,
        Table throughput,
        Table vsAsyncio,
        Table vsUvloop,
        Table tck,
        List<TargetRow> targets,
        List<String> notes) {

    /** Whether some cell has no figure (the page then lists why beside the chart). */
    public boolean anyMissing() {
        return !chartNotes.isEmpty();
    }

    /** How many workloads the page shows. */
    public int workloadCount() {
        return workloads.size();
    }

    /** Whether any TCK summary was found. */
    public boolean anyTck() {
        return !tck.rows().isEmpty();
    }

    /** One line of the machine's description. */
    record Field(String key, String value) {}

    /**
     * Which backend to pick for programs like a workload.
     *
     * @param workload the workload
     * @param pick     the fastest backend (null when none was measured)
     * @param figure   its figure with error and unit
     * @param others   how the other backends compare ("within measurement error: ...", "next: ... 1.8x slower")
     * @param flags    the JVM flags the pick needs
     * @param caveat   what the reader must know before picking it (failed TCK rules, nothing measured)
     */
    record Choice(WorkloadInfo workload, String pick, String figure, String others, String flags, String caveat) {}

    /**
     * One backend at a glance.
     *
     * @param name      the backend
     * @param available "yes", or why it cannot run here
     * @param flags     the JVM flags it needs ("none")
     * @param flagsWhy  why it needs them
     * @param tck       its TCK result, per configuration
     * @param leads     the workloads where it is the fastest backend or within measurement error of it
     * @param design    how it works, in its own words
     */
    record BackendRow(String name, String available, String flags, String flagsWhy, String tck, String leads,
            String design) {}

    /** One of the project's targets: what, what was got, and whether it was met ({@code met} null: not measured). */
    record TargetRow(String what, String got, Boolean met, String detail) {
        public String verdict() {
            return met == null ? "not measured" : met ? "met" : "not met";
        }

        /** The page's class for the verdict. */
        public String css() {
            return met == null ? "unmeasured" : met ? "met" : "notmet";
        }
    }

    static ReportView of(Results results, List<TckSummary> tck, ReportData data) {
        return new Builder(results, tck, data).build();
    }

    private static final class Builder {
        private final Results results;
        private final List<TckSummary> tck;
        private final ReportData data;
        private final List<String> workloads;
        private final List<String> backends;

        Builder(Results results, List<TckSummary> tck, ReportData data) {
            this.results = results;
            this.tck = tck;
            this.data = data;
            // Described workloads first, in the data file's order; then any the results hold beyond them.
            this.workloads = Stream.concat(data.workloads().stream().map(WorkloadInfo::id),
                            results.results().stream().map(Result::workload))
                    .distinct()
                    .filter(w -> results.results().stream().anyMatch(r -> r.workload().equals(w)))
                    .toList();
            this.backends = results.subjects("backend");
        }

        ReportView build() {
            List<WorkloadInfo> infos = workloads.stream().map(data::workload).toList();
            return new ReportView(
                    results.machine().entrySet().stream().map(e -> new Field(e.getKey(), e.getValue())).toList(),
                    infos,
                    infos.stream().map(this::choice).toList(),
                    backends.stream().map(this::backendRow).toList(),
                    missing(),
                    table("figures", "Throughput, operations per second (± the spread of the runs; higher is better)",
                            (s, w) -> results.find(s, w).map(r -> Cell.of(r, r.ok() ? Tables.figure(r) : null))),
                    ratioTable("asyncio"),
                    ratioTable("uvloop"),
                    tckTable(),
                    Stream.concat(ratioTargets().stream(), spreadTargets().stream()).toList(),
                    results.notes());
        }

        // -------------------------------------------------------------- which backend for what

        /** The backends measured on {@code w}, fastest first. */
        private List<Result> ranked(String w) {
            return backends.stream().flatMap(b -> results.find(b, w).filter(Result::ok).stream())
                    .sorted(Comparator.comparingDouble(Result::value).reversed()).toList();
        }

        /** Whether {@code r}'s error bar reaches {@code best}'s: the two cannot be told apart by this run. */
        private static boolean tied(Result r, Result best) {
            return r.value() + r.errorOrZero() >= best.value() - best.errorOrZero();
        }

        private Choice choice(WorkloadInfo w) {
            List<Result> ranked = ranked(w.id());
            if (ranked.isEmpty()) {
                String why = backends.stream().flatMap(b -> results.find(b, w.id()).stream())
                        .map(r -> r.subject() + ": " + r.skipped()).reduce((a, b) -> a + "; " + b).orElse("no backend found");
                return new Choice(w, null, null, null, null, "no backend measured (" + why + ")");
            }
            Result best = ranked.getFirst();
            List<String> ties = ranked.stream().skip(1).filter(r -> tied(r, best)).map(Result::subject).toList();
            String others;
            if (!ties.isEmpty()) {
                others = "within measurement error: " + String.join(", ", ties);
            } else if (ranked.size() > 1) {
                Result next = ranked.get(1);
                others = "next: " + next.subject() + ", " + Tables.ratio(best.value(), next.value()) + " slower";
            } else {
                others = "the only backend measured";
            }
            return new Choice(w, best.subject(), Tables.figure(best) + " " + w.unit(), others, flags(best.subject()),
                    tckCaveat(best.subject()).orElse(null));
        }

        private String flags(String backend) {
            return data.flags(backend).map(BackendFlags::flags).filter(f -> !f.isEmpty())
                    .map(f -> String.join(" ", f)).orElse("none");
        }

        private Optional<String> tckCaveat(String backend) {
            return tck.stream().filter(t -> t.backend().equals(backend)).findFirst()
                    .filter(t -> t.requiredPassed() < t.requiredTotal())
                    .map(t -> "fails " + (t.requiredTotal() - t.requiredPassed()) + " required TCK rules");
        }

        private BackendRow backendRow(String b) {
            Optional<Results.Backend> found = results.backends().stream().filter(x -> x.name().equals(b)).findFirst();
            List<String> leads = workloads.stream().filter(w -> {
                List<Result> ranked = ranked(w);
                return !ranked.isEmpty() && ranked.stream().anyMatch(r -> r.subject().equals(b) && tied(r, ranked.getFirst()));
            }).toList();
            // Configurations of the same backend (netty/default-scheduler) run the TCK as well: list them all.
            List<String> conformance = tck.stream().filter(t -> t.backend().equals(b) || t.backend().startsWith(b + "/"))
                    .map(t -> String.format(Locale.ROOT, "%s: %d/%d required rules passed%s", t.backend(), t.requiredPassed(),
                            t.requiredTotal(), t.failed().isEmpty() ? "" : ", failed: " + String.join(", ", t.failed())))
                    .toList();
            return new BackendRow(b,
                    found.map(Results.Backend::unavailable).map(c -> "no: " + c).orElse("yes"),
                    flags(b),
                    data.flags(b).map(BackendFlags::why).orElse("(not described in backends.json)"),
                    conformance.isEmpty() ? "no TCK summary found" : String.join("; ", conformance),
                    leads.isEmpty() ? "none" : String.join(", ", leads),
                    found.map(Results.Backend::design).orElse(null));
        }

        // -------------------------------------------------------------- tables

        private Table table(String id, String caption, BiFunction<String, String, Optional<Cell>> cell) {
            List<Column> columns = new ArrayList<>();
            columns.add(new Column("subject", null));
            workloads.forEach(w -> columns.add(new Column(w, "workload-" + w)));
            List<Row> rows = results.subjects().stream().map(s -> new Row(s, workloads.stream()
                    .map(w -> cell.apply(s, w).orElseGet(() -> new Cell("not measured", true, false))).toList())).toList();
            return new Table(id, caption, columns, rows);
        }

        private Table ratioTable(String baseline) {
            return table("vs-" + baseline, "Ratio to " + baseline + ", measured in the same run (higher is better)",
                    (s, w) -> results.find(s, w).map(r -> {
                        if (!r.ok()) {
                            return Cell.of(r, null);
                        }
                        Optional<Result> base = results.find(baseline, w);
                        return base.filter(Result::ok).isPresent() ? Cell.of(Tables.ratio(r.value(), base.get().value()))
                                : new Cell(baseline + " not measured", true, false);
                    }));
        }

        private Table tckTable() {
            List<String> areas = tck.stream().flatMap(t -> t.areas().keySet().stream()).distinct().sorted().toList();
            List<Column> columns = new ArrayList<>();
            columns.add(new Column("backend", null));
            areas.forEach(a -> columns.add(new Column(a, null)));
            columns.add(new Column("required rules passed", null));
            List<Row> rows = new ArrayList<>();
            for (TckSummary t : tck) {
                List<Cell> cells = new ArrayList<>();
                for (String a : areas) {
                    int[] c = t.areas().get(a);
                    cells.add(c == null ? new Cell("not run", true, false) : Cell.of(c[0] + "/" + c[1] + "/" + c[2]));
                }
                cells.add(new Cell(t.requiredPassed() + "/" + t.requiredTotal(), false, t.requiredPassed() < t.requiredTotal()));
                rows.add(new Row(t.backend(), cells));
            }
            return new Table("tck", "TCK conformance: passed/failed/skipped tests per area", columns, rows);
        }

        /** Every cell without a figure, one line per subject and reason (the note beside the chart). */
        private List<String> missing() {
            List<String> lines = new ArrayList<>();
            for (String s : results.subjects()) {
                Map<String, List<String>> byReason = new LinkedHashMap<>();
                for (String w : workloads) {
                    results.find(s, w).filter(r -> !r.ok())
                            .ifPresent(r -> byReason.computeIfAbsent(r.skipped(), k -> new ArrayList<>()).add(w));
                }
                byReason.forEach((reason, ws) -> lines.add(s + " on " + (ws.size() == workloads.size()
                        ? "every workload" : String.join(", ", ws)) + ": " + reason));
            }
            return lines;
        }

        // -------------------------------------------------------------- the project's targets

        private List<TargetRow> ratioTargets() {
            List<TargetRow> rows = new ArrayList<>();
            for (ReportData.Ratio t : data.targets().ratios()) {
                if (t.acrossWorkloads()) {
                    rows.addAll(workloadRatioTargets(t));
                    continue;
                }
                String who = t.subject() == null ? "fastest backend" : t.subject();
                String what = String.format(Locale.ROOT, "%s at least %sx %s on %s", who, trim(t.atLeast()), t.baseline(), t.workload());
                Optional<Result> mine = t.subject() == null ? ranked(t.workload()).stream().findFirst()
                        : results.find(t.subject(), t.workload()).filter(Result::ok);
                rows.add(ratioRow(what, mine, who + " not measured", results.find(t.baseline(), t.workload()).filter(Result::ok),
                        t.baseline() + " not measured", t.atLeast()));
            }
            return rows;
        }

        /**
         * A target between two workloads of the same subject: one row for its subject, or, when it
         * names none, one per backend measured on either workload (each must scale on its own; a
         * fast backend cannot make up for a slow one).
         */
        private List<TargetRow> workloadRatioTargets(ReportData.Ratio t) {
            List<String> who = t.subject() != null ? List.of(t.subject()) : backends.stream()
                    .filter(b -> Stream.of(t.workload(), t.baselineWorkload()).anyMatch(w -> results.find(b, w).filter(Result::ok).isPresent()))
                    .toList();
            if (who.isEmpty()) {
                return List.of(new TargetRow(String.format(Locale.ROOT, "every backend: %s at least %sx its own %s",
                        t.workload(), trim(t.atLeast()), t.baselineWorkload()), "-", null, "no backend measured"));
            }
            return who.stream().map(s -> ratioRow(
                    String.format(Locale.ROOT, "%s: %s at least %sx its own %s", s, t.workload(), trim(t.atLeast()), t.baselineWorkload()),
                    results.find(s, t.workload()).filter(Result::ok), t.workload() + " not measured",
                    results.find(s, t.baselineWorkload()).filter(Result::ok), t.baselineWorkload() + " not measured",
                    t.atLeast())).toList();
        }

        /** A ratio target's row: {@code mine / base} against {@code atLeast}, or why it could not be judged. */
        private static TargetRow ratioRow(String what, Optional<Result> mine, String mineMissing, Optional<Result> base,
                String baseMissing, double atLeast) {
            if (mine.isEmpty() || base.isEmpty()) {
                return new TargetRow(what, "-", null, mine.isEmpty() ? mineMissing : baseMissing);
            }
            double x = mine.get().value() / base.get().value();
            return new TargetRow(what, Tables.ratio(mine.get().value(), base.get().value()) + " (" + mine.get().subject() + ")",
                    x >= atLeast, null);
        }

        private List<TargetRow> spreadTargets() {
            ReportData.Spread goal = data.targets().spread();
            List<TargetRow> rows = new ArrayList<>();
            for (String b : backends) {
                if (results.results().stream().noneMatch(r -> r.subject().equals(b) && r.ok())) {
                    continue;
                }
                int within = 0;
                List<String> slower = new ArrayList<>();
                for (String w : workloads) {
                    List<Result> ranked = ranked(w);
                    double mine = results.value(b, w);
                    if (ranked.isEmpty() || mine <= 0) {
                        continue;
                    }
                    double fastest = ranked.getFirst().value();
                    if (mine * goal.within() >= fastest) {
                        within++;
                    } else {
                        slower.add(w + " (" + Tables.ratio(fastest, mine) + " slower)");
                    }
                }
                String design = results.backends().stream().filter(x -> x.name().equals(b)).findFirst()
                        .map(Results.Backend::design).orElse(null);
                rows.add(new TargetRow(
                        String.format(Locale.ROOT, "%s within %sx of the fastest backend on at least %d workloads", b,
                                trim(goal.within()), goal.onAtLeast()),
                        within + " of " + workloads.size(), within >= goal.onAtLeast(),
                        slower.isEmpty() ? null : "slower on " + String.join(", ", slower) + (design == null ? "" : "; how it works: " + design)));
            }
            return rows;
        }

        private static String trim(double d) {
            return d == Math.rint(d) ? String.valueOf((long) d) : String.valueOf(d);
        }
    }
}
