package dev.aio4j.bench;

import java.util.List;
import java.util.function.Supplier;

/** The JVM peers measured beside the backends, in report order. */
public final class Peers {
    private Peers() {}

    /** A named way to start each peer (a peer that cannot start is reported as skipped). */
    public record Entry(String name, Supplier<Subject> start) {}

    public static List<Entry> all() {
        return List.of(
                new Entry("peer:netty-eventloop", NettyPeer::new),
                new Entry("peer:nio-selector", NioSelectorPeer::new),
                new Entry("peer:completablefuture", CompletableFuturePeer::new),
                new Entry("peer:virtual-threads", VirtualThreadPeer::new),
                new Entry("peer:virtual-threads-one-carrier", OneCarrierVirtualThreadPeer::new),
                new Entry("peer:continuation-floor", ContinuationFloor::new),
                new Entry("peer:vertx-virtual-threads", VertxPeer::new));
    }
}
