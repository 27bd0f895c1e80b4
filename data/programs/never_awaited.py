"""Calling a coroutine function without await creates it, but it never runs."""
import asyncio


async def send_email(to):
    await asyncio.sleep(0.5)
    print("sent to", to)


async def main():
    send_email("ada@example.org")   # forgotten await: nothing is sent
    await asyncio.sleep(1)


asyncio.run(main())
