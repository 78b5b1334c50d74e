/**
 * The service provider interface for backends, and the machinery they share:
 * {@link dev.aio4j.spi.AbstractLoop} (ready queue, timers, futures, tasks,
 * executor bridge, the baton that runs task bodies on virtual threads one at a
 * time). Application code does not need this package.
 */
package dev.aio4j.spi;
