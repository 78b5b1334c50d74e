/**
 * The provider contract: what a backend gives {@link dev.aio4j.Loops} to be
 * found ({@link dev.aio4j.spi.LoopProvider}, {@link dev.aio4j.spi.Capability}),
 * and the one seam through which the API finds the loop running in the calling
 * thread ({@link dev.aio4j.spi.CurrentLoop}). Application code does not need
 * this package. The engine our backends are built from lives in its own
 * module, {@code dev.aio4j.engine} (artifact {@code aio4j-engine}); a backend
 * may use it or not.
 */
package dev.aio4j.spi;
