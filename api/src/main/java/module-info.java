/** aio4j's API, its portable library, and the SPI backends implement. JDK only. */
module dev.aio4j {
    exports dev.aio4j;
    exports dev.aio4j.net;
    exports dev.aio4j.spi;
    exports dev.aio4j.sync;

    uses dev.aio4j.spi.LoopProvider;
}
