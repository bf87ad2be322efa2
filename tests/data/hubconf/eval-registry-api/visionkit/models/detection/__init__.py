from .boxnet import *
