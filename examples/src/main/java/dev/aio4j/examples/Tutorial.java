package dev.aio4j.examples;

import dev.aio4j.AsyncIO;
import dev.aio4j.CancelledError;
import dev.aio4j.Future;
import dev.aio4j.Loop;
import dev.aio4j.Task;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.locks.ReentrantLock;

/**
 * asyncio's classic tutorial program, in aio4j: one task "fetches data" (it
 * sleeps 2 s) while another prints numbers every 250 ms; then blocking work
 * goes to a pool of three worker threads through the executor bridge, the
 * workers counting under a {@code java.util.concurrent} lock (the tutorial's
 * {@code threading.Lock}), and the results come back to the loop. Debug mode
 * is on. Ctrl-C (or SIGTERM) at any moment shuts it down cleanly: the tasks are
 * cancelled and their cleanup runs, the pool is shut down, and the JVM exits
 * with 130 (143).
 *
 * <pre>{@code
 * java -cp ... dev.aio4j.examples.Tutorial [speed]
 * }</pre>
 *
 * {@code speed} (default 1) divides every sleep: the tests run it at 10.
 */
public final class Tutorial {
    private static final ReentrantLock COUNTER_LOCK = new ReentrantLock();
    private static int counter; // guarded by COUNTER_LOCK: the workers are real threads

    private final double speed;

    private Tutorial(double speed) {
        this.speed = speed;
    }

    public static void main(String[] args) {
        double speed = args.length > 0 ? Double.parseDouble(args[0]) : 1;
        String result = AsyncIO.run(new Tutorial(speed)::main);
        System.out.println("result: " + result);
    }

    private Duration scaled(long millis) {
        return Duration.ofNanos((long) (millis * 1_000_000 / speed));
    }

    private String main() throws Exception {
        Loop loop = AsyncIO.currentLoop();
        loop.setDebug(true); // slow steps and a blocked loop are reported, lambdas named by where they were scheduled
        ExecutorService pool = Executors.newFixedThreadPool(3, r -> new Thread(r, "tutorial-worker"));
        try {
            Task<String> fetch = AsyncIO.createTask(this::fetchData, "fetch-data");
            Task<Void> numbers = AsyncIO.createTask(this::printNumbers, "print-numbers");
            String data = fetch.await();
            System.out.println(data);
            numbers.await();

            // Blocking work: on the pool's threads, never on the loop; the loop goes on meanwhile.
            List<Future<Integer>> jobs = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                int job = i;
                jobs.add(loop.runInExecutor(pool, () -> blockingWork(job)));
            }
            int sum = 0;
            for (int done : AsyncIO.gather(jobs).await()) {
                sum += done;
            }
            COUNTER_LOCK.lock();
            try {
                System.out.println("counter: " + counter + ", sum of jobs: " + sum);
            } finally {
                COUNTER_LOCK.unlock();
            }
            return data;
        } catch (CancelledError e) {
            System.out.println("main cancelled: " + e.getMessage());
            throw e;
        } finally {
            pool.shutdownNow();
            System.out.println("tutorial cleaned up");
        }
    }

    private String fetchData() {
        System.out.println("start fetching");
        try {
            AsyncIO.sleep(scaled(2000)); // suspends this task; the loop runs the others
        } catch (CancelledError e) {
            System.out.println("fetch cancelled");
            throw e;
        }
        System.out.println("done fetching");
        return "{data: 1}";
    }

    private Void printNumbers() {
        for (int i = 0; i < 10; i++) {
            System.out.println(i);
            AsyncIO.sleep(scaled(250));
        }
        return null;
    }

    /** On a worker thread: blocks (a stand-in for a blocking call), then counts under the lock. */
    private int blockingWork(int job) throws InterruptedException {
        Thread.sleep(scaled(100));
        COUNTER_LOCK.lock();
        try {
            counter++;
        } finally {
            COUNTER_LOCK.unlock();
        }
        return job;
    }
}
