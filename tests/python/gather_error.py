"""Without return_exceptions the first error propagates; siblings run on."""
import asyncio


async def slow():
    await asyncio.sleep(0.5)
    return "slow"


async def broken():
    await asyncio.sleep(0.1)
    raise ValueError("broken")


async def main():
    try:
        await asyncio.gather(slow(), broken())
    except ValueError as error:
        print("caught", error)


asyncio.run(main())
