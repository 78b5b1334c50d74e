package dev.aio4j.tck;

/**
 * SPEC.md section T: tasks.
 */
public abstract class TaskVerification extends AbstractVerification {

    @Override
    protected String area() {
        return "Tasks";
    }
}
