import asyncio
import os


async def main():
    pid = os.fork()
    if pid == 0:
        os._exit(0)
    os.waitpid(pid, 0)
    await asyncio.sleep(0.05)
    print("forked")


asyncio.run(main())
