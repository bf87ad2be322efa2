x = """abc
\x4"""
