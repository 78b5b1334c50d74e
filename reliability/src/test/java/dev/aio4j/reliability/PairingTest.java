package dev.aio4j.reliability;

import static dev.aio4j.reliability.Harness.run;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.aio4j.AsyncIO;
import dev.aio4j.Loop;
import dev.aio4j.Task;
import dev.aio4j.net.Connection;
import dev.aio4j.net.Server;
import dev.aio4j.net.StreamReader;
import dev.aio4j.net.StreamWriter;
import dev.aio4j.net.Streams;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Transport pairing, as Netty's testsuite pairs every client transport
 * with every server transport: for each pair of targets, a client loop of
 * one talks to a server on a loop of the other (its own thread), over
 * loopback: an echo of scale x 200 lines on 2 connections at once, written
 * by one task while another reads, then a half-close (the client's
 * writeEof) answered by the server's summary and the end of the stream.
 */
@Order(5)
class PairingTest {
    private static final int CONNECTIONS = 2;
    /** One server loop per server target, started on first use and stopped after the class. */
    private static final Map<String, ServerLoop> SERVERS = new LinkedHashMap<>();

    private final Harness.Scope scope = new Harness.Scope();

    static Stream<Arguments> pairs() {
        List<Arguments> out = new ArrayList<>();
        for (Target c : Target.all()) {
            for (Target s : Target.all()) {
                out.add(Arguments.of(c, s));
            }
        }
        return out.stream();
    }

    @AfterEach
    void closeLoops() throws Exception {
        scope.close();
    }

    @AfterAll
    static void stopServers() throws Exception {
        List<String> problems = new ArrayList<>();
        synchronized (SERVERS) {
            for (ServerLoop s : SERVERS.values()) {
                problems.addAll(s.stop());
            }
            SERVERS.clear();
        }
        assertEquals(List.of(), problems, "the server loops");
    }

    /** The server: echoes each line, and after the client's EOF sends "bye COUNT" and ends the stream. */
    private static void serve(StreamReader reader, StreamWriter writer) throws Exception {
        int count = 0;
        byte[] line;
        while ((line = reader.readLine()).length > 0) {
            writer.write(line);
            writer.drain();
            count++;
        }
        writer.write("bye " + count + "\n");
        writer.drain();
    }

    private static ServerLoop server(Target t) throws Exception {
        synchronized (SERVERS) {
            ServerLoop s = SERVERS.get(t.id());
            if (s == null) {
                s = new ServerLoop(t);
                SERVERS.put(t.id(), s);
            }
            return s;
        }
    }

    @ParameterizedTest(name = "{0} client -> {1} server")
    @MethodSource("pairs")
    void echoThenHalfCloseBetweenEveryClientAndServerTarget(Target client, Target serverTarget) throws Exception {
        ServerLoop server = server(serverTarget);
        int lines = Knobs.scaled(200);
        Loop loop = scope.open(client, "pair-client");
        String pad = "x".repeat(80);
        List<String> problems = run(loop, () -> {
            List<Task<String>> conns = new ArrayList<>();
            for (int k = 0; k < CONNECTIONS; k++) {
                int conn = k;
                conns.add(loop.createTask(() -> {
                    Connection c = Streams.openConnection("127.0.0.1", server.port);
                    try {
                        Task<Void> writer = loop.createTask(() -> {
                            for (int j = 0; j < lines; j++) {
                                c.writer().write(conn + ":" + j + ":" + pad + "\n");
                                if (j % 64 == 63) {
                                    c.writer().drain();
                                }
                            }
                            c.writer().drain();
                            c.writer().writeEof();
                            return null;
                        });
                        for (int j = 0; j < lines; j++) {
                            String got = new String(c.reader().readLine(), StandardCharsets.UTF_8);
                            String want = conn + ":" + j + ":" + pad + "\n";
                            if (!got.equals(want)) {
                                writer.cancel();
                                return "connection " + conn + ", line " + j + ": got " + got.strip();
                            }
                        }
                        writer.await();
                        String bye = new String(c.reader().readLine(), StandardCharsets.UTF_8);
                        if (!bye.equals("bye " + lines + "\n")) {
                            return "connection " + conn + ": after its EOF the server said " + bye.strip();
                        }
                        byte[] end = c.reader().readLine();
                        if (end.length != 0) {
                            return "connection " + conn + ": " + end.length + " bytes after the server's summary";
                        }
                        return null;
                    } finally {
                        c.close();
                        c.writer().waitClosed();
                    }
                }));
            }
            List<String> out = new ArrayList<>();
            for (Task<String> t : conns) {
                String p = t.await();
                if (p != null) {
                    out.add(p);
                }
            }
            AsyncIO.sleep0();
            return out;
        });
        assertEquals(List.of(), problems, client + " client -> " + serverTarget + " server");
        scope.errors(loop).assertNone("the client loop");
        server.errors.assertNone("the server loop of " + serverTarget);
    }

    /** A server on a loop of its own, run by a thread of its own until {@link #stop()}. */
    private static final class ServerLoop {
        final Target target;
        final Loop loop;
        final Harness.Recorder errors = new Harness.Recorder();
        final CompletableFuture<Void> stopping = new CompletableFuture<>();
        final CompletableFuture<Void> ended = new CompletableFuture<>();
        final Thread thread;
        final int port;

        ServerLoop(Target target) throws Exception {
            this.target = target;
            this.loop = target.open("pair-server");
            loop.setExceptionHandler(errors);
            CompletableFuture<Integer> listening = new CompletableFuture<>();
            thread = Thread.ofPlatform().daemon().name("reliability-server-" + target.id()).start(() -> {
                try {
                    loop.runUntilComplete(() -> {
                        Server server = Streams.startServer(PairingTest::serve, 0);
                        listening.complete(server.port());
                        try {
                            loop.wrapFuture(stopping).await();
                        } finally {
                            server.close();
                            server.abortClients();
                            server.waitClosed();
                        }
                        return null;
                    });
                    ended.complete(null);
                } catch (Throwable e) {
                    listening.completeExceptionally(e);
                    ended.completeExceptionally(e);
                }
            });
            port = Harness.get("the " + target + " server to listen", listening);
        }

        List<String> stop() throws Exception {
            List<String> problems = new ArrayList<>();
            stopping.complete(null);
            Throwable t = Harness.thrown(() -> Harness.get("the " + target + " server loop to end", ended));
            if (t != null) {
                problems.add(target + " server loop: " + t);
            }
            Harness.join("the " + target + " server thread", thread);
            loop.close();
            for (var c : errors.all()) {
                problems.add(target + " server reported " + c.message() + ": " + c.exception());
            }
            return problems;
        }
    }
}
