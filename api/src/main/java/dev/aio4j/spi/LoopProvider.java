package dev.aio4j.spi;

import dev.aio4j.Loop;
import dev.aio4j.LoopOptions;
import java.util.Optional;
import java.util.Set;

/**
 * A backend: the service that {@link dev.aio4j.Loops} finds with
 * {@link java.util.ServiceLoader}. A backend jar declares exactly one, in
 * {@code module-info.java} ({@code provides dev.aio4j.spi.LoopProvider with ...})
 * and in {@code META-INF/services/dev.aio4j.spi.LoopProvider}.
 *
 * <p>Implementations must be thread-safe and cheap to construct: discovery
 * instantiates every provider on the class path.
 */
public interface LoopProvider {

    /**
     * The name users select it by ({@code -Daio4j.backend=NAME}).
     *
     * @return the name: lower case, no spaces
     */
    String name();

    /**
     * The Maven artifact that ships this backend, for messages.
     *
     * @return {@code groupId:artifactId}
     */
    String artifact();

    /**
     * What this backend can do beyond the required rules.
     *
     * @return the capabilities, not null
     */
    Set<Capability> capabilities();

    /**
     * One or two sentences on how this backend runs task bodies and what that
     * costs or buys, for users choosing a backend: the report prints it next
     * to the workloads where the backend is slower than another.
     *
     * @return the description; empty by default
     */
    default String design() {
        return "";
    }

    /**
     * Why this backend cannot run in this JVM (a missing JVM flag, a missing
     * native library), with the exact fix; empty when it can.
     *
     * @return the cause and the fix, or empty
     */
    default Optional<String> unavailabilityCause() {
        return Optional.empty();
    }

    /**
     * How this backend runs in this JVM, in a few words: where task bodies
     * run and what does the I/O, with whatever this JVM's flags and
     * properties chose (netty: its transport). {@link dev.aio4j.Loops} puts
     * it in the line it logs when it picks this backend (SPEC D7); empty
     * says nothing there.
     *
     * @return the mode, lower case, without a final period
     */
    default String mode() {
        return "";
    }

    /**
     * Why this backend runs a slower mode in this JVM than it could, naming
     * the exact JVM flag that would give the faster one; empty when it runs
     * its fastest, or when the user chose the slower mode. {@link dev.aio4j.Loops}
     * logs it once per JVM at {@code WARNING} (SPEC D7).
     *
     * @return the cause and the fix, or empty
     */
    default Optional<String> slowerModeCause() {
        return Optional.empty();
    }

    /**
     * Opens a new loop. Any thread.
     *
     * @param options the loop's clock, name and debug settings
     * @return the loop, open and not running
     *
     * @throws UnsupportedOperationException if the backend is unavailable
     *     (with {@link #unavailabilityCause()} as the message)
     */
    Loop open(LoopOptions options);
}
