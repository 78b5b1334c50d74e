package dev.aio4j.executor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.aio4j.tck.TckEnvironment;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code AsyncIO.run} under a real signal (SPEC R6, in a child JVM): the
 * first SIGINT or SIGTERM cancels the main task, every task left is
 * cancelled and cleaned up, and the process exits with the status a shell
 * expects (130, 143); a second signal ends a cleanup that does not. The
 * time from the signal to the exit is printed.
 */
@EnabledOnOs({OS.LINUX, OS.MAC})
class SignalShutdownTest {
    private static final int TASKS = 10_000;
    private static final long TIMEOUT_MILLIS = new TckEnvironment().timeout().toMillis();

    @ParameterizedTest
    @CsvSource({"INT, 130", "TERM, 143"})
    void theFirstSignalShutsDownCleanlyWithTheShellsExitStatus(String signal, int status) throws Exception {
        Process p = startDemo();
        List<String> out = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            readUntil(r, "ready", out);
            long signalled = System.nanoTime();
            kill(signal, p);
            String line;
            while ((line = r.readLine()) != null) {
                out.add(line);
            }
            assertTrue(p.waitFor(TIMEOUT_MILLIS, TimeUnit.MILLISECONDS), "the demo must exit after SIG" + signal);
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - signalled);
            System.out.println("SIG" + signal + " to exit with " + TASKS + " tasks: " + millis + " ms");
        } finally {
            p.destroyForcibly();
        }
        assertEquals(status, p.exitValue(), "exit status after SIG" + signal + "; output: " + out);
        assertTrue(out.contains("main cancelled: interrupted by SIG" + signal), "the main task must be cancelled "
                + "naming the signal; output: " + out);
        assertTrue(out.contains("main cleaned up"), "the main task's cleanup must run; output: " + out);
        assertTrue(out.contains("tasks cleaned up: " + TASKS), "every task's cleanup must run; output: " + out);
    }

    /** The fallback where a program cannot take the signals: a shutdown hook interrupts the run and waits. */
    @Test
    void withoutSignalHandlersAShutdownHookShutsDownCleanly() throws Exception {
        Process p = startDemo(List.of("-Daio4j.signals=hook"));
        List<String> out = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            readUntil(r, "ready", out);
            kill("TERM", p);
            String line;
            while ((line = r.readLine()) != null) {
                out.add(line);
            }
            assertTrue(p.waitFor(TIMEOUT_MILLIS, TimeUnit.MILLISECONDS), "the demo must exit after SIGTERM");
        } finally {
            p.destroyForcibly();
        }
        assertEquals(143, p.exitValue(), "exit status after SIGTERM; output: " + out);
        assertTrue(out.contains("main cancelled: interrupted by SIGTERM") && out.contains("tasks cleaned up: " + TASKS),
                "the shutdown hook must cancel the main task and hold the exit until the cleanup ran; output: " + out);
    }

    @Test
    void aSecondSignalStopsWaitingForACleanupThatDoesNotEnd() throws Exception {
        Process p = startDemo("stubborn");
        List<String> out = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            readUntil(r, "ready", out);
            kill("INT", p);
            readUntil(r, "main cancelled: interrupted by SIGINT", out);
            kill("INT", p);
            assertTrue(p.waitFor(TIMEOUT_MILLIS, TimeUnit.MILLISECONDS), "a second SIGINT must end the demo");
        } finally {
            p.destroyForcibly();
        }
        assertEquals(130, p.exitValue(), "exit status after a second SIGINT; output: " + out);
    }

    private static Process startDemo(String... args) throws Exception {
        return startDemo(List.of(), args);
    }

    private static Process startDemo(List<String> jvmOptions, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), SignalShutdownDemo.class.getName(),
                String.valueOf(TASKS)));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectErrorStream(true).start();
    }

    private static void readUntil(BufferedReader r, String wanted, List<String> out) throws Exception {
        String line;
        while ((line = r.readLine()) != null && !line.equals(wanted)) {
            out.add(line);
        }
        assertEquals(wanted, line, "the demo must print '" + wanted + "'; it said: " + out);
    }

    private static void kill(String signal, Process p) throws Exception {
        Process kill = new ProcessBuilder("kill", "-" + signal, String.valueOf(p.pid())).inheritIO().start();
        assertEquals(0, kill.waitFor(), "kill -" + signal);
    }
}
