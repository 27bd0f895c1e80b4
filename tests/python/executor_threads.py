"""Blocking calls on two threads keep the loop free; the rest queue."""
import asyncio
import concurrent.futures
import time


def blocking_read(i):
    time.sleep(0.2)
    return i


async def main():
    loop = asyncio.get_running_loop()
    with concurrent.futures.ThreadPoolExecutor(max_workers=2) as pool:
        results = await asyncio.gather(*(loop.run_in_executor(pool, blocking_read, i) for i in range(5)))
    print(results, await asyncio.to_thread(blocking_read, 9))


asyncio.run(main())
