package dev.aio4j.loom;

import dev.aio4j.spi.LoopProvider;
import dev.aio4j.tck.LoopProviderTck;

/** The whole TCK against the loom backend. */
class LoomTckTest extends LoopProviderTck {
    @Override
    protected LoopProvider provider() {
        return new LoomLoopProvider();
    }
}
