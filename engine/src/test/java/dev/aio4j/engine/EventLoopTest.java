package dev.aio4j.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.aio4j.Future;
import dev.aio4j.LoopOptions;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The engine's own behaviour beyond the TCK: what no backend can observe from outside. */
class EventLoopTest {
    private static final Engine ENGINE = Engine.builder("engine-test").build();
    private EventLoop loop;

    private EventLoop open(String name) {
        return (EventLoop) ENGINE.open(LoopOptions.defaults().withName(name));
    }

    @AfterEach
    void close() {
        if (loop != null) {
            loop.close();
        }
    }

    /** After a burst, a loop that goes idle gives back the ready queue's and the timer heap's peak capacity. */
    @Test
    void aBurstDoesNotPinItsPeakMemory() {
        loop = open("burst");
        int n = 50_000;
        AtomicInteger ran = new AtomicInteger();
        Future<Void> done = loop.createFuture();
        for (int i = 0; i < n; i++) {
            loop.callLater(Duration.ZERO, () -> {
                if (ran.incrementAndGet() == n) { // the burst is over: the loop idles until this timer
                    loop.callLater(Duration.ofMillis(20), () -> done.setResult(null));
                }
            });
        }
        assertTrue(loop.timers.peak() >= n, "the heap held the burst");
        loop.runUntilComplete(done);
        assertEquals(n, ran.get());
        assertTrue(loop.timers.peak() < 4096, "the timer heap was not made anew after the burst: peak "
                + loop.timers.peak());
        assertTrue(loop.run.readyPeak() < 4096, "the ready queue was not made anew after the burst: peak "
                + loop.run.readyPeak());
    }

    /** Two loops of the same name are told apart when a task awaits the other's future. */
    @Test
    void awaitingAnotherLoopsFutureNamesBothLoopsDistinctly() {
        loop = open("same");
        EventLoop other = open("same");
        try {
            Future<String> foreign = other.createFuture();
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> loop.runUntilComplete(() -> foreign.await()));
            Matcher m = Pattern.compile("\\]@([0-9a-f]+)").matcher(e.getMessage());
            assertTrue(m.find(), e.getMessage());
            String first = m.group(1);
            assertTrue(m.find(), e.getMessage());
            assertNotEquals(first, m.group(1), "the two loops must be told apart: " + e.getMessage());
        } finally {
            other.close();
        }
    }
}
