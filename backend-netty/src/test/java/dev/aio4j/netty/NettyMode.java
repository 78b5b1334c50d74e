package dev.aio4j.netty;

import dev.aio4j.Loop;
import dev.aio4j.LoopOptions;
import dev.aio4j.engine.VirtualThreadCarrier;
import java.util.stream.Stream;

/**
 * One way a netty loop can run, for tests that cover each: its Netty
 * transport, and whether task bodies are carried on the event loop's thread
 * ({@link VirtualThreadCarrier}) or run on the JDK's default scheduler.
 */
record NettyMode(Transport transport, boolean carried) {

    /** Every mode this JVM can run: each available transport, carried (if the flag is there) and not. */
    static Stream<NettyMode> available() {
        boolean canCarry = VirtualThreadCarrier.unavailabilityCause().isEmpty();
        return Stream.of(Transport.values())
                .filter(Transport::isAvailable)
                .flatMap(t -> canCarry ? Stream.of(new NettyMode(t, true), new NettyMode(t, false))
                        : Stream.of(new NettyMode(t, false)));
    }

    /** The default transport, carried when this JVM allows it: what {@code Loops.open("netty")} gives. */
    static NettyMode standard() {
        boolean carried = VirtualThreadCarrier.unavailabilityCause().isEmpty();
        return new NettyMode(Transport.choose(null, carried).transport(), carried);
    }

    Loop open(String name) {
        return NettyLoopProvider.engine(transport, carried).open(LoopOptions.defaults().withName(name));
    }

    /** For messages and test names: {@code epoll/carried}, {@code nio/default-scheduler}, ... */
    String id() {
        return transport.id + (carried ? "/carried" : "/default-scheduler");
    }

    @Override
    public String toString() {
        return id();
    }
}
