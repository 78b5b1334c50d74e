package dev.aio4j.netty;

import dev.aio4j.AsyncIO;
import dev.aio4j.Loop;
import dev.aio4j.LoopOptions;
import dev.aio4j.Task;
import dev.aio4j.net.Connection;
import dev.aio4j.net.Server;
import dev.aio4j.net.Streams;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Line echo round trips through the netty backend's streams: {@code clients}
 * connections, each writing {@code lines} lines of 64 bytes and reading each
 * echo back, against a server on the same loop. Not a test: run it with
 * {@code java -cp ... dev.aio4j.netty.EchoBench [clients] [lines] [rounds]}
 * and {@code -Daio4j.netty.transport=epoll|nio|io_uring} ({@code -Daio4j.backend=NAME} for another
 * backend on the class path, to compare).
 */
public final class EchoBench {
    private EchoBench() {}

    public static void main(String[] args) {
        int clients = args.length > 0 ? Integer.parseInt(args[0]) : 50;
        int lines = args.length > 1 ? Integer.parseInt(args[1]) : 2000;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 5;
        byte[] line = new byte[64];
        Arrays.fill(line, (byte) 'x');
        line[63] = '\n';
        String backend = System.getProperty("aio4j.backend", "netty");
        Loop loop = dev.aio4j.Loops.open(dev.aio4j.Loops.provider(backend), LoopOptions.defaults().withName("echo"));
        try {
            for (int r = 0; r < rounds; r++) {
                long t0 = System.nanoTime();
                loop.runUntilComplete(() -> {
                    Server server = Streams.startServer((rd, w) -> {
                        byte[] l;
                        while ((l = rd.readLine()).length > 0) {
                            w.write(l);
                            w.drain();
                        }
                    }, 0);
                    List<Task<Void>> tasks = new ArrayList<>();
                    for (int c = 0; c < clients; c++) {
                        tasks.add(AsyncIO.createTask(() -> {
                            Connection conn = Streams.openConnection("127.0.0.1", server.port());
                            for (int i = 0; i < lines; i++) {
                                conn.writer().write(line);
                                byte[] back = conn.reader().readLine();
                                if (back.length != 64) {
                                    throw new AssertionError("echo returned " + back.length + " bytes");
                                }
                            }
                            conn.close();
                            conn.writer().waitClosed();
                            return null;
                        }));
                    }
                    for (Task<Void> t : tasks) {
                        t.await();
                    }
                    server.close();
                    server.waitClosed();
                    return null;
                });
                double secs = (System.nanoTime() - t0) / 1e9;
                System.out.printf("%s round %d: %d round trips in %.3f s = %.0f /s%n", loop, r,
                        (long) clients * lines, secs, clients * lines / secs);
            }
        } finally {
            loop.close();
        }
    }
}
