package dev.aio4j.bench;

import dev.aio4j.Loop;
import dev.aio4j.LoopGroup;
import dev.aio4j.LoopOptions;
import dev.aio4j.Loops;
import dev.aio4j.spi.Capability;
import dev.aio4j.spi.LoopProvider;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The backends on the class path, found at run time with
 * {@link Loops#providers()}: a new backend shows up in the benchmarks and the
 * report by being on the class path, with no change here. Loops are opened by
 * provider name, which is what the JMH {@code backend} parameter holds.
 */
public final class Backends {
    private Backends() {}

    /** Every backend found, name to its unavailability cause (empty when it can run here). */
    public static Map<String, Optional<String>> discover() {
        Map<String, Optional<String>> all = new LinkedHashMap<>();
        for (LoopProvider p : Loops.providers()) {
            all.put(p.name(), p.unavailabilityCause());
        }
        return all;
    }

    /** The names of the backends that can run in this JVM. */
    public static List<String> available() {
        return discover().entrySet().stream().filter(e -> e.getValue().isEmpty()).map(Map.Entry::getKey).toList();
    }

    /** The backend's {@link LoopProvider#design()} text, if it has one. */
    public static Optional<String> design(String name) {
        return Loops.providers().stream().filter(p -> p.name().equals(name)).findFirst()
                .map(LoopProvider::design).filter(d -> !d.isBlank());
    }

    /** A new loop of the backend named {@code name}. */
    public static Loop open(String name) {
        return Loops.open(Loops.provider(name), LoopOptions.defaults().withName("bench-" + name));
    }

    /**
     * A new group of the backend named {@code name}, one loop per available processor
     * ({@link Workload#groupSize()}), running from now until closed: what echo_group runs on.
     */
    public static LoopGroup openGroup(String name) {
        return LoopGroup.open(Loops.provider(name), LoopOptions.defaults().withName("bench-" + name + "-group"),
                Workload.groupSize());
    }

    /**
     * The backend named {@code name} as a report subject, with one loop reused across runs
     * (and, from the first echo_group on, one group).
     */
    public static Subject subject(String name) {
        return new Subject() {
            private final Loop loop = open(name);
            private final boolean sockets = Loops.provider(name).capabilities().contains(Capability.REAL_SOCKETS);
            private LoopGroup group; // opened by the first echo_group: its threads would idle through the rest

            @Override
            public String name() {
                return name;
            }

            @Override
            public boolean isBackend() {
                return true;
            }

            @Override
            public Optional<String> skipReason(Workload w) {
                return (w == Workload.ECHO || w == Workload.ECHO_GROUP) && !sockets
                        ? Optional.of("the backend does not declare REAL_SOCKETS") : Optional.empty();
            }

            @Override
            public long run(Workload w, int n) {
                if (w == Workload.ECHO_GROUP) {
                    if (group == null) {
                        group = openGroup(name);
                    }
                    return LoopWorkloads.echoGroup(group, n);
                }
                LoopWorkloads.run(loop, w, n);
                return w == Workload.ASYNC_TREE ? Workload.AsyncTree.TASKS : n;
            }

            @Override
            public void close() {
                if (group != null) {
                    group.close();
                }
                loop.close();
            }
        };
    }
}
