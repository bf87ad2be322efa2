def build(pretrained=False, depth=50):
    """The large network."""
