def helper_in_sub():
    """A helper in localpkg/sub.py."""
