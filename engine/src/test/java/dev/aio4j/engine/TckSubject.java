package dev.aio4j.engine;

import dev.aio4j.spi.LoopProvider;
import dev.aio4j.tck.LoopProviderTck;

/**
 * The whole TCK against whatever provider {@link TckRunner} is running. Its
 * name does not end in "Test" on purpose: Surefire must not run it by itself,
 * only the {@link TckRunner} through the JUnit Platform Launcher.
 */
class TckSubject extends LoopProviderTck {
    @Override
    protected LoopProvider provider() {
        return TckRunner.current();
    }
}
