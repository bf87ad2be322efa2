#!/usr/bin/python3
"""Export bare git mirrors as plain trees for scripts/corpus-compare.py.

    scripts/corpus-export.py --out DIR GITDIR...

Each GITDIR (a bare repository, e.g. one that `fetch github:owner/name`
brought under /work/.mirror/owner+name/) becomes DIR/owner_name/, the tree
of its HEAD, laid out as torch.hub's cache would hold it after unpacking a
GitHub zipball: regular files, a symlink written as a file holding its
target (Python's zipfile does not restore links), submodules absent.
Blobs missing from a partial mirror (large files left out) are skipped
and counted, where `git archive` would stop at the first one. DIR/CORPUS
gets one line per tree: owner/name, commit, files written, blobs missing.
"""
import argparse
import os
import subprocess
import sys


def repo_name(gitdir):
    path = os.path.abspath(gitdir).rstrip("/")
    for part in reversed(path.split("/")):
        if "+" in part:
            owner, name = part.split("+", 1)
            return owner, name
    raise SystemExit("corpus-export: %s: no owner+name in the path" % gitdir)


def export(gitdir, out):
    git = ["git", "--git-dir=" + gitdir]
    commit = subprocess.run(git + ["rev-parse", "HEAD"], check=True,
                            capture_output=True, text=True).stdout.strip()
    listing = subprocess.run(git + ["ls-tree", "-r", "-z", "HEAD"], check=True,
                             capture_output=True).stdout
    entries = []
    for item in listing.split(b"\0"):
        if not item:
            continue
        meta, path = item.split(b"\t", 1)
        mode, kind, sha = meta.split()
        if kind == b"blob":
            entries.append((mode, sha, path))
    batch = subprocess.Popen(git + ["cat-file", "--batch"], stdin=subprocess.PIPE,
                             stdout=subprocess.PIPE)
    written = missing = 0
    for mode, sha, path in entries:
        batch.stdin.write(sha + b"\n")
        batch.stdin.flush()
        header = batch.stdout.readline().split()
        if len(header) < 3:  # "<sha> missing"
            missing += 1
            continue
        data = batch.stdout.read(int(header[2]))
        batch.stdout.read(1)  # the newline after the object
        rel = os.fsdecode(path)
        if rel.startswith("/") or ".." in rel.split("/"):
            continue
        target = os.path.join(out, rel)
        os.makedirs(os.path.dirname(target), exist_ok=True)
        with open(target, "wb") as f:
            f.write(data)
        if mode == b"100755":
            os.chmod(target, 0o755)
        written += 1
    batch.stdin.close()
    batch.wait()
    return commit, written, missing


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", required=True)
    parser.add_argument("gitdirs", nargs="+")
    args = parser.parse_args(argv)
    os.makedirs(args.out, exist_ok=True)
    lines = []
    for gitdir in args.gitdirs:
        owner, name = repo_name(gitdir)
        out = os.path.join(args.out, "%s_%s" % (owner, name))
        if os.path.exists(out):
            print("corpus-export: %s exists, left as it is" % out, file=sys.stderr)
            continue
        commit, written, missing = export(gitdir, out)
        line = "%s/%s %s %d %d" % (owner, name, commit, written, missing)
        print(line)
        lines.append(line + "\n")
    with open(os.path.join(args.out, "CORPUS"), "a", encoding="utf-8") as f:
        f.writelines(lines)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
