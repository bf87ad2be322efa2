from .resnetlike import *
from .noall import *
from ._private_module import visible_from_private
