def f(a, / pass
d?f
