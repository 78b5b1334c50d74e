package dev.aio4j.mutation;

import dev.aio4j.engine.Engine;
import dev.aio4j.engine.IoDriver;
import dev.aio4j.engine.TaskThreads;
import dev.aio4j.spi.LoopProvider;
import dev.aio4j.tck.LoopProviderTck;

/**
 * The TCK under PIT ({@code .ci/mutation.sh}) on the engine with the java.nio
 * driver and task bodies carried by the loop's own thread (backend-loom's
 * make-up): with {@link ParkingTck}, every part the engine ships, and the
 * socket and stream rules.
 */
public class SelectorTck extends LoopProviderTck {
    private static final LoopProvider PROVIDER = new EngineConfig("selector",
            Engine.builder("selector").io(IoDriver.selector()).taskThreads(TaskThreads.carried()).build());

    @Override
    protected LoopProvider provider() {
        return PROVIDER;
    }
}
