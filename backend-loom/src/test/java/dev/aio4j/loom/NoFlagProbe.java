package dev.aio4j.loom;

import dev.aio4j.Loops;

/** Child-JVM main: without --add-opens, prints what Loops says about loom. Exit 0 if it behaved. */
public final class NoFlagProbe {
    private NoFlagProbe() {}

    public static void main(String[] args) {
        try {
            Loops.open("loom").close();
            System.out.println("OPENED");
            System.exit(1);
        } catch (UnsupportedOperationException e) {
            System.out.println("MESSAGE: " + e.getMessage());
        }
        System.out.println("CHOSEN: " + Loops.provider().name()); // loom is skipped: executor is the only usable one
        System.exit(0);
    }
}
