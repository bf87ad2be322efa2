name = "x"
width = 10
braces = f"{{def not_real(): pass}} {name!r:>{width}} {'}'} {name + '{'}"
nested = f"{f'{name}'}"
triple = f"""{name}
def also_not_real():
    pass
{ {'key': "value"}['key'] }"""
rf = rf"\d{name}\{{"
spec = f"{3.14159:.{2}f}"


def after_fstrings(a='x', b=None):  # f"{not_code}"
    """Defined after f-strings."""
