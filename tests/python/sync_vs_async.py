"""Waits overlap: the same three look-ups one by one, then together."""
import asyncio


async def look_up(i):
    await asyncio.sleep(0.3)
    return i


async def one_by_one():
    return [await look_up(i) for i in range(3)]


async def together():
    return await asyncio.gather(*(look_up(i) for i in range(3)))


asyncio.run(one_by_one())
asyncio.run(together())
