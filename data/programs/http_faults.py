"""What goes wrong with HTTP: six requests together, each fault kept as a result.

Under Tasklanes the built-in demo server answers at TASKLANES_DEMO_URL.
Only the first request succeeds; gather(return_exceptions=True) hands back
every failure as a value instead of failing on the first one.
"""
import asyncio
import os

import aiohttp

BASE = os.environ.get("TASKLANES_DEMO_URL", "http://127.0.0.1:8080")


async def fetch(session, url, max_bytes=1 << 24):
    async with session.get(url) as response:
        response.raise_for_status()                     # 500 → ClientResponseError
        body = bytearray()
        async for chunk in response.content.iter_any():
            body += chunk
            if len(body) > max_bytes:
                raise ValueError(f"the body is larger than {max_bytes} bytes")
        return f"{response.status}, {len(body)} bytes"


async def main():
    async with aiohttp.ClientSession() as session:
        results = await asyncio.gather(
            fetch(session, BASE + "/users/1"),
            fetch(session, BASE + "/status/500"),
            fetch(session, "http://127.0.0.1:1/"),      # nothing listens there
            asyncio.wait_for(fetch(session, BASE + "/stall"), timeout=1),
            asyncio.wait_for(fetch(session, BASE + "/drip?bytes=4096&duration=5"), timeout=1.5),
            fetch(session, BASE + "/bytes/1048576", max_bytes=65536),
            return_exceptions=True,
        )
    for result in results:
        print(type(result).__name__, result)


asyncio.run(main())
