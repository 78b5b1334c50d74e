package dev.aio4j.examples.readme;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every Java block of the README compiles as printed: each is held, between
 * "README:begin" and "README:end", by a source file of this module's tests,
 * which the build compiles; this test checks that the README shows exactly
 * those lines (indentation aside), and runs the first block's program and
 * the streams block.
 */
class ReadmeSnippetsTest {
    private static final Path MODULE = Path.of("").toAbsolutePath();
    private static final Path README = MODULE.resolveSibling("README.md");
    private static final Path TEST_SOURCES = MODULE.resolve("src/test/java");

    @Test
    void everyJavaBlockOfTheReadmeIsHeldByCompiledCode() throws IOException {
        List<String> blocks = blocks(Files.readAllLines(README));
        List<String> held = held();
        assertTrue(blocks.size() >= 6, "the README's Java blocks: " + blocks.size());
        for (String block : blocks) {
            assertTrue(held.contains(block), "this README block is not held by a compiled source between "
                    + "README:begin and README:end (copy it there, or fix it so that it compiles):\n" + block);
        }
        assertEquals(blocks.size(), held.size(), "a held snippet that the README no longer shows: remove it");
    }

    @Test
    void theFirstBlockRunsAsPrinted() throws Exception {
        Method main = Class.forName("Example").getMethod("main", String[].class);
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream original = System.out;
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            main.invoke(null, (Object) new String[0]);
        } finally {
            System.setOut(original);
        }
        List<String> lines = captured.toString(StandardCharsets.UTF_8).lines().toList();
        // fetchData starts, printNumbers prints 0..7 during the 2 s sleep (8 x 250 ms), then both finish.
        assertEquals("start fetching", lines.get(0), "output: " + lines);
        assertEquals("0", lines.get(1), "output: " + lines);
        int done = lines.indexOf("done fetching");
        assertTrue(done > 1 && lines.subList(1, done).contains("7"), "the numbers run while fetching: " + lines);
        assertEquals("{data: 1}", lines.get(done + 1), "output: " + lines);
        assertEquals(64, lines.get(lines.size() - 1).length(), "the hash comes last: " + lines);
    }

    @Test
    void theStreamsBlockEchoesALine() {
        assertEquals("hello\n", ReadmeSnippets.streams(), "the server must echo the line back, its newline too");
    }

    @Test
    void theGroupBlockEchoesALine() {
        assertEquals("hello\n", ReadmeSnippets.group(), "the group's server must echo the line back");
    }

    /** The README's ```java blocks. */
    private static List<String> blocks(List<String> readme) {
        List<String> out = new ArrayList<>();
        List<String> current = null;
        for (String line : readme) {
            if (current == null && line.equals("```java")) {
                current = new ArrayList<>();
            } else if (current != null && line.equals("```")) {
                out.add(dedent(current));
                current = null;
            } else if (current != null) {
                current.add(line);
            }
        }
        return out;
    }

    /** Every region between README:begin and README:end in this module's test sources. */
    private static List<String> held() throws IOException {
        List<String> out = new ArrayList<>();
        try (Stream<Path> files = Files.walk(TEST_SOURCES)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).sorted().toList()) {
                List<String> current = null;
                for (String line : Files.readAllLines(f)) {
                    if (line.strip().equals("// README:begin")) {
                        current = new ArrayList<>();
                    } else if (line.strip().equals("// README:end")) {
                        out.add(dedent(current));
                        current = null;
                    } else if (current != null) {
                        current.add(line);
                    }
                }
            }
        }
        return out;
    }

    private static String dedent(List<String> lines) {
        int indent = lines.stream().filter(l -> !l.isBlank())
                .mapToInt(l -> l.length() - l.stripLeading().length()).min().orElse(0);
        StringBuilder b = new StringBuilder();
        for (String l : lines) {
            b.append(l.isBlank() ? "" : l.substring(indent)).append('\n');
        }
        return b.toString();
    }
}
