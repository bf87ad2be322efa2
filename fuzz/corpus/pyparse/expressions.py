x = 1 + 2 * 3 ** -4
x = a @ b; x @= c
x = a // b % c << d >> e & f | g ^ h
x = a ** b ** c
x = -a ** b
x = (-a) ** b
x = -1, +2, ~3, not 4
x = not not x
x = not a and b or c and not d
x = a or b or c
x = a and b and c
x = a < b <= c is not d not in e
x = a is b, a is not b, a in b, a not in b, a == b != c
x = a < b > c <= d >= e
x = (x := 1)
x = [y := 1, y ** 2]
if (n := len(a)) > 10: pass
while chunk := read(): pass
x = a[b][c](d)(e).f.g
x = ...
x = None, True, False
x = ()
x = (1,)
x = (1, 2,)
x = [1, 2,]
x = []
x = {}
x = {1: 2,}
x = {1,}
x = {'a': 1, **b, 'c': 2}
x = {**a, **b}
x = {*a}
x = {1, 2, *c}
x = [*a, *b]
x = *a,
x = *a, *b
x = 1 if 2 else 3
x = 1 if a else(2)
x = lambda: (yield)
x = await_ = 1
x = (yield)
x = (a
     for b in c)
