package dev.aio4j.examples.readme;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.StringReader;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;

/**
 * Every Java block of the README compiles as printed: each is held, between
 * "README:begin" and "README:end", by a source file of this module's tests,
 * which the build compiles; this test checks that the README shows exactly
 * those lines (indentation aside), and runs the first block's program, the
 * getting-started program and the streams block. The XML blocks name the
 * BOM's artifacts at its version.
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
        List<String> lines = runMain("Example");
        // fetchData starts, printNumbers prints 0..7 during the 2 s sleep (8 x 250 ms), then both finish.
        assertEquals("start fetching", lines.get(0), "output: " + lines);
        assertEquals("0", lines.get(1), "output: " + lines);
        int done = lines.indexOf("done fetching");
        assertTrue(done > 1 && lines.subList(1, done).contains("7"), "the numbers run while fetching: " + lines);
        assertEquals("{data: 1}", lines.get(done + 1), "output: " + lines);
        assertEquals(64, lines.get(lines.size() - 1).length(), "the hash comes last: " + lines);
    }

    /** "Getting started": the program prints both greetings, in argument order, from the one backend here. */
    @Test
    void theGettingStartedBlockRunsAsPrinted() throws Exception {
        List<String> lines = runMain("Hello");
        assertEquals(List.of("hello, world (executor)", "hello, aio4j (executor)"), lines);
    }

    /**
     * The README's Maven snippets name real artifacts: every {@code dev.aio4j} artifact is one the BOM
     * manages (or the BOM), at the BOM's version; and the BOM manages every published module.
     */
    @Test
    void theXmlBlocksNameTheBomsArtifactsAndVersion() throws Exception {
        Document bom = xml(Files.readString(MODULE.resolveSibling("bom/pom.xml")));
        String version = text(bom.getDocumentElement(), "version");
        List<String> managed = new ArrayList<>(List.of("aio4j-bom"));
        NodeList deps = bom.getElementsByTagName("dependency");
        for (int i = 0; i < deps.getLength(); i++) {
            managed.add(text((Element) deps.item(i), "artifactId"));
        }
        for (String published : List.of("api", "engine", "backend-executor", "backend-loom", "backend-netty", "testkit")) {
            assertTrue(managed.contains("aio4j-" + published), "bom/pom.xml does not manage aio4j-" + published);
        }
        List<String> blocks = blocks(Files.readAllLines(README), "```xml");
        assertTrue(blocks.size() >= 2, "the README's XML blocks: " + blocks.size());
        int named = 0;
        for (String block : blocks) {
            NodeList ds = xml("<root>" + block + "</root>").getElementsByTagName("dependency");
            for (int i = 0; i < ds.getLength(); i++) {
                Element d = (Element) ds.item(i);
                if (!text(d, "groupId").equals("dev.aio4j")) {
                    continue;
                }
                named++;
                assertTrue(managed.contains(text(d, "artifactId")), "the README names an artifact the BOM does not "
                        + "manage: " + text(d, "artifactId"));
                String v = text(d, "version");
                assertTrue(v.isEmpty() || v.equals(version), "the README names version " + v + ", the BOM is " + version);
            }
        }
        assertTrue(named >= 3, "the Getting started block names the BOM, the API and a backend");
    }

    private static Document xml(String text) throws Exception {
        return DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new InputSource(new StringReader(text)));
    }

    /** The text of {@code parent}'s direct child {@code name}, or "". */
    private static String text(Element parent, String name) {
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && e.getTagName().equals(name)) {
                return e.getTextContent().strip();
            }
        }
        return "";
    }

    @Test
    void theStreamsBlockEchoesALine() {
        assertEquals("hello\n", ReadmeSnippets.streams(), "the server must echo the line back, its newline too");
    }

    /** Runs the default-package program {@code name} of this module's tests; its standard output's lines. */
    private static List<String> runMain(String name) throws Exception {
        Method main = Class.forName(name).getMethod("main", String[].class);
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream original = System.out;
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            main.invoke(null, (Object) new String[0]);
        } finally {
            System.setOut(original);
        }
        return captured.toString(StandardCharsets.UTF_8).lines().toList();
    }

    @Test
    void theGroupBlockEchoesALine() {
        assertEquals("hello\n", ReadmeSnippets.group(), "the group's server must echo the line back");
    }

    /** The README's ```java blocks. */
    private static List<String> blocks(List<String> readme) {
        return blocks(readme, "```java");
    }

    /** The README's blocks that open with {@code fence}. */
    private static List<String> blocks(List<String> readme, String fence) {
        List<String> out = new ArrayList<>();
        List<String> current = null;
        for (String line : readme) {
            if (current == null && line.equals(fence)) {
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
