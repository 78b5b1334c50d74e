package dev.aio4j.tck;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;

/**
 * Writes the conformance summary: one JSON file per backend (and
 * configuration, see {@link LoopProviderTck#configuration()}),
 * {@code <dir>/<backend>[-<configuration>].json}, with one entry per TCK test (backend, area,
 * rule, level, result). The directory is {@value #DIR_PROPERTY}, by default
 * {@code target/aio4j-tck} under the working directory (the module's, under
 * Maven). Registered on {@link AbstractVerification}; the report reads it.
 */
public final class ConformanceReport implements TestWatcher, AfterAllCallback {
    /** JUnit creates it, through {@code @ExtendWith} on {@link AbstractVerification}. */
    public ConformanceReport() {}

    /** System property naming the directory of the summary files. */
    public static final String DIR_PROPERTY = "aio4j.tck.reportDir";

    private static final Pattern NAME = Pattern.compile("^(required|optional|untested)_([A-Z]+[0-9]+)_.*");
    /** Per summary file: the directory is taken when the result is recorded, so that runs with another directory never mix. */
    private static final Map<Key, Map<String, Entry>> RESULTS = new LinkedHashMap<>();

    /** One summary file. */
    private record Key(Path directory, String backend) {}

    /** One test's outcome. */
    record Entry(String area, String rule, String level, String test, String result, String reason) {}

    @Override
    public void testSuccessful(ExtensionContext context) {
        record(context, "passed", null);
    }

    @Override
    public void testFailed(ExtensionContext context, Throwable cause) {
        record(context, "failed", String.valueOf(cause.getMessage()));
    }

    @Override
    public void testAborted(ExtensionContext context, Throwable cause) {
        record(context, "skipped", String.valueOf(cause.getMessage()));
    }

    @Override
    public void testDisabled(ExtensionContext context, Optional<String> reason) {
        record(context, "skipped", reason.orElse("disabled"));
    }

    private static void record(ExtensionContext context, String result, String reason) {
        Optional<Object> instance = context.getTestInstance();
        Optional<Method> method = context.getTestMethod();
        if (instance.isEmpty() || method.isEmpty() || !(instance.get() instanceof AbstractVerification v)) {
            return;
        }
        String name = method.get().getName();
        Matcher m = NAME.matcher(name);
        String level = m.matches() ? m.group(1) : "other";
        String rule = m.matches() ? m.group(2) : "";
        String backend = v.backendName() + configuration(context);
        synchronized (RESULTS) {
            RESULTS.computeIfAbsent(new Key(directory(), backend), k -> new LinkedHashMap<>())
                    .put(v.area() + "#" + name, new Entry(v.area(), rule, level, name, result, reason));
        }
    }

    /** "/configuration" when the enclosing {@link LoopProviderTck} names one, else empty. */
    private static String configuration(ExtensionContext context) {
        return context.getTestInstances()
                .flatMap(ti -> ti.getAllInstances().stream()
                        .filter(LoopProviderTck.class::isInstance)
                        .map(o -> ((LoopProviderTck) o).configuration())
                        .filter(c -> !c.isEmpty())
                        .findFirst())
                .map(c -> "/" + c)
                .orElse("");
    }

    @Override
    public void afterAll(ExtensionContext context) {
        synchronized (RESULTS) {
            for (var e : RESULTS.entrySet()) {
                write(e.getKey().directory(), e.getKey().backend(), new ArrayList<>(e.getValue().values()));
            }
        }
    }

    /**
     * Where the summaries go.
     *
     * @return the directory of the summary files
     */
    public static Path directory() {
        return Path.of(System.getProperty(DIR_PROPERTY, "target/aio4j-tck"));
    }

    /**
     * Written by hand rather than with a JSON library: the testkit is on the test class path of every
     * backend, third parties' included, where a JSON library of ours could clash with their own; and the
     * layout (one test per line, {@code "level": "required"}) is what {@code .ci/test.sh} counts.
     */
    private static void write(Path dir, String backend, List<Entry> entries) {
        StringBuilder sb = new StringBuilder();
        sb.append("{\n  \"backend\": ").append(json(backend)).append(",\n  \"results\": [\n");
        for (int i = 0; i < entries.size(); i++) {
            Entry e = entries.get(i);
            sb.append("    {\"area\": ").append(json(e.area()))
                    .append(", \"rule\": ").append(json(e.rule()))
                    .append(", \"level\": ").append(json(e.level()))
                    .append(", \"test\": ").append(json(e.test()))
                    .append(", \"result\": ").append(json(e.result()));
            if (e.reason() != null) {
                sb.append(", \"reason\": ").append(json(e.reason()));
            }
            sb.append(i + 1 < entries.size() ? "},\n" : "}\n");
        }
        sb.append("  ]\n}\n");
        try {
            Files.createDirectories(dir);
            Files.writeString(dir.resolve(backend.replace('/', '-') + ".json"), sb);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the TCK conformance summary", e);
        }
    }

    static String json(String s) {
        if (s == null) {
            return "null";
        }
        StringBuilder sb = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.append('"').toString();
    }
}
