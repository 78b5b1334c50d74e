package dev.aio4j;

import java.util.List;
import java.util.Objects;

/**
 * Every failure of a {@link TaskGroup}, reported together: asyncio's
 * {@code ExceptionGroup("unhandled errors in a TaskGroup", ...)}. The
 * children's failures come in the order they happened, the body's own last;
 * each is also attached as suppressed, so a stack trace shows them all.
 * Cancellations are never among them.
 */
public final class TaskGroupException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final transient List<Throwable> exceptions;

    /**
     * An exception listing every failure, each also a suppressed exception of it.
     *
     * @param exceptions the failures, in the order they happened
     * @throws IllegalArgumentException if {@code exceptions} is empty
     */
    public TaskGroupException(List<? extends Throwable> exceptions) {
        super(message(exceptions));
        this.exceptions = List.copyOf(exceptions);
        for (Throwable t : this.exceptions) {
            addSuppressed(t);
        }
    }

    private static String message(List<? extends Throwable> exceptions) {
        Objects.requireNonNull(exceptions, "exceptions");
        if (exceptions.isEmpty()) {
            throw new IllegalArgumentException("a TaskGroupException needs at least one exception");
        }
        int n = exceptions.size();
        return "unhandled errors in a TaskGroup (" + n + " sub-exception" + (n == 1 ? "" : "s") + ")";
    }

    /**
     * The failures, children's in the order they happened, then the body's. Unmodifiable.
     *
     * @return the failures
     */
    public List<Throwable> exceptions() {
        return exceptions == null ? List.of() : exceptions;
    }

    /**
     * The failures that are instances of {@code type}, in order (asyncio's {@code except*}).
     *
     * @param <E> the type
     * @param type the type to select
     * @return the matching failures
     */
    public <E extends Throwable> List<E> exceptions(Class<E> type) {
        Objects.requireNonNull(type, "type");
        return exceptions().stream().filter(type::isInstance).map(type::cast).toList();
    }
}
