package dev.aio4j.reliability;

import dev.aio4j.Coroutine;
import dev.aio4j.ErrorContext;
import dev.aio4j.ExceptionHandler;
import dev.aio4j.Loop;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

/**
 * What every test of the suite shares: the targets, loops that are closed
 * after the test, an exception handler that records instead of printing,
 * and waits that fail (with the loop threads' stacks) instead of hanging.
 */
final class Harness {
    /** The {@code @MethodSource} of every test parametrized over the targets. */
    static final String TARGETS = "dev.aio4j.reliability.Harness#targets";
    /** The bound of every wait (property {@code aio4j.reliability.timeoutSeconds}). */
    static final Duration TIMEOUT = Knobs.timeout();

    private Harness() {}

    static Stream<Target> targets() {
        return Target.all().stream();
    }

    /** Records what reaches a loop's exception handler (so that expected errors print nothing). */
    static final class Recorder implements ExceptionHandler {
        private final List<ErrorContext> contexts = new ArrayList<>();

        @Override
        public synchronized void handle(Loop loop, ErrorContext context) {
            contexts.add(context);
        }

        synchronized List<ErrorContext> all() {
            return List.copyOf(contexts);
        }

        synchronized List<ErrorContext> withMessage(String prefix) {
            return contexts.stream().filter(c -> c.message().startsWith(prefix)).toList();
        }

        synchronized void clear() {
            contexts.clear();
        }

        /** Fails if anything was reported, listing it. */
        synchronized void assertNone(String when) {
            if (!contexts.isEmpty()) {
                StringBuilder sb = new StringBuilder(when + ": the loop reported " + contexts.size() + " error(s):");
                for (ErrorContext c : contexts.subList(0, Math.min(5, contexts.size()))) {
                    sb.append("\n  ").append(c.message()).append(": ").append(c.exception());
                }
                throw new AssertionError(sb.toString());
            }
        }
    }

    /** The loops a test opened; {@link #close()} closes them (never hanging). Use one per test. */
    static final class Scope {
        private final List<Loop> loops = new ArrayList<>();
        private final List<Recorder> recorders = new ArrayList<>();

        /** A new loop of {@code target}, its errors recorded by {@link #errors(Loop)}. */
        synchronized Loop open(Target target, String name) {
            Loop loop = target.open(name);
            Recorder r = new Recorder();
            loop.setExceptionHandler(r);
            loops.add(loop);
            recorders.add(r);
            return loop;
        }

        synchronized Recorder errors(Loop loop) {
            for (int i = 0; i < loops.size(); i++) {
                if (loops.get(i) == loop) {
                    return recorders.get(i);
                }
            }
            throw new IllegalArgumentException("not a loop of this scope: " + loop);
        }

        void close() throws Exception {
            List<Loop> ls;
            synchronized (this) {
                ls = List.copyOf(loops);
                loops.clear();
                recorders.clear();
            }
            List<String> stuck = new ArrayList<>();
            for (Loop l : ls) {
                if (l.isRunning()) {
                    stuck.add(l + " is still running (a test's run timed out)");
                    continue;
                }
                onThread("close " + l, () -> {
                    l.close();
                    return null;
                });
            }
            if (!stuck.isEmpty()) {
                throw new AssertionError(String.join("; ", stuck));
            }
        }
    }

    /**
     * Runs {@code main} with {@code loop.runUntilComplete}, called from a
     * fresh platform thread, and returns its result or rethrows what it
     * threw; fails after {@link #TIMEOUT} with the stacks of the loop threads.
     */
    static <T> T run(Loop loop, Coroutine<T> main) throws Exception {
        return onThread("run " + loop, () -> loop.runUntilComplete(main));
    }

    /** Calls {@code body} on a fresh platform thread, bounded by {@link #TIMEOUT}. */
    static <T> T onThread(String what, Callable<T> body) throws Exception {
        CompletableFuture<T> done = new CompletableFuture<>();
        Thread t = Thread.ofPlatform().daemon().name("reliability-caller").start(() -> {
            try {
                done.complete(body.call());
            } catch (Throwable e) {
                done.completeExceptionally(e);
            }
        });
        try {
            return done.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new AssertionError(what + " did not finish within " + TIMEOUT + stacks(t));
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof Exception x) {
                throw x;
            }
            if (c instanceof Error x) {
                throw x;
            }
            throw new RuntimeException(c);
        }
    }

    /** Waits for {@code f}, bounded by {@link #TIMEOUT}. */
    static <T> T get(String what, CompletableFuture<T> f) throws Exception {
        try {
            return f.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new AssertionError(what + " did not complete within " + TIMEOUT + stacks(null));
        }
    }

    /** Waits for {@code latch}, bounded by {@link #TIMEOUT}. */
    static void await(String what, CountDownLatch latch) throws InterruptedException {
        if (!latch.await(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError(what + " did not happen within " + TIMEOUT + stacks(null));
        }
    }

    /** Waits for {@code t} to end, bounded by {@link #TIMEOUT}. */
    static void join(String what, Thread t) throws InterruptedException {
        if (!t.join(TIMEOUT)) {
            throw new AssertionError(what + ": " + t + " did not end within " + TIMEOUT + stacks(t));
        }
    }

    /**
     * Waits until {@code condition} holds (checked every millisecond), off
     * any loop; fails after {@link #TIMEOUT}. For states that no future
     * announces (a thread's state, descriptors released by the kernel).
     */
    static void until(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError(what + " did not happen within " + TIMEOUT);
            }
            LockSupport.parkNanos(1_000_000);
        }
    }

    /**
     * What the kernel says about TCP port {@code port} (from {@code /proc/net/tcp}), for a stall's
     * message: the listening socket's accept queue (connections not yet accepted) and the states of the sockets
     * connecting to it and accepted from it. Empty where {@code /proc} is not there.
     */
    static String tcpStates(int port) {
        String[] names = {"?", "ESTABLISHED", "SYN_SENT", "SYN_RECV", "FIN_WAIT1", "FIN_WAIT2", "TIME_WAIT", "CLOSE",
            "CLOSE_WAIT", "LAST_ACK", "LISTEN", "CLOSING", "NEW_SYN_RECV"};
        Map<String, Integer> to = new java.util.TreeMap<>();
        Map<String, Integer> from = new java.util.TreeMap<>();
        String listen = "no listening socket";
        for (String file : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            List<String> rows;
            try {
                rows = java.nio.file.Files.readAllLines(java.nio.file.Path.of(file));
            } catch (java.io.IOException e) {
                continue;
            }
            for (String row : rows.subList(Math.min(1, rows.size()), rows.size())) {
                String[] f = row.trim().split("\\s+");
                if (f.length < 5) {
                    continue;
                }
                int local = Integer.parseInt(f[1].substring(f[1].indexOf(':') + 1), 16);
                int remote = Integer.parseInt(f[2].substring(f[2].indexOf(':') + 1), 16);
                int st = Integer.parseInt(f[3], 16);
                String state = st < names.length ? names[st] : "state " + st;
                if (local == port && st == 10) {
                    listen = "accept queue " + Long.parseLong(f[4].substring(f[4].indexOf(':') + 1), 16);
                } else if (local == port) {
                    from.merge(state, 1, Integer::sum);
                } else if (remote == port) {
                    to.merge(state, 1, Integer::sum);
                }
            }
        }
        return "port " + port + ": " + listen + "; client sockets " + to + "; accepted sockets " + from;
    }

    /** Throws {@code t} as it is, checked or not. */
    @SuppressWarnings("unchecked")
    static <E extends Throwable> RuntimeException sneaky(Throwable t) throws E {
        throw (E) t;
    }

    /** What {@code body} threw, or null. */
    static Throwable thrown(Callable<?> body) {
        try {
            body.call();
            return null;
        } catch (Throwable t) {
            return t;
        }
    }

    /** The stacks of {@code extra} and of the loops' platform threads, for a hang's message. */
    static String stacks(Thread extra) {
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<Thread, StackTraceElement[]> e : Thread.getAllStackTraces().entrySet()) {
            Thread th = e.getKey();
            if (th == extra || th.getName().startsWith("aio4j") || th.getName().startsWith("reliability")) {
                sb.append('\n').append(th).append(" ").append(th.getState()).append(':');
                StackTraceElement[] st = e.getValue();
                for (int i = 0; i < Math.min(25, st.length); i++) {
                    sb.append("\n\tat ").append(st[i]);
                }
            }
        }
        return sb.toString();
    }

    static String lines(List<?> xs) {
        StringBuilder sb = new StringBuilder();
        for (Object x : xs) {
            sb.append("\n  ").append(x);
        }
        return sb.toString();
    }
}
