package dev.aio4j.loom;

import dev.aio4j.Loop;
import dev.aio4j.Loops;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Child-JVM main: the JVM's first blocking socket read happens in a loom task;
 * after that loop closes, a socket read on a default-scheduler virtual thread
 * must still wake up, although the JDK started its socket pollers as virtual
 * threads of whichever thread first blocked on a socket. Exit 0 if it does.
 */
public final class PollerProbe {
    private PollerProbe() {}

    public static void main(String[] args) throws Exception {
        InetAddress lo = InetAddress.getLoopbackAddress();
        try (ServerSocket server = new ServerSocket(0, 4, lo)) {
            Loop loop = Loops.open("loom");
            try (Socket c = new Socket(lo, server.getLocalPort()); Socket a = server.accept()) {
                int got = loop.runUntilComplete(() -> {
                    var reader = loop.createTask(() -> a.getInputStream().read());
                    loop.createTask(() -> {
                        c.getOutputStream().write(7);
                        return null;
                    });
                    return reader.await();
                });
                System.out.println("in loop read " + got);
            }
            loop.close();
            try (Socket c = new Socket(lo, server.getLocalPort()); Socket a = server.accept()) {
                a.setSoTimeout(5000);
                AtomicInteger got = new AtomicInteger(-1);
                Thread reader = Thread.ofVirtual().start(() -> {
                    try {
                        got.set(a.getInputStream().read());
                    } catch (Exception e) {
                        System.out.println("default virtual thread read failed: " + e);
                    }
                });
                // Let the reader block first, so that the poller must wake it: wait until it parks.
                long deadline = System.nanoTime() + 10_000_000_000L;
                while (reader.getState() != Thread.State.WAITING && reader.getState() != Thread.State.TIMED_WAITING
                        && reader.isAlive() && System.nanoTime() < deadline) {
                    Thread.onSpinWait();
                }
                c.getOutputStream().write(9);
                reader.join(10_000);
                System.out.println("after close read " + got.get());
                System.exit(got.get() == 9 ? 0 : 1);
            }
        }
    }
}
