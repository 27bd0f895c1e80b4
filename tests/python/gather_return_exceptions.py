"""return_exceptions=True: an error becomes one of the results."""
import asyncio


async def ok(i):
    await asyncio.sleep(0.1)
    return i


async def broken():
    await asyncio.sleep(0.05)
    raise ValueError("no such user")


async def main():
    results = await asyncio.gather(ok(1), broken(), ok(3), return_exceptions=True)
    print(results)


asyncio.run(main())
