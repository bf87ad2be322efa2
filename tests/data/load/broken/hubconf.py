import helper  # the repository's own module: its folder is on sys.path


def model():
    return helper.VALUE
