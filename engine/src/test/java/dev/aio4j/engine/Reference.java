package dev.aio4j.engine;

import dev.aio4j.Loop;
import dev.aio4j.LoopOptions;
import java.util.function.BiFunction;
import java.util.function.Supplier;

/**
 * The self-test's correct backend, and the way every mutant is built from it:
 * the engine with no I/O ({@link IoDriver#parking()}) and task bodies on
 * virtual threads of the default scheduler, opened with the engine's own
 * behaviour ({@link Seams#NONE}), or with one defect planted through one
 * seam or one part. No engine class is copied.
 */
final class Reference {
    private static final Thread.Builder.OfVirtual TASK_THREADS = Thread.ofVirtual().name("selftest-task-", 0);

    private Reference() {}

    private static Engine engine(String name, IoDriver.Factory io) {
        return Engine.builder(name).io(io).taskThreads(TaskThreads.defaultScheduler(TASK_THREADS)).build();
    }

    /** The correct backend named {@code name}. */
    static Loop open(LoopOptions options, String name) {
        return engine(name, IoDriver.parking()).open(options);
    }

    /** A backend whose loops each get a fresh seam from {@code seams}. */
    static BiFunction<LoopOptions, String, Loop> with(Supplier<? extends Seams> seams) {
        return (options, name) -> engine(name, IoDriver.parking()).open(options, seams.get());
    }

    /** A backend with the I/O driver {@code io} (a broken part). */
    static BiFunction<LoopOptions, String, Loop> withIo(IoDriver.Factory io) {
        return (options, name) -> engine(name, io).open(options);
    }
}
