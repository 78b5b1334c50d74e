package dev.aio4j.tck;

import static dev.aio4j.tck.StreamBytes.b;
import static dev.aio4j.tck.StreamBytes.s;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.aio4j.Future;
import dev.aio4j.Loop;
import dev.aio4j.net.Connection;
import dev.aio4j.net.Listener;
import dev.aio4j.net.Protocol;
import dev.aio4j.net.Server;
import dev.aio4j.net.Streams;
import dev.aio4j.net.Transport;
import dev.aio4j.spi.Capability;
import java.io.IOException;
import java.io.InputStream;
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
 * SPEC section N, a transport's life as its protocol sees it (N11, N14, N16,
 * N22 to N24): the order of the protocol's callbacks and a single
 * {@code connectionLost}, a failing callback that aborts the transport, the
 * half-close and the close once both directions have ended, a server's
 * failing protocol factory (N22), a cancelled connection attempt (N23), its
 * addresses (N24), confinement to the loop's thread, and the close of every socket with the
 * loop. These rules are {@code optional_}, for backends that declare
 * {@link Capability#REAL_SOCKETS}.
 */
public abstract class TransportVerification extends AbstractSocketsVerification {
    /** For a backend's subclass, which names its provider. */
    protected TransportVerification() {}

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
     * N14: a connectionLost that throws is reported ("protocol.connectionLost() call failed"), once, whether
     * the transport was closed or aborted, and the loop goes on.
     *
     * @throws Exception an unexpected failure, which fails the test
     */
    @Test
    public void optional_N14_connectionLostFailureIsReported() throws Exception {
        requireCapability(Capability.REAL_SOCKETS);
        RuntimeException boom = new RuntimeException("connectionLost bug");
        try (ServerSocket ss = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Thread.ofPlatform().daemon().start(() -> {
                for (int i = 0; i < 2; i++) { // one connection the client closes, one it aborts
                    try (Socket s = ss.accept()) {
                        s.setSoTimeout((int) env.timeout().toMillis());
                        s.getInputStream().readAllBytes(); // until the client closes
                    } catch (IOException e) {
                        // a reset; the client's side fails the test if its connection is never lost
                    }
                }
            });
            Loop loop = newLoop();
            String after = run(loop, () -> {
                for (boolean abort : new boolean[] {false, true}) {
                    Recorder p = new Recorder(loop) {
                        @Override
                        public void connectionLost(Throwable cause) {
                            super.connectionLost(cause);
                            throw boom;
                        }
                    };
                    Transport t = loop.createConnection(loopback(ss), p).await();
                    if (abort) {
                        t.abort();
                    } else {
                        t.close();
                    }
                    p.lost.await();
                }
                yieldTimes(3);
                return "the loop goes on";
            });
            assertEquals("the loop goes on", after, "(SPEC N14)");
            assertEquals(2, errors().stream().filter(e -> e.exception() == boom
                    && e.message().contains("protocol.connectionLost() call failed")).count(),
                    "connectionLost's exception must reach the exception handler once after close() and once "
                            + "after abort(), as \"protocol.connectionLost() call failed\" (SPEC N14): " + errors());
        }
    }

    /**
     * N14: a connectionMade that throws is reported ("protocol.connectionMade() call failed") and aborts the
     * transport: createConnection's future fails with an IOException, and the peer sees the connection closed.
     *
     * @throws Exception an unexpected failure, which fails the test
     */
    @Test
    public void optional_N14_connectionMadeFailureFailsTheConnection() throws Exception {
        requireCapability(Capability.REAL_SOCKETS);
        RuntimeException boom = new RuntimeException("connectionMade bug");
        try (ServerSocket ss = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CompletableFuture<String> peerSaw = peerReading(ss);
            Loop loop = newLoop();
            Throwable failure = run(loop, () -> {
                Future<Transport> f = loop.createConnection(loopback(ss), new Recorder(loop) {
                    @Override
                    public void connectionMade(Transport t) {
                        throw boom;
                    }
                });
                Throwable e = assertThrows(Throwable.class, f::await,
                        "createConnection must fail when connectionMade throws (SPEC N14)");
                assertEquals("the end", loop.wrapFuture(peerSaw).await(),
                        "the peer must see the connection whose connectionMade threw closed (SPEC N14)");
                return e;
            });
            assertTrue(failure instanceof IOException, "createConnection's future must fail with an IOException when"
                    + " connectionMade throws (SPEC N14): " + failure);
            assertTrue(errors().stream().anyMatch(e -> e.exception() == boom && e.message().contains("connectionMade")),
                    "connectionMade's exception must reach the exception handler naming it (SPEC N14): " + errors());
        }
    }

    /**
     * Accepts one connection on {@code ss} on a thread of its own and reads from it: "the end" once the
     * connection ends (or is reset), "a byte" if one arrives, "nothing" if it stays open for half the TCK's
     * time-out (before the loop's watchdog gives up).
     */
    private CompletableFuture<String> peerReading(ServerSocket ss) {
        CompletableFuture<String> peerSaw = new CompletableFuture<>();
        Thread.ofPlatform().daemon().start(() -> {
            try (Socket s = ss.accept()) {
                s.setSoTimeout((int) env.timeout().toMillis() / 2);
                peerSaw.complete(s.getInputStream().read() == -1 ? "the end" : "a byte");
            } catch (java.net.SocketTimeoutException e) {
                peerSaw.complete("nothing: the socket stayed open");
            } catch (IOException e) {
                peerSaw.complete("the end"); // a reset is a close too
            }
        });
        return peerSaw;
    }

    // ================================================================== N24 addresses

    /** N24: a transport gives its socket's local and remote addresses, on both sides of a connection. */
    @Test
    public void optional_N24_aTransportKnowsItsAddresses() {
        requireCapability(Capability.REAL_SOCKETS);
        Loop loop = newLoop();
        List<String> problems = run(loop, () -> {
            Recorder accepted = new Recorder(loop);
            Listener l = loop.createServer(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 10,
                    () -> accepted).await();
            Recorder client = new Recorder(loop);
            Transport t = loop.createConnection(l.localAddress(), client).await();
            t.write(ByteBuffer.wrap(b("x")));
            accepted.gotData.await();
            Transport server = accepted.transport;
            List<String> bad = new ArrayList<>();
            if (!l.localAddress().equals(t.remoteAddress())) {
                bad.add("the client's remoteAddress " + t.remoteAddress() + " is not the server's " + l.localAddress());
            }
            if (!l.localAddress().equals(server.localAddress())) {
                bad.add("the accepted side's localAddress " + server.localAddress() + " is not the server's "
                        + l.localAddress());
            }
            if (t.localAddress() == null || !t.localAddress().equals(server.remoteAddress())) {
                bad.add("the client's localAddress " + t.localAddress() + " is not the accepted side's remoteAddress "
                        + server.remoteAddress());
            }
            t.close();
            l.close();
            return bad;
        });
        assertEquals(List.of(), problems, "a transport's addresses must be its socket's (SPEC N24)");
    }

    // ================================================================== N22 failing protocol factory

    /**
     * N22: a server's protocol factory that throws, or returns null, is reported ("Error on accepting a
     * connection"), the connection it was asked for is closed (its peer reads the end), and the server
     * serves the next connection.
     */
    @Test
    public void optional_N22_aFailingProtocolFactoryLosesOnlyItsConnection() {
        requireCapability(Capability.REAL_SOCKETS);
        Loop loop = newLoop();
        RuntimeException boom = new RuntimeException("protocol factory bug");
        String served = run(loop, () -> {
            Recorder good = new Recorder(loop);
            int[] calls = {0};
            Listener l = loop.createServer(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 10, () -> {
                switch (++calls[0]) {
                    case 1:
                        throw boom;
                    case 2:
                        return null;
                    default:
                        return good;
                }
            }).await();
            int port = l.localAddress().getPort();
            for (String factory : List.of("threw", "returned null")) {
                try (Connection c = Streams.openConnection("127.0.0.1", port)) {
                    try {
                        assertEquals(0, c.reader().read(-1).length,
                                "a connection whose protocol factory " + factory + " must be closed (SPEC N22)");
                    } catch (SocketException reset) {
                        // a close before any byte may arrive as a reset
                    }
                }
            }
            try (Connection c = Streams.openConnection("127.0.0.1", port)) {
                c.writer().write(b("next"));
                good.gotData.await();
            } finally {
                l.close();
            }
            return String.join(",", joined(good.events));
        });
        assertEquals("made,data:next", served, "the server must serve the connection after the failed ones (SPEC N22)");
        List<String> accepting = new ArrayList<>();
        errors().forEach(e -> {
            if (e.message().contains("Error on accepting a connection")) {
                accepting.add(String.valueOf(e.exception()));
            }
        });
        assertEquals(2, accepting.size(),
                "each failure of the protocol factory must reach the exception handler as an error on accepting a"
                        + " connection (SPEC N22): " + errors());
        assertEquals(String.valueOf(boom), accepting.get(0), "the factory's own exception first (SPEC N22)");
        assertTrue(accepting.get(1).startsWith(NullPointerException.class.getName())
                && accepting.get(1).contains("protocol factory"),
                "a factory that returned null: a NullPointerException naming the protocol factory (SPEC N22): "
                        + accepting.get(1));
    }

    // ================================================================== N23 cancelled connection attempt

    /**
     * N23: cancelling createConnection's future while the connection is being made closes its socket (the
     * peer that accepted it reads the end) and never calls the protocol. A backend that connects within the
     * call gives a done future: it has no attempt to cancel, and this test then only closes the transport.
     *
     * @throws Exception an unexpected failure, which fails the test
     */
    @Test
    public void optional_N23_aCancelledConnectionAttemptClosesItsSocket() throws Exception {
        requireCapability(Capability.REAL_SOCKETS);
        try (ServerSocket ss = new ServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
            CompletableFuture<String> peerSaw = peerReading(ss);
            Loop loop = newLoop();
            List<String> events = run(loop, () -> {
                Recorder p = new Recorder(loop);
                Future<Transport> f = loop.createConnection(loopback(ss), p);
                if (!f.cancel()) {
                    f.await().close(); // connected within the call: nothing was cancelled
                    return null;
                }
                assertTrue(f.isCancelled(), "(SPEC N23)");
                assertEquals("the end", loop.wrapFuture(peerSaw).await(),
                        "the socket of a cancelled connection attempt must be closed (SPEC N23)");
                yieldTimes(5);
                return p.events;
            });
            if (events != null) {
                assertEquals(List.of(), events, "the protocol of a cancelled connection attempt must never be called "
                        + "(SPEC N23)");
            }
        }
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
            Listener listener = loop.createServer(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 10,
                    () -> new Recorder(null)).await();
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
                calls.put("Listener.close", listener::close);
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
                if (!listener.isServing()) {
                    bad.add("a refused Listener.close() closed the listener");
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
                listener.close();
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
     * N16: closing the loop closes its sockets: the peer sees the end of the stream, and a listener refuses
     * new connections.
     *
     * @throws Exception an unexpected failure, which fails the test
     */
    @Test
    public void optional_N16_closingTheLoopClosesItsSockets() throws Exception {
        requireCapability(Capability.REAL_SOCKETS);
        try (ServerSocket ss = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CompletableFuture<String> peerSaw = peerReading(ss);
            Loop loop = newLoop();
            Object[] open = run(loop, () -> new Object[] {
                Streams.openConnection("127.0.0.1", ss.getLocalPort()).writer().transport(), // left open
                loop.createServer(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 10,
                        () -> new Recorder(null)).await() // left listening
            });
            Transport transport = (Transport) open[0];
            Listener listener = (Listener) open[1];
            int listening = listener.localAddress().getPort();
            assertFalse(transport.isClosing(), "(SPEC N16)");
            assertTrue(listener.isServing(), "a listener not closed must be serving (SPEC N16)");
            loop.close();
            assertEquals("the end", peerSaw.get(env.timeout().toMillis(), TimeUnit.MILLISECONDS),
                    "after loop.close() the peer must see the socket closed (SPEC N16)");
            assertTrue(transport.isClosing(), "after loop.close() its transports must say they are closed (SPEC N16)");
            Throwable late = LifecycleVerification.thrownBy(() -> transport.write(ByteBuffer.wrap(b("late"))));
            assertEquals(null, late, "a transport left open when its loop closed is aborted: a write must drop its "
                    + "bytes as after abort(), not throw (SPEC N16, N19)");
            assertFalse(listener.isServing(), "after loop.close() its listeners must say they are not serving (SPEC N16)");
            assertThrows(java.net.ConnectException.class, () -> new Socket(InetAddress.getLoopbackAddress(), listening).close(),
                    "after loop.close() a listener of the loop must refuse connections (SPEC N16)");
        }
    }
}
