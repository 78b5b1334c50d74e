package dev.aio4j.tck;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Assumptions;

/**
 * Records what reaches the JUL logger {@value #LOGGER} (aio4j's
 * {@code System.Logger}) while it is open, and keeps it out of the build's
 * output: for tests that provoke reports on purpose and assert them. Skips
 * the test (with the reason) where {@code System.Logger} is not backed by
 * java.util.logging. Open it in a try-with-resources; thread-safe.
 */
public final class LogCapture extends Handler implements AutoCloseable {
    /** The name of the System.Logger the engine logs to. */
    public static final String LOGGER = "dev.aio4j";

    private final List<LogRecord> records = new ArrayList<>();
    private final Logger logger = Logger.getLogger(LOGGER);
    private final boolean parents = logger.getUseParentHandlers();

    /** Starts recording, and stops the logger's parents from printing, until {@link #close()}. */
    public LogCapture() {
        Assumptions.assumeTrue(System.LoggerFinder.getLoggerFinder().getClass().getName()
                        .equals("sun.util.logging.internal.LoggingProviderImpl"),
                () -> "System.Logger is not backed by java.util.logging here ("
                        + System.LoggerFinder.getLoggerFinder().getClass().getName() + "): cannot observe the log");
        setLevel(Level.ALL);
        logger.addHandler(this);
        logger.setUseParentHandlers(false); // keep the expected warnings out of the build output
    }

    @Override
    public synchronized void publish(LogRecord r) {
        records.add(r);
    }

    /**
     * The records so far at {@code level} whose message starts with {@code prefix} and contains {@code contains}.
     *
     * @param level the records' level
     * @param prefix how their message starts
     * @param contains what their message contains
     * @return the records, in order
     */
    public synchronized List<LogRecord> matching(Level level, String prefix, String contains) {
        List<LogRecord> out = new ArrayList<>();
        for (LogRecord r : records) {
            String m = r.getMessage();
            if (r.getLevel().equals(level) && m != null && m.startsWith(prefix) && m.contains(contains)) {
                out.add(r);
            }
        }
        return out;
    }

    @Override
    public void flush() {}

    @Override
    public void close() {
        logger.removeHandler(this);
        logger.setUseParentHandlers(parents);
    }
}
