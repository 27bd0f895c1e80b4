"""Several HTTP requests at once through one aiohttp session.

Under Tasklanes the built-in demo server answers at TASKLANES_DEMO_URL.
"""
import asyncio
import os

import aiohttp

BASE = os.environ.get("TASKLANES_DEMO_URL", "http://127.0.0.1:8080")


async def fetch(session, path):
    async with session.get(BASE + path) as response:
        body = await response.read()
        return path, response.status, len(body)


async def main():
    async with aiohttp.ClientSession() as session:
        paths = ["/delay/0.5", "/delay/1", "/bytes/2048", "/status/500"]
        for result in await asyncio.gather(*(fetch(session, p) for p in paths)):
            print(result)


asyncio.run(main())
