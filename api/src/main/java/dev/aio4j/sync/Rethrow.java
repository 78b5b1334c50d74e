package dev.aio4j.sync;

/** Rethrows a Throwable unchanged, checked or not, undeclared (SPEC "Exceptions pass through unchanged"). */
final class Rethrow {
    private Rethrow() {}

    @SuppressWarnings("unchecked")
    static <E extends Throwable> RuntimeException unchecked(Throwable t) throws E {
        throw (E) t;
    }
}
