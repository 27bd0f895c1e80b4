# Many short tasks: a run whose exports take a moment to write.
import asyncio
import sys

COUNT = int(sys.argv[1]) if len(sys.argv) > 1 else 20000


async def nap():
    await asyncio.sleep(0)


async def main():
    await asyncio.gather(*(nap() for _ in range(COUNT)))


asyncio.run(main())
