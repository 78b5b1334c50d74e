/**
 * backend-netty: a loop driven by a Netty 4.2 {@code ManualIoEventLoop}
 * (epoll, NIO, or io_uring on request). Needs
 * {@code --enable-native-access=ALL-UNNAMED} (or this module's name) for the
 * native transports.
 */
module dev.aio4j.netty {
    requires dev.aio4j;
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
