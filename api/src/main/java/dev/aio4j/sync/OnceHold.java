package dev.aio4j.sync;

/** A {@link Hold} that runs its release once. Confined to the primitive's loop. */
final class OnceHold implements Hold {
    private final Runnable release;
    /** HELD (false) -> RELEASED (true) by the first close(). */
    private boolean released;

    OnceHold(Runnable release) {
        this.release = release;
    }

    @Override
    public void close() {
        if (released) {
            return;
        }
        release.run();
        released = true;
    }
}
