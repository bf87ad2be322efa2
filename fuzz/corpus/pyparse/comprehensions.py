[x for x in y]
[x for x in y if x for z in w]
[x for x in y if c if d]
[(a, b) for a, b in c]
[a for a, in b]
{k: v for k, v in d.items()}
{a: b for a, b, in c}
{x for x in y}
(x for x in y)
(a for b in c for d in e if f if g)
[[y for y in x] for x in z]
[x for x in (y for y in z)]
[x async for x in y]
[await x for x in y]
[i for i in range(10) if i % 2 if i > 3]
[x for x in (lambda: y)()]
[x for x in a if (y := x)]
