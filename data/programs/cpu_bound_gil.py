"""The same four computations in plain Python: threads take turns under the GIL.

A thread must hold CPython's global interpreter lock to run Python code,
and passes it on every 5 ms, so two threads computing in Python take turns
and need as long as the loop. Only the worker processes, each with an
interpreter and a lock of its own, still run side by side.
"""
import asyncio
import concurrent.futures
import time


def crunch(n):
    total = 0
    for i in range(n):                  # pure Python: holds the GIL
        total += i * i
    return total


async def crunch_on_loop(n):
    await asyncio.sleep(0)
    return crunch(n)                # no await inside: the loop is held


async def on_loop():
    return await asyncio.gather(*(crunch_on_loop(2_000_000) for _ in range(4)))


async def in_pool(pool):
    loop = asyncio.get_running_loop()
    return await asyncio.gather(*(loop.run_in_executor(pool, crunch, 2_000_000) for _ in range(4)))


async def on_threads():
    with concurrent.futures.ThreadPoolExecutor(max_workers=2) as pool:
        return await in_pool(pool)


async def on_processes():
    with concurrent.futures.ProcessPoolExecutor(max_workers=2) as pool:
        return await in_pool(pool)


if __name__ == "__main__":
    for way in (on_loop, on_threads, on_processes):
        started = time.perf_counter()
        asyncio.run(way())
        print(f"{way.__name__}: {time.perf_counter() - started:.2f} s")
