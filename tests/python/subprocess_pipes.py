"""Two child processes at once, their output read through asyncio's pipes."""
import asyncio


async def run(*command):
    process = await asyncio.create_subprocess_exec(*command, stdout=asyncio.subprocess.PIPE)
    out, _ = await process.communicate()
    return out.decode().strip()


async def main():
    print(await asyncio.gather(run("echo", "hello"), run("sleep", "0.2")))


asyncio.run(main())
