// README:begin
import dev.aio4j.AsyncIO;
import dev.aio4j.Task;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;

public class Example {
    static String fetchData() {
        System.out.println("start fetching");
        AsyncIO.sleep(Duration.ofSeconds(2));   // suspends this task; the loop runs others
        System.out.println("done fetching");
        return "{data: 1}";
    }

    static Void printNumbers() {
        for (int i = 0; i < 10; i++) {
            System.out.println(i);
            AsyncIO.sleep(Duration.ofMillis(250));
        }
        return null;
    }

    static String sha256(String s) throws Exception {   // blocking, CPU-heavy work
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes()));
    }

    public static void main(String[] args) {
        String hash = AsyncIO.run(() -> {
            Task<String> task1 = AsyncIO.createTask(Example::fetchData);
            Task<Void> task2 = AsyncIO.createTask(Example::printNumbers);
            String value = task1.await();
            System.out.println(value);
            task2.await();
            // Blocking work goes to a thread pool; the result comes back on the loop.
            return AsyncIO.currentLoop().runInExecutor(null, () -> sha256(value)).await();
        });
        System.out.println(hash);
    }
}
// README:end
