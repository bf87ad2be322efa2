# Entrypoints for hub load's tests that need no torch.
import os
import sys
import time

CONSTANT = 3


class Echo:
    """What the entrypoint was called with."""

    def __init__(self, args, kwargs):
        self.args, self.kwargs = args, kwargs

    def __repr__(self):
        return 'Echo(args=%r, kwargs=%r)' % (self.args, self.kwargs)


def echo(*args, **kwargs):
    """Returns its arguments."""
    return Echo(args, kwargs)


def _inner():
    raise ValueError('entry failed on purpose')


def boom():
    _inner()


def nap(seconds):
    print('sleeping', flush=True)
    time.sleep(seconds)


def exit_with(code):
    sys.exit(code)


def state():
    """Where things are, as the entrypoint sees them."""
    torch = sys.modules.get('torch')
    return {
        'hub_dir': torch.hub.get_dir() if torch else None,
        'cwd_on_path': '' in sys.path or os.getcwd() in sys.path[:1],
        'repo_first': sys.path[0],
        'argv': sys.argv,
        'name': __name__,
    }


def fetch_weights(url):
    """Downloads url as torch.hub.load_state_dict_from_url does."""
    import torch.hub
    return torch.hub.load_state_dict_from_url(url, progress=False)


def unpicklable():
    return (n for n in range(3))
