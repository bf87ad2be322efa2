# What each entrypoint of a fixture downloads when Python runs it: every
# URL passed to torch.hub's download functions, recorded and not fetched.
import enum, inspect, json, sys, typing
import torch.hub

repo = sys.argv[1]
sys.path.insert(0, repo)
seen = []
class Stop(Exception):
    pass
def record(url, *a, **k):
    seen.append(url)
    raise Stop()
torch.hub.load_state_dict_from_url = record
torch.hub.download_url_to_file = record
import importlib.util
spec = importlib.util.spec_from_file_location("hubconf", repo + "/hubconf.py")
m = importlib.util.module_from_spec(spec); spec.loader.exec_module(m)
out = {}
for name in sorted(n for n in dir(m) if not n.startswith("_") and callable(getattr(m, n))):
    f = getattr(m, name)
    calls = []
    try:
        sig = inspect.signature(f)
    except (TypeError, ValueError):
        continue
    params = sig.parameters
    if "pretrained" in params:
        calls.append({"pretrained": True})
    hints = typing.get_type_hints(f) if inspect.isfunction(f) else {}
    for p, t in hints.items():
        for c in typing.get_args(t) or (t,):
            if isinstance(c, type) and issubclass(c, enum.Enum):
                calls += [{p: member} for member in c]
    urls = []
    for kw in calls:
        seen.clear()
        try:
            f(**kw)
        except Stop:
            pass
        except Exception as e:
            urls.append("error: %s" % type(e).__name__)
        urls += seen
    out[name] = sorted(set(urls))
print(json.dumps(out, indent=1))
