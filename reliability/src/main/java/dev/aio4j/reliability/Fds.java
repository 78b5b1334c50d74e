package dev.aio4j.reliability;

import java.io.File;
import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;

/** This process's file descriptors, as the operating system counts them. */
public final class Fds {
    private Fds() {}

    /** Open descriptors now: the entries of {@code /proc/self/fd}, else the JDK's count; -1 if neither is known. */
    public static long open() {
        String[] l = new File("/proc/self/fd").list();
        if (l != null) {
            return l.length;
        }
        OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.UnixOperatingSystemMXBean u) {
            return u.getOpenFileDescriptorCount();
        }
        return -1;
    }

    /** The soft limit on open descriptors ({@code ulimit -n}); {@code Long.MAX_VALUE} if not known. */
    public static long max() {
        OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.UnixOperatingSystemMXBean u && u.getMaxFileDescriptorCount() > 0) {
            return u.getMaxFileDescriptorCount();
        }
        return Long.MAX_VALUE;
    }

    /**
     * How many loopback connections this process can hold at once, both ends
     * in it (two descriptors each), leaving {@code headroom} descriptors free
     * for the JVM, the loops and the build.
     */
    public static int loopbackConnectionsAvailable(int headroom) {
        long max = max();
        if (max == Long.MAX_VALUE) {
            return Integer.MAX_VALUE;
        }
        long free = max - Math.max(0, open()) - headroom;
        return (int) Math.max(0, Math.min(Integer.MAX_VALUE, free / 2));
    }
}
