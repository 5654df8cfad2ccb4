import os, sys as s
from .. import m
from x.y import (a, b as c,)

@deco(1)
def f(a, /, b=2, *args, c, **kw) -> int:
    return os.path.join(a, b)

class C(B, metaclass=M):
    async def g(self):
        async with a() as b:
            await self.run()
