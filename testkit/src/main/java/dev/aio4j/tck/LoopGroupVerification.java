package dev.aio4j.tck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.aio4j.AsyncIO;
import dev.aio4j.Loop;
import dev.aio4j.LoopGroup;
import dev.aio4j.LoopOptions;
import dev.aio4j.net.GroupServer;
import dev.aio4j.net.Streams;
import dev.aio4j.spi.Capability;
import dev.aio4j.spi.LoopProvider;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * SPEC section M: loop groups. A {@link LoopGroup} is built only on the
 * public {@link Loop} API, so these rules hold on every backend; the server
 * rules (M5, M6) need {@link Capability#REAL_SOCKETS}. Confinement is checked
 * the way the loop defines it, with {@link Loop#inLoop()}: whichever JVM
 * thread runs a step, exactly one member, always the same, must be running it.
 */
public abstract class LoopGroupVerification extends AbstractVerification {
    /** For a backend's subclass, which names its provider. */
    protected LoopGroupVerification() {}

    private static final AtomicInteger GROUPS = new AtomicInteger();

    private final List<LoopGroup> groups = new ArrayList<>();

    @Override
    protected String area() {
        return "LoopGroup";
    }

    /** A group of {@code size} loops of the backend under test, named uniquely; closed after the test. */
    private LoopGroup newGroup(int size) {
        return track(LoopGroup.open(provider(), uniqueOptions(), size));
    }

    private LoopGroup track(LoopGroup g) {
        groups.add(g);
        return g;
    }

    private static LoopOptions uniqueOptions() {
        return LoopOptions.defaults().withName("tck-group" + GROUPS.incrementAndGet());
    }

    /**
     * Closes the test's groups, each within the TCK's time-out: {@code close()} waits for every member to
     * stop (M4), and on a broken backend a member that never stops must fail the test, not hang the run.
     */
    @AfterEach
    void closeGroups() throws InterruptedException {
        List<LoopGroup> open = new ArrayList<>(groups);
        groups.clear();
        for (LoopGroup g : open) {
            Thread closer = Thread.ofPlatform().daemon().name("tck-group-closer").start(() -> {
                try {
                    g.close();
                } catch (RuntimeException e) {
                    // a test that made a member fail on purpose has checked the failure already
                }
            });
            closer.join(env.timeout());
            if (closer.isAlive()) {
                fail("LoopGroup.close() did not return within " + env.timeout() + ": a member never stopped or"
                        + " its thread never left runForever (SPEC M4)");
            }
        }
    }

    /** The indexes of the members of {@code group} the caller runs on: exactly one on a member's step. */
    private static Set<Integer> membersRunning(List<Loop> members) {
        Set<Integer> on = new TreeSet<>();
        for (int i = 0; i < members.size(); i++) {
            if (members.get(i).inLoop()) {
                on.add(i);
            }
        }
        return on;
    }

    private <T> T await(CompletableFuture<T> f) throws Exception {
        return f.get(env.timeout().toMillis(), TimeUnit.MILLISECONDS);
    }

    private static List<Thread> threadsNamed(String prefix) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith(prefix + "-"))
                .toList();
    }

    // ================================================================== M1

    /**
     * M1: every member is a loop of its own, running, on a platform thread named after the group and index.
     *
     * @throws Exception an unexpected failure, which fails the test
     */
    @Test
    public void required_M1_eachMemberRunsOnAPlatformThreadOfItsOwn() throws Exception {
        LoopGroup group = newGroup(3);
        assertEquals(3, group.size(), "(SPEC M1)");
        assertEquals(3, group.loops().size(), "(SPEC M1)");
        assertEquals(3, Set.copyOf(group.loops()).size(), "every member must be a loop of its own (SPEC M1)");
        for (int i = 0; i < 3; i++) {
            Loop member = group.get(i);
            assertSame(group.loops().get(i), member, "get(i) must be loops().get(i) (SPEC M1)");
            assertEquals(provider().name(), member.backendName(), "(SPEC M1)");
            int index = i;
            // A task runs on the member it was given to: the member runs, and it is the current loop there.
            Set<Integer> on = await(member.runCoroutineThreadsafe(() -> {
                assertSame(member, AsyncIO.currentLoop(), "(SPEC M1)");
                return membersRunning(group.loops());
            }));
            assertEquals(Set.of(index), on, "a task of member " + i + " must run on it alone (SPEC M1)");
            assertTrue(member.isRunning(), "every member must run until the group closes (SPEC M1)");
        }
        List<Thread> threads = threadsNamed(group.name());
        Set<String> names = new TreeSet<>();
        for (Thread t : threads) {
            assertFalse(t.isVirtual(), "a member must run on a platform thread (SPEC M1): " + t);
            names.add(t.getName());
        }
        assertEquals(new TreeSet<>(Set.of(group.name() + "-0", group.name() + "-1", group.name() + "-2")), names,
                "one thread per member, named <group>-<index> (SPEC M1)");
    }

    // ================================================================== M2

    /**
     * M2: next() takes the members in turn, whichever threads call it.
     *
     * @throws Exception an unexpected failure, which fails the test
     */
    @Test
    public void required_M2_nextTakesTheMembersInTurn() throws Exception {
        LoopGroup group = newGroup(3);
        List<Loop> members = group.loops();
        Loop start = group.next();
        int at = members.indexOf(start);
        for (int i = 1; i <= 7; i++) {
            assertSame(members.get((at + i) % 3), group.next(), "next() must go round robin (SPEC M2)");
        }
        // From several threads at once: over k * size calls, each member exactly k times.
        int threads = 4;
        int perThread = 300;
        Map<Loop, AtomicInteger> counts = new ConcurrentHashMap<>();
        CountDownLatch go = new CountDownLatch(1);
        List<CompletableFuture<Void>> callers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            callers.add(CompletableFuture.runAsync(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
                for (int i = 0; i < perThread; i++) {
                    counts.computeIfAbsent(group.next(), l -> new AtomicInteger()).incrementAndGet();
                }
            }, r -> Thread.ofPlatform().start(r)));
        }
        go.countDown();
        await(CompletableFuture.allOf(callers.toArray(CompletableFuture[]::new)));
        assertEquals(3, counts.size(), "(SPEC M2)");
        // 1200 calls after 8: the turn was at member (at + 8) % 3, and 1200 is a multiple of 3.
        for (Loop m : members) {
            assertEquals(threads * perThread / 3, counts.get(m).get(),
                    "concurrent next() calls must still give each member its turn (SPEC M2)");
        }
    }

    // ================================================================== M3

    /**
     * M3: a submitted task, its callbacks, timers and child tasks all run on one member.
     *
     * @throws Exception an unexpected failure, which fails the test
     */
    @Test
    public void required_M3_aSubmittedTaskAndWhatItSchedulesStayOnOneMember() throws Exception {
        LoopGroup group = newGroup(3);
        List<Loop> members = group.loops();
        int jobs = 30;
        List<CompletableFuture<List<Set<Integer>>>> results = new ArrayList<>();
        for (int j = 0; j < jobs; j++) {
            results.add(group.submit(() -> {
                List<Set<Integer>> seen = Collections.synchronizedList(new ArrayList<>());
                seen.add(membersRunning(members));
                AsyncIO.sleep0();
                seen.add(membersRunning(members));
                AsyncIO.sleep(java.time.Duration.ofMillis(1));
                seen.add(membersRunning(members));
                Loop loop = AsyncIO.currentLoop();
                dev.aio4j.Future<Void> called = loop.createFuture();
                loop.callSoon(() -> {
                    seen.add(membersRunning(members));
                    called.setResult(null);
                });
                called.await();
                loop.createTask(() -> {
                    seen.add(membersRunning(members));
                    AsyncIO.sleep0();
                    seen.add(membersRunning(members));
                    return null;
                }).await();
                return seen;
            }));
        }
        Set<Integer> used = new TreeSet<>();
        for (int j = 0; j < jobs; j++) {
            List<Set<Integer>> seen = await(results.get(j));
            assertEquals(6, seen.size(), "(SPEC M3)");
            Set<Integer> first = seen.get(0);
            assertEquals(1, first.size(), "a step must run on exactly one member (SPEC M3): " + seen);
            for (Set<Integer> s : seen) {
                assertEquals(first, s, "every step, callback and child task of a submitted task must run on "
                        + "the member it started on (SPEC M3): " + seen);
            }
            used.addAll(first);
        }
        assertEquals(Set.of(0, 1, 2), used, "submit() must spread the tasks over the members (SPEC M3)");
    }

    // ================================================================== M4

    /**
     * M4: close stops every member, closes it and waits for its thread; their effects are visible after.
     *
     * @throws Exception an unexpected failure, which fails the test
     */
    @Test
    public void required_M4_closeStopsClosesAndJoinsEveryMember() throws Exception {
        LoopGroup group = newGroup(3);
        List<Loop> members = group.loops();
        int[] written = new int[3]; // plain writes: close() must publish them
        for (int i = 0; i < 3; i++) {
            int index = i;
            members.get(i).execute(() -> written[index] = index + 1);
        }
        // A task still pending at close is its loop's to report, as Loop.close() does; it must not hang close().
        group.submit(() -> AsyncIO.currentLoop().createFuture().await());
        List<Thread> threads = threadsNamed(group.name());
        assertEquals(3, threads.size(), "(SPEC M4)");
        try (LogCapture reports = new LogCapture()) {
            CompletableFuture<Void> closing = CompletableFuture.runAsync(group::close,
                    r -> Thread.ofPlatform().start(r));
            await(closing);
            assertEquals(1, reports.messages(System.Logger.Level.ERROR, "Task was destroyed but it is pending!", "").size(),
                    "the task pending at close must be reported once, by its member's default exception handler "
                            + "(SPEC M4, E5)");
        }
        assertTrue(group.isClosed(), "(SPEC M4)");
        for (int i = 0; i < 3; i++) {
            assertTrue(members.get(i).isClosed(), "close() must close every member (SPEC M4): member " + i);
            assertFalse(members.get(i).isRunning(), "(SPEC M4)");
            assertEquals(i + 1, written[i], "a member's effects must be visible once close() returns (SPEC M4)");
        }
        for (Thread t : threads) {
            assertFalse(t.isAlive(), "close() must wait for every member's thread (SPEC M4): " + t);
        }
        group.close(); // idempotent
    }

    /** M4: the failures of several members are reported together: the first thrown, the others suppressed. */
    @Test
    public void required_M4_closeReportsTheFailuresOfEveryMemberTogether() {
        FailingCloses failing = new FailingCloses(provider(), Set.of(0, 2));
        LoopGroup group = track(LoopGroup.open(failing, uniqueOptions(), 3));
        IllegalStateException e = assertThrows(IllegalStateException.class, group::close,
                "a member's failure to close must be thrown from the group's close() (SPEC M4)");
        assertEquals("close failed: member 0", e.getMessage(), "the first failure is thrown (SPEC M4)");
        assertEquals(1, e.getSuppressed().length, "the other failures must be suppressed in it (SPEC M4)");
        assertEquals("close failed: member 2", e.getSuppressed()[0].getMessage(), "(SPEC M4)");
        for (Loop real : failing.opened) {
            assertTrue(real.isClosed(), "a failing member must not stop the group closing the others (SPEC M4)");
        }
        assertTrue(group.isClosed(), "(SPEC M4)");
    }

    /** Opens the backend's loops, and makes the close of the members listed throw once the loop is closed. */
    private static final class FailingCloses implements LoopProvider {
        final LoopProvider backend;
        final Set<Integer> failing;
        final List<Loop> opened = Collections.synchronizedList(new ArrayList<>());

        FailingCloses(LoopProvider backend, Set<Integer> failing) {
            this.backend = backend;
            this.failing = failing;
        }

        @Override
        public String name() {
            return backend.name();
        }

        @Override
        public String artifact() {
            return backend.artifact();
        }

        @Override
        public Set<Capability> capabilities() {
            return backend.capabilities();
        }

        @Override
        public Loop open(LoopOptions options) {
            Loop real = backend.open(options);
            int index = opened.size();
            opened.add(real);
            return (Loop) Proxy.newProxyInstance(Loop.class.getClassLoader(), new Class<?>[] {Loop.class},
                    (proxy, method, args) -> {
                        Object result;
                        try {
                            result = method.invoke(real, args);
                        } catch (InvocationTargetException e) {
                            throw e.getCause();
                        }
                        if (method.getName().equals("close") && failing.contains(index)) {
                            throw new IllegalStateException("close failed: member " + index);
                        }
                        return result;
                    });
        }
    }

    // ================================================================== M5

    /**
     * M5: every step of a connection's handler, and what it schedules, runs on one member.
     *
     * @throws Exception an unexpected failure, which fails the test
     */
    @Test
    public void optional_M5_eachConnectionLivesOnOneMember() throws Exception {
        requireCapability(Capability.REAL_SOCKETS);
        LoopGroup group = newGroup(2);
        List<Loop> members = group.loops();
        int clients = 32;
        Map<String, List<Set<Integer>>> seen = new ConcurrentHashMap<>();
        CountDownLatch handled = new CountDownLatch(clients);
        GroupServer server = await(Streams.startServer(group, (reader, writer) -> {
            try {
                List<Set<Integer>> steps = Collections.synchronizedList(new ArrayList<>());
                steps.add(membersRunning(members));
                String id = new String(reader.readLine(), StandardCharsets.UTF_8).strip();
                seen.put(id, steps);
                byte[] line;
                while ((line = reader.readLine()).length > 0) {
                    steps.add(membersRunning(members));
                    Loop loop = AsyncIO.currentLoop();
                    loop.callSoon(() -> steps.add(membersRunning(members)));
                    AsyncIO.sleep0();
                    writer.write(line);
                    writer.drain();
                    steps.add(membersRunning(members));
                }
                writer.close();
            } finally {
                handled.countDown();
            }
        }, null, 0));
        for (int c = 0; c < clients; c++) {
            try (Socket s = new Socket()) {
                s.setSoTimeout((int) env.timeout().toMillis());
                s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), server.port()));
                OutputStream out = s.getOutputStream();
                BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(),
                        StandardCharsets.UTF_8));
                out.write(("client" + c + "\n").getBytes(StandardCharsets.UTF_8));
                for (int i = 0; i < 3; i++) {
                    out.write(("line " + i + "\n").getBytes(StandardCharsets.UTF_8));
                    out.flush();
                    assertEquals("line " + i, in.readLine(), "(SPEC M5)");
                }
                s.shutdownOutput();
                assertEquals(null, in.readLine(), "the handler must close after the client's EOF (SPEC M5)");
            }
        }
        assertTrue(handled.await(env.timeout().toMillis(), TimeUnit.MILLISECONDS), "(SPEC M5)");
        await(server.close());
        assertEquals(clients, seen.size(), "(SPEC M5)");
        for (Map.Entry<String, List<Set<Integer>>> e : seen.entrySet()) {
            List<Set<Integer>> steps = e.getValue();
            assertEquals(1 + 3 * 3, steps.size(), "(SPEC M5): " + e);
            Set<Integer> first = steps.get(0);
            assertEquals(1, first.size(), "a connection's step must run on exactly one member (SPEC M5): " + e);
            assertTrue(server.listeners().contains(members.get(first.iterator().next())),
                    "a connection must live on a member that accepts (SPEC M5): " + e);
            for (Set<Integer> s : steps) {
                assertEquals(first, s, "every step and callback of a connection must run on one member (SPEC M5): "
                        + e);
            }
        }
    }

    // ================================================================== M6

    /**
     * M6: with REUSE_PORT every member listens on the one port and connections reach more than one member;
     * without it member 0 alone accepts, and a listener asked for SO_REUSEPORT is refused naming the capability.
     *
     * @throws Exception an unexpected failure, which fails the test
     */
    @Test
    public void optional_M6_everyMemberAcceptsWithReusePortElseMemberZeroAlone() throws Exception {
        requireCapability(Capability.REAL_SOCKETS);
        LoopGroup group = newGroup(2);
        List<Loop> members = group.loops();
        Set<Integer> accepting = ConcurrentHashMap.newKeySet();
        GroupServer server = await(Streams.startServer(group, (reader, writer) -> {
            accepting.addAll(membersRunning(members));
            writer.write("ok\n");
            writer.drain();
            writer.close();
        }, null, 0));
        boolean reusePort = hasCapability(Capability.REUSE_PORT);
        assertEquals(reusePort ? members : List.of(members.get(0)), server.listeners(),
                "with REUSE_PORT every member listens, without it member 0 alone (SPEC M6)");
        // The kernel spreads connections by a hash of their addresses: 64 all on one of two listeners
        // would be a chance of 2^-63.
        for (int c = 0; c < 64; c++) {
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
                s.setSoTimeout((int) env.timeout().toMillis());
                assertEquals("ok", new BufferedReader(new InputStreamReader(s.getInputStream(),
                        StandardCharsets.UTF_8)).readLine(), "(SPEC M6)");
            }
        }
        await(server.close());
        assertEquals(reusePort ? Set.of(0, 1) : Set.of(0), accepting,
                "with REUSE_PORT connections reach every member, without it member 0 only (SPEC M6)");
        if (!reusePort) {
            Loop loop = members.get(0);
            UnsupportedOperationException e = await(loop.runCoroutineThreadsafe(() -> assertThrows(
                    UnsupportedOperationException.class,
                    () -> loop.createServer(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 10, true,
                            () -> null),
                    "without REUSE_PORT, createServer(..., reusePort = true, ...) must be refused (SPEC M6)")));
            assertTrue(e.getMessage().contains("REUSE_PORT"), "(SPEC M6): " + e.getMessage());
        }
    }

    // ================================================================== M7

    /**
     * M7: bad arguments and a closed group fail at once, naming the argument or the group.
     *
     * @throws Exception an unexpected failure, which fails the test
     */
    @Test
    public void required_M7_badInputAndAClosedGroupFailNamingTheCause() throws Exception {
        IllegalArgumentException size = assertThrows(IllegalArgumentException.class,
                () -> LoopGroup.open(provider(), LoopOptions.defaults(), 0), "(SPEC M7)");
        assertTrue(size.getMessage().contains("size"), "(SPEC M7): " + size.getMessage());
        NullPointerException np = assertThrows(NullPointerException.class,
                () -> LoopGroup.open(null, LoopOptions.defaults(), 1), "(SPEC M7)");
        assertEquals("provider", np.getMessage(), "(SPEC M7)");
        NullPointerException no = assertThrows(NullPointerException.class,
                () -> LoopGroup.open(provider(), null, 1), "(SPEC M7)");
        assertEquals("options", no.getMessage(), "(SPEC M7)");

        LoopGroup group = newGroup(2);
        NullPointerException nc = assertThrows(NullPointerException.class, () -> group.submit(null), "(SPEC M7)");
        assertEquals("coroutine", nc.getMessage(), "(SPEC M7)");
        assertThrows(IndexOutOfBoundsException.class, () -> group.get(2), "(SPEC M7)");
        assertThrows(IndexOutOfBoundsException.class, () -> group.get(-1), "(SPEC M7)");
        assertThrows(NullPointerException.class, () -> Streams.startServer(null, (r, w) -> {}, null, 0), "(SPEC M7)");
        assertThrows(NullPointerException.class, () -> Streams.startServer(group, null, null, 0), "(SPEC M7)");
        assertThrows(IllegalArgumentException.class, () -> Streams.startServer(group, (r, w) -> {}, null, 65536),
                "(SPEC M7)");

        // Closing on a member would wait for itself: refused, and the group goes on.
        IllegalStateException onMember = await(group.submit(() -> assertThrows(IllegalStateException.class,
                group::close, "close() on a member must be refused (SPEC M7)")));
        assertTrue(onMember.getMessage().contains(group.name()), "(SPEC M7): " + onMember.getMessage());
        assertEquals(42, await(group.submit(() -> 42)), "(SPEC M7)");

        group.close();
        for (org.junit.jupiter.api.function.Executable use : List.<org.junit.jupiter.api.function.Executable>of(
                group::next, () -> group.get(0), group::loops, () -> group.submit(() -> 1),
                () -> group.submit(0, () -> 1), () -> Streams.startServer(group, (r, w) -> {}, null, 0))) {
            IllegalStateException closed = assertThrows(IllegalStateException.class, use,
                    "a closed group must refuse work (SPEC M7)");
            assertTrue(closed.getMessage().contains("closed") && closed.getMessage().contains(group.name()),
                    "(SPEC M7): " + closed.getMessage());
        }
        assertEquals(2, group.size(), "size() stays answerable once closed (SPEC M7)");
    }
}
