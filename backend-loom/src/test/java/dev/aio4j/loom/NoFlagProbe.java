package dev.aio4j.loom;

import dev.aio4j.Loop;
import dev.aio4j.LoopOptions;
import dev.aio4j.Loops;
import dev.aio4j.engine.Engine;
import dev.aio4j.spi.Capability;
import dev.aio4j.spi.LoopProvider;
import java.util.Set;

/**
 * Child-JVM main: without --add-opens, prints what Loops says about loom. Exit 0 if it behaved. The
 * test puts {@link Fallback} on the child's class path as a second backend, for discovery to choose.
 */
public final class NoFlagProbe {
    private NoFlagProbe() {}

    public static void main(String[] args) {
        try {
            Loops.open("loom").close();
            System.out.println("OPENED");
            System.exit(1);
        } catch (UnsupportedOperationException e) {
            System.out.println("MESSAGE: " + e.getMessage());
        }
        System.out.println("CHOSEN: " + Loops.provider().name()); // loom is skipped: the fallback is the only usable one
        Loops.provider(); // discovery again (as for every loop): its lines are not logged twice
        System.exit(0);
    }

    /** A second backend that runs without the flag: the engine with no I/O and default-scheduler task threads. */
    public static final class Fallback implements LoopProvider {
        private static final Engine ENGINE = Engine.builder("fallback").build();

        /** ServiceLoader needs a public no-argument constructor. */
        public Fallback() {}

        @Override
        public String name() {
            return "fallback";
        }

        @Override
        public String artifact() {
            return "(loom's tests)";
        }

        @Override
        public Set<Capability> capabilities() {
            return ENGINE.capabilities();
        }

        @Override
        public Loop open(LoopOptions options) {
            return ENGINE.open(options);
        }
    }
}
