package dev.aio4j.executor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.aio4j.AsyncIO;
import dev.aio4j.Loops;
import dev.aio4j.net.Connection;
import dev.aio4j.net.Server;
import dev.aio4j.net.Streams;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Runs the README's TCP streams example, as printed there. */
class ReadmeStreamsExampleTest {

    @Test
    void readmeStreamsExample_echoesALine() {
        String echoed = AsyncIO.run(Loops.open("executor"), () -> {
            Server server = Streams.startServer((reader, writer) -> {
                byte[] line;
                while ((line = reader.readLine()).length > 0) {   // empty at the end of the stream
                    writer.write(line);
                    writer.drain();
                }
            }, 0);                                               // loopback, any free port
            try (Connection c = Streams.openConnection("127.0.0.1", server.port())) {
                c.writer().write("hello\n");
                return new String(c.reader().readLine(), StandardCharsets.UTF_8);
            } finally {
                server.close();
            }
        });
        assertEquals("hello\n", echoed);
    }
}
