"""Blocking calls on a pool of two threads: the loop stays free, the rest queue."""
import asyncio
import concurrent.futures
import time


def read_sensor(number):
    time.sleep(0.5)                 # a blocking driver call
    return f"sensor {number}: ok"


async def main():
    loop = asyncio.get_running_loop()
    with concurrent.futures.ThreadPoolExecutor(max_workers=2) as pool:
        readings = await asyncio.gather(*(loop.run_in_executor(pool, read_sensor, n) for n in range(1, 6)))
    print(readings)


asyncio.run(main())
