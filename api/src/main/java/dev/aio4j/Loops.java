package dev.aio4j;

import dev.aio4j.spi.LoopProvider;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.stream.Collectors;

/**
 * Finds backends and opens loops. Backends are found with
 * {@link ServiceLoader}; the system property {@value #BACKEND_PROPERTY}
 * picks one by name.
 *
 * <p>There is no global mutable policy: every call looks again, and the
 * choice is explicit. Zero backends, an unknown name, or several without a
 * choice fail at once with a message that lists what was found and the
 * artifact to add.
 */
public final class Loops {
    /** The system property naming the backend to use. */
    public static final String BACKEND_PROPERTY = "aio4j.backend";

    private static final String KNOWN_ARTIFACTS =
            "dev.aio4j:aio4j-backend-executor (public JDK APIs only), dev.aio4j:aio4j-backend-loom "
            + "(needs --add-opens java.base/java.lang=ALL-UNNAMED), dev.aio4j:aio4j-backend-netty (Netty 4.2)";

    private Loops() {}

    /** Every backend on the class path or module path, in discovery order. */
    public static List<LoopProvider> providers() {
        List<LoopProvider> found = new ArrayList<>();
        List<String> broken = new ArrayList<>();
        var it = ServiceLoader.load(LoopProvider.class, Loops.class.getClassLoader()).iterator();
        for (;;) {
            try {
                if (!it.hasNext()) {
                    break;
                }
                found.add(it.next());
            } catch (ServiceConfigurationError e) {
                broken.add(e.getMessage());
            }
        }
        for (String b : broken) {
            System.Logger log = System.getLogger("dev.aio4j");
            log.log(System.Logger.Level.WARNING, "AIO4J(W): a backend could not be loaded and was skipped: " + b);
        }
        return List.copyOf(found);
    }

    /** The provider named {@code name}. */
    public static LoopProvider provider(String name) {
        Objects.requireNonNull(name, "name");
        List<LoopProvider> all = providers();
        for (LoopProvider p : all) {
            if (p.name().equals(name)) {
                return p;
            }
        }
        throw new IllegalStateException("AIO4J(E): no backend named '" + name + "'. Found: " + describe(all)
                + ". Add one of " + KNOWN_ARTIFACTS + ".");
    }

    /**
     * The provider to use: the one named by {@value #BACKEND_PROPERTY} if set,
     * else the only available one.
     *
     * @throws IllegalStateException with zero backends, an unknown name, or
     *     several available without a choice
     */
    public static LoopProvider provider() {
        String chosen = System.getProperty(BACKEND_PROPERTY);
        if (chosen != null && !chosen.isBlank()) {
            return provider(chosen.trim());
        }
        List<LoopProvider> all = providers();
        if (all.isEmpty()) {
            throw new IllegalStateException("AIO4J(E): no aio4j backend found on the class path or module path. "
                    + "Add one of " + KNOWN_ARTIFACTS + ".");
        }
        List<LoopProvider> usable = all.stream().filter(p -> p.unavailabilityCause().isEmpty()).toList();
        if (usable.size() == 1) {
            return usable.get(0);
        }
        if (usable.isEmpty()) {
            throw new IllegalStateException("AIO4J(E): no aio4j backend can run in this JVM. " + describe(all));
        }
        throw new IllegalStateException("AIO4J(E): several aio4j backends found: " + describe(all)
                + ". Choose one with -D" + BACKEND_PROPERTY + "=NAME or Loops.open(NAME).");
    }

    /** A new loop of the chosen backend ({@link #provider()}) with default options. */
    public static Loop open() {
        return open(provider(), LoopOptions.defaults());
    }

    /** A new loop of the backend named {@code name}, with default options. */
    public static Loop open(String name) {
        return open(provider(name), LoopOptions.defaults());
    }

    /**
     * A new loop of {@code provider}.
     *
     * @throws UnsupportedOperationException if the backend cannot run here, saying why and how to fix it
     */
    public static Loop open(LoopProvider provider, LoopOptions options) {
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(options, "options");
        var cause = provider.unavailabilityCause();
        if (cause.isPresent()) {
            throw new UnsupportedOperationException("AIO4J(E): backend '" + provider.name() + "' cannot run: " + cause.get());
        }
        return provider.open(options);
    }

    private static String describe(List<LoopProvider> all) {
        if (all.isEmpty()) {
            return "none";
        }
        return all.stream()
                .map(p -> "'" + p.name() + "' (" + p.artifact() + ", " + p.getClass().getName()
                        + p.unavailabilityCause().map(c -> ", unavailable: " + c).orElse("") + ")")
                .collect(Collectors.joining(", "));
    }
}
