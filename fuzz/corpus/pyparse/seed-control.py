import sys

def walk(tree, depth=0):
    match tree:
        case {"kind": "leaf", "value": v}:
            return v
        case {"kind": "node", "children": [*children]}:
            return sum(walk(c, depth + 1) for c in children)
        case [first, *rest] if rest:
            return walk(first) + walk(rest)
        case Point(x=0, y=0) | None:
            return 0
        case _:
            raise TypeError(tree)

while (line := sys.stdin.readline()):
    with open(line.strip()) as f, open("/dev/null", "w") as g:
        data = f.read()
    try:
        n = int(data, 0) if data else -1
    except* ValueError:
        n = 0
    else:
        del data
    print(f"{n:>{8}} {n!r} {n=}", end="\n" if n else "")
lambda x, /, y=1, *z, k, **w: (x, y, z, k, w)
x = [[i * j for j in range(i)] for i in range(10) if i % 2]
y = {k: v for k, v in zip("abc", b"xyz")} | {**{}, 1: 2}
z = a[1:2, ::3, ...], b'\x00\xff', 0x_FF, 1e-7, 3j, 10**100
