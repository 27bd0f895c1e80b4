"""wait(timeout=…) returns after at most that long, split into done and pending."""
import asyncio


async def job(seconds):
    await asyncio.sleep(seconds)
    return seconds


async def main():
    tasks = [asyncio.create_task(job(s)) for s in (0.5, 1.0, 1.5, 2.0, 2.5)]
    done, pending = await asyncio.wait(tasks, timeout=1.2)
    print(f"after 1.2 s: {len(done)} done, {len(pending)} pending")
    await asyncio.wait(pending)


asyncio.run(main())
