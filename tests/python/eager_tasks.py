"""Tasks a factory starts at once (Python 3.12+): some end before create_task() returns."""
import asyncio


async def quick(i):
    return i


async def slow(i):
    await asyncio.sleep(0.05)
    return i


async def main():
    asyncio.get_running_loop().set_task_factory(asyncio.eager_task_factory)
    print(await asyncio.gather(quick(1), slow(2), quick(3)))


asyncio.run(main())
