package org.example.toy;

import dev.aio4j.spi.LoopProvider;
import dev.aio4j.tck.LoopProviderTck;

/**
 * The whole aio4j TCK against the toy backend: every rule area, the
 * packaging rules (ServiceLoader, ArchUnit's backend rules) included. The
 * conformance summary lands in {@code target/aio4j-tck/toy.json}.
 */
class ToyTckTest extends LoopProviderTck {
    @Override
    protected LoopProvider provider() {
        return new ToyLoopProvider();
    }
}
