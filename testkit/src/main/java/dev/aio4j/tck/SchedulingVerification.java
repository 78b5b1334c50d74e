package dev.aio4j.tck;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.aio4j.Loop;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * SPEC.md section S: scheduling and callback ordering.
 *
 * <p>If a test here fails, check the ready queue (a FIFO), the iteration
 * boundary (what was ready when the iteration began, no more) and the timer
 * heap (deadline, then scheduling order).
 */
public abstract class SchedulingVerification extends AbstractVerification {

    @Override
    protected String area() {
        return "Scheduling";
    }

    /** S1: callbacks run in the order callSoon was called, each exactly once. */
    @Test
    public void required_S1_callSoonRunsCallbacksInFifoOrder() {
        Loop loop = newLoop();
        List<Integer> seen = new ArrayList<>();
        List<Integer> expected = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            int n = i;
            expected.add(n);
            loop.callSoon(() -> seen.add(n));
        }
        runOnce(loop);
        assertEquals(expected, seen,
                "callbacks must run in the order callSoon was called, each exactly once (SPEC S1)");
    }

    /** S2: one iteration runs only what was ready when it began. */
    @Test
    public void required_S2_callbacksScheduledByCallbacksRunInTheNextIteration() {
        Loop loop = newLoop();
        List<String> seen = new ArrayList<>();
        loop.callSoon(() -> {
            seen.add("a");
            loop.callSoon(() -> seen.add("c"));
        });
        loop.callSoon(() -> seen.add("b"));
        runOnce(loop);
        assertEquals(List.of("a", "b"), seen,
                "a callback scheduled during an iteration must wait for the next one (SPEC S2)");
        runOnce(loop);
        assertEquals(List.of("a", "b", "c"), seen, "the callback must run in the next iteration (SPEC S2)");
    }

    /** S5: a due timer goes behind callbacks already ready. */
    @Test
    public void required_S5_dueTimerRunsAfterCallbacksAlreadyReady() {
        Loop loop = newLoop();
        List<String> seen = new ArrayList<>();
        loop.callLater(Duration.ZERO, () -> seen.add("timer"));
        loop.callSoon(() -> seen.add("soon"));
        runOnce(loop);
        assertEquals(List.of("soon", "timer"), seen,
                "callSoon(b) must run before an earlier callLater(0, a): due timers join the back of the ready queue (SPEC S5)");
    }
}
