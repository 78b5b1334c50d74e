package dev.aio4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.aio4j.spi.Capability;
import dev.aio4j.spi.LoopProvider;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Discovery: the api module's tests see two fake providers through
 * META-INF/services in src/test/resources ("alpha", available, and "beta",
 * unavailable), so every message path can be checked.
 */
class LoopsTest {
    /**
     * Discovery's own log lines (SPEC D7), kept here instead of printed to the test log. Attached before any
     * test of this class runs: no other test of the api module uses Loops, so this sees the JVM's first choice.
     */
    private static final List<LogRecord> LOGGED = new CopyOnWriteArrayList<>();
    private static final Logger JUL = Logger.getLogger("dev.aio4j");
    private static final Handler CAPTURE = new Handler() {
        @Override
        public void publish(LogRecord r) {
            LOGGED.add(r);
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
    };

    @BeforeAll
    static void captureLog() {
        JUL.addHandler(CAPTURE);
        JUL.setUseParentHandlers(false);
    }

    @AfterAll
    static void releaseLog() {
        JUL.removeHandler(CAPTURE);
        JUL.setUseParentHandlers(true);
    }

    @AfterEach
    void clearProperty() {
        System.clearProperty(Loops.BACKEND_PROPERTY);
    }

    @Test
    void providers_listsEveryBackendOnTheClassPath() {
        List<String> names = Loops.providers().stream().map(LoopProvider::name).toList();
        assertEquals(List.of("alpha", "beta"), names);
    }

    @Test
    void provider_unknownName_listsWhatWasFoundAndTheArtifacts() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Loops.provider("gamma"));
        assertTrue(e.getMessage().contains("no backend named 'gamma'"), e.getMessage());
        assertTrue(e.getMessage().contains("'alpha'") && e.getMessage().contains("'beta'"), e.getMessage());
        assertTrue(e.getMessage().contains("aio4j-backend-executor"), e.getMessage());
    }

    @Test
    void provider_noChoice_picksTheOnlyAvailableOne() {
        assertEquals("alpha", Loops.provider().name());
    }

    @Test
    void provider_propertyWins() {
        System.setProperty(Loops.BACKEND_PROPERTY, "beta");
        assertEquals("beta", Loops.provider().name());
    }

    @Test
    void open_unavailableBackend_failsWithItsCause() {
        UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class, () -> Loops.open("beta"));
        assertTrue(e.getMessage().contains("backend 'beta' cannot run: needs --flag"), e.getMessage());
    }

    @Test
    void open_nullArguments_nameTheArgument() {
        NullPointerException e = assertThrows(NullPointerException.class, () -> Loops.provider(null));
        assertEquals("name", e.getMessage());
        e = assertThrows(NullPointerException.class, () -> Loops.open(null, LoopOptions.defaults()));
        assertEquals("provider", e.getMessage());
    }

    /** D7, through System.Logger "dev.aio4j" (JUL here): one INFO line per backend, however often discovery runs. */
    @Test
    void provider_logsItsChoiceOnce() {
        Loops.provider();
        Loops.provider();
        assertThrows(UnsupportedOperationException.class, () -> Loops.open(Loops.provider(), LoopOptions.defaults()));
        List<String> info = LOGGED.stream().filter(r -> r.getLevel() == java.util.logging.Level.INFO).map(LogRecord::getMessage).toList();
        assertEquals(1, info.size(), String.valueOf(info));
        assertTrue(info.get(0).startsWith("AIO4J(I): using backend 'alpha' (test:alpha, dev.aio4j.LoopsTest$Alpha)"),
                info.get(0));
    }

    @Test
    void choose_theOnlyBackend_saysSo() {
        Loops.Choice c = Loops.choose(List.of(new Alpha()), null);
        assertEquals("alpha", c.provider().name());
        assertEquals("the only backend found", c.why());
    }

    @Test
    void choose_theOnlyUsableOne_isAChoiceByElimination() {
        Loops.Choice c = Loops.choose(List.of(new Alpha(), new Beta()), "");
        assertEquals("the only one of the 2 backends found that can run in this JVM", c.why());
        assertTrue(c.byElimination());
    }

    @Test
    void choose_byProperty_namesTheProperty() {
        Loops.Choice c = Loops.choose(List.of(new Alpha(), new Beta()), " alpha ");
        assertEquals("chosen by -Daio4j.backend=alpha", c.why());
        assertEquals(List.of("beta"), c.others().stream().map(LoopProvider::name).toList());
    }

    /** D7: one INFO line naming the backend, its artifact, class, mode and reason; a WARNING for what was passed over. */
    @Test
    void announce_logsTheChoiceOnceWithTheBackendsPassedOver() {
        Recording log = new Recording();
        Announcements a = new Announcements(log);
        a.announce(Loops.choose(List.of(new Alpha(), new Beta()), null));
        a.announce(Loops.choose(List.of(new Alpha(), new Beta()), null)); // the same JVM: nothing more
        assertEquals(List.of(
                "INFO AIO4J(I): using backend 'alpha' (test:alpha, dev.aio4j.LoopsTest$Alpha): fake mode; the only one "
                        + "of the 2 backends found that can run in this JVM; also found: 'beta' (cannot run here)",
                "WARNING AIO4J(W): backend 'beta' (test:beta) was found but cannot run in this JVM, so 'alpha' runs "
                        + "instead: needs --flag"),
                log.lines);
    }

    /** D7: a backend on a slower mode for want of a flag says so, once. */
    @Test
    void announce_slowerMode_isAWarningNamingTheFlag() {
        Recording log = new Recording();
        Announcements a = new Announcements(log);
        LoopProvider slow = new Alpha() {
            @Override
            public Optional<String> slowerModeCause() {
                return Optional.of("add --faster");
            }
        };
        a.announce(new Loops.Choice(slow, "the only backend found", List.of(), false));
        a.announce(new Loops.Choice(slow, "the only backend found", List.of(), false));
        assertEquals(2, log.lines.size(), String.valueOf(log.lines));
        assertTrue(log.lines.get(0).startsWith("INFO AIO4J(I): using backend 'alpha'"), log.lines.get(0));
        assertEquals("WARNING AIO4J(W): backend 'alpha' runs slower than it could: add --faster", log.lines.get(1));
    }

    /** D7: a provider whose description fails still runs; the failure is a WARNING, not an exception. */
    @Test
    void announce_failingDescription_isReportedNotThrown() {
        Recording log = new Recording();
        LoopProvider broken = new Alpha() {
            @Override
            public String mode() {
                throw new IllegalStateException("broken mode()");
            }
        };
        new Announcements(log).announce(new Loops.Choice(broken, "the only backend found", List.of(), false));
        assertEquals(1, log.lines.size(), String.valueOf(log.lines));
        assertTrue(log.lines.get(0).startsWith("WARNING AIO4J(W): using backend 'alpha'"), log.lines.get(0));
    }

    /** D7: a backend chosen by name but unable to run is not announced: opening it fails, saying why. */
    @Test
    void announce_unavailableBackend_logsNothing() {
        Recording log = new Recording();
        new Announcements(log).announce(Loops.choose(List.of(new Alpha(), new Beta()), "beta"));
        assertEquals(List.of(), log.lines);
    }

    /** A System.Logger that keeps "LEVEL message" lines, instead of printing them to the test log. */
    static final class Recording implements System.Logger {
        final List<String> lines = new java.util.concurrent.CopyOnWriteArrayList<>();

        @Override
        public String getName() {
            return "dev.aio4j";
        }

        @Override
        public boolean isLoggable(Level level) {
            return true;
        }

        @Override
        public void log(Level level, java.util.ResourceBundle bundle, String msg, Throwable thrown) {
            lines.add(level + " " + msg);
        }

        @Override
        public void log(Level level, java.util.ResourceBundle bundle, String format, Object... params) {
            lines.add(level + " " + (params == null || params.length == 0 ? format
                    : java.text.MessageFormat.format(format, params)));
        }
    }

    /** Available fake. */
    public static class Alpha implements LoopProvider {
        @Override
        public String name() {
            return "alpha";
        }

        @Override
        public String artifact() {
            return "test:alpha";
        }

        @Override
        public Set<Capability> capabilities() {
            return Set.of();
        }

        @Override
        public String mode() {
            return "fake mode";
        }

        @Override
        public Loop open(LoopOptions options) {
            throw new UnsupportedOperationException("a fake");
        }
    }

    /** Unavailable fake. */
    public static final class Beta implements LoopProvider {
        @Override
        public String name() {
            return "beta";
        }

        @Override
        public String artifact() {
            return "test:beta";
        }

        @Override
        public Set<Capability> capabilities() {
            return Set.of();
        }

        @Override
        public Optional<String> unavailabilityCause() {
            return Optional.of("needs --flag");
        }

        @Override
        public Loop open(LoopOptions options) {
            throw new UnsupportedOperationException("needs --flag");
        }
    }
}
