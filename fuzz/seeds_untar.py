#!/usr/bin/env python3
"""Writes the seed corpus of fuzz_untar into fuzz/corpus/untar/.

Two kinds of seed, as fuzz_untar.c reads them: NAME.tar.gz files (gzip as
GitHub serves it) and NAME.raw files (a flags byte, then plain tar bytes
that the harness gzips itself, so mutations hit the tar parser). Everything
is deterministic (mtime 0, no owners), so rerunning changes nothing.
Run from the top of the tree: python3 fuzz/seeds_untar.py
"""
import gzip
import io
import os
import tarfile

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "corpus", "untar")
TOP = "owner-repo-abc1234"
COMMIT = "0123456789abcdef0123456789abcdef01234567"


def entry(name, kind=tarfile.REGTYPE, data=b"", link="", mode=0o644):
    info = tarfile.TarInfo(name)
    info.type = kind
    info.size = len(data) if kind == tarfile.REGTYPE else 0
    info.linkname = link
    info.mode = mode
    info.mtime = 0
    return info, data


def tar(entries, fmt=tarfile.PAX_FORMAT, comment=True, end=True):
    buf = io.BytesIO()
    headers = {"comment": COMMIT} if comment and fmt == tarfile.PAX_FORMAT else {}
    with tarfile.open(fileobj=buf, mode="w", format=fmt, pax_headers=headers) as t:
        for info, data in entries:
            t.addfile(info, io.BytesIO(data) if data else None)
    raw = buf.getvalue()
    if not end:
        # Drop the end blocks and record padding: EOF between entries is valid.
        raw = raw.rstrip(b"\0")
        raw += b"\0" * (-len(raw) % 512)
    return raw


def gz(data):
    return gzip.compress(data, compresslevel=9, mtime=0)


def write(name, data):
    with open(os.path.join(OUT, name), "wb") as f:
        f.write(data)


def main():
    os.makedirs(OUT, exist_ok=True)
    good = [
        entry(TOP + "/", tarfile.DIRTYPE, mode=0o755),
        entry(TOP + "/hubconf.py", data=b"dependencies = []\ndef m():\n    pass\n"),
        entry(TOP + "/sub/run.sh", data=b"#!/bin/sh\n", mode=0o755),
        entry(TOP + "/sub/up", tarfile.SYMTYPE, link="../hubconf.py"),
        entry(TOP + "/hard", tarfile.LNKTYPE, link=TOP + "/hubconf.py"),
    ]
    write("github.tar.gz", gz(tar(good)))
    write("multimember.tar.gz", gz(tar(good[:2])) + gz(tar(good[2:], comment=False)[:-1024]))
    long_dir = "d" * 120 + "/" + "e" * 90
    write("gnu-long.tar.gz", gz(tar([
        entry(TOP + "/", tarfile.DIRTYPE),
        entry(TOP + "/" + long_dir + "/f.py", data=b"x"),
        entry(TOP + "/l", tarfile.SYMTYPE, link=long_dir + "/f.py"),
    ], fmt=tarfile.GNU_FORMAT)))
    write("pax-long.tar.gz", gz(tar([
        entry(TOP + "/" + long_dir + "/f.py", data=b"x"),
    ])))
    hostile = {
        "dotdot": [entry(TOP + "/../evil", data=b"x")],
        "absolute": [entry("/tmp/evil", data=b"x")],
        "link-out": [entry(TOP + "/l", tarfile.SYMTYPE, link="../../x")],
        "through-link": [entry(TOP + "/sub/a", tarfile.SYMTYPE, link=".."),
                         entry(TOP + "/sub/a/evil", data=b"x")],
        "device": [entry(TOP + "/dev", tarfile.CHRTYPE)],
        "two-tops": [entry(TOP + "/a", data=b"a"), entry("other/b", data=b"b")],
    }
    for name, entries in hostile.items():
        write("hostile-" + name + ".tar.gz", gz(tar(entries, comment=False)))
    # Raw seeds: flags byte + tar without end blocks.
    write("github.raw", b"\x00" + tar(good[:2] + good[3:4], end=False))
    write("gnu-long.raw", b"\x01" + tar([
        entry(TOP + "/" + long_dir + "/f", data=b"x"),
    ], fmt=tarfile.GNU_FORMAT, end=False))
    write("through-link.raw", b"\x02" + tar(hostile["through-link"], fmt=tarfile.USTAR_FORMAT, end=False))
    linkpath, _ = entry(TOP + "/lp", tarfile.SYMTYPE, link="x")
    linkpath.pax_headers = {"linkpath": "hubconf.py"}
    sized, data = entry(TOP + "/sized", data=b"12345")
    sized.pax_headers = {"size": "5"}
    write("links.raw", b"\x03" + tar([
        good[0], good[1],
        entry(TOP + "/h1", tarfile.LNKTYPE, link=TOP + "/hubconf.py"),
        (linkpath, b""),
        (sized, data),
        entry(TOP + "/h2", tarfile.LNKTYPE, link=TOP + "/nothing"),
    ], comment=False, end=False))
    write("types.raw", b"\x04" + tar([
        entry(TOP + "/fifo", tarfile.FIFOTYPE),
        entry(TOP + "/blk", tarfile.BLKTYPE),
    ], fmt=tarfile.USTAR_FORMAT, end=False))
    write("keep-top.raw", b"\x0b" + tar([entry("a", data=b"a"), entry("b/", tarfile.DIRTYPE)],
                                         fmt=tarfile.USTAR_FORMAT, end=False))


if __name__ == "__main__":
    main()
