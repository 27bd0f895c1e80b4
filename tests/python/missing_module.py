import asyncio
import tasklanes_no_such_module_here

asyncio.run(asyncio.sleep(0))
