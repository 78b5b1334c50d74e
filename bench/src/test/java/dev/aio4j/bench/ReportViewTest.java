package dev.aio4j.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the report concludes from the committed fixture (invented figures in the shape of a real run). */
class ReportViewTest {
    static Path fixture(String name) throws Exception {
        return Path.of(ReportViewTest.class.getResource("/report-fixture/" + name).toURI());
    }

    static ReportView view() throws Exception {
        return ReportView.of(Results.read(fixture("results.json")), TckSummary.read(List.of(fixture("tck"))),
                ReportData.load());
    }

    private static ReportView.Choice choice(ReportView v, String workload) {
        return v.choices().stream().filter(c -> c.workload().id().equals(workload)).findFirst().orElseThrow();
    }

    @Test
    void everyWorkloadIsDescribedAndEveryTargetNamesOne() throws Exception {
        ReportData data = ReportData.load();
        Set<String> described = data.workloads().stream().map(ReportData.WorkloadInfo::id).collect(Collectors.toSet());
        for (Workload w : Workload.values()) {
            assertTrue(described.contains(w.id()), w.id() + " has no entry in workloads.json");
            String size = String.format(Locale.ROOT, "%,d", w.size());
            assertTrue(data.workload(w.id()).size().contains(size), "workloads.json's size of " + w.id() + " is not " + size);
        }
        for (ReportData.WorkloadInfo w : data.workloads()) {
            assertFalse(w.measures().isBlank() || w.resembles().isBlank() || w.unit().isBlank(), w.id());
        }
        Set<String> ids = Arrays.stream(Workload.values()).map(Workload::id).collect(Collectors.toSet());
        data.targets().ratios().forEach(t -> assertTrue(ids.contains(t.workload())
                && (t.baselineWorkload() == null || ids.contains(t.baselineWorkload())), "targets.json: " + t));
    }

    @Test
    void picksTheFastestBackendAndNamesTheOnesItCannotTellApart() throws Exception {
        ReportView v = view();
        ReportView.Choice echo = choice(v, "echo");
        assertEquals("netty", echo.pick());
        assertEquals("next: loom, 2.4x slower", echo.others());
        assertTrue(echo.flags().contains("--enable-native-access=ALL-UNNAMED"), echo.flags());
        // callsoon: 76.9M ± 6.2M, 76.0M ± 6.1M, 71.3M ± 5.7M overlap: no winner can be claimed.
        ReportView.Choice callsoon = choice(v, "callsoon");
        assertEquals("loom", callsoon.pick());
        assertEquals("within measurement error: executor, netty", callsoon.others());
        assertEquals("none", v.backends().stream().filter(b -> b.name().equals("executor")).findFirst().orElseThrow().flags());
    }

    @Test
    void skippedCellsCarryTheirReason() throws Exception {
        ReportView v = view();
        Tables.Row cf = v.throughput().rows().stream().filter(r -> r.name().equals("peer:completablefuture"))
                .findFirst().orElseThrow();
        Tables.Cell echo = cf.cells().get(7);
        assertTrue(echo.skipped());
        assertEquals("skipped: CompletableFuture has no sockets", echo.display());
        assertTrue(v.chartNotes().contains("uvloop on timers: FAILED: RuntimeError: Event loop is closed"), v.chartNotes().toString());
    }

    @Test
    void targetsAreJudgedFromTheFigures() throws Exception {
        ReportView v = view();
        ReportView.TargetRow echo = v.targets().stream().filter(t -> t.what().endsWith("3x uvloop on echo"))
                .findFirst().orElseThrow();
        assertEquals("3.3x (netty)", echo.got()); // 155.4k / 47.8k
        assertEquals(Boolean.TRUE, echo.met());
        ReportView.TargetRow timers = v.targets().stream().filter(t -> t.what().endsWith("on timers"))
                .findFirst().orElseThrow();
        assertEquals(Boolean.TRUE, timers.met()); // 4.9M / 320k = 15x >= 8x
        ReportView.TargetRow executorPingpong = v.targets().stream()
                .filter(t -> t.what().startsWith("executor at least 3x")).findFirst().orElseThrow();
        assertEquals(Boolean.TRUE, executorPingpong.met()); // 557k / 65.7k = 8.5x
        ReportView.TargetRow executorSpread = v.targets().stream()
                .filter(t -> t.what().startsWith("executor within 2x")).findFirst().orElseThrow();
        assertEquals("7 of 10", executorSpread.got()); // more than 2x slower on pingpong, echo and echo_group
        assertTrue(executorSpread.detail().contains("pingpong") && executorSpread.detail().contains("echo_group"));
    }

    @Test
    void aTargetBetweenTwoWorkloadsJudgesEachBackendAgainstItself() throws Exception {
        ReportView v = view();
        List<ReportView.TargetRow> scaling = v.targets().stream().filter(t -> t.what().endsWith("at least 1.3x its own echo"))
                .toList();
        assertEquals(List.of("executor: echo_group at least 1.3x its own echo", "loom: echo_group at least 1.3x its own echo",
                "netty: echo_group at least 1.3x its own echo"), scaling.stream().map(ReportView.TargetRow::what).toList());
        assertEquals("1.33x (executor)", scaling.get(0).got()); // 30k / 22.6k
        assertEquals(Boolean.TRUE, scaling.get(0).met());
        assertEquals("1.21x (loom)", scaling.get(1).got()); // 80k / 66k: two decimals, so 1.21x is not shown as 1.2x or 1.3x
        assertEquals(Boolean.FALSE, scaling.get(1).met());
        assertEquals(Boolean.TRUE, scaling.get(2).met()); // 240k / 155.4k = 1.54x
    }

    @Test
    void aTargetBetweenTwoWorkloadsNamesWhatIsMissing() throws Exception {
        Results all = Results.read(fixture("results.json"));
        // loom's echo_group not measured: its row says so instead of judging.
        Results noLoomGroup = new Results(all.machine(), all.backends(), all.results().stream()
                .filter(r -> !(r.subject().equals("loom") && r.workload().equals("echo_group"))).toList(), all.notes());
        ReportView v = ReportView.of(noLoomGroup, List.of(), ReportData.load());
        ReportView.TargetRow loom = v.targets().stream().filter(t -> t.what().startsWith("loom: echo_group")).findFirst()
                .orElseThrow();
        assertNull(loom.met());
        assertEquals("echo_group not measured", loom.detail());
    }

    @Test
    void aRatioTargetNeedsExactlyOneBaseline() {
        IllegalArgumentException both = assertThrows(IllegalArgumentException.class,
                () -> new ReportData.Ratio("echo_group", null, "uvloop", "echo", 1.3));
        assertTrue(both.getMessage().contains("exactly one of baseline") && both.getMessage().contains("echo_group"),
                both.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new ReportData.Ratio("echo_group", null, null, null, 1.3));
    }

    @Test
    void failedTckRulesAreShown() throws Exception {
        ReportView v = view();
        String netty = v.backends().stream().filter(b -> b.name().equals("netty")).findFirst().orElseThrow().tck();
        assertTrue(netty.contains("netty: 12/12") && netty.contains("netty/default-scheduler: 11/12"), netty);
        assertNull(choice(v, "echo").caveat(), "netty itself passes every required rule");
    }

    @Test
    void resultsSurviveTheirFile(@TempDir Path dir) throws Exception {
        Results r = Results.read(fixture("results.json"));
        r.write(dir.resolve("results.json"));
        assertEquals(r, Results.read(dir.resolve("results.json")));
    }
}
