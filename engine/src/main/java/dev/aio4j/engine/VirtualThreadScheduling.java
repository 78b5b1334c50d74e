package dev.aio4j.engine;

import java.util.Optional;
import java.util.concurrent.Executor;

/**
 * The one thing {@link VirtualThreadCarrier} needs from the JDK that it has no public API
 * for (JDK 21 to 25): virtual threads whose continuations run on an
 * {@link Executor} of our choosing. Behind an interface so that a public
 * scheduler API can replace {@link ReflectiveVirtualThreadScheduling} without
 * touching the carrier.
 */
interface VirtualThreadScheduling {

    /**
     * A builder of virtual threads that submit their continuations to
     * {@code scheduler}. Virtual threads these threads start with
     * {@code Thread.ofVirtual()} inherit {@code scheduler} (JDK behaviour).
     */
    Thread.Builder.OfVirtual builder(Executor scheduler);

    /**
     * The platform thread that runs the calling thread: its carrier if the
     * caller is a mounted virtual thread, else the caller itself; or null if
     * this implementation cannot tell. It lets a scheduler recognise a
     * hand-off made on its own carrier, which needs neither a thread-safe
     * queue nor a wake-up. Any thread; cheap (a JIT intrinsic).
     */
    Thread currentCarrierThread();

    /** The implementation for this JVM. */
    static VirtualThreadScheduling get() {
        return ReflectiveVirtualThreadScheduling.INSTANCE;
    }

    /** Why {@link #get()} cannot work in this JVM, with the exact fix; empty when it can. */
    static Optional<String> unavailabilityCause() {
        return ReflectiveVirtualThreadScheduling.unavailabilityCause();
    }
}
