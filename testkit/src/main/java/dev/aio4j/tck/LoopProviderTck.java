package dev.aio4j.tck;

import dev.aio4j.spi.LoopProvider;
import org.junit.jupiter.api.Nested;

/**
 * The whole TCK in one class: extend it, return your provider, and every
 * verification area runs as a nested group.
 *
 * <pre>{@code
 * class MyBackendTckTest extends LoopProviderTck {
 *     @Override protected LoopProvider provider() { return new MyLoopProvider(); }
 * }
 * }</pre>
 */
public abstract class LoopProviderTck {

    /** The backend under test. */
    protected abstract LoopProvider provider();

    /** SPEC section D. */
    @Nested
    class Packaging extends PackagingVerification {
        @Override
        protected LoopProvider provider() {
            return LoopProviderTck.this.provider();
        }
    }

    /** SPEC section S. */
    @Nested
    class Scheduling extends SchedulingVerification {
        @Override
        protected LoopProvider provider() {
            return LoopProviderTck.this.provider();
        }
    }

    /** SPEC section L. */
    @Nested
    class Lifecycle extends LifecycleVerification {
        @Override
        protected LoopProvider provider() {
            return LoopProviderTck.this.provider();
        }
    }

    /** SPEC section F. */
    @Nested
    class Futures extends FutureVerification {
        @Override
        protected LoopProvider provider() {
            return LoopProviderTck.this.provider();
        }
    }

    /** SPEC section T. */
    @Nested
    class Tasks extends TaskVerification {
        @Override
        protected LoopProvider provider() {
            return LoopProviderTck.this.provider();
        }
    }

    /** SPEC section C. */
    @Nested
    class Cancellation extends CancellationVerification {
        @Override
        protected LoopProvider provider() {
            return LoopProviderTck.this.provider();
        }
    }

    /** SPEC section X. */
    @Nested
    class ExecutorBridge extends ExecutorBridgeVerification {
        @Override
        protected LoopProvider provider() {
            return LoopProviderTck.this.provider();
        }
    }

    /** SPEC section H. */
    @Nested
    class Threads extends ThreadSafetyVerification {
        @Override
        protected LoopProvider provider() {
            return LoopProviderTck.this.provider();
        }
    }

    /** SPEC section E. */
    @Nested
    class Errors extends ErrorHandlingVerification {
        @Override
        protected LoopProvider provider() {
            return LoopProviderTck.this.provider();
        }
    }

    /** SPEC section B: blocking calls inside tasks (capability BLOCKING_CALLS_YIELD). */
    @Nested
    class BlockingCalls extends BlockingCallsVerification {
        @Override
        protected LoopProvider provider() {
            return LoopProviderTck.this.provider();
        }
    }

    /** SPEC section N: TCP streams (sockets: capability REAL_SOCKETS). */
    @Nested
    class Streams extends StreamsVerification {
        @Override
        protected LoopProvider provider() {
            return LoopProviderTck.this.provider();
        }
    }
}
