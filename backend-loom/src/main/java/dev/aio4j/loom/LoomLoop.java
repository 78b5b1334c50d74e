package dev.aio4j.loom;

import dev.aio4j.LoopOptions;
import dev.aio4j.spi.SelectorLoop;

/**
 * The loom backend's loop: the shared engine, with the loop strand and every
 * task thread being virtual threads of this loop's own {@link Carrier}.
 *
 * <p>The thread that calls {@code runForever} becomes the carrier; the loop
 * strand runs as a virtual thread on it (so code on the loop that blocks
 * parks a virtual thread and frees the carrier for the thread it waits for:
 * the carrier cannot deadlock on its own parked threads, Netty issue 13204).
 * A virtual thread cannot carry others, so when {@code runForever} is called
 * from a virtual thread, a platform thread carries and the caller waits.
 *
 * <p>The baton never spins: with one carrier, the next holder can only run
 * after the current one parks.
 */
final class LoomLoop extends SelectorLoop {
    private final Carrier carrier;

    LoomLoop(LoopOptions options, VirtualThreadScheduling vts) {
        super(options, 0);
        this.carrier = new Carrier(this, vts);
    }

    String name() {
        return options().name();
    }

    @Override
    protected Thread newTaskThread(Runnable body) {
        return carrier.newTaskThread(body);
    }

    @Override
    protected void runLoopStrand(Runnable body) {
        if (!Thread.currentThread().isVirtual()) {
            carrier.run(body);
            return;
        }
        Throwable[] failure = new Throwable[1];
        Thread t = Thread.ofPlatform().name("aio4j-carrier-" + name()).start(() -> {
            try {
                carrier.run(body);
            } catch (Throwable e) {
                failure[0] = e;
            }
        });
        Joins.uninterruptibly(t); // the loop must not be left running
        if (failure[0] instanceof RuntimeException e) {
            throw e;
        }
        if (failure[0] instanceof Error e) {
            throw e;
        }
    }

    @Override
    protected void closeResources() {
        super.closeResources(); // the selector's sockets
        carrier.interruptDetached();
    }

    Thread holder() {
        return batonHolder();
    }

    Object detach(Thread t) {
        return detachBlockedHolder(t);
    }

    void requestRejoin(Object token, Runnable release) {
        rejoin(token, release);
    }

    @Override
    public String backendName() {
        return "loom";
    }
}
