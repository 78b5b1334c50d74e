package dev.aio4j.executor;

import dev.aio4j.AsyncIO;
import dev.aio4j.Task;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.function.Consumer;

/** The README's example, compiled and run by {@link ReadmeExampleTest} so that it cannot rot. */
final class ReadmeExample {
    private final Consumer<String> out;

    ReadmeExample(Consumer<String> out) {
        this.out = out;
    }

    // snippet-start: readme
    String fetchData() {
        out.accept("start fetching");
        AsyncIO.sleep(Duration.ofSeconds(2)); // suspends this task; the loop runs others
        out.accept("done fetching");
        return "{data: 1}";
    }

    Void printNumbers() {
        for (int i = 0; i < 10; i++) {
            out.accept(Integer.toString(i));
            AsyncIO.sleep(Duration.ofMillis(250));
        }
        return null;
    }

    static String sha256(String s) throws Exception { // blocking, CPU-heavy work
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes()));
    }

    String main() {
        return AsyncIO.run(() -> {
            Task<String> task1 = AsyncIO.createTask(this::fetchData);
            Task<Void> task2 = AsyncIO.createTask(this::printNumbers);
            String value = task1.await();
            out.accept(value);
            task2.await();
            // Blocking work goes to a thread pool; the result comes back on the loop.
            return AsyncIO.currentLoop().runInExecutor(null, () -> sha256(value)).await();
        });
    }
    // snippet-end: readme
}
