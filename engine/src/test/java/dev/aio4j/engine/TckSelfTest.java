package dev.aio4j.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.aio4j.tck.LogCapture;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The TCK proves itself: the correct backend passes every behavioural rule,
 * and each mutant of {@link Mutants} fails the very test of the rule it
 * breaks, with a message that names the rule (the Reactive Streams TCK's
 * {@code requireTestFailure}).
 *
 * <p>The packaging area (D) is left out: the self-test's backends live in a
 * test package and are not ServiceLoader services.
 */
class TckSelfTest {
    private static final String PACKAGING = "Packaging";
    private static final Map<String, String> VERDICTS = new ConcurrentHashMap<>();
    /**
     * The exception a mutant makes the engine throw on a thread nothing catches on: delivering a
     * worker's result on the worker breaks the loop's thread check there. The self-test asserts it
     * rather than letting the JVM print it.
     */
    private static final Map<String, Class<? extends Throwable>> UNCAUGHT = Map.of(
            "bridge-result-on-worker", WrongThreadException.class);

    /** The positive control: the reference backend passes the whole TCK, the tests the mutants need included. */
    @Test
    void referenceBackendPassesTheTck() {
        TckRunner.Results r = TckRunner.run(SelfTestProvider.reference(), (area, test) -> !area.equals(PACKAGING));
        assertFalse(r.outcomes().isEmpty(), "the TCK ran no test against the reference backend");
        List<TckRunner.Outcome> failed = r.failures();
        assertTrue(failed.isEmpty(), "the reference backend (the engine, unchanged) must pass the TCK, but failed:\n"
                + TckRunner.describe(failed));
        for (Mutant m : Mutants.ALL) {
            TckRunner.Outcome o = r.of(m.test()).orElseThrow(() -> new AssertionError("mutant '" + m.name()
                    + "' expects TCK test " + m.test() + ", which does not exist (renamed? update Mutants and README.md)"));
            assertEquals("SUCCESSFUL", o.status(), "the test that must catch mutant '" + m.name()
                    + "' did not pass on the correct backend, so its failure would prove nothing: " + m.test());
        }
    }

    /** Each mutant fails the test of the rule it breaks. */
    @TestFactory
    Stream<DynamicTest> everyMutantFailsTheRuleItBreaks() {
        Set<String> names = new HashSet<>();
        for (Mutant m : Mutants.ALL) {
            assertTrue(names.add(m.name()), "two mutants are called " + m.name());
        }
        return Mutants.ALL.stream().map(m -> DynamicTest.dynamicTest(m.name() + " fails " + m.rule(), () -> requireTestFailure(m)));
    }

    /**
     * Runs {@code m.test()} against the mutant and requires it to fail with a
     * message containing {@code m.messageContains()}.
     */
    static void requireTestFailure(Mutant m) {
        String what = "mutant '" + m.name() + "' (" + m.defect() + ")";
        TckRunner.Results r;
        try (LogCapture reports = new LogCapture()) {
            r = TckRunner.run(m.provider(), (area, test) -> test.equals(m.test()));
            Class<? extends Throwable> provoked = UNCAUGHT.get(m.name());
            if (provoked != null) {
                assertFalse(reports.uncaught(provoked).isEmpty(), what + " must make the engine throw "
                        + provoked.getSimpleName() + " on the thread that broke the rule");
            }
        }
        TckRunner.Outcome o = r.of(m.test()).orElse(null);
        if (o == null) {
            VERDICTS.put(m.name(), "NOT RUN");
            fail(what + ": the TCK has no test " + m.test() + " (renamed? update Mutants and engine/README.md)");
        }
        if (!o.failed()) {
            VERDICTS.put(m.name(), "NOT CAUGHT");
            fail("TCK GAP: " + what + " was expected to fail " + m.test() + " (SPEC " + m.rule()
                    + ") with a message containing \"" + m.messageContains() + "\", but the test "
                    + (o.status().equals("SUCCESSFUL") ? "passed" : "was " + o.status() + ": " + o.message())
                    + ". Sharpen the test or add one for the rule.");
        }
        if (!o.message().contains(m.messageContains())) {
            VERDICTS.put(m.name(), "WRONG MESSAGE");
            fail(what + " failed " + m.test() + " as expected, but its message does not contain \"" + m.messageContains()
                    + "\", so it may have failed for another reason; the message was:\n" + o.message(), o.failure());
        }
        VERDICTS.put(m.name(), "caught: " + TckRunner.firstLine(o.message()));
    }

    /** engine/README.md lists exactly the mutants the self-test runs. */
    @Test
    void readmeListsEveryMutant() throws IOException {
        Path readme = Path.of("README.md");
        assertTrue(Files.exists(readme), "engine/README.md is missing (working directory " + Path.of("").toAbsolutePath() + ")");
        String text = Files.readString(readme);
        List<String> missing = new ArrayList<>();
        for (Mutant m : Mutants.ALL) {
            if (!text.contains(m.tableRow())) {
                missing.add(m.tableRow());
            }
        }
        assertTrue(missing.isEmpty(), "engine/README.md's table of mutants is out of date; these rows are missing:\n"
                + String.join("\n", missing));
        int from = text.indexOf("<!-- mutants -->");
        int to = text.indexOf("<!-- /mutants -->");
        assertTrue(from >= 0 && to > from, "engine/README.md must keep the table of mutants between <!-- mutants --> and <!-- /mutants -->");
        long rows = text.substring(from, to).lines().filter(l -> l.startsWith("| `")).count();
        assertEquals(Mutants.ALL.size(), rows, "engine/README.md's table of mutants has rows for mutants the self-test does not have");
    }

    @AfterAll
    static void printTheTable() {
        StringBuilder sb = new StringBuilder("\nTCK self-test: " + Mutants.ALL.size() + " mutants, each caught by the rule it breaks\n");
        sb.append("| mutant | defect | rule | caught by |\n|---|---|---|---|\n");
        for (Mutant m : Mutants.ALL) {
            sb.append(m.tableRow()).append("  ").append(VERDICTS.getOrDefault(m.name(), "not run")).append('\n');
        }
        System.out.println(sb);
    }
}
