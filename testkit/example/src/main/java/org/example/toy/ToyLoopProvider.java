package org.example.toy;

import dev.aio4j.Loop;
import dev.aio4j.LoopOptions;
import dev.aio4j.spi.Capability;
import dev.aio4j.spi.LoopProvider;
import java.util.EnumSet;
import java.util.Set;

/**
 * The {@code toy} backend: the shared engine ({@code AbstractLoop}) with task
 * bodies on virtual threads of a builder of its own. The only public type of
 * the package (TCK rule D2); found by {@code ServiceLoader} through
 * {@code META-INF/services/dev.aio4j.spi.LoopProvider} (D3).
 */
public final class ToyLoopProvider implements LoopProvider {

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

    @Override
    public Set<Capability> capabilities() {
        // The engine runs timers on the loop's Ticker, so virtual time works: the TCK runs the optional VIRTUAL_TIME rules.
        return EnumSet.of(Capability.VIRTUAL_TIME);
    }

    @Override
    public Loop open(LoopOptions options) {
        return new ToyLoop(options);
    }
}
