"""tinyzoo: small image models behind one registry."""
from . import models
from .version import __version__
