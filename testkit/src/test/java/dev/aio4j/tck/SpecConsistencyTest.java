package dev.aio4j.tck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * SPEC.md and the TCK name each other: every test a rule cites exists, and
 * every TCK test is cited by a rule. A rule without its test, or a test
 * without its rule, fails the build.
 */
class SpecConsistencyTest {
    private static final Pattern CITED = Pattern.compile("`((?:required|optional|untested)_[A-Z]+[0-9]+_\\w+)`");
    private static final Pattern TEST = Pattern.compile("(required|optional|untested)_[A-Z]+[0-9]+_\\w+");

    @Test
    void everyCitedTestExistsAndEveryTestIsCited() throws IOException {
        String spec = Files.readString(Path.of("..", "SPEC.md"));
        Set<String> cited = new TreeSet<>();
        Matcher m = CITED.matcher(spec);
        while (m.find()) {
            cited.add(m.group(1));
        }
        Set<String> tests = new TreeSet<>();
        for (Class<?> c : verificationClasses()) {
            for (Method method : c.getDeclaredMethods()) {
                if (Modifier.isPublic(method.getModifiers()) && TEST.matcher(method.getName()).matches()) {
                    tests.add(method.getName());
                }
            }
        }
        assertTrue(tests.size() > 80, "expected the TCK's tests, found " + tests.size());
        Set<String> uncited = new TreeSet<>(tests);
        uncited.removeAll(cited);
        Set<String> missing = new TreeSet<>(cited);
        missing.removeAll(tests);
        assertEquals(Set.of(), missing, "SPEC.md cites TCK tests that do not exist");
        assertEquals(Set.of(), uncited, "TCK tests that no SPEC.md rule cites");
    }

    private static Set<Class<?>> verificationClasses() throws IOException {
        Path dir = Path.of("src", "main", "java", "dev", "aio4j", "tck");
        Set<Class<?>> out = new java.util.LinkedHashSet<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(p -> p.toString().endsWith("Verification.java")).toList()) {
                String name = f.getFileName().toString().replace(".java", "");
                try {
                    out.add(Class.forName("dev.aio4j.tck." + name));
                } catch (ClassNotFoundException e) {
                    throw new AssertionError("cannot load " + name, e);
                }
            }
        }
        return out;
    }
}
