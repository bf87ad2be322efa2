#!/usr/bin/python3
"""Compare hub's list and help with torch.hub's on a corpus of repositories.

    scripts/corpus-compare.py [--hub PATH] [--python PATH] [--timeout S]
                              [--no-stand-ins] [--json FILE] [-v]
                              CORPUS [NAME...]

CORPUS is a directory of trees, one repository each (CORPUS/owner_name/
with a hubconf.py at its root; scripts/corpus-export.py writes them from
bare git mirrors); NAME... limits the run to those subdirectories.

The truth, for each tree, comes from Debian's Python with torch (--python,
default /usr/bin/python3) in a fresh process per repository (--timeout
seconds, default 180), run in a scratch directory with bytecode off: it
imports hubconf.py the way torch.hub does (torch.hub._import_module, the
tree first on sys.path), lists it as torch.hub.list does (public callable
names of dir()) and takes each entry's __doc__, which is what
torch.hub.help returns once its dependency check passes (the check itself,
`dependencies` against importlib.util.find_spec, is not part of the
comparison). torch 1.13's list/help take no source='local', so this is
their code path without the download.

hub's answer: `hub list TREE` and `hub help --raw TREE NAME` for every name
Python lists (--hub, default ./hub). A doc is equal when hub prints exactly
what print(torch.hub.help(...)) prints: the docstring and a newline, or
nothing when __doc__ is None.

The oracle's approximation: many repositories import packages that are not
installed here. Unless --no-stand-ins, the oracle process appends a
meta-path finder to sys.meta_path that, for an import no real finder can
satisfy and whose top-level package is itself missing, supplies a
permissive stand-in module: any attribute is a stand-in class that can be
called, subclassed, indexed, iterated (empty), used as a context manager
compared (never less or greater), used in arithmetic, as a context manager
or as a decorator (called with one function, it returns the function).
Only imports written in the repository's own code (hubconf.py and the
modules under the tree) are stood in for; an installed package's optional
imports behave as they do without the finder, and a missing module of a
real package stays missing. With a stand-in, `try: import pkg / except ImportError:`
takes the try branch and a class may inherit from a stand-in, so the
answer is Python's for an environment that has those packages, only
approximately; the report names the stand-ins per repository and counts
the repositories that needed them.

Output: per repository, the names Python lists, the names hub lists,
whether they are equal (and the difference), how many docs are equal; then
the summary: repositories exact (lists equal), repositories exact with
every doc, docstrings exact, and the repositories where the oracle failed
(Python itself cannot import the hubconf; they are left out of the
counts) or used stand-ins. --json FILE writes all of it as JSON.
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))


# ----------------------------------------------------------------------
# The oracle: runs inside Debian's Python, one process per repository.

def install_stand_ins(repo):
    """Append the finder of permissive stand-in modules for imports made
    by the code of the repository at repo; return the list that records
    the names it supplied."""
    import importlib.abc
    import importlib.machinery
    import types

    supplied = []

    class StandInMeta(type):
        def __getattr__(cls, name):
            if name.startswith("__") and name.endswith("__"):
                raise AttributeError(name)
            value = stand_in_class("%s.%s" % (cls.__qualname__, name))
            type.__setattr__(cls, name, value)
            return value

        def __call__(cls, *args, **kwargs):
            if not cls.__dict__.get("_stand_in", False):
                return type.__call__(cls, *args, **kwargs)  # a real subclass
            if len(args) == 1 and not kwargs and callable(args[0]):
                return args[0]  # used as a decorator
            return type.__call__(cls)

        def __getitem__(cls, item):
            return cls

        def __setitem__(cls, item, value):
            pass

        def __or__(cls, other):
            return cls

        __ror__ = __or__

        def __iter__(cls):
            return iter(())

    class StandInBase(metaclass=StandInMeta):
        _stand_in = True

        def __init__(self, *args, **kwargs):
            pass

        def __getattr__(self, name):
            if name.startswith("__") and name.endswith("__"):
                raise AttributeError(name)
            return stand_in_class("%s.%s" % (type(self).__qualname__, name))

        def __call__(self, *args, **kwargs):
            if len(args) == 1 and not kwargs and callable(args[0]):
                return args[0]
            return stand_in_class(type(self).__qualname__ + "()")()

        def __getitem__(self, item):
            return stand_in_class(type(self).__qualname__ + "[]")()

        def __setitem__(self, item, value):
            pass

        def __iter__(self):
            return iter(())

        def __len__(self):
            return 0

        def __bool__(self):
            return True

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return False

        def __lt__(self, other):
            return False

        __le__ = __gt__ = __ge__ = __lt__

        def __index__(self):
            return 0

        __int__ = __index__

        def __float__(self):
            return 0.0

        def __str__(self):
            return type(self).__qualname__

    def operator(self, *other):
        return stand_in_class(type(self).__qualname__ + "(op)")()

    for op in ("add", "sub", "mul", "matmul", "truediv", "floordiv", "mod", "pow",
               "and", "or", "xor", "lshift", "rshift"):
        setattr(StandInBase, "__%s__" % op, operator)
        setattr(StandInBase, "__r%s__" % op, operator)
    for op in ("neg", "pos", "invert"):
        setattr(StandInBase, "__%s__" % op, operator)

    def stand_in_class(qualname):
        name = qualname.rsplit(".", 1)[-1]
        cls = StandInMeta(name, (StandInBase,), {"_stand_in": True,
                                                 "__module__": qualname.split(".")[0]})
        cls.__qualname__ = qualname
        return cls

    class StandInModule(types.ModuleType):
        def __getattr__(self, name):
            if name.startswith("__") and name.endswith("__"):
                raise AttributeError(name)
            value = stand_in_class("%s.%s" % (self.__name__, name))
            setattr(self, name, value)
            return value

    class Loader(importlib.abc.Loader):
        def create_module(self, spec):
            module = StandInModule(spec.name)
            module.__path__ = []
            module.__version__ = "0.0.0"
            return module

        def exec_module(self, module):
            pass

    importlib_dir = os.path.dirname(importlib.__file__) + os.sep

    def imported_by_repository():
        """Whether the import statement that asks is in the repository's
        code (hubconf.py or its modules), not in an installed package."""
        frame = sys._getframe(2)
        while frame is not None:
            filename = frame.f_code.co_filename
            if not (filename.startswith("<frozen") or filename.startswith(importlib_dir)):
                return os.path.abspath(filename).startswith(repo + os.sep)
            frame = frame.f_back
        return False

    class Finder(importlib.abc.MetaPathFinder):
        def find_spec(self, fullname, path=None, target=None):
            if not imported_by_repository():
                return None  # an installed package's optional import stays as it is
            top = fullname.split(".")[0]
            if top != fullname:
                parent = sys.modules.get(top)
                if not isinstance(parent, StandInModule):
                    return None  # a missing part of a real package stays missing
            else:
                # Asked last: only finders added after this one may still know it.
                later = sys.meta_path[sys.meta_path.index(self) + 1:]
                for finder in later:
                    try:
                        if finder.find_spec(fullname, path, target) is not None:
                            return None
                    except Exception:  # noqa: BLE001 - a finder that cannot answer
                        continue
            if top not in supplied:
                supplied.append(top)
            return importlib.machinery.ModuleSpec(fullname, Loader(), is_package=True)

    sys.meta_path.append(Finder())
    return supplied


def oracle_main(repo, answer, stand_ins):
    import warnings

    warnings.simplefilter("ignore")
    out = {"names": None, "docs": {}, "stand_ins": [], "error": None}
    supplied = install_stand_ins(repo) if stand_ins else []
    try:
        import torch.hub

        sys.path.insert(0, repo)
        module = torch.hub._import_module("hubconf.py", os.path.join(repo, "hubconf.py"))
        names = [f for f in dir(module)
                 if callable(getattr(module, f)) and not f.startswith("_")]
        out["names"] = names
        for name in names:
            try:
                doc = getattr(module, name).__doc__
            except Exception as e:  # noqa: BLE001 - the truth is the failure
                doc = {"error": "%s: %s" % (type(e).__name__, e)}
            out["docs"][name] = doc if doc is None or isinstance(doc, (str, dict)) else repr(doc)
    except BaseException as e:  # noqa: BLE001 - SystemExit from a hubconf too
        text = str(e).strip().splitlines()
        out["error"] = "%s: %s" % (type(e).__name__, text[0] if text else "")
    out["stand_ins"] = list(supplied)
    # A file of its own: whatever the hubconf prints goes to stdout.
    with open(answer, "w", encoding="utf-8") as f:
        json.dump(out, f)
    os._exit(0)  # no atexit handlers of the hubconf's modules


def ask_python(python, repo, timeout, stand_ins):
    with tempfile.TemporaryDirectory(prefix="corpus-oracle-") as scratch:
        # Some hubconfs run pip for what they miss: it finds no index here.
        env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1", HOME=scratch,
                   PIP_NO_INDEX="1", PIP_FIND_LINKS=scratch, PIP_NO_INPUT="1",
                   PIP_DISABLE_PIP_VERSION_CHECK="1",
                   TORCH_HOME=os.path.join(scratch, "torch"),
                   XDG_CACHE_HOME=os.path.join(scratch, "cache"),
                   MPLCONFIGDIR=os.path.join(scratch, "mpl"))
        env.pop("PYTHONPATH", None)
        answer = os.path.join(scratch, "answer.json")
        cmd = [python, os.path.abspath(__file__), "--oracle", repo, answer]
        if not stand_ins:
            cmd.append("--no-stand-ins")
        try:
            result = subprocess.run(cmd, cwd=scratch, env=env, capture_output=True,
                                    timeout=timeout, stdin=subprocess.DEVNULL)
        except subprocess.TimeoutExpired:
            return {"names": None, "docs": {}, "stand_ins": [],
                    "error": "timeout after %ds" % timeout}
        try:
            with open(answer, encoding="utf-8") as f:
                return json.load(f)
        except (OSError, ValueError):
            tail = result.stderr.decode("utf-8", "replace").strip().splitlines()[-1:]
            return {"names": None, "docs": {}, "stand_ins": [],
                    "error": "oracle exited %d: %s" % (result.returncode, " ".join(tail))}


# ----------------------------------------------------------------------
# hub's answers and the comparison.

def run_hub(hub, args, timeout):
    try:
        result = subprocess.run([hub] + args, capture_output=True, timeout=timeout,
                                stdin=subprocess.DEVNULL)
    except subprocess.TimeoutExpired:
        return None, b"", b"timeout"
    return result.returncode, result.stdout, result.stderr


def expected_help(doc):
    """What print(torch.hub.help(...)) writes."""
    if doc is None:
        return b""
    return (doc + "\n").encode("utf-8", "surrogatepass")


def compare_repo(args, name, repo):
    truth = ask_python(args.python, repo, args.timeout, args.stand_ins)
    row = {"repo": name, "error": truth["error"], "stand_ins": truth["stand_ins"],
           "python": truth["names"], "hub": None, "hub_status": None,
           "missing": [], "extra": [], "docs_equal": 0, "docs_total": 0,
           "docs_differ": []}
    status, out, err = run_hub(args.hub, ["list", repo], args.timeout)
    row["hub_status"] = status
    hub_names = out.decode("utf-8", "replace").split() if status == 0 else []
    row["hub"] = hub_names
    row["hub_warnings"] = len([l for l in err.decode("utf-8", "replace").splitlines()
                               if "warning" in l])
    if truth["names"] is None:
        return row
    py = truth["names"]
    row["missing"] = sorted(set(py) - set(hub_names))
    row["extra"] = sorted(set(hub_names) - set(py))
    row["equal"] = hub_names == py
    row["docs_total"] = len(py)
    for entry in py:
        doc = truth["docs"].get(entry)
        if isinstance(doc, dict):  # help itself fails in Python
            want = None
        else:
            want = expected_help(doc)
        status, out, err = run_hub(args.hub, ["help", "--raw", repo, entry], args.timeout)
        if want is not None and status == 0 and out == want:
            row["docs_equal"] += 1
        else:
            row["docs_differ"].append(entry)
    return row


def short(names, limit):
    if len(names) <= limit:
        return " ".join(names)
    return "%s ... (%d more)" % (" ".join(names[:limit]), len(names) - limit)


def report(rows, verbose):
    limit = 1000 if verbose else 8
    for row in rows:
        print("== %s" % row["repo"])
        if row["stand_ins"]:
            print("   stand-ins: %s" % " ".join(row["stand_ins"]))
        if row["python"] is None:
            print("   python: FAILED (%s)" % row["error"])
            print("   hub:    %d names (exit %s)" % (len(row["hub"]), row["hub_status"]))
            continue
        print("   python: %d names: %s" % (len(row["python"]), short(row["python"], limit)))
        print("   hub:    %d names: %s%s" % (len(row["hub"]), short(row["hub"], limit),
                                             "" if row["hub_status"] == 0
                                             else " (exit %s)" % row["hub_status"]))
        if row["equal"]:
            print("   equal:  yes")
        else:
            print("   equal:  no; python only: %s; hub only: %s"
                  % (short(row["missing"], limit) or "-", short(row["extra"], limit) or "-"))
        print("   docs:   %d/%d equal%s" % (
            row["docs_equal"], row["docs_total"],
            "; differ: " + short(row["docs_differ"], limit) if row["docs_differ"] else ""))
    judged = [r for r in rows if r["python"] is not None]
    exact = [r for r in judged if r["equal"]]
    all_docs = [r for r in exact if r["docs_equal"] == r["docs_total"]]
    docs_equal = sum(r["docs_equal"] for r in judged)
    docs_total = sum(r["docs_total"] for r in judged)
    failed = [r["repo"] for r in rows if r["python"] is None]
    stood_in = [r["repo"] for r in judged if r["stand_ins"]]
    print()
    print("summary: repositories exact %d/%d (lists equal); with every doc equal too %d/%d"
          % (len(exact), len(judged), len(all_docs), len(judged)))
    print("summary: docstrings exact %d/%d" % (docs_equal, docs_total))
    print("summary: oracle used stand-in modules in %d/%d repositories" % (len(stood_in), len(judged)))
    if failed:
        print("summary: oracle failed (left out of the counts) in %d: %s"
              % (len(failed), " ".join(failed)))
    return {"repositories": len(judged), "exact": len(exact), "exact_docs": len(all_docs),
            "docs_equal": docs_equal, "docs_total": docs_total,
            "stand_ins": len(stood_in), "failed": failed}


def main(argv):
    if argv[:1] == ["--oracle"]:
        oracle_main(os.path.abspath(argv[1]), argv[2], "--no-stand-ins" not in argv[3:])
        return 0
    parser = argparse.ArgumentParser(
        description="Compare hub list/help with torch.hub's on a corpus.")
    parser.add_argument("--hub", default=os.path.join(os.getcwd(), "hub"))
    parser.add_argument("--python", default="/usr/bin/python3")
    parser.add_argument("--timeout", type=int, default=180)
    parser.add_argument("--no-stand-ins", dest="stand_ins", action="store_false")
    parser.add_argument("--json")
    parser.add_argument("-v", "--verbose", action="store_true")
    parser.add_argument("corpus")
    parser.add_argument("names", nargs="*")
    args = parser.parse_args(argv)
    args.hub = os.path.abspath(args.hub)
    if not os.access(args.hub, os.X_OK):
        parser.error("no hub binary at %s (make, or --hub PATH)" % args.hub)
    names = args.names or sorted(
        d for d in os.listdir(args.corpus)
        if os.path.isfile(os.path.join(args.corpus, d, "hubconf.py")))
    rows = []
    for name in names:
        repo = os.path.abspath(os.path.join(args.corpus, name))
        if not os.path.isfile(os.path.join(repo, "hubconf.py")):
            print("corpus-compare: %s: no hubconf.py" % repo, file=sys.stderr)
            return 2
        rows.append(compare_repo(args, name, repo))
    summary = report(rows, args.verbose)
    if args.json:
        with open(args.json, "w", encoding="utf-8") as f:
            json.dump({"summary": summary, "repositories": rows}, f, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
