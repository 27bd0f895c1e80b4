import asyncio
import os


async def main():
    await asyncio.sleep(0.05)
    # The probe's pipe is fd 3 (docs/python-protocol.md).
    os.write(3, b"this is not the protocol\n\xff\xfe\nrunning\tx\ty\n")
    await asyncio.sleep(0.05)


asyncio.run(main())
