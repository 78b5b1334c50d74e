/**
 * aio4j's event-loop engine: one final loop, composed from a backend's parts.
 *
 * <h2>For a backend</h2>
 * The public types are the whole backend SPI of the engine:
 * {@link dev.aio4j.engine.Engine} (the one factory),
 * {@link dev.aio4j.engine.IoDriver} (how the loop waits, wakes, polls I/O and
 * opens sockets), {@link dev.aio4j.engine.TaskThreads} (which threads run task
 * bodies), {@link dev.aio4j.engine.LoopHost} (what a part may ask of its loop),
 * and two parts our backends share: {@link dev.aio4j.engine.VirtualThreadCarrier}
 * (the loop as its virtual threads' scheduler) and
 * {@link dev.aio4j.engine.StreamTransport} (a TCP transport's state machine,
 * its subclasses keeping only their sockets' I/O primitives). The
 * capabilities a loop declares follow from its parts
 * ({@link dev.aio4j.engine.Engine#capabilities()}).
 *
 * <h2>Inside</h2>
 * Each package-private class does one job: {@code EventLoop} (the API's checks
 * and life cycle, composing the rest), {@code RunLoop} (ready queue, inbox,
 * the baton, iterations), {@code TimerHeap}, {@code ExecutorBridge},
 * {@code DebugMonitor}, {@code ErrorReporter}, {@code LoopFuture} and
 * {@code LoopTask} (the future and task state machines), {@code Seams} (the
 * engine's own steps, overridden only by the TCK's self-test).
 *
 * <h2>Glossary</h2>
 * <dl>
 * <dt>strand</dt>
 * <dd>One participant in running a loop: the <em>loop strand</em> (the thread
 *     inside {@code runForever}, which alone may block waiting for work) or a
 *     <em>task strand</em> (the thread that runs one task's body, so that it
 *     can suspend at an await).</dd>
 * <dt>baton</dt>
 * <dd>The right to run the loop's code. Exactly one strand holds it while the
 *     loop runs; it passes from an awaiting task's thread straight to the
 *     next ready one.</dd>
 * <dt>holder</dt>
 * <dd>The strand holding the baton: "baton holder only" in a method's
 *     contract means the thread running the loop's code now.</dd>
 * <dt>unit</dt>
 * <dd>What the ready queue holds: a callback, or a task whose next step is due.</dd>
 * <dt>carrier</dt>
 * <dd>The platform thread that runs virtual threads' continuations. A
 *     {@link dev.aio4j.engine.VirtualThreadCarrier} makes one thread carry
 *     every strand of a loop.</dd>
 * <dt>carried</dt>
 * <dd>Said of task bodies (and the loop strand) that run as virtual threads
 *     of their loop's own carrier, rather than of the JDK's default
 *     scheduler: an await is then a park and a resume a queue entry on one
 *     thread, and a task in a JDK blocking call can be detached.</dd>
 * </dl>
 */
package dev.aio4j.engine;
