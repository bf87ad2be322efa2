"""Old model names, kept as deprecated aliases."""
from ._registry import register_alias

register_alias("legacy", {
    "tiny_convnet": "convnet_tiny",
    "mixer_small": "mixer_s16",
})
