"""The same three one-second look-ups, awaited one by one and then gathered.

Two asyncio.run() calls, so Tasklanes draws two sections: the first takes
three seconds, the second one, because its waits overlap.
"""
import asyncio


async def look_up(key):
    await asyncio.sleep(1)          # a slow service answering
    return f"value of {key}"


async def one_by_one():
    return [await look_up(key) for key in ("a", "b", "c")]


async def all_at_once():
    return await asyncio.gather(look_up("a"), look_up("b"), look_up("c"))


asyncio.run(one_by_one())
asyncio.run(all_at_once())
