/**
 * backend-netty: a loop driven by a Netty 4.2 {@code ManualIoEventLoop}
 * (io_uring, epoll or NIO) whose thread also carries the task bodies. Needs
 * {@code --enable-native-access=ALL-UNNAMED} (or this module's name) for the
 * native transports, and {@code --add-opens java.base/java.lang=dev.aio4j.engine}
 * ({@code =ALL-UNNAMED} on the class path) to carry task bodies; without it
 * they run on the JDK's default scheduler.
 */
module dev.aio4j.netty {
    requires dev.aio4j.engine;
    requires io.netty.common;
    requires io.netty.buffer;
    // NettyLoopProvider.eventLoop(Loop) returns a Netty IoEventLoop.
    requires transitive io.netty.transport;
    requires io.netty.transport.classes.epoll;
    requires io.netty.transport.classes.io_uring;
    // Transport.writeNow: write(2) on a native channel's descriptor (UnixChannel.fd()).
    requires io.netty.transport.unix.common;

    provides dev.aio4j.spi.LoopProvider with dev.aio4j.netty.NettyLoopProvider;
}
