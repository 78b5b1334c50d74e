package dev.aio4j.reliability;

import dev.aio4j.Loop;
import dev.aio4j.LoopOptions;
import dev.aio4j.Loops;
import dev.aio4j.spi.LoopProvider;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * One way to run a loop: a backend and, for netty, its transport and where
 * task bodies run. Chosen from outside, through the system properties the
 * backends read when a loop is opened ({@code aio4j.netty.transport},
 * {@code aio4j.netty.taskThreads}), so that the suite needs nothing but the
 * public API.
 *
 * @param id how the suite names it: {@code executor}, {@code loom},
 *     {@code netty:TRANSPORT:loop} (task bodies carried on the event loop's
 *     thread) or {@code netty:TRANSPORT:default} (on the JDK's default scheduler)
 * @param backend the backend's name for {@link Loops#provider(String)}
 * @param properties the system properties set while a loop is opened
 * @param transport the Netty transport the loop must run on; null for other backends
 */
public record Target(String id, String backend, Map<String, String> properties, String transport) {

    /** The netty backend's property choosing the transport. */
    static final String NETTY_TRANSPORT = "aio4j.netty.transport";
    /** The netty backend's property choosing where task bodies run. */
    static final String NETTY_TASK_THREADS = "aio4j.netty.taskThreads";
    /** Netty transports, best first. */
    static final List<String> NETTY_TRANSPORTS = List.of("io_uring", "epoll", "nio");

    private static volatile List<Target> available;

    public Target {
        properties = Map.copyOf(properties);
    }

    /**
     * Opens a loop of this target, named {@code name}. Checks that a netty
     * loop runs on the transport asked for (the backend falls back quietly
     * to another one when it cannot run it).
     *
     * @throws IllegalStateException if the loop is not what this target names
     */
    public Loop open(String name) {
        Loop loop = withProperties(properties,
                () -> Loops.open(Loops.provider(backend), LoopOptions.defaults().withName(name)));
        if (transport != null && !loop.toString().contains(", " + transport)) {
            loop.close();
            throw new IllegalStateException("target " + id + " asked for the " + transport
                    + " transport and got " + loop);
        }
        return loop;
    }

    @Override
    public String toString() {
        return id;
    }

    /**
     * Every target this JVM can run, filtered by {@code -Daio4j.reliability.backends}:
     * executor, loom, and netty on each transport this machine has, with task
     * bodies carried ({@code loop}) and on the default scheduler ({@code default}).
     */
    public static List<Target> all() {
        List<Target> a = available;
        if (a == null) {
            a = discover();
            available = a;
        }
        return a;
    }

    /** The targets whose id starts with one of the comma-separated prefixes; all for a blank list. */
    public static List<Target> matching(String prefixes) {
        if (prefixes == null || prefixes.isBlank()) {
            return all();
        }
        List<String> ps = Arrays.stream(prefixes.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
        List<Target> out = all().stream().filter(t -> ps.stream().anyMatch(t.id::startsWith)).toList();
        if (out.isEmpty()) {
            throw new IllegalArgumentException("no target matches " + ps + "; available: " + all());
        }
        return out;
    }

    private static synchronized List<Target> discover() {
        List<Target> out = new ArrayList<>();
        for (LoopProvider p : Loops.providers()) {
            if (p.unavailabilityCause().isPresent()) {
                continue; // reported by BackendsTest, which requires every backend
            }
            switch (p.name()) {
                case "netty" -> {
                    for (String mode : List.of("loop", "default")) {
                        for (String t : NETTY_TRANSPORTS) {
                            Map<String, String> props = new LinkedHashMap<>();
                            props.put(NETTY_TRANSPORT, t);
                            props.put(NETTY_TASK_THREADS, mode);
                            // design() says which transport a loop opened now would run on ("here io_uring"),
                            // without opening one or logging the fallback.
                            boolean runs = withProperties(props,
                                    () -> p.unavailabilityCause().isEmpty() && p.design().contains("(here " + t + ")"));
                            if (runs) {
                                out.add(new Target("netty:" + t + ":" + mode, "netty", props, t));
                            }
                        }
                    }
                }
                default -> out.add(new Target(p.name(), p.name(), Map.of(), null));
            }
        }
        out.sort(java.util.Comparator.comparingInt(t -> order(t.backend)));
        String filter = Knobs.backendsFilter();
        if (!filter.isEmpty()) {
            List<String> ps = Arrays.stream(filter.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
            out.removeIf(t -> ps.stream().noneMatch(t.id::startsWith));
        }
        return List.copyOf(out);
    }

    private static int order(String backend) {
        return switch (backend) {
            case "executor" -> 0;
            case "loom" -> 1;
            case "netty" -> 2;
            default -> 3;
        };
    }

    /**
     * Runs {@code body} with {@code props} set as system properties, then
     * restores them. Serialised, so that two loops opened at once do not
     * see each other's choice; the backends read these properties only when
     * a loop is opened.
     */
    static <T> T withProperties(Map<String, String> props, Supplier<T> body) {
        synchronized (Target.class) {
            Map<String, String> saved = new HashMap<>();
            for (Map.Entry<String, String> e : props.entrySet()) {
                saved.put(e.getKey(), System.getProperty(e.getKey()));
                System.setProperty(e.getKey(), e.getValue());
            }
            try {
                return body.get();
            } finally {
                for (Map.Entry<String, String> e : saved.entrySet()) {
                    if (e.getValue() == null) {
                        System.clearProperty(e.getKey());
                    } else {
                        System.setProperty(e.getKey(), e.getValue());
                    }
                }
            }
        }
    }
}
