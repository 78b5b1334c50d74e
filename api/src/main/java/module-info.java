/** aio4j's API, its portable library, and the SPI backends implement. JDK only. */
module dev.aio4j {
    exports dev.aio4j;
    exports dev.aio4j.net;
    exports dev.aio4j.spi;
    exports dev.aio4j.sync;

    requires jdk.unsupported; // sun.misc.Signal: the Runner's SIGINT and SIGTERM

    uses dev.aio4j.spi.LoopProvider;
}
