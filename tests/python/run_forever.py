"""A loop the program runs itself, with two tasks started before it runs."""
import asyncio


async def tick(n):
    for _ in range(n):
        await asyncio.sleep(0.02)
    return n


loop = asyncio.new_event_loop()
asyncio.set_event_loop(loop)
first = loop.create_task(tick(3))
second = loop.create_task(tick(5))
loop.call_later(0.2, loop.stop)
loop.run_forever()
print(first.result(), second.result())
loop.close()
