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
    @Override
    protected LoopProvider provider() {
        // Built at each call, not once in a static field: PIT installs each mutant into a JVM that has
        // already run the tests, so set-up code run once (the builder, the factories) would never run mutated.
        return new EngineConfig("selector",
                Engine.builder("selector").io(IoDriver.selector()).taskThreads(TaskThreads.carried()).build());
    }
}
