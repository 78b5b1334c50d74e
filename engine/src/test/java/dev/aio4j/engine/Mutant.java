package dev.aio4j.engine;

import dev.aio4j.Loop;
import dev.aio4j.LoopOptions;
import java.util.function.BiFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A deliberately broken backend: the reference backend with exactly one
 * defect, and the TCK test that must catch it.
 *
 * @param name short name; the provider is called {@code mutant-<name>}
 * @param defect what is wrong, in a few words
 * @param test the TCK test (method name) that must fail
 * @param messageContains a fragment the failure message must contain (it names the rule and what went wrong)
 * @param factory makes the broken loop, given the options and the backend name
 */
record Mutant(String name, String defect, String test, String messageContains,
        BiFunction<LoopOptions, String, ? extends Loop> factory) {

    private static final Pattern TEST_NAME = Pattern.compile("^(required|optional|untested)_([A-Z]+[0-9]+)_.*");

    /** The SPEC rule the test verifies ("S1"). */
    String rule() {
        Matcher m = TEST_NAME.matcher(test);
        if (!m.matches()) {
            throw new IllegalStateException("not a TCK test name: " + test);
        }
        return m.group(2);
    }

    SelfTestProvider provider() {
        return new SelfTestProvider("mutant-" + name, factory);
    }

    /** This mutant's row of the table in engine/README.md (and of the self-test's printout). */
    String tableRow() {
        return "| `" + name + "` | " + defect + " | " + rule() + " | `" + test + "` |";
    }
}
