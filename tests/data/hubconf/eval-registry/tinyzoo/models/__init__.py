from ._registry import create_model, is_model, list_models, model_entrypoint, register_model
from .convnet import *
from .mixer import *
from .vit import *
from . import legacy
