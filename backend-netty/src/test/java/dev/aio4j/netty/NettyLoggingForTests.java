package dev.aio4j.netty;

import io.netty.util.internal.logging.InternalLoggerFactory;
import io.netty.util.internal.logging.JdkLoggerFactory;
import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/**
 * Gives Netty its logger (java.util.logging, the one it ends up with here
 * anyway) before any test runs, so that it does not probe for SLF4J and Log4J:
 * the probe leaves classes that failed to initialize or link (Log4JLogger,
 * Slf4JLoggerFactory$NopInstanceHolder) in the JVM, and the TCK's Lincheck run,
 * which retransforms every loaded class, prints a stack trace for each.
 * Registered in META-INF/services for the module's test JVMs.
 */
public final class NettyLoggingForTests implements LauncherSessionListener {
    @Override
    public void launcherSessionOpened(LauncherSession session) {
        InternalLoggerFactory.setDefaultFactory(JdkLoggerFactory.INSTANCE);
    }
}
