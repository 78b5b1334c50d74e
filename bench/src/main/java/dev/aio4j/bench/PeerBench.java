package dev.aio4j.bench;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The shared shape of the peer benchmarks: one peer ({@link Subject}) per
 * trial, the same JMH settings as {@link BackendBench}, and each benchmark
 * method one whole workload at its standard size ({@link Workload#size()}). A subclass names its peer and
 * declares the workloads that peer can express.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(2)
public abstract class PeerBench {
    private Subject peer;

    /** A new peer for one trial. */
    protected abstract Subject newPeer();

    @Setup(Level.Trial)
    public void open() {
        peer = newPeer();
    }

    @TearDown(Level.Trial)
    public void close() throws Exception {
        peer.close();
    }

    /** Runs workload {@code w} once at its full size. */
    protected long run(Workload w) throws Exception {
        return peer.run(w, w.size());
    }
}
