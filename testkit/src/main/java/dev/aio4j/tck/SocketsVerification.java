package dev.aio4j.tck;

import static dev.aio4j.tck.StreamBytes.b;
import static dev.aio4j.tck.StreamBytes.s;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.aio4j.ErrorContext;
import dev.aio4j.Future;
import dev.aio4j.Loop;
import dev.aio4j.Task;
import dev.aio4j.net.Connection;
import dev.aio4j.net.Server;
import dev.aio4j.net.StreamReader;
import dev.aio4j.net.Streams;
import dev.aio4j.spi.Capability;
import java.io.IOException;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * SPEC section N, the rules of connections and servers (N1, N8, N12, N13,
 * N15, N20, N27): sockets as a capability, bytes that round-trip intact for many
 * connections at once, a server's handlers and life, bad arguments, and I/O
 * on a loop that is never idle. These rules are {@code optional_}, for
 * backends that declare {@link Capability#REAL_SOCKETS}, except N1, which
 * checks that a backend without it fails cleanly, and N15's argument checks,
 * which come before any socket is opened. A transport's life is in
 * {@link TransportVerification}, its flow control in
 * {@link FlowControlVerification}.
 */
public abstract class SocketsVerification extends AbstractSocketsVerification {
    /** For a backend's subclass, which names its provider. */
    protected SocketsVerification() {}

    // ================================================================== N1

    /** N1: sockets are a capability; without it the calls fail cleanly. */
    @Test
    public void required_N1_socketsWorkOrFailCleanlyWithoutRealSockets() {
        Loop loop = newLoop();
        if (hasCapability(Capability.REAL_SOCKETS)) {
            int port = run(loop, () -> {
                Server s = Streams.startServer((r, w) -> {}, 0);
                s.close();
                return s.port();
            });
            assertTrue(port > 0, "a backend declaring REAL_SOCKETS must start a server on an ephemeral port (SPEC N1)");
            return;
        }
        UnsupportedOperationException e = run(loop, () -> assertThrows(UnsupportedOperationException.class,
                () -> loop.createServer(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 10, () -> null),
                "without REAL_SOCKETS, createServer must throw UnsupportedOperationException (SPEC N1)"));
        assertTrue(e.getMessage().contains("REAL_SOCKETS"),
                "the UnsupportedOperationException must name the missing capability REAL_SOCKETS (SPEC N1): "
                        + e.getMessage());
        UnsupportedOperationException e2 = run(loop, () -> assertThrows(UnsupportedOperationException.class,
                () -> Streams.openConnection("127.0.0.1", 9),
                "without REAL_SOCKETS, Streams.openConnection must throw UnsupportedOperationException (SPEC N1)"));
        assertTrue(e2.getMessage().contains("REAL_SOCKETS"), "(SPEC N1): " + e2.getMessage());
    }

    // ================================================================== N8 round trip

    /** N8: bytes written on one side arrive on the other intact and in order, for many connections at once. */
    @Test
    public void optional_N8_echoRoundTripsManyConnections() {
        requireCapability(Capability.REAL_SOCKETS);
        Loop loop = newLoop();
        int clients = 20;
        int lines = 50;
        int total = run(loop, env.scaled(java.time.Duration.ofSeconds(30)), () -> {
            Server server = echoServer();
            List<Task<Integer>> tasks = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                int id = c;
                tasks.add(loop.createTask(() -> {
                    try (Connection conn = Streams.openConnection("127.0.0.1", server.port())) {
                        int ok = 0;
                        for (int i = 0; i < lines; i++) {
                            String line = "client " + id + " line " + i + " " + "x".repeat(i * 37 % 300) + "\n";
                            conn.writer().write(line);
                            assertEquals(line, s(conn.reader().readLine()),
                                    "the echo must return each line intact and in order (SPEC N8)");
                            ok++;
                        }
                        return ok;
                    }
                }));
            }
            int sum = 0;
            for (Task<Integer> t : tasks) {
                sum += t.await();
            }
            server.close();
            server.waitClosed();
            return sum;
        });
        assertEquals(clients * lines, total, "(SPEC N8)");
    }

    /**
     * N8: a large write arrives whole at a plain JDK socket, and what that socket sends arrives at the reader.
     *
     * @throws Exception an unexpected failure, which fails the test
     */
    @Test
    public void optional_N8_interoperatesWithAPlainJdkSocket() throws Exception {
        requireCapability(Capability.REAL_SOCKETS);
        byte[] big = new byte[3 * 1024 * 1024 + 17];
        for (int i = 0; i < big.length; i++) {
            big[i] = (byte) (i * 31 + i / 7);
        }
        try (ServerSocket ss = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CompletableFuture<byte[]> received = new CompletableFuture<>();
            Thread peer = Thread.ofPlatform().daemon().start(() -> {
                try (Socket s = ss.accept()) {
                    byte[] got = s.getInputStream().readNBytes(big.length);
                    OutputStream out = s.getOutputStream();
                    out.write(b("from the JDK socket\n"));
                    out.flush();
                    s.shutdownOutput();
                    received.complete(got);
                    s.getInputStream().readAllBytes(); // until the aio4j side closes
                } catch (IOException e) {
                    received.completeExceptionally(e);
                }
            });
            Loop loop = newLoop();
            String line = run(loop, env.scaled(java.time.Duration.ofSeconds(30)), () -> {
                Connection c = Streams.openConnection("127.0.0.1", ss.getLocalPort());
                c.writer().write(big);
                c.writer().drain();
                String l = s(c.reader().readLine());
                assertEquals(0, c.reader().readLine().length, "the peer's EOF must end the stream (SPEC N8)");
                c.close();
                c.writer().waitClosed();
                return l;
            });
            assertEquals("from the JDK socket\n", line, "(SPEC N8)");
            assertArrayEquals(big, received.get(env.timeout().toMillis(), TimeUnit.MILLISECONDS),
                    "3 MiB written in one call must reach the peer whole and in order (SPEC N8)");
            peer.join(env.timeout().toMillis());
        }
    }

    /** N8: a server holds thousands of connections at once, each served in order. */
    @Test
    public void optional_N8_aServerHoldsThousandsOfConnectionsAtOnce() {
        requireCapability(Capability.REAL_SOCKETS);
        Loop loop = newLoop();
        int clients = 2_000;
        int served = run(loop, env.scaled(java.time.Duration.ofSeconds(60)), () -> {
            Server server = Streams.startServer((r, w) -> {
                byte[] line;
                while ((line = r.readLine()).length > 0) {
                    w.write(line);
                    w.drain();
                }
            }, null, 0, StreamReader.DEFAULT_LIMIT, clients);
            Future<Void> allConnected = loop.createFuture();
            List<Task<Integer>> tasks = echoClients(loop, server, clients, allConnected);
            allConnected.await(); // every connection is open at this point
            int open = server.connectionCount();
            int sum = awaitAllAndClose(tasks, server);
            assertEquals(clients, open, "the server must hold every connection at once (SPEC N8)");
            return sum;
        });
        assertEquals(clients, served, "(SPEC N8)");
    }

    /**
     * Starts {@code clients} tasks that each connect to {@code server}, write
     * a line and check its echo; with {@code allConnected}, each first waits
     * there until the last one has connected (the last completes it).
     */
    private static List<Task<Integer>> echoClients(Loop loop, Server server, int clients, Future<Void> allConnected) {
        int[] connected = {0};
        List<Task<Integer>> tasks = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            int id = c;
            tasks.add(loop.createTask(() -> {
                try (Connection conn = Streams.openConnection("127.0.0.1", server.port())) {
                    if (allConnected != null) {
                        if (++connected[0] == clients) {
                            allConnected.setResult(null);
                        }
                        allConnected.await();
                    }
                    conn.writer().write("client " + id + "\n");
                    assertEquals("client " + id + "\n", s(conn.reader().readLine()),
                            "each of many connections must get its own echo (SPEC N8)");
                    return 1;
                }
            }));
        }
        return tasks;
    }

    /** Awaits {@code tasks}, closes {@code server}, and returns the sum of what the tasks returned. */
    private static int awaitAllAndClose(List<Task<Integer>> tasks, Server server) throws IOException {
        int sum = 0;
        for (Task<Integer> t : tasks) {
            sum += t.await();
        }
        server.close();
        server.waitClosed();
        return sum;
    }

    /**
     * How long the OS may take to connect a client whose handshake a full
     * accept queue drops: Linux sends the SYN again {@code tcp_syn_retries}
     * times (6 unless set), after 1, 2, 4, ... s, 127 s in all, and only then
     * fails the connect. A thousand clients on a backlog of 100 are served in
     * such waves (thousands of drops per run, {@code nstat TcpExtListenDrops});
     * a loop slowed by other work serves fewer per wave, and a client can
     * need a late one.
     */
    static java.time.Duration connectRetryBudget() {
        int retries = 6;
        try {
            retries = Integer.parseInt(java.nio.file.Files.readString(
                    java.nio.file.Path.of("/proc/sys/net/ipv4/tcp_syn_retries")).trim());
        } catch (IOException | RuntimeException e) {
            // not Linux: its default
        }
        return java.time.Duration.ofSeconds((1L << (Math.min(retries, 10) + 1)) - 1);
    }

    /**
     * N8: a burst of a thousand clients connecting at once to a server with
     * the default backlog (100) is served: each connection is accepted and
     * echoed, none is reset, as in asyncio and Netty. The limit leaves the OS
     * its whole retry budget ({@link #connectRetryBudget}): a client the
     * server never serves fails with the OS's connect error, not with the
     * TCK's clock.
     */
    @Test
    public void optional_N8_aBurstOfClientsIsServedWithTheDefaultBacklog() {
        requireCapability(Capability.REAL_SOCKETS);
        Loop loop = newLoop();
        int clients = 1_000;
        int served = run(loop, env.scaled(java.time.Duration.ofSeconds(60)).plus(connectRetryBudget()), () -> {
            Server server = echoServer();
            return awaitAllAndClose(echoClients(loop, server, clients, null), server);
        });
        assertEquals(clients, served, "a burst of " + clients + " clients on the default backlog must all be served (SPEC N8)");
    }

    // ================================================================== N12 handlers

    /** N12: each connection's handler runs as a task; when it returns, the server closes the connection. */
    @Test
    public void optional_N12_handlerReturnClosesTheConnection() {
        requireCapability(Capability.REAL_SOCKETS);
        Loop loop = newLoop();
        run(loop, () -> {
            List<Task<?>> handlers = new ArrayList<>();
            Server server = Streams.startServer((r, w) -> {
                handlers.add(loop.currentTask());
                w.write(b("bye\n"));
            }, 0);
            for (int i = 0; i < 2; i++) {
                Connection c = Streams.openConnection("127.0.0.1", server.port());
                assertEquals("bye\n", s(c.reader().readLine()), "(SPEC N12)");
                assertEquals(0, c.reader().readLine().length,
                        "when the handler returns, the server must close the connection (SPEC N12)");
                c.close();
            }
            assertEquals(2, handlers.size(), "one handler per connection (SPEC N12)");
            assertTrue(handlers.get(0) != null && handlers.get(0) != handlers.get(1),
                    "each connection's handler must run as a task of its own (SPEC N12)");
            server.close();
            server.waitClosed();
            return null;
        });
    }

    /** N12: a handler's exception is reported, and its connection closed. */
    @Test
    public void optional_N12_handlerExceptionIsReportedAndClosesTheConnection() {
        requireCapability(Capability.REAL_SOCKETS);
        Loop loop = newLoop();
        IllegalStateException boom = new IllegalStateException("handler failed");
        run(loop, () -> {
            Server server = Streams.startServer((r, w) -> {
                throw boom;
            }, 0);
            Connection c = Streams.openConnection("127.0.0.1", server.port());
            assertEquals(0, c.reader().read(-1).length,
                    "a failed handler's connection must be closed (SPEC N12)");
            c.close();
            server.close();
            server.waitClosed();
            return null;
        });
        ErrorContext reported = errors().stream().filter(e -> e.exception() == boom).findFirst().orElse(null);
        assertNotNull(reported, "the handler's exception must reach the exception handler (SPEC N12); got " + errors());
        assertTrue(reported.message().contains("Unhandled exception"), "(SPEC N12): " + reported.message());
    }

    // ================================================================== N13 server life

    /** N13: close stops listening, leaves connections open; waitClosed waits until they are gone. */
    @Test
    public void optional_N13_serverCloseStopsListeningAndWaitClosedWaitsForConnections() {
        requireCapability(Capability.REAL_SOCKETS);
        Loop loop = newLoop();
        run(loop, () -> {
            Server server = echoServer();
            int port = server.port();
            Connection c = Streams.openConnection("127.0.0.1", port);
            c.writer().write(b("before\n"));
            assertEquals("before\n", s(c.reader().readLine()), "(SPEC N13)");
            server.close();
            assertFalse(server.isServing(), "after close() the server must not be serving (SPEC N13)");
            // At once, before the loop runs again: a blocking connect from this very step.
            assertThrows(ConnectException.class, () -> new Socket(InetAddress.getLoopbackAddress(), port).close(),
                    "as soon as close() returns, new connections must be refused (SPEC N13)");
            assertThrows(ConnectException.class, () -> Streams.openConnection("127.0.0.1", port),
                    "after close() new connections must be refused (SPEC N13)");
            c.writer().write(b("after\n"));
            assertEquals("after\n", s(c.reader().readLine()),
                    "close() must leave connections already accepted open (SPEC N13)");
            Task<Void> waiter = loop.createTask(() -> {
                server.waitClosed();
                return null;
            });
            for (int i = 0; i < 10; i++) {
                dev.aio4j.AsyncIO.sleep0();
            }
            assertFalse(waiter.isDone(), "waitClosed must wait while a connection is open (SPEC N13)");
            c.close();
            waiter.await();
            assertEquals(0, server.connectionCount(), "(SPEC N13)");
            return null;
        });
    }

    /** N13: servers bind to the loopback address unless told otherwise. */
    @Test
    public void optional_N13_serversBindToLoopbackByDefault() {
        requireCapability(Capability.REAL_SOCKETS);
        Loop loop = newLoop();
        InetSocketAddress bound = run(loop, () -> {
            Server server = Streams.startServer((r, w) -> {}, 0);
            InetSocketAddress a = server.localAddress();
            server.close();
            return a;
        });
        assertTrue(bound.getAddress().isLoopbackAddress(),
                "a server started without a host must bind the loopback address only, bound " + bound + " (SPEC N13)");
    }

    // ================================================================== N15 bad input

    /** N15: bad arguments are refused naming the argument, before any socket is opened. */
    @Test
    public void required_N15_badArgumentsAreRefusedNamingThem() {
        Loop loop = newLoop();
        run(loop, () -> {
            NullPointerException npe = assertThrows(NullPointerException.class,
                    () -> Streams.openConnection(null, 80), "a null host must be refused (SPEC N15)");
            assertEquals("host", npe.getMessage(), "(SPEC N15)");
            IllegalArgumentException port = assertThrows(IllegalArgumentException.class,
                    () -> Streams.openConnection("127.0.0.1", 70000), "port 70000 must be refused (SPEC N15)");
            assertTrue(port.getMessage().contains("port"), "(SPEC N15): " + port.getMessage());
            assertThrows(IllegalArgumentException.class, () -> Streams.startServer((r, w) -> {}, -1),
                    "a negative port must be refused (SPEC N15)");
            NullPointerException h = assertThrows(NullPointerException.class,
                    () -> Streams.startServer(null, 0), "a null handler must be refused (SPEC N15)");
            assertEquals("handler", h.getMessage(), "(SPEC N15)");
            return null;
        });
        assertThrows(IllegalStateException.class, () -> Streams.openConnection("127.0.0.1", 80),
                "Streams called outside a running loop must fail with IllegalStateException (SPEC N15)");
    }

    /**
     * N15: a refused connection fails with ConnectException.
     *
     * @throws Exception an unexpected failure, which fails the test
     */
    @Test
    public void optional_N15_refusedConnectionFailsWithConnectException() throws Exception {
        requireCapability(Capability.REAL_SOCKETS);
        int port;
        try (ServerSocket ss = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = ss.getLocalPort(); // closed again: nothing listens there now
        }
        Loop loop = newLoop();
        run(loop, () -> assertThrows(ConnectException.class, () -> Streams.openConnection("127.0.0.1", port),
                "connecting to a port nobody listens on must fail with ConnectException (SPEC N15)"));
    }

    /**
     * N15: a connection the operating system refuses at once (TCP to the limited broadcast address) fails
     * the connection's future with a SocketException, as a refusal that comes later does.
     */
    @Test
    public void optional_N15_aConnectionRefusedAtOnceFailsWithSocketException() {
        requireCapability(Capability.REAL_SOCKETS);
        Loop loop = newLoop();
        Throwable e = run(loop, () -> {
            try {
                loop.createConnection(new InetSocketAddress("255.255.255.255", 9), new Recorder(null)).await();
                return null;
            } catch (Throwable t) {
                return t;
            }
        });
        assertInstanceOf(java.net.SocketException.class, e,
                "TCP to the broadcast address must fail with a SocketException (SPEC N15)");
    }

    /**
     * N15: a server on a port another socket listens on fails with java.net.BindException.
     *
     * @throws Exception an unexpected failure, which fails the test
     */
    @Test
    public void optional_N15_aPortInUseFailsWithBindException() throws Exception {
        requireCapability(Capability.REAL_SOCKETS);
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Loop loop = newLoop();
            run(loop, () -> assertThrows(java.net.BindException.class,
                    () -> Streams.startServer((r, w) -> {}, "127.0.0.1", taken.getLocalPort()),
                    "a server on a port another socket listens on must fail with BindException (SPEC N15)"));
        }
    }

    /** N15: createServer refuses a backlog that is not positive, naming it. */
    @Test
    public void optional_N15_createServerRefusesABacklogThatIsNotPositive() {
        requireCapability(Capability.REAL_SOCKETS);
        Loop loop = newLoop();
        run(loop, () -> {
            for (int backlog : new int[] {0, -1}) {
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                        () -> loop.createServer(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), backlog,
                                () -> new Recorder(null)),
                        "createServer with backlog " + backlog + " must be refused (SPEC N15)");
                assertTrue(e.getMessage() != null && e.getMessage().contains("backlog"), "(SPEC N15): " + e.getMessage());
            }
            return null;
        });
    }

    // ================================================================== N20 I/O on a busy loop

    /**
     * N20: a loop that waits in its sockets' poll, with sockets open and nothing arriving on them, still
     * wakes for its next timer, on time and not before it.
     *
     * @throws Exception an unexpected failure, which fails the test
     */
    @Test
    public void optional_N20_timersFireWhileSocketsAreOpenAndQuiet() throws Exception {
        requireCapability(Capability.REAL_SOCKETS);
        try (ServerSocket ss = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Loop loop = newLoop();
            long[] waited = run(loop, () -> {
                Connection quiet = Streams.openConnection("127.0.0.1", ss.getLocalPort()); // the peer never writes
                long[] w = new long[3];
                for (int i = 0; i < w.length; i++) {
                    long before = loop.time();
                    dev.aio4j.AsyncIO.sleep(java.time.Duration.ofMillis(20)); // nothing else to do: the loop polls
                    w[i] = loop.time() - before;
                }
                quiet.close();
                return w;
            });
            for (long w : waited) {
                assertTrue(w >= 20_000_000, "a timer must not fire before its time while the loop polls sockets, "
                        + "waited " + w + " ns (SPEC N20)");
            }
        }
    }

    /**
     * N20: a loop polls its sockets at every iteration: while a task keeps the ready queue from ever being
     * empty, connections are still accepted and bytes still delivered.
     */
    @Test
    public void optional_N20_aLoopThatIsNeverIdleStillDoesIo() {
        requireCapability(Capability.REAL_SOCKETS);
        Loop loop = newLoop();
        String echoed = run(loop, () -> {
            boolean[] done = {false};
            Task<Integer> spinner = loop.createTask(() -> {
                int n = 0;
                while (!done[0]) {
                    dev.aio4j.AsyncIO.sleep0(); // always ready: the loop never waits idle
                    n++;
                }
                return n;
            });
            try {
                return pingAnEchoServer();
            } finally {
                done[0] = true;
                spinner.await();
            }
        });
        assertEquals("ping\n", echoed, "a loop that always has a task ready must still poll its sockets (SPEC N20)");
    }

    /**
     * N20, the loop kept busy by a callback that schedules itself again rather than by a yielding task: an
     * engine may reach the next iteration by more than one path (a yielding task may cross the boundary
     * itself), and each of them polls.
     */
    @Test
    public void optional_N20_aLoopBusyWithCallbacksStillDoesIo() {
        requireCapability(Capability.REAL_SOCKETS);
        Loop loop = newLoop();
        String echoed = run(loop, () -> {
            boolean[] done = {false};
            Runnable[] again = {null};
            again[0] = () -> {
                if (!done[0]) {
                    loop.callSoon(again[0]); // always ready: the loop never waits idle
                }
            };
            loop.callSoon(again[0]);
            try {
                return pingAnEchoServer();
            } finally {
                done[0] = true;
            }
        });
        assertEquals("ping\n", echoed,
                "a loop that always has a callback ready must still poll its sockets (SPEC N20)");
    }

    /**
     * N20, the loop's only ready work a task that yields: the bytes are written by that task once the
     * server's handler waits for them, so that no other unit is ready until they are read. An engine may
     * let a yielding task cross the iteration boundary in place of the loop, and that crossing polls too.
     */
    @Test
    public void optional_N20_bytesReachALoopWhoseOnlyWorkIsAYieldingTask() {
        requireCapability(Capability.REAL_SOCKETS);
        Loop loop = newLoop();
        String received = run(loop, () -> {
            Future<String> line = loop.createFuture();
            boolean[] reading = {false};
            Server server = Streams.startServer((r, w) -> {
                reading[0] = true;
                line.setResult(s(r.readLine()));
            }, 0);
            try (Connection c = Streams.openConnection("127.0.0.1", server.port())) {
                boolean[] done = {false};
                Task<Void> spinner = loop.createTask(() -> {
                    while (!reading[0]) {
                        dev.aio4j.AsyncIO.sleep0();
                    }
                    c.writer().write(b("ping\n")); // from here on, this task is all the loop has to run
                    while (!done[0]) {
                        dev.aio4j.AsyncIO.sleep0();
                    }
                    return null;
                });
                try {
                    return line.await();
                } finally {
                    done[0] = true;
                    spinner.await();
                }
            } finally {
                server.close();
                server.waitClosed();
            }
        });
        assertEquals("ping\n", received,
                "a loop whose only work is a task yielding with sleep0 must still poll its sockets (SPEC N20)");
    }

    /**
     * On the running loop: sends a line to a new echo server and returns the line that comes back.
     *
     * @return the line echoed
     * @throws IOException a socket failure, which fails the test
     */
    private String pingAnEchoServer() throws IOException {
        Server server = echoServer();
        try (Connection c = Streams.openConnection("127.0.0.1", server.port())) {
            c.writer().write(b("ping\n"));
            return s(c.reader().readLine());
        } finally {
            server.close();
            server.waitClosed();
        }
    }

    // ================================================================== N27 descriptors

    /**
     * The process's open descriptors, each with what it is where the OS tells ({@code /proc/self/fd} on Linux:
     * "socket:[...]", "anon_inode:[eventpoll]", ...); elsewhere on a Unix, as many entries as the JVM counts,
     * with no names; null where the JVM cannot count them.
     */
    static java.util.Map<String, String> openDescriptors() {
        java.nio.file.Path proc = java.nio.file.Path.of("/proc/self/fd");
        java.util.Map<String, String> fds = new java.util.TreeMap<>();
        if (java.nio.file.Files.isDirectory(proc)) {
            try (var list = java.nio.file.Files.list(proc)) {
                for (java.nio.file.Path fd : (Iterable<java.nio.file.Path>) list::iterator) {
                    try {
                        String what = java.nio.file.Files.readSymbolicLink(fd).toString();
                        if (!what.startsWith("/proc/")) { // not the listing's own descriptor
                            fds.put(fd.getFileName().toString(), what);
                        }
                    } catch (IOException closedMeanwhile) {
                        // closed while listing: not open any more
                    }
                }
                return fds;
            } catch (IOException e) {
                // fall back on the JVM's count
            }
        }
        if (!(java.lang.management.ManagementFactory.getOperatingSystemMXBean()
                instanceof com.sun.management.UnixOperatingSystemMXBean unix)) {
            return null;
        }
        for (long i = unix.getOpenFileDescriptorCount(); i > 0; i--) {
            fds.put(String.valueOf(i), "?");
        }
        return fds;
    }

    /** The entries of {@code after} that {@code before} does not have: descriptors opened since. */
    static java.util.Map<String, String> openedSince(java.util.Map<String, String> before, java.util.Map<String, String> after) {
        java.util.Map<String, String> opened = new java.util.TreeMap<>(after);
        opened.entrySet().removeAll(before.entrySet());
        return opened;
    }

    /**
     * Opens a loop and uses sockets in every way that ends differently (a connection closed, one refused at
     * once, a server whose port is taken, a connection and a server left open for the loop's close), then
     * closes the loop.
     */
    private void useSocketsAndCloseTheLoop(ServerSocket taken) {
        Loop loop = newLoop();
        run(loop, () -> {
            Server server = Streams.startServer((r, w) -> {
                w.write(r.readLine());
                w.close();
            }, "127.0.0.1", 0);
            Connection c = Streams.openConnection("127.0.0.1", server.port());
            c.writer().write(b("ping\n"));
            assertEquals("ping\n", s(c.reader().readLine()), "(SPEC N8)");
            c.close();
            assertThrows(java.net.SocketException.class, () -> loop.createConnection(
                    new InetSocketAddress("255.255.255.255", 9), new Recorder(null)).await(), "(SPEC N15)");
            assertThrows(java.net.BindException.class,
                    () -> Streams.startServer((r, w) -> {}, "127.0.0.1", taken.getLocalPort()), "(SPEC N15)");
            Streams.openConnection("127.0.0.1", server.port()); // left open, as the server: the loop's close closes them
            return null;
        });
        loop.close();
    }

    /**
     * N27: once close() returned, a loop that used sockets in every way leaves no descriptor open: not its
     * sockets, whichever way they ended, nor what it waits on (a selector, an epoll or io_uring instance).
     *
     * @throws Exception an unexpected failure, which fails the test
     */
    @Test
    public void optional_N27_aClosedLoopLeavesNoDescriptorOpen() throws Exception {
        requireCapability(Capability.REAL_SOCKETS);
        org.junit.jupiter.api.Assumptions.assumeTrue(openDescriptors() != null,
                "this JVM cannot count its open descriptors (not a Unix): N27 is not checked");
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            useSocketsAndCloseTheLoop(taken); // first: what the JDK opens once for good (its pollers) is then in "before"
            java.util.Map<String, String> before = openDescriptors();
            useSocketsAndCloseTheLoop(taken);
            // Read again until none is left (a thread of the JVM may hold a descriptor for a moment), or the TCK's
            // timeout: what the loop leaves open stays open.
            long deadline = System.nanoTime() + env.timeout().toNanos();
            java.util.Map<String, String> left;
            while (!(left = openedSince(before, openDescriptors())).isEmpty() && System.nanoTime() < deadline) {
                java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
            }
            assertEquals(java.util.Map.of(), left, "a closed loop must leave no descriptor open; "
                    + "these were not open before it was (SPEC N27)");
        }
    }
}
