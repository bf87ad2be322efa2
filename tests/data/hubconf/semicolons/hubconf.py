def inline(a): "Inline docstring."; return a
x = 1; inline_alias = inline; y = lambda: 0
class Inline: "Inline class docstring."
def no_space():"Right after the colon."
