package dev.aio4j.loom;

import dev.aio4j.LoopOptions;
import dev.aio4j.spi.SelectorLoop;
import dev.aio4j.spi.VirtualThreadCarrier;

/**
 * The loom backend's loop: the shared engine, with the loop strand and every
 * task thread being virtual threads of this loop's own
 * {@link VirtualThreadCarrier}, and the selector engine's sockets.
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
    private final VirtualThreadCarrier carrier;

    LoomLoop(LoopOptions options) {
        super(options, 0);
        this.carrier = new VirtualThreadCarrier(this);
    }

    @Override
    protected Thread newTaskThread(Runnable body) {
        return carrier.newTaskThread(body);
    }

    @Override
    protected void runLoopStrand(Runnable body) {
        carrier.run(body);
    }

    @Override
    protected void closeResources() {
        super.closeResources(); // the selector's sockets
        carrier.interruptDetached();
    }

    @Override
    public String backendName() {
        return "loom";
    }
}
