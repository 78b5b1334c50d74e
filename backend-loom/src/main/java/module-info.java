/**
 * backend-loom: the loop is the virtual threads' scheduler. Needs
 * {@code --add-opens java.base/java.lang=dev.aio4j.engine} on the module path
 * (the engine module holds the carrier)
 * ({@code =ALL-UNNAMED} on the class path).
 */
module dev.aio4j.loom {
    requires dev.aio4j.engine;

    provides dev.aio4j.spi.LoopProvider with dev.aio4j.loom.LoomLoopProvider;
}
