package dev.aio4j.netty;

import dev.aio4j.spi.LoopProvider;
import dev.aio4j.tck.LoopProviderTck;

/**
 * The whole TCK against the netty backend (on the transport
 * {@code -Daio4j.netty.transport} selects), task bodies on the event loop's
 * thread (the test JVM opens java.lang).
 */
class NettyTckTest extends LoopProviderTck {
    @Override
    protected LoopProvider provider() {
        return new NettyLoopProvider();
    }
}
