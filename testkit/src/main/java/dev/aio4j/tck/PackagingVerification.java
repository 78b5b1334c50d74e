package dev.aio4j.tck;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.JavaClasses;
import dev.aio4j.Loop;
import dev.aio4j.Loops;
import dev.aio4j.spi.LoopProvider;
import java.lang.reflect.Modifier;
import org.junit.jupiter.api.Test;

/**
 * SPEC.md section D: discovery and backend packaging. Checks the provider
 * itself and, with ArchUnit, the classes of its package.
 */
public abstract class PackagingVerification extends AbstractVerification {
    /** For a backend's subclass, which names its provider. */
    protected PackagingVerification() {}


    @Override
    protected String area() {
        return "Packaging";
    }

    private String backendPackage() {
        return provider().getClass().getPackageName();
    }

    /** D1: a backend uses, of aio4j, only the API, the SPI and the engine. */
    @Test
    public void required_D1_backendUsesOnlyApiSpiAndEngine() {
        JavaClasses classes = BackendArchitectureRules.importPackage(backendPackage());
        assertFalse(classes.isEmpty(), "no classes found in the backend's package " + backendPackage() + " (SPEC D1)");
        BackendArchitectureRules.backendUsesOnlyApiSpiAndEngine(backendPackage()).check(classes);
    }

    /** D2: the provider is the backend's only public type. */
    @Test
    public void required_D2_onlyTheProviderIsPublic() {
        BackendArchitectureRules.onlyTheProviderIsPublic(backendPackage(), provider().getClass())
                .check(BackendArchitectureRules.importPackage(backendPackage()));
    }

    /** D3: the provider is a service that ServiceLoader finds. */
    @Test
    public void required_D3_providerIsFoundByServiceLoader() {
        Class<?> type = provider().getClass();
        assertTrue(Loops.providers().stream().anyMatch(p -> p.getClass() == type),
                "ServiceLoader does not find " + type.getName() + ": declare it in META-INF/services/"
                        + LoopProvider.class.getName() + " and in module-info.java (provides ... with ...) (SPEC D3)");
    }

    /** D4: the provider has a public no-argument constructor, a lower-case name, an artifact and capabilities. */
    @Test
    public void required_D4_providerDescribesItself() {
        LoopProvider p = provider();
        Class<?> type = p.getClass();
        assertTrue(Modifier.isPublic(type.getModifiers()), type.getName() + " must be public (SPEC D4)");
        assertDoesNotThrow(() -> type.getConstructor(), type.getName() + " needs a public no-argument constructor (SPEC D4)");
        assertNotNull(p.name(), "name() must not be null (SPEC D4)");
        assertTrue(p.name().matches("[a-z0-9][a-z0-9_-]*"),
                "name() must be lower case without spaces, as users type it in -Daio4j.backend=: '" + p.name() + "' (SPEC D4)");
        assertNotNull(p.artifact(), "artifact() must name the Maven artifact (SPEC D4)");
        assertFalse(p.artifact().isBlank(), "artifact() must name the Maven artifact (SPEC D4)");
        assertNotNull(p.capabilities(), "capabilities() must not be null (SPEC D4)");
    }

    /**
     * D7: what the provider says for discovery's log lines fits one line each, and a slower mode names the
     * JVM flag that would lift it.
     */
    @Test
    public void required_D7_providerDescribesItsModeOnOneLine() {
        LoopProvider p = provider();
        assertNotNull(p.mode(), "mode() must not be null; empty says nothing (SPEC D7)");
        assertFalse(p.mode().contains("\n"), "mode() goes into one log line: '" + p.mode() + "' (SPEC D7)");
        assertNotNull(p.slowerModeCause(), "slowerModeCause() must not be null (SPEC D7)");
        p.slowerModeCause().ifPresent(cause -> {
            assertFalse(cause.contains("\n"), "slowerModeCause() goes into one log line: '" + cause + "' (SPEC D7)");
            assertTrue(cause.contains("--"), "slowerModeCause() must name the JVM flag that lifts it: '" + cause
                    + "' (SPEC D7)");
        });
    }

    /** D5: Loops.open(name) opens this backend, and the loop reports the backend's name. */
    @Test
    public void required_D5_loopsOpenByNameGivesThisBackend() {
        Loop loop = Loops.open(provider().name());
        try {
            assertTrue(loop.backendName().equals(provider().name()),
                    "Loops.open(\"" + provider().name() + "\") gave a loop whose backendName() is '"
                            + loop.backendName() + "' (SPEC D5)");
        } finally {
            loop.close();
        }
    }
}
