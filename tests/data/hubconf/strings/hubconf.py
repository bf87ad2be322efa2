# def in_comment(): this is a comment, not a definition
"""
def in_module_docstring():
    pass
"""

fake = '''
def in_triple_string():
    """not real"""
'''

also_fake = "def in_string(): pass"


def escapes():
    "Escapes: tab\there, newline\nthere, backslash \\, quotes \' \", hex \x41, u \u00e9, U \U0001F600, octal \101\0, named \N{BULLET} \N{LATIN SMALL LETTER E WITH ACUTE} \N{HANGUL SYLLABLE GAG} \N{CJK UNIFIED IDEOGRAPH-4E00}, unknown \d, continued \
line."


def raw_doc():
    r"""Raw: \n stays, \t stays, \\ stays, \" stays."""


def upper_raw_doc():
    R'''Upper R: \x41 stays.'''


def unicode_prefix():
    u"""U prefix works like a plain string."""


def concatenated():
    "First part, " 'second part, ' """third part."""


def parenthesised():
    ("Parenthesised "
     "docstring.")


def fstring_first():
    f"""Not a docstring: an f-string."""


def bytes_first():
    b"""Not a docstring: bytes."""


def string_then_call():
    """Not a docstring: a call on it.""".strip()


def string_second():
    x = 1
    """Not a docstring: second statement."""


def comment_before():
    # a comment first
    """Still the docstring."""


def tabs_in_doc():
	"""Tabs:
	indented with a tab
		and two tabs
	  tab then spaces."""


def blank_lines_around():
    """

    Leading blank lines, trailing blank lines.

    """


def unicode_whitespace():
    """First line.
     Indented with a no-break space.
     Next line."""


def only_first_line():
    """Just one line."""


def empty_doc():
    """"""


def whitespace_doc():
    """   """


def def_in_doc():
    """def not_a_function():
        pass
    class NotAClass: pass
    """


x = """
class InString:
    pass
"""; y = 1
