x = "\N{NOPE}"
y = 1
z = "abc
