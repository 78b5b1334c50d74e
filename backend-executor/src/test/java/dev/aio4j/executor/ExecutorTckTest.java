package dev.aio4j.executor;

import dev.aio4j.spi.LoopProvider;
import dev.aio4j.tck.LoopProviderTck;

/** The whole TCK against the executor backend. */
class ExecutorTckTest extends LoopProviderTck {
    @Override
    protected LoopProvider provider() {
        return new ExecutorLoopProvider();
    }
}
