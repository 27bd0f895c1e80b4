"""Four computations on the loop, on two threads and on two processes.

The work is hashing, done in C by hashlib, which lets go of the GIL while
it hashes: like the preset's C threads, two Python threads then really
compute side by side on two free cores, as two processes do. On the loop
the four run one after another and hold it all the while. Compare
cpu_bound_gil.py, whose work is plain Python.
"""
import asyncio
import concurrent.futures
import hashlib
import time

BLOCK = bytes(1 << 20)                  # 1 MiB of zeros


def crunch(i):
    digest = hashlib.sha256()
    for _ in range(128):                # 128 MiB: about a quarter of a second
        digest.update(BLOCK)            # hashlib releases the GIL here
    return digest.hexdigest()[:8]


async def crunch_on_loop(i):
    await asyncio.sleep(0)
    return crunch(i)                # no await inside: the loop is held


async def on_loop():
    return await asyncio.gather(*(crunch_on_loop(i) for i in range(4)))


async def in_pool(pool):
    loop = asyncio.get_running_loop()
    return await asyncio.gather(*(loop.run_in_executor(pool, crunch, i) for i in range(4)))


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
