package dev.aio4j.netty;

import dev.aio4j.Loop;
import dev.aio4j.LoopOptions;
import dev.aio4j.engine.Engine;
import dev.aio4j.engine.IoDriver;
import dev.aio4j.engine.LoopHost;
import dev.aio4j.engine.TaskThreads;
import dev.aio4j.engine.VirtualThreadCarrier;
import dev.aio4j.spi.Capability;
import dev.aio4j.spi.LoopProvider;
import io.netty.channel.IoEventLoop;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.BooleanSupplier;

/**
 * The {@code netty} backend: the loop blocks in a Netty 4.2 event loop, so
 * Netty channels registered on it are its I/O.
 *
 * <h2>Machinery</h2>
 * <ul>
 * <li><b>Task bodies</b>, chosen by {@code -Daio4j.netty.taskThreads}:
 *     <ul>
 *     <li>{@code auto} (the default): carried when the JVM has
 *         {@code --add-opens java.base/java.lang=ALL-UNNAMED}, else the
 *         default scheduler (the choice is in {@link #design()});
 *     <li>{@code loop}: carried, or {@link #open} fails naming the flag;
 *     <li>{@code default}: the JDK's default scheduler.
 *     </ul>
 *     <b>Carried</b>, task bodies are virtual threads whose carrier is the
 *     event loop's own thread (the SPI's {@code VirtualThreadCarrier}, as in
 *     backend-loom): an await is a park and a resume a queue entry, and the
 *     baton never leaves that thread. On the <b>default scheduler</b>, they
 *     run on the JDK's carrier threads, one at a time, the baton passing
 *     straight from one to the next (as in the executor backend): each pass
 *     crosses threads.
 * <li><b>Event loop.</b> Each loop owns a {@code io.netty.channel.ManualIoEventLoop}:
 *     {@code IoUringIoHandler} when task bodies are carried and
 *     {@code IoUring.isAvailable()} (it sets a ring up to probe, so a kernel
 *     or container that forbids io_uring falls through), else
 *     {@code EpollIoHandler} when {@code Epoll.isAvailable()}, else
 *     {@code NioIoHandler}. {@code -Daio4j.netty.transport} asks for one
 *     ({@code io_uring}, {@code epoll}, {@code nio}, {@code auto}; an
 *     unavailable one falls back to the automatic choice, logged at WARNING).
 *     Which one runs is in the loop's {@code toString()}, in {@link #transport()},
 *     and logged at DEBUG on logger {@code dev.aio4j.netty} when a loop starts.
 * <li><b>Loop strand.</b> {@code ManualIoEventLoop} fixes its owner thread
 *     once, and io_uring must be entered from one OS thread, so each loop
 *     owns a platform thread (named {@code aio4j-netty-NAME-N}, started on
 *     first use, ended by {@code close()}); {@code runForever} hands the
 *     strand to it and waits. Carried, the owner is a long-lived virtual
 *     thread that platform thread carries ({@code aio4j-loop-NAME}).
 *     When nothing is ready, the loop strand blocks in the event loop's
 *     {@code run(timeout)} (io_uring_enter/epoll_wait/select with the next
 *     timer as timeout), which also runs Netty's I/O and task queue;
 *     {@code callSoonThreadsafe} wakes it through Netty's {@code wakeup()}
 *     (eventfd/selector), with no lost wake-up: the event loop's blocking
 *     condition re-reads the request.
 * <li><b>I/O polling.</b> Netty lets only its owner poll, so I/O runs while
 *     the loop strand holds the baton: blocking when idle, and without
 *     blocking once per iteration the loop strand runs. Carried, the baton
 *     goes to the loop strand at every iteration boundary (one hand-off on
 *     the same thread). On the default scheduler, when tasks pass the baton
 *     among themselves for longer than {@code -Daio4j.netty.ioPollIntervalMicros}
 *     (default 1000), the next iteration boundary hands it to the loop strand
 *     to poll, so I/O waits at most that long under load.
 * <li><b>Callbacks and timers</b> use the engine's ready queue and timer heap,
 *     not Netty's task queue and scheduler. Task steps must share one FIFO with
 *     callbacks (asyncio runs both as handles) and must run on whichever strand
 *     holds the baton, while Netty's queue can be drained only by its owner
 *     thread. Netty's queue also runs tasks added while it drains in the
 *     same pass, which breaks the per-iteration snapshot SPEC S demands, and
 *     its scheduler reads Netty's clock, not a {@code VirtualTicker}. So
 *     Netty's queue carries only Netty's own work (channel registration,
 *     writes from other threads, handler tasks) and Netty's scheduler only
 *     Netty's timers.
 * </ul>
 *
 * <h2>Threads and Netty code</h2>
 * Channel handlers and Netty future listeners run on the owner thread while
 * the loop strand holds the baton, so they may call the loop's confined
 * methods ({@code callSoon}, {@code Future.setResult}) directly. A task
 * calling a channel's methods runs on its own virtual thread, outside Netty's
 * event loop (even carried: Netty checks the thread, not the carrier):
 * Netty queues such calls to its task queue, run at the next poll.
 *
 * <h2>Sockets</h2>
 * TCP streams ({@code createConnection}, {@code createServer}, and the
 * {@code Streams} built on them) are Netty socket channels of the transport
 * in use ({@code Epoll*}, {@code Nio*} or {@code IoUring*}
 * {@code SocketChannel}/{@code ServerSocketChannel}), registered on the
 * loop's own event loop, with one handler that calls the protocol. So the
 * protocol's callbacks run on the loop, in the loop strand's I/O polls.
 * A task is not Netty's thread, and Netty would queue its channel calls to
 * the next poll. So on epoll and NIO, as the selector engine does,
 * {@code write} goes straight to the socket from the task's thread (write(2)
 * on the descriptor, or the JDK channel for NIO) while Netty holds none of
 * the transport's bytes, and only the rest is copied into a Netty buffer for
 * the channel to send. Carried on io_uring, a task's writes are gathered and
 * handed to Netty at the next poll (the next iteration boundary), so that
 * the ring submits a whole iteration's writes and reads in one system call.
 * {@code close}, {@code abort}, {@code writeEof} and a listener's
 * {@code close} shut the socket down at once the same way, then let Netty
 * close it. Flow control counts a write's bytes from {@code write} until Netty
 * reports them sent, and pauses the protocol inside the {@code write} that
 * crosses the high water mark. Half-closure is on
 * ({@code ALLOW_HALF_CLOSURE}): the peer's EOF is {@code eofReceived},
 * {@code writeEof} shuts the output down. Accepted connections get
 * {@code TCP_NODELAY}; listeners bind with {@code SO_REUSEADDR} and the
 * given backlog, and with {@code SO_REUSEPORT} when asked (the transport's
 * own option: {@code EpollChannelOption}, {@code IoUringChannelOption}, or
 * the JDK's through {@code NioChannelOption}).
 *
 * <h2>Capabilities and flags</h2>
 * {@link Capability#VIRTUAL_TIME}, {@link Capability#REAL_SOCKETS} and, where the
 * JDK binds with SO_REUSEPORT (not on Windows), {@link Capability#REUSE_PORT}; carried,
 * also {@link Capability#BLOCKING_CALLS_YIELD} (a JDK blocking call inside a
 * task parks only that task, as in loom); on the default scheduler a blocking
 * call holds the loop, as in asyncio. JVM flags: {@code --enable-native-access=ALL-UNNAMED}
 * for the native transports (without it, JDK 24+ prints a warning when Netty
 * loads its native library), and {@code --add-opens java.base/java.lang=ALL-UNNAMED}
 * for carried task bodies ({@code =dev.aio4j.engine} on the module path).
 */
public final class NettyLoopProvider implements LoopProvider {
    private static final System.Logger LOG = System.getLogger("dev.aio4j.netty");

    /**
     * The system property that chooses where task bodies run: {@code auto}
     * (the default: on the event loop's thread when this JVM allows it, else
     * on the JDK's default scheduler), {@code loop} (on the event loop's
     * thread, or {@code open} fails naming the missing flag) or
     * {@code default} (the JDK's default scheduler).
     */
    static final String TASK_THREADS_PROPERTY = "aio4j.netty.taskThreads";

    /** The {@link #TASK_THREADS_PROPERTY} value this provider uses; null: read the property at each call. */
    private final String taskThreads;

    /** Discovery needs a public no-argument constructor. */
    public NettyLoopProvider() {
        this(null);
    }

    /** A provider with a fixed {@link #TASK_THREADS_PROPERTY} value (tests run both modes in one JVM). */
    NettyLoopProvider(String taskThreads) {
        this.taskThreads = taskThreads;
    }

    /**
     * Whether task bodies run on the event loop's thread (virtual threads of
     * a {@link VirtualThreadCarrier}), from {@link #TASK_THREADS_PROPERTY}.
     *
     * @throws IllegalArgumentException if the property names no choice
     * @throws UnsupportedOperationException if {@code loop} is asked for and this JVM lacks the flag
     */
    private boolean carried() {
        String v = taskThreads != null ? taskThreads : System.getProperty(TASK_THREADS_PROPERTY);
        String r = v == null ? "auto" : v.trim().toLowerCase(java.util.Locale.ROOT);
        Optional<String> cause = VirtualThreadCarrier.unavailabilityCause();
        return switch (r) {
            case "", "auto" -> cause.isEmpty();
            case "default" -> false;
            case "loop" -> {
                if (cause.isPresent()) {
                    throw new UnsupportedOperationException("-D" + TASK_THREADS_PROPERTY + "=loop: " + cause.get());
                }
                yield true;
            }
            default -> throw new IllegalArgumentException("-D" + TASK_THREADS_PROPERTY + "=" + v
                    + " names no choice; use auto, loop or default");
        };
    }

    /** {@link #carried()}, false when it cannot be (for descriptions: {@link #open} reports the error). */
    private boolean carriedOrFalse() {
        try {
            return carried();
        } catch (RuntimeException e) {
            return false;
        }
    }

    /**
     * The transport a loop opened now by discovery would run on:
     * {@code "epoll"}, {@code "nio"} or {@code "io_uring"} (from
     * {@code -Daio4j.netty.transport}, {@code -Daio4j.netty.taskThreads} and
     * what loads in this JVM). Any thread.
     *
     * @return the transport's name
     * @throws IllegalArgumentException if {@code aio4j.netty.transport} names no transport
     */
    public static String transport() {
        return new NettyLoopProvider().choice().transport().id;
    }

    /**
     * The transport for a loop of this provider, from {@code -Daio4j.netty.transport}.
     *
     * @throws IllegalArgumentException if the property names no transport
     */
    private Transport.Choice choice() {
        return Transport.choose(System.getProperty(Transport.PROPERTY), carriedOrFalse());
    }

    /**
     * The Netty event loop of {@code loop}: channels registered on it are the
     * loop's I/O, and their handlers run in the loop while it runs. From the
     * first call on, the loop polls Netty at every iteration, as it cannot
     * count the channels registered there. Any thread.
     *
     * @param loop a loop of this backend
     * @return its Netty event loop
     * @throws IllegalArgumentException if {@code loop} was not opened by this backend
     * @throws IllegalStateException if {@code loop} is closed
     */
    public static IoEventLoop eventLoop(Loop loop) {
        Objects.requireNonNull(loop, "loop");
        return driver(loop).lendEventLoop();
    }

    /**
     * The engine of netty loops on {@code transport}, with task bodies carried
     * on the event loop's thread or on the JDK's default scheduler.
     */
    static Engine engine(Transport transport, boolean carried) {
        return Engine.builder("netty")
                .io(new IoDriver.Factory() {
                    @Override
                    public IoDriver create(LoopHost host) {
                        return new NettyDriver(host, transport);
                    }

                    @Override
                    public boolean opensSockets() {
                        return true;
                    }

                    @Override
                    public boolean reusesPorts() {
                        return transport.reusePortOption() != null;
                    }
                })
                .taskThreads(carried ? TaskThreads.carried() : TaskThreads.defaultScheduler())
                .build();
    }

    /**
     * The Netty driver of {@code loop}.
     *
     * @throws IllegalArgumentException if {@code loop} was not opened by this backend
     */
    static NettyDriver driver(Loop loop) {
        try {
            return Engine.ioDriver(loop, NettyDriver.class);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not a loop of the netty backend: " + loop, e);
        }
    }

    @Override
    public String name() {
        return "netty";
    }

    @Override
    public String artifact() {
        return "dev.aio4j:aio4j-backend-netty";
    }

    @Override
    public String design() {
        String io = transportOrError();
        if (carriedOrFalse()) {
            return "the loop is a Netty event loop (here " + io + ") whose thread also carries the task bodies, "
                    + "virtual threads scheduled by the loop (as in loom): an await is a park and a resume a queue "
                    + "entry on that one thread; on io_uring a whole iteration's writes and reads are one system "
                    + "call; needs --add-opens java.base/java.lang=ALL-UNNAMED";
        }
        return "the loop is a Netty event loop (here " + io + ") on its own thread; task bodies run on virtual "
                + "threads of the JDK's default scheduler (no --add-opens java.base/java.lang=ALL-UNNAMED here), "
                + "so a switch between tasks crosses carrier threads, and the baton returns to the event-loop "
                + "thread at least every millisecond to poll I/O";
    }

    @Override
    public String mode() {
        return "transport " + transportOrError() + ", task bodies "
                + (carriedOrFalse() ? "carried on the event loop's thread" : "on virtual threads of the JDK's default scheduler");
    }

    /**
     * {@inheritDoc}
     *
     * <p>Here, for want of a flag, two things: task bodies on the JDK's
     * default scheduler (and epoll where io_uring would run) when
     * {@link #TASK_THREADS_PROPERTY} is {@code auto} and the JVM lacks
     * {@code --add-opens}; and NIO instead of epoll when the transport is
     * chosen automatically and the JVM denies Netty native access. Neither
     * when the user asked for that mode ({@code default}, {@code nio}): a
     * choice is not a want. Merely without {@code --enable-native-access},
     * JDK 24 and 25 print their own warning naming that flag and Netty still
     * loads its native transport, at full speed.
     */
    @Override
    public Optional<String> slowerModeCause() {
        String threads = taskThreads != null ? taskThreads : System.getProperty(TASK_THREADS_PROPERTY);
        List<String> causes = new ArrayList<>();
        carryingCause(threads, VirtualThreadCarrier.unavailabilityCause().isEmpty(), Transport.IO_URING::isAvailable,
                VirtualThreadCarrier.addOpensFlag()).ifPresent(causes::add);
        nativeAccessCause(System.getProperty(Transport.PROPERTY), Transport::nativeAccessDenied,
                Transport.enableNativeAccessFlag()).ifPresent(causes::add);
        return causes.isEmpty() ? Optional.empty() : Optional.of(String.join("; and ", causes));
    }

    /**
     * The {@code --add-opens} part of {@link #slowerModeCause()}, from its
     * inputs: the {@link #TASK_THREADS_PROPERTY} value, whether this JVM can
     * carry task bodies, whether io_uring runs here (asked only when it
     * matters: the probe sets a ring up), and the flag that allows carrying.
     */
    static Optional<String> carryingCause(String taskThreads, boolean canCarry, BooleanSupplier ioUring, String flag) {
        if (canCarry || !isAuto(taskThreads)) {
            return Optional.empty();
        }
        return Optional.of("task bodies run on virtual threads of the JDK's default scheduler, so every switch between "
                + "tasks crosses carrier threads" + (ioUring.getAsBoolean() ? ", and the transport is epoll, not io_uring" : "")
                + ", because this JVM lacks " + flag + ". Add that flag to the java command line to carry them on "
                + "the event loop's thread, or set -D" + TASK_THREADS_PROPERTY + "=default to keep this mode "
                + "without this warning");
    }

    /**
     * The native-access part of {@link #slowerModeCause()}, from the
     * {@code aio4j.netty.transport} value, whether the JVM denied Netty native
     * access (asked only when it matters), and the flag that allows it.
     */
    static Optional<String> nativeAccessCause(String transport, BooleanSupplier denied, String flag) {
        if (!isAuto(transport) || !denied.getAsBoolean()) {
            return Optional.empty();
        }
        return Optional.of("the transport is nio, not epoll or io_uring, because this JVM denies Netty native access. "
                + "Add " + flag + " to the java command line, or set -D" + Transport.PROPERTY + "=nio to keep this "
                + "mode without this warning");
    }

    /** Whether a property value leaves the choice to this backend (unset, empty or {@code auto}). */
    private static boolean isAuto(String value) {
        String r = value == null ? "" : value.trim().toLowerCase(java.util.Locale.ROOT);
        return r.isEmpty() || r.equals("auto");
    }

    @Override
    public Set<Capability> capabilities() {
        return engine(Transport.NIO, carriedOrFalse()).capabilities(); // the same on every transport
    }

    @Override
    public Optional<String> unavailabilityCause() {
        try {
            carried();
            choice();
            return Optional.empty();
        } catch (IllegalArgumentException | UnsupportedOperationException e) {
            return Optional.of(e.getMessage());
        }
    }

    @Override
    public Loop open(LoopOptions options) {
        Objects.requireNonNull(options, "options");
        Transport.Choice c;
        boolean carried;
        try {
            carried = carried();
            c = Transport.choose(System.getProperty(Transport.PROPERTY), carried);
        } catch (IllegalArgumentException e) {
            throw new UnsupportedOperationException(e.getMessage(), e);
        }
        if (c.fallbackNote() != null) {
            LOG.log(System.Logger.Level.WARNING, "loop ''{0}'': {1}; running on {2}",
                    options.name(), c.fallbackNote(), c.transport().id);
        }
        return engine(c.transport(), carried).open(options);
    }

    @Override
    public String toString() {
        return "NettyLoopProvider[" + transportOrError() + "]";
    }

    private String transportOrError() {
        try {
            return choice().transport().id;
        } catch (IllegalArgumentException e) {
            return "misconfigured";
        }
    }
}
