"""Calling a coroutine function without await runs nothing."""
import asyncio


async def save(record):
    await asyncio.sleep(0.1)


async def main():
    save("forgotten")
    await asyncio.sleep(0.1)


asyncio.run(main())
