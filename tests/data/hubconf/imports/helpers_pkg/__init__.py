from .impl import packaged, Packaged as PackagedClass
from . import sub
