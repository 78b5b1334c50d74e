package dev.aio4j.loom;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs a main class of the test class path in a fresh JVM (class path only), for tests that need a clean JVM. */
final class ChildJvm {
    record Result(int exitCode, String output) {}

    private ChildJvm() {}

    static Result run(Class<?> main, List<String> jvmFlags) throws Exception {
        return run(main, jvmFlags, List.of());
    }

    /** As {@link #run(Class, List)}, with {@code extraClassPath} after the test class path. */
    static Result run(Class<?> main, List<String> jvmFlags, List<String> extraClassPath) throws Exception {
        List<String> cp = new ArrayList<>();
        for (String p : new String[] {System.getProperty("jdk.module.path"), System.getProperty("java.class.path")}) {
            if (p != null && !p.isBlank()) {
                cp.add(p);
            }
        }
        cp.addAll(extraClassPath);
        List<String> cmd = new ArrayList<>();
        cmd.add(System.getProperty("java.home") + File.separator + "bin" + File.separator + "java");
        cmd.addAll(jvmFlags);
        cmd.add("-cp");
        cmd.add(String.join(File.pathSeparator, cp));
        cmd.add(main.getName());
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("child JVM " + main.getSimpleName() + " did not finish in 60 s");
        }
        return new Result(p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    }
}
