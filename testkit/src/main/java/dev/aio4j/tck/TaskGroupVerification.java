package dev.aio4j.tck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.aio4j.AsyncIO;
import dev.aio4j.CancelledError;
import dev.aio4j.Coroutine;
import dev.aio4j.Future;
import dev.aio4j.Loop;
import dev.aio4j.Task;
import dev.aio4j.TaskGroup;
import dev.aio4j.TaskGroupException;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * SPEC section K: TaskGroup, library code in the API run on the provider's
 * loop. Each CPython TaskGroup bug named in SPEC is a rule here; orders are
 * made by hand (futures completed by the test), never by timing.
 */
public abstract class TaskGroupVerification extends AbstractVerification {
    /** For a backend's subclass, which names its provider. */
    protected TaskGroupVerification() {}


    @Override
    protected String area() {
        return "TaskGroup";
    }

    private static Task<?> me() {
        return AsyncIO.currentTask().orElseThrow();
    }

    private static <T> Future<T> pending() {
        return AsyncIO.currentLoop().createFuture();
    }

    /** A coroutine that waits on {@code gate}, logging its end (also when cancelled). */
    private static Coroutine<String> waitsOn(Future<?> gate, String name, List<String> log) {
        return () -> {
            try {
                gate.await();
                return name;
            } catch (CancelledError e) {
                log.add(name + " cancelled");
                throw e;
            }
        };
    }

    /** A coroutine that fails with {@code e} once {@code gate} is done. */
    private static Coroutine<String> failsAfter(Future<?> gate, Exception e) {
        return () -> {
            gate.await();
            throw e;
        };
    }

    /** K1: run() waits for every child and returns the body's value. */
    @Test
    public void required_K1_runWaitsForEveryChild() {
        Loop loop = newLoop();
        run(loop, () -> {
            Future<Void> gate = pending();
            List<Task<String>> children = new ArrayList<>();
            String value = TaskGroup.run(tg -> {
                children.add(tg.createTask(() -> "quick"));
                children.add(tg.createTask(waitsOn(gate, "slow", new ArrayList<>())));
                loop.callSoon(() -> loop.callSoon(() -> gate.setResult(null)));
                return "body done";
            });
            assertEquals("body done", value, "run() must return the body's value (SPEC K1)");
            assertTrue(children.stream().allMatch(Task::isDone), "run() must return only once every child is done (SPEC K1)");
            assertEquals("slow", children.get(1).result(), "(SPEC K1)");
            return null;
        });
    }

    /** K2: a failing child cancels its siblings and the body; all failures together, completion order, body last. */
    @Test
    public void required_K2_aFailingChildCancelsItsSiblingsAndTheBody() {
        Loop loop = newLoop();
        List<String> log = new ArrayList<>();
        run(loop, () -> {
            Future<Void> first = pending();
            Future<Void> never = pending();
            IOException e1 = new IOException("first");
            IllegalStateException e2 = new IllegalStateException("second");
            IllegalArgumentException bodyError = new IllegalArgumentException("body");
            TaskGroupException g = assertThrows(TaskGroupException.class, () -> TaskGroup.run(tg -> {
                Future<Void> second = pending();
                tg.createTask(failsAfter(second, e2));
                tg.createTask(failsAfter(first, e1));
                tg.createTask(waitsOn(never, "sibling", log));
                // The second child to fail is released in the same iteration as the first: it fails before it
                // is cancelled, so both errors are collected.
                loop.callSoon(() -> {
                    first.setResult(null);
                    second.setResult(null);
                });
                try {
                    pending().await();
                } catch (CancelledError c) {
                    log.add("body cancelled");
                    throw bodyError;
                }
                return null;
            }), "a failing child must make run() throw TaskGroupException (SPEC K2)");
            assertEquals(List.of(e1, e2, bodyError), g.exceptions(),
                    "every failure, children's in completion order, the body's last (SPEC K2)");
            assertEquals(List.of(e1), g.exceptions(IOException.class), "exceptions(type) must filter (SPEC K2)");
            assertEquals(3, g.getSuppressed().length, "each failure must be attached as suppressed (SPEC K2)");
            assertTrue(log.contains("sibling cancelled") && log.contains("body cancelled"),
                    "a failing child must cancel its siblings and the body (SPEC K2): " + log);
            assertEquals(0, me().cancelling(), "the group must withdraw its request on the parent (SPEC K2)");
            AsyncIO.sleep0();
            return null;
        });
    }

    /** K3: an outside cancellation, with no child failing, cancels the children, waits, and stays a cancellation. */
    @Test
    public void required_K3_anOutsideCancellationStaysACancellation() {
        Loop loop = newLoop();
        List<String> log = new ArrayList<>();
        run(loop, () -> {
            Future<Void> never = pending();
            Task<Object> parent = AsyncIO.createTask(() -> TaskGroup.run(tg -> {
                tg.createTask(() -> {
                    try {
                        return never.await();
                    } finally {
                        AsyncIO.sleep0(); // a cleanup that takes a step
                        log.add("child cleaned up");
                    }
                });
                return pending().await();
            }));
            AsyncIO.sleep0();
            AsyncIO.sleep0();
            parent.cancel("from outside");
            CancelledError e = assertThrows(CancelledError.class, parent::await,
                    "an outside cancellation must propagate as CancelledError when no child failed (SPEC K3)");
            assertEquals("from outside", e.getMessage(), "(SPEC K3)");
            assertEquals(List.of("child cleaned up"), log, "the children must be cancelled and awaited first (SPEC K3)");
            return null;
        });
    }

    /** K4: a child failure beats an outside cancellation (gh-95704), which is delivered again later (gh-116720). */
    @Test
    public void required_K4_childErrorsBeatAnOutsideCancellationWhichIsRearmed() {
        Loop loop = newLoop();
        List<String> log = new ArrayList<>();
        run(loop, () -> {
            IllegalStateException boom = new IllegalStateException("child failed in its cleanup");
            Future<Void> never = pending();
            Task<String> parent = AsyncIO.createTask(() -> {
                try {
                    TaskGroup.run(tg -> {
                        tg.createTask(() -> {
                            try {
                                return never.await();
                            } catch (CancelledError c) {
                                throw boom;
                            }
                        });
                        return pending().await();
                    });
                    return "no error";
                } catch (TaskGroupException g) {
                    log.add("group failed with " + g.exceptions());
                }
                try {
                    AsyncIO.sleep0();
                    return "the outside cancellation was lost";
                } catch (CancelledError c) {
                    log.add("outside cancellation delivered again");
                    throw c;
                }
            });
            AsyncIO.sleep0();
            AsyncIO.sleep0();
            parent.cancel("from outside");
            assertThrows(CancelledError.class, parent::await,
                    "the outside cancellation must be delivered again at the parent's next await (SPEC K4)");
            assertEquals(List.of("group failed with " + List.of(boom), "outside cancellation delivered again"), log,
                    "a child's error must beat the outside cancellation, which must not be lost (SPEC K4)");
            return null;
        });
    }

    /** K5: the body replacing the group's CancelledError leaves the parent's count right (gh-95289). */
    @Test
    public void required_K5_theGroupWithdrawsItsOwnRequestExactlyOnce() {
        Loop loop = newLoop();
        run(loop, () -> {
            IllegalStateException child = new IllegalStateException("child");
            IllegalArgumentException replaced = new IllegalArgumentException("the body's own");
            Future<Void> go = pending();
            TaskGroupException g = assertThrows(TaskGroupException.class, () -> TaskGroup.run(tg -> {
                tg.createTask(failsAfter(go, child));
                go.setResult(null);
                try {
                    pending().await();
                } catch (CancelledError c) {
                    throw replaced;
                }
                return null;
            }), "(SPEC K5)");
            assertEquals(List.of(child, replaced), g.exceptions(), "(SPEC K5)");
            assertEquals(0, me().cancelling(), "the group must withdraw its request exactly once, whatever the body "
                    + "threw instead of the CancelledError (SPEC K5)");
            AsyncIO.sleep0(); // not interrupted
            return null;
        });
    }

    /** K6: cancel() ends the group early without an error; the group then refuses new tasks. */
    @Test
    public void required_K6_cancelEndsTheGroupEarlyWithoutAnError() {
        Loop loop = newLoop();
        List<String> log = new ArrayList<>();
        run(loop, () -> {
            Future<Void> never = pending();
            AtomicReference<TaskGroup> group = new AtomicReference<>();
            Object value = TaskGroup.run(tg -> {
                group.set(tg);
                tg.createTask(waitsOn(never, "worker", log));
                tg.createTask(() -> {
                    AsyncIO.sleep0();
                    tg.cancel(); // "stop early": found what we were looking for
                    return "found";
                });
                pending().await();
                log.add("the body went on after cancel()");
                return "unreachable";
            });
            assertNull(value, "run() must return normally (null: the body was cut short) after cancel() (SPEC K6)");
            assertEquals(List.of("worker cancelled"), log, "cancel() must cancel the children and the body (SPEC K6)");
            assertEquals(0, me().cancelling(), "the group's own cancellation must be withdrawn (SPEC K6)");
            IllegalStateException refused = assertThrows(IllegalStateException.class,
                    () -> group.get().createTask(() -> "late"), "a finished group must refuse new tasks (SPEC K6)");
            assertTrue(refused.getMessage().contains("finished"), "saying so (SPEC K6): " + refused);
            TaskGroup.run(tg -> {
                tg.cancel();
                assertThrows(IllegalStateException.class, () -> tg.createTask(() -> "late"),
                        "a group shutting down after cancel() must refuse new tasks (SPEC K6)");
                return null;
            });
            return null;
        });
    }

    /** K7: after cancel(), an outside cancellation still propagates (gh-155433). */
    @Test
    public void required_K7_afterCancelAnOutsideCancellationStillPropagates() {
        Loop loop = newLoop();
        run(loop, () -> {
            Future<Void> never = pending();
            Task<Object> parent = AsyncIO.createTask(() -> TaskGroup.run(tg -> {
                tg.createTask(() -> {
                    try {
                        return never.await();
                    } finally {
                        AsyncIO.sleep0();
                    }
                });
                tg.cancel();
                return pending().await();
            }));
            AsyncIO.sleep0(); // the group cancelled itself; its child cleans up
            parent.cancel("from outside");
            assertThrows(CancelledError.class, parent::await,
                    "an outside cancellation after cancel() must still propagate (SPEC K7)");
            assertTrue(parent.isCancelled(), "(SPEC K7)");
            return null;
        });
    }

    /** K8: a nested group does not swallow the cancellation its parent group asked for (gh-116720). */
    @Test
    public void required_K8_aNestedGroupDoesNotSwallowTheOuterGroupsCancellation() {
        Loop loop = newLoop();
        List<String> log = new ArrayList<>();
        run(loop, () -> {
            IllegalStateException boom = new IllegalStateException("outer child");
            Future<Void> go = pending();
            Future<Void> never = pending();
            TaskGroupException g = assertThrows(TaskGroupException.class, () -> TaskGroup.run(outer -> {
                outer.createTask(failsAfter(go, boom));
                TaskGroup.run(inner -> {
                    inner.createTask(waitsOn(never, "inner child", log));
                    go.setResult(null);
                    return pending().await();
                });
                log.add("the outer body went on after the inner group");
                return null;
            }), "(SPEC K8)");
            assertEquals(List.of(boom), g.exceptions(), "(SPEC K8)");
            assertEquals(List.of("inner child cancelled"), log,
                    "the inner group must let the outer group's cancellation through (SPEC K8)");
            assertEquals(0, me().cancelling(), "(SPEC K8)");
            return null;
        });
    }

    /** K9: a timeout around a group: the group lets the timeout's cancellation through, the timeout converts it. */
    @Test
    public void required_K9_aTimeoutAroundAGroupConvertsItsCancellation() {
        Loop loop = newLoop();
        List<String> log = new ArrayList<>();
        run(loop, () -> {
            Future<Void> never = pending();
            assertThrows(TimeoutException.class, () -> AsyncIO.timeout(Duration.ofMillis(1), () -> TaskGroup.run(tg -> {
                tg.createTask(waitsOn(never, "child", log));
                return pending().await();
            })), "a timeout around a group must end in TimeoutException (SPEC K9)");
            assertEquals(List.of("child cancelled"), log, "the group's children must be cancelled (SPEC K9)");
            assertEquals(0, me().cancelling(), "(SPEC K9)");
            return null;
        });
    }

    /** K10: a child failing while the body already returned still cancels its siblings. */
    @Test
    public void required_K10_aChildFailingAfterTheBodyReturnedCancelsItsSiblings() {
        Loop loop = newLoop();
        List<String> log = new ArrayList<>();
        run(loop, () -> {
            IllegalStateException late = new IllegalStateException("late");
            Future<Void> go = pending();
            Future<Void> never = pending();
            TaskGroupException g = assertThrows(TaskGroupException.class, () -> TaskGroup.run(tg -> {
                tg.createTask(failsAfter(go, late));
                tg.createTask(waitsOn(never, "sibling", log));
                loop.callSoon(() -> go.setResult(null));
                return "body returned";
            }), "(SPEC K10)");
            assertSame(late, g.exceptions().get(0), "(SPEC K10)");
            assertEquals(List.of("sibling cancelled"), log, "(SPEC K10)");
            assertEquals(0, me().cancelling(), "(SPEC K10)");
            AsyncIO.sleep0();
            return null;
        });
    }

    /** K11: bad input, and tasks refused by a finished group are never created (gh-115957). */
    @Test
    public void required_K11_badInputIsRefused() {
        Loop loop = newLoop();
        run(loop, () -> {
            NullPointerException body = assertThrows(NullPointerException.class, () -> TaskGroup.run(null), "(SPEC K11)");
            assertTrue(String.valueOf(body.getMessage()).contains("body"), "naming the argument (SPEC K11): " + body);
            TaskGroup.run(tg -> {
                NullPointerException c = assertThrows(NullPointerException.class, () -> tg.createTask(null), "(SPEC K11)");
                assertTrue(String.valueOf(c.getMessage()).contains("coroutine"), "naming the argument (SPEC K11): " + c);
                return null;
            });
            AtomicReference<TaskGroup> done = new AtomicReference<>();
            TaskGroup.run(tg -> {
                done.set(tg);
                return null;
            });
            int before = loop.allTasks().size();
            assertThrows(IllegalStateException.class, () -> done.get().createTask(() -> "x"), "(SPEC K11)");
            assertEquals(before, loop.allTasks().size(), "a refused createTask must create no task (SPEC K11)");
            assertInstanceOf(IllegalStateException.class, thrownInACallback(loop, () -> TaskGroup.run(tg -> null)),
                    "TaskGroup.run() outside a task must throw IllegalStateException (SPEC K11)");
            return null;
        });
    }

    /** K12: the group exception's list cannot be changed; cancelled children are not failures. */
    @Test
    public void required_K12_cancelledChildrenAreNotFailures() {
        Loop loop = newLoop();
        run(loop, () -> {
            Future<Void> never = pending();
            Object value = TaskGroup.run(tg -> {
                Task<Object> c = tg.createTask(() -> never.await());
                AsyncIO.sleep0();
                c.cancel();
                return "a cancelled child is no failure";
            });
            assertEquals("a cancelled child is no failure", value, "(SPEC K12)");
            TaskGroupException g = new TaskGroupException(List.of(new IllegalStateException("x")));
            assertThrows(UnsupportedOperationException.class, () -> g.exceptions().add(new RuntimeException()),
                    "exceptions() must be unmodifiable (SPEC K12)");
            assertThrows(IllegalArgumentException.class, () -> new TaskGroupException(List.of()), "(SPEC K12)");
            assertFalse(me().isCancelled(), "(SPEC K12)");
            return null;
        });
    }

    /** K13: children carry the name given; tasks() lists the children not done. */
    @Test
    public void required_K13_childrenAreNamedAndListed() {
        Loop loop = newLoop();
        run(loop, () -> {
            Future<Void> gate = pending();
            TaskGroup.run(tg -> {
                Task<String> named = tg.createTask(() -> "x", "fetch-1");
                Task<String> waiting = tg.createTask(waitsOn(gate, "w", new ArrayList<>()));
                assertEquals("fetch-1", named.getName(), "createTask(coroutine, name) must name the child (SPEC K13)");
                assertEquals(List.of(named, waiting), List.copyOf(tg.tasks()),
                        "tasks() must list the children not done, in creation order (SPEC K13)");
                AsyncIO.sleep0();
                AsyncIO.sleep0();
                assertEquals(List.of(waiting), List.copyOf(tg.tasks()), "a done child must leave tasks() (SPEC K13)");
                gate.setResult(null);
                return null;
            });
            return null;
        });
    }

    /** K14: the failures a group reports are marked retrieved: nothing is reported as never retrieved at close. */
    @Test
    public void required_K14_reportedFailuresAreRetrieved() {
        Loop loop = newLoop();
        run(loop, () -> {
            assertThrows(TaskGroupException.class, () -> TaskGroup.run(tg -> {
                tg.createTask(() -> {
                    throw new IllegalStateException("reported by the group");
                });
                return null;
            }), "(SPEC K14)");
            return null;
        });
        loop.close();
        assertTrue(errors().isEmpty(), "a failure the group reported must not be reported again as never retrieved "
                + "(SPEC K14): " + errors());
    }

    /** K15: a child may add children while the group waits for them after the body returned. */
    @Test
    public void required_K15_childrenMayAddChildrenWhileTheGroupWaits() {
        Loop loop = newLoop();
        run(loop, () -> {
            List<String> log = new ArrayList<>();
            TaskGroup.run(tg -> {
                tg.createTask(() -> {
                    AsyncIO.sleep0(); // the body has returned by now
                    tg.createTask(() -> {
                        log.add("grandchild ran");
                        return null;
                    });
                    return null;
                });
                return null;
            });
            assertEquals(List.of("grandchild ran"), log,
                    "a child added while the group waited must run and be waited for (SPEC K15)");
            return null;
        });
    }
}
