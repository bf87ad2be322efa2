match = 1
match.x = 2
match(x)
match[x]
match, case = 1, 2
case = 3
_ = 4
print(match, case, _)
type = 1
def match(case): return case
class case: pass
match -x:
    case _: pass
match(x):
    case _: pass
match x, y:
    case _: pass
match [a, b]:
    case _: pass
