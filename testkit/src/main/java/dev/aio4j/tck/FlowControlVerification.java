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

import dev.aio4j.Future;
import dev.aio4j.Loop;
import dev.aio4j.Task;
import dev.aio4j.net.Connection;
import dev.aio4j.net.Listener;
import dev.aio4j.net.Server;
import dev.aio4j.net.StreamReader;
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
import org.junit.jupiter.api.Test;

/**
 * SPEC section N, a transport's flow control (N9, N10, N18, N19) and its text (N25): the write
 * water marks and {@code drain}, the protocol paused and resumed around them,
 * {@code drain} after the connection is lost, reading paused and resumed,
 * and the bytes still buffered when the transport is closed or aborted.
 * These rules are {@code optional_}, for backends that declare
 * {@link Capability#REAL_SOCKETS}.
 */
public abstract class FlowControlVerification extends AbstractSocketsVerification {
    /** For a backend's subclass, which names its provider. */
    protected FlowControlVerification() {}

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
        try (SlowPeer peer = new SlowPeer()) {
            Loop loop = peer.loop;
            List<String> problems = peer.run(() -> {
                List<String> bad = new ArrayList<>();
                Recorder p = new Recorder(loop);
                Transport t = loop.createConnection(peer.address(), p).await();
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
                    peer.go.complete(null);
                    p.resumed.await();
                    String resume = p.flow.get(p.flow.size() - 1);
                    long at = Long.parseLong(resume.substring("resume@".length()));
                    if (p.flow.size() != 2 || at > low) {
                        bad.add("after the pause, resumeWriting must come once the buffer is at or below the low mark "
                                + low + ": " + p.flow);
                    }
                }
                peer.go.complete(null);
                t.close();
                p.lost.await();
                loop.wrapFuture(peer.received).await();
                return bad;
            });
            assertEquals(List.of(), problems, "SPEC N9");
        }
    }

    /**
     * N9: a protocol whose pauseWriting and resumeWriting throw: each exception reaches the exception handler
     * naming the callback, and the transport goes on, every byte delivered.
     *
     * @throws Exception an unexpected failure, which fails the test
     */
    @Test
    public void optional_N9_aFailingPauseOrResumeWritingIsReportedAndTheTransportGoesOn() throws Exception {
        requireCapability(Capability.REAL_SOCKETS);
        long high = 64 * 1024;
        RuntimeException pauseBug = new RuntimeException("pauseWriting bug");
        RuntimeException resumeBug = new RuntimeException("resumeWriting bug");
        try (SlowPeer peer = new SlowPeer()) {
            Loop loop = peer.loop;
            long[] written = {0};
            int got = peer.run(() -> {
                Recorder p = new Recorder(loop) {
                    @Override
                    public void pauseWriting() {
                        super.pauseWriting();
                        throw pauseBug;
                    }

                    @Override
                    public void resumeWriting() {
                        super.resumeWriting();
                        throw resumeBug;
                    }
                };
                Transport t = loop.createConnection(peer.address(), p).await();
                t.setWriteBufferLimits(high, high / 4);
                byte[] chunk = new byte[16 * 1024];
                while (p.flow.isEmpty() && written[0] < (1L << 30)) {
                    t.write(ByteBuffer.wrap(chunk));
                    written[0] += chunk.length;
                    yieldTimes(1); // a backend may hand writes to the socket at its next poll
                }
                peer.go.complete(null);
                p.resumed.await();
                t.close();
                p.lost.await();
                return loop.wrapFuture(peer.received).await().length;
            });
            assertEquals(written[0], got, "after its protocol's pauseWriting and resumeWriting threw, the transport must"
                    + " still deliver every byte (SPEC N9)");
            for (String callback : List.of("pauseWriting", "resumeWriting")) {
                RuntimeException bug = callback.equals("pauseWriting") ? pauseBug : resumeBug;
                assertTrue(errors().stream().anyMatch(e -> e.exception() == bug && e.message().contains(callback)),
                        callback + "'s exception must reach the exception handler naming it (SPEC N9): " + errors());
            }
        }
    }

    /**
     * N9: new water marks apply at once: setWriteBufferLimits pauses the protocol, inside the call, when the
     * buffer is above the new high mark (not at it), and resumes a paused one when the buffer is at or below
     * the new low mark (not above it).
     *
     * @throws Exception an unexpected failure, which fails the test
     */
    @Test
    public void optional_N9_newWaterMarksApplyAtOnce() throws Exception {
        requireCapability(Capability.REAL_SOCKETS);
        try (SlowPeer peer = new SlowPeer()) {
            Loop loop = peer.loop;
            List<String> flows = peer.run(() -> {
                Recorder p = new Recorder(loop);
                Transport t = loop.createConnection(peer.address(), p).await();
                t.setWriteBufferLimits(Long.MAX_VALUE, 0); // never paused while the buffer fills
                fillUntilBuffered(t);
                long held = t.writeBufferSize(); // the same until this task awaits: nothing flushes meanwhile
                List<String> seen = new ArrayList<>();
                t.setWriteBufferLimits(held, 0);
                seen.add(String.join(",", p.flow));
                t.setWriteBufferLimits(held - 1, 0);
                seen.add(String.join(",", p.flow));
                t.setWriteBufferLimits(held + 1, held - 1);
                seen.add(String.join(",", p.flow));
                t.setWriteBufferLimits(held + 1, held);
                seen.add(String.join(",", p.flow));
                peer.go.complete(null);
                t.close();
                p.lost.await();
                loop.wrapFuture(peer.received).await();
                seen.add("held " + held);
                return seen;
            });
            String held = flows.get(4).substring("held ".length());
            assertEquals("", flows.get(0), "a high mark equal to the buffer's size must not pause the protocol (SPEC N9)");
            assertEquals("pause@" + held, flows.get(1),
                    "a high mark below the buffer's size must pause the protocol inside setWriteBufferLimits (SPEC N9)");
            assertEquals("pause@" + held, flows.get(2),
                    "a low mark below the buffer's size must not resume a paused protocol (SPEC N9)");
            assertEquals("pause@" + held + ",resume@" + held, flows.get(3), "a paused protocol must be resumed inside "
                    + "setWriteBufferLimits once the low mark is at the buffer's size (SPEC N9)");
        }
    }

    /**
     * N9: bytes arrive in the order they were written, also when the socket has room again but the
     * transport has not yet sent what it holds: a new write goes behind the held bytes, never ahead of them.
     *
     * @throws Exception an unexpected failure, which fails the test
     */
    @Test
    public void optional_N9_aWriteNeverOvertakesHeldBytes() throws Exception {
        requireCapability(Capability.REAL_SOCKETS);
        try (ServerSocket ss = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CompletableFuture<Void> go = new CompletableFuture<>();
            CompletableFuture<Void> someRead = new CompletableFuture<>();
            CompletableFuture<byte[]> received = new CompletableFuture<>();
            Thread.ofPlatform().daemon().start(() -> { // reads a little on go, says so, then the rest after a second go
                java.io.ByteArrayOutputStream got = new java.io.ByteArrayOutputStream();
                try (Socket s = ss.accept()) {
                    s.setSoTimeout((int) env.scaled(java.time.Duration.ofSeconds(30)).toMillis());
                    go.get(env.scaled(java.time.Duration.ofSeconds(30)).toMillis(), TimeUnit.MILLISECONDS);
                    InputStream in = s.getInputStream();
                    got.write(in.readNBytes(32 * 1024)); // less than any kernel holds once it refuses bytes
                    someRead.complete(null);
                    got.write(in.readAllBytes());
                    received.complete(got.toByteArray());
                } catch (Exception e) {
                    someRead.completeExceptionally(e);
                    received.completeExceptionally(e);
                }
            });
            Loop loop = newLoop();
            Object[] outcome = run(loop, env.scaled(java.time.Duration.ofSeconds(30)), () -> {
                Recorder p = new Recorder(loop);
                Transport t = loop.createConnection(loopback(ss), p).await();
                t.setWriteBufferLimits(Long.MAX_VALUE, 0);
                byte[] written = fillUntilBuffered(t);
                go.complete(null);
                // Wait without letting the loop poll (it would send the held bytes): the socket now has room,
                // and the transport still holds bytes.
                long deadline = System.nanoTime() + env.scaled(java.time.Duration.ofSeconds(30)).toNanos();
                while (!someRead.isDone() && System.nanoTime() < deadline) {
                    Thread.onSpinWait();
                }
                assertTrue(t.writeBufferSize() > 0, "(the transport must still hold bytes for this test)");
                byte[] tail = b("the tail, written last");
                t.write(ByteBuffer.wrap(tail));
                t.close();
                p.lost.await();
                byte[] all = java.util.Arrays.copyOf(written, written.length + tail.length);
                System.arraycopy(tail, 0, all, written.length, tail.length);
                return new Object[] {all, loop.wrapFuture(received).await()};
            });
            byte[] all = (byte[]) outcome[0];
            byte[] got = (byte[]) outcome[1];
            assertEquals(all.length, got.length, "every byte written must arrive (SPEC N9)");
            assertArrayEquals(all, got, "bytes must arrive in the order written: a write must not overtake the "
                    + "bytes the transport holds (SPEC N9)");
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

    /**
     * N10: a connection reset by its peer gives connectionLost the error (a SocketException), not null: null
     * is for a close, an EOF or an abort.
     *
     * @throws Exception an unexpected failure, which fails the test
     */
    @Test
    public void optional_N10_aResetGivesConnectionLostItsCause() throws Exception {
        requireCapability(Capability.REAL_SOCKETS);
        try (ServerSocket ss = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Thread.ofPlatform().daemon().start(() -> {
                try (Socket s = ss.accept()) {
                    s.setSoTimeout((int) env.timeout().toMillis());
                    s.getInputStream().read(); // the first byte: the connection is up on both sides
                    s.setSoLinger(true, 0); // the close below sends a reset, not an EOF
                } catch (IOException e) {
                    // the test fails on its own
                }
            });
            Loop loop = newLoop();
            Throwable cause = run(loop, () -> {
                Recorder p = new Recorder(loop);
                Transport t = loop.createConnection(loopback(ss), p).await();
                t.write(ByteBuffer.wrap(b("x")));
                return p.lost.await();
            });
            assertTrue(cause instanceof SocketException, "a connection reset by its peer must give connectionLost a "
                    + "SocketException (SPEC N10), gave " + cause);
        }
    }

    // ================================================================== N18 read flow control

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

    // ================================================================== N19 closing with bytes buffered

    /**
     * A new loop and a peer for it that accepts one connection, reads nothing until {@link #go} completes,
     * then reads to the end ({@link #received}): the set-up of the rules that need bytes held in a transport.
     */
    private final class SlowPeer implements AutoCloseable {
        final ServerSocket ss = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        final CompletableFuture<Void> go = new CompletableFuture<>();
        final CompletableFuture<byte[]> received = slowReader(ss, go);
        final Loop loop = newLoop();

        SlowPeer() throws IOException {}

        InetSocketAddress address() {
            return loopback(ss);
        }

        /** Runs {@code main} as a task of the loop, with 30 s (scaled) for the bytes to go through. */
        <T> T run(dev.aio4j.Coroutine<T> main) {
            return FlowControlVerification.this.run(loop, env.scaled(java.time.Duration.ofSeconds(30)), main);
        }

        @Override
        public void close() throws IOException {
            ss.close();
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
        try (SlowPeer peer = new SlowPeer()) {
            Loop loop = peer.loop;
            Object[] outcome = peer.run(() -> {
                Recorder p = new Recorder(loop);
                Transport t = loop.createConnection(peer.address(), p).await();
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
                peer.go.complete(null);
                Throwable cause = p.lost.await();
                byte[] got = loop.wrapFuture(peer.received).await();
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
     * N19: once close() returned, the protocol gets no more data, though the transport still sends what it
     * holds and the peer's bytes keep arriving meanwhile.
     *
     * @throws Exception an unexpected failure, which fails the test
     */
    @Test
    public void optional_N19_noDataIsDeliveredAfterClose() throws Exception {
        requireCapability(Capability.REAL_SOCKETS);
        try (ServerSocket ss = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CompletableFuture<Void> talk = new CompletableFuture<>();
            CompletableFuture<Void> talked = new CompletableFuture<>();
            CompletableFuture<Void> go = new CompletableFuture<>();
            CompletableFuture<byte[]> received = new CompletableFuture<>();
            Thread.ofPlatform().daemon().start(() -> { // writes when told, then reads everything when told
                long wait = env.scaled(java.time.Duration.ofSeconds(30)).toMillis();
                try (Socket s = ss.accept()) {
                    s.setSoTimeout((int) wait);
                    talk.get(wait, TimeUnit.MILLISECONDS);
                    s.getOutputStream().write(b("after your close\n"));
                    s.getOutputStream().flush();
                    talked.complete(null);
                    go.get(wait, TimeUnit.MILLISECONDS);
                    try {
                        received.complete(s.getInputStream().readAllBytes());
                    } catch (SocketException reset) { // closed with our bytes unread: the kernel may reset
                        received.complete(new byte[0]);
                    }
                } catch (Exception e) {
                    talked.completeExceptionally(e);
                    received.completeExceptionally(e);
                }
            });
            Loop loop = newLoop();
            List<String> events = run(loop, env.scaled(java.time.Duration.ofSeconds(30)), () -> {
                Recorder p = new Recorder(loop);
                Transport t = loop.createConnection(loopback(ss), p).await();
                fillUntilBuffered(t);
                t.close(); // bytes still held: the transport stays open for sending
                talk.complete(null);
                loop.wrapFuture(talked).await(); // the peer's bytes are in this socket's buffer now
                yieldTimes(5); // the loop polls its sockets meanwhile
                go.complete(null);
                p.lost.await();
                loop.wrapFuture(received).await();
                return p.events;
            });
            assertEquals(List.of("made", "lost:null"), events,
                    "after close() the protocol must get no more data, only connectionLost (SPEC N19)");
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
        try (SlowPeer peer = new SlowPeer()) {
            Loop loop = peer.loop;
            Object[] outcome = peer.run(() -> {
                Recorder p = new Recorder(loop);
                Transport t = loop.createConnection(peer.address(), p).await();
                byte[] written = fillUntilBuffered(t);
                t.abort();
                assertTrue(t.isClosing(), "isClosing() must be true as soon as abort() returns (SPEC N19)");
                assertEquals(0, t.writeBufferSize(), "abort() must drop the buffered bytes (SPEC N19)");
                assertEquals(0, p.lostCalls, "connectionLost must come in a later callback, never inside abort() (SPEC N19)");
                peer.go.complete(null);
                Throwable cause = p.lost.await();
                byte[] got = loop.wrapFuture(peer.received).await();
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

    // ================================================================== N25 text

    /**
     * What is wrong with {@code t}'s text by N25, in the state the test put it in ({@code closing}: from
     * close() until closed); empty if nothing.
     */
    private static List<String> wrongText(Transport t, boolean closing, boolean closed) {
        String text = t.toString();
        long buffered = t.writeBufferSize();
        List<String> bad = new ArrayList<>();
        if (!text.contains(String.valueOf(t.localAddress())) || !text.contains(String.valueOf(t.remoteAddress()))) {
            bad.add("not both addresses " + t.localAddress() + " and " + t.remoteAddress());
        }
        if (buffered > 0 ? !text.contains(buffered + " bytes buffered") : text.contains("buffered")) {
            bad.add(buffered > 0 ? "no \"" + buffered + " bytes buffered\"" : "\"buffered\" with nothing buffered");
        }
        if (closing != text.contains("closing")) {
            bad.add(closing ? "no \"closing\"" : "\"closing\"");
        }
        if (closed != text.contains("closed")) {
            bad.add(closed ? "no \"closed\"" : "\"closed\"");
        }
        if (text.contains("null")) {
            bad.add("\"null\"");
        }
        return bad.isEmpty() ? bad : List.of("\"" + text + "\" has " + String.join(", ", bad));
    }

    /**
     * N25: a transport's text names both its addresses and tells how many bytes it holds to send, whether it
     * is closing and whether it is closed; a listener's names its address and tells whether it is closed.
     *
     * @throws Exception an unexpected failure, which fails the test
     */
    @Test
    public void optional_N25_aTransportsTextTellsItsState() throws Exception {
        requireCapability(Capability.REAL_SOCKETS);
        try (SlowPeer peer = new SlowPeer()) {
            Loop loop = peer.loop;
            List<String> problems = peer.run(() -> {
                List<String> bad = new ArrayList<>();
                Recorder p = new Recorder(loop);
                Transport t = loop.createConnection(peer.address(), p).await();
                bad.addAll(wrongText(t, false, false));
                fillUntilBuffered(t);
                bad.addAll(wrongText(t, false, false));
                t.close();
                bad.addAll(wrongText(t, true, false));
                peer.go.complete(null);
                p.lost.await();
                bad.addAll(wrongText(t, false, true));
                loop.wrapFuture(peer.received).await();

                Listener l = loop.createServer(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 10,
                        () -> new Recorder(loop)).await();
                String open = l.toString();
                l.close();
                String closed = l.toString();
                if (!open.contains(String.valueOf(l.localAddress())) || open.contains("closed")) {
                    bad.add("an open listener's text \"" + open + "\" must name " + l.localAddress()
                            + " and not say \"closed\"");
                }
                if (!closed.contains("closed") || closed.contains("null")) {
                    bad.add("a closed listener's text \"" + closed + "\" must say \"closed\"");
                }
                return bad;
            });
            assertEquals(List.of(), problems, "a transport's and a listener's text must tell their state (SPEC N25)");
        }
    }
}
