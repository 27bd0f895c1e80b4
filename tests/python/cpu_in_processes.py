"""CPU work in worker processes, with its time queued and running."""
import asyncio
import concurrent.futures


def burn(n):
    total = 0
    for i in range(n):
        total += i * i
    return total


async def main():
    loop = asyncio.get_running_loop()
    with concurrent.futures.ProcessPoolExecutor(max_workers=2) as pool:
        results = await asyncio.gather(*(loop.run_in_executor(pool, burn, 200_000) for _ in range(3)))
    print(len(results))


if __name__ == "__main__":
    asyncio.run(main())
