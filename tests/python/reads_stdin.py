"""Reads its standard input in a thread, as a program fed by a pipe does."""
import asyncio
import sys


async def main():
    text = await asyncio.to_thread(sys.stdin.read)
    print("read", len(text.splitlines()), "lines")


asyncio.run(main())
