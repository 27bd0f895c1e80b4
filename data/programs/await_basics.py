"""A coroutine pauses at await; meanwhile the event loop runs the others."""
import asyncio


async def make_tea():
    print("kettle on")
    await asyncio.sleep(2)          # waiting: the loop is free meanwhile
    print("tea ready")
    return "tea"


async def toast_bread():
    await asyncio.sleep(1)
    print("toast ready")
    return "toast"


async def main():
    print(await asyncio.gather(make_tea(), toast_bread()))


asyncio.run(main())
