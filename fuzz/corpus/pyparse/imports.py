import os
import os.path as p, sys
import a, b.c.d as e, f as g
from a.b import c
from . import d
from .a import (b, c,)
from .... import x
from ....a import x
from .. import *
from . import (a as b, c)
from .. a import *
from ... import x
from a import b as c, d
from a . b import c
