package dev.aio4j.tck;

import static dev.aio4j.tck.StreamBytes.s;

import dev.aio4j.Future;
import dev.aio4j.Loop;
import dev.aio4j.net.Protocol;
import dev.aio4j.net.Server;
import dev.aio4j.net.Streams;
import dev.aio4j.net.Transport;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * The base of the verifications of SPEC section N's sockets component: TCP
 * connections and servers through {@code Loop.createConnection}/{@code createServer}
 * and the {@link Streams} built on them. Socket tests use loopback only,
 * with ephemeral ports; some use a plain JDK {@link Socket} as the peer, so
 * that a backend is checked against the operating system's view of the
 * bytes, not only against itself.
 *
 * <p>The rules are split in three classes, which all report as the area
 * "Sockets": {@link SocketsVerification} (the capability, connections and
 * servers), {@link TransportVerification} (a transport's life as its
 * protocol sees it, its thread and its close) and
 * {@link FlowControlVerification} (buffering and back-pressure in both
 * directions). The reader rules are in {@link StreamReaderVerification}.
 */
abstract class AbstractSocketsVerification extends AbstractVerification {
    /** For the Sockets area's classes. */
    AbstractSocketsVerification() {}

    @Override
    protected String area() {
        return "Sockets";
    }

    /** An echo server: writes every line back, until EOF. */
    static Server echoServer() throws IOException {
        return Streams.startServer((r, w) -> {
            byte[] line;
            while ((line = r.readLine()).length > 0) {
                w.write(line);
                w.drain();
            }
        }, 0);
    }

    /**
     * A protocol that records its callbacks ("made", "data:...", "eof", "lost:cause") and completes
     * {@link #gotData}, {@link #gotEof} and {@link #lost} as they come; with a null loop, it only records.
     */
    static class Recorder implements Protocol {
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
    static List<String> joined(List<String> events) {
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

    /** Where {@code ss} listens, on the loopback address: for a transport to connect to the plain JDK peer. */
    static InetSocketAddress loopback(ServerSocket ss) {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), ss.getLocalPort());
    }

    /** Yields {@code n} times: lets the loop run that many iterations. */
    static void yieldTimes(int n) {
        for (int i = 0; i < n; i++) {
            dev.aio4j.AsyncIO.sleep0();
        }
    }
}
