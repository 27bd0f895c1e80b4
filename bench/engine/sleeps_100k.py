#!/usr/bin/env python3
# The same program as sleeps-100k.tasklanes, in CPython's asyncio.
import asyncio
import sys
import time

N = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000


async def main():
    await asyncio.gather(*[asyncio.sleep(1) for _ in range(N)])


start = time.perf_counter()
asyncio.run(main())
print(f"asyncio: {N} sleeps of 1 s gathered in {time.perf_counter() - start:.3f} s")
