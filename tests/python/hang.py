import asyncio


async def main():
    print("waiting", flush=True)
    await asyncio.sleep(3600)


asyncio.run(main())
