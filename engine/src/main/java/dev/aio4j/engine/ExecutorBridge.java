package dev.aio4j.engine;

import dev.aio4j.Coroutine;
import dev.aio4j.Future;
import dev.aio4j.Task;
import java.lang.reflect.Method;
import java.util.ArrayDeque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.FutureTask;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loop's executor bridge: work moved to other threads ({@code runInExecutor},
 * wrapped {@code CompletionStage}s and {@code java.util.concurrent.Future}s)
 * whose outcome comes back to the loop, and coroutines sent to the loop from
 * other threads ({@code runCoroutineThreadsafe}). Every outcome is copied
 * into its loop future on the loop, through the thread-safe inbox; while any
 * is outstanding, virtual time does not jump ({@link RunLoop#outsideStarted}).
 *
 * <p>Threads: the methods run on the loop (the caller checked), except
 * {@link #runCoroutineThreadsafe} and {@link #cancelFromAnyThread} (any thread).
 */
final class ExecutorBridge {
    private static final AtomicInteger EXECUTOR_THREADS = new AtomicInteger();

    private final EventLoop loop;
    /** Null until first needed (asyncio creates it lazily too). Baton holder. */
    private ExecutorService defaultExecutor;
    /** shutdownDefaultExecutor() was called: refuse new work until setDefaultExecutor. Baton holder. */
    private boolean shutDown;
    /**
     * What other threads may be blocked on: the CompletableFuture views of
     * pending loop futures and the futures of runCoroutineThreadsafe. Each
     * leaves when it completes; those left when the loop closes are failed
     * then (SPEC L18), so that no thread waits for ever. Any thread.
     */
    private final Set<CompletableFuture<?>> watched = ConcurrentHashMap.newKeySet();

    ExecutorBridge(EventLoop loop) {
        this.loop = loop;
    }

    <T> Future<T> runInExecutor(Executor executor, Callable<T> job) {
        Executor ex = executor != null ? executor : defaultExecutor();
        LoopFuture<T> f = new LoopFuture<>(loop);
        FutureTask<T> ft = new FutureTask<>(job) {
            @Override
            protected void done() {
                deliver(f, this);
            }
        };
        loop.run.outsideStarted();
        try {
            ex.execute(ft);
        } catch (RejectedExecutionException e) {
            loop.run.outsideEnded();
            f.setException(e);
            return f;
        }
        f.addDoneCallback(x -> {
            if (x.isCancelled()) {
                ft.cancel(false); // only stops a job that has not started, as asyncio
            }
        });
        return f;
    }

    /** Copies a finished java.util.concurrent.Future into {@code target}, on the loop. Any thread. */
    private <T> void deliver(LoopFuture<T> target, java.util.concurrent.Future<T> source) {
        try {
            loop.seams.deliverFromThread(loop, () -> {
                loop.run.outsideEnded();
                copyOutcome(source, target);
            });
        } catch (IllegalStateException closed) {
            // the loop closed meanwhile: the result is dropped, as asyncio does
        }
    }

    private static <T> void copyOutcome(java.util.concurrent.Future<T> source, LoopFuture<T> target) {
        if (target.isDone()) {
            return;
        }
        if (source.isCancelled()) {
            target.cancel(null);
            return;
        }
        try {
            target.setResult(source.get());
        } catch (ExecutionException e) {
            target.setException(e.getCause() != null ? e.getCause() : e);
        } catch (CancellationException e) {
            target.cancel(e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            target.setException(e);
        }
    }

    private ExecutorService defaultExecutor() {
        if (shutDown) {
            throw new IllegalStateException("Executor shutdown has been called");
        }
        ExecutorService ex = defaultExecutor;
        if (ex == null) {
            int n = Math.min(32, Runtime.getRuntime().availableProcessors() + 4); // asyncio's default size
            ThreadPoolExecutor tpe = new ThreadPoolExecutor(n, n, 60, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
                Thread th = new Thread(r, "aio4j-executor-" + EXECUTOR_THREADS.incrementAndGet());
                th.setDaemon(true);
                return th;
            });
            tpe.allowCoreThreadTimeOut(true);
            defaultExecutor = ex = tpe;
        }
        return ex;
    }

    void setDefaultExecutor(ExecutorService executor) {
        defaultExecutor = executor;
        shutDown = false;
    }

    Future<Void> shutdownDefaultExecutor() {
        shutDown = true;
        LoopFuture<Void> f = new LoopFuture<>(loop);
        ExecutorService ex = defaultExecutor;
        if (ex == null) {
            f.setResult(null);
            return f;
        }
        ex.shutdown();
        loop.run.outsideStarted();
        // A platform thread: a virtual one started here could inherit a backend's scheduler.
        Thread.ofPlatform().daemon().name("aio4j-executor-shutdown").start(() -> {
            boolean interrupted = false;
            try {
                while (!ex.awaitTermination(1, TimeUnit.DAYS)) {
                    // keep waiting: asyncio's shutdown_default_executor waits for the jobs too
                }
            } catch (InterruptedException e) {
                interrupted = true;
            }
            boolean wasInterrupted = interrupted;
            try {
                loop.callSoonThreadsafe(() -> {
                    loop.run.outsideEnded();
                    if (!f.isDone()) {
                        if (wasInterrupted) {
                            f.setException(new InterruptedException("interrupted while waiting for the executor"));
                        } else {
                            f.setResult(null);
                        }
                    }
                });
            } catch (IllegalStateException closed) {
                // the loop closed meanwhile; nobody can await f any more
            }
        });
        return f;
    }

    /** At close: fails what other threads wait on, and shuts the default executor down without waiting, as asyncio's close(). */
    void close() {
        for (CompletableFuture<?> cf : watched) {
            failClosed(cf);
        }
        ExecutorService ex = defaultExecutor;
        if (ex != null) {
            ex.shutdown();
        }
    }

    /**
     * Fails {@code cf} when the loop closes before it completes (SPEC L18).
     * Any thread: a close that runs concurrently either finds it watched or
     * is seen by the check after the add.
     */
    void watch(CompletableFuture<?> cf) {
        watched.add(cf);
        cf.whenComplete((r, e) -> watched.remove(cf));
        if (loop.isClosed()) {
            failClosed(cf);
        }
    }

    private void failClosed(CompletableFuture<?> cf) {
        cf.completeExceptionally(new IllegalStateException("Event loop is closed: " + loop
                + " was closed before this future completed; it never will"));
    }

    /** Any thread. */
    <T> CompletableFuture<T> runCoroutineThreadsafe(Coroutine<T> coroutine) {
        CompletableFuture<T> cf = new CompletableFuture<>();
        loop.callSoonThreadsafe(() -> {
            if (cf.isDone()) {
                return; // cancelled before it started
            }
            Task<T> task;
            try {
                task = loop.createTask(coroutine);
            } catch (RuntimeException e) {
                cf.completeExceptionally(e);
                return;
            }
            task.addDoneCallback(t -> {
                LoopFuture<T> lt = (LoopFuture<T>) t;
                switch (lt.state()) {
                    case LoopFuture.RESULT -> cf.complete(lt.resultNow());
                    case LoopFuture.EXCEPTION -> cf.completeExceptionally(lt.exception());
                    default -> cf.cancel(false);
                }
            });
            cf.whenComplete((r, e) -> {
                if (cf.isCancelled() && !task.isDone()) {
                    cancelFromAnyThread(task);
                }
            });
        });
        watch(cf); // after the call: a closed loop refused it already, with no future to fail
        return cf;
    }

    /** Cancels a future of this loop from any thread (the CompletableFuture view's cancel). */
    void cancelFromAnyThread(Future<?> f) {
        try {
            loop.callSoonThreadsafe(() -> f.cancel(null));
        } catch (IllegalStateException closed) {
            // the loop is closed: the future can never complete anyway
        }
    }

    <T> Future<T> wrap(CompletionStage<T> stage) {
        LoopFuture<T> f = new LoopFuture<>(loop);
        loop.run.outsideStarted();
        stage.whenComplete((r, e) -> {
            try {
                loop.seams.deliverFromThread(loop, () -> {
                    loop.run.outsideEnded();
                    if (f.isDone()) {
                        return;
                    }
                    Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
                    if (cause == null) {
                        f.setResult(r);
                    } else if (cause instanceof CancellationException ce) {
                        f.cancel(ce.getMessage());
                    } else {
                        f.setException(cause);
                    }
                });
            } catch (IllegalStateException closed) {
                // dropped: the loop is closed
            }
        });
        if (stage instanceof java.util.concurrent.Future<?> jf) {
            cancelSourceWith(f, jf);
        }
        return f;
    }

    <T> Future<T> wrap(java.util.concurrent.Future<T> future) {
        LoopFuture<T> f = new LoopFuture<>(loop);
        Method addListener = listenableAddListener(future);
        loop.run.outsideStarted();
        Runnable copy = () -> deliver(f, future);
        try {
            if (addListener != null) {
                // Guava's ListenableFuture, reached reflectively so that the engine needs no Guava.
                addListener.invoke(future, copy, (Executor) Runnable::run);
            } else {
                // No callback to hook: wait for it on a thread of the default executor.
                defaultExecutor().execute(() -> {
                    try {
                        future.get();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    } catch (ExecutionException | CancellationException e) {
                        // copied by deliver
                    }
                    copy.run();
                });
            }
        } catch (ReflectiveOperationException | RuntimeException e) {
            loop.run.outsideEnded();
            f.setException(e);
            return f;
        }
        cancelSourceWith(f, future);
        return f;
    }

    /** Cancelling the loop future cancels the source (without interrupting it). */
    private static void cancelSourceWith(LoopFuture<?> f, java.util.concurrent.Future<?> source) {
        f.addDoneCallback(x -> {
            if (x.isCancelled()) {
                source.cancel(false);
            }
        });
    }

    private static Method listenableAddListener(Object future) {
        for (Class<?> i : allInterfaces(future.getClass())) {
            if (i.getName().equals("com.google.common.util.concurrent.ListenableFuture")) {
                try {
                    return i.getMethod("addListener", Runnable.class, Executor.class);
                } catch (NoSuchMethodException e) {
                    return null;
                }
            }
        }
        return null;
    }

    private static Set<Class<?>> allInterfaces(Class<?> c) {
        Set<Class<?>> out = new LinkedHashSet<>();
        ArrayDeque<Class<?>> todo = new ArrayDeque<>();
        for (Class<?> k = c; k != null; k = k.getSuperclass()) {
            todo.addAll(List.of(k.getInterfaces()));
        }
        while (!todo.isEmpty()) {
            Class<?> i = todo.poll();
            if (out.add(i)) {
                todo.addAll(List.of(i.getInterfaces()));
            }
        }
        return out;
    }
}
