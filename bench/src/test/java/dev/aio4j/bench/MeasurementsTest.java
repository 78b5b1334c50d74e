package dev.aio4j.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The figures of {@code --full} mode, taken from a JMH result file rather than measured. */
class MeasurementsTest {
    @Test
    void takesJvmFiguresFromJmhAndSaysWhatIsMissing() throws Exception {
        Results r = new Measurements(new Measurements.Settings(Path.of("."), "/usr/bin/python3", "not in this test",
                List.of(), ReportViewTest.fixture("jmh.json"), 0, 1, 1, 10, Set.of())).run();

        Result netty = r.find("netty", "echo").orElseThrow();
        assertEquals(157_800.0, netty.value());
        assertEquals(12_800.0, netty.error());
        assertEquals(5, netty.runs());

        Result peer = r.find("peer:netty-eventloop", "echo").orElseThrow();
        assertEquals("peer", peer.kind());
        assertNull(peer.error(), "JMH writes its error as \"NaN\" after one iteration: no error bar");

        assertEquals("not in the JMH results", r.find("netty", "tasks").orElseThrow().skipped());
        assertEquals("not in this test", r.find("uvloop", "echo").orElseThrow().skipped());
        assertTrue(r.machine().get("mode").startsWith("full: JMH"), r.machine().toString());
        assertTrue(r.machine().containsKey("cores") && r.machine().containsKey("jdk"), r.machine().toString());
    }

    @Test
    void measuresAPeerThatNeedsJvmFlagsInAJvmOfItsOwn() throws Exception {
        // Tiny sizes: pingpong of 20 round trips; async_tree's shape is fixed (55,987 tasks).
        Results r = new Measurements(new Measurements.Settings(Path.of("."), "/usr/bin/python3", "not in this test",
                List.of(), null, 0, 1, 0.0001, 60, Set.of("peer:virtual-threads-one-carrier"))).run();

        Result pingpong = r.find("peer:virtual-threads-one-carrier", "pingpong").orElseThrow();
        assertTrue(pingpong.ok(), "measured with one carrier in the child JVM: " + pingpong);
        assertEquals("peer", pingpong.kind());
        assertTrue(r.find("peer:virtual-threads-one-carrier", "async_tree").orElseThrow().ok());
        assertEquals("written for the task-switch workloads only (pingpong, async_tree)",
                r.find("peer:virtual-threads-one-carrier", "echo").orElseThrow().skipped());
        // In this JVM (no flags) the same peer says why it cannot run, rather than measure every carrier.
        try (Subject here = new OneCarrierVirtualThreadPeer()) {
            assertTrue(here.skipReason(Workload.PINGPONG).orElseThrow().contains("parallelism=1"));
        }
    }
}
