import asyncio


async def main():
    await asyncio.sleep(0.05)
    raise LookupError("nothing here")


asyncio.run(main())
