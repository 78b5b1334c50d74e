package dev.aio4j;

/**
 * Receives the errors that have no awaiter: an exception thrown by a callback,
 * a task that failed and was never awaited, tasks still pending at close.
 * Called on the loop. If it throws, the default handler logs that too.
 */
@FunctionalInterface
public interface ExceptionHandler {
    /**
     * Handles one error the loop could not give to anyone.
     *
     * @param loop the loop the error happened on
     * @param context what happened
     */
    void handle(Loop loop, ErrorContext context);
}
