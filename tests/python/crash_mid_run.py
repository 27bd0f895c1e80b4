import asyncio
import os


async def main():
    asyncio.create_task(asyncio.sleep(5))
    await asyncio.sleep(0.1)
    os._exit(7)


asyncio.run(main())
