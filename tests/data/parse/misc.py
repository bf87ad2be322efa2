@x[0].y(z)
class K(Base, *mixins, flag=True, **opts):
    """Docstring."""
    attr: "int" = 0

    def method(self, /, *, match=None, case=None, _=None):
        nonlocal_ = [y for x in self.items if (y := f(x))]
        return lambda: x if y else z


def gen():
    x = yield
    return x


f(match=1, case=2, _=3)
g = lambda *, a=1, b: (a, b)
h = lambda a, b=2, /, c=3: a
total = 1 + \
    2 + \
    3
s = x[..., 1:2, ::-1, *idx]
print(f"{x!r:{w}}", f"{await_!s}", f"{'nested' + f'{x}'}")
a = not x in y
b = x not in y is not z
c = (yield_ := 5)
d = {(k := 1): v for v in w}
e = [i for i in range(3)][0]
while 1:
    if a: break
    elif b: continue
    else: pass
with a as (b, *c): pass
if x: pass
else:
    if y: pass
try: pass
except (): pass
for i, (j, k) in enumerate(pairs): pass
del a,
x = 1_000_000j + 0.5e-3 - 0xFF * 0o7 // 0b1
print(*[1], *(2,), **{}, sep="")
