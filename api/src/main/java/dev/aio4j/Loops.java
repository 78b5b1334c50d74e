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
 *
 * <p>The first time a backend is chosen in a JVM, one line at {@code INFO}
 * on {@code System.Logger} {@code dev.aio4j} says which one, how it runs
 * here and why it was chosen; a {@code WARNING} follows when it, or a
 * backend passed over, lacks a JVM flag (SPEC D7).
 */
public final class Loops {
    /** The system property naming the backend to use. */
    public static final String BACKEND_PROPERTY = "aio4j.backend";

    private static final String KNOWN_ARTIFACTS =
            "dev.aio4j:aio4j-backend-executor (public JDK APIs only), dev.aio4j:aio4j-backend-loom "
            + "(needs --add-opens java.base/java.lang=ALL-UNNAMED), dev.aio4j:aio4j-backend-netty (Netty 4.2)";

    /** Which backend runs and why, logged once per JVM and backend (SPEC D7). */
    private static final Announcements ANNOUNCEMENTS = new Announcements(System.getLogger("dev.aio4j"));

    private Loops() {}

    /**
     * Every backend on the class path or module path, in discovery order.
     * A provider that fails to load is logged at {@code WARNING} and skipped.
     *
     * @return the providers found; may be empty
     */
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

    /**
     * The provider named {@code name}.
     *
     * @param name the backend's {@link LoopProvider#name()}
     * @return the provider; the first time in this JVM, its choice is logged (SPEC D7)
     * @throws IllegalStateException if no backend of that name is found
     */
    public static LoopProvider provider(String name) {
        Objects.requireNonNull(name, "name");
        return announce(named(providers(), name, "named in the code (Loops.open or Loops.provider with \"" + name + "\")"));
    }

    /**
     * The provider to use: the one named by {@value #BACKEND_PROPERTY} if set,
     * else the only available one.
     *
     * @return the provider; the first time in this JVM, its choice is logged (SPEC D7)
     * @throws IllegalStateException with zero backends, an unknown name, or
     *     several available without a choice
     */
    public static LoopProvider provider() {
        return announce(choose(providers(), System.getProperty(BACKEND_PROPERTY)));
    }

    /**
     * A provider, why it was chosen, and the other backends found; {@code byElimination}: chosen because
     * the others cannot run here (so they are what a missing flag costs).
     */
    record Choice(LoopProvider provider, String why, List<LoopProvider> others, boolean byElimination) {}

    /** The choice {@link #provider()} makes among {@code all}, given the value of {@value #BACKEND_PROPERTY}. */
    static Choice choose(List<LoopProvider> all, String property) {
        if (property != null && !property.isBlank()) {
            return named(all, property.trim(), "chosen by -D" + BACKEND_PROPERTY + "=" + property.trim());
        }
        if (all.isEmpty()) {
            throw new IllegalStateException("AIO4J(E): no aio4j backend found on the class path or module path. "
                    + "Add one of " + KNOWN_ARTIFACTS + ".");
        }
        List<LoopProvider> usable = all.stream().filter(p -> p.unavailabilityCause().isEmpty()).toList();
        if (usable.size() == 1) {
            LoopProvider p = usable.get(0);
            return all.size() == 1 ? new Choice(p, "the only backend found", List.of(), false)
                    : new Choice(p, "the only one of the " + all.size() + " backends found that can run in this JVM",
                            othersThan(p, all), true);
        }
        if (usable.isEmpty()) {
            throw new IllegalStateException("AIO4J(E): no aio4j backend can run in this JVM. " + describe(all));
        }
        throw new IllegalStateException("AIO4J(E): several aio4j backends found: " + describe(all)
                + ". Choose one with -D" + BACKEND_PROPERTY + "=NAME or Loops.open(NAME).");
    }

    private static Choice named(List<LoopProvider> all, String name, String why) {
        for (LoopProvider p : all) {
            if (p.name().equals(name)) {
                return new Choice(p, why, othersThan(p, all), false);
            }
        }
        throw new IllegalStateException("AIO4J(E): no backend named '" + name + "'. Found: " + describe(all)
                + ". Add one of " + KNOWN_ARTIFACTS + ".");
    }

    private static List<LoopProvider> othersThan(LoopProvider chosen, List<LoopProvider> all) {
        return all.stream().filter(p -> p != chosen).toList();
    }

    private static LoopProvider announce(Choice c) {
        ANNOUNCEMENTS.announce(c);
        return c.provider();
    }

    /**
     * A new loop of the chosen backend ({@link #provider()}) with default options.
     *
     * @return the loop
     * @throws IllegalStateException as {@link #provider()} does
     * @throws UnsupportedOperationException if the backend cannot run here, saying why and how to fix it
     */
    public static Loop open() {
        return open(provider(), LoopOptions.defaults());
    }

    /**
     * A new loop of the backend named {@code name}, with default options.
     *
     * @param name the backend's {@link LoopProvider#name()}
     * @return the loop
     * @throws IllegalStateException if no backend of that name is found
     * @throws UnsupportedOperationException if the backend cannot run here, saying why and how to fix it
     */
    public static Loop open(String name) {
        return open(provider(name), LoopOptions.defaults());
    }

    /**
     * A new loop of {@code provider}.
     *
     * @param provider the backend, from {@link #providers()} or constructed
     * @param options the loop's options
     * @return the loop
     * @throws UnsupportedOperationException if the backend cannot run here, saying why and how to fix it
     */
    public static Loop open(LoopProvider provider, LoopOptions options) {
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(options, "options");
        var cause = provider.unavailabilityCause();
        if (cause.isPresent()) {
            throw new UnsupportedOperationException("AIO4J(E): backend '" + provider.name() + "' cannot run: " + cause.get());
        }
        // A no-op when provider() or provider(name) chose it: that call logged the real reason.
        ANNOUNCEMENTS.announce(new Choice(provider, "passed to Loops.open(provider, options)", List.of(), false));
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
