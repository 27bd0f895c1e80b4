"""create_task() starts the work now; await only collects the result later."""
import asyncio


async def download(name, seconds):
    await asyncio.sleep(seconds)
    return f"{name} downloaded"


async def main():
    report = asyncio.create_task(download("report", 1.5))
    photo = asyncio.create_task(download("photo", 1.0))
    await asyncio.sleep(0.5)        # other work; both downloads already run
    print(await report)
    print(await photo)


asyncio.run(main())
