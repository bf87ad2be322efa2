"""tarwriter.py: tar blocks written byte by byte, for the test server's
git-archive-like tarballs and for make-evil-tarballs.py's hostile ones (so
nothing is "fixed up" on the way, as the tarfile module would)."""


def octal(value, width):
    return ("%0*o" % (width - 1, value)).encode() + b"\0"


def header(name, size=0, typeflag=b"0", mode=0o644, linkname="",
           devmajor=0, devminor=0, size_field=None, mtime=1700000000):
    """One ustar header block; SIZE_FIELD (12 bytes) overrides the size."""
    block = bytearray(512)
    name_bytes = name.encode()
    prefix = b""
    if len(name_bytes) > 100:  # ustar prefix split at a "/"
        cut = name_bytes.rfind(b"/", 0, 156)
        prefix, name_bytes = name_bytes[:cut], name_bytes[cut + 1:]
    fields = [
        (0, name_bytes[:100]), (100, octal(mode, 8)), (108, octal(0, 8)),
        (116, octal(0, 8)),
        (124, size_field if size_field is not None else octal(size, 12)),
        (136, octal(mtime, 12)), (148, b" " * 8), (156, typeflag),
        (157, linkname.encode()[:100]), (257, b"ustar\x0000"),
        (265, b"root"), (297, b"root"), (329, octal(devmajor, 8)),
        (337, octal(devminor, 8)), (345, prefix[:155]),
    ]
    for offset, value in fields:
        block[offset:offset + len(value)] = value
    block[148:156] = ("%06o" % sum(block)).encode() + b"\0 "
    return bytes(block)


def pad(data):
    return data + b"\0" * (-len(data) % 512)


def pax_records(records):
    """The body of a pax header: "LEN key=value\\n" records."""
    out = b""
    for key, value in records:
        payload = (" %s=%s\n" % (key, value)).encode()
        length = len(payload) + 1
        while len(str(length)) + len(payload) != length:
            length += 1
        out += str(length).encode() + payload
    return out


def pax_global_header(sha, mtime=1700000000):
    """git archive's first entry: a pax global header `pax_global_header`
    whose one record is `comment=<commit id>` (git get-tar-commit-id)."""
    body = pax_records([("comment", sha)])
    return header("pax_global_header", len(body), b"g", 0o666,
                  mtime=mtime) + pad(body)
