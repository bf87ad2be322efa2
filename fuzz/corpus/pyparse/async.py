async def f():
    async with a: pass
    async with a as b, c as d: pass
    await b
    async for a in b: pass
    else: pass
    return [x async for x in y]
    return (await x for x in y)
    x = [i async for i in y if await i]
    x = {i: j async for i, j in y}
    x = await a ** 2
    await asyncio.sleep(1)
async def g():
    yield
    yield 1
    yield a, b
    y = yield *a, b
    z = yield from w
