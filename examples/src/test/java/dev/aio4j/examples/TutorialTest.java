package dev.aio4j.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.aio4j.tck.TckEnvironment;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The tutorial, run as a user runs it: a child JVM, to its end, and interrupted by a signal. */
class TutorialTest {
    private static final long TIMEOUT_MILLIS = new TckEnvironment().timeout().toMillis();

    @Test
    void runsToItsEnd() throws Exception {
        Process p = start("10"); // ten times faster than the tutorial's 2 s
        List<String> out = readAll(p);
        assertTrue(p.waitFor(TIMEOUT_MILLIS, TimeUnit.MILLISECONDS), "the tutorial must end; output: " + out);
        assertEquals(0, p.exitValue(), "exit status; output: " + out);
        assertEquals("start fetching", out.get(0), "fetch-data starts first; output: " + out);
        for (int i = 0; i < 10; i++) {
            assertTrue(out.contains(String.valueOf(i)), "print-numbers prints " + i + " meanwhile; output: " + out);
        }
        assertTrue(out.indexOf("0") < out.indexOf("done fetching"), "the numbers run while fetching; output: " + out);
        assertTrue(out.contains("{data: 1}") && out.contains("counter: 6, sum of jobs: 15")
                && out.contains("tutorial cleaned up") && out.contains("result: {data: 1}"), "output: " + out);
    }

    @EnabledOnOs({OS.LINUX, OS.MAC})
    @ParameterizedTest
    @CsvSource({"INT, 130", "TERM, 143"})
    void aSignalShutsItDownCleanly(String signal, int status) throws Exception {
        Process p = start("1");
        List<String> out = new ArrayList<>();
        try (BufferedReader r = reader(p)) {
            String line;
            while ((line = r.readLine()) != null && !line.equals("start fetching")) {
                out.add(line);
            }
            assertEquals("start fetching", line, "output: " + out);
            Process kill = new ProcessBuilder("kill", "-" + signal, String.valueOf(p.pid())).inheritIO().start();
            assertEquals(0, kill.waitFor(), "kill -" + signal);
            while ((line = r.readLine()) != null) {
                out.add(line);
            }
            assertTrue(p.waitFor(TIMEOUT_MILLIS, TimeUnit.MILLISECONDS), "the tutorial must exit after SIG" + signal);
        } finally {
            p.destroyForcibly();
        }
        assertEquals(status, p.exitValue(), "exit status after SIG" + signal + "; output: " + out);
        assertTrue(out.contains("main cancelled: interrupted by SIG" + signal), "output: " + out);
        assertTrue(out.contains("fetch cancelled"), "the fetch task's cleanup runs; output: " + out);
        assertTrue(out.contains("tutorial cleaned up"), "output: " + out);
    }

    /** The tutorial in a child JVM; its stdout is read by the test, its stderr (debug-mode reports) goes to a file. */
    private static Process start(String speed) throws Exception {
        Path stderr = Files.createTempFile("aio4j-tutorial", ".stderr");
        stderr.toFile().deleteOnExit();
        return new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Tutorial.class.getName(), speed)
                .redirectError(stderr.toFile()).start();
    }

    private static BufferedReader reader(Process p) {
        return new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    }

    private static List<String> readAll(Process p) throws Exception {
        List<String> out = new ArrayList<>();
        try (BufferedReader r = reader(p)) {
            String line;
            while ((line = r.readLine()) != null) {
                out.add(line);
            }
        }
        return out;
    }
}
