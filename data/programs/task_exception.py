"""A task's error waits in the task until someone awaits it."""
import asyncio


async def resize_image():
    await asyncio.sleep(0.5)
    raise OSError("disk full")


async def main():
    task = asyncio.create_task(resize_image())
    await asyncio.sleep(1)
    try:
        await task                  # the error surfaces here
    except OSError as error:
        print("the task failed:", error)


asyncio.run(main())
