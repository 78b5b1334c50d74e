/**
 * TCP streams, written once on the loop's transports: {@link dev.aio4j.net.Streams}
 * opens connections and starts servers; {@link dev.aio4j.net.StreamReader} and
 * {@link dev.aio4j.net.StreamWriter} read and write them. Backends provide the
 * {@link dev.aio4j.net.Transport}s and {@link dev.aio4j.net.Listener}s through
 * {@link dev.aio4j.Loop#createConnection} and {@link dev.aio4j.Loop#createServer}.
 * See SPEC.md section N.
 */
package dev.aio4j.net;
