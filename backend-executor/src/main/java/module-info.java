/** backend-executor: a loop from java.util.concurrent parts and public JDK APIs only. */
module dev.aio4j.executor {
    requires dev.aio4j.engine;

    provides dev.aio4j.spi.LoopProvider with dev.aio4j.executor.ExecutorLoopProvider;
}
