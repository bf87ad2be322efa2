#!/usr/bin/python3
"""make-evil-tarballs.py OUTDIR: hostile repository tarballs for hub's tests.

Each OUTDIR/NAME.tar.gz is led, like `git archive` output, by a pax global
header whose comment is a commit id (EVIL_SHA), then holds a top folder
`evil-repo-0123456/` with a harmless hubconf.py, plus the attack its name
describes.  A safe extractor must refuse each (except ok.tar.gz, the control)
and name the offending entry.  Serve one with lib-server.sh's
`fixture_archive OWNER NAME REF OUTDIR/NAME.tar.gz`.

OUTDIR/index.tsv lists NAME<TAB>offending entry<TAB>description; the same
lines go to stdout.  The archives are built byte by byte (not with tarfile),
so nothing is "fixed up" on the way.
"""

import gzip
import os
import sys

from tarwriter import header, pad, pax_global_header, pax_records

EVIL_SHA = "e" * 8 + "0123456789abcdef0123456789abcdef"
TOP = "evil-repo-0123456"
MTIME = 1700000000
HUBCONF = b"dependencies = []\n\n\ndef model():\n    \"\"\"A model.\"\"\"\n"


def global_header():
    return pax_global_header(EVIL_SHA, MTIME)


def file_entry(name, data, mode=0o664):
    return header(name, len(data), b"0", mode) + pad(data)


def dir_entry(name):
    return header(name.rstrip("/") + "/", 0, b"5", 0o775)


def link_entry(name, target, typeflag=b"2"):
    return header(name, 0, typeflag, 0o777, linkname=target)


def pax_entry(records, then):
    """A pax extended header ('x') applying RECORDS to the entry THEN."""
    body = pax_records(records)
    return header("PaxHeader/x", len(body), b"x", 0o644) + pad(body) + then


def gnu_longname(name, then):
    data = name.encode() + b"\0"
    return header("././@LongLink", len(data), b"L", 0o644) + pad(data) + then


def archive(*entries, end=True):
    """A repository archive: global header, top folder + hubconf.py, the
    entries, two zero blocks, padded to a 10 KiB record like git's."""
    body = global_header() + dir_entry(TOP) + \
        file_entry(TOP + "/hubconf.py", HUBCONF) + b"".join(entries)
    if end:
        body += b"\0" * 1024
        body += b"\0" * (-len(body) % 10240)
    return gzip.compress(body, mtime=0)


# (name, offending entry, description, tarball bytes)
EVIL = [
    ("ok", "-", "control: a well-formed archive, must extract",
     archive(dir_entry(TOP + "/sub"), file_entry(TOP + "/sub/a.txt", b"a\n"),
             file_entry(TOP + "/run.sh", b"#!/bin/sh\n", 0o775))),
    ("dotdot", TOP + "/../../evil.txt",
     "a path climbing out of the tree with ..",
     archive(file_entry(TOP + "/../../evil.txt", b"pwned\n"))),
    ("dotdot-middle", TOP + "/sub/../../../evil.txt",
     ".. in the middle of a path, escaping",
     archive(file_entry(TOP + "/sub/../../../evil.txt", b"pwned\n"))),
    ("absolute", "/tmp/hub-evil-absolute.txt", "an absolute path",
     archive(file_entry("/tmp/hub-evil-absolute.txt", b"pwned\n"))),
    ("symlink-escape", TOP + "/up/evil.txt",
     "a symlink to ../.. then a file written through it",
     archive(link_entry(TOP + "/up", "../.."),
             file_entry(TOP + "/up/evil.txt", b"pwned\n"))),
    ("symlink-absolute", TOP + "/etc",
     "a symlink to an absolute path (/etc) then a file through it",
     archive(link_entry(TOP + "/etc", "/etc"),
             file_entry(TOP + "/etc/hub-evil.conf", b"pwned\n"))),
    ("symlink-dangling-escape", TOP + "/out",
     "a lone symlink pointing out of the tree (../../../outside)",
     archive(link_entry(TOP + "/out", "../../../outside"))),
    ("symlink-overwrite", TOP + "/hubconf.py",
     "hubconf.py replaced by a symlink out of the tree, then written again "
     "(writes through the link)",
     archive(link_entry(TOP + "/hubconf.py", "../../victim.txt"),
             file_entry(TOP + "/hubconf.py", b"pwned\n"))),
    ("hardlink-escape", TOP + "/passwd",
     "a hard link to a file outside the tree",
     archive(link_entry(TOP + "/passwd", "../../../etc/passwd", b"1"))),
    ("chardev", TOP + "/null", "a character device (1,3)",
     archive(header(TOP + "/null", 0, b"3", 0o666, devmajor=1, devminor=3))),
    ("blockdev", TOP + "/sda", "a block device (8,0)",
     archive(header(TOP + "/sda", 0, b"4", 0o660, devmajor=8, devminor=0))),
    ("fifo", TOP + "/pipe", "a FIFO",
     archive(header(TOP + "/pipe", 0, b"6", 0o644))),
    ("setuid", TOP + "/suid", "a setuid+setgid executable (mode 6755)",
     archive(file_entry(TOP + "/suid", b"#!/bin/sh\n", 0o6755))),
    ("two-top-folders", "other-top/hubconf.py",
     "two top-level folders instead of one",
     archive(dir_entry("other-top"),
             file_entry("other-top/hubconf.py", HUBCONF))),
    ("file-at-top", "README", "a regular file beside the top folder",
     archive(file_entry("README", b"hi\n"))),
    ("absurd-size", TOP + "/huge.bin",
     "a header claiming 1 TiB (pax size record), stream ends soon after",
     archive(pax_entry([("size", str(1 << 40))],
                       header(TOP + "/huge.bin", 0, b"0", 0o644)) +
             b"\0" * 4096, end=False)),
    ("absurd-size-base256", TOP + "/huge2.bin",
     "a header claiming 2^62 bytes in GNU base-256 size encoding",
     archive(header(TOP + "/huge2.bin", 0, b"0", 0o644,
                    size_field=b"\x80" + (1 << 62).to_bytes(11, "big")) +
             b"\0" * 4096, end=False)),
    ("pax-path-escape", "../pax-evil.txt",
     "an innocent ustar name overridden by a pax path record with ..",
     archive(pax_entry([("path", "../pax-evil.txt")],
                       file_entry(TOP + "/innocent.txt", b"pwned\n")))),
    ("pax-linkpath-escape", TOP + "/paxlink",
     "a symlink whose pax linkpath record points out of the tree",
     archive(pax_entry([("linkpath", "../../../etc")],
                       link_entry(TOP + "/paxlink", "harmless")))),
    ("gnu-longname-escape", "../" * 30 + "gnu-evil.txt",
     "a GNU long name (type L) that climbs out with ..",
     archive(gnu_longname("../" * 30 + "gnu-evil.txt",
                          file_entry(TOP + "/short.txt", b"pwned\n")))),
    ("truncated", TOP + "/cut.bin",
     "the stream ends in the middle of a file's data",
     archive(header(TOP + "/cut.bin", 100000, b"0", 0o644) + b"x" * 1000,
             end=False)),
    ("bad-checksum", TOP + "/bad.txt", "a header with a wrong checksum",
     archive(file_entry(TOP + "/bad.txt", b"x\n")[:148] + b"0000000\0" +
             file_entry(TOP + "/bad.txt", b"x\n")[156:])),
    ("no-global-header", "-",
     "well formed, but without the pax global header (no commit id)",
     gzip.compress(dir_entry(TOP) + file_entry(TOP + "/hubconf.py", HUBCONF)
                   + b"\0" * 1024, mtime=0)),
]


def main(argv):
    if len(argv) != 1:
        sys.exit("usage: make-evil-tarballs.py OUTDIR")
    out = argv[0]
    os.makedirs(out, exist_ok=True)
    lines = []
    for name, entry, description, data in EVIL:
        with open(os.path.join(out, name + ".tar.gz"), "wb") as f:
            f.write(data)
        lines.append("%s\t%s\t%s\n" % (name, entry, description))
    with open(os.path.join(out, "index.tsv"), "w") as f:
        f.writelines(lines)
    sys.stdout.writelines(lines)


if __name__ == "__main__":
    main(sys.argv[1:])
