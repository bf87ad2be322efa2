def f(a, /, b=1, *c, d, e=2, **f) -> int:
    """doc"""
    return a
def f(a, b, /): pass
def g(a, /, b, *, c): pass
def h(*, a=1, b): pass
def i(a: int = 1, *args: *Ts, **kw: str) -> None: pass
def j(a, b=1, /, c=2, *d, e, f=3, **g): pass
def k(*, a, b): pass
def l(a, *, b=1, **c): pass
def m(*args): pass
def n(**kwargs): pass
def o(a: "str", b: list[int] = [], *c: int) -> "x": pass
lambda a, /, b=2, *c, d=3, **e: 0
lambda *a: 0
lambda **k: 0
lambda a=1, b=2: 0
lambda *, a: 0
lambda: 0
lambda x: lambda y: x + y
@dec
class A(B, metaclass=M):
    x: int = 3
    def f(self): return self.x

    @property
    def y(self): ...

    @staticmethod
    def z(): pass
class B: pass
class C(): pass
class D(x, *y, z=1, **w): pass
class E(metaclass=M): pass
@a.b(c)
@d
@e[f] if g else h
@(yield)
def f(): pass
@property
async def f(): pass
def outer():
    def inner():
        nonlocal x
        global y
    class Inner:
        pass
    return inner
