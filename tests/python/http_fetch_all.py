"""Concurrent HTTP requests with one aiohttp session (the demo server)."""
import asyncio
import os

import aiohttp


async def fetch(session, path):
    async with session.get(os.environ["TASKLANES_DEMO_URL"] + path) as response:
        return response.status, len(await response.read())


async def main():
    async with aiohttp.ClientSession() as session:
        print(await asyncio.gather(*(fetch(session, "/") for _ in range(3))))


asyncio.run(main())
