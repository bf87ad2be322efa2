# What each entrypoint of pytorch/vision 0.14 can download, by torchvision's
# own account: the URLs of every member of the WeightsEnum classes in the
# builder's type hints (weights: Optional[X_Weights], and weights_backbone
# for segmentation and detection). Prints {entry: [urls]} as JSON.
import enum, importlib.util, inspect, json, sys, typing, warnings
warnings.simplefilter("ignore")
repo = sys.argv[1]
sys.dont_write_bytecode = True
sys.path.insert(0, repo)
spec = importlib.util.spec_from_file_location("hubconf", repo + "/hubconf.py")
m = importlib.util.module_from_spec(spec)
spec.loader.exec_module(m)
from torchvision.models._api import WeightsEnum
out = {}
for n in sorted(n for n in dir(m) if callable(getattr(m, n)) and not n.startswith("_")):
    f = inspect.unwrap(getattr(m, n))
    enums = []
    try:
        hints = typing.get_type_hints(f)
    except Exception:
        hints = {}
    for t in hints.values():
        for c in typing.get_args(t) or (t,):
            if isinstance(c, type) and issubclass(c, WeightsEnum) and c not in enums:
                enums.append(c)
    out[n] = sorted({w.url for e in enums for w in e})
print(json.dumps(out, indent=1, sort_keys=True))
