package dev.aio4j.engine;

import dev.aio4j.Loop;
import dev.aio4j.LoopOptions;
import dev.aio4j.spi.Capability;
import dev.aio4j.spi.LoopProvider;
import java.util.EnumSet;
import java.util.Set;
import java.util.function.BiFunction;

/** A provider of the self-test: the reference backend or one mutant. Thread-safe. */
record SelfTestProvider(String name, BiFunction<LoopOptions, String, ? extends Loop> factory) implements LoopProvider {

    /** The correct backend. */
    static SelfTestProvider reference() {
        return new SelfTestProvider("reference", Reference::open);
    }

    @Override
    public String artifact() {
        return "dev.aio4j:aio4j-engine (self-test only)";
    }

    @Override
    public Set<Capability> capabilities() {
        return EnumSet.of(Capability.VIRTUAL_TIME); // the engine's, so the optional virtual-time rules run too
    }

    @Override
    public Loop open(LoopOptions options) {
        return factory.apply(options, name);
    }
}
