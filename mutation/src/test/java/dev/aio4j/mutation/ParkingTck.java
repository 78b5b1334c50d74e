package dev.aio4j.mutation;

import dev.aio4j.engine.Engine;
import dev.aio4j.engine.IoDriver;
import dev.aio4j.engine.TaskThreads;
import dev.aio4j.spi.LoopProvider;
import dev.aio4j.tck.LoopProviderTck;

/**
 * The TCK under PIT ({@code .ci/mutation.sh}) on the engine with no I/O and
 * task bodies on virtual threads of the default scheduler. Its name does not
 * end in "Test": only PIT runs it (public and top-level: PIT's JUnit Platform
 * plugin finds no tests in nested classes).
 */
public class ParkingTck extends LoopProviderTck {
    @Override
    protected LoopProvider provider() {
        // Built at each call, not once in a static field: PIT installs each mutant into a JVM that has
        // already run the tests, so set-up code run once (the builder, the factories) would never run mutated.
        return new EngineConfig("parking",
                Engine.builder("parking").io(IoDriver.parking()).taskThreads(TaskThreads.defaultScheduler()).build());
    }
}
