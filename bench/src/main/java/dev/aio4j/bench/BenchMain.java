package dev.aio4j.bench;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * The main class of {@code bench/target/benchmarks.jar}: JMH's command line,
 * plus backend discovery. Unless {@code -p backend=...} is given, the
 * {@code backend} parameter of {@link BackendBench} becomes every backend
 * found on the class path that can run in this JVM; the others are printed as
 * skipped with their reason. The forks get the flags the backends need.
 *
 * <pre>{@code
 * java --add-opens java.base/java.lang=ALL-UNNAMED --enable-native-access=ALL-UNNAMED \
 *      --sun-misc-unsafe-memory-access=allow -jar bench/target/benchmarks.jar [JMH options] [filter]
 * }</pre>
 */
public final class BenchMain {
    /** What every benchmark JVM needs: loom's custom scheduler, Netty's native transport, JMH's Unsafe. */
    public static final List<String> JVM_FLAGS = List.of(
            "--add-opens", "java.base/java.lang=ALL-UNNAMED",
            "--enable-native-access=ALL-UNNAMED",
            "--sun-misc-unsafe-memory-access=allow",
            "-Djava.awt.headless=true");

    private static final Set<String> DELEGATE = Set.of("-h", "-l", "-lp", "-lprof", "-lrf");

    private BenchMain() {}

    public static void main(String[] args) throws Exception {
        for (String a : args) {
            if (DELEGATE.contains(a)) {
                org.openjdk.jmh.Main.main(args);
                return;
            }
        }
        CommandLineOptions cmd = new CommandLineOptions(args);
        OptionsBuilder b = new OptionsBuilder();
        b.parent(cmd);
        if (cmd.getParameter("backend").hasValue()) {
            System.out.println("aio4j bench: backends as given: " + cmd.getParameter("backend").get());
        } else {
            Map<String, Optional<String>> found = Backends.discover();
            found.forEach((name, cause) -> System.out.println("aio4j bench: backend " + name
                    + cause.map(c -> ": SKIPPED, " + c).orElse(": will run")));
            List<String> usable = Backends.available();
            if (usable.isEmpty()) {
                System.out.println("aio4j bench: no runnable backend on the class path; BackendBench skipped");
                b.exclude("BackendBench");
            } else {
                b.param("backend", usable.toArray(String[]::new));
            }
        }
        if (cmd.getIncludes().isEmpty()) {
            b.include(".*");
        }
        if (!cmd.getJvmArgsAppend().hasValue()) {
            b.jvmArgsAppend(JVM_FLAGS.toArray(String[]::new));
        }
        new Runner(b.build()).run();
    }
}
