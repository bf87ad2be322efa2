print((yield))
def f(x=lambda: 1, *, y: lambda: 2 = None) -> lambda: 3: pass
@(lambda f: f)
def g(): pass
class A(B, C,): pass
f(a, *b, c=1, **d,)
def f1(a, b,): pass
def f2(*args,): pass
def f3(**kw,): pass
l1 = lambda a,: 0
def f4(a=1, /, b=2): pass
def f5(a, /): pass
l2 = lambda a, /: 0
def f6(*, a=1, **k): pass
x = a if b else lambda: c
x = [lambda: i for i in range(3)]
x = {(1, 2), (3, 4)}
x = (1 if a else 2),
x = a[b[c[d]]]
a = b, = c
x += yield y
[a, *b] = c
(a), b = c
((a)) = b
x = (  # comment
     1)
import a.b.c
from .a.b import (c as d)
global x; x = 1
if x: y = 1; z = 2
class A2: x = 1; y = 2
with a, (b): pass
with (a, b), c: pass
with (open(f)) as g: pass
match x:
    case [*_]: pass
    case (*_, ): pass
    case {"a": _, **rest}: pass
    case Point(x=_, y=[1, *_]): pass
    case -0.5 | 1_000 | 0x10: pass
    case "a" | b"b": pass
    case (1): pass
    case [(1)]: pass
    case (a as b) as c: pass
    case x if (y := x): pass
match x,:
    case _: pass
match not x:
    case _: pass
match (y := f()):
    case _: pass
match case:
    case 1: pass
match match:
    case case: pass
match -x:
    case [1, 2, *rest] if rest: pass
