"""asyncio.timeout(): the awaited work is cut off at the deadline."""
import asyncio


async def long_running():
    await asyncio.sleep(3)


async def main():
    try:
        async with asyncio.timeout(0.3):
            await asyncio.create_task(long_running())
    except TimeoutError:
        print("timed out")


asyncio.run(main())
