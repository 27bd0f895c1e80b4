"""The same CPU work in a pool of processes: it runs in parallel, the loop stays free."""
import asyncio
import concurrent.futures


def crunch(n):
    total = 0
    for i in range(n):
        total += i * i
    return total


async def main():
    loop = asyncio.get_running_loop()
    with concurrent.futures.ProcessPoolExecutor(max_workers=2) as pool:
        results = await asyncio.gather(*(loop.run_in_executor(pool, crunch, 2_000_000) for _ in range(4)))
    print(results)


if __name__ == "__main__":
    asyncio.run(main())
