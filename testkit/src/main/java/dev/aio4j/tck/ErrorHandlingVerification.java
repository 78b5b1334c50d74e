package dev.aio4j.tck;

/**
 * SPEC.md section E: the exception handler, error reports and debug mode.
 */
public abstract class ErrorHandlingVerification extends AbstractVerification {

    @Override
    protected String area() {
        return "Errors";
    }
}
