"""Without return_exceptions, gather() fails with the first error; the rest run on."""
import asyncio


async def slow_query():
    await asyncio.sleep(1)
    return "rows"


async def broken_query():
    await asyncio.sleep(0.3)
    raise ConnectionError("database went away")


async def main():
    try:
        await asyncio.gather(slow_query(), broken_query())
    except ConnectionError as error:
        print("gather failed:", error)
    await asyncio.sleep(1)          # slow_query() still finishes meanwhile


asyncio.run(main())
