#!/usr/bin/env python3
"""The aio4j benchmark workloads (bench/README.md) on CPython asyncio and uvloop.

Prints one JSON line per (implementation, workload) on stdout, e.g.
  {"impl": "asyncio", "workload": "pingpong", "ops": 200000, "seconds": 1.25,
   "ops_per_s": 160000.0, "median_ops_per_s": 155000.0, "min_ops_per_s": 150000.0, "runs": 3}
and {"impl": "uvloop", "skipped": "..."} when uvloop does not import.
The first line describes the interpreter: {"python": "3.11.2", "executable": ..., "uvloop": "0.17.0" | null}.
Progress goes to stderr.

Run it with Debian's python3, the one that imports python3-uvloop:
  /usr/bin/python3 bench/python/workloads.py [--impl asyncio,uvloop] [--workloads pingpong,...] [--repeat 3] [--warmup 1]

Each workload runs --warmup + --repeat times in one event loop (as the JVM side
reuses one loop) and reports the best run, the median and the worst run.
"""
import argparse
import asyncio
import json
import random
import statistics
import sys
import time

SIZES = {
    "callsoon": 1_000_000,
    "tasks": 200_000,
    "pingpong": 200_000,
    "sleep0": 1_000_000,
    "timers": 200_000,
    "executor": 50_000,
    "async_tree": 55_987,
    "echo": 100_000,
    "echo_group": 100_000,
    "queue": 200_000,
}
TREE_DEPTH, TREE_BRANCHING = 6, 6
ECHO_CLIENTS, ECHO_LINES, ECHO_LINE = 50, 2_000, b"x" * 63 + b"\n"  # 64-byte lines
QUEUE_CAPACITY, QUEUE_PRODUCERS, QUEUE_CONSUMERS = 64, 4, 4


async def callsoon(n):
    loop = asyncio.get_running_loop()
    done = loop.create_future()
    ran = 0

    def cb():
        nonlocal ran
        ran += 1
        if ran == n:
            done.set_result(None)

    for _ in range(n):
        loop.call_soon(cb)
    await done
    assert ran == n
    return n


async def trivial():
    return 1


async def tasks(n):
    results = await asyncio.gather(*[asyncio.create_task(trivial()) for _ in range(n)])
    assert sum(results) == n
    return n


async def pingpong(n):
    # Two tasks, two asyncio.Queues: the baseline the issues quote (~159,000 round trips/s here).
    to_b, to_a = asyncio.Queue(), asyncio.Queue()

    async def pong():
        for _ in range(n):
            to_a.put_nowait(await to_b.get() + 1)

    b = asyncio.create_task(pong())
    v = 0
    for _ in range(n):
        to_b.put_nowait(v)
        v = await to_a.get()
    await b
    assert v == n
    return n


async def sleep0(n):
    for _ in range(n):
        await asyncio.sleep(0)
    return n


async def timers(n):
    loop = asyncio.get_running_loop()
    done = loop.create_future()
    fired = 0

    def cb():
        nonlocal fired
        fired += 1
        if fired == n:
            done.set_result(None)

    rnd = random.Random(42)
    for _ in range(n):
        loop.call_later(rnd.random() * 0.05, cb)
    await done
    return n


def one():
    return 1


async def executor(n):
    loop = asyncio.get_running_loop()
    results = await asyncio.gather(*[loop.run_in_executor(None, one) for _ in range(n)])
    assert sum(results) == n
    return n


async def tree(depth):
    # pyperformance async_tree "none": gather wraps each child coroutine in a task.
    if depth == 0:
        await asyncio.sleep(0)
        return 1
    return 1 + sum(await asyncio.gather(*[tree(depth - 1) for _ in range(TREE_BRANCHING)]))


async def async_tree(n):
    count = await tree(TREE_DEPTH)
    assert count == SIZES["async_tree"], count
    return count


async def echo(n):
    async def handle(reader, writer):
        while True:
            line = await reader.readline()
            if not line:
                break
            writer.write(line)
            await writer.drain()
        writer.close()

    server = await asyncio.start_server(handle, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    lines = n // ECHO_CLIENTS

    async def client():
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        for _ in range(lines):
            writer.write(ECHO_LINE)
            got = await reader.readline()
            assert got == ECHO_LINE
        writer.close()
        await writer.wait_closed()
        return lines

    total = sum(await asyncio.gather(*[client() for _ in range(ECHO_CLIENTS)]))
    server.close()
    await server.wait_closed()
    assert total == n
    return total


async def echo_group(n):
    # The JVM side runs this echo on a group of one loop per core. asyncio and uvloop users run
    # one event loop per process, so here it is the single-process echo: the figure to beat.
    return await echo(n)


async def queue(n):
    # N items through one asyncio.Queue(64) from 4 producers to 4 consumers; join, then a sentinel each.
    q = asyncio.Queue(maxsize=QUEUE_CAPACITY)
    async def producer(items):
        for i in range(items):
            await q.put(i)
    async def consumer():
        got = 0
        while True:
            v = await q.get()
            q.task_done()
            if v < 0:
                return got
            got += 1
    consumers = [asyncio.create_task(consumer()) for _ in range(QUEUE_CONSUMERS)]
    # the first n % producers put one more, as Workload.queueShare on the JVM side
    await asyncio.gather(*[producer(n // QUEUE_PRODUCERS + (p < n % QUEUE_PRODUCERS)) for p in range(QUEUE_PRODUCERS)])
    await q.join()
    for _ in consumers:
        await q.put(-1)
    total = sum(await asyncio.gather(*consumers))
    assert total == n, total
    return total


WORKLOADS = {f.__name__: f for f in (callsoon, tasks, pingpong, sleep0, timers, executor, async_tree, echo, echo_group, queue)}


def measure(impl, factory, name, warmup, repeat, scale):
    n = max(1, int(SIZES[name] * scale)) if name != "async_tree" else SIZES[name]
    rates, best = [], None
    with asyncio.Runner(loop_factory=factory) as runner:
        for i in range(warmup + repeat):
            t0 = time.perf_counter()
            ops = runner.run(WORKLOADS[name](n))
            dt = time.perf_counter() - t0
            if i >= warmup:
                rates.append(ops / dt)
                if best is None or dt < best[1]:
                    best = (ops, dt)
    ops, dt = best
    return {"impl": impl, "workload": name, "ops": ops, "seconds": round(dt, 6),
            "ops_per_s": round(ops / dt, 1), "median_ops_per_s": round(statistics.median(rates), 1),
            "min_ops_per_s": round(min(rates), 1), "runs": repeat}


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--impl", default="asyncio,uvloop")
    ap.add_argument("--workloads", default=",".join(WORKLOADS))
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--warmup", type=int, default=1)
    ap.add_argument("--scale", type=float, default=1.0, help="multiply every size (not async_tree's shape)")
    args = ap.parse_args()

    try:
        import uvloop
        uv_version, uv_error = uvloop.__version__, None
    except ImportError as e:
        uvloop, uv_version, uv_error = None, None, f"uvloop does not import in {sys.executable}: {e}"
    print(json.dumps({"python": sys.version.split()[0], "executable": sys.executable, "uvloop": uv_version}), flush=True)

    impls = []
    for impl in args.impl.split(","):
        if impl == "asyncio":
            impls.append(("asyncio", asyncio.new_event_loop))
        elif impl == "uvloop":
            if uvloop is None:
                print(json.dumps({"impl": "uvloop", "skipped": uv_error}), flush=True)
            else:
                impls.append(("uvloop", uvloop.new_event_loop))
        else:
            sys.exit(f"unknown --impl {impl!r} (asyncio, uvloop)")
    names = args.workloads.split(",")
    for name in names:
        if name not in WORKLOADS:
            sys.exit(f"unknown workload {name!r}; known: {', '.join(WORKLOADS)}")
    for impl, factory in impls:
        for name in names:
            print(f"  python {impl} {name} ...", file=sys.stderr, flush=True)
            try:
                line = measure(impl, factory, name, args.warmup, args.repeat, args.scale)
            except Exception as e:  # report, never fail silently
                line = {"impl": impl, "workload": name, "error": f"{type(e).__name__}: {e}"}
            print(json.dumps(line), flush=True)


if __name__ == "__main__":
    main()
