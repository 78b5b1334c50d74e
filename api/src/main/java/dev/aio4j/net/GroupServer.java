package dev.aio4j.net;

import dev.aio4j.Loop;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A TCP server of streams on a {@link dev.aio4j.LoopGroup}, started by
 * {@link Streams#startServer(dev.aio4j.LoopGroup, ConnectionHandler, String, int)}:
 * one {@link Server} on each member that accepts ({@link #listeners()}), all
 * on one address. Each accepted connection belongs to the member that
 * accepted it for its whole life (SPEC M5).
 *
 * <p>Thread-safe: unlike a {@link Server}, which is confined to its loop,
 * every method may be called from any thread.
 *
 * <p>Memory consistency effects: the actions of every listener's binding
 * happen-before the future returned by {@code startServer} completes; the
 * closing of every listener happens-before the future returned by
 * {@link #close()} completes.
 */
public final class GroupServer {
    /** Binds one member's server on the current loop: at {@code local}, or the requested address if null. */
    @FunctionalInterface
    interface Binder {
        Server bind(InetSocketAddress local, boolean reusePort) throws IOException;
    }

    /** Member 0's server, read on member 0, and whether it shares its port. */
    private record First(Server server, InetSocketAddress address, boolean shared) {}

    private final List<Loop> listeners;
    private final List<Server> servers; // servers.get(i) is confined to listeners.get(i)
    private final InetSocketAddress localAddress;

    private GroupServer(List<Loop> listeners, List<Server> servers, InetSocketAddress localAddress) {
        this.listeners = List.copyOf(listeners);
        this.servers = List.copyOf(servers);
        this.localAddress = localAddress;
    }

    /**
     * Binds on member 0 first (with SO_REUSEPORT when there are others), so
     * that a port of 0 becomes a real one the others then bind too. A backend
     * that refuses SO_REUSEPORT leaves member 0 the only acceptor.
     */
    static CompletableFuture<GroupServer> start(List<Loop> members, Binder binder) {
        Loop first = members.get(0);
        boolean spread = members.size() > 1;
        return first.runCoroutineThreadsafe(() -> {
            Server server0 = null;
            if (spread) {
                try {
                    server0 = binder.bind(null, true);
                } catch (UnsupportedOperationException noReusePort) {
                    // SPEC M6: the backend cannot share the port, so member 0 accepts alone
                }
            }
            boolean shared = server0 != null;
            if (!shared) {
                server0 = binder.bind(null, false);
            }
            return new First(server0, server0.localAddress(), shared);
        }).thenCompose(bound0 -> {
            Server server0 = bound0.server();
            InetSocketAddress address = bound0.address();
            if (!bound0.shared()) {
                return CompletableFuture.completedFuture(new GroupServer(List.of(first), List.of(server0), address));
            }
            List<CompletableFuture<Server>> others = new ArrayList<>();
            for (Loop member : members.subList(1, members.size())) {
                others.add(member.runCoroutineThreadsafe(() -> binder.bind(address, true)));
            }
            // Completes on a member's thread: no blocking from here on.
            return CompletableFuture.allOf(others.toArray(CompletableFuture[]::new)).handle((ok, failure) -> {
                List<Loop> loops = new ArrayList<>(List.of(first));
                List<Server> servers = new ArrayList<>(List.of(server0));
                for (int i = 1; i < members.size(); i++) {
                    CompletableFuture<Server> f = others.get(i - 1);
                    if (!f.isCompletedExceptionally()) {
                        loops.add(members.get(i));
                        servers.add(f.join());
                    }
                }
                GroupServer bound = new GroupServer(loops, servers, address);
                if (failure == null) {
                    return CompletableFuture.completedFuture(bound);
                }
                // Do not leave the members that bound listening on a server nobody holds.
                return bound.close().<GroupServer>thenCompose(closed -> CompletableFuture.failedFuture(failure));
            }).thenCompose(f -> f);
        });
    }

    /**
     * The address every listener is bound to, with the real port when 0 was asked. Any thread.
     *
     * @return the bound address
     */
    public InetSocketAddress localAddress() {
        return localAddress;
    }

    /**
     * The port every listener is bound to. Any thread.
     *
     * @return the bound port
     */
    public int port() {
        return localAddress.getPort();
    }

    /**
     * The members that accept connections, in index order: every member of
     * the group with SO_REUSEPORT, else member 0 alone (SPEC M6). Any thread.
     *
     * @return the listening members, an unmodifiable list
     */
    public List<Loop> listeners() {
        return listeners;
    }

    /**
     * Stops listening on every member; open connections stay open, on their
     * members. Idempotent, also once the group is closed (closing a loop
     * closes its listener). Any thread.
     *
     * @return a future done once every listener is closed
     */
    public CompletableFuture<Void> close() {
        List<CompletableFuture<Void>> closing = new ArrayList<>();
        for (int i = 0; i < servers.size(); i++) {
            Server s = servers.get(i);
            Loop member = listeners.get(i);
            try {
                closing.add(member.runCoroutineThreadsafe(() -> {
                    s.close();
                    return null;
                }));
            } catch (IllegalStateException e) {
                if (!member.isClosed()) {
                    throw e;
                }
                // The member's loop is closed (its group was): closing the loop closed its listener.
            }
        }
        return CompletableFuture.allOf(closing.toArray(CompletableFuture[]::new));
    }

    @Override
    public String toString() {
        return "GroupServer[" + localAddress + ", " + listeners.size() + " listeners]";
    }
}
