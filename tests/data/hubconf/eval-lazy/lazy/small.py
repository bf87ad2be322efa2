def build(pretrained=False):
    """The small network, loaded on first use."""
