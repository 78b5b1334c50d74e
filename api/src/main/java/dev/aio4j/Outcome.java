package dev.aio4j;

import java.util.Objects;

/**
 * How one future ended, as {@link AsyncIO#gatherSettled} reports each: a
 * value, a failure or a cancellation (asyncio's {@code gather(...,
 * return_exceptions=True)}, typed). Switch over it:
 *
 * <pre>{@code
 * for (Outcome<String> o : AsyncIO.gatherSettled(fetches).await()) {
 *     switch (o) {
 *         case Outcome.Success<String> s -> use(s.value());
 *         case Outcome.Failure<String> f -> log(f.exception());
 *         case Outcome.Cancelled<String> c -> skip();
 *     }
 * }
 * }</pre>
 *
 * @param <T> the value type
 */
public sealed interface Outcome<T> {

    /**
     * The future completed with {@code value}.
     *
     * @param <T> the value type
     * @param value the result; may be null
     */
    record Success<T>(T value) implements Outcome<T> {}

    /**
     * The future failed with {@code exception}.
     *
     * @param <T> the value type
     * @param exception what it failed with
     */
    record Failure<T>(Throwable exception) implements Outcome<T> {
        /**
         * The failure with {@code exception}.
         *
         * @param exception what it failed with
         * @throws NullPointerException if {@code exception} is null
         */
        public Failure {
            Objects.requireNonNull(exception, "exception");
        }
    }

    /**
     * The future was cancelled, with {@code message}.
     *
     * @param <T> the value type
     * @param message the cancel message; may be null
     */
    record Cancelled<T>(String message) implements Outcome<T> {}

    /**
     * The outcome of a done future. Loop thread.
     *
     * @param <T> the value type
     * @param done a done future
     * @return its outcome
     * @throws IllegalStateException if it is not done
     */
    static <T> Outcome<T> of(Future<? extends T> done) {
        if (!done.isDone()) {
            throw new IllegalStateException("Outcome.of(): the future is not done");
        }
        if (done.isCancelled()) {
            try {
                done.exception();
            } catch (java.util.concurrent.CancellationException e) {
                return new Cancelled<>(e.getMessage());
            }
        }
        Throwable failure = done.exception();
        return failure != null ? new Failure<>(failure) : new Success<>(done.result());
    }
}
