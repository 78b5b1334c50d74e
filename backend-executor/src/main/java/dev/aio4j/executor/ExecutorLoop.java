package dev.aio4j.executor;

import dev.aio4j.LoopOptions;
import dev.aio4j.spi.SelectorLoop;

/**
 * The executor backend's loop: the shared engine with task bodies on
 * virtual threads of the JDK's default scheduler.
 */
final class ExecutorLoop extends SelectorLoop {
    private static final Thread.Builder.OfVirtual TASK_THREADS = Thread.ofVirtual();

    ExecutorLoop(LoopOptions options) {
        super(options);
    }

    @Override
    protected Thread newTaskThread(Runnable body) {
        return TASK_THREADS.unstarted(body);
    }

    @Override
    public String backendName() {
        return "executor";
    }
}
