"""Ten thousand tasks that each wait one second finish together, in about a second."""
import asyncio


async def wait_a_second(i):
    await asyncio.sleep(1)
    return i


async def main():
    results = await asyncio.gather(*(wait_a_second(i) for i in range(10_000)))
    print(len(results), "tasks done")


asyncio.run(main())
