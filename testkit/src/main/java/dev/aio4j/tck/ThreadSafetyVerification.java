package dev.aio4j.tck;

/**
 * SPEC.md section H: thread-safety and the thread-safe entry points.
 */
public abstract class ThreadSafetyVerification extends AbstractVerification {

    @Override
    protected String area() {
        return "Threads";
    }
}
