package dev.aio4j.tck;

/**
 * SPEC.md section L: loop lifecycle and its errors.
 */
public abstract class LifecycleVerification extends AbstractVerification {

    @Override
    protected String area() {
        return "Lifecycle";
    }
}
