"""Entrypoints of tinyzoo: every model its registry knows."""
dependencies = ["torch"]

import tinyzoo

# Each model module registers its builders when tinyzoo imports it; the
# registry's table is name -> function, so it can become our namespace.
globals().update(tinyzoo.models._registry._entrypoints)

# One helper as well, imported by name.
from tinyzoo.models import create_model
