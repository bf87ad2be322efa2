*a, b = c
a, = b
[a, b] = c
(a, b) = c
a = b = c = d
a.b = c[d] = e
a, (b, *c), [d, e] = f
x: int
x: int = 1
(x): int = 1
a.b: int = 1
a[1]: int
x: int = yield
x = yield
x = yield from y
x += 1
x -= 1
x *= 1
x @= 1
x /= 1
x %= 1
x **= 1
x <<= 1
x >>= 1
x |= 1
x ^= 1
x &= 1
x //= 1
a.b += 1
a[b] += 1
x += yield
a[1:2] = b
a[...] = b
x = y = yield z
