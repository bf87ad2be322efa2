import sys

if sys.version_info >= (3, 0):
	def tab_indented(a):
		"""Indented with tabs."""
		if a:
		        return a
		return None

if True:
    def space_indented():
        """Indented with spaces."""

class Mixed:
	"""Class body with tabs."""
	def __init__(self, tabbed=1):
		pass
