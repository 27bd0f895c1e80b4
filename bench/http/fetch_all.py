#!/usr/bin/python3
# bench/http/fetch_all.py URL [N] [LIMIT] — the tutorial's fetch_all with
# aiohttp: N GETs (default 5,000) gathered over one ClientSession whose
# connector allows LIMIT connections (default 100). Prints one line:
# "REQUESTS SECONDS", timed around fetch_all only (no interpreter start-up).
#
# Copyright 2026 The Tasklanes authors
# SPDX-License-Identifier: GPL-3.0-or-later
import asyncio
import sys
import time

import aiohttp


async def fetch_url(session, url):
    async with session.get(url) as response:
        body = await response.read()
        if response.status != 200 or len(body) == 0:
            raise RuntimeError(f"{url}: HTTP {response.status}, {len(body)} bytes")
        return len(body)


async def fetch_all(urls, limit):
    connector = aiohttp.TCPConnector(limit=limit, limit_per_host=limit)
    async with aiohttp.ClientSession(connector=connector) as session:
        tasks = [fetch_url(session, url) for url in urls]
        return await asyncio.gather(*tasks)


def main():
    url = sys.argv[1]
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 5000
    limit = int(sys.argv[3]) if len(sys.argv) > 3 else 100
    start = time.perf_counter()
    results = asyncio.run(fetch_all([url] * n, limit))
    elapsed = time.perf_counter() - start
    assert len(results) == n
    print(f"{n} {elapsed:.4f}")


if __name__ == "__main__":
    main()
