package dev.aio4j.net;

import dev.aio4j.AsyncIO;
import dev.aio4j.Future;
import dev.aio4j.Loop;
import dev.aio4j.LoopGroup;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * TCP streams: {@link #openConnection} and {@link #startServer}, asyncio's
 * {@code open_connection} and {@code start_server}. Written once on the
 * loop's transports, so every backend that declares
 * {@link dev.aio4j.spi.Capability#REAL_SOCKETS} has them.
 *
 * <p>Every method here is an await point: call it from a task of the running
 * loop. A host name that is not an IP literal or {@code localhost} is resolved
 * on the loop's default executor, never on the loop.
 *
 * <pre>{@code
 * Server server = Streams.startServer((reader, writer) -> {
 *     byte[] line;
 *     while ((line = reader.readLine()).length > 0) {
 *         writer.write(line);
 *         writer.drain();
 *     }
 * }, 0);                                          // loopback, any free port
 * try (Connection c = Streams.openConnection("127.0.0.1", server.port())) {
 *     c.writer().write("hello\n");
 *     byte[] echo = c.reader().readLine();
 * }
 * }</pre>
 */
public final class Streams {
    /** asyncio's default listen backlog. */
    public static final int DEFAULT_BACKLOG = 100;

    private Streams() {}

    /**
     * {@code openConnection(host, port, StreamReader.DEFAULT_LIMIT)}.
     *
     * @param host the host name or address
     * @param port the port, 1 to 65535
     * @return the connection's reader and writer
     * @throws IOException if the connection fails
     */
    public static Connection openConnection(String host, int port) throws IOException {
        return openConnection(host, port, StreamReader.DEFAULT_LIMIT);
    }

    /**
     * Connects to {@code host:port} and returns the stream's reader and writer.
     *
     * @param host the host name or address
     * @param port the port, 1 to 65535
     * @param limit the reader's limit (see {@link StreamReader})
     * @return the connection's reader and writer
     * @throws NullPointerException if {@code host} is null
     * @throws IllegalArgumentException if {@code port} is not in 1..65535 or
     *     {@code limit <= 0}
     * @throws java.net.ConnectException if the connection is refused
     * @throws java.net.UnknownHostException if {@code host} does not resolve
     * @throws UnsupportedOperationException if the backend cannot open sockets
     * @throws IllegalStateException if not called from a task of a running loop
     */
    public static Connection openConnection(String host, int port, int limit) throws IOException {
        Objects.requireNonNull(host, "host");
        checkPort(port, 1);
        Loop loop = AsyncIO.currentLoop();
        StreamReader reader = new StreamReader(loop, limit);
        InetSocketAddress remote = resolve(loop, host, port);
        StreamProtocol protocol = new StreamProtocol(loop, reader, null);
        await(loop.createConnection(remote, protocol));
        return new Connection(reader, protocol.writer());
    }

    /**
     * A server on the loopback address: {@code startServer(handler, null, port)}.
     *
     * @param handler the body of each connection's task
     * @param port the port; 0 for any free one
     * @return the server, listening
     * @throws IOException if the port cannot be bound
     */
    public static Server startServer(ConnectionHandler handler, int port) throws IOException {
        return startServer(handler, null, port);
    }

    /**
     * {@code startServer(handler, host, port, StreamReader.DEFAULT_LIMIT, DEFAULT_BACKLOG)}.
     *
     * @param handler the body of each connection's task
     * @param host the address to bind; null for the loopback address
     * @param port the port; 0 for any free one
     * @return the server, listening
     * @throws IOException if the address cannot be bound
     */
    public static Server startServer(ConnectionHandler handler, String host, int port) throws IOException {
        return startServer(handler, host, port, StreamReader.DEFAULT_LIMIT, DEFAULT_BACKLOG);
    }

    /**
     * Starts a server that runs {@code handler} as a task for each accepted
     * connection; it accepts connections as soon as this returns.
     *
     * @param handler the body of each connection's task
     * @param host the address to bind; null binds the loopback address only
     *     (servers are not reachable from other machines unless asked:
     *     pass {@code "0.0.0.0"} or {@code "::"} for every interface)
     * @param port the port; 0 for any free one ({@link Server#port()} tells)
     * @param limit each connection's reader limit
     * @param backlog the listen backlog
     * @return the server, listening
     * @throws NullPointerException if {@code handler} is null
     * @throws IllegalArgumentException if {@code port} is not in 0..65535, or
     *     {@code limit} or {@code backlog} is not positive
     * @throws java.net.BindException if the address is in use
     * @throws UnsupportedOperationException if the backend cannot open sockets
     * @throws IllegalStateException if not called from a task of a running loop
     */
    public static Server startServer(ConnectionHandler handler, String host, int port, int limit, int backlog)
            throws IOException {
        checkServerArguments(handler, port, limit, backlog);
        Loop loop = AsyncIO.currentLoop();
        return startServer(handler, resolveLocal(loop, host, port), limit, backlog, false);
    }

    /**
     * {@code startServer(group, handler, host, port, StreamReader.DEFAULT_LIMIT, DEFAULT_BACKLOG)}.
     *
     * @param group the loops that serve the connections
     * @param handler the body of each connection's task
     * @param host the address to bind; null for the loopback address
     * @param port the port; 0 for any free one
     * @return a future of the server, done once every listener accepts
     */
    public static CompletableFuture<GroupServer> startServer(LoopGroup group, ConnectionHandler handler, String host,
            int port) {
        return startServer(group, handler, host, port, StreamReader.DEFAULT_LIMIT, DEFAULT_BACKLOG);
    }

    /**
     * Starts a server whose connections are spread over the members of
     * {@code group}: each connection, its handler task and everything that
     * task schedules live on one member for the connection's whole life
     * (SPEC M5). Where the backend declares
     * {@link dev.aio4j.spi.Capability#REUSE_PORT} and the group has more
     * than one member, every member listens on the same address with
     * {@code SO_REUSEPORT} and the kernel spreads the connections; otherwise
     * member 0 alone accepts, and its connections all live on it (SPEC M6):
     * {@link GroupServer#listeners()} tells which. (As with any
     * {@code SO_REUSEPORT} socket, on Linux another process of the same user
     * that binds the same port with it shares the connections.) Unlike the single-loop
     * {@code startServer}, this is not an await point: call it from any
     * thread; the returned future completes once every listener accepts, or
     * with the first failure, the listeners already bound then closed.
     *
     * @param group the loops that serve the connections
     * @param handler the body of each connection's task, run on the member
     *     that holds the connection
     * @param host as {@link #startServer(ConnectionHandler, String, int, int, int)}
     * @param port the port; 0 for any free one, the same on every listener
     *     ({@link GroupServer#port()} tells)
     * @param limit each connection's reader limit
     * @param backlog the listen backlog of each listener
     * @return a future of the server, done once every listener accepts
     * @throws NullPointerException if {@code group} or {@code handler} is null
     * @throws IllegalArgumentException if {@code port} is not in 0..65535, or
     *     {@code limit} or {@code backlog} is not positive
     * @throws IllegalStateException if the group is closed
     */
    public static CompletableFuture<GroupServer> startServer(LoopGroup group, ConnectionHandler handler, String host,
            int port, int limit, int backlog) {
        Objects.requireNonNull(group, "group");
        checkServerArguments(handler, port, limit, backlog);
        return GroupServer.start(group.loops(), (local, reusePort) -> {
            Loop loop = AsyncIO.currentLoop();
            InetSocketAddress at = local != null ? local : resolveLocal(loop, host, port);
            return startServer(handler, at, limit, backlog, reusePort);
        });
    }

    /** The server of the current loop on {@code local}, bound with SO_REUSEPORT if {@code reusePort}. */
    static Server startServer(ConnectionHandler handler, InetSocketAddress local, int limit, int backlog,
            boolean reusePort) throws IOException {
        Loop loop = AsyncIO.currentLoop();
        Server server = new Server(loop, handler, limit);
        server.listening(await(loop.createServer(local, backlog, reusePort, server::newProtocol)));
        return server;
    }

    private static void checkServerArguments(ConnectionHandler handler, int port, int limit, int backlog) {
        Objects.requireNonNull(handler, "handler");
        checkPort(port, 0);
        if (limit <= 0) {
            throw new IllegalArgumentException("limit must be positive: " + limit);
        }
        if (backlog <= 0) {
            throw new IllegalArgumentException("backlog must be positive: " + backlog);
        }
    }

    private static InetSocketAddress resolveLocal(Loop loop, String host, int port) throws IOException {
        return host == null
                ? new InetSocketAddress(InetAddress.getLoopbackAddress(), port)
                : resolve(loop, host, port);
    }

    private static void checkPort(int port, int min) {
        if (port < min || port > 65535) {
            throw new IllegalArgumentException("port out of range " + min + "..65535: " + port);
        }
    }

    private static InetSocketAddress resolve(Loop loop, String host, int port) throws IOException {
        if (host.equalsIgnoreCase("localhost")) {
            return new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
        }
        if (isIpLiteral(host)) {
            return new InetSocketAddress(InetAddress.getByName(host), port); // no lookup for a literal
        }
        return new InetSocketAddress(await(loop.toThread(() -> InetAddress.getByName(host))), port);
    }

    private static boolean isIpLiteral(String host) {
        if (host.indexOf(':') >= 0) {
            return true; // IPv6
        }
        int dots = 0;
        for (int i = 0; i < host.length(); i++) {
            char c = host.charAt(i);
            if (c == '.') {
                dots++;
            } else if (c < '0' || c > '9') {
                return false;
            }
        }
        return dots == 3;
    }

    private static <T> T await(Future<T> f) throws IOException {
        try {
            return f.await();
        } catch (Exception e) { // await() rethrows the original exception, undeclared
            StreamProtocol.rethrow(e);
            throw new AssertionError(e);
        }
    }
}
