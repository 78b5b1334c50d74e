package dev.aio4j.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.aio4j.Loop;
import dev.aio4j.Loops;
import dev.aio4j.spi.LoopProvider;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The suite covers what it says: every backend is on the class path and can
 * run here, netty on at least one transport in each task-thread mode, and
 * each target opens the loop it names.
 */
@Order(1)
class BackendsTest {

    /** Every backend can run in this JVM; the suite runs on all of them (unless -Daio4j.reliability.backends narrows it). */
    @Test
    void everyBackendIsHereAndCanRun() {
        List<String> names = Loops.providers().stream().map(LoopProvider::name).sorted().toList();
        assertEquals(List.of("executor", "loom", "netty"), names, "the backends on the class path");
        for (LoopProvider p : Loops.providers()) {
            assertEquals(Optional.empty(), p.unavailabilityCause(), p.name() + " cannot run here");
        }
        if (Knobs.backendsFilter().isEmpty()) {
            List<String> ids = Target.all().stream().map(Target::id).toList();
            assertTrue(ids.contains("executor") && ids.contains("loom"), "targets: " + ids);
            assertTrue(ids.stream().anyMatch(i -> i.startsWith("netty:") && i.endsWith(":loop")), "targets: " + ids);
            assertTrue(ids.stream().anyMatch(i -> i.startsWith("netty:") && i.endsWith(":default")), "targets: " + ids);
            System.out.println("aio4j reliability: targets " + ids + ", scale " + Knobs.scale() + ", timeout "
                    + Knobs.timeout() + ", descriptors " + Fds.open() + " open of " + Fds.max());
        }
    }

    /** Each target opens a loop of its backend, on its transport for netty. */
    @ParameterizedTest(name = "{0}")
    @MethodSource(Harness.TARGETS)
    void eachTargetOpensTheLoopItNames(Target target) throws Exception {
        Loop loop = target.open("backends");
        try {
            assertEquals(target.backend(), loop.backendName());
            assertEquals("ran", Harness.run(loop, () -> "ran"));
        } finally {
            loop.close();
        }
    }
}
