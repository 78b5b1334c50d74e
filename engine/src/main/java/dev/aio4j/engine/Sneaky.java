package dev.aio4j.engine;

/** Rethrows any exception without declaring it, so awaiters see the original. */
final class Sneaky {
    private Sneaky() {}

    @SuppressWarnings("unchecked")
    static <X extends Throwable> RuntimeException rethrow(Throwable t) throws X {
        throw (X) t;
    }
}
