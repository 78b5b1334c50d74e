package dev.aio4j.engine;

import dev.aio4j.ErrorContext;
import dev.aio4j.ExceptionHandler;
import dev.aio4j.Task;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * A loop's error reports: its exception handler (asyncio's default when none
 * is set: log at ERROR on {@code System.Logger} "dev.aio4j"), and the futures
 * that failed and whose exception nobody has retrieved yet, reported when the
 * loop closes. Baton holder, except {@link #reportAtClose} (the closing thread).
 */
final class ErrorReporter {
    private static final System.Logger LOG = System.getLogger("dev.aio4j");

    private final EventLoop loop;
    private ExceptionHandler handler;
    /** Failed futures whose exception was not retrieved yet, in failure order. Made anew after a burst. */
    private Set<LoopFuture<?>> unretrieved = new LinkedHashSet<>();
    /** The most entries of {@link #unretrieved} since it was made. */
    private final PeakSize unretrievedPeak = new PeakSize();

    ErrorReporter(EventLoop loop) {
        this.loop = loop;
    }

    void setHandler(ExceptionHandler handler) {
        this.handler = handler;
    }

    /** Passes {@code context} to the handler; what the handler throws is logged with the context, never rethrown. */
    void report(ErrorContext context) {
        ExceptionHandler h = handler;
        if (h == null) {
            log(context);
            return;
        }
        try {
            h.handle(loop, context);
        } catch (Throwable t) {
            log(new ErrorContext("Unhandled error in exception handler", t, null, null));
            log(context);
        }
    }

    private static void log(ErrorContext c) {
        StringBuilder sb = new StringBuilder(c.message());
        if (c.future() != null) {
            sb.append(" future: ").append(c.future());
        }
        if (c.handle() != null) {
            sb.append(" handle: ").append(c.handle());
        }
        LOG.log(System.Logger.Level.ERROR, sb.toString(), c.exception());
    }

    void failed(LoopFuture<?> f) {
        unretrieved.add(f);
        unretrievedPeak.saw(unretrieved.size());
    }


    void retrieved(LoopFuture<?> f) {
        unretrieved.remove(f);
    }

    /** The loop is idle: gives back the table of a past burst of failures (a hash set keeps its peak's). */
    void giveBackIdleMemory() {
        if (unretrievedPeak.shrinks(unretrieved.size())) {
            unretrieved = new LinkedHashSet<>(unretrieved);
        }
    }

    /** At close: reports each never-retrieved exception through the close seam, then forgets them. */
    void reportUnretrievedAtClose() {
        for (LoopFuture<?> f : new ArrayList<>(unretrieved)) {
            if (!f.retrieved && f.state() == LoopFuture.EXCEPTION) {
                loop.seams.reportAtClose(loop, new ErrorContext(
                        (f instanceof Task ? "Task" : "Future") + " exception was never retrieved", f.outcomeException(),
                        f, null));
            }
        }
        unretrieved = new LinkedHashSet<>();
    }
}
