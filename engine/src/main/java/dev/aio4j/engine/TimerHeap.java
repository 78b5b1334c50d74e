package dev.aio4j.engine;

import dev.aio4j.Context;
import dev.aio4j.TimerHandle;
import java.util.PriorityQueue;

/**
 * A loop's timers: a binary heap ordered by (deadline, scheduling sequence),
 * with lazy removal of cancelled timers (a cancel only marks the timer; the
 * heap is purged when cancelled timers outnumber live ones, as asyncio does).
 * Touched by the baton holder only.
 */
final class TimerHeap {
    private static final int MIN_TIMERS_FOR_PURGE = 100;

    private final EventLoop loop;
    /** Made anew by {@link #giveBackIdleMemory} when a burst is over (a PriorityQueue keeps its peak capacity). */
    private PriorityQueue<Timer> heap = new PriorityQueue<>();
    /** The most timers the heap held since it was last made anew. */
    private final PeakSize peak = new PeakSize();
    private long sequence;
    /** Cancelled timers still in the heap. */
    private int cancelled;

    TimerHeap(EventLoop loop) {
        this.loop = loop;
    }

    /** Schedules {@code fn} at {@code deadline}; equal deadlines keep scheduling order (through the seam). */
    Timer schedule(long deadline, Runnable fn, Context context) {
        Timer t = new Timer(fn, context, deadline, loop.seams.timerTieBreaker(sequence++));
        heap.add(t);
        peak.saw(heap.size());
        return t;
    }

    /**
     * Nanoseconds until the first live timer is due: 0 if it is, or
     * {@code Long.MAX_VALUE} if there is none or it is further than a long
     * of nanoseconds reaches. Deadlines are compared, never subtracted first:
     * {@code callAt(Long.MIN_VALUE)} is due now, not in 292 years.
     */
    long nanosToNext(long now) {
        Timer t;
        while ((t = heap.peek()) != null && t.cancelled) {
            heap.poll();
            cancelled--;
        }
        if (t == null) {
            return Long.MAX_VALUE;
        }
        if (t.when <= now) {
            return 0;
        }
        long d = t.when - now;
        return d > 0 ? d : Long.MAX_VALUE; // overflowed: as good as never
    }

    /** Moves every timer due at {@code now} to the back of the ready queue, in deadline order. */
    void moveDue(RunLoop run, long now) {
        Timer t;
        while ((t = heap.peek()) != null) {
            if (t.cancelled) {
                heap.poll();
                cancelled--;
            } else if (t.when <= now) {
                heap.poll();
                t.scheduled = false;
                run.enqueue(t, Seams.ReadyCause.TIMER);
            } else {
                break;
            }
        }
    }

    boolean isEmpty() {
        return heap.isEmpty();
    }

    /** The most timers held since the heap was last made anew (tests of {@link #giveBackIdleMemory}). */
    int peak() {
        return peak.peak();
    }

    /** Drops every timer (close), and the memory the heap kept. */
    void clear() {
        heap = new PriorityQueue<>();
        cancelled = 0;
    }

    /** Gives back the memory of a past burst: makes the heap anew if it holds far fewer timers than its peak. */
    void giveBackIdleMemory() {
        if (peak.shrinks(heap.size())) {
            heap = new PriorityQueue<>(heap);
        }
    }

    private void timerCancelled() {
        if (++cancelled * 2 > heap.size() && heap.size() > MIN_TIMERS_FOR_PURGE) {
            heap.removeIf(x -> x.cancelled);
            cancelled = 0;
        }
    }

    /** A callback with a deadline. */
    final class Timer extends Handles.Callback implements TimerHandle, Comparable<Timer> {
        final long when;
        final long seq;
        /** In the heap: true -> false when it becomes due. Baton holder. */
        boolean scheduled = true;

        Timer(Runnable fn, Context context, long when, long seq) {
            super(fn, context);
            this.when = when;
            this.seq = seq;
        }

        @Override
        public long when() {
            return when;
        }

        @Override
        public void cancel() {
            if (!cancelled) {
                loop.checkThread("TimerHandle.cancel()");
                cancelled = true;
                if (scheduled) {
                    timerCancelled();
                }
            }
        }

        @Override
        public int compareTo(Timer o) {
            int c = Long.compare(when, o.when);
            return c != 0 ? c : Long.compare(seq, o.seq);
        }
    }
}
