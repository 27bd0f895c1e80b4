"""The error of a task travels to whoever awaits it."""
import asyncio


async def worker():
    await asyncio.sleep(0.1)
    raise RuntimeError("worker failed")


async def main():
    task = asyncio.create_task(worker())
    try:
        await task
    except RuntimeError as error:
        print("caught", error)


asyncio.run(main())
