package dev.aio4j.loom;

import dev.aio4j.AsyncIO;
import dev.aio4j.Future;
import dev.aio4j.Loop;
import dev.aio4j.LoopOptions;
import dev.aio4j.executor.ExecutorLoopProvider;
import dev.aio4j.spi.LoopProvider;

/**
 * A quick measurement, not a test (surefire does not run it): pingpong (two
 * tasks exchanging a value through futures) and sleep0 (one task yielding),
 * loom against executor in the same JVM. The JMH benchmarks live in bench/.
 *
 * <p>Run from the worktree root after {@code ./mvnw -o -q test-compile -pl backend-loom -am}:
 * {@code java --add-opens java.base/java.lang=ALL-UNNAMED -cp <test class path> dev.aio4j.loom.LoomVsExecutorMeasure}
 */
public final class LoomVsExecutorMeasure {
    private LoomVsExecutorMeasure() {}

    public static void main(String[] args) {
        int rounds = 200_000;
        int yields = 1_000_000;
        LoopProvider[] ps = {new LoomLoopProvider(), new ExecutorLoopProvider()};
        for (int warm = 0; warm < 2; warm++) {
            for (LoopProvider p : ps) {
                pingpong(p, rounds / 4);
                sleep0(p, yields / 4);
            }
        }
        for (int run = 0; run < 3; run++) {
            for (LoopProvider p : ps) {
                double pp = pingpong(p, rounds);
                double s0 = sleep0(p, yields);
                System.out.printf("run %d %-8s pingpong %6.2f M round trips/s   sleep0 %6.2f M yields/s%n",
                        run, p.name(), pp / 1e6, s0 / 1e6);
            }
        }
    }

    /** Round trips per second. */
    static double pingpong(LoopProvider p, int n) {
        Loop loop = p.open(LoopOptions.defaults().withName("pingpong"));
        try {
            long t0 = System.nanoTime();
            loop.runUntilComplete(() -> {
                @SuppressWarnings("unchecked")
                Future<Integer>[] ping = new Future[] {loop.createFuture()};
                @SuppressWarnings("unchecked")
                Future<Integer>[] pong = new Future[] {loop.createFuture()};
                var b = loop.createTask(() -> {
                    for (int i = 0; i < n; i++) {
                        int v = ping[0].await();
                        ping[0] = loop.createFuture();
                        Future<Integer> out = pong[0];
                        out.setResult(v + 1);
                    }
                    return null;
                });
                for (int i = 0; i < n; i++) {
                    Future<Integer> out = ping[0];
                    out.setResult(i);
                    int v = pong[0].await();
                    pong[0] = loop.createFuture();
                    if (v != i + 1) {
                        throw new AssertionError(v);
                    }
                }
                b.await();
                return null;
            });
            return n / ((System.nanoTime() - t0) / 1e9);
        } finally {
            loop.close();
        }
    }

    /** Yields per second. */
    static double sleep0(LoopProvider p, int n) {
        Loop loop = p.open(LoopOptions.defaults().withName("sleep0"));
        try {
            long t0 = System.nanoTime();
            loop.runUntilComplete(() -> {
                for (int i = 0; i < n; i++) {
                    AsyncIO.sleep0();
                }
                return null;
            });
            return n / ((System.nanoTime() - t0) / 1e9);
        } finally {
            loop.close();
        }
    }
}
