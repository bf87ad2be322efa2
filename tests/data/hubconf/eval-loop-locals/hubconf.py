"""Builders made in loops: one per variant, named at import time."""
dependencies = ["torch"]

from torch import nn

_WIDTH = [1.0, 1.0, 1.1, 1.2, 1.4, 1.6, 1.8, 2.0, 2.2]
_DEPTH = [1.0, 1.1, 1.2, 1.4, 1.8, 2.2, 2.6, 3.1, 3.6]


class _Net(nn.Module):
    def __init__(self, width, depth, num_classes):
        super().__init__()
        self.fc = nn.Linear(int(1280 * width), num_classes)


def _make(name):
    index = int(name[-1])

    def _model(pretrained=False, num_classes=1000, **kwargs):
        """A net of the B family.

        Width and depth grow with the index of the variant.
        """
        return _Net(_WIDTH[index], _DEPTH[index], num_classes)

    _model.__name__ = name
    return _model


for name in ['net_b' + str(i) for i in range(9)]:
    locals()[name] = _make(name)


def _make_lite(idx, resolution):
    def builder(pretrained=True):
        return _Net(_WIDTH[idx], _DEPTH[idx], 1000)

    builder.__doc__ = """Lite{} at {}x{} pixels.

    Args:
        pretrained (bool): load the weights.
    """.format(idx, resolution, resolution)
    return builder


_LITE = {0: 224, 1: 240, 2: 260, 3: 280, 4: 300}
for _idx, _res in _LITE.items():
    if _idx == 3:
        continue
    globals()["lite%d" % _idx] = _make_lite(_idx, _res)

for _kind in ("tiny", "mini"):
    vars()["%s_net" % _kind] = lambda pretrained=False, _k=_kind: _Net(0.5, 0.5, 10)
del _kind

i = 0
while i < 2:
    globals()[f"while_{i}"] = _make(f"while_b{i}")
    i += 1
