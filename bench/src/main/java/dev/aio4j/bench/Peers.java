package dev.aio4j.bench;

import java.util.List;
import java.util.function.Supplier;

/** The JVM peers measured beside the backends, in report order. */
public final class Peers {
    private Peers() {}

    /**
     * A named way to start each peer (a peer that cannot start is reported as skipped).
     *
     * @param jvmFlags options the peer's JVM must be started with (read once at start-up, such as
     *                 the virtual-thread scheduler's size); when not empty, the report's short runs
     *                 measure the peer in a JVM of its own ({@link ForkedPeer}), and its JMH bench
     *                 class gives its forks the same options
     */
    public record Entry(String name, Supplier<Subject> start, List<String> jvmFlags) {
        public Entry {
            jvmFlags = List.copyOf(jvmFlags);
        }

        Entry(String name, Supplier<Subject> start) {
            this(name, start, List.of());
        }
    }

    /** The peer named {@code name}. */
    public static Entry named(String name) {
        return all().stream().filter(e -> e.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no peer named " + name + "; known: "
                        + all().stream().map(Entry::name).toList()));
    }

    public static List<Entry> all() {
        return List.of(
                new Entry("peer:netty-eventloop", NettyPeer::new),
                new Entry("peer:nio-selector", NioSelectorPeer::new),
                new Entry("peer:completablefuture", CompletableFuturePeer::new),
                new Entry("peer:virtual-threads", VirtualThreadPeer::new),
                new Entry("peer:virtual-threads-one-carrier", OneCarrierVirtualThreadPeer::new,
                        OneCarrierVirtualThreadPeer.ONE_CARRIER),
                new Entry("peer:continuation-floor", ContinuationFloor::new),
                new Entry("peer:vertx-virtual-threads", VertxPeer::new));
    }
}
