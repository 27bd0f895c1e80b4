"""wait_for() gives one awaitable a time limit, then falls back."""
import asyncio


async def long_running_task():
    await asyncio.sleep(3)
    return "fresh value"


async def read_cached_value():
    await asyncio.sleep(0.2)
    return "cached value"


async def main():
    try:
        value = await asyncio.wait_for(long_running_task(), timeout=1)
    except TimeoutError:
        value = await read_cached_value()
    print(value)


asyncio.run(main())
