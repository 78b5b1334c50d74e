package dev.aio4j.loom;

import dev.aio4j.Loop;
import dev.aio4j.LoopOptions;
import dev.aio4j.engine.Engine;
import dev.aio4j.engine.IoDriver;
import dev.aio4j.engine.TaskThreads;
import dev.aio4j.engine.VirtualThreadCarrier;
import dev.aio4j.spi.Capability;
import dev.aio4j.spi.LoopProvider;
import java.util.Optional;
import java.util.Set;

/**
 * The {@code loom} backend: the loop is the scheduler of its virtual threads.
 * It is aio4j's engine composed of the selector I/O driver
 * ({@link IoDriver#selector()}) and carried task threads ({@link TaskThreads#carried()}).
 *
 * <p>The thread that calls {@code runForever} carries the loop: the loop
 * strand and every task body are virtual threads whose continuations run
 * there, one at a time. An await is a park, a resume an entry in the loop's
 * queue of continuations; nothing spins.
 *
 * <p><b>JVM flag.</b> The JDK (21 to 25) has no public API for a custom
 * virtual-thread scheduler; this backend reaches the package-private
 * {@code java.lang.ThreadBuilders$VirtualThreadBuilder(Executor)} by
 * reflection (in the engine's {@link VirtualThreadCarrier}) and needs
 * {@code --add-opens java.base/java.lang=ALL-UNNAMED} (on the module path:
 * {@code =dev.aio4j.engine}, the module that holds the carrier). Without it
 * {@link #unavailabilityCause()} gives that flag, {@link #open} throws
 * {@link UnsupportedOperationException} with it, and discovery without a
 * chosen backend skips this one.
 *
 * <p><b>Blocking calls yield</b> ({@link Capability#BLOCKING_CALLS_YIELD}). A
 * JDK blocking call in a task's body ({@code Thread.sleep}, a blocking socket
 * read, {@code ReentrantLock.lock}, {@code Object.wait}, a contended
 * {@code synchronized}) parks that task's virtual thread; the loop sees its
 * task parked while holding the loop, takes the loop back and runs the other
 * tasks and callbacks. When the call returns, the task waits its turn (like a
 * {@code callSoonThreadsafe}) and continues its step where it was. So a
 * blocking call is an extra switch point of that task. A blocking call in a
 * plain callback ({@code callSoon}, {@code callLater}, a done callback) still
 * holds the loop, as in asyncio; it does not hold the carrier, though.
 * On JDK 21 to 23, a virtual thread blocking inside {@code synchronized}
 * pins its carrier, which here is the loop itself: the whole loop stops for
 * the duration (JEP 491 lifted this in JDK 24).
 *
 * <p><b>Virtual threads started inside the loop.</b> {@code Thread.ofVirtual()}
 * called in a task or callback creates a thread that inherits this loop as
 * its scheduler (JDK behaviour): it runs on the loop's carrier, interleaved
 * with the loop at their blocking points, but it is not on the loop (it must
 * not call confined loop methods; use {@code callSoonThreadsafe}). While the
 * task that started it is detached in a blocking call, its continuations wait
 * for that task's turn. After the loop stops or closes, such threads are
 * carried by a shared daemon platform thread. For a thread independent of
 * the loop use {@code Thread.ofPlatform()} or {@code runInExecutor}.
 *
 * <p><b>Socket poller.</b> Before the first loop opens, the JDK's socket
 * pollers are started from a platform thread, so that they never inherit a
 * loop as their scheduler (see {@code -Djdk.pollerMode=1} for an alternative).
 */
public final class LoomLoopProvider implements LoopProvider {
    private static final Engine ENGINE = Engine.builder("loom")
            .io(IoDriver.selector())
            .taskThreads(TaskThreads.carried())
            .build();

    /** Discovery needs a public no-argument constructor. */
    public LoomLoopProvider() {}

    @Override
    public String name() {
        return "loom";
    }

    @Override
    public String artifact() {
        return "dev.aio4j:aio4j-backend-loom";
    }

    @Override
    public String design() {
        return "task bodies are virtual threads whose scheduler is the loop: an await is a park and a resume a "
                + "queue entry on the loop's one carrier; a blocking JDK call parks only its task; needs "
                + "--add-opens java.base/java.lang=ALL-UNNAMED";
    }

    /**
     * {@inheritDoc}
     *
     * <p>There is no slower mode: without the {@code --add-opens} flag this
     * backend does not run at all ({@link #unavailabilityCause()}), and
     * discovery says so when it picks another backend instead.
     */
    @Override
    public String mode() {
        return "task bodies on virtual threads scheduled by the loop on its own thread, I/O on a java.nio Selector";
    }

    @Override
    public Set<Capability> capabilities() {
        return ENGINE.capabilities();
    }

    @Override
    public Optional<String> unavailabilityCause() {
        return VirtualThreadCarrier.unavailabilityCause();
    }

    /**
     * {@inheritDoc}
     *
     * @throws UnsupportedOperationException without the {@code --add-opens} flag, naming it
     */
    @Override
    public Loop open(LoopOptions options) {
        Optional<String> cause = unavailabilityCause();
        if (cause.isPresent()) {
            throw new UnsupportedOperationException(cause.get());
        }
        return ENGINE.open(options);
    }

    @Override
    public String toString() {
        return "LoomLoopProvider";
    }
}
