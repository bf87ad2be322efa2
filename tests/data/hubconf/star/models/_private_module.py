def visible_from_private():
    """Imported by name from a private module."""
