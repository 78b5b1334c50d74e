package dev.aio4j.tck;

import static dev.aio4j.tck.StreamBytes.b;
import static dev.aio4j.tck.StreamBytes.s;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.aio4j.ErrorContext;
import dev.aio4j.Future;
import dev.aio4j.Loop;
import dev.aio4j.Task;
import dev.aio4j.net.Connection;
import dev.aio4j.net.Listener;
import dev.aio4j.net.Protocol;
import dev.aio4j.net.Server;
import dev.aio4j.net.StreamReader;
import dev.aio4j.net.Streams;
import dev.aio4j.net.Transport;
import dev.aio4j.spi.Capability;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * SPEC section N, the sockets component (N1, N8 to N16, N18 to N20): TCP connections and
 * servers through {@code Loop.createConnection}/{@code createServer} and the
 * {@link Streams} built on them. These rules are {@code optional_}, for
 * backends that declare {@link Capability#REAL_SOCKETS}, except N1, which
 * checks that a backend without it fails cleanly, and N15's argument checks,
 * which come before any socket is opened. Socket tests use loopback only,
 * with ephemeral ports; some use a plain JDK {@link Socket} as the peer, so
 * that a backend is checked against the operating system's view of the
 * bytes, not only against itself. The reader rules are in
 * {@link StreamReaderVerification}.
 */
public abstract class SocketsVerification extends AbstractVerification {
    /** For a backend's subclass, which names its provider. */
    protected SocketsVerification() {}


    @Override
    protected String area() {
        return "Sockets";
    }

    /** An echo server: writes every line back, until EOF. */
    private static Server echoServer() throws IOException {
        return Streams.startServer((r, w) -> {
            byte[] line;
            while ((line = r.readLine()).length > 0) {
                w.write(line);
                w.drain();
            }
        }, 0);
    }

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
     * N8: a burst of a thousand clients connecting at once to a server with
     * the default backlog (100) is served: each connection is accepted and
     * echoed, none is reset, as in asyncio and Netty.
     */
    @Test
    public void optional_N8_aBurstOfClientsIsServedWithTheDefaultBacklog() {
        requireCapability(Capability.REAL_SOCKETS);
        Loop loop = newLoop();
        int clients = 1_000;
        int served = run(loop, env.scaled(java.time.Duration.ofSeconds(60)), () -> {
            Server server = echoServer();
            return awaitAllAndClose(echoClients(loop, server, clients, null), server);
        });
        assertEquals(clients, served, "a burst of " + clients + " clients on the default backlog must all be served (SPEC N8)");
    }

    // ================================================================== N9 write flow control

    /** N9: drain returns at once below the high water mark, and waits above it until the peer reads. */
    @Test
    public void optional_N9_drainWaitsAboveTheHighWaterMarkUntilThePeerReads() {
        requireCapability(Capability.REAL_SOCKETS);
        Loop loop = newLoop();
        run(loop, env.scaled(java.time.Duration.ofSeconds(30)), () -> {
            Future<StreamReader> serverSide = loop.createFuture();
            Future<Void> release = loop.createFuture();
            Server server = Streams.startServer((r, w) -> {
                w.transport().pauseReading(); // the peer stops reading: the client's buffer must fill
                serverSide.setResult(r);
                release.await();
                w.transport().resumeReading();
                r.read(-1);
            }, 0);
            Connection c = Streams.openConnection("127.0.0.1", server.port());
            StreamReader peer = serverSide.await();
            assertNotNull(peer);
            c.writer().write(new byte[10]);
            Task<?> self = loop.currentTask();
            c.writer().drain(); // below high: returns without suspending
            assertSame(self, loop.currentTask(), "(SPEC N9)");
            byte[] chunk = new byte[256 * 1024];
            int writes = 0;
            do {
                c.writer().write(chunk); // kernel buffers fill first; then ours grows
                if (++writes > 4096) {
                    fail("1 GiB written without the transport buffering anything: is the peer really paused? (SPEC N9)");
                }
                for (int i = 0; i < 3; i++) {
                    dev.aio4j.AsyncIO.sleep0(); // a backend may hand writes to the socket at its next poll
                }
            } while (c.writer().transport().writeBufferSize() <= Transport.DEFAULT_HIGH_WATER);
            Task<Void> drainer = loop.createTask(() -> {
                c.writer().drain();
                return null;
            });
            for (int i = 0; i < 20; i++) {
                dev.aio4j.AsyncIO.sleep0();
            }
            assertFalse(drainer.isDone(), "drain must wait while the buffer is above the high water mark (SPEC N9)");
            release.setResult(null); // the peer reads again
            drainer.await();
            assertTrue(c.writer().transport().writeBufferSize() <= Transport.DEFAULT_HIGH_WATER / 4,
                    "drain must return only once the buffer is at or below the low water mark (SPEC N9)");
            c.close();
            c.writer().waitClosed();
            server.close();
            server.waitClosed();
            return null;
        });
    }

    /**
     * N9: the protocol is told to pause inside the write that takes the buffer above the high water mark
     * (never at or below it), and to resume once the buffer is at or below the low one; the two alternate.
     *
     * @throws Exception an unexpected failure, which fails the test
     */
    @Test
    public void optional_N9_protocolIsPausedAboveHighAndResumedAtLow() throws Exception {
        requireCapability(Capability.REAL_SOCKETS);
        long high = 256 * 1024;
        long low = 32 * 1024;
        try (ServerSocket ss = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CompletableFuture<Void> go = new CompletableFuture<>();
            CompletableFuture<byte[]> received = slowReader(ss, go);
            Loop loop = newLoop();
            List<String> problems = run(loop, env.scaled(java.time.Duration.ofSeconds(30)), () -> {
                List<String> bad = new ArrayList<>();
                Recorder p = new Recorder(loop);
                Transport t = loop.createConnection(loopback(ss), p).await();
                t.setWriteBufferLimits(high, low);
                byte[] chunk = new byte[16 * 1024];
                long written = 0;
                while (t.writeBufferSize() <= high) {
                    t.write(ByteBuffer.wrap(chunk));
                    written += chunk.length;
                    long size = t.writeBufferSize();
                    if (size > high && !p.flow.equals(List.of("pause@" + size))) {
                        bad.add("the write that took the buffer to " + size + " bytes (high " + high
                                + ") must call pauseWriting inside it, once; calls: " + p.flow);
                        break;
                    }
                    if (size <= high && !p.flow.isEmpty()) {
                        bad.add("pauseWriting with " + size + " bytes buffered, not above the high mark " + high
                                + ": " + p.flow);
                        break;
                    }
                    if (written > (1L << 30)) {
                        bad.add("1 GiB written without the buffer going above " + high);
                        break;
                    }
                    yieldTimes(1); // a backend may hand writes to the socket at its next poll
                }
                if (bad.isEmpty()) {
                    go.complete(null);
                    p.resumed.await();
                    String resume = p.flow.get(p.flow.size() - 1);
                    long at = Long.parseLong(resume.substring("resume@".length()));
                    if (p.flow.size() != 2 || at > low) {
                        bad.add("after the pause, resumeWriting must come once the buffer is at or below the low mark "
                                + low + ": " + p.flow);
                    }
                }
                go.complete(null);
                t.close();
                p.lost.await();
                loop.wrapFuture(received).await();
                return bad;
            });
            assertEquals(List.of(), problems, "SPEC N9");
        }
    }

    /** N9: water marks must satisfy high >= low >= 0. */
    @Test
    public void optional_N9_writeBufferLimitsAreValidated() {
        requireCapability(Capability.REAL_SOCKETS);
        Loop loop = newLoop();
        run(loop, () -> {
            Server server = echoServer();
            try (Connection c = Streams.openConnection("127.0.0.1", server.port())) {
                Transport t = c.writer().transport();
                assertThrows(IllegalArgumentException.class, () -> t.setWriteBufferLimits(10, 20),
                        "high < low must be refused with IllegalArgumentException (SPEC N9)");
                assertThrows(IllegalArgumentException.class, () -> t.setWriteBufferLimits(10, -1),
                        "a negative low must be refused with IllegalArgumentException (SPEC N9)");
                t.setWriteBufferLimits(0, 0);
            }
            server.close();
            return null;
        });
    }

    // ================================================================== N10 lost connection

    /** N10: after the connection is lost, drain fails with "Connection lost" and writes are dropped quietly. */
    @Test
    public void optional_N10_drainFailsAfterTheConnectionIsLost() {
        requireCapability(Capability.REAL_SOCKETS);
        Loop loop = newLoop();
        run(loop, () -> {
            Server server = echoServer();
            Connection c = Streams.openConnection("127.0.0.1", server.port());
            c.writer().transport().abort();
            assertTrue(c.writer().isClosing(), "an aborted transport must say it is closing (SPEC N10)");
            c.writer().write(b("dropped\n")); // no exception: dropped, as in asyncio
            SocketException e = assertThrows(SocketException.class, c.writer()::drain,
                    "drain after the connection was lost must fail (SPEC N10)");
            assertTrue(e.getMessage().contains("Connection lost"), "(SPEC N10): " + e.getMessage());
            c.writer().waitClosed(); // an abort is a clean end: no exception
            assertEquals(0, c.reader().read(-1).length, "the reader of a lost connection ends (SPEC N10)");
            server.close();
            return null;
        });
    }

    // ================================================================== N11 half-close

    /** N11: writeEof half-closes: the peer reads EOF and can still answer. */
    @Test
    public void optional_N11_writeEofHalfCloses() {
        requireCapability(Capability.REAL_SOCKETS);
        Loop loop = newLoop();
        String answer = run(loop, () -> {
            Server server = Streams.startServer((r, w) -> {
                byte[] all = r.read(-1); // until the client's EOF
                w.write(b("got " + all.length + " bytes\n"));
            }, 0);
            Connection c = Streams.openConnection("127.0.0.1", server.port());
            c.writer().write(b("hello"));
            c.writer().writeEof();
            assertThrows(IllegalStateException.class, () -> c.writer().write(b("late")),
                    "write after writeEof must fail with IllegalStateException (SPEC N11)");
            String a = s(c.reader().readLine());
            c.close();
            server.close();
            server.waitClosed();
            return a;
        });
        assertEquals("got 5 bytes\n", answer, "the peer must read EOF after the bytes and still answer (SPEC N11)");
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

    // ================================================================== N14 protocol order

    /**
     * N14: a protocol sees connectionMade, dataReceived..., eofReceived, then connectionLost exactly once, later.
     *
     * @throws Exception an unexpected failure, which fails the test
     */
    @Test
    public void optional_N14_protocolCallbacksComeInOrderAndConnectionLostOnce() throws Exception {
        requireCapability(Capability.REAL_SOCKETS);
        try (ServerSocket ss = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Thread peer = Thread.ofPlatform().daemon().start(() -> {
                try (Socket s = ss.accept()) {
                    s.getOutputStream().write(b("abc"));
                    s.shutdownOutput();
                    InputStream in = s.getInputStream();
                    in.readAllBytes();
                } catch (IOException e) {
                    env.flop(e);
                }
            });
            Loop loop = newLoop();
            List<String> events = run(loop, () -> {
                List<String> ev = new ArrayList<>();
                Future<Void> lost = loop.createFuture();
                AtomicReference<Transport> made = new AtomicReference<>();
                Protocol p = new Protocol() {
                    @Override
                    public void connectionMade(Transport t) {
                        made.set(t);
                        ev.add("made");
                    }

                    @Override
                    public void dataReceived(ByteBuffer data) {
                        byte[] bytes = new byte[data.remaining()];
                        data.get(bytes);
                        ev.add("data:" + s(bytes));
                    }

                    @Override
                    public void eofReceived() {
                        ev.add("eof");
                        made.get().close();
                        ev.add("closed");
                    }

                    @Override
                    public void connectionLost(Throwable cause) {
                        ev.add("lost:" + cause);
                        lost.setResult(null);
                    }
                };
                Transport t = loop.createConnection(
                        new InetSocketAddress(InetAddress.getLoopbackAddress(), ss.getLocalPort()), p).await();
                assertSame(made.get(), t, "the future's transport must be the one given to connectionMade (SPEC N14)");
                lost.await();
                t.close(); // idempotent: no second connectionLost
                t.abort();
                for (int i = 0; i < 5; i++) {
                    dev.aio4j.AsyncIO.sleep0();
                }
                return ev;
            });
            // Data may arrive in several pieces: join them.
            StringBuilder data = new StringBuilder();
            List<String> shape = new ArrayList<>();
            for (String e : events) {
                if (e.startsWith("data:")) {
                    data.append(e.substring(5));
                    if (!shape.contains("data")) {
                        shape.add("data");
                    }
                } else {
                    shape.add(e);
                }
            }
            assertEquals(List.of("made", "data", "eof", "closed", "lost:null"), shape,
                    "callbacks must come in order; connectionLost once, after the call that closed (SPEC N14): "
                            + events);
            assertEquals("abc", data.toString(), "(SPEC N14)");
            peer.join(env.timeout().toMillis());
        }
    }

    /** N14: an exception thrown by a protocol callback is reported and aborts the transport. */
    @Test
    public void optional_N14_protocolExceptionIsReportedAndAbortsTheTransport() {
        requireCapability(Capability.REAL_SOCKETS);
        Loop loop = newLoop();
        RuntimeException boom = new RuntimeException("protocol bug");
        run(loop, () -> {
            Future<Throwable> lost = loop.createFuture();
            Listener l = loop.createServer(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 10,
                    () -> new Protocol() {
                        @Override
                        public void connectionMade(Transport t) {}

                        @Override
                        public void dataReceived(ByteBuffer data) {
                            throw boom;
                        }

                        @Override
                        public void eofReceived() {}

                        @Override
                        public void connectionLost(Throwable cause) {
                            lost.setResult(cause);
                        }
                    }).await();
            Connection c = Streams.openConnection("127.0.0.1", l.localAddress().getPort());
            c.writer().write(b("trigger\n"));
            lost.await();
            try {
                assertEquals(0, c.reader().read(-1).length, "the aborted side must close the connection (SPEC N14)");
            } catch (SocketException reset) {
                // an abort may arrive as a reset
            }
            c.close();
            l.close();
            return null;
        });
        assertTrue(errors().stream().anyMatch(e -> e.exception() == boom && e.message().contains("dataReceived")),
                "a protocol callback's exception must reach the exception handler naming the callback (SPEC N14): "
                        + errors());
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

    // ================================================================== N16 threads and close

    /**
     * N16: a transport is loop-confined: every call that changes it, made from another thread while the loop
     * runs, throws WrongThreadException naming the method, and changes nothing; so do the loop's socket calls.
     */
    @Test
    public void optional_N16_transportIsLoopConfined() {
        requireCapability(Capability.REAL_SOCKETS);
        Loop loop = newLoop();
        List<String> problems = run(loop, () -> {
            Server server = echoServer();
            try (Connection c = Streams.openConnection("127.0.0.1", server.port())) {
                Transport t = c.writer().transport();
                java.util.Map<String, org.junit.jupiter.api.function.Executable> calls = new java.util.LinkedHashMap<>();
                calls.put("write", () -> t.write(ByteBuffer.wrap(b("from another thread\n"))));
                calls.put("writeEof", t::writeEof);
                calls.put("setWriteBufferLimits", () -> t.setWriteBufferLimits(10, 5));
                calls.put("pauseReading", t::pauseReading);
                calls.put("resumeReading", t::resumeReading);
                calls.put("close", t::close);
                calls.put("abort", t::abort);
                calls.put("createConnection", () -> loop.createConnection(
                        new InetSocketAddress(InetAddress.getLoopbackAddress(), server.port()), new Recorder(null)));
                calls.put("createServer", () -> loop.createServer(
                        new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 10, () -> new Recorder(null)));
                List<String> bad = onAnotherThread(loop, () -> {
                    List<String> out = new ArrayList<>();
                    calls.forEach((name, call) -> {
                        try {
                            call.execute();
                            out.add(name + " did not throw");
                        } catch (WrongThreadException e) {
                            if (e.getMessage() == null || !e.getMessage().contains(name)) {
                                out.add(name + "'s WrongThreadException does not name it: " + e.getMessage());
                            }
                        } catch (Throwable e) {
                            out.add(name + " threw " + e + " instead of WrongThreadException");
                        }
                    });
                    return out;
                });
                if (t.isClosing() || t.isReadingPaused() || t.writeBufferSize() != 0) {
                    bad.add("a refused call changed the transport: closing " + t.isClosing() + ", reading paused "
                            + t.isReadingPaused() + ", " + t.writeBufferSize() + " bytes buffered");
                }
                if (!bad.isEmpty()) {
                    return bad; // the connection may not work any more
                }
                c.writer().write(b("still open\n"));
                if (!"still open\n".equals(s(c.reader().readLine()))) {
                    bad.add("the connection does not echo after the refused calls");
                }
                return bad;
            } finally {
                server.close();
                server.waitClosed();
            }
        });
        assertEquals(List.of(), problems, "Transport calls and the loop's socket calls from another thread while the "
                + "loop runs must throw WrongThreadException naming the method, and change nothing (SPEC N16)");

        loop.close();
        for (String call : List.of("createConnection", "createServer")) {
            Throwable t = null;
            try {
                if (call.equals("createConnection")) {
                    loop.createConnection(new InetSocketAddress(InetAddress.getLoopbackAddress(), 9), new Recorder(null));
                } else {
                    loop.createServer(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 10, () -> new Recorder(null));
                }
            } catch (Throwable e) {
                t = e;
            }
            assertTrue(t instanceof IllegalStateException && t.getMessage() != null
                    && t.getMessage().contains("Event loop is closed"),
                    call + " on a closed loop must throw IllegalStateException \"Event loop is closed\", threw " + t
                            + " (SPEC N16)");
        }
    }

    /** Runs {@code action} on a new platform thread and awaits its result, in a task of {@code loop}. */
    private static <T> T onAnotherThread(Loop loop, java.util.concurrent.Callable<T> action) {
        CompletableFuture<T> cf = new CompletableFuture<>();
        Thread.ofPlatform().daemon().start(() -> {
            try {
                cf.complete(action.call());
            } catch (Throwable e) {
                cf.completeExceptionally(e);
            }
        });
        return loop.wrapFuture(cf).await();
    }

    /**
     * N16: closing the loop closes its sockets: the peer sees the end of the stream.
     *
     * @throws Exception an unexpected failure, which fails the test
     */
    @Test
    public void optional_N16_closingTheLoopClosesItsSockets() throws Exception {
        requireCapability(Capability.REAL_SOCKETS);
        try (ServerSocket ss = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CompletableFuture<Integer> peerRead = new CompletableFuture<>();
            Thread.ofPlatform().daemon().start(() -> {
                try (Socket s = ss.accept()) {
                    s.setSoTimeout((int) env.timeout().toMillis());
                    peerRead.complete(s.getInputStream().read());
                } catch (IOException e) {
                    peerRead.complete(-2); // a reset is a close too
                }
            });
            Loop loop = newLoop();
            run(loop, () -> Streams.openConnection("127.0.0.1", ss.getLocalPort())); // left open
            loop.close();
            int r = peerRead.get(env.timeout().toMillis(), TimeUnit.MILLISECONDS);
            assertTrue(r == -1 || r == -2, "after loop.close() the peer must see the socket closed, read " + r
                    + " (SPEC N16)");
        }
    }

    // ================================================================== N14, N18, N19: the transport's life, seen by its protocol

    /**
     * A protocol that records its callbacks ("made", "data:...", "eof", "lost:cause") and completes
     * {@link #gotData}, {@link #gotEof} and {@link #lost} as they come; with a null loop, it only records.
     */
    private static final class Recorder implements Protocol {
        final List<String> events = new ArrayList<>();
        final Future<Void> gotData;
        final Future<Void> gotEof;
        final Future<Throwable> lost;
        /** pauseWriting and resumeWriting, each with the transport's writeBufferSize() at the call. */
        final List<String> flow = new ArrayList<>();
        final Future<Void> resumed;
        Transport transport;
        int lostCalls;
        RuntimeException throwOnEof;

        Recorder(Loop loop) {
            gotData = loop == null ? null : loop.createFuture();
            gotEof = loop == null ? null : loop.createFuture();
            lost = loop == null ? null : loop.createFuture();
            resumed = loop == null ? null : loop.createFuture();
        }

        @Override
        public void pauseWriting() {
            flow.add("pause@" + transport.writeBufferSize());
        }

        @Override
        public void resumeWriting() {
            flow.add("resume@" + transport.writeBufferSize());
            if (resumed != null && !resumed.isDone()) {
                resumed.setResult(null);
            }
        }

        @Override
        public void connectionMade(Transport t) {
            transport = t;
            events.add("made");
        }

        @Override
        public void dataReceived(ByteBuffer data) {
            byte[] bytes = new byte[data.remaining()];
            data.get(bytes);
            events.add("data:" + s(bytes));
            if (gotData != null && !gotData.isDone()) {
                gotData.setResult(null);
            }
        }

        @Override
        public void eofReceived() {
            events.add("eof");
            if (gotEof != null && !gotEof.isDone()) {
                gotEof.setResult(null);
            }
            if (throwOnEof != null) {
                throw throwOnEof;
            }
        }

        @Override
        public void connectionLost(Throwable cause) {
            lostCalls++;
            events.add("lost:" + cause);
            if (lost != null && !lost.isDone()) {
                lost.setResult(cause);
            }
        }
    }

    /** {@code events} with consecutive "data:" entries joined into one (data may arrive in pieces). */
    private static List<String> joined(List<String> events) {
        List<String> out = new ArrayList<>();
        for (String e : events) {
            int last = out.size() - 1;
            if (e.startsWith("data:") && last >= 0 && out.get(last).startsWith("data:")) {
                out.set(last, out.get(last) + e.substring(5));
            } else {
                out.add(e);
            }
        }
        return out;
    }

    private static InetSocketAddress loopback(ServerSocket ss) {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), ss.getLocalPort());
    }

    /** Yields {@code n} times: lets the loop run that many iterations. */
    private static void yieldTimes(int n) {
        for (int i = 0; i < n; i++) {
            dev.aio4j.AsyncIO.sleep0();
        }
    }

    /**
     * N14: an eofReceived that throws is reported ("protocol.eofReceived() call failed") and aborts the
     * transport: connectionLost comes once, and the peer sees the connection closed.
     *
     * @throws Exception an unexpected failure, which fails the test
     */
    @Test
    public void optional_N14_eofReceivedFailureIsReportedAndAbortsTheTransport() throws Exception {
        requireCapability(Capability.REAL_SOCKETS);
        RuntimeException boom = new RuntimeException("eofReceived bug");
        try (ServerSocket ss = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CompletableFuture<Integer> peerSaw = new CompletableFuture<>();
            Thread.ofPlatform().daemon().start(() -> {
                try (Socket s = ss.accept()) {
                    s.setSoTimeout((int) env.timeout().toMillis());
                    s.getOutputStream().write(b("abc"));
                    s.shutdownOutput();
                    peerSaw.complete(s.getInputStream().read());
                } catch (IOException e) {
                    peerSaw.complete(-2); // a reset is a close too
                }
            });
            Loop loop = newLoop();
            List<String> events = run(loop, () -> {
                Recorder p = new Recorder(loop);
                p.throwOnEof = boom;
                Transport t = loop.createConnection(loopback(ss), p).await();
                p.lost.await();
                assertTrue(t.isClosing(), "a transport aborted for its protocol's failure must say it is closing (SPEC N14)");
                int r = loop.wrapFuture(peerSaw).await();
                assertTrue(r == -1 || r == -2, "the peer must see the aborted connection closed, read " + r + " (SPEC N14)");
                t.close();
                t.abort();
                yieldTimes(5);
                return p.events;
            });
            assertEquals(List.of("made", "data:abc", "eof", "lost:null"), joined(events),
                    "after a failed eofReceived, connectionLost must come once (SPEC N14)");
            assertTrue(errors().stream().anyMatch(e -> e.exception() == boom
                    && e.message().contains("protocol.eofReceived() call failed")),
                    "eofReceived's exception must reach the exception handler as \"protocol.eofReceived() call failed\" "
                            + "(SPEC N14): " + errors());
        }
    }

    /**
     * N18: pauseReading stops dataReceived and eofReceived until resumeReading: the bytes and the EOF that
     * arrive meanwhile are delivered after it (later, not inside the call), in order, none lost.
     *
     * @throws Exception an unexpected failure, which fails the test
     */
    @Test
    public void optional_N18_pauseReadingHoldsDataAndEofUntilResume() throws Exception {
        requireCapability(Capability.REAL_SOCKETS);
        try (ServerSocket pausedSide = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                ServerSocket sentinelSide = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CompletableFuture<Void> go = new CompletableFuture<>();
            CompletableFuture<Void> sent = new CompletableFuture<>();
            Thread.ofPlatform().daemon().start(() -> {
                try (Socket a = pausedSide.accept(); Socket b = sentinelSide.accept()) {
                    a.setSoTimeout((int) env.timeout().toMillis());
                    b.setSoTimeout((int) env.timeout().toMillis());
                    go.get(env.timeout().toMillis(), TimeUnit.MILLISECONDS);
                    a.getOutputStream().write(b("abc"));
                    a.shutdownOutput();
                    // Sent after a's bytes and EOF are in the aio4j side's socket: once it has this byte, its
                    // loop has polled the sockets since a's arrived.
                    b.getOutputStream().write(b("x"));
                    sent.complete(null);
                    a.getInputStream().readAllBytes(); // until the aio4j side closes
                    b.getInputStream().readAllBytes();
                } catch (Exception e) {
                    sent.completeExceptionally(e);
                }
            });
            Loop loop = newLoop();
            List<String> events = run(loop, () -> {
                Recorder a = new Recorder(loop);
                Recorder sentinel = new Recorder(loop);
                Transport ta = loop.createConnection(loopback(pausedSide), a).await();
                Transport tb = loop.createConnection(loopback(sentinelSide), sentinel).await();
                assertFalse(ta.isReadingPaused(), "a new transport must be reading (SPEC N18)");
                ta.pauseReading();
                ta.pauseReading(); // idempotent
                assertTrue(ta.isReadingPaused(), "isReadingPaused() must be true after pauseReading() (SPEC N18)");
                go.complete(null);
                loop.wrapFuture(sent).await();
                sentinel.gotData.await();
                yieldTimes(10);
                assertEquals(List.of("made"), a.events,
                        "while reading is paused, neither data nor the EOF may be delivered (SPEC N18)");
                ta.resumeReading();
                assertEquals(List.of("made"), a.events,
                        "resumeReading() must not deliver inside the call, only in a later callback (SPEC N18)");
                a.events.add("resumed");
                ta.resumeReading(); // idempotent
                assertFalse(ta.isReadingPaused(), "isReadingPaused() must be false after resumeReading() (SPEC N18)");
                a.gotEof.await();
                ta.close();
                tb.close();
                a.lost.await();
                sentinel.lost.await();
                yieldTimes(3);
                return a.events;
            });
            assertEquals(List.of("made", "resumed", "data:abc", "eof", "lost:null"), joined(events),
                    "the bytes and the EOF that arrived while reading was paused must be delivered after resumeReading, "
                            + "in order, the EOF last, connectionLost once (SPEC N18)");
        }
    }

    /**
     * A peer that accepts one connection on {@code ss}, reads nothing until {@code go} completes, then reads
     * to the end of the stream (or a reset) and completes the future it returns with every byte it read.
     */
    private CompletableFuture<byte[]> slowReader(ServerSocket ss, CompletableFuture<Void> go) {
        CompletableFuture<byte[]> received = new CompletableFuture<>();
        Thread.ofPlatform().daemon().start(() -> {
            java.io.ByteArrayOutputStream got = new java.io.ByteArrayOutputStream();
            try (Socket s = ss.accept()) {
                s.setSoTimeout((int) env.scaled(java.time.Duration.ofSeconds(30)).toMillis());
                go.get(env.scaled(java.time.Duration.ofSeconds(30)).toMillis(), TimeUnit.MILLISECONDS);
                InputStream in = s.getInputStream();
                byte[] buf = new byte[64 * 1024];
                int n;
                while ((n = in.read(buf)) >= 0) {
                    got.write(buf, 0, n);
                }
                received.complete(got.toByteArray());
            } catch (SocketException reset) {
                received.complete(got.toByteArray());
            } catch (Exception e) {
                received.completeExceptionally(e);
            }
        });
        return received;
    }

    /**
     * Writes numbered 64 KiB chunks to {@code t} until bytes stay buffered in the transport (the peer does not
     * read, so the kernel's buffers are full), and returns every byte written.
     */
    private static byte[] fillUntilBuffered(Transport t) {
        java.io.ByteArrayOutputStream written = new java.io.ByteArrayOutputStream();
        byte[] chunk = new byte[64 * 1024];
        int writes = 0;
        do {
            for (int i = 0; i < chunk.length; i++) {
                chunk[i] = (byte) (writes * 31 + i / 251);
            }
            t.write(ByteBuffer.wrap(chunk));
            written.write(chunk, 0, chunk.length);
            if (++writes > 16 * 1024) {
                fail("1 GiB written without the transport buffering anything: is the peer really not reading? (SPEC N19)");
            }
            yieldTimes(3); // a backend may hand writes to the socket at its next poll
        } while (t.writeBufferSize() == 0);
        return written.toByteArray();
    }

    /**
     * N19: close() with bytes buffered sends every one of them before closing: the transport says it is
     * closing at once, keeps its buffer, refuses writes, and connectionLost(null) comes once, after the peer
     * has read it all.
     *
     * @throws Exception an unexpected failure, which fails the test
     */
    @Test
    public void optional_N19_closeSendsEveryBufferedByteBeforeClosing() throws Exception {
        requireCapability(Capability.REAL_SOCKETS);
        try (ServerSocket ss = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CompletableFuture<Void> go = new CompletableFuture<>();
            CompletableFuture<byte[]> received = slowReader(ss, go);
            Loop loop = newLoop();
            Object[] outcome = run(loop, env.scaled(java.time.Duration.ofSeconds(30)), () -> {
                Recorder p = new Recorder(loop);
                Transport t = loop.createConnection(loopback(ss), p).await();
                assertFalse(t.isClosing(), "an open transport must not say it is closing (SPEC N19)");
                byte[] written = fillUntilBuffered(t);
                long held = t.writeBufferSize();
                t.close();
                assertTrue(t.isClosing(), "isClosing() must be true as soon as close() returns (SPEC N19)");
                assertEquals(held, t.writeBufferSize(), "close() must keep the buffered bytes, to send them (SPEC N19)");
                assertThrows(IllegalStateException.class, () -> t.write(ByteBuffer.wrap(b("late"))),
                        "write after close() must throw IllegalStateException (SPEC N19)");
                yieldTimes(5);
                assertEquals(0, p.lostCalls,
                        "connectionLost must wait until the buffered bytes are sent, not come at close() (SPEC N19)");
                go.complete(null);
                Throwable cause = p.lost.await();
                byte[] got = loop.wrapFuture(received).await();
                t.close();
                t.abort();
                yieldTimes(5);
                return new Object[] {written, got, cause, p.lostCalls};
            });
            byte[] written = (byte[]) outcome[0];
            byte[] got = (byte[]) outcome[1];
            assertEquals(written.length, got.length, "close() must send every buffered byte before closing (SPEC N19)");
            assertArrayEquals(written, got, "the bytes sent before the close must arrive intact and in order (SPEC N19)");
            assertEquals(null, outcome[2], "connectionLost after close() must be given null (SPEC N19)");
            assertEquals(1, outcome[3], "connectionLost must be called exactly once (SPEC N19)");
        }
    }

    /**
     * N19: abort() drops the buffered bytes and closes at once: the buffer is empty when it returns, the peer
     * gets less than was written, and connectionLost(null) comes once, in a later callback.
     *
     * @throws Exception an unexpected failure, which fails the test
     */
    @Test
    public void optional_N19_abortDropsTheBufferedBytes() throws Exception {
        requireCapability(Capability.REAL_SOCKETS);
        try (ServerSocket ss = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CompletableFuture<Void> go = new CompletableFuture<>();
            CompletableFuture<byte[]> received = slowReader(ss, go);
            Loop loop = newLoop();
            Object[] outcome = run(loop, env.scaled(java.time.Duration.ofSeconds(30)), () -> {
                Recorder p = new Recorder(loop);
                Transport t = loop.createConnection(loopback(ss), p).await();
                byte[] written = fillUntilBuffered(t);
                t.abort();
                assertTrue(t.isClosing(), "isClosing() must be true as soon as abort() returns (SPEC N19)");
                assertEquals(0, t.writeBufferSize(), "abort() must drop the buffered bytes (SPEC N19)");
                assertEquals(0, p.lostCalls, "connectionLost must come in a later callback, never inside abort() (SPEC N19)");
                go.complete(null);
                Throwable cause = p.lost.await();
                byte[] got = loop.wrapFuture(received).await();
                t.abort();
                t.close();
                yieldTimes(5);
                return new Object[] {written, got, cause, p.lostCalls};
            });
            byte[] written = (byte[]) outcome[0];
            byte[] got = (byte[]) outcome[1];
            assertTrue(got.length < written.length, "the bytes buffered at abort() must be dropped, but the peer got all "
                    + written.length + " (SPEC N19)");
            assertArrayEquals(java.util.Arrays.copyOf(written, got.length), got,
                    "what the peer got before the abort must be the start of what was written (SPEC N19)");
            assertEquals(null, outcome[2], "connectionLost after abort() must be given null (SPEC N19)");
            assertEquals(1, outcome[3], "connectionLost must be called exactly once (SPEC N19)");
        }
    }

    /**
     * N11: once both directions have ended, the EOF sent and the peer's received (in either order), the
     * transport closes itself: connectionLost(null) comes once, and the peer sees the socket closed.
     *
     * @throws Exception an unexpected failure, which fails the test
     */
    @Test
    public void optional_N11_bothDirectionsEndedClosesTheTransport() throws Exception {
        requireCapability(Capability.REAL_SOCKETS);
        for (boolean oursFirst : new boolean[] {true, false}) {
            try (ServerSocket ss = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                CompletableFuture<Void> peerMayEnd = new CompletableFuture<>();
                CompletableFuture<String> peerRead = new CompletableFuture<>();
                Thread.ofPlatform().daemon().start(() -> {
                    try (Socket s = ss.accept()) {
                        s.setSoTimeout((int) env.timeout().toMillis());
                        if (oursFirst) {
                            String got = new String(s.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
                            s.getOutputStream().write(b("bye"));
                            s.shutdownOutput();
                            peerRead.complete(got + "|" + s.getInputStream().read());
                        } else {
                            s.getOutputStream().write(b("bye"));
                            s.shutdownOutput();
                            peerMayEnd.get(env.timeout().toMillis(), TimeUnit.MILLISECONDS);
                            peerRead.complete(new String(s.getInputStream().readAllBytes(),
                                    java.nio.charset.StandardCharsets.UTF_8) + "|-1");
                        }
                    } catch (Exception e) {
                        peerRead.completeExceptionally(e);
                    }
                });
                Loop loop = newLoop();
                List<String> events = run(loop, () -> {
                    Recorder p = new Recorder(loop);
                    Transport t = loop.createConnection(loopback(ss), p).await();
                    t.write(ByteBuffer.wrap(b("hello")));
                    if (oursFirst) {
                        t.writeEof();
                        assertFalse(t.isClosing(), "writeEof() alone must leave the transport open for reading (SPEC N11)");
                    } else {
                        p.gotEof.await();
                        assertFalse(t.isClosing(), "the peer's EOF alone must leave the transport open for writing (SPEC N11)");
                        t.writeEof();
                        peerMayEnd.complete(null);
                    }
                    assertEquals(null, p.lost.await(), "(SPEC N11)");
                    assertEquals("hello|-1", loop.wrapFuture(peerRead).await(),
                            "the peer must read the bytes, then the end of the stream (SPEC N11)");
                    yieldTimes(5);
                    return p.events;
                });
                assertEquals(List.of("made", "data:bye", "eof", "lost:null"), joined(events),
                        "once both directions ended (" + (oursFirst ? "ours first" : "the peer's first")
                                + "), the transport must close itself, connectionLost once (SPEC N11)");
            }
        }
    }

    // ================================================================== N20 I/O on a busy loop

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
            Server server = echoServer();
            try (Connection c = Streams.openConnection("127.0.0.1", server.port())) {
                c.writer().write(b("ping\n"));
                return s(c.reader().readLine());
            } finally {
                done[0] = true;
                spinner.await();
                server.close();
                server.waitClosed();
            }
        });
        assertEquals("ping\n", echoed, "a loop that always has work ready must still poll its sockets (SPEC N20)");
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
}
