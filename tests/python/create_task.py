"""A task starts when it is created, before anyone awaits it."""
import asyncio


async def brew(what):
    await asyncio.sleep(0.3)
    return what


async def main():
    tea = asyncio.create_task(brew("tea"), name="tea")
    coffee = asyncio.create_task(brew("coffee"))
    await asyncio.sleep(0.2)
    print(await tea, await coffee)


asyncio.run(main())
