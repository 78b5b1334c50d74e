package dev.aio4j.engine;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Constructor;
import java.util.Optional;
import java.util.concurrent.Executor;

/**
 * {@link VirtualThreadScheduling} through the package-private constructor
 * {@code java.lang.ThreadBuilders$VirtualThreadBuilder(Executor)}, reached by
 * reflection. Needs {@code --add-opens java.base/java.lang=<this module>}; the
 * only class of aio4j that touches JDK internals.
 */
final class ReflectiveVirtualThreadScheduling implements VirtualThreadScheduling {
    static final ReflectiveVirtualThreadScheduling INSTANCE = new ReflectiveVirtualThreadScheduling();

    private static final String BUILDER = "java.lang.ThreadBuilders$VirtualThreadBuilder";
    private static final MethodHandle NEW_BUILDER;
    /** {@code Thread.currentCarrierThread()} (a JIT intrinsic), or a constant null where this JDK lacks it. */
    private static final MethodHandle CURRENT_CARRIER;
    private static final String CAUSE;

    static {
        MethodHandle mh = null;
        String cause = null;
        try {
            Constructor<?> c = Class.forName(BUILDER).getDeclaredConstructor(Executor.class);
            c.setAccessible(true);
            mh = MethodHandles.lookup().unreflectConstructor(c)
                    .asType(MethodType.methodType(Thread.Builder.OfVirtual.class, Executor.class));
        } catch (RuntimeException e) { // InaccessibleObjectException: the package is not opened
            cause = missingFlagMessage(ReflectiveVirtualThreadScheduling.class.getModule(), e);
        } catch (ReflectiveOperationException e) {
            cause = "this JDK (" + Runtime.version() + ") has no " + BUILDER + "(Executor) constructor ("
                    + e + "); loops that carry their own virtual threads support JDK 21 to 25";
        }
        NEW_BUILDER = mh;
        CAUSE = cause;
        MethodHandle carrier = MethodHandles.constant(Thread.class, null);
        if (mh != null) {
            try {
                carrier = MethodHandles.privateLookupIn(Thread.class, MethodHandles.lookup())
                        .findStatic(Thread.class, "currentCarrierThread", MethodType.methodType(Thread.class));
            } catch (RuntimeException | ReflectiveOperationException e) {
                // an optimisation only: without it every hand-off takes the thread-safe path
            }
        }
        CURRENT_CARRIER = carrier;
    }

    private ReflectiveVirtualThreadScheduling() {}

    /** The JVM flag that opens java.lang to {@code module}: its name when named, else ALL-UNNAMED. */
    static String addOpensFlag(Module module) {
        return "--add-opens java.base/java.lang=" + (module.isNamed() ? module.getName() : "ALL-UNNAMED");
    }

    /** The unavailability message: what is missing and the exact flag. */
    static String missingFlagMessage(Module module, Throwable why) {
        return "a loop that carries its own virtual threads (the loom backend; the netty backend's task bodies on "
                + "its event-loop thread) schedules them through the JDK-internal " + BUILDER
                + "(Executor) and needs the JVM flag " + addOpensFlag(module)
                + " (add it to the java command line, or to Maven Surefire's argLine); without it: " + why;
    }

    static Optional<String> unavailabilityCause() {
        return Optional.ofNullable(CAUSE);
    }

    @Override
    public Thread.Builder.OfVirtual builder(Executor scheduler) {
        if (NEW_BUILDER == null) {
            throw new UnsupportedOperationException(CAUSE);
        }
        try {
            return (Thread.Builder.OfVirtual) NEW_BUILDER.invokeExact(scheduler);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public Thread currentCarrierThread() {
        try {
            return (Thread) CURRENT_CARRIER.invokeExact();
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
    }
}
