package dev.aio4j.engine;

/** {@link TaskThreads#defaultScheduler}: virtual threads of one builder, spinning briefly for the baton. */
final class DefaultSchedulerThreads implements TaskThreads {
    /**
     * With task bodies on the default scheduler's carriers, the next holder
     * usually hands the baton back within a microsecond, and a park/unpark
     * pair through the scheduler costs several (measured: pingpong 0.33 M
     * round trips/s without the spin, 0.58 M with 200 spins, on a 2-core
     * machine). Tunable with {@code -Daio4j.spins}.
     */
    static final int SPINS = Integer.getInteger("aio4j.spins", 200);

    private final Thread.Builder.OfVirtual builder;

    DefaultSchedulerThreads(Thread.Builder.OfVirtual builder) {
        this.builder = builder;
    }

    @Override
    public Thread newTaskThread(Runnable body) {
        return builder.unstarted(body);
    }

    @Override
    public int batonSpins() {
        return SPINS;
    }
}
