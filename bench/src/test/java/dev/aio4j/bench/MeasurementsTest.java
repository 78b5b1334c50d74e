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
}
