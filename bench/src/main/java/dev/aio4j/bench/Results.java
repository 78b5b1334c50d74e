package dev.aio4j.bench;

import com.fasterxml.jackson.jr.ob.JSON;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What one report run measured, as written to {@code results.json}: the page
 * can be drawn again from this file alone ({@code Report --results}), which is
 * how the browser test draws it from a committed fixture.
 *
 * @param machine  what it ran on, in display order (cores, memory, OS, JDK, Python...)
 * @param backends the aio4j backends found, with their availability and design
 * @param results  one entry per subject and workload, skipped ones included
 * @param notes    anything else the reader should know about this run
 */
public record Results(Map<String, String> machine, List<Backend> backends, List<Result> results, List<String> notes) {

    /**
     * An aio4j backend as found on the class path.
     *
     * @param name        the provider's name
     * @param unavailable why it cannot run in this JVM (null when it can)
     * @param design      the provider's own account of how it works (why it is fast or slow where it is)
     */
    public record Backend(String name, String unavailable, String design) {}

    public Results {
        machine = machine == null ? Map.of() : machine;
        backends = backends == null ? List.of() : List.copyOf(backends);
        results = results == null ? List.of() : List.copyOf(results);
        notes = notes == null ? List.of() : List.copyOf(notes);
    }

    /** The cell of {@code subject} on {@code workload}. */
    public Optional<Result> find(String subject, String workload) {
        return results.stream().filter(r -> r.subject().equals(subject) && r.workload().equals(workload)).findFirst();
    }

    /** The figure of {@code subject} on {@code workload}, or 0 when it has none. */
    public double value(String subject, String workload) {
        return find(subject, workload).filter(Result::ok).map(Result::value).orElse(0.0);
    }

    /** The subjects in the order they were measured. */
    public List<String> subjects() {
        return results.stream().map(Result::subject).distinct().toList();
    }

    /** The subjects of one kind ({@code backend}, {@code peer}, {@code python}), in order. */
    public List<String> subjects(String kind) {
        return results.stream().filter(r -> r.kind().equals(kind)).map(Result::subject).distinct().toList();
    }

    public static Results read(Path file) throws IOException {
        try {
            return JSON.std.beanFrom(Results.class, Files.readString(file));
        } catch (IOException e) {
            throw new IOException("cannot read the results " + file + ": " + e.getMessage(), e);
        }
    }

    public void write(Path file) throws IOException {
        Files.writeString(file, JSON.std.with(JSON.Feature.PRETTY_PRINT_OUTPUT).asString(this) + "\n");
    }
}
