package dev.aio4j.net;

import java.io.EOFException;

/**
 * The stream ended before a read was satisfied: asyncio's
 * {@code IncompleteReadError}. Carries the bytes that were read.
 */
public final class IncompleteReadException extends EOFException {
    private static final long serialVersionUID = 1L;

    /** The bytes read before the end of the stream. */
    private final byte[] partial;
    /** How many bytes were asked for, or -1 for a read up to a separator. */
    private final long expected;

    /**
     * An exception carrying what was read.
     *
     * @param partial the bytes read before the end of the stream; not null
     * @param expected how many bytes were asked for, or -1 when the read
     *     waited for a separator
     */
    public IncompleteReadException(byte[] partial, long expected) {
        super(partial.length + " bytes read on a total of " + (expected < 0 ? "undefined" : Long.toString(expected))
                + " expected bytes");
        this.partial = partial.clone();
        this.expected = expected;
    }

    /**
     * A copy of the bytes read before the end of the stream.
     *
     * @return the bytes
     */
    public byte[] partial() {
        return partial.clone();
    }

    /**
     * How many bytes were asked for, or -1 when the read waited for a separator.
     *
     * @return the count asked for, or -1
     */
    public long expected() {
        return expected;
    }
}
