package dev.aio4j;

import dev.aio4j.spi.LoopProvider;
import java.lang.System.Logger.Level;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * The lines {@link Loops} logs about the backend it picks (SPEC D7), as
 * SLF4J says which provider it bound: at {@code INFO}, which backend runs,
 * how, and why it was chosen; at {@code WARNING}, a backend that runs slower
 * than it could, or was passed over, for want of a JVM flag.
 *
 * <p>Each line once per JVM and backend class: discovery runs again for
 * every loop opened, and an application that opens a loop per request must
 * not log a line per request. Thread-safe.
 */
final class Announcements {
    private final System.Logger log;
    /** Class names of the backends whose choice was logged. */
    private final Set<String> chosen = ConcurrentHashMap.newKeySet();
    /** Class names of the backends logged as passed over. */
    private final Set<String> passedOver = ConcurrentHashMap.newKeySet();

    Announcements(System.Logger log) {
        this.log = log;
    }

    /**
     * Logs {@code c}, unless its backend's choice was logged before in this
     * JVM or the backend cannot run (then {@link Loops#open} fails, saying why).
     */
    void announce(Loops.Choice c) {
        LoopProvider p = c.provider();
        String key = p.getClass().getName();
        if (chosen.contains(key) || p.unavailabilityCause().isPresent() || !chosen.add(key)) {
            return;
        }
        try {
            log(c, p);
        } catch (RuntimeException e) {
            // A provider's mode() or slowerModeCause() failed: saying which backend runs must not stop it running.
            log.log(Level.WARNING, "AIO4J(W): using backend '" + p.name() + "' (" + key
                    + "); describing it failed", e);
        }
    }

    private void log(Loops.Choice c, LoopProvider p) {
        StringBuilder line = new StringBuilder("AIO4J(I): using backend '").append(p.name()).append("' (")
                .append(p.artifact()).append(", ").append(p.getClass().getName()).append(')');
        if (!p.mode().isBlank()) {
            line.append(": ").append(p.mode());
        }
        line.append("; ").append(c.why());
        if (!c.others().isEmpty()) {
            line.append("; also found: ").append(c.others().stream()
                    .map(o -> "'" + o.name() + "'" + (o.unavailabilityCause().isPresent() ? " (cannot run here)" : ""))
                    .collect(Collectors.joining(", ")));
        }
        log.log(Level.INFO, line.toString());
        // Plain ifs and loops, not lambdas, around log calls: JUL names the calling method in its output.
        Optional<String> slower = p.slowerModeCause();
        if (slower.isPresent()) {
            log.log(Level.WARNING, "AIO4J(W): backend '" + p.name() + "' runs slower than it could: " + slower.get());
        }
        if (!c.byElimination()) {
            return;
        }
        for (LoopProvider other : c.others()) {
            Optional<String> cause = other.unavailabilityCause();
            if (cause.isPresent() && passedOver.add(other.getClass().getName())) {
                log.log(Level.WARNING, "AIO4J(W): backend '" + other.name() + "' (" + other.artifact()
                        + ") was found but cannot run in this JVM, so '" + p.name() + "' runs instead: " + cause.get());
            }
        }
    }
}
