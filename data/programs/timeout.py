"""asyncio.timeout() cancels what runs inside it at the deadline."""
import asyncio


async def long_computation():
    await asyncio.sleep(3)
    return 42


async def main():
    try:
        async with asyncio.timeout(1):
            print(await asyncio.create_task(long_computation()))
    except TimeoutError:
        print("gave up after one second")


asyncio.run(main())
