/**
 * aio4j: Python asyncio's programming model on the JVM.
 *
 * <p>Start with {@link dev.aio4j.AsyncIO#run}, {@link dev.aio4j.Loop},
 * {@link dev.aio4j.Future} and {@link dev.aio4j.Task}; to use every core,
 * {@link dev.aio4j.LoopGroup}. The numbered rules
 * every backend keeps are in the project's {@code SPEC.md}.
 *
 * <h2 id="MemoryVisibility">Memory consistency properties</h2>
 * <ul>
 * <li>Callbacks and task steps of one loop run one at a time; each
 *     happens-before the next one the loop runs, whichever thread runs it.</li>
 * <li>Actions in a thread before {@code callSoonThreadsafe},
 *     {@code runCoroutineThreadsafe} or {@code execute} happen-before the
 *     scheduled code runs on the loop.</li>
 * <li>Completing a {@link dev.aio4j.Future} happens-before its done callbacks
 *     run, before {@code await()} returns its outcome, and before its
 *     {@code CompletableFuture} view completes.</li>
 * <li>Actions of an executor job ({@code runInExecutor}) happen-before the
 *     returned future completes on the loop.</li>
 * <li>Every action of a {@link dev.aio4j.LoopGroup}'s members happens-before
 *     its {@code close()} returns.</li>
 * </ul>
 */
package dev.aio4j;
