package org.example.toy;

import dev.aio4j.LoopOptions;
import dev.aio4j.spi.AbstractLoop;

/** The toy loop: the engine, plus how task threads are made. */
final class ToyLoop extends AbstractLoop {
    private static final Thread.Builder.OfVirtual TASK_THREADS = Thread.ofVirtual().name("toy-task-", 0);

    ToyLoop(LoopOptions options) {
        super(options);
    }

    @Override
    protected Thread newTaskThread(Runnable body) {
        return TASK_THREADS.unstarted(body);
    }

    @Override
    public String backendName() {
        return "toy";
    }
}
