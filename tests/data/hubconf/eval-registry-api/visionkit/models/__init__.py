from ._api import get_model, get_model_builder, list_models, register_model
from .small import *
from .wide import *
from . import detection
