package dev.aio4j.tck;

import static dev.aio4j.tck.LoopSteps.spawn;

import dev.aio4j.Task;
import dev.aio4j.sync.Queue;
import java.util.ArrayList;
import java.util.List;

/**
 * The base of the verifications of SPEC section Q, the queues of
 * {@code dev.aio4j.sync} ({@code Queue}, {@code LifoQueue},
 * {@code PriorityQueue}): library code in the API run on the provider's
 * loop. Orders are made by hand, as in {@link SyncVerification}: tasks reach
 * their wait in a few loop iterations ({@code settle}), a wake-up that should
 * come is waited for a bounded number of iterations ({@code finishes}), never
 * by a sleep. A task created before a put runs its first step before the
 * getter that put wakes resumes: that is how a barging task is staged.
 *
 * <p>The rules are split in three classes, which all report as the area
 * "Queue": {@link QueueVerification} (confinement, input, order, full and
 * empty, and every queue at once), {@link QueueHandOffVerification} (items
 * and slots handed to waiters, and cancellation) and
 * {@link QueueJoinAndShutdownVerification}. Each says which planted defects
 * in {@code dev.aio4j.sync} its tests were proved to catch.
 */
abstract class AbstractQueueVerification extends AbstractVerification {
    /** For the Queue area's classes. */
    AbstractQueueVerification() {}

    @Override
    protected String area() {
        return "Queue";
    }

    /** A task that puts {@code item} into {@code q}, waiting for room if the queue is full. */
    static Task<Void> putter(Queue<String> q, String item) {
        return spawn(() -> {
            q.put(item);
            return null;
        });
    }

    /** Every item left in {@code q}, taken without waiting, in the order the queue gives them. */
    static List<String> drain(Queue<String> q) {
        List<String> out = new ArrayList<>();
        while (!q.isEmpty()) {
            out.add(q.getNow());
        }
        return out;
    }
}
