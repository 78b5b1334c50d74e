// README:begin
import dev.aio4j.AsyncIO;
import dev.aio4j.Task;
import java.time.Duration;
import java.util.List;

public class Hello {
    static String greet(String name, long millis) {
        AsyncIO.sleep(Duration.ofMillis(millis));   // an await point: the other task runs meanwhile
        return "hello, " + name + " (" + AsyncIO.currentLoop().backendName() + ")";
    }

    public static void main(String[] args) {
        List<String> greetings = AsyncIO.run(() -> {
            Task<String> slow = AsyncIO.createTask(() -> greet("world", 200));
            Task<String> fast = AsyncIO.createTask(() -> greet("aio4j", 100));
            return AsyncIO.gather(slow, fast).await();   // in argument order, whichever ends first
        });
        greetings.forEach(System.out::println);
    }
}
// README:end
