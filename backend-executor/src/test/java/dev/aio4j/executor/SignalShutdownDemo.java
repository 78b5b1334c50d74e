package dev.aio4j.executor;

import dev.aio4j.AsyncIO;
import dev.aio4j.CancelledError;
import dev.aio4j.Task;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The program {@link SignalShutdownTest} starts as a child JVM and sends a
 * signal to: {@code AsyncIO.run} with 10,000 tasks asleep and a main task
 * waiting on them, each with cleanup to run when cancelled ("stubborn": the
 * main task's cleanup never ends).
 */
public final class SignalShutdownDemo {
    private SignalShutdownDemo() {}

    public static void main(String[] args) {
        int n = Integer.parseInt(args[0]);
        boolean stubborn = args.length > 1 && args[1].equals("stubborn");
        AtomicInteger cleaned = new AtomicInteger();
        AsyncIO.run(() -> {
            List<Task<Void>> tasks = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                tasks.add(AsyncIO.createTask(() -> {
                    try {
                        AsyncIO.sleep(Duration.ofHours(1));
                    } finally {
                        cleaned.incrementAndGet();
                    }
                    return null;
                }));
            }
            AsyncIO.sleep0(); // every task is asleep
            System.out.println("ready");
            System.out.flush();
            try {
                for (Task<Void> t : tasks) {
                    t.await();
                }
            } catch (CancelledError e) {
                System.out.println("main cancelled: " + e.getMessage());
                System.out.flush();
                if (stubborn) {
                    AsyncIO.currentLoop().createFuture().await(); // a cleanup that never ends: only a second signal helps
                }
                // Structured cleanup: the main task ends its children before it ends (the runner would cancel
                // them too, at close; doing it here lets the count be printed before the JVM exits).
                for (Task<Void> t : tasks) {
                    t.cancel();
                }
                for (Task<Void> t : tasks) {
                    try {
                        t.await();
                    } catch (CancelledError expected) {
                        // as asked
                    }
                }
                System.out.println("tasks cleaned up: " + cleaned.get());
                throw e;
            } finally {
                System.out.println("main cleaned up");
            }
            return null;
        });
    }
}
