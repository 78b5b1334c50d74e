package dev.aio4j.examples;

import dev.aio4j.AsyncIO;
import dev.aio4j.net.Server;
import dev.aio4j.net.StreamReader;
import dev.aio4j.net.StreamWriter;
import dev.aio4j.net.Streams;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A line-based TCP chat server: each client gets "welcome &lt;name&gt;" once it
 * has joined, and every line it sends goes to every other client as
 * "&lt;name&gt;: &lt;line&gt;". One loop, one task per client, no lock: the
 * map of clients is touched only on the loop (asyncio's model).
 *
 * <pre>{@code
 * java -cp ... dev.aio4j.examples.ChatServer [port]      # then: nc localhost <port>
 * }</pre>
 */
public final class ChatServer {
    /** The clients that joined, by name. Loop only. */
    private final Map<String, StreamWriter> clients = new LinkedHashMap<>();
    private int joined;

    public static void main(String[] args) {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 8888;
        AsyncIO.run(() -> {
            Server server = new ChatServer().start(port);
            System.out.println("chat server on " + server.localAddress() + "; Ctrl-C stops it");
            server.waitClosed(); // until Ctrl-C cancels this task
            return null;
        });
    }

    /** Starts serving on {@code port} (0: any free one) of the loopback address. On the loop. */
    public Server start(int port) throws IOException {
        return Streams.startServer(this::serve, port);
    }

    /** How many clients are connected now. On the loop. */
    public int clientCount() {
        return clients.size();
    }

    private void serve(StreamReader reader, StreamWriter writer) throws IOException {
        String name = "user" + (++joined);
        clients.put(name, writer);
        try {
            writer.write("welcome " + name + "\n");
            writer.drain();
            byte[] line;
            while ((line = reader.readLine()).length > 0) { // empty at the end of the stream
                String text = new String(line, StandardCharsets.UTF_8).strip();
                broadcast(name, name + ": " + text + "\n");
            }
        } finally {
            clients.remove(name);
        }
    }

    /**
     * Sends {@code message} to every client but {@code from}, waiting for a
     * slow one (flow control); a client that went away meanwhile is skipped
     * (its own handler ends and removes it).
     */
    private void broadcast(String from, String message) {
        for (Map.Entry<String, StreamWriter> c : new LinkedHashMap<>(clients).entrySet()) {
            if (!c.getKey().equals(from) && !c.getValue().isClosing()) {
                c.getValue().write(message);
                try {
                    c.getValue().drain();
                } catch (IOException gone) {
                    // its connection failed: its handler's read fails too, and removes it
                }
            }
        }
    }
}
