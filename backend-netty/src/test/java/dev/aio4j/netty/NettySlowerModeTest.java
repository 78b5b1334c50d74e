package dev.aio4j.netty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.aio4j.engine.VirtualThreadCarrier;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * SPEC D7 for netty: what the backend says about its mode, and the WARNING
 * it asks for when a missing flag puts it on a slower one. The inputs are
 * passed in, so that both sides of each flag are checked in this one JVM.
 */
class NettySlowerModeTest {
    private static final String ADD_OPENS = "--add-opens java.base/java.lang=ALL-UNNAMED";
    private static final String NATIVE = "--enable-native-access=ALL-UNNAMED";

    @Test
    void withoutAddOpens_auto_namesTheFlagAndTheWayToKeepTheMode() {
        Optional<String> cause = NettyLoopProvider.carryingCause(null, false, () -> true, ADD_OPENS);
        assertTrue(cause.isPresent());
        assertTrue(cause.get().contains("because this JVM lacks " + ADD_OPENS), cause.get());
        assertTrue(cause.get().contains("the transport is epoll, not io_uring"), cause.get());
        assertTrue(cause.get().contains("-Daio4j.netty.taskThreads=default"), cause.get());
    }

    @Test
    void withoutAddOpens_noIoUringHere_doesNotPromiseIt() {
        String cause = NettyLoopProvider.carryingCause("auto", false, () -> false, ADD_OPENS).orElseThrow();
        assertFalse(cause.contains("io_uring"), cause);
    }

    @Test
    void withAddOpens_orDefaultChosen_nothingToSay() {
        AtomicBoolean probed = new AtomicBoolean();
        assertEquals(Optional.empty(), NettyLoopProvider.carryingCause(null, true, () -> probed.getAndSet(true), ADD_OPENS));
        assertEquals(Optional.empty(), NettyLoopProvider.carryingCause("default", false, () -> probed.getAndSet(true), ADD_OPENS));
        assertFalse(probed.get(), "io_uring was probed (a ring set up) for nothing");
    }

    @Test
    void nativeAccessDenied_auto_namesTheFlag() {
        String cause = NettyLoopProvider.nativeAccessCause(null, () -> true, NATIVE).orElseThrow();
        assertTrue(cause.contains("the transport is nio") && cause.contains("Add " + NATIVE), cause);
        assertTrue(cause.contains("-Daio4j.netty.transport=nio"), cause);
        assertEquals(Optional.empty(), NettyLoopProvider.nativeAccessCause("nio", () -> true, NATIVE));
        assertEquals(Optional.empty(), NettyLoopProvider.nativeAccessCause("auto", () -> false, NATIVE));
    }

    /** What Netty 4.2 reports under --illegal-native-access=deny: the JDK's refusal, suppressed in its link error. */
    @Test
    void deniedNativeAccess_isFoundAmongTheSuppressedFailures() {
        UnsatisfiedLinkError e = new UnsatisfiedLinkError("could not load a native library: netty_transport_native_epoll");
        UnsatisfiedLinkError inner = new UnsatisfiedLinkError("could not load a native library: x");
        inner.addSuppressed(new IllegalCallerException("Illegal native access from an unnamed module (file:netty-common.jar)"));
        e.addSuppressed(inner);
        assertTrue(Transport.deniesNativeAccess(e, 0));
        assertFalse(Transport.deniesNativeAccess(new UnsatisfiedLinkError("no such library"), 0));
        assertFalse(Transport.deniesNativeAccess(null, 0));
    }

    /** This test JVM has both flags (the pom's argLine): the mode is the fastest, and says what runs. */
    @Test
    void inThisJvm_modeNamesTransportAndTaskThreads_andNoWarning() {
        NettyLoopProvider p = new NettyLoopProvider();
        String expectedThreads = VirtualThreadCarrier.unavailabilityCause().isEmpty()
                ? "carried on the event loop's thread" : "on virtual threads of the JDK's default scheduler";
        assertEquals("transport " + NettyLoopProvider.transport() + ", task bodies " + expectedThreads, p.mode());
        if (VirtualThreadCarrier.unavailabilityCause().isEmpty() && !Transport.nativeAccessDenied()) {
            assertEquals(Optional.empty(), p.slowerModeCause());
        }
        assertEquals(Optional.empty(), new NettyLoopProvider("default").slowerModeCause()
                .filter(c -> c.contains("task bodies")), "default was chosen: no want of a flag");
    }

    @Test
    void flags_areTheClassPathForms() {
        assertEquals(ADD_OPENS, VirtualThreadCarrier.addOpensFlag());
        assertEquals(NATIVE, Transport.enableNativeAccessFlag());
    }
}
