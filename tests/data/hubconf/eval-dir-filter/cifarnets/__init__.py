from .resnet import *
from .vgg import *
from .mobilenet import *
from . import cifar_utils
