"""wait_for(): give one awaitable a time limit."""
import asyncio


async def long_running():
    await asyncio.sleep(3)
    return "done"


async def main():
    try:
        await asyncio.wait_for(long_running(), timeout=0.3)
    except TimeoutError:
        print("gave up")


asyncio.run(main())
