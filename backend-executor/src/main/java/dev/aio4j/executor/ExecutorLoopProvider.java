package dev.aio4j.executor;

import dev.aio4j.Loop;
import dev.aio4j.LoopOptions;
import dev.aio4j.engine.Engine;
import dev.aio4j.engine.IoDriver;
import dev.aio4j.engine.TaskThreads;
import dev.aio4j.spi.Capability;
import dev.aio4j.spi.LoopProvider;
import java.util.Set;

/**
 * The {@code executor} backend: public JDK APIs only, no JVM flags. It is
 * aio4j's engine composed of the selector I/O driver ({@link IoDriver#selector()})
 * and task threads of the JDK's default scheduler ({@link TaskThreads#defaultScheduler()}).
 *
 * <p>The loop runs in the thread that calls {@code runForever} (as in
 * asyncio); task bodies run on virtual threads of the JDK's default
 * scheduler, one at a time, the baton passing from one task's thread to the
 * next ready one directly.
 *
 * <p>A JDK blocking call inside a task ({@code Thread.sleep}, a blocking
 * socket read, {@code ReentrantLock.lock}) holds the whole loop for its
 * duration, as a blocking call does in asyncio: this backend does not declare
 * {@link Capability#BLOCKING_CALLS_YIELD}. Move such calls to
 * {@code runInExecutor}/{@code toThread}.
 */
public final class ExecutorLoopProvider implements LoopProvider {
    private static final Engine ENGINE = Engine.builder("executor")
            .io(IoDriver.selector())
            .taskThreads(TaskThreads.defaultScheduler())
            .build();

    /** Discovery needs a public no-argument constructor. */
    public ExecutorLoopProvider() {}

    @Override
    public String name() {
        return "executor";
    }

    @Override
    public String artifact() {
        return "dev.aio4j:aio4j-backend-executor";
    }

    @Override
    public String design() {
        return "task bodies run on virtual threads of the JDK's default scheduler, one at a time: every switch "
                + "between tasks hands the baton to a thread on another carrier, which costs more than a "
                + "continuation switch on one carrier (loom) in task-heavy workloads; needs no JVM flag";
    }

    @Override
    public String mode() {
        return "task bodies on virtual threads of the JDK's default scheduler, I/O on a java.nio Selector";
    }

    @Override
    public Set<Capability> capabilities() {
        return ENGINE.capabilities();
    }

    @Override
    public Loop open(LoopOptions options) {
        return ENGINE.open(options);
    }

    @Override
    public String toString() {
        return "ExecutorLoopProvider";
    }
}
