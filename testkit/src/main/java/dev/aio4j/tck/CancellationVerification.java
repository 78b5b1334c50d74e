package dev.aio4j.tck;

/**
 * SPEC.md section C: cancellation.
 */
public abstract class CancellationVerification extends AbstractVerification {

    @Override
    protected String area() {
        return "Cancellation";
    }
}
