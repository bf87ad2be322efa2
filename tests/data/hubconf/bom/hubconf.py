"""BOM first."""


def after_bom():
    """A UTF-8 BOM starts this file: café."""
