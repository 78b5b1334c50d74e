package dev.aio4j.examples.readme;

import dev.aio4j.AsyncIO;
import dev.aio4j.ContextVar;
import dev.aio4j.Done;
import dev.aio4j.Future;
import dev.aio4j.LoopGroup;
import dev.aio4j.Outcome;
import dev.aio4j.ReturnWhen;
import dev.aio4j.Runner;
import dev.aio4j.Task;
import dev.aio4j.TaskGroup;
import dev.aio4j.net.Connection;
import dev.aio4j.net.GroupServer;
import dev.aio4j.net.Server;
import dev.aio4j.net.Streams;
import dev.aio4j.sync.Barrier;
import dev.aio4j.sync.Condition;
import dev.aio4j.sync.Hold;
import dev.aio4j.sync.Lock;
import dev.aio4j.sync.Queue;
import dev.aio4j.sync.Semaphore;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * The README's Java blocks (but the first, {@code Example.java}), each
 * between "README:begin" and "README:end" in a place where it compiles as it
 * is printed: {@link ReadmeSnippetsTest} checks that the README shows exactly
 * these lines. The fields and methods around them are what the blocks assume.
 */
@SuppressWarnings("unused")
abstract class ReadmeSnippets {
    record Page(String body) {}

    record Job(String name) {
        void release() {}
    }

    List<String> urls;
    String url;
    Task<Page> fetchTask;
    Task<Page> taskA;
    Task<Page> taskB;
    Task<Page> task;
    List<Task<Page>> tasks;
    int balance;
    int amount;
    ArrayDeque<String> items;
    String item;
    Page body;
    Barrier barrier;
    Job job;

    abstract Page fetch(String url);

    abstract Void audit(String requestId);

    abstract Void connect();

    abstract Void serve();

    abstract void handle(Job job);

    void library() throws Exception {
        // README:begin
        // Structured concurrency: the first child to fail cancels the others and the body;
        // run() returns once every child is done, or throws one TaskGroupException listing every failure.
        List<Task<Page>> fetches = new ArrayList<>();
        TaskGroup.run(tg -> {
            for (String url : urls) {
                fetches.add(tg.createTask(() -> fetch(url)));
            }
            return null;
        });

        // A deadline on part of a task: TimeoutException, never a cancellation type.
        Page page = AsyncIO.timeout(Duration.ofSeconds(2), () -> fetch(url));
        Page other = AsyncIO.waitFor(fetchTask, Duration.ofSeconds(2));   // cancels and awaits the task on expiry

        // Combinators, as asyncio 3.12+ defines them.
        List<Page> all = AsyncIO.gather(taskA, taskB).await();               // argument order; first failure propagates
        List<Outcome<Page>> each = AsyncIO.gatherSettled(tasks).await();     // return_exceptions=True, typed
        Done<Task<Page>> d = AsyncIO.wait(tasks, ReturnWhen.FIRST_COMPLETED, Duration.ofSeconds(1));
        Future<Page> kept = AsyncIO.shield(task);                            // cancelling the awaiter leaves the task running
        // README:end
    }

    void primitives() {
        // README:begin
        Lock lock = new Lock();
        try (Hold h = lock.hold()) {                     // async with lock:
            balance += amount;
        }
        Condition ready = new Condition(lock);
        try (Hold h = ready.hold()) {
            ready.waitFor(() -> !items.isEmpty());       // await(), signal(), signalAll(): Object.wait is final
            item = items.removeFirst();
        }
        Semaphore connections = new Semaphore(10);       // also BoundedSemaphore, CapacityLimiter (Trio's)
        try (Hold h = connections.hold()) {
            body = fetch(url);
        }
        int index = barrier.await();                     // asyncio 3.11's Barrier: the arrival index
        // README:end
    }

    void queues() {
        // README:begin
        Queue<Job> jobs = new Queue<>(100);              // maxsize; 0 or less: unbounded
        jobs.put(job);                                   // await queue.put(job)
        Job next = jobs.get();                           // await queue.get()
        try { handle(next); } finally { jobs.taskDone(); }
        jobs.join();                                     // every item put is done
        jobs.shutdown(true, Job::release);               // drops the items left, counts them done
        // README:end
    }

    // README:begin
    static final ContextVar<String> REQUEST_ID = new ContextVar<>("request_id");

    Void handle(String requestId) {
        REQUEST_ID.set(requestId);
        AsyncIO.createTask(() -> audit(REQUEST_ID.get()), "audit");   // sees requestId; its own sets stay its own
        return null;
    }
    // README:end

    void runner() {
        // README:begin
        try (Runner runner = new Runner(Runner.Options.defaults().withDebug(true))) {
            runner.run(this::connect);
            runner.run(this::serve);          // same loop, same context variables
        }                                     // SignalInterrupt out of run() after Ctrl-C
        // README:end
    }

    static String streams() {
        // README:begin
        String echoed = AsyncIO.run(() -> {
            Server server = Streams.startServer((reader, writer) -> {
                byte[] line;
                while ((line = reader.readLine()).length > 0) {   // empty at the end of the stream
                    writer.write(line);
                    writer.drain();
                }
            }, 0);                                               // loopback, any free port
            try (Connection c = Streams.openConnection("127.0.0.1", server.port())) {
                c.writer().write("hello\n");
                return new String(c.reader().readLine(), StandardCharsets.UTF_8);
            } finally {
                server.close();
            }
        });
        // README:end
        return echoed;
    }

    static String group() {
        // README:begin
        String echoed;
        try (LoopGroup group = LoopGroup.open()) {                // one loop per processor, each on its thread
            GroupServer server = Streams.startServer(group, (reader, writer) -> {
                byte[] line;
                while ((line = reader.readLine()).length > 0) {   // on the member that accepted it, for life
                    writer.write(line);
                    writer.drain();
                }
            }, null, 0).join();                                  // from any thread; every member accepts
            echoed = group.submit(() -> {                        // a task on the next member
                try (Connection c = Streams.openConnection("127.0.0.1", server.port())) {
                    c.writer().write("hello\n");
                    return new String(c.reader().readLine(), StandardCharsets.UTF_8);
                }
            }).join();
            server.close().join();
        }                                                        // stops, closes and joins every loop
        // README:end
        return echoed;
    }
}
