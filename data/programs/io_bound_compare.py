"""Six half-second I/O waits done three ways: in turn, on the loop, on three threads.

Three asyncio.run() calls, so Tasklanes draws three sections. In turn they
take 3 s; gathered on the loop they overlap and take 0.5 s; as blocking
calls on three threads they overlap three at a time and take 1 s.
"""
import asyncio
import concurrent.futures
import time


async def fetch(i):
    await asyncio.sleep(0.5)            # a network call, waited for on the loop
    return i


def blocking_fetch(i):
    time.sleep(0.5)                     # the same call, holding a whole thread
    return i


async def in_turn():
    return [await fetch(i) for i in range(6)]


async def on_loop():
    return await asyncio.gather(*(fetch(i) for i in range(6)))


async def on_threads():
    loop = asyncio.get_running_loop()
    with concurrent.futures.ThreadPoolExecutor(max_workers=3) as pool:
        return await asyncio.gather(*(loop.run_in_executor(pool, blocking_fetch, i) for i in range(6)))


for way in (in_turn, on_loop, on_threads):
    started = time.perf_counter()
    asyncio.run(way())
    print(f"{way.__name__}: {time.perf_counter() - started:.2f} s")
