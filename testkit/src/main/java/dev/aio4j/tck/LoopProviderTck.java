package dev.aio4j.tck;

import dev.aio4j.spi.LoopProvider;
import org.junit.jupiter.api.ClassOrderer;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.TestClassOrder;

/**
 * The whole TCK in one class: extend it, return your provider, and every
 * verification area runs as a nested group, tagged with its name (so that
 * {@code mvn test -Dgroups=Sockets} runs one area). The large areas (Sync,
 * Queue, Sockets) are split in several nested groups by component, each
 * with the area's tag.
 *
 * <pre>{@code
 * class MyBackendTckTest extends LoopProviderTck {
 *     @Override protected LoopProvider provider() { return new MyLoopProvider(); }
 * }
 * }</pre>
 */
// Threads first: its Lincheck run (H12) retransforms every class loaded so far, which takes far longer once
// the Sockets area has loaded a transport's classes (netty: 60 s instead of 10 s).
@TestClassOrder(ClassOrderer.OrderAnnotation.class)
public abstract class LoopProviderTck {
    /** For a backend's TCK class, which names its provider. */
    protected LoopProviderTck() {}


    /**
     * The backend under test.
     *
     * @return the provider
     */
    protected abstract LoopProvider provider();

    /**
     * The configuration this class runs the backend in, for a backend that
     * runs the TCK in more than one (with and without a JVM flag, say): it
     * names this run's conformance summary ({@code backend/configuration}),
     * so that the runs are reported side by side instead of one overwriting
     * the other. Empty (the default) for a backend's only configuration.
     *
     * @return the configuration's name; empty for the only one
     */
    protected String configuration() {
        return "";
    }

    /** SPEC section D. */
    @Nested
    @Tag("Packaging")
    class Packaging extends PackagingVerification {
        @Override
        protected LoopProvider provider() {
            return LoopProviderTck.this.provider();
        }
    }

    /** SPEC section S. */
    @Nested
    @Tag("Scheduling")
    class Scheduling extends SchedulingVerification {
        @Override
        protected LoopProvider provider() {
            return LoopProviderTck.this.provider();
        }
    }

    /** SPEC section L. */
    @Nested
    @Tag("Lifecycle")
    class Lifecycle extends LifecycleVerification {
        @Override
        protected LoopProvider provider() {
            return LoopProviderTck.this.provider();
        }
    }

    /** SPEC section L: the thread that runs a loop, and the memory it keeps. */
    @Nested
    @Tag("Lifecycle")
    class LoopResources extends LoopResourcesVerification {
        @Override
        protected LoopProvider provider() {
            return LoopProviderTck.this.provider();
        }
    }

    /** SPEC section F. */
    @Nested
    @Tag("Futures")
    class Futures extends FutureVerification {
        @Override
        protected LoopProvider provider() {
            return LoopProviderTck.this.provider();
        }
    }

    /** SPEC section T. */
    @Nested
    @Tag("Tasks")
    class Tasks extends TaskVerification {
        @Override
        protected LoopProvider provider() {
            return LoopProviderTck.this.provider();
        }
    }

    /** SPEC section C. */
    @Nested
    @Tag("Cancellation")
    class Cancellation extends CancellationVerification {
        @Override
        protected LoopProvider provider() {
            return LoopProviderTck.this.provider();
        }
    }

    /** SPEC section G: gather, wait, asCompleted and shield (library code in the API). */
    @Nested
    @Tag("Combinators")
    class Combinators extends CombinatorVerification {
        @Override
        protected LoopProvider provider() {
            return LoopProviderTck.this.provider();
        }
    }

    /** SPEC section K: TaskGroup (library code in the API). */
    @Nested
    @Tag("TaskGroup")
    class TaskGroups extends TaskGroupVerification {
        @Override
        protected LoopProvider provider() {
            return LoopProviderTck.this.provider();
        }
    }

    /** SPEC section W: the timeout scopes and waitFor (library code in the API). */
    @Nested
    @Tag("Timeouts")
    class Timeouts extends TimeoutVerification {
        @Override
        protected LoopProvider provider() {
            return LoopProviderTck.this.provider();
        }
    }

    /** SPEC section V: context variables (library code in the API over the binding's context). */
    @Nested
    @Tag("Context")
    class Contexts extends ContextVerification {
        @Override
        protected LoopProvider provider() {
            return LoopProviderTck.this.provider();
        }
    }

    /** SPEC section R: the runner (library code in the API). */
    @Nested
    @Tag("Runner")
    class Runners extends RunnerVerification {
        @Override
        protected LoopProvider provider() {
            return LoopProviderTck.this.provider();
        }
    }

    /** SPEC section Y (dev.aio4j.sync, library code in the API): the rules of every primitive (Y1 to Y4, Y36 to Y40). */
    @Nested
    @Tag("Sync")
    class Sync extends SyncVerification {
        @Override
        protected LoopProvider provider() {
            return LoopProviderTck.this.provider();
        }
    }

    /** SPEC section Y, Lock (Y5 to Y12). */
    @Nested
    @Tag("Sync")
    class Locks extends LockVerification {
        @Override
        protected LoopProvider provider() {
            return LoopProviderTck.this.provider();
        }
    }

    /** SPEC section Y, Event and Condition (Y13 to Y23). */
    @Nested
    @Tag("Sync")
    class EventsAndConditions extends EventAndConditionVerification {
        @Override
        protected LoopProvider provider() {
            return LoopProviderTck.this.provider();
        }
    }

    /** SPEC section Y, Semaphore, BoundedSemaphore (Y24 to Y27) and CapacityLimiter (Y32 to Y35). */
    @Nested
    @Tag("Sync")
    class SemaphoresAndLimiters extends SemaphoreAndLimiterVerification {
        @Override
        protected LoopProvider provider() {
            return LoopProviderTck.this.provider();
        }
    }

    /** SPEC section Y, Barrier (Y28 to Y31). */
    @Nested
    @Tag("Sync")
    class Barriers extends BarrierVerification {
        @Override
        protected LoopProvider provider() {
            return LoopProviderTck.this.provider();
        }
    }

    /** SPEC section Q (dev.aio4j.sync, library code in the API): the queues' plain use (Q1 to Q8, Q20, Q21). */
    @Nested
    @Tag("Queue")
    class Queue extends QueueVerification {
        @Override
        protected LoopProvider provider() {
            return LoopProviderTck.this.provider();
        }
    }

    /** SPEC section Q, the hand-offs to waiting tasks (Q9 to Q14). */
    @Nested
    @Tag("Queue")
    class QueueHandOffs extends QueueHandOffVerification {
        @Override
        protected LoopProvider provider() {
            return LoopProviderTck.this.provider();
        }
    }

    /** SPEC section Q, taskDone, join and shutdown (Q15 to Q19). */
    @Nested
    @Tag("Queue")
    class QueueJoinAndShutdown extends QueueJoinAndShutdownVerification {
        @Override
        protected LoopProvider provider() {
            return LoopProviderTck.this.provider();
        }
    }

    /** SPEC section X. */
    @Nested
    @Tag("ExecutorBridge")
    class ExecutorBridge extends ExecutorBridgeVerification {
        @Override
        protected LoopProvider provider() {
            return LoopProviderTck.this.provider();
        }
    }

    /** SPEC section H. */
    @Nested
    @Tag("Threads")
    @Order(1)
    class Threads extends ThreadSafetyVerification {
        @Override
        protected LoopProvider provider() {
            return LoopProviderTck.this.provider();
        }
    }

    /** SPEC section E. */
    @Nested
    @Tag("Errors")
    class Errors extends ErrorHandlingVerification {
        @Override
        protected LoopProvider provider() {
            return LoopProviderTck.this.provider();
        }
    }

    /** SPEC section B: blocking calls inside tasks (capability BLOCKING_CALLS_YIELD). */
    @Nested
    @Tag("BlockingCalls")
    class BlockingCalls extends BlockingCallsVerification {
        @Override
        protected LoopProvider provider() {
            return LoopProviderTck.this.provider();
        }
    }

    /** SPEC section N, the reader component (N2 to N7): no socket, every backend. */
    @Nested
    @Tag("StreamReader")
    class StreamReader extends StreamReaderVerification {
        @Override
        protected LoopProvider provider() {
            return LoopProviderTck.this.provider();
        }
    }

    /** SPEC section N, the sockets component: the capability, connections and servers (N1, N8, N12, N13, N15, N20). */
    @Nested
    @Tag("Sockets")
    class Sockets extends SocketsVerification {
        @Override
        protected LoopProvider provider() {
            return LoopProviderTck.this.provider();
        }
    }

    /** SPEC section N, the sockets component: a transport's life (N11, N14, N16; capability REAL_SOCKETS). */
    @Nested
    @Tag("Sockets")
    class Transports extends TransportVerification {
        @Override
        protected LoopProvider provider() {
            return LoopProviderTck.this.provider();
        }
    }

    /** SPEC section N, the sockets component: flow control (N9, N10, N18, N19; capability REAL_SOCKETS). */
    @Nested
    @Tag("Sockets")
    class FlowControl extends FlowControlVerification {
        @Override
        protected LoopProvider provider() {
            return LoopProviderTck.this.provider();
        }
    }

    /** SPEC section M: loop groups (M5, M6 need REAL_SOCKETS). */
    @Nested
    @Tag("LoopGroup")
    class LoopGroups extends LoopGroupVerification {
        @Override
        protected LoopProvider provider() {
            return LoopProviderTck.this.provider();
        }
    }
}
