"""A blocking call on the loop delays everyone else."""
import asyncio
import time


async def ticker():
    for _ in range(5):
        await asyncio.sleep(0.1)


async def blocker():
    await asyncio.sleep(0.05)
    time.sleep(0.3)


async def main():
    await asyncio.gather(ticker(), blocker())


asyncio.run(main())
