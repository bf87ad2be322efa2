import sys, inspect, typing, torch.hub, enum
repo = sys.argv[1]
sys.path.insert(0, repo)
import importlib.util
spec = importlib.util.spec_from_file_location("hubconf", repo + "/hubconf.py")
m = importlib.util.module_from_spec(spec); spec.loader.exec_module(m)
from torchvision.models._api import WeightsEnum
names = [n for n in dir(m) if callable(getattr(m, n)) and not n.startswith("_")]
tot=0
for n in names:
    f = inspect.unwrap(getattr(m, n))
    enums = []
    try:
        hints = typing.get_type_hints(f)
    except Exception as e:
        hints = {}
    for k, t in hints.items():
        for c in (typing.get_args(t) or (t,)):
            if isinstance(c, type) and issubclass(c, WeightsEnum) and c not in enums:
                enums.append(c)
    urls = sorted({w.url for e in enums for w in e})
    tot+=len(urls)
    print(n, [e.__name__ for e in enums], len(urls))
print(len(names), tot)
