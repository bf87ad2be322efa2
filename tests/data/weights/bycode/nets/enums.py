from enum import Enum
from typing import Optional

from torch.hub import load_state_dict_from_url

_HOST = "https://weights.example/enum"


class EnumNetWeights(Enum):
    V1 = _HOST + "/enum_net-v1-01020304.pth"
    V2 = _HOST + "/enum_net-v2-05060708.pth"


class OtherWeights(Enum):
    ONLY = _HOST + "/other-090a0b0c.pth"


def enum_net(*, weights: Optional[EnumNetWeights] = None):
    """Weights named by an enum member."""
    if weights is not None:
        return load_state_dict_from_url(EnumNetWeights(weights).value)
    return None
