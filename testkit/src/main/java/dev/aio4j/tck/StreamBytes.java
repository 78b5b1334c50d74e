package dev.aio4j.tck;

import static java.nio.charset.StandardCharsets.UTF_8;

/** UTF-8 conversions shared by the stream verifications ({@link StreamReaderVerification} and the sockets area's). */
final class StreamBytes {
    private StreamBytes() {}

    static byte[] b(String s) {
        return s.getBytes(UTF_8);
    }

    static String s(byte[] b) {
        return new String(b, UTF_8);
    }
}
