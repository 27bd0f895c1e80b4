"""gather() starts every coroutine at once and returns their results in order."""
import asyncio


async def fetch_user(user_id, seconds):
    await asyncio.sleep(seconds)
    return f"User {user_id}"


async def main():
    users = await asyncio.gather(fetch_user(1, 1.0), fetch_user(2, 0.5), fetch_user(3, 0.8))
    print(users)                    # ['User 1', 'User 2', 'User 3'], the order asked for


asyncio.run(main())
