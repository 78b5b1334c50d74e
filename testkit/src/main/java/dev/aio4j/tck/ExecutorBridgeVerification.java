package dev.aio4j.tck;

/**
 * SPEC.md section X: the executor bridge.
 */
public abstract class ExecutorBridgeVerification extends AbstractVerification {

    @Override
    protected String area() {
        return "ExecutorBridge";
    }
}
