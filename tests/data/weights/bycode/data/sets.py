ARCHIVE = "https://weights.example/data/toy-images.tar"
LABELS = "https://weights.example/data/toy-labels.zip"


class ToyImages:
    """A data set: its archives are not weights of any entrypoint."""

    urls = [ARCHIVE, LABELS]

    def __init__(self, root):
        self.root = root
