# Simple and compound statements, one of each shape.
pass
x = 1; y = 2;
if x:
    pass
elif y:
    pass
elif z:
    x = 3
else:
    pass
while x:
    break
else:
    continue_ = 1
while x: continue
for i in range(3):
    pass
else:
    pass
for a, *b in c: pass
for x, in y: pass
for (x, y) in z: pass
for [x, y] in z: pass
for x.y in z: pass
for x[0] in z: pass
for x in *a, *b: pass
del a, (b, c), [d], e.f, g[h]
del (a)
del a,
global a, b
nonlocal c
assert x
assert x, "message"
raise
raise X
raise X from e
raise X() from None
return_ = 1
def f():
    return
def g():
    return 1, 2
def h():
    return *a, b
x = a if b else c if d else e


if True:
	x = 1
	if x:
		y = 2
x = (1 +
     2)
y = [
  1,
  2,
]
z = 1 \
    + 2
