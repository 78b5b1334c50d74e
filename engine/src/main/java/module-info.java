/**
 * aio4j's event-loop engine: one final loop composed of a backend's parts
 * (an {@link dev.aio4j.engine.IoDriver} and {@link dev.aio4j.engine.TaskThreads}),
 * made by {@link dev.aio4j.engine.Engine}. JDK only; its carrier of virtual
 * threads reaches a JDK-internal constructor by reflection, so that flag
 * names this module on the module path:
 * {@code --add-opens java.base/java.lang=dev.aio4j.engine}.
 */
module dev.aio4j.engine {
    requires transitive dev.aio4j;

    exports dev.aio4j.engine;
}
