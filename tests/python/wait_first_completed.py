"""wait(FIRST_COMPLETED) returns at the first completion; the rest run on."""
import asyncio


async def job(delay):
    await asyncio.sleep(delay)
    return delay


async def main():
    tasks = [asyncio.create_task(job(d)) for d in (0.1, 0.2, 0.3)]
    done, pending = await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
    print(len(done), "done,", len(pending), "pending")
    await asyncio.gather(*pending)


asyncio.run(main())
