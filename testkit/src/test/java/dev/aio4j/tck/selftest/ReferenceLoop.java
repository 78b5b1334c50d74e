package dev.aio4j.tck.selftest;

import dev.aio4j.LoopOptions;
import dev.aio4j.spi.AbstractLoop;

/**
 * A correct backend built from the shared engine alone (task bodies on
 * virtual threads of the default scheduler): the positive control of the
 * self-test, and the base of every mutant, which overrides one extension
 * point of {@link AbstractLoop} to plant exactly one defect.
 */
class ReferenceLoop extends AbstractLoop {
    private static final Thread.Builder.OfVirtual TASK_THREADS = Thread.ofVirtual().name("selftest-task-", 0);

    private final String backendName;

    ReferenceLoop(LoopOptions options, String backendName) {
        super(options);
        this.backendName = backendName;
    }

    @Override
    protected Thread newTaskThread(Runnable body) {
        return TASK_THREADS.unstarted(body);
    }

    @Override
    public String backendName() {
        return backendName;
    }
}
