package dev.aio4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.aio4j.spi.Capability;
import dev.aio4j.spi.LoopProvider;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Discovery: the api module's tests see two fake providers through
 * META-INF/services in src/test/resources ("alpha", available, and "beta",
 * unavailable), so every message path can be checked.
 */
class LoopsTest {

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

    /** Available fake. */
    public static final class Alpha implements LoopProvider {
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
