"""wait(FIRST_COMPLETED) returns when the first task ends; the others go on."""
import asyncio


async def mirror(name, seconds):
    await asyncio.sleep(seconds)
    return name


async def main():
    tasks = [asyncio.create_task(mirror(f"mirror {i}", s))
             for i, s in enumerate((0.5, 1.0, 1.5, 2.0, 2.5), 1)]
    done, pending = await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
    print(f"{len(done)} done, {len(pending)} still running")
    await asyncio.wait(pending)     # pending is not cancelled: let them finish


asyncio.run(main())
