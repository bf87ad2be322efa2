from torch.hub import load_state_dict_from_url

ROOT = "https://weights.example/nets"
HASHES = {"net_small": "aa11bb22", "net_large": "cc33dd44", "net_tiny": "ee55ff66"}
model_urls = {
    "net_small": f"{ROOT}/net_small-{HASHES['net_small']}.pth",
    "net_large": f"{ROOT}/net_large-{HASHES['net_large']}.pth",
}


class Net:
    def __init__(self, width):
        self.width = width


def _build(arch, width, pretrained):
    model = Net(width)
    if pretrained:
        if arch in model_urls:
            url = model_urls[arch]
        else:
            url = f"{ROOT}/{arch}-{HASHES[arch]}.pth"
        model.state = load_state_dict_from_url(url)
    return model


def net_small(pretrained=False):
    """A small net: its URL from a table, by the entrypoint's name."""
    return _build("net_small", 8, pretrained)


def net_large(pretrained=False):
    """A large net."""
    return _build("net_large", 64, pretrained)


def net_tiny(pretrained=False):
    """A tiny net: its URL built by an f-string from its name."""
    return _build("net_tiny", 2, pretrained)
