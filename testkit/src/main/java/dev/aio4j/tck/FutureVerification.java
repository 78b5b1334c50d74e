package dev.aio4j.tck;

/**
 * SPEC.md section F: futures.
 */
public abstract class FutureVerification extends AbstractVerification {

    @Override
    protected String area() {
        return "Futures";
    }
}
