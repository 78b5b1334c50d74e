package dev.aio4j.netty;

import dev.aio4j.spi.LoopProvider;
import dev.aio4j.tck.LoopProviderTck;

/**
 * The whole TCK against the netty backend with task bodies on the JDK's
 * default scheduler: the mode a JVM without {@code --add-opens
 * java.base/java.lang} gets ({@code -Daio4j.netty.taskThreads=default}).
 */
class NettyDefaultSchedulerTckTest extends LoopProviderTck {
    @Override
    protected LoopProvider provider() {
        return new NettyLoopProvider("default");
    }

    @Override
    protected String configuration() {
        return "default-scheduler";
    }
}
