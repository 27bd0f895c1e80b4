"""asyncio.Runner run twice, then a loop of the program's own, closed by hand."""
import asyncio


async def pause(i):
    await asyncio.sleep(0.02 * i)
    return i


async def both():
    return await asyncio.gather(pause(1), pause(2))


with asyncio.Runner() as runner:
    print(runner.run(both()))
    print(runner.run(pause(3)))

loop = asyncio.new_event_loop()
print(loop.run_until_complete(pause(1)))
loop.run_until_complete(loop.shutdown_asyncgens())
loop.run_until_complete(loop.shutdown_default_executor())
loop.close()
