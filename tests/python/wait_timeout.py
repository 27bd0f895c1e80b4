"""wait(timeout=T) returns after at most T: done and pending split there."""
import asyncio


async def job(delay):
    await asyncio.sleep(delay)
    return delay


async def main():
    tasks = [asyncio.create_task(job(d)) for d in (0.1, 0.2, 0.4, 0.5)]
    done, pending = await asyncio.wait(tasks, timeout=0.3)
    print(len(done), "done,", len(pending), "pending")
    await asyncio.gather(*pending)


asyncio.run(main())
