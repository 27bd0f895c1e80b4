"""A blocking call inside a coroutine stops the whole event loop."""
import asyncio
import time


async def heartbeat():
    for _ in range(10):
        await asyncio.sleep(0.1)
        print("beat")


async def careless_save():
    await asyncio.sleep(0.2)
    time.sleep(0.5)                 # blocks the loop: no heartbeat meanwhile


async def main():
    await asyncio.gather(heartbeat(), careless_save())


asyncio.run(main())
