"""With return_exceptions=True an error is just one of the results."""
import asyncio


async def load(page):
    await asyncio.sleep(0.5)
    if page == 2:
        raise ValueError(f"page {page} is missing")
    return f"page {page}"


async def main():
    results = await asyncio.gather(load(1), load(2), load(3), return_exceptions=True)
    for result in results:
        print("error:" if isinstance(result, Exception) else "ok:", result)


asyncio.run(main())
