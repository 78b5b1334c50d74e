package dev.aio4j.tck;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.aio4j.AsyncIO;
import dev.aio4j.Coroutine;
import dev.aio4j.Future;
import dev.aio4j.Task;

/**
 * Steps of a task through its loop, for the areas that test library code
 * (primitives, queues): counted in loop iterations, never in time, so that a
 * lost wake-up fails with the rule's message rather than by the TCK timeout.
 * On the loop, inside a task.
 */
final class LoopSteps {
    private LoopSteps() {}

    /** Lets the tasks created so far run until they wait: a few loop iterations. */
    static void settle() {
        for (int i = 0; i < 5; i++) {
            AsyncIO.sleep0();
        }
    }

    /** Yields until {@code f} is done, for at most 200 loop iterations; fails with {@code message} if it is not. */
    static void finishes(Future<?> f, String message) {
        for (int i = 0; i < 200 && !f.isDone(); i++) {
            AsyncIO.sleep0();
        }
        assertTrue(f.isDone(), message + ": still waiting after 200 loop iterations (a lost wake-up?)");
    }

    /** A task of the running loop. */
    static <T> Task<T> spawn(Coroutine<T> coroutine) {
        return AsyncIO.createTask(coroutine);
    }
}
