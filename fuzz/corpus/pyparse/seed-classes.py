class Base(object):
    slots = ("a", "b")

    def __init__(self, a, b=None):
        self.a, self.b = a, b

    @property
    def total(self):
        return (self.a or 0) + (self.b or 0)

    @total.setter
    def total(self, value):
        self.a = value - (self.b or 0)

    def __repr__(self):
        return "%s(%r, %r)" % (type(self).__name__, self.a, self.b)


class Child(Base, metaclass=type):
    def items(self):
        for k in sorted(vars(self)):
            if not k.startswith("_"):
                yield k, getattr(self, k)
        yield from ()

    async def fetch(self, session):
        async with session.get(self.a) as r:
            return [line async for line in r if line.strip()]
