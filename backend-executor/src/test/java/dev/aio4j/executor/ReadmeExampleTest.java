package dev.aio4j.executor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Runs the README's example and checks its interleaving. */
class ReadmeExampleTest {

    @Test
    void readmeExample_interleavesTheTwoTasksAndHashesOnAThread() throws Exception {
        List<String> lines = new ArrayList<>();
        String hash = new ReadmeExample(lines::add).main();
        // fetchData starts, printNumbers prints 0..7 during the 2 s sleep (8 x 250 ms), then both finish.
        assertEquals("start fetching", lines.get(0));
        assertEquals("0", lines.get(1));
        int done = lines.indexOf("done fetching");
        assertEquals("{data: 1}", lines.get(done + 1));
        assertEquals(ReadmeExample.sha256("{data: 1}"), hash);
        assertEquals(13, lines.size(), lines.toString());
    }
}
