import os.path
import json as _json
import helpers_pkg.sub.deep
from os.path import join
from os.path import (
    basename,
    dirname as directory_of,
)
from helpers import helper_a, HelperB as HelperClass, VALUE
from helpers_pkg import packaged, PackagedClass, sub
from helpers_pkg.impl import relayed
from helpers_pkg.sub.deep import deep_function as deep, from_parent
from helpers_pkg \
    import packaged as packaged_again

dependencies = ("torch",)
