"""CPU-heavy work in coroutines holds the loop: they run one after another."""
import asyncio


def crunch(n):
    total = 0
    for i in range(n):
        total += i * i
    return total


async def analyse(part):
    await asyncio.sleep(0)
    return crunch(2_000_000)        # no await inside: the loop is held


async def main():
    print(await asyncio.gather(*(analyse(p) for p in range(4))))


asyncio.run(main())
