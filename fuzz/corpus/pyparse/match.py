match p:
    case [1, *_, *rest]: pass
    case {1: a, **r}: pass
    case P(1, b=c) | None: pass
    case (a as b): pass
    case -1+2j: pass
    case _: pass
match x:
    case 1 | 2 | 3: pass
    case "a" "b": pass
    case b"x": pass
    case a.b.c: pass
    case A.B(x, y=1): pass
    case [a, [b, *c], (d, e), ()]: pass
    case (a, b): pass
    case (a,): pass
    case (*a,): pass
    case []: pass
    case {"k": v, a.b: 1, None: 2, -1: 3, 1+2j: 4, True: 5}: pass
    case {}: pass
    case {**r}: pass
    case C(): pass
    case C(a=1, b=2): pass
    case True | False | None: pass
    case -1.5 | -2j | 1-1j: pass
    case x if x > 1: pass
    case [1, 2, *_]: pass
    case a, *b: pass
    case _ if True: pass
    case f"x": pass
    case (1 | 2) as z: pass
    case str() | bytes(): pass
    case {"a": [1, {"b": c}]}: pass
match (a, b):
    case _: pass
match a, b:
    case _: pass
match *a, b:
    case _: pass
match x:
    case type():
        pass
    case _:
        match y:
            case 1:
                pass
