package dev.aio4j;

import java.util.List;
import java.util.Objects;

/**
 * One request to cancel a task: who asked ({@code origin}, compared by
 * identity) and with what message. A task keeps its requests, oldest first,
 * until they are withdrawn ({@link Task#uncancel()}, {@link Task#uncancel(Object)}):
 * {@link Task#cancelling()} is their number, as asyncio counts them.
 *
 * <p>The origin lets a scope that cancels its task (a timeout, a task group)
 * tell its own cancellation from anyone else's when it ends: it withdraws
 * its own request and converts the cancellation only if no other request is
 * left, instead of comparing counts (the accounting behind CPython's
 * gh-116720 and gh-155433 and async-timeout#229).
 *
 * @param origin who asked: the task that called {@link Task#cancel(String)},
 *     the loop when a callback did, or what {@link Task#cancel(String, Object)} named
 * @param message the cancel message, or null
 */
public record CancelRequest(Object origin, String message) {
    /**
     * A request from {@code origin}.
     *
     * @param origin who asked
     * @param message the cancel message, or null
     * @throws NullPointerException if {@code origin} is null
     */
    public CancelRequest {
        Objects.requireNonNull(origin, "origin");
    }

    /**
     * The newest request pending on {@code task} that is not {@code scope}'s
     * and was not among {@code atEntry} (compared by identity), or null: how a
     * scope that was entered when {@code atEntry} was taken tells whether
     * anyone else asked to cancel its task since. Loop thread.
     */
    static CancelRequest newestOther(Task<?> task, List<CancelRequest> atEntry, Object scope) {
        List<CancelRequest> now = task.cancelRequests();
        for (int i = now.size() - 1; i >= 0; i--) {
            CancelRequest r = now.get(i);
            if (r.origin() != scope && atEntry.stream().noneMatch(old -> old == r)) {
                return r;
            }
        }
        return null;
    }

    @Override
    public String toString() {
        return "cancel by " + origin + (message == null ? "" : " (\"" + message + "\")");
    }
}
