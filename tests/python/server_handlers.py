"""A server's client handlers, started by asyncio from a callback."""
import asyncio


async def handler(reader, writer):
    line = await reader.readline()
    writer.write(line.upper())
    await writer.drain()
    writer.close()


async def client(port, text):
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(text.encode() + b"\n")
    await writer.drain()
    answer = await reader.readline()
    writer.close()
    await writer.wait_closed()
    return answer.decode().strip()


async def later():
    await asyncio.sleep(0.01)
    return "later"


async def numbers():
    for i in range(10):
        yield i
        await asyncio.sleep(0)


async def main():
    server = await asyncio.start_server(handler, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    async with server:
        print(await asyncio.gather(client(port, "one"), client(port, "two")))
    done = asyncio.get_running_loop().create_future()
    asyncio.get_running_loop().call_soon(lambda: done.set_result(asyncio.create_task(later())))
    print(await (await done))
    # Left unfinished: asyncio.run() closes it in housekeeping of its own.
    unfinished = numbers()
    await anext(unfinished)


asyncio.run(main())
