package dev.aio4j.engine;

import dev.aio4j.net.Protocol;
import dev.aio4j.net.Transport;

/**
 * A transport's write water marks and its protocol's paused state: asyncio's
 * {@code _FlowControlMixin}, for the transports of every backend (SPEC N9).
 * The transport says how many bytes it holds after each change; this pauses
 * the protocol when that goes above the high mark and resumes it once it is
 * at or below the low one. A protocol's exception is reported to the loop's
 * exception handler (the transport goes on).
 *
 * <p>Loop-confined, like the transport that owns it.
 */
public final class WriteFlowControl {
    private final LoopHost loop;
    private final Protocol protocol;
    private final Transport transport;
    private long high = Transport.DEFAULT_HIGH_WATER;
    private long low = Transport.DEFAULT_HIGH_WATER / 4;
    /** Between the protocol's pauseWriting and resumeWriting. */
    private boolean paused;

    /**
     * @param loop the loop whose exception handler hears of a protocol's failure
     * @param protocol the protocol to pause and resume
     * @param transport the transport, for the report
     */
    public WriteFlowControl(LoopHost loop, Protocol protocol, Transport transport) {
        this.loop = loop;
        this.protocol = protocol;
        this.transport = transport;
    }

    /**
     * Sets the marks (see {@link Transport#setWriteBufferLimits}); the next
     * {@link #update} applies them.
     *
     * @throws IllegalArgumentException unless {@code high >= low >= 0}
     */
    public void setLimits(long high, long low) {
        if (!(high >= low && low >= 0)) {
            throw new IllegalArgumentException("high (" + high + ") must be >= low (" + low + ") must be >= 0");
        }
        this.high = high;
        this.low = low;
    }

    /** The transport now holds {@code buffered} bytes: pause or resume the protocol if a mark was crossed. */
    public void update(long buffered) {
        if (!paused && buffered > high) {
            paused = true;
            try {
                protocol.pauseWriting();
            } catch (Throwable e) {
                loop.protocolFailed("pauseWriting", e, transport);
            }
        } else if (paused && buffered <= low) {
            paused = false;
            try {
                protocol.resumeWriting();
            } catch (Throwable e) {
                loop.protocolFailed("resumeWriting", e, transport);
            }
        }
    }
}
