package dev.aio4j.netty;

import static dev.aio4j.netty.LoopRuns.TIMEOUT;
import static dev.aio4j.netty.LoopRuns.run;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.aio4j.AsyncIO;
import dev.aio4j.Future;
import dev.aio4j.Loop;
import dev.aio4j.LoopOptions;
import dev.aio4j.Task;
import dev.aio4j.net.Connection;
import dev.aio4j.net.Protocol;
import dev.aio4j.net.Server;
import dev.aio4j.net.StreamReader;
import dev.aio4j.net.Streams;
import java.io.IOException;
import java.net.BindException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The netty backend's sockets on each Netty transport this JVM can run (the
 * TCK's streams area runs on the default one only): Netty channels per
 * transport kind, the writes and shutdowns a task makes straight to the
 * socket, and the JDK exception types Netty's native errors are turned into.
 */
class NettySocketsTest {

    private final List<Loop> loops = new ArrayList<>();

    @AfterEach
    void closeLoops() {
        for (Loop l : loops) {
            if (!l.isRunning()) {
                l.close();
            }
        }
    }

    static Stream<NettyMode> availableTransports() {
        return NettyMode.available();
    }

    private Loop open(NettyMode t) {
        Loop l = t.open("netty-sockets-" + t.transport().id);
        loops.add(l);
        return l;
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String s(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    /** Line echo, several clients at once, through the streams on channels of transport {@code t}. */
    @ParameterizedTest
    @MethodSource("availableTransports")
    void eachTransportCarriesAnEcho(NettyMode t) throws Exception {
        Loop loop = open(t);
        int echoed = run(loop, () -> {
            Server server = Streams.startServer((r, w) -> {
                byte[] line;
                while ((line = r.readLine()).length > 0) {
                    w.write(line);
                    w.drain();
                }
            }, 0);
            AtomicInteger lines = new AtomicInteger();
            List<Task<Void>> clients = new ArrayList<>();
            for (int c = 0; c < 8; c++) {
                int id = c;
                clients.add(loop.createTask(() -> {
                    Connection conn = Streams.openConnection("127.0.0.1", server.port());
                    for (int i = 0; i < 200; i++) {
                        String line = "client " + id + " line " + i + "\n";
                        conn.writer().write(line);
                        assertEquals(line, s(conn.reader().readLine()), "echo on " + t.id());
                        lines.incrementAndGet();
                    }
                    conn.close();
                    conn.writer().waitClosed();
                    return null;
                }));
            }
            for (Task<Void> c : clients) {
                c.await();
            }
            server.close();
            server.waitClosed();
            return lines.get();
        });
        assertEquals(8 * 200, echoed, "every line must come back on " + t.id());
        assertTrue(loop.toString().contains(t.transport().id), "the loop must run on " + t.id() + ": " + loop);
    }

    /**
     * writeEof half-closes (the peer reads EOF, through Netty's ChannelInputShutdownEvent with
     * ALLOW_HALF_CLOSURE) and the writer still reads the reply; both sides done closes the transport.
     */
    @ParameterizedTest
    @MethodSource("availableTransports")
    void eachTransportHalfCloses(NettyMode t) throws Exception {
        Loop loop = open(t);
        String reply = run(loop, () -> {
            Server server = Streams.startServer((r, w) -> {
                byte[] all = r.read(-1); // until the client's EOF
                w.write("got " + s(all));
                w.close();
            }, 0);
            Connection c = Streams.openConnection("127.0.0.1", server.port());
            c.writer().write("question");
            c.writer().writeEof();
            assertThrows(IllegalStateException.class, () -> c.writer().write("more"),
                    "write after writeEof must be refused on " + t.id());
            String r = s(c.reader().read(-1));
            c.writer().waitClosed(); // both directions done: the transport closes by itself
            server.close();
            server.waitClosed();
            return r;
        });
        assertEquals("got question", reply, "on " + t.id());
    }

    /**
     * A task's write never blocks, also when it goes straight to the socket: against a peer that
     * does not read, the kernel's buffers fill, the rest is buffered, pauseWriting runs inside the
     * write that crosses the high water mark, and everything arrives in order once the peer reads.
     */
    @ParameterizedTest
    @MethodSource("availableTransports")
    void eachTransportWritesWithoutBlockingAndPausesInsideWrite(NettyMode t) throws Exception {
        Loop loop = open(t);
        byte[] chunk = new byte[256 * 1024];
        int chunks = 32; // 8 MiB: more than loopback's kernel buffers
        run(loop, () -> {
            Future<StreamReader> peer = loop.createFuture();
            Future<Void> release = loop.createFuture();
            Future<byte[]> received = loop.createFuture();
            Server server = Streams.startServer((r, w) -> {
                w.transport().pauseReading();
                peer.setResult(r);
                release.await();
                w.transport().resumeReading();
                received.setResult(r.readExactly(chunk.length * chunks));
            }, 0);
            List<String> events = new ArrayList<>();
            Future<dev.aio4j.net.Transport> connected = loop.createConnection(
                    new InetSocketAddress(InetAddress.getLoopbackAddress(), server.port()), new Protocol() {
                        @Override
                        public void connectionMade(dev.aio4j.net.Transport tr) {}

                        @Override
                        public void dataReceived(ByteBuffer data) {}

                        @Override
                        public void eofReceived() {}

                        @Override
                        public void connectionLost(Throwable cause) {
                            events.add("lost");
                        }

                        @Override
                        public void pauseWriting() {
                            events.add("pause");
                        }

                        @Override
                        public void resumeWriting() {
                            events.add("resume");
                        }
                    });
            dev.aio4j.net.Transport tr = connected.await();
            peer.await();
            for (int i = 0; i < chunks; i++) {
                for (int j = 0; j < chunk.length; j++) {
                    chunk[j] = (byte) (i + j);
                }
                tr.write(ByteBuffer.wrap(chunk)); // returns: the socket is non-blocking
                if (tr.writeBufferSize() > dev.aio4j.net.Transport.DEFAULT_HIGH_WATER) {
                    assertEquals(List.of("pause"), events,
                            "pauseWriting must run inside the write that crosses the high water mark on " + t.id());
                }
            }
            assertTrue(tr.writeBufferSize() > dev.aio4j.net.Transport.DEFAULT_HIGH_WATER,
                    "8 MiB to a peer that does not read must leave bytes buffered on " + t.id());
            release.setResult(null);
            byte[] got = received.await();
            for (int i = 0; i < chunks; i++) {
                for (int j = 0; j < chunk.length; j++) {
                    chunk[j] = (byte) (i + j);
                }
                assertArrayEquals(chunk, java.util.Arrays.copyOfRange(got, i * chunk.length, (i + 1) * chunk.length),
                        "chunk " + i + " must arrive whole and in order on " + t.id());
            }
            assertEquals(0, tr.writeBufferSize(), "all sent: nothing buffered on " + t.id());
            assertEquals(List.of("pause", "resume"), events, "on " + t.id());
            tr.close();
            server.close();
            server.waitClosed();
            return null;
        });
    }

    /**
     * A burst of connections is accepted at once, not one per poll (Netty 4.2 accepts one per
     * readiness by default): when every client is connected, the server holds every connection.
     */
    @ParameterizedTest
    @MethodSource("availableTransports")
    void eachTransportAcceptsABurstOfConnectionsAtOnce(NettyMode t) throws Exception {
        Loop loop = open(t);
        int clients = 300;
        int open = run(loop, () -> {
            Server server = Streams.startServer((r, w) -> r.read(-1), null, 0, StreamReader.DEFAULT_LIMIT, clients);
            Future<Void> allConnected = loop.createFuture();
            int[] connected = {0};
            List<Task<Void>> tasks = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                tasks.add(loop.createTask(() -> {
                    try (Connection conn = Streams.openConnection("127.0.0.1", server.port())) {
                        if (++connected[0] == clients) {
                            allConnected.setResult(null);
                        }
                        allConnected.await();
                    }
                    return null;
                }));
            }
            allConnected.await();
            int n = server.connectionCount();
            for (Task<Void> task : tasks) {
                task.await();
            }
            server.close();
            server.waitClosed();
            return n;
        });
        assertEquals(clients, open, "the server must have accepted every connected client on " + t.id());
    }

    /** A listener's close refuses new connections at once, also on io_uring and NIO, whose close is deferred. */
    @ParameterizedTest
    @MethodSource("availableTransports")
    void eachTransportRefusesConnectionsOnceTheListenerIsClosed(NettyMode t) throws Exception {
        Loop loop = open(t);
        run(loop, () -> {
            Server server = Streams.startServer((r, w) -> r.read(-1), 0);
            int port = server.port();
            Connection kept = Streams.openConnection("127.0.0.1", port);
            server.close();
            assertFalse(server.isServing(), "on " + t.id());
            ConnectException e = assertThrows(ConnectException.class, () -> Streams.openConnection("127.0.0.1", port),
                    "a closed listener must refuse connections on " + t.id());
            assertSame(ConnectException.class, e.getClass(),
                    "callers get the JDK's ConnectException, not Netty's subclass, on " + t.id());
            kept.close();
            server.waitClosed();
            return null;
        });
    }

    /** Netty's native errors reach callers as the JDK's types: ConnectException and BindException. */
    @ParameterizedTest
    @MethodSource("availableTransports")
    void eachTransportReportsJdkExceptionTypes(NettyMode t) throws Exception {
        int free;
        try (ServerSocket ss = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            free = ss.getLocalPort();
        }
        Loop loop = open(t);
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            run(loop, () -> {
                ConnectException refused = assertThrows(ConnectException.class,
                        () -> Streams.openConnection("127.0.0.1", free), "on " + t.id());
                assertSame(ConnectException.class, refused.getClass(), "on " + t.id() + ": " + refused);
                IOException inUse = assertThrows(IOException.class,
                        () -> Streams.startServer((r, w) -> {}, "127.0.0.1", taken.getLocalPort()), "on " + t.id());
                assertSame(BindException.class, inUse.getClass(), "a port in use is a BindException on " + t.id()
                        + ": " + inUse);
                return null;
            });
        }
    }

    /**
     * SPEC N16 on every transport: once loop.close() returns, a listener the loop left open refuses
     * connections (io_uring releases a listening socket with an accept pending only later, unless it
     * was shut down first).
     */
    @ParameterizedTest
    @MethodSource("availableTransports")
    void eachTransportRefusesConnectionsOnceTheLoopIsClosed(NettyMode t) throws Exception {
        Loop loop = open(t);
        int port = run(loop, () -> Streams.startServer((r, w) -> {}, 0).port()); // left listening
        loop.close();
        assertThrows(ConnectException.class, () -> new Socket(InetAddress.getLoopbackAddress(), port).close(),
                "after loop.close() its listener must refuse connections, on " + t.id());
    }

    /** close() from a task shuts the socket down at once: a plain JDK peer sees EOF without the loop polling. */
    @ParameterizedTest
    @MethodSource("availableTransports")
    void eachTransportClosesAtOnceFromATask(NettyMode t) throws Exception {
        try (ServerSocket ss = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Loop loop = open(t);
            CompletableFuture<Socket> accepted = new CompletableFuture<>();
            Thread.ofPlatform().daemon().start(() -> {
                try {
                    accepted.complete(ss.accept());
                } catch (IOException e) {
                    accepted.completeExceptionally(e);
                }
            });
            run(loop, () -> {
                Connection c = Streams.openConnection("127.0.0.1", ss.getLocalPort());
                c.writer().write("bye");
                c.close();
                return null; // the loop stops now: nothing polls Netty after close()
            });
            try (Socket peer = accepted.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                peer.setSoTimeout((int) TIMEOUT.toMillis());
                assertEquals("bye", s(peer.getInputStream().readAllBytes()),
                        "the peer must get the bytes, then EOF, though the loop stopped right after close() on "
                                + t.id());
            }
        }
    }

    /** Protocol callbacks run on the loop (Netty's handler, in the loop strand's polls). */
    @ParameterizedTest
    @MethodSource("availableTransports")
    void eachTransportCallsTheProtocolOnTheLoop(NettyMode t) throws Exception {
        Loop loop = open(t);
        List<String> offLoop = new ArrayList<>();
        run(loop, () -> {
            Server server = Streams.startServer((r, w) -> {
                w.write(r.readLine());
                w.close();
            }, 0);
            Future<Void> lost = loop.createFuture();
            dev.aio4j.net.Transport tr = loop.createConnection(
                    new InetSocketAddress(InetAddress.getLoopbackAddress(), server.port()), new Protocol() {
                        private dev.aio4j.net.Transport mine;

                        private void check(String what) {
                            if (!loop.inLoop()) {
                                offLoop.add(what + " on " + Thread.currentThread());
                            }
                        }

                        @Override
                        public void connectionMade(dev.aio4j.net.Transport tr) {
                            check("connectionMade");
                            mine = tr;
                        }

                        @Override
                        public void dataReceived(ByteBuffer data) {
                            check("dataReceived");
                        }

                        @Override
                        public void eofReceived() {
                            check("eofReceived");
                            mine.close(); // the transport stays open for writing until closed
                        }

                        @Override
                        public void connectionLost(Throwable cause) {
                            check("connectionLost");
                            lost.setResult(null);
                        }
                    }).await();
            tr.write(ByteBuffer.wrap(b("ping\n")));
            lost.await();
            server.close();
            server.waitClosed();
            return null;
        });
        assertEquals(List.of(), offLoop, "protocol callbacks must run on the loop on " + t.id());
    }
}
