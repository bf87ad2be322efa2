x = """abc

def \N{NOPE}"""
