/**
 * TCP streams, written once on the loop's transports: {@link dev.aio4j.net.Streams}
 * opens connections and starts servers; {@link dev.aio4j.net.StreamReader} and
 * {@link dev.aio4j.net.StreamWriter} read and write them. Backends provide the
 * {@link dev.aio4j.net.Transport}s and {@link dev.aio4j.net.Listener}s through
 * {@link dev.aio4j.Loop#createConnection} and {@link dev.aio4j.Loop#createServer}.
 * {@link dev.aio4j.net.GroupServer} is a server spread over the loops of a
 * {@link dev.aio4j.LoopGroup}. See SPEC.md sections N and M.
 */
package dev.aio4j.net;
