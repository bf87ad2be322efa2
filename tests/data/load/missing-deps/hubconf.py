dependencies = ['nonexistent_pkg_xyz', 'os', 'also_missing']


def model():
    return 'never reached'
