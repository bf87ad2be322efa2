# Optional list of dependencies required by the package
dependencies = ["torch"]

from visionkit.models import get_model_builder, list_models
from visionkit.models import detection as _detection

# Classification builders by their registered names ...
# (get_model_builder lowercases its argument: a name registered with
# capitals cannot be looked up, so it is skipped.)
for _name in list_models():
    if _name in list_models(_detection) or not _name.islower():
        continue
    globals()[_name] = get_model_builder(_name)

# ... and the detection ones with a prefix.
globals().update({"det_" + n: get_model_builder(n) for n in list_models(module=_detection)})
