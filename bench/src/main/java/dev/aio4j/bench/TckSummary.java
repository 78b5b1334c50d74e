package dev.aio4j.bench;

import com.fasterxml.jackson.jr.ob.JSON;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * One backend's TCK conformance, read from the summary the testkit writes
 * ({@code <module>/target/aio4j-tck/<backend>.json}: one entry per TCK test
 * with its area, level and result).
 *
 * @param backend        the backend, with its configuration ({@code netty/default-scheduler})
 * @param areas          area to {passed, failed, skipped}
 * @param requiredTotal  how many {@code required_} rules ran
 * @param requiredPassed how many of them passed
 * @param failed         the failed tests, as {@code area#test}
 */
public record TckSummary(String backend, Map<String, int[]> areas, int requiredTotal, int requiredPassed,
        List<String> failed) {

    /** The summaries written under {@code <root>/*}{@code /target/aio4j-tck}, as the TCK runs leave them. */
    public static List<Path> defaultDirectories(Path root) throws IOException {
        try (Stream<Path> modules = Files.list(root)) {
            return modules.map(d -> d.resolve("target/aio4j-tck")).filter(Files::isDirectory).sorted().toList();
        }
    }

    /** Every summary in {@code directories}, in file-name order. */
    public static List<TckSummary> read(List<Path> directories) throws IOException {
        List<TckSummary> all = new ArrayList<>();
        for (Path dir : directories) {
            List<Path> files;
            try (Stream<Path> f = Files.list(dir)) {
                files = f.filter(x -> x.toString().endsWith(".json")).sorted().toList();
            }
            for (Path file : files) {
                all.add(parse(file));
            }
        }
        return all;
    }

    private static TckSummary parse(Path file) throws IOException {
        File summary;
        try {
            summary = JSON.std.beanFrom(File.class, Files.readString(file));
        } catch (IOException | RuntimeException e) {
            throw new IOException("cannot read the TCK summary " + file + ": " + e.getMessage(), e);
        }
        Map<String, int[]> areas = new TreeMap<>();
        List<String> failed = new ArrayList<>();
        int total = 0;
        int passed = 0;
        for (Entry e : summary.results()) {
            int[] counts = areas.computeIfAbsent(e.area(), k -> new int[3]);
            counts[switch (e.result()) {
                case "passed" -> 0;
                case "failed" -> 1;
                default -> 2;
            }]++;
            if ("required".equals(e.level())) {
                total++;
                passed += "passed".equals(e.result()) ? 1 : 0;
            }
            if ("failed".equals(e.result())) {
                failed.add(e.area() + "#" + e.test());
            }
        }
        return new TckSummary(summary.backend(), areas, total, passed, List.copyOf(failed));
    }

    /** The file as the testkit's {@code ConformanceReport} writes it. */
    record File(String backend, List<Entry> results) {
        File {
            results = results == null ? List.of() : results;
        }
    }

    /** One test's outcome in the file. */
    record Entry(String area, String rule, String level, String test, String result, String reason) {}
}
