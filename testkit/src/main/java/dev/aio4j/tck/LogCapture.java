package dev.aio4j.tck;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Assumptions;

/**
 * The error reports a test provokes on purpose, captured so that the test
 * asserts them and the build's output stays free of them: what reaches the
 * JUL logger {@value #LOGGER} (aio4j's {@code System.Logger}, where a loop's
 * default exception handler and debug mode report) and the exceptions that
 * end a thread uncaught (which the JVM would print as "Exception in thread").
 *
 * <p>A test takes what it expects with {@link #matching} and {@link #uncaught};
 * whatever it did not take is passed on at {@link #close()} to where it would
 * have gone without the capture (the console, or an enclosing capture), so
 * an unexpected report is never hidden. Captures nest: the innermost open one
 * records. Open it in a try-with-resources around the code that provokes the
 * reports; thread-safe. Skips the test (with the reason) where
 * {@code System.Logger} is not backed by java.util.logging.
 *
 * <p>Its own type names no java.util.logging class (it holds its handler), so
 * that the tests of a named module that does not read java.logging can use
 * it through {@link #messages} and {@link #uncaught}.
 */
public final class LogCapture implements AutoCloseable {
    /** The name of the System.Logger the engine logs to. */
    public static final String LOGGER = "dev.aio4j";

    private record Uncaught(Thread thread, Throwable exception) {}

    private final Logger logger = Logger.getLogger(LOGGER);
    /** What the logger had when this opened: an enclosing capture, or a user's handler. Put back at close. */
    private final Handler[] outer = logger.getHandlers();
    private final boolean parents = logger.getUseParentHandlers();
    private final Thread.UncaughtExceptionHandler outerUncaught = Thread.getDefaultUncaughtExceptionHandler();

    private final List<LogRecord> records = new ArrayList<>();
    private final List<Uncaught> uncaught = new ArrayList<>();
    /** What the test took: not passed on at close. */
    private final Set<Object> taken = Collections.newSetFromMap(new IdentityHashMap<>());
    /** What the test said it expects, whenever it comes: not passed on at close either. */
    private final List<Predicate<LogRecord>> expected = new ArrayList<>();
    private final Handler handler = new Handler() {
        @Override
        public void publish(LogRecord r) {
            record(r);
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
    };

    /** Starts capturing, until {@link #close()}. */
    public LogCapture() {
        Assumptions.assumeTrue(System.LoggerFinder.getLoggerFinder().getClass().getName()
                        .equals("sun.util.logging.internal.LoggingProviderImpl"),
                () -> "System.Logger is not backed by java.util.logging here ("
                        + System.LoggerFinder.getLoggerFinder().getClass().getName() + "): cannot observe the log");
        handler.setLevel(Level.ALL);
        for (Handler h : outer) {
            logger.removeHandler(h);
        }
        logger.addHandler(handler);
        logger.setUseParentHandlers(false);
        Thread.setDefaultUncaughtExceptionHandler(this::uncaughtException);
    }

    private synchronized void record(LogRecord r) {
        records.add(r);
    }

    private synchronized void uncaughtException(Thread t, Throwable e) {
        uncaught.add(new Uncaught(t, e));
    }

    /**
     * Takes the records so far at {@code level} whose message starts with
     * {@code prefix} and contains {@code contains}: the test expected them,
     * and they are not passed on at close.
     *
     * @param level the records' level
     * @param prefix how their message starts
     * @param contains what their message contains
     * @return the records, in order
     */
    public List<LogRecord> matching(Level level, String prefix, String contains) {
        return take(level.intValue(), prefix, contains);
    }

    /**
     * As {@link #matching}, with {@code System.Logger}'s level (ERROR is
     * java.util.logging's SEVERE), and only the messages.
     *
     * @param level the records' level
     * @param prefix how their message starts
     * @param contains what their message contains
     * @return the records' messages, in order
     */
    public List<String> messages(System.Logger.Level level, String prefix, String contains) {
        return take(level.getSeverity(), prefix, contains).stream().map(LogRecord::getMessage).toList();
    }

    /**
     * Takes, now and until close, the WARNING records that name the loop
     * {@code loopName} (debug mode's reports say "on loop 'name'"): for a test
     * that provokes more of them than it checks. A unit slow enough to be
     * reported is reported twice (blocked while it runs, slow when it returns,
     * the first from a watchdog thread, at any time), and on a loaded machine a
     * quick unit can be slow too.
     *
     * @param loopName the loop's name, as given to its options
     */
    public synchronized void expectWarningsOfLoop(String loopName) {
        String named = "loop '" + loopName + "'";
        expected.add(r -> r.getLevel().equals(Level.WARNING) && r.getMessage() != null && r.getMessage().contains(named));
    }

    private synchronized List<LogRecord> take(int level, String prefix, String contains) {
        List<LogRecord> out = new ArrayList<>();
        for (LogRecord r : records) {
            String m = r.getMessage();
            if (r.getLevel().intValue() == level && m != null && m.startsWith(prefix) && m.contains(contains)) {
                out.add(r);
            }
        }
        taken.addAll(out);
        return out;
    }

    /**
     * Takes the exceptions of type {@code type} that ended a thread so far, as {@link #matching} takes records.
     *
     * @param <T> the exceptions' type
     * @param type the exceptions' class
     * @return the exceptions, in order
     */
    public synchronized <T extends Throwable> List<T> uncaught(Class<T> type) {
        List<T> out = new ArrayList<>();
        for (Uncaught u : uncaught) {
            if (type.isInstance(u.exception())) {
                out.add(type.cast(u.exception()));
                taken.add(u);
            }
        }
        return out;
    }

    /** Stops capturing, and passes on what the test did not take. */
    @Override
    public void close() {
        logger.removeHandler(handler);
        for (Handler h : outer) {
            logger.addHandler(h);
        }
        logger.setUseParentHandlers(parents);
        Thread.setDefaultUncaughtExceptionHandler(outerUncaught);
        List<LogRecord> untakenRecords;
        List<Uncaught> untakenUncaught;
        synchronized (this) {
            untakenRecords = records.stream()
                    .filter(r -> !taken.contains(r) && expected.stream().noneMatch(e -> e.test(r))).toList();
            untakenUncaught = uncaught.stream().filter(u -> !taken.contains(u)).toList();
        }
        for (LogRecord r : untakenRecords) {
            logger.log(r);
        }
        for (Uncaught u : untakenUncaught) {
            if (outerUncaught != null) {
                outerUncaught.uncaughtException(u.thread(), u.exception());
            } else { // what the JVM prints when no handler is set (ThreadGroup.uncaughtException)
                System.err.print("Exception in thread \"" + u.thread().getName() + "\" ");
                u.exception().printStackTrace(System.err);
            }
        }
    }
}
