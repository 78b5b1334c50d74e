package dev.aio4j.engine;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.aio4j.spi.LoopProvider;
import dev.aio4j.tck.ConformanceReport;
import dev.aio4j.tck.TckEnvironment;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiPredicate;
import org.junit.platform.engine.FilterResult;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.PostDiscoveryFilter;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

/**
 * Runs the TCK ({@link TckSubject}: every area of {@code LoopProviderTck})
 * against one provider with the JUnit Platform Launcher, in this JVM, and
 * collects each test's outcome.
 *
 * <p>The self-test shortens every TCK timeout by {@link #SELF_TEST_SCALE}
 * (times the configured {@value TckEnvironment#SCALE_PROPERTY}), so that a
 * mutant that hangs fails its test through the watchdog in about two seconds.
 * Conformance summaries of these runs go to {@code target/aio4j-tck-selftest},
 * not next to real backends' ones.
 *
 * <p>One run at a time (the provider under test is a static).
 */
final class TckRunner {
    /** Factor applied to the configured TCK timeout scale during self-test runs. */
    static final double SELF_TEST_SCALE = 0.2;

    private static volatile LoopProvider current;

    private TckRunner() {}

    /** The provider {@link TckSubject} tests now. */
    static LoopProvider current() {
        LoopProvider p = current;
        if (p == null) {
            throw new IllegalStateException("TckSubject runs only through TckRunner");
        }
        return p;
    }

    /** One TCK test's outcome. */
    record Outcome(String area, String test, String status, Throwable failure) {
        boolean failed() {
            return status.equals("FAILED");
        }

        String message() {
            return failure == null ? "" : String.valueOf(failure.getMessage());
        }
    }

    /** Every test's outcome of one run, keyed by "Area#method". */
    record Results(String backend, Map<String, Outcome> outcomes) {
        /** The outcome of the test named {@code method} in any area, if it ran. */
        Optional<Outcome> of(String method) {
            return outcomes.values().stream().filter(o -> o.test().equals(method)).findFirst();
        }

        List<Outcome> failures() {
            return outcomes.values().stream().filter(Outcome::failed).toList();
        }
    }

    /**
     * Runs the TCK tests accepted by {@code filter} (given the area, i.e. the
     * simple name of the nested class, and the method name) against {@code provider}.
     */
    static synchronized Results run(LoopProvider provider, BiPredicate<String, String> filter) {
        PostDiscoveryFilter select = d -> d.getSource()
                .filter(MethodSource.class::isInstance)
                .map(s -> (MethodSource) s)
                .map(m -> FilterResult.includedIf(filter.test(area(m.getClassName()), m.getMethodName())))
                .orElseGet(() -> FilterResult.included("a container"));
        LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request()
                .selectors(selectClass(TckSubject.class))
                .filters(select)
                .build();
        Map<String, Outcome> outcomes = Collections.synchronizedMap(new LinkedHashMap<>());
        TestExecutionListener listener = new TestExecutionListener() {
            @Override
            public void executionFinished(TestIdentifier id, TestExecutionResult result) {
                record(id, result.getStatus().name(), result.getThrowable().orElse(null));
            }

            @Override
            public void executionSkipped(TestIdentifier id, String reason) {
                record(id, "SKIPPED", new AssertionError(reason));
            }

            private void record(TestIdentifier id, String status, Throwable failure) {
                if (id.isTest() && id.getSource().orElse(null) instanceof MethodSource m) {
                    String area = area(m.getClassName());
                    outcomes.put(area + "#" + m.getMethodName(), new Outcome(area, m.getMethodName(), status, failure));
                }
            }
        };
        String scale = System.getProperty(TckEnvironment.SCALE_PROPERTY);
        String dir = System.getProperty(ConformanceReport.DIR_PROPERTY);
        double configured = scale == null || scale.isBlank() ? 1 : Double.parseDouble(scale.trim());
        System.setProperty(TckEnvironment.SCALE_PROPERTY, Double.toString(configured * SELF_TEST_SCALE));
        System.setProperty(ConformanceReport.DIR_PROPERTY, "target/aio4j-tck-selftest");
        current = provider;
        try {
            LauncherFactory.create().execute(request, listener);
        } finally {
            current = null;
            restore(TckEnvironment.SCALE_PROPERTY, scale);
            restore(ConformanceReport.DIR_PROPERTY, dir);
        }
        return new Results(provider.name(), new LinkedHashMap<>(outcomes));
    }

    private static String area(String className) {
        int i = className.lastIndexOf('$');
        return i < 0 ? className.substring(className.lastIndexOf('.') + 1) : className.substring(i + 1);
    }

    private static void restore(String key, String value) {
        if (value == null) {
            System.clearProperty(key);
        } else {
            System.setProperty(key, value);
        }
    }

    /** A one-line-per-failure description, for assertion messages. */
    static String describe(List<Outcome> outcomes) {
        List<String> lines = new ArrayList<>();
        for (Outcome o : outcomes) {
            lines.add("  " + o.area() + "#" + o.test() + ": " + firstLine(o.message()));
        }
        return String.join("\n", lines);
    }

    /** The first line of {@code s}, at most 160 characters. */
    static String firstLine(String s) {
        int i = s.indexOf('\n');
        String line = i < 0 ? s : s.substring(0, i);
        return line.length() <= 160 ? line : line.substring(0, 157) + "...";
    }
}
