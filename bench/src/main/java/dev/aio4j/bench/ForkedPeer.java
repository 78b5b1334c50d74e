package dev.aio4j.bench;

import com.fasterxml.jackson.jr.ob.JSON;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * The main class of a JVM started by the report for one peer that needs JVM flags of its own
 * ({@link Peers.Entry#jvmFlags()}, e.g. one virtual-thread carrier): measures that peer's
 * workloads as the report's short runs do and prints the results as one JSON array on stdout;
 * progress goes to stderr. Not meant to be run by hand:
 * <pre>{@code
 * java <flags of the peer> -cp bench/target/benchmarks.jar dev.aio4j.bench.ForkedPeer PEER WARMUP RUNS SCALE TIMEOUT_S
 * }</pre>
 */
public final class ForkedPeer {
    private ForkedPeer() {}

    /** Measures the peer named {@code args[0]}; exits 2 on a bad command line. */
    public static void main(String[] args) throws Exception {
        if (args.length != 5) {
            System.err.println("ForkedPeer: expected PEER WARMUP RUNS SCALE TIMEOUT_S, got " + List.of(args));
            System.exit(2);
        }
        Peers.Entry peer = Peers.named(args[0]);
        Measurements.Settings settings = new Measurements.Settings(Path.of("."), null, "not run in a peer's own JVM",
                List.of(), null, Integer.parseInt(args[1]), Integer.parseInt(args[2]), Double.parseDouble(args[3]),
                Long.parseLong(args[4]), Set.of(peer.name()));
        List<Result> results = new Measurements(settings).measureHere(peer);
        System.out.println(JSON.std.asString(results));
        // exit, not return: a peer abandoned after a time-out may leave threads behind.
        System.exit(0);
    }
}
