package dev.aio4j.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Report's command line: a mistake is refused with a message naming it, never run with a default. */
class ReportCommandLineTest {
    private record Outcome(int code, String out, String err) {}

    private static Outcome run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Report.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Outcome(code, out.toString(), err.toString());
    }

    @Test
    void helpListsTheOptionsAndExitsZero() {
        Outcome o = run("--help");
        assertEquals(0, o.code());
        for (String option : List.of("--results", "--out", "--jmh", "--python-skip", "--scale", "--only")) {
            assertTrue(o.out().contains(option), "help should list " + option + ":\n" + o.out());
        }
    }

    @Test
    void unknownOptionIsRefusedByName() {
        Outcome o = run("--out", "x", "--frobnicate", "3");
        assertEquals(2, o.code(), o.err());
        assertTrue(o.err().contains("--frobnicate"), o.err());
        assertTrue(o.out().isEmpty(), "nothing measured or printed: " + o.out());
    }

    @Test
    void trailingOptionWithoutItsValueIsRefused() {
        Outcome o = run("--scale", "0.1", "--out");
        assertEquals(2, o.code(), o.err());
        assertTrue(o.err().contains("--out"), o.err());
    }

    @Test
    void badNumberIsRefusedByName() {
        Outcome o = run("--runs", "three");
        assertEquals(2, o.code(), o.err());
        assertTrue(o.err().contains("--runs"), o.err());
    }

    @Test
    void outOfRangeValueIsRefused() {
        Outcome o = run("--runs", "0", "--results", "does-not-matter.json");
        assertEquals(2, o.code(), o.err());
        assertTrue(o.err().contains("--runs must be at least 1 (got 0)"), o.err());
    }

    @Test
    void missingResultsFileIsNamedWithoutAStackTrace(@TempDir Path dir) {
        Path missing = dir.resolve("nope.json");
        Outcome o = run("--results", missing.toString(), "--tck", dir.toString(), "--out", dir.resolve("out").toString());
        assertEquals(1, o.code(), o.err());
        assertTrue(o.err().startsWith("report: cannot read the results " + missing), o.err());
        assertFalse(o.err().contains("\tat "), o.err());
    }

    @Test
    void missingTckDirectoryIsRefused(@TempDir Path dir) {
        Outcome o = run("--tck", dir.resolve("absent").toString(), "--results", "x.json");
        assertEquals(2, o.code(), o.err());
        assertTrue(o.err().contains("--tck: no directory"), o.err());
    }

    @Test
    void pythonArgumentsThatLookLikeOptionsAreTakenAsOneValue() {
        Report r = new Report();
        new CommandLine(r).parseArgs("--python-args", "--repeat 2 --warmup 0", "--tck", "a,b");
        assertEquals("--repeat 2 --warmup 0", r.pythonArgs);
        assertEquals(List.of(Path.of("a"), Path.of("b")), r.tck);
    }
}
