package dev.aio4j;

/** Rethrows a Throwable unchanged, checked or not, undeclared (SPEC "Exceptions pass through unchanged"). */
final class Sneaky {
    private Sneaky() {}

    @SuppressWarnings("unchecked")
    static <E extends Throwable> RuntimeException rethrow(Throwable t) throws E {
        throw (E) t;
    }
}
