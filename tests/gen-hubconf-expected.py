#!/usr/bin/python3
"""Write what Python says about each hubconf fixture: the truth hub's
list and help are compared with (tests/t2001-hubconf-fixtures.sh).

    tests/gen-hubconf-expected.py [--out DIR] [CASE...]

For every tests/data/hubconf/CASE/hubconf.py, imports it as torch.hub does
(torch/hub.py's _import_module: spec_from_file_location('hubconf.py', ...),
the repository first on sys.path), each case in a fresh interpreter so that
helper modules of one case never satisfy another's imports, and writes
CASE.expected/ (beside the case, or under --out):

    list       torch.hub.list's answer: one name a line
    raw        per name, "=== NAME" then print(torch.hub.help(...)) when
               __doc__ is a str (nothing when it is None)
    clean      the same with inspect.cleandoc(__doc__)
    signature  per name, NAME + str(inspect.signature(entry)), or NAME(...)
               when inspect has none (or the entry is a functools.partial)
    error      instead of the rest when the import fails: hubconf.py:LINE
               of the SyntaxError, or the exception's type

Run it with Debian's /usr/bin/python3 (3.11): the expected files are what
that Python says.
"""
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(HERE, "data", "hubconf")


def case_main(repo, out):
    import functools
    import importlib.util
    import inspect
    import warnings

    warnings.simplefilter("ignore")
    os.makedirs(out, exist_ok=True)
    for stale in ("list", "raw", "clean", "signature", "error"):
        path = os.path.join(out, stale)
        if os.path.exists(path):
            os.remove(path)
    sys.path.insert(0, repo)
    try:
        spec = importlib.util.spec_from_file_location(
            "hubconf.py", os.path.join(repo, "hubconf.py"))
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
    except SyntaxError as e:
        with open(os.path.join(out, "error"), "w") as f:
            f.write("%s:%d\n" % (os.path.basename(e.filename or "hubconf.py"), e.lineno))
        return
    except Exception as e:  # what torch.hub.list would raise
        with open(os.path.join(out, "error"), "w") as f:
            f.write("%s\n" % type(e).__name__)
        return
    names = [f for f in dir(module)
             if callable(getattr(module, f)) and not f.startswith("_")]
    with open(os.path.join(out, "list"), "w", encoding="utf-8") as f:
        f.writelines(name + "\n" for name in names)
    with open(os.path.join(out, "raw"), "w", encoding="utf-8", newline="") as raw, \
         open(os.path.join(out, "clean"), "w", encoding="utf-8", newline="") as clean, \
         open(os.path.join(out, "signature"), "w", encoding="utf-8") as sig:
        for name in names:
            entry = getattr(module, name)
            doc = entry.__doc__
            raw.write("=== %s\n" % name)
            clean.write("=== %s\n" % name)
            if isinstance(doc, str):
                raw.write(doc + "\n")
                clean.write(inspect.cleandoc(doc) + "\n")
            try:
                if isinstance(entry, functools.partial):
                    raise ValueError
                text = name + str(inspect.signature(entry))
            except (ValueError, TypeError):
                text = name + "(...)"
            sig.write(text + "\n")


def main(argv):
    out_root = None
    cases = []
    args = iter(argv)
    for arg in args:
        if arg == "--case":
            case_main(next(args), next(args))
            return 0
        if arg == "--out":
            out_root = next(args)
        else:
            cases.append(arg)
    if not cases:
        cases = sorted(d for d in os.listdir(DATA)
                       if os.path.isfile(os.path.join(DATA, d, "hubconf.py")))
    status = 0
    for case in cases:
        out = os.path.join(out_root or DATA, case + ".expected")
        # A fresh interpreter per case, in a scratch directory, bytecode
        # off: nothing of one case reaches the next or the source tree.
        env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1")
        result = subprocess.run([sys.executable, os.path.abspath(__file__), "--case",
                                 os.path.join(DATA, case), os.path.abspath(out)],
                                cwd=os.path.join(DATA, case), env=env)
        if result.returncode:
            print("gen-hubconf-expected: %s: failed" % case, file=sys.stderr)
            status = 1
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
