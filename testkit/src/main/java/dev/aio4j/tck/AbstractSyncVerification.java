package dev.aio4j.tck;

import static dev.aio4j.tck.LoopSteps.spawn;

import dev.aio4j.Future;
import dev.aio4j.Loop;
import dev.aio4j.Task;
import dev.aio4j.sync.CapacityLimiter;
import java.util.List;

/**
 * The base of the verifications of SPEC section Y, the synchronisation
 * primitives of {@code dev.aio4j.sync}: library code in the API run on the
 * provider's loop. Each historical race (a waiter woken and then cancelled
 * before it runs keeps the wake-up: CPython bpo-27585, gh-90155, gh-112202)
 * is a rule. Orders are made by hand: tasks reach their wait in a few loop
 * iterations ({@code settle}), a wake-up that should come is waited for a
 * bounded number of iterations ({@code finishes}), never by a sleep.
 *
 * <p>The rules are split by primitive, one class each (the rules that hold
 * for every primitive are in {@link SyncVerification}); all report as the
 * area "Sync". Each subclass says which planted defects in
 * {@code dev.aio4j.sync} its tests were proved to catch.
 */
abstract class AbstractSyncVerification extends AbstractVerification {
    /** For the Sync area's classes. */
    AbstractSyncVerification() {}

    @Override
    protected String area() {
        return "Sync";
    }

    /** A wait of a primitive: {@code event::await}, {@code semaphore::acquire}. */
    @FunctionalInterface
    interface Wait {
        void run() throws Exception;
    }

    /** A task that waits ({@code event::await}, {@code sem::acquire}: a permit it keeps) and then logs {@code name}. */
    static Task<Void> logsAfter(Wait wait, String name, List<String> log) {
        return spawn(() -> {
            wait.run();
            log.add(name);
            return null;
        });
    }

    /** How a message names a loop: its identity hash, in hex (the loop's toString comes before it). */
    static String identity(Loop loop) {
        return "@" + Integer.toHexString(System.identityHashCode(loop));
    }

    /** A task that borrows a token of {@code limiter}, logs {@code name}, waits for {@code gate} and gives it back. */
    static Task<Void> borrower(CapacityLimiter limiter, String name, List<String> log, Future<Void> gate) {
        return spawn(() -> {
            limiter.acquire();
            log.add(name);
            gate.await();
            limiter.release();
            return null;
        });
    }
}
