"""A TaskGroup: one failing child cancels its siblings."""
import asyncio


async def slow():
    await asyncio.sleep(1)


async def broken():
    await asyncio.sleep(0.1)
    raise KeyError("gone")


async def main():
    try:
        async with asyncio.TaskGroup() as group:
            group.create_task(slow())
            group.create_task(broken())
    except* KeyError:
        print("caught")


asyncio.run(main())
