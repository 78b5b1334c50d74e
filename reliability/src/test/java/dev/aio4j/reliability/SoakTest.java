package dev.aio4j.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * The soak: in miniature in every build, so that it keeps working (every
 * target at once for scale x 4 s, a sample a second), and for real when
 * {@code -Daio4j.reliability.soakMinutes=N} asks for it (README).
 */
@Order(6)
class SoakTest {

    /** The growth verdict: steady growth fails, noise and small numbers do not. */
    @Test
    void theGrowthVerdictNeedsBothTheRatioAndTheSlack() {
        assertEquals(List.of(), Soak.growth("fds", List.of(100L, 101L, 99L, 100L, 102L, 100L), 64));
        assertEquals(List.of(), Soak.growth("fds", List.of(10L, 10L, 20L, 30L, 30L, 40L), 64), "within the slack");
        assertEquals(1, Soak.growth("fds", List.of(100L, 110L, 150L, 200L, 260L, 300L), 64).size());
        assertEquals(List.of(), Soak.growth("fds", List.of(100L, 900L), 64), "too few samples for a verdict");
        assertEquals(5L, Soak.median(List.of(9L, 1L, 5L)));
    }

    /** A short soak of every target passes: no stall, no error, no growth. */
    @Test
    void aShortSoakOfEveryTargetPasses() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        Duration length = Duration.ofMillis(Math.round(4000 * Knobs.scale()));
        int rc = Soak.run(length, Duration.ofSeconds(1), Target.all(), out);
        String text = bytes.toString(StandardCharsets.UTF_8);
        assertEquals(0, rc, text);
        assertTrue(text.contains("sample 1 "), text);
    }

    /**
     * The real soak: every target ({@code -Daio4j.reliability.backends} narrows
     * it) for {@code -Daio4j.reliability.soakMinutes}, a sample every
     * {@code -Daio4j.reliability.soakSampleSeconds} (10), printed as it goes.
     */
    @Test
    @EnabledIfSystemProperty(named = Soak.MINUTES_PROPERTY, matches = "[0-9]+(\\.[0-9]+)?")
    void soakForTheMinutesAsked() {
        double minutes = Double.parseDouble(System.getProperty(Soak.MINUTES_PROPERTY));
        int rc = Soak.run(Duration.ofMillis(Math.round(minutes * 60_000)), Soak.sampleInterval(), Target.all(),
                System.out);
        assertEquals(0, rc, "the soak failed: its verdict is printed above");
    }
}
