from . import a.b
