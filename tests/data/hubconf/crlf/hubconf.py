def crlf_function(a, b):
    """Line one.

    Line three after a CRLF blank.
    """


class CrlfClass:
    """Class in a CRLF file."""

    def __init__(self, n=1):
        pass
