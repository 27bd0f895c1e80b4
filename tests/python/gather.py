"""gather runs all and returns the results in the order given."""
import asyncio


async def fetch_user(i, delay):
    await asyncio.sleep(delay)
    return f"User {i}"


async def main():
    users = await asyncio.gather(fetch_user(1, 0.3), fetch_user(2, 0.1), fetch_user(3, 0.2))
    print(users)


asyncio.run(main())
