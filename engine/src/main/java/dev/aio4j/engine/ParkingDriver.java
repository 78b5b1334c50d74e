package dev.aio4j.engine;

import java.util.concurrent.locks.LockSupport;

/** {@link IoDriver#parking()}: no I/O; the loop strand parks, and {@code wakeup} unparks it. */
class ParkingDriver implements IoDriver {
    private final LoopHost host;
    /** The thread blocked in awaitWork, for wakeup(). */
    private volatile Thread idleWaiter;

    ParkingDriver(LoopHost host) {
        this.host = host;
    }

    @Override
    public void awaitWork(long timeoutNanos) {
        idleWaiter = Thread.currentThread();
        try {
            if (!host.hasThreadsafeWork()) { // re-checked after publishing idleWaiter: no lost wake-up
                if (timeoutNanos == Long.MAX_VALUE) {
                    LockSupport.park(this);
                } else {
                    LockSupport.parkNanos(this, timeoutNanos);
                }
            }
        } finally {
            idleWaiter = null;
        }
    }

    @Override
    public void wakeup() {
        Thread w = idleWaiter;
        if (w != null) {
            LockSupport.unpark(w);
        }
    }
}
