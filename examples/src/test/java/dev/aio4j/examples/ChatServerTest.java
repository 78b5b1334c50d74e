package dev.aio4j.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.aio4j.AsyncIO;
import dev.aio4j.Task;
import dev.aio4j.net.Connection;
import dev.aio4j.net.Server;
import dev.aio4j.net.Streams;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The chat server with many clients on one loop: every line reaches every other client. */
class ChatServerTest {
    private static final int CLIENTS = 50;

    @Test
    void everyLineReachesEveryOtherClient() {
        List<Set<String>> received = AsyncIO.run(() -> {
            ChatServer chat = new ChatServer();
            Server server = chat.start(0);
            List<Connection> connections = new ArrayList<>();
            try {
                for (int i = 0; i < CLIENTS; i++) {
                    Connection c = Streams.openConnection("127.0.0.1", server.port());
                    connections.add(c);
                    assertEquals("welcome user" + (i + 1), line(c), "each client is welcomed once it joined");
                }
                for (int i = 0; i < CLIENTS; i++) {
                    connections.get(i).writer().write("hello from " + i + "\n");
                }
                List<Task<Set<String>>> readers = new ArrayList<>();
                for (Connection c : connections) {
                    readers.add(AsyncIO.createTask(() -> {
                        Set<String> lines = new HashSet<>();
                        while (lines.size() < CLIENTS - 1) {
                            lines.add(line(c));
                        }
                        return lines;
                    }));
                }
                return AsyncIO.gather(readers).await();
            } finally {
                connections.forEach(Connection::close);
                server.close();
            }
        });
        for (int i = 0; i < CLIENTS; i++) {
            Set<String> expected = new HashSet<>();
            for (int j = 0; j < CLIENTS; j++) {
                if (j != i) {
                    expected.add("user" + (j + 1) + ": hello from " + j);
                }
            }
            assertEquals(expected, received.get(i), "client " + i + " must get every other client's line, once");
        }
    }

    private static String line(Connection c) throws Exception {
        return new String(c.reader().readLine(), StandardCharsets.UTF_8).strip();
    }
}
