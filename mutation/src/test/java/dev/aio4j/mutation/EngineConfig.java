package dev.aio4j.mutation;

import dev.aio4j.Loop;
import dev.aio4j.LoopOptions;
import dev.aio4j.engine.Engine;
import dev.aio4j.spi.Capability;
import dev.aio4j.spi.LoopProvider;
import java.util.Set;

/** One engine configuration as a provider, for the TCK under PIT. */
record EngineConfig(String name, Engine engine) implements LoopProvider {
    @Override
    public String artifact() {
        return "dev.aio4j:aio4j-engine (mutation testing)";
    }

    @Override
    public Set<Capability> capabilities() {
        return engine.capabilities();
    }

    @Override
    public Loop open(LoopOptions options) {
        return engine.open(options);
    }
}
