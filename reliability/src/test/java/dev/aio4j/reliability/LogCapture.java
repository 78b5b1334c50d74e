package dev.aio4j.reliability;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Records what reaches the JUL logger {@code dev.aio4j} (aio4j's
 * {@code System.Logger}, on the JDK's default binding) while open, and keeps
 * it out of the build's output: the default exception handler logs there.
 */
final class LogCapture extends Handler implements AutoCloseable {
    private final List<LogRecord> records = new ArrayList<>();
    private final Logger logger = Logger.getLogger("dev.aio4j");
    private final boolean parents = logger.getUseParentHandlers();

    LogCapture() {
        setLevel(Level.ALL);
        logger.addHandler(this);
        logger.setUseParentHandlers(false);
    }

    @Override
    public synchronized void publish(LogRecord r) {
        records.add(r);
    }

    /** Records at {@code level} whose message starts with {@code prefix}. */
    synchronized long count(Level level, String prefix) {
        return records.stream()
                .filter(r -> r.getLevel().equals(level) && r.getMessage() != null && r.getMessage().startsWith(prefix))
                .count();
    }

    @Override
    public void flush() {}

    @Override
    public void close() {
        logger.removeHandler(this);
        logger.setUseParentHandlers(parents);
    }
}
