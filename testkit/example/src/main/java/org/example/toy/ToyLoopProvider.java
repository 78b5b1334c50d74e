package org.example.toy;

import dev.aio4j.Loop;
import dev.aio4j.LoopOptions;
import dev.aio4j.engine.Engine;
import dev.aio4j.engine.IoDriver;
import dev.aio4j.engine.TaskThreads;
import dev.aio4j.spi.Capability;
import dev.aio4j.spi.LoopProvider;
import java.util.Set;

/**
 * The {@code toy} backend: aio4j's engine composed from two parts, no I/O
 * (the loop parks when idle) and task bodies on virtual threads of a builder
 * of its own. The only public type of the package (TCK rule D2); found by
 * {@code ServiceLoader} through
 * {@code META-INF/services/dev.aio4j.spi.LoopProvider} (D3).
 */
public final class ToyLoopProvider implements LoopProvider {
    private static final Engine ENGINE = Engine.builder("toy")
            .io(IoDriver.parking())
            .taskThreads(TaskThreads.defaultScheduler(Thread.ofVirtual().name("toy-task-", 0)))
            .build();

    /** Discovery needs a public no-argument constructor (D4). */
    public ToyLoopProvider() {}

    @Override
    public String name() {
        return "toy";
    }

    @Override
    public String artifact() {
        return "org.example:aio4j-toy-backend";
    }

    /**
     * What the parts give: virtual time (the engine's timers run on the
     * loop's {@code Ticker}), no sockets, blocking calls hold the loop.
     */
    @Override
    public Set<Capability> capabilities() {
        return ENGINE.capabilities();
    }

    @Override
    public Loop open(LoopOptions options) {
        return ENGINE.open(options);
    }
}
