#!/usr/bin/python3
"""Fake GitHub, weight host and HTTPS proxy for hub's test suite.

Python 3 standard library only; runs on Debian's /usr/bin/python3 (3.11).
Tests never reach the internet: they reach this process, either through the
base-URL variables (HUB_GITHUB_URL=https://127.0.0.1:PORT/gh ...) or through
its proxy (https_proxy=http://127.0.0.1:PROXYPORT, which tunnels every CONNECT
to the HTTPS listener, so "https://github.com/..." lands here).  The shell side
is tests/lib-server.sh; read it first if you only write tests.

Usage
-----
  server.py --root DIR --state DIR --cert PEM --key PEM [--rogue-cert PEM
            --rogue-key PEM] --ready FILE [--parent PID] [--lifetime SECONDS]
      Serve.  Four listeners on 127.0.0.1, ports chosen by the OS:
        https  TLS with --cert, every virtual host below
        http   the same routing, plain HTTP
        proxy  HTTP proxy: CONNECT tunnels and absolute-URI GETs
        rogue  like https, but with a certificate the test CA did not sign
      Once all listen, FILE is written (atomically) as one line of JSON:
        {"https_port": N, "http_port": N, "proxy_port": N, "rogue_port": N,
         "pid": N}
      --parent PID: exit when that process is gone (so a killed test script
      never leaves a server behind); --lifetime: exit after that many seconds
      (default 6 hours, 0 = never).

  server.py fixture-repo --root DIR OWNER NAME REF TREEDIR [SHA]
  server.py fixture-ref --root DIR OWNER NAME REF SHA|-
  server.py fixture-set --root DIR OWNER NAME KEY=VALUE...
  server.py fixture-archive --root DIR OWNER NAME REF FILE
  server.py big-file NAME            the bytes of /big/NAME on stdout
  server.py log-select STATEDIR [KEY=REGEX]...
  server.py counts STATEDIR          request counts by kind (api= counted
                                     against the rate limit, api_free=,
                                     api_304=, web=, codeload=, weights=,
                                     connect=), one line
      Helpers behind the shell functions of lib-server.sh (see there).

Fixture root (--root)
---------------------
  ROOT/repos/OWNER/NAME/refs.json
      {
        "default_branch": "main",
        "branches": {"main": "<40 hex>", "dev": "<40 hex>"},
        "tags":     {"v1.0": "<40 hex>"},
        "commits":  {"<40 hex>": "<tree dir name>", ...},
        "private":  false,        optional: the repo is invisible (404)
                                  without an Authorization header
        "token":    "secret",     optional: the one token that opens a
                                  private repo (default: any token)
        "time":     1700000000    optional: commit time, used as the mtime
                                  of archive entries
      }
      Every branch and tag sha must be a key of "commits"; "commits" may
      hold more (commits that are no ref's head).  Tags are lightweight.
  ROOT/repos/OWNER/NAME/trees/<tree dir name>/...
      The files of a commit.  Modes (executable bit) and symlinks are kept
      in the archives; ".git" folders are skipped.  fixture-repo names tree
      folders after the commit sha.
  ROOT/repos/OWNER/NAME/archives/<ref>.tar.gz and <ref>.zip
      Optional prebuilt archives, served verbatim instead of a generated one
      (hostile tarballs, see make-evil-tarballs.py).  Looked up by the ref
      exactly as the URL names it, then by the resolved commit sha.  A ref
      with an archive exists even if refs.json does not know it.
  ROOT/weights/HOST/PATH
      Static files of a weight host (download.pytorch.org, weights.example,
      or any other name sent as Host).  On the loopback host, /weights/PATH
      is ROOT/weights/local/PATH.
  Every file is re-read on each request: tests may add fixtures while the
  server runs.  A repository's owner and name match case-insensitively, as
  on GitHub.

Virtual hosts and routes
------------------------
  The Host header picks the site.  On 127.0.0.1 and localhost, a path prefix
  does instead: /gh = github.com, /api = api.github.com, /codeload =
  codeload.github.com, /weights = weight files (logical host "local").
  Redirects keep the prefix and the Host:port the client used.

  A ref is, in this order: a branch, a tag (a name that is both is ambiguous:
  300 on archive routes), refs/heads/X, refs/tags/X, HEAD (default branch),
  or a unique prefix (>= 4 hex) of a known commit.

  github.com
    GET /O/N                            200 html, or 404
    GET /O/N/tree/REF[/PATH]            200 if REF resolves, else 404
    GET /O/N/zipball/REF, /tarball/REF  302 codeload /O/N/legacy.zip|legacy.tar.gz/REF
    GET /O/N/archive/REF.tar.gz|.zip    302 codeload /O/N/tar.gz|zip/REF
    GET /O/N[.git]/info/refs?service=git-upload-pack
                                        smart-HTTP ref advertisement (what
                                        `git ls-remote` reads); no packs
  codeload.github.com
    GET /O/N/legacy.tar.gz|legacy.zip|tar.gz|zip/REF
        Generated `git archive`-style archive: a pax global header whose
        comment is the commit sha, then one top folder: O-N-SHA7/ (legacy)
        or N-REF/ (REF without refs/heads|tags/, leading v before a digit
        dropped, / made -).  Zip: same folder, sha as zip comment.
        Chunked, no Content-Length (as GitHub streams); weak ETag; no Range.
  api.github.com (needs a User-Agent, else 403; counts the rate limit)
    GET /repos/O/N                      repository JSON (default_branch...)
    GET /repos/O/N/branches, /tags      paged (?per_page=, max 100, default
                                        30; &page=), Link rel=next/last/
                                        prev/first; branches sorted by name,
                                        tags in reverse name order
    GET /repos/O/N/branches/B           one branch
    GET /repos/O/N/commits/REF          JSON, or the bare sha with
                                        Accept: application/vnd.github.sha
                                        (ETag "<sha>"; If-None-Match -> 304);
                                        unknown REF -> 422 "No commit found
                                        for SHA: REF"; a branch+tag name
                                        resolves to the tag (as git does)
    GET /repos/O/N/tarball[/REF], /zipball[/REF]
                                        302 codeload legacy archive
    GET /repos/O/N/git/ref/heads/B, /git/ref/tags/T (also git/refs/...)
                                        200 {"ref","object":{"sha","type"}} or 404
    GET /repos/O/N/git/matching-refs/heads/PREFIX (or tags/)  list, maybe []
    GET /rate_limit                     not counted
    Every answer carries x-ratelimit-limit/-remaining/-used/-reset/
    -resource.  Limits: 60 an hour per identity without Authorization, 5000
    with (STATE/config.json changes them).  Over the limit: 403 "API rate
    limit exceeded for 127.0.0.1. ...".  A 304 to an authorised request is
    free.  Any API answer with an ETag honours If-None-Match.
  weight hosts (download.pytorch.org, weights.example, any other, "local")
    GET|HEAD /PATH          ROOT/weights/HOST/PATH with Content-Length, ETag
                            (strong, from the content), Last-Modified,
                            Accept-Ranges; Range (one range) -> 206 with
                            Content-Range, unsatisfiable -> 416; If-Range
                            that does not match -> full 200; If-None-Match.
    GET /big/NAME-<N>(kb|mb|gb).bin
                            generated on the fly: N KiB/MiB/GiB of a 1 MiB
                            pseudo-random block (seeded by NAME) repeated;
                            same headers and Range support.
    GET /redirect/PATH      302 to the same PATH on another host:
                            weights.example -> download.pytorch.org,
                            127.0.0.1 <-> localhost (loopback keeps /weights).
  Private repositories (refs.json "private") are 404 everywhere without a
  matching Authorization ("Bearer T" or "token T"); the API's archive
  redirect then carries ?token=... that codeload accepts instead.

State directory (--state)
-------------------------
  STATE/requests.log  one JSON line per request, written (and flushed) when
      the answer is decided, before its body is sent, so it is complete when
      the client has the answer; keys, in this order:
        time, listener (https|http|proxy|rogue), host (logical: github.com,
        api.github.com, codeload.github.com, local, download.pytorch.org...;
        the target host for CONNECT), method, path (logical: prefix
        stripped, query kept; "host:port" for CONNECT), status (0: none
        sent), bytes (body bytes the server meant to send: the fault limit
        if any; 0 for HEAD), url (as received), headers (lower-cased names),
        and when they apply: proxy ("host:port" of the CONNECT tunnel the
        request came through), fault (list of applied actions), rate
        (API only: "counted" against the rate limit, or "free").
      Written with json.dumps defaults: `"key": value`, one space.
  STATE/faults.json   optional list of fault rules, re-read on every request:
        {"match": REGEX, "action": ACTION, "times": N, "method": M,
         "headers": {...}, ...}
      REGEX is searched in HOST+PATH with the logical host and path, e.g.
      "codeload.github.com/o/n/legacy.tar.gz/main",
      "api.github.com/repos/o/n/branches?per_page=100&page=2", and for
      CONNECT "github.com:443".  "times" (default: unlimited) counts uses;
      counts restart whenever the file is rewritten.  "method" limits the
      rule to one method.  "headers" are added to the answer.  Actions:
        status:CODE      answer CODE with a JSON body ("body" overrides it)
        ratelimit        403 "API rate limit exceeded ..." with
                         x-ratelimit-remaining 0 and reset in "reset_in"
                         seconds (default 3600)
        ratelimit429     429, same body, retry-after "retry_after" (default 1)
        secondary_ratelimit  403 "You have exceeded a secondary rate
                         limit", retry-after "retry_after" (default 60)
        reset            RST at once, no answer
        close            close at once (FIN), no answer
        hang             read the request, never answer, until the client
                         closes or "seconds" (default 60) pass
        delay:SECONDS    wait before the answer's headers
        slow:BYTES_PER_SEC   throttle the body
        truncate:N       send Content-Length of the whole, N body bytes, close
        reset_after:N    send the headers and N body bytes, then RST
        corrupt_gzip     flip 16 bytes in the middle of the body
        chunked          send the body chunked, without Content-Length
        no_length        no Content-Length, end the body by closing
      One answer-replacing action (status/ratelimit*/reset/close/hang) and
      any number of different modifiers apply to a request; each rule
      applied uses one of its "times".  truncate and reset_after force a
      Content-Length.  A rule that matches nothing is harmless; an invalid
      file or regex is reported in STATE/server.log (stderr) and ignored.
  STATE/config.json   optional, re-read on every request:
        {"rate_limit": {"anonymous": 60, "authenticated": 5000},
         "valid_tokens": ["t1", ...]}
      valid_tokens: when a list, an API request with another token answers
      401 "Bad credentials".  Rewriting the file resets the rate counters.

The proxy tunnels CONNECT to the rogue listener when the port asked for is
the rogue port, to the http listener for port 80 or the http port, and to the
https listener otherwise, whatever the host.  Requests arriving through a
tunnel carry "proxy" in the log.
"""

import argparse
import email.utils
import fcntl
import gzip
import hashlib
import io
import json
import os
import random
import re
import select
import shutil
import socket
import ssl
import stat
import struct
import sys
import tarfile
import termios
import threading
import time
import traceback
import urllib.parse
import zipfile
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from tarwriter import pax_global_header

CHUNK = 128 * 1024
DEFAULT_COMMIT_TIME = 1700000000
DOCS = "https://docs.github.com/rest"

WEB_HOST = "github.com"
API_HOST = "api.github.com"
CODELOAD_HOST = "codeload.github.com"
LOOPBACK_NAMES = ("127.0.0.1", "localhost")
# path prefix on the loopback host -> the virtual host it stands for
LOOPBACK_PREFIXES = {
    "gh": WEB_HOST,
    "api": API_HOST,
    "codeload": CODELOAD_HOST,
    "weights": "local",
}
PREFIX_OF_HOST = {host: "/" + prefix for prefix, host in LOOPBACK_PREFIXES.items()}

SHA_RE = re.compile(r"^[0-9a-f]{40}$")
USER_AGENT_MESSAGE = (
    "Request forbidden by administrative rules. Please make sure your request "
    "has a User-Agent header (https://docs.github.com/en/rest/overview/"
    "resources-in-the-rest-api#user-agent-required). Check "
    "https://developer.github.com for other possible causes.")
RATE_LIMIT_DOCS = ("https://docs.github.com/rest/overview/"
                   "resources-in-the-rest-api#rate-limiting")


def log_error(message):
    """Diagnostics of the server itself go to stderr (STATE/server.log)."""
    sys.stderr.write("server.py: %s\n" % message)
    sys.stderr.flush()


def http_date(timestamp):
    return email.utils.formatdate(timestamp, usegmt=True)


def json_bytes(value):
    return (json.dumps(value, indent=2) + "\n").encode()


def write_atomically(path, data):
    """Replace PATH with DATA so that a concurrent reader sees old or new."""
    tmp = "%s.tmp.%d.%d" % (path, os.getpid(), threading.get_ident())
    with open(tmp, "wb") as f:
        f.write(data)
    os.replace(tmp, path)


def file_generation(path):
    """What changes whenever PATH is rewritten, or None if it is missing."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (st.st_mtime_ns, st.st_size, st.st_ino)


# ---------------------------------------------------------------------------
# Fixture repositories

class RefNotFound(Exception):
    pass


class RefAmbiguous(Exception):
    pass


class Repo:
    """One fixture repository: ROOT/repos/OWNER/NAME (see the module doc)."""

    def __init__(self, directory, owner, name):
        self.dir = directory
        self.owner = owner
        self.name = name
        self.refs_path = os.path.join(directory, "refs.json")
        with open(self.refs_path) as f:
            data = json.load(f)
        self.default_branch = data.get("default_branch", "main")
        self.branches = dict(data.get("branches", {}))
        self.tags = dict(data.get("tags", {}))
        self.commits = dict(data.get("commits", {}))
        self.private = bool(data.get("private", False))
        self.token = data.get("token")
        self.time = int(data.get("time", DEFAULT_COMMIT_TIME))
        self.generation = file_generation(self.refs_path)

    @classmethod
    def find(cls, root, owner, name):
        """The repository OWNER/NAME (case-insensitive), or None."""
        base = os.path.join(root, "repos")
        owner_dir = _find_entry(base, owner)
        if owner_dir is None:
            return None
        name_dir = _find_entry(os.path.join(base, owner_dir), name)
        if name_dir is None:
            return None
        directory = os.path.join(base, owner_dir, name_dir)
        if not os.path.isfile(os.path.join(directory, "refs.json")):
            return None
        return cls(directory, owner_dir, name_dir)

    @property
    def full_name(self):
        return "%s/%s" % (self.owner, self.name)

    def resolve(self, ref):
        """The commit sha REF names; RefAmbiguous if both branch and tag."""
        if ref in self.branches and ref in self.tags:
            raise RefAmbiguous(ref)
        if ref in self.branches:
            return self.branches[ref]
        if ref in self.tags:
            return self.tags[ref]
        if ref.startswith("refs/heads/") and ref[11:] in self.branches:
            return self.branches[ref[11:]]
        if ref.startswith("refs/tags/") and ref[10:] in self.tags:
            return self.tags[ref[10:]]
        if ref == "HEAD" and self.default_branch in self.branches:
            return self.branches[self.default_branch]
        if re.fullmatch(r"[0-9a-f]{4,40}", ref):
            found = [sha for sha in self.commits if sha.startswith(ref)]
            if len(found) == 1:
                return found[0]
        raise RefNotFound(ref)

    def resolve_commitish(self, ref):
        """Like resolve, but a name that is both branch and tag is the tag
        (git rev-parse's order), as the commits API does."""
        try:
            return self.resolve(ref)
        except RefAmbiguous:
            return self.tags[ref]

    def tree_dir(self, sha):
        tree = self.commits.get(sha)
        if tree is None:
            raise RefNotFound(sha)
        return os.path.join(self.dir, "trees", tree)

    def prebuilt_archive(self, ref, sha, extension):
        """A file under archives/ to serve verbatim, or None."""
        for key in (ref, sha):
            if key is None or ".." in key.split("/"):
                continue
            path = os.path.join(self.dir, "archives", key + extension)
            if os.path.isfile(path):
                return path
        return None

    def has_prebuilt(self, ref):
        return any(self.prebuilt_archive(ref, None, ext)
                   for ext in (".tar.gz", ".zip"))

    def authorized(self, token):
        if not self.private:
            return True
        if not token:
            return False
        return self.token is None or token == self.token

    def codeload_token(self):
        """The short-lived token the API puts in a private archive redirect."""
        seed = "codeload:%s:%s" % (self.full_name, self.token or "")
        return hashlib.sha1(seed.encode()).hexdigest()[:20]


def _find_entry(directory, name):
    """NAME in DIRECTORY, exact or else case-insensitive; None if absent."""
    if not name or name in (".", "..") or "/" in name:
        return None
    if os.path.isdir(os.path.join(directory, name)):
        return name
    try:
        for entry in os.listdir(directory):
            if entry.lower() == name.lower():
                return entry
    except OSError:
        pass
    return None


# ---------------------------------------------------------------------------
# Archives, made the way `git archive` makes them

def walk_tree(root):
    """Yield (relative path, lstat) in git archive order: depth first, a
    folder (path ending in /) before its contents, names in git tree order."""
    def order(entry):
        suffix = "/" if entry.is_dir(follow_symlinks=False) else ""
        return os.fsencode(entry.name + suffix)

    def walk(directory, prefix):
        with os.scandir(directory) as it:
            entries = sorted(it, key=order)
        for entry in entries:
            if entry.name == ".git":
                continue
            st = entry.stat(follow_symlinks=False)
            if stat.S_ISDIR(st.st_mode):
                yield prefix + entry.name + "/", st
                yield from walk(entry.path, prefix + entry.name + "/")
            else:
                yield prefix + entry.name, st
    yield from walk(root, "")


def tree_fingerprint(root):
    """Changes when any file of the tree changes (for the archive cache)."""
    digest = hashlib.sha1()
    for path, st in walk_tree(root):
        digest.update(("%s %d %d %o\n" % (path, st.st_size, st.st_mtime_ns,
                                          st.st_mode)).encode())
    return digest.hexdigest()


def tree_digest(root):
    """A digest of a tree's content (paths, modes, bytes, link targets):
    what fixture-repo derives default commit ids from."""
    digest = hashlib.sha1()
    for path, st in walk_tree(root):
        full = os.path.join(root, path)
        if stat.S_ISLNK(st.st_mode):
            body = os.readlink(full).encode()
            kind = "l"
        elif stat.S_ISREG(st.st_mode):
            with open(full, "rb") as f:
                body = f.read()
            kind = "x" if st.st_mode & 0o111 else "f"
        else:
            body, kind = b"", "d"
        digest.update(("%s %s %d\n" % (kind, path, len(body))).encode())
        digest.update(body)
    return digest.hexdigest()


def build_tar_gz(tree, top, sha, mtime):
    raw = io.BytesIO()
    raw.write(pax_global_header(sha, mtime))
    with tarfile.TarFile(fileobj=raw, mode="w",
                         format=tarfile.PAX_FORMAT) as tar:
        def entry(name, typ, mode, size=0, linkname=""):
            info = tarfile.TarInfo(name)
            info.type, info.mode, info.size = typ, mode, size
            info.linkname = linkname
            info.mtime, info.uid, info.gid = mtime, 0, 0
            info.uname = info.gname = "root"
            return info
        tar.addfile(entry(top + "/", tarfile.DIRTYPE, 0o775))
        for path, st in walk_tree(tree):
            full = os.path.join(tree, path)
            name = top + "/" + path
            if stat.S_ISDIR(st.st_mode):
                tar.addfile(entry(name, tarfile.DIRTYPE, 0o775))
            elif stat.S_ISLNK(st.st_mode):
                tar.addfile(entry(name, tarfile.SYMTYPE, 0o777,
                                  linkname=os.readlink(full)))
            elif stat.S_ISREG(st.st_mode):
                mode = 0o775 if st.st_mode & 0o111 else 0o664
                with open(full, "rb") as f:
                    tar.addfile(entry(name, tarfile.REGTYPE, mode,
                                      size=st.st_size), f)
    return gzip.compress(raw.getvalue(), compresslevel=6, mtime=0)


def build_zip(tree, top, sha, mtime):
    out = io.BytesIO()
    date_time = time.gmtime(max(mtime, 315532800))[:6]  # zip starts at 1980
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        def add(name, mode, data=b""):
            info = zipfile.ZipInfo(name, date_time)
            info.create_system = 3  # unix: the high 16 bits hold st_mode
            info.external_attr = mode << 16
            if stat.S_ISDIR(mode):
                info.external_attr |= 0x10
                info.compress_type = zipfile.ZIP_STORED
            else:
                info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, data)
        add(top + "/", stat.S_IFDIR | 0o775)  # torch.hub takes entry 0
        for path, st in walk_tree(tree):
            full = os.path.join(tree, path)
            name = top + "/" + path
            if stat.S_ISDIR(st.st_mode):
                add(name, stat.S_IFDIR | 0o775)
            elif stat.S_ISLNK(st.st_mode):
                add(name, stat.S_IFLNK | 0o777, os.readlink(full).encode())
            elif stat.S_ISREG(st.st_mode):
                mode = 0o775 if st.st_mode & 0o111 else 0o664
                with open(full, "rb") as f:
                    add(name, stat.S_IFREG | mode, f.read())
        archive.comment = sha.encode()
    return out.getvalue()


def archive_ref_label(ref):
    """The REF part of a non-legacy archive's top folder NAME-REF."""
    for prefix in ("refs/heads/", "refs/tags/"):
        if ref.startswith(prefix):
            ref = ref[len(prefix):]
            break
    if re.match(r"v[0-9]", ref):
        ref = ref[1:]
    return ref.replace("/", "-")


class ArchiveCache:
    """The last few generated archives, so benchmarks measure the client."""

    def __init__(self, size=8):
        self.size = size
        self.items = {}
        self.lock = threading.Lock()

    def get(self, key, build):
        with self.lock:
            if key in self.items:
                value = self.items.pop(key)
                self.items[key] = value
                return value
        value = build()
        with self.lock:
            self.items[key] = value
            while len(self.items) > self.size:
                del self.items[next(iter(self.items))]
        return value


# ---------------------------------------------------------------------------
# Response bodies ("entities"): anything whose bytes [start, end) can be
# produced on demand, so Range, throttling and faults work on all of them.

class Entity:
    content_type = "application/octet-stream"
    etag = None           # the header value, quotes included
    last_modified = None  # Unix time

    def __init__(self, size):
        self.size = size

    def chunks(self, start, end):
        raise NotImplementedError


class BytesEntity(Entity):
    def __init__(self, data, content_type="application/octet-stream",
                 etag=None):
        super().__init__(len(data))
        self.data = data
        self.content_type = content_type
        self.etag = etag

    def chunks(self, start, end):
        view = memoryview(self.data)
        for offset in range(start, end, CHUNK):
            yield view[offset:min(end, offset + CHUNK)]


class FileEntity(Entity):
    _etags = {}
    _etags_lock = threading.Lock()

    def __init__(self, path, st, content_type="application/octet-stream"):
        super().__init__(st.st_size)
        self.path = path
        self.content_type = content_type
        self.last_modified = int(st.st_mtime)
        self.etag = self._content_etag(path, st)

    @classmethod
    def _content_etag(cls, path, st):
        key = (path, st.st_mtime_ns, st.st_size, st.st_ino)
        with cls._etags_lock:
            if key in cls._etags:
                return cls._etags[key]
        digest = hashlib.sha1()
        with open(path, "rb") as f:
            for block in iter(lambda: f.read(1 << 20), b""):
                digest.update(block)
        etag = '"%s"' % digest.hexdigest()
        with cls._etags_lock:
            cls._etags[key] = etag
        return etag

    def chunks(self, start, end):
        with open(self.path, "rb") as f:
            f.seek(start)
            left = end - start
            while left > 0:
                block = f.read(min(CHUNK, left))
                if not block:
                    break
                left -= len(block)
                yield block


class PatternEntity(Entity):
    """/big/NAME-<N>mb.bin: a 1 MiB pseudo-random block seeded by NAME,
    repeated; deterministic, so tests can compute its hash (big-file)."""
    BLOCK = 1 << 20
    _blocks = {}
    _lock = threading.Lock()
    UNITS = {"kb": 1 << 10, "mb": 1 << 20, "gb": 1 << 30}
    NAME_RE = re.compile(r"^.+-([0-9]+)(kb|mb|gb)\.bin$")

    def __init__(self, name):
        match = self.NAME_RE.match(name)
        super().__init__(int(match.group(1)) * self.UNITS[match.group(2)])
        self.name = name
        self.etag = '"big-%s"' % hashlib.sha1(name.encode()).hexdigest()[:16]
        self.last_modified = DEFAULT_COMMIT_TIME
        with self._lock:
            if name not in self._blocks:
                self._blocks[name] = random.Random(name).randbytes(self.BLOCK)
            self.block = memoryview(self._blocks[name])

    def chunks(self, start, end):
        offset = start
        while offset < end:
            within = offset % self.BLOCK
            length = min(CHUNK, end - offset, self.BLOCK - within)
            yield self.block[within:within + length]
            offset += length


class Response:
    """What a route answers.  framing: "length" (Content-Length), "chunked"
    or "close" (body ends when the connection closes)."""

    def __init__(self, status, entity=None, headers=None, ranges=False,
                 framing="length"):
        self.status = status
        self.entity = entity
        self.headers = list(headers or [])
        self.ranges = ranges
        self.framing = framing


def json_response(status, value, headers=None, etag=None):
    entity = BytesEntity(json_bytes(value), "application/json; charset=utf-8",
                         etag)
    return Response(status, entity, headers)


def json_error(status, message, documentation_url=DOCS, headers=None):
    return json_response(status, {"message": message,
                                  "documentation_url": documentation_url,
                                  "status": str(status)}, headers)


def text_response(status, text, content_type="text/plain; charset=utf-8",
                  headers=None):
    return Response(status, BytesEntity(text.encode(), content_type), headers)


def redirect(location, status=302):
    return Response(status, BytesEntity(b""), [("Location", location)])


def etag_matches(header, etag, weak=True):
    """Whether an If-None-Match (weak comparison) / If-Range (strong) value
    names ETAG."""
    if not header or not etag:
        return False
    if header.strip() == "*":
        return weak
    if not weak and etag.startswith("W/"):
        return False
    wanted = etag[2:] if etag.startswith("W/") else etag
    for candidate in header.split(","):
        candidate = candidate.strip()
        if candidate.startswith("W/"):
            if not weak:
                continue
            candidate = candidate[2:]
        if candidate == wanted:
            return True
    return False


def parse_range(header, size):
    """(start, end) of a single "bytes=" range, "unsatisfiable", or None to
    ignore the header (absent, malformed, or several ranges)."""
    if not header:
        return None
    match = re.fullmatch(r"\s*bytes\s*=\s*([0-9]*)\s*-\s*([0-9]*)\s*", header)
    if not match or (not match.group(1) and not match.group(2)):
        return None
    first, last = match.group(1), match.group(2)
    if first:
        start = int(first)
        end = min(int(last) + 1, size) if last else size
        if last and int(last) < start:
            return None
        if start >= size:
            return "unsatisfiable"
        return start, end
    suffix = int(last)
    if suffix == 0 or size == 0:
        return "unsatisfiable"
    return max(0, size - suffix), size


# ---------------------------------------------------------------------------
# Faults

RESPONSE_ACTIONS = ("status", "ratelimit", "ratelimit429",
                    "secondary_ratelimit", "reset", "close", "hang")
MODIFIER_ACTIONS = ("delay", "slow", "truncate", "reset_after",
                    "corrupt_gzip", "chunked", "no_length")


class FaultPlan:
    """The faults that apply to one request."""

    def __init__(self):
        self.rules = []       # (action name, argument, rule)
        self.response = None  # the answer-replacing one, if any
        self.modifiers = {}

    def add(self, kind, argument, rule):
        self.rules.append((kind, argument, rule))
        if kind in RESPONSE_ACTIONS:
            self.response = (kind, argument, rule)
        else:
            self.modifiers[kind] = argument

    def accepts(self, kind):
        if kind in RESPONSE_ACTIONS:
            return self.response is None
        return kind not in self.modifiers

    def describe(self):
        return [rule["action"] for _, _, rule in self.rules]

    def extra_headers(self):
        headers = []
        for _, _, rule in self.rules:
            headers.extend((str(k), str(v)) for k, v in
                           rule.get("headers", {}).items())
        return headers


class FaultTable:
    """STATE/faults.json, re-read when it changes; use counts in memory."""

    def __init__(self, path):
        self.path = path
        self.lock = threading.Lock()
        self.generation = None
        self.rules = []
        self.used = []

    def _reload(self):
        generation = file_generation(self.path)
        if generation == self.generation:
            return
        self.generation = generation
        self.rules, self.used = [], []
        if generation is None:
            return
        try:
            with open(self.path) as f:
                rules = json.load(f)
            if isinstance(rules, dict):
                rules = [rules]
            for rule in rules:
                rule["_re"] = re.compile(rule["match"])
                kind, _, argument = rule["action"].partition(":")
                if kind not in RESPONSE_ACTIONS + MODIFIER_ACTIONS:
                    raise ValueError("unknown action %r" % rule["action"])
                rule["_kind"], rule["_arg"] = kind, argument
                self.rules.append(rule)
                self.used.append(0)
        except (OSError, ValueError, KeyError, TypeError, re.error) as e:
            log_error("ignoring %s: %s" % (self.path, e))
            self.rules, self.used = [], []

    def plan(self, target, method):
        """The faults for a request to TARGET (host+path); uses them up."""
        plan = FaultPlan()
        with self.lock:
            self._reload()
            for index, rule in enumerate(self.rules):
                times = rule.get("times")
                if times is not None and self.used[index] >= times:
                    continue
                if rule.get("method") and rule["method"] != method:
                    continue
                if not rule["_re"].search(target):
                    continue
                if not plan.accepts(rule["_kind"]):
                    continue
                self.used[index] += 1
                plan.add(rule["_kind"], rule["_arg"], rule)
        return plan


# ---------------------------------------------------------------------------
# Shared state of the whole server

class RequestLog:
    def __init__(self, path):
        self.lock = threading.Lock()
        self.file = open(path, "a")  # O_APPEND: the shell may truncate it

    def write(self, entry):
        line = json.dumps(entry) + "\n"
        with self.lock:
            self.file.write(line)
            self.file.flush()


class RateLimiter:
    """GitHub's primary rate limit: a counter per identity (anonymous or
    token) over an hour-long window."""
    WINDOW = 3600

    def __init__(self):
        self.lock = threading.Lock()
        self.used = {}
        self.reset_at = int(time.time()) + self.WINDOW
        self.config_generation = None

    def state(self, identity, limit, config_generation, count=False):
        """(limit, used, remaining, reset) for IDENTITY, after counting one
        more request when COUNT."""
        with self.lock:
            now = time.time()
            if config_generation != self.config_generation or \
                    now >= self.reset_at:
                self.config_generation = config_generation
                self.used = {}
                self.reset_at = int(now) + self.WINDOW
            if count:
                self.used[identity] = self.used.get(identity, 0) + 1
            used = self.used.get(identity, 0)
            return limit, used, max(0, limit - used), self.reset_at


class App:
    """Everything the handlers share."""

    def __init__(self, root, state_dir):
        self.root = os.path.abspath(root)
        self.state = os.path.abspath(state_dir)
        self.log = RequestLog(os.path.join(self.state, "requests.log"))
        self.faults = FaultTable(os.path.join(self.state, "faults.json"))
        self.rate = RateLimiter()
        self.archives = ArchiveCache()
        self.config_path = os.path.join(self.state, "config.json")
        self.ports = {}
        # local port of a proxy tunnel's connection to a listener -> the
        # "host:port" the client asked to CONNECT to
        self.tunnels = {}
        self.tunnels_lock = threading.Lock()

    def config(self):
        """(STATE/config.json as a dict, its generation)."""
        generation = file_generation(self.config_path)
        if generation is None:
            return {}, None
        try:
            with open(self.config_path) as f:
                return json.load(f), generation
        except (OSError, ValueError) as e:
            log_error("ignoring %s: %s" % (self.config_path, e))
            return {}, generation


# ---------------------------------------------------------------------------
# Requests and routes

class Request:
    """A request as the routes see it: logical host and path."""

    def __init__(self, app, handler, method, scheme, url_host, host, prefix,
                 path):
        self.app = app
        self.handler = handler
        self.method = method
        self.scheme = scheme
        self.url_host = url_host  # Host as the client sent it (with port)
        self.host = host          # logical virtual host
        self.prefix = prefix      # "/gh" etc. on loopback, else ""
        self.path = path          # logical path, query included
        split = urllib.parse.urlsplit(path)
        self.route_path = split.path
        self.query = urllib.parse.parse_qs(split.query)
        self.headers = handler.headers
        self.token = parse_authorization(self.headers.get("Authorization"))
        self.rate_counted = None  # API only: whether the rate limit counted it

    @property
    def loopback(self):
        return self.prefix != "" or host_name(self.url_host) in LOOPBACK_NAMES

    def arg(self, name, default=None):
        values = self.query.get(name)
        return values[0] if values else default

    def url(self, host, path):
        """An absolute URL for PATH on virtual host HOST, as this client
        reaches it: same scheme, same loopback address or same port."""
        if self.loopback:
            return "%s://%s%s%s" % (self.scheme, self.url_host,
                                    PREFIX_OF_HOST.get(host, ""), path)
        port = host_port(self.url_host)
        return "%s://%s%s%s" % (self.scheme, host,
                                ":" + port if port else "", path)

    def repo(self, owner, name):
        """The repository, or None when it is absent or not visible."""
        repo = Repo.find(self.app.root, owner, name)
        if repo is None:
            return None
        if not repo.authorized(self.token) and \
                self.arg("token") != repo.codeload_token():
            return None
        return repo


def host_name(host_header):
    if host_header.startswith("["):
        return host_header[1:].partition("]")[0].lower()
    return host_header.rpartition(":")[0].lower() if ":" in host_header \
        else host_header.lower()


def host_port(host_header):
    if host_header.startswith("["):
        rest = host_header.partition("]")[2]
        return rest[1:] if rest.startswith(":") else ""
    return host_header.rpartition(":")[2] if ":" in host_header else ""


def parse_authorization(value):
    """The token of "Bearer T" / "token T" (or any other scheme's
    credentials); None when absent or empty."""
    if not value:
        return None
    scheme, _, credentials = value.strip().partition(" ")
    credentials = credentials.strip()
    return credentials or None


ROUTES = []  # (site, compiled regex, function)


def route(site, pattern):
    """Register FUNCTION(req, **groups) for GET/HEAD of PATTERN on SITE
    ("web", "api", "codeload" or "weights").  Groups are URL-decoded."""
    def register(function):
        ROUTES.append((site, re.compile(pattern), function))
        return function
    return register


def site_of(host):
    return {WEB_HOST: "web", API_HOST: "api",
            CODELOAD_HOST: "codeload"}.get(host, "weights")


def find_route(site, path):
    for route_site, pattern, function in ROUTES:
        if route_site != site:
            continue
        match = pattern.match(path)
        if match:
            groups = {k: urllib.parse.unquote(v) if v is not None else None
                      for k, v in match.groupdict().items()}
            return function, groups
    return None, None


def resolve_or_error(req, repo, ref, json_errors=False):
    """(sha, None) or (None, error response) for an archive route."""
    try:
        return repo.resolve(ref), None
    except RefAmbiguous:
        body = ('<html><body><p>The ref %s is both a branch and a tag.</p>'
                '<ul><li>refs/heads/%s</li><li>refs/tags/%s</li></ul>'
                '</body></html>\n' % (ref, ref, ref))
        return None, text_response(300, body, "text/html; charset=utf-8")
    except RefNotFound:
        if repo.has_prebuilt(ref):
            return None, None
        if json_errors:
            return None, json_error(404, "Not Found")
        return None, text_response(404, "Not Found\n")


def not_found(req):
    if req.host == API_HOST:
        return json_error(404, "Not Found")
    return text_response(404, "Not Found\n")


OWNER_NAME = r"^/(?P<owner>[^/]+)/(?P<name>[^/]+?)"


# --- github.com ------------------------------------------------------------

@route("web", OWNER_NAME + r"/?$")
def web_repo_page(req, owner, name):
    repo = req.repo(owner, name)
    if repo is None:
        return not_found(req)
    return text_response(200, "<html><body>%s</body></html>\n"
                         % repo.full_name, "text/html; charset=utf-8")


@route("web", OWNER_NAME + r"/tree/(?P<rest>.+)$")
def web_tree(req, owner, name, rest):
    repo = req.repo(owner, name)
    if repo is None:
        return not_found(req)
    # the ref may hold "/" too: try the longest prefix first, as GitHub does
    parts = rest.rstrip("/").split("/")
    for count in range(len(parts), 0, -1):
        ref = "/".join(parts[:count])
        try:
            repo.resolve(ref)
        except RefAmbiguous:
            pass
        except RefNotFound:
            continue
        return text_response(200, "<html><body>%s at %s</body></html>\n"
                             % (repo.full_name, ref),
                             "text/html; charset=utf-8")
    return not_found(req)


@route("web", OWNER_NAME + r"/(?P<kind>zipball|tarball)/(?P<ref>.+)$")
def web_legacy_archive(req, owner, name, kind, ref):
    repo = req.repo(owner, name)
    if repo is None:
        return not_found(req)
    _, error = resolve_or_error(req, repo, ref)
    if error:
        return error
    target = "legacy.zip" if kind == "zipball" else "legacy.tar.gz"
    return redirect(req.url(CODELOAD_HOST, "/%s/%s/%s" % (
        repo.owner, repo.name, target) + "/" + urllib.parse.quote(ref)))


@route("web", OWNER_NAME + r"/archive/(?P<ref>.+?)\.(?P<ext>tar\.gz|zip)$")
def web_archive(req, owner, name, ref, ext):
    repo = req.repo(owner, name)
    if repo is None:
        return not_found(req)
    _, error = resolve_or_error(req, repo, ref)
    if error:
        return error
    return redirect(req.url(CODELOAD_HOST, "/%s/%s/%s" % (
        repo.owner, repo.name, ext) + "/" + urllib.parse.quote(ref)))


def pkt_line(text):
    data = text.encode()
    return b"%04x" % (len(data) + 4) + data


@route("web", OWNER_NAME + r"/info/refs$")
def web_info_refs(req, owner, name):
    if name.endswith(".git"):
        name = name[:-4]
    repo = req.repo(owner, name)
    if repo is None or req.arg("service") != "git-upload-pack":
        return not_found(req)
    refs = ["refs/heads/" + b for b in sorted(repo.branches)]
    refs += ["refs/tags/" + t for t in sorted(repo.tags)]
    shas = {("refs/heads/" + b): s for b, s in repo.branches.items()}
    shas.update({("refs/tags/" + t): s for t, s in repo.tags.items()})
    capabilities = ("multi_ack thin-pack side-band side-band-64k ofs-delta "
                    "shallow no-progress include-tag object-format=sha1 "
                    "agent=git/hub-test-server")
    body = pkt_line("# service=git-upload-pack\n") + b"0000"
    head = repo.branches.get(repo.default_branch)
    lines = []
    if head:
        capabilities = "symref=HEAD:refs/heads/%s %s" % (repo.default_branch,
                                                         capabilities)
        lines.append((head, "HEAD"))
    lines += [(shas[r], r) for r in refs]
    if not lines:  # an empty repository still advertises capabilities
        lines = [("0" * 40, "capabilities^{}")]
    for index, (sha, ref) in enumerate(lines):
        text = "%s %s" % (sha, ref)
        if index == 0:
            text += "\0" + capabilities
        body += pkt_line(text + "\n")
    body += b"0000"
    return Response(200, BytesEntity(
        body, "application/x-git-upload-pack-advertisement"),
        [("Cache-Control", "no-cache")])


# --- codeload.github.com ---------------------------------------------------

ARCHIVE_KINDS = {
    # kind: (legacy top folder?, zip?)
    "legacy.tar.gz": (True, False),
    "legacy.zip": (True, True),
    "tar.gz": (False, False),
    "zip": (False, True),
}


@route("codeload", OWNER_NAME +
       r"/(?P<kind>legacy\.tar\.gz|legacy\.zip|tar\.gz|zip)/(?P<ref>.+)$")
def codeload_archive(req, owner, name, kind, ref):
    repo = req.repo(owner, name)
    if repo is None:
        return not_found(req)
    sha, error = resolve_or_error(req, repo, ref)
    if error:
        return error
    legacy, is_zip = ARCHIVE_KINDS[kind]
    extension = ".zip" if is_zip else ".tar.gz"
    content_type = "application/zip" if is_zip else "application/x-gzip"
    if legacy:
        top = "%s-%s-%s" % (repo.owner, repo.name, (sha or ref)[:7])
    else:
        top = "%s-%s" % (repo.name, archive_ref_label(ref))
    prebuilt = repo.prebuilt_archive(ref, sha, extension)
    if prebuilt:
        with open(prebuilt, "rb") as f:
            data = f.read()
    elif sha is None:  # only an archive of the other format exists
        return not_found(req)
    else:
        tree = repo.tree_dir(sha)
        key = (tree, tree_fingerprint(tree), sha, top, kind, repo.time)
        build = build_zip if is_zip else build_tar_gz
        data = req.app.archives.get(
            key, lambda: build(tree, top, sha, repo.time))
    etag = 'W/"%s"' % hashlib.sha1(data).hexdigest()
    entity = BytesEntity(data, content_type, etag)
    headers = [("Content-Disposition",
                "attachment; filename=%s%s" % (top, extension)),
               ("Access-Control-Allow-Origin", "https://render.githubusercontent.com")]
    return Response(200, entity, headers, framing="chunked")


# --- api.github.com --------------------------------------------------------

def api_repo_url(req, repo, path=""):
    return req.url(API_HOST, "/repos/%s%s" % (repo.full_name, path))


def api_repo_or_404(req, owner, name):
    repo = req.repo(owner, name)
    return repo, (None if repo else json_error(404, "Not Found"))


@route("api", r"^/?$")
def api_root(req):
    return json_response(200, {
        "current_user_url": req.url(API_HOST, "/user"),
        "repository_url": req.url(API_HOST, "/repos/{owner}/{repo}"),
        "rate_limit_url": req.url(API_HOST, "/rate_limit"),
    })


@route("api", r"^/rate_limit$")
def api_rate_limit(req):
    limit, used, remaining, reset = req.rate
    core = {"limit": limit, "used": used, "remaining": remaining,
            "reset": reset, "resource": "core"}
    return json_response(200, {"resources": {"core": core}, "rate": core})


@route("api", r"^/repos" + OWNER_NAME[1:] + r"$")
def api_repo(req, owner, name):
    repo, error = api_repo_or_404(req, owner, name)
    if error:
        return error
    repo_id = int(hashlib.sha1(repo.full_name.lower().encode())
                  .hexdigest()[:7], 16)
    return json_response(200, {
        "id": repo_id,
        "node_id": "R_%d" % repo_id,
        "name": repo.name,
        "full_name": repo.full_name,
        "private": repo.private,
        "visibility": "private" if repo.private else "public",
        "owner": {"login": repo.owner, "type": "Organization"},
        "html_url": req.url(WEB_HOST, "/" + repo.full_name),
        "url": api_repo_url(req, repo),
        "fork": False,
        "archived": False,
        "default_branch": repo.default_branch,
        "branches_url": api_repo_url(req, repo, "/branches{/branch}"),
        "tags_url": api_repo_url(req, repo, "/tags"),
    })


def commit_json(req, repo, sha):
    return {"sha": sha, "url": api_repo_url(req, repo, "/commits/" + sha)}


def page_links(req, page, last):
    """The Link header of page PAGE of LAST (GitHub's format)."""
    def link(number, rel):
        query = {k: v[0] for k, v in req.query.items()}
        query["page"] = str(number)
        return '<%s?%s>; rel="%s"' % (
            req.url(API_HOST, req.route_path),
            urllib.parse.urlencode(query), rel)
    links = []
    if page > 1:
        links.append(link(page - 1, "prev"))
    if page < last:
        links.append(link(page + 1, "next"))
        links.append(link(last, "last"))
    if page > 1:
        links.append(link(1, "first"))
    return ", ".join(links)


def int_arg(req, name, default, low, high):
    try:
        return min(high, max(low, int(req.arg(name, default))))
    except ValueError:
        return default


@route("api", r"^/repos" + OWNER_NAME[1:] + r"/(?P<what>branches|tags)$")
def api_list_refs(req, owner, name, what):
    repo, error = api_repo_or_404(req, owner, name)
    if error:
        return error
    if what == "branches":
        items = [{"name": b, "commit": commit_json(req, repo, s),
                  "protected": False}
                 for b, s in sorted(repo.branches.items())]
    else:
        items = [{"name": t, "commit": commit_json(req, repo, s),
                  "zipball_url": api_repo_url(req, repo, "/zipball/" + t),
                  "tarball_url": api_repo_url(req, repo, "/tarball/" + t),
                  "node_id": "REF_%s" % t}
                 for t, s in sorted(repo.tags.items(), reverse=True)]
    per_page = int_arg(req, "per_page", 30, 1, 100)
    page = int_arg(req, "page", 1, 1, 1 << 30)
    last = max(1, (len(items) + per_page - 1) // per_page)
    headers = []
    if last > 1 or page > 1:
        headers.append(("Link", page_links(req, page, last)))
    chunk = items[(page - 1) * per_page:page * per_page]
    return json_response(200, chunk, headers)


@route("api", r"^/repos" + OWNER_NAME[1:] + r"/branches/(?P<branch>.+)$")
def api_branch(req, owner, name, branch):
    repo, error = api_repo_or_404(req, owner, name)
    if error:
        return error
    if branch not in repo.branches:
        return json_error(404, "Branch not found")
    return json_response(200, {
        "name": branch, "protected": False,
        "commit": commit_json(req, repo, repo.branches[branch])})


@route("api", r"^/repos" + OWNER_NAME[1:] + r"/commits/(?P<ref>.+)$")
def api_commit(req, owner, name, ref):
    repo, error = api_repo_or_404(req, owner, name)
    if error:
        return error
    try:
        sha = repo.resolve_commitish(ref)
    except RefNotFound:
        return json_error(422, "No commit found for SHA: %s" % ref,
                          "https://docs.github.com/rest/commits/commits"
                          "#get-a-commit")
    accept = req.headers.get("Accept", "")
    if re.search(r"application/vnd\.github(\.v3)?\.sha", accept):
        entity = BytesEntity(sha.encode(),
                             "application/vnd.github.sha; charset=utf-8",
                             '"%s"' % sha)
        return Response(200, entity)
    value = commit_json(req, repo, sha)
    value.update({
        "node_id": "C_%s" % sha,
        "html_url": req.url(WEB_HOST, "/%s/commit/%s" % (repo.full_name, sha)),
        "commit": {"message": "fixture commit %s" % sha[:7],
                   "tree": {"sha": hashlib.sha1(sha.encode()).hexdigest()},
                   "author": {"name": "hub tests", "email": "hub@example",
                              "date": time.strftime(
                                  "%Y-%m-%dT%H:%M:%SZ", time.gmtime(repo.time))}},
        "parents": [],
    })
    body = json_bytes(value)
    return Response(200, BytesEntity(
        body, "application/json; charset=utf-8",
        'W/"%s"' % hashlib.sha1(body).hexdigest()))


@route("api", r"^/repos" + OWNER_NAME[1:] +
       r"/(?P<kind>tarball|zipball)(?:/(?P<ref>.+))?$")
def api_archive(req, owner, name, kind, ref):
    repo, error = api_repo_or_404(req, owner, name)
    if error:
        return error
    ref = ref or repo.default_branch
    _, error = resolve_or_error(req, repo, ref, json_errors=True)
    if error:
        return error
    target = "legacy.zip" if kind == "zipball" else "legacy.tar.gz"
    location = req.url(CODELOAD_HOST, "/%s/%s/%s/%s" % (
        repo.owner, repo.name, target, urllib.parse.quote(ref)))
    if repo.private:
        location += "?token=" + repo.codeload_token()
    return redirect(location)


def git_ref_json(req, repo, full_ref, sha):
    return {"ref": full_ref, "node_id": "REF_%s" % full_ref,
            "url": api_repo_url(req, repo, "/git/" + full_ref),
            "object": {"sha": sha, "type": "commit",
                       "url": api_repo_url(req, repo, "/git/commits/" + sha)}}


def all_git_refs(repo):
    refs = [("refs/heads/" + b, s) for b, s in sorted(repo.branches.items())]
    refs += [("refs/tags/" + t, s) for t, s in sorted(repo.tags.items())]
    return refs


@route("api", r"^/repos" + OWNER_NAME[1:] +
       r"/git/refs?/(?P<ref>(?:heads|tags)/.+)$")
def api_git_ref(req, owner, name, ref):
    repo, error = api_repo_or_404(req, owner, name)
    if error:
        return error
    for full_ref, sha in all_git_refs(repo):
        if full_ref == "refs/" + ref:
            return json_response(200, git_ref_json(req, repo, full_ref, sha))
    return json_error(404, "Not Found",
                      "https://docs.github.com/rest/git/refs#get-a-reference")


@route("api", r"^/repos" + OWNER_NAME[1:] +
       r"/git/matching-refs/(?P<ref>(?:heads|tags)(?:/.*)?)$")
def api_git_matching_refs(req, owner, name, ref):
    repo, error = api_repo_or_404(req, owner, name)
    if error:
        return error
    return json_response(200, [git_ref_json(req, repo, full_ref, sha)
                               for full_ref, sha in all_git_refs(repo)
                               if full_ref.startswith("refs/" + ref)])


# --- weight hosts ----------------------------------------------------------

@route("weights", r"^/redirect(?P<rest>/.+)$")
def weights_redirect(req, rest):
    if req.host == "local":
        name = host_name(req.url_host)
        other = "localhost" if name == "127.0.0.1" else "127.0.0.1"
        port = host_port(req.url_host)
        return redirect("%s://%s%s/weights%s" % (
            req.scheme, other, ":" + port if port else "", rest))
    if req.host == "weights.example":
        return redirect(req.url("download.pytorch.org", rest))
    return weights_file(req, "/redirect" + rest)


@route("weights", r"^/big/(?P<name>[^/]+)$")
def weights_big(req, name):
    if not PatternEntity.NAME_RE.match(name):
        return weights_file(req, "/big/" + name)
    return Response(200, PatternEntity(name), ranges=True)


@route("weights", r"^(?P<path>/.*)$")
def weights_file(req, path):
    parts = [p for p in path.split("/") if p]
    if not parts or any(p in (".", "..") for p in parts) or \
            "/" in req.host or req.host in (".", ".."):
        return not_found(req)
    full = os.path.join(req.app.root, "weights", req.host, *parts)
    try:
        st = os.stat(full)
    except OSError:
        return text_response(404, "File not found\n")
    if not stat.S_ISREG(st.st_mode):
        return text_response(404, "File not found\n")
    return Response(200, FileEntity(full, st), ranges=True)


# ---------------------------------------------------------------------------
# The HTTP layer

class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "hub-test-server/1"
    sys_version = ""
    timeout = 120  # an idle keep-alive connection is dropped after this

    # --- entry points ------------------------------------------------------

    def do_GET(self):
        self.serve()

    do_HEAD = do_POST = do_PUT = do_DELETE = do_PATCH = do_OPTIONS = do_GET

    def do_CONNECT(self):
        if self.server.listener != "proxy":
            self.serve()
            return
        self.tunnel()

    def log_message(self, format, *args):
        pass  # requests.log is the record; errors go through log_error

    # --- one request ---------------------------------------------------------

    @property
    def app(self):
        return self.server.app

    def build_request(self):
        """Map the request line and Host to a Request, or None."""
        raw = self.path
        if raw.startswith(("http://", "https://")):  # absolute form (proxy)
            split = urllib.parse.urlsplit(raw)
            url_host = split.netloc
            scheme = split.scheme
            path = (split.path or "/") + ("?" + split.query
                                          if split.query else "")
        else:
            url_host = self.headers.get("Host", "")
            scheme = self.server.scheme
            path = raw
        name = host_name(url_host)
        prefix = ""
        host = name
        if name in LOOPBACK_NAMES:
            match = re.match(r"^/(gh|api|codeload|weights)(?=/|\?|$)(.*)$",
                             path)
            if match:
                prefix = "/" + match.group(1)
                host = LOOPBACK_PREFIXES[match.group(1)]
                path = match.group(2) or "/"
                if path.startswith("?"):
                    path = "/" + path
        self.raw_url = "%s://%s%s" % (scheme, url_host, raw) \
            if not raw.startswith(("http://", "https://")) else raw
        return Request(self.app, self, self.command, scheme, url_host, host,
                       prefix, path)

    def serve(self):
        self.discard_request_body()
        req = self.build_request()
        plan = self.app.faults.plan(req.host + req.path, self.command)
        try:
            response = self.fault_response(req, plan)
            if response is None:
                response = self.route(req)
        except Exception:
            log_error("error serving %s %s:\n%s" % (
                self.command, self.path, traceback.format_exc()))
            response = json_error(500, "test server error (see server.log)")
        if response == "done":
            return
        response.headers.extend(plan.extra_headers())
        self.send(req, response, plan)

    def discard_request_body(self):
        length = int(self.headers.get("Content-Length") or 0)
        if length > 0:
            self.rfile.read(length)

    def route(self, req):
        if req.host == "" or (req.loopback and not req.prefix):
            return text_response(404, "Not Found: on the loopback host, "
                                 "use /gh, /api, /codeload or /weights\n")
        site = site_of(req.host)
        if site == "api":
            return self.serve_api(req)
        if self.command not in ("GET", "HEAD"):
            return text_response(405, "Method Not Allowed\n")
        function, groups = find_route(site, req.route_path)
        if function is None:
            return not_found(req)
        return function(req, **groups)

    def serve_api(self, req):
        """GitHub API rules around the API routes: User-Agent, credentials,
        rate limit, conditional requests."""
        if not self.headers.get("User-Agent"):
            return json_response(403, {"message": USER_AGENT_MESSAGE})
        config, generation = self.app.config()
        valid = config.get("valid_tokens")
        if req.token and isinstance(valid, list) and req.token not in valid:
            return json_error(401, "Bad credentials")
        limits = config.get("rate_limit", {})
        if req.token:
            identity, limit = "token:" + req.token, \
                int(limits.get("authenticated", 5000))
        else:
            identity, limit = "anonymous", int(limits.get("anonymous", 60))
        counted = req.route_path.rstrip("/") != "/rate_limit"
        state = self.app.rate.state(identity, limit, generation)
        if counted and state[2] <= 0:
            return rate_limited(403, req, state[0], state[3])
        req.rate = state
        if self.command not in ("GET", "HEAD"):
            response = json_error(404, "Not Found")
        else:
            function, groups = find_route("api", req.route_path)
            response = function(req, **groups) if function \
                else json_error(404, "Not Found")
        entity = response.entity
        if response.status == 200 and entity is not None and \
                etag_matches(self.headers.get("If-None-Match"), entity.etag):
            response = Response(304, None, response.headers +
                                [("ETag", entity.etag)])
        req.rate_counted = counted and not (response.status == 304 and req.token)
        if req.rate_counted:
            state = self.app.rate.state(identity, limit, generation, True)
        limit, used, remaining, reset = state
        response.headers += [
            ("x-ratelimit-limit", str(limit)),
            ("x-ratelimit-remaining", str(remaining)),
            ("x-ratelimit-reset", str(reset)),
            ("x-ratelimit-used", str(used)),
            ("x-ratelimit-resource", "core"),
        ]
        return response

    # --- faults ------------------------------------------------------------

    def fault_response(self, req, plan):
        """The answer an answer-replacing fault gives, "done" if it gave
        none at all, or None."""
        if plan.response is None:
            return None
        kind, argument, rule = plan.response
        if kind == "hang":
            self.log_request_entry(req, 0, 0, plan)
            self.hang(float(rule.get("seconds", 60)))
            return "done"
        if kind in ("reset", "close"):
            self.log_request_entry(req, 0, 0, plan)
            self.drop_connection(rst=(kind == "reset"))
            return "done"
        if kind == "status":
            status = int(argument or 500)
            if "body" in rule:
                body = rule["body"]
                if isinstance(body, str):
                    return text_response(status, body)
                return json_response(status, body)
            return json_error(status, "injected fault: status %d" % status)
        limit = 5000 if req.token else 60
        if kind == "secondary_ratelimit":
            return json_error(
                403, "You have exceeded a secondary rate limit. Please wait "
                "a few minutes before you try again. If you reach out to "
                "GitHub Support for help, please include the request ID.",
                "https://docs.github.com/rest/overview/rate-limits-for-the-"
                "rest-api#about-secondary-rate-limits",
                [("retry-after", str(rule.get("retry_after", 60)))])
        if kind == "ratelimit429":
            retry = int(rule.get("retry_after", 1))
            response = rate_limited(429, req, limit, int(time.time()) +
                                    int(rule.get("reset_in", retry)))
            response.headers.append(("retry-after", str(retry)))
            return response
        return rate_limited(403, req, limit, int(time.time()) +
                            int(rule.get("reset_in", 3600)))

    def hang(self, seconds):
        """Say nothing until the client closes or SECONDS pass."""
        deadline = time.time() + seconds
        sock = self.connection
        while time.time() < deadline:
            readable, _, _ = select.select([sock], [], [], 0.2)
            if readable:
                try:
                    if not sock.recv(4096):
                        break
                except (OSError, ssl.SSLError):
                    break
        self.drop_connection(rst=False)

    def drain_socket(self, timeout=2.0):
        """Wait until the kernel has sent (and the peer acknowledged) what
        we wrote, so a following RST does not discard it."""
        deadline = time.time() + timeout
        while time.time() < deadline:
            try:
                queued = struct.unpack("i", fcntl.ioctl(
                    self.connection.fileno(), termios.TIOCOUTQ,
                    b"\0\0\0\0"))[0]
            except OSError:
                return
            if queued == 0:
                return
            time.sleep(0.005)

    def drop_connection(self, rst):
        """Close the connection now: with RST (SO_LINGER 0) or FIN; TLS
        connections end without close_notify either way."""
        self.close_connection = True
        try:
            self.wfile.flush()
        except OSError:
            pass
        try:
            if rst:
                self.drain_socket()
                self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                                           struct.pack("ii", 1, 0))
        except OSError:
            pass
        # The socket really closes only once the file objects made from it
        # are closed too; BaseHTTPRequestHandler still flushes wfile after
        # we return, so it gets a harmless sink in place of the socket's.
        for f in (self.rfile, self.wfile):
            try:
                f.close()
            except OSError:
                pass
        self.wfile = io.BytesIO()
        try:
            self.connection.close()
        except OSError:
            pass

    # --- sending -----------------------------------------------------------

    def log_request_entry(self, req, status, nbytes, plan):
        entry = {
            "time": round(time.time(), 3),
            "listener": self.server.listener,
            "host": req.host,
            "method": self.command,
            "path": req.path,
            "status": status,
            "bytes": nbytes,
            "url": self.raw_url,
            "headers": {k.lower(): v for k, v in self.headers.items()},
        }
        tunnel = self.app.tunnels.get(self.client_address[1])
        if tunnel and self.server.listener != "proxy":
            entry["proxy"] = tunnel
        if plan.rules:
            entry["fault"] = plan.describe()
        if getattr(req, "rate_counted", None) is not None:
            entry["rate"] = "counted" if req.rate_counted else "free"
        self.app.log.write(entry)

    def send(self, req, response, plan):
        status = response.status
        entity = response.entity
        headers = list(response.headers)
        start, end = 0, entity.size if entity else 0
        if entity is not None and entity.etag and status in (200, 206):
            headers.append(("ETag", entity.etag))
        if entity is not None and entity.last_modified:
            headers.append(("Last-Modified", http_date(entity.last_modified)))
        if status == 200 and entity is not None and \
                self.command in ("GET", "HEAD"):
            if etag_matches(self.headers.get("If-None-Match"), entity.etag):
                status, entity, end = 304, None, 0
            elif response.ranges:
                headers.append(("Accept-Ranges", "bytes"))
                wanted = parse_range(self.headers.get("Range"), entity.size)
                if_range = self.headers.get("If-Range")
                if wanted and if_range and not (
                        etag_matches(if_range, entity.etag, weak=False) or
                        (entity.last_modified and if_range.strip() ==
                         http_date(entity.last_modified))):
                    wanted = None
                if wanted == "unsatisfiable":
                    headers.append(("Content-Range",
                                    "bytes */%d" % entity.size))
                    status = 416
                    entity = BytesEntity(b"", "text/plain")
                    start, end = 0, 0
                elif wanted:
                    start, end = wanted
                    status = 206
                    headers.append(("Content-Range", "bytes %d-%d/%d" % (
                        start, end - 1, entity.size)))

        framing = response.framing
        if "chunked" in plan.modifiers:
            framing = "chunked"
        if "no_length" in plan.modifiers:
            framing = "close"
        cut = None  # (body bytes to send, then "rst" or "fin")
        if "reset_after" in plan.modifiers:
            cut = (int(plan.modifiers["reset_after"] or 0), "rst")
        elif "truncate" in plan.modifiers:
            cut = (int(plan.modifiers["truncate"] or 0), "fin")
        if cut:
            framing = "length"
        body_length = end - start
        head = self.command == "HEAD" or status in (204, 304) or \
            entity is None
        to_send = 0 if head else (min(body_length, cut[0]) if cut
                                  else body_length)
        self.log_request_entry(req, status, to_send, plan)
        if "delay" in plan.modifiers:
            time.sleep(float(plan.modifiers["delay"] or 0))

        try:
            self.send_response(status)
            if entity is not None:
                headers.append(("Content-Type", entity.content_type))
            if framing == "length" and status not in (204, 304):
                headers.append(("Content-Length", str(body_length)))
            elif framing == "chunked" and status not in (204, 304):
                headers.append(("Transfer-Encoding", "chunked"))
            if framing == "close" or cut or \
                    self.headers.get("Connection", "").lower() == "close":
                headers.append(("Connection", "close"))
                self.close_connection = True
            for name, value in headers:
                self.send_header(name, value)
            self.end_headers()
            if head:
                self.wfile.flush()
                if cut:
                    self.drop_connection(rst=(cut[1] == "rst"))
                return
            self.send_body(entity, start, end, framing, cut, plan)
        except (BrokenPipeError, ConnectionResetError, ssl.SSLError,
                socket.timeout, OSError):
            self.close_connection = True

    def send_body(self, entity, start, end, framing, cut, plan):
        chunks = entity.chunks(start, end)
        if "corrupt_gzip" in plan.modifiers:
            chunks = corrupted(chunks, start, entity.size)
        limit = cut[0] if cut else None
        rate = float(plan.modifiers["slow"]) if "slow" in plan.modifiers \
            else None
        sent = 0
        began = time.time()
        for chunk in chunks:
            if limit is not None:
                if sent >= limit:
                    break
                chunk = chunk[:limit - sent]
            pieces = [chunk]
            if rate:  # small pieces, paced against the clock
                step = max(1, min(CHUNK, int(rate / 10)))
                pieces = [chunk[i:i + step] for i in range(0, len(chunk), step)]
            for piece in pieces:
                if framing == "chunked":
                    self.wfile.write(b"%x\r\n" % len(piece) + bytes(piece) +
                                     b"\r\n")
                else:
                    self.wfile.write(piece)
                sent += len(piece)
                if rate:
                    pause = began + sent / rate - time.time()
                    if pause > 0:
                        time.sleep(pause)
        if cut:
            self.drop_connection(rst=(cut[1] == "rst"))
            return
        if framing == "chunked":
            self.wfile.write(b"0\r\n\r\n")
        self.wfile.flush()
        if framing == "close":
            self.drop_connection(rst=False)

    # --- the proxy ---------------------------------------------------------

    def tunnel(self):
        """CONNECT host:port: a byte pipe to one of our listeners."""
        target = self.path
        host, _, port = target.rpartition(":")
        if not host or not port.isdigit():
            host, port = target, "443"
        host = host.strip("[]").lower()
        req = Request(self.app, self, "CONNECT", "http", target, host, "",
                      "%s:%s" % (host, port))
        req.path = "%s:%s" % (host, port)
        self.raw_url = target
        plan = self.app.faults.plan(req.path, "CONNECT")
        response = self.fault_response(req, plan)
        if response == "done":
            return
        if response is not None:
            response.headers.extend(plan.extra_headers())
            self.send(req, response, plan)
            self.close_connection = True
            return
        ports = self.app.ports
        if int(port) == ports.get("rogue_port"):
            backend = ports["rogue_port"]
        elif int(port) in (80, ports["http_port"]):
            backend = ports["http_port"]
        else:
            backend = ports["https_port"]
        self.log_request_entry(req, 200, 0, plan)
        if "delay" in plan.modifiers:
            time.sleep(float(plan.modifiers["delay"] or 0))
        upstream = socket.create_connection(("127.0.0.1", backend))
        upstream.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        local_port = upstream.getsockname()[1]
        with self.app.tunnels_lock:
            self.app.tunnels[local_port] = "%s:%s" % (host, port)
        try:
            self.wfile.write(b"HTTP/1.1 200 Connection established\r\n\r\n")
            self.wfile.flush()
            self.pump(self.connection, upstream)
        finally:
            with self.app.tunnels_lock:
                self.app.tunnels.pop(local_port, None)
            upstream.close()
            self.close_connection = True

    def pump(self, client, upstream):
        """Copy bytes both ways until one side closes; a reset on one side
        is passed on as a reset to the other."""
        peers = {client: upstream, upstream: client}
        while True:
            readable, _, _ = select.select(list(peers), [], [], 300)
            if not readable:
                return
            for sock in readable:
                other = peers[sock]
                try:
                    data = sock.recv(256 * 1024)
                except ConnectionResetError:
                    if other is client:
                        self.drop_connection(rst=True)
                    else:
                        other.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                                         struct.pack("ii", 1, 0))
                    return
                except OSError:
                    return
                if not data:
                    try:
                        other.shutdown(socket.SHUT_WR)
                    except OSError:
                        pass
                    if other is client:
                        # the listener is done: let the client see it all
                        self.drain_socket()
                    return
                try:
                    other.sendall(data)
                except OSError:
                    return


def rate_limited(status, req, limit, reset):
    who = "user ID 1" if req.token else "127.0.0.1"
    response = json_error(
        status, "API rate limit exceeded for %s. (But here's the good news: "
        "Authenticated requests get a higher rate limit. Check out the "
        "documentation for more details.)" % who, RATE_LIMIT_DOCS)
    response.headers += [
        ("x-ratelimit-limit", str(limit)),
        ("x-ratelimit-remaining", "0"),
        ("x-ratelimit-reset", str(reset)),
        ("x-ratelimit-used", str(limit)),
        ("x-ratelimit-resource", "core"),
    ]
    return response


def corrupted(chunks, offset, size):
    """CHUNKS (starting at OFFSET of a SIZE-byte body) with 16 bytes in the
    middle of the body inverted: past a gzip header, before its trailer."""
    first = size // 2
    last = min(size, first + 16)
    for chunk in chunks:
        chunk_end = offset + len(chunk)
        if chunk_end > first and offset < last:
            data = bytearray(chunk)
            for i in range(max(first, offset), min(last, chunk_end)):
                data[i - offset] ^= 0xFF
            chunk = data
        offset = chunk_end
        yield chunk


class HubServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128

    def __init__(self, app, listener, scheme, handler, tls=None):
        self.app = app
        self.listener = listener
        self.scheme = scheme
        self.tls = tls
        super().__init__(("127.0.0.1", 0), handler)

    def finish_request(self, request, client_address):
        """TLS handshake in the connection's own thread, so a client that
        stalls or refuses our certificate blocks nobody else."""
        # No Nagle: small writes (headers, TLS handshake records, tunnelled
        # bytes) must not wait for the peer's delayed ACK (40 ms each).
        request.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        if self.tls is not None:
            request.settimeout(30)
            try:
                request = self.tls.wrap_socket(request, server_side=True)
            except (ssl.SSLError, OSError) as e:
                log_error("%s: TLS handshake with %s failed: %s" % (
                    self.listener, client_address, e))
                return
            request.settimeout(None)
        try:
            self.RequestHandlerClass(request, client_address, self)
        finally:
            if self.tls is not None:  # shutdown_request only sees the
                try:                  # raw socket the TLS one replaced
                    request.shutdown(socket.SHUT_WR)
                except OSError:
                    pass
                request.close()

    def handle_error(self, request, client_address):
        log_error("%s: error with %s:\n%s" % (
            self.listener, client_address, traceback.format_exc()))


class ProxyHandler(Handler):
    # unbuffered reads: bytes after a CONNECT's headers belong to the tunnel
    rbufsize = 0


def tls_context(cert, key):
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    # BearSSL (hub's TLS library) speaks TLS 1.2 only; keep its ECDHE
    # AES-GCM / ChaCha20 / CBC suites for both RSA and ECDSA keys.
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    context.set_ciphers("ECDHE+AESGCM:ECDHE+CHACHA20:ECDHE+AES:"
                        "RSA+AESGCM:RSA+AES:!aNULL:!eNULL:!MD5:!DSS")
    context.set_alpn_protocols(["http/1.1"])
    context.load_cert_chain(cert, key)
    return context


def serve(argv):
    parser = argparse.ArgumentParser(prog="server.py",
                                     description="hub's fake GitHub")
    parser.add_argument("--root", required=True)
    parser.add_argument("--state", required=True)
    parser.add_argument("--cert", required=True)
    parser.add_argument("--key", required=True)
    parser.add_argument("--rogue-cert")
    parser.add_argument("--rogue-key")
    parser.add_argument("--ready", required=True)
    parser.add_argument("--parent", type=int)
    parser.add_argument("--lifetime", type=float, default=6 * 3600)
    args = parser.parse_args(argv)

    os.makedirs(args.state, exist_ok=True)
    os.makedirs(os.path.join(args.root, "repos"), exist_ok=True)
    os.makedirs(os.path.join(args.root, "weights"), exist_ok=True)
    app = App(args.root, args.state)
    servers = {
        "https": HubServer(app, "https", "https", Handler,
                           tls_context(args.cert, args.key)),
        "http": HubServer(app, "http", "http", Handler),
        "proxy": HubServer(app, "proxy", "http", ProxyHandler),
    }
    if args.rogue_cert:
        servers["rogue"] = HubServer(
            app, "rogue", "https", Handler,
            tls_context(args.rogue_cert, args.rogue_key or args.rogue_cert))
    for name, server in servers.items():
        app.ports[name + "_port"] = server.server_address[1]
        threading.Thread(target=server.serve_forever, name=name,
                         daemon=True).start()
    ready = dict(app.ports)
    ready.setdefault("rogue_port", None)
    ready["pid"] = os.getpid()
    write_atomically(args.ready, (json.dumps(ready) + "\n").encode())

    started = time.time()
    while True:
        time.sleep(0.5)
        if args.parent:
            try:
                os.kill(args.parent, 0)
            except ProcessLookupError:
                log_error("parent %d is gone, exiting" % args.parent)
                break
            except PermissionError:
                pass
        if args.lifetime and time.time() - started > args.lifetime:
            log_error("lifetime over, exiting")
            break
    os._exit(0)


# ---------------------------------------------------------------------------
# Tools for the shell side (tests/lib-server.sh)

def load_refs(root, owner, name):
    directory = os.path.join(root, "repos", owner, name)
    path = os.path.join(directory, "refs.json")
    if os.path.exists(path):
        with open(path) as f:
            refs = json.load(f)
    else:
        refs = {}
    for key in ("branches", "tags", "commits"):
        refs.setdefault(key, {})
    return directory, path, refs


def save_refs(path, refs):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    write_atomically(path, json_bytes(refs))


def set_ref(refs, ref, sha):
    """Point REF (refs/tags/X = tag, refs/heads/X or X = branch, "-" =
    none) at SHA; the first branch becomes the default one."""
    if ref == "-":
        return
    if ref.startswith("refs/tags/"):
        refs["tags"][ref[10:]] = sha
        return
    if ref.startswith("refs/heads/"):
        ref = ref[11:]
    if not refs["branches"] and "default_branch" not in refs:
        refs["default_branch"] = ref
    refs["branches"][ref] = sha


def tool_fixture_repo(args):
    """Add TREEDIR as a commit of OWNER/NAME and point REF at it; prints
    the sha (default: sha1 of "OWNER/NAME" and the tree's content)."""
    directory, path, refs = load_refs(args.root, args.owner, args.name)
    sha = args.sha
    if sha is None:
        seed = "%s/%s\0%s" % (args.owner, args.name, tree_digest(args.tree))
        sha = hashlib.sha1(seed.encode()).hexdigest()
    if not SHA_RE.match(sha):
        sys.exit("server.py: not a 40-hex sha: %s" % sha)
    tree = os.path.join(directory, "trees", sha)
    if os.path.exists(tree):
        shutil.rmtree(tree)
    shutil.copytree(args.tree, tree, symlinks=True)
    refs["commits"][sha] = sha
    set_ref(refs, args.ref, sha)
    save_refs(path, refs)
    print(sha)


def tool_fixture_ref(args):
    """Point REF at an existing commit SHA, or delete REF when SHA is -."""
    _, path, refs = load_refs(args.root, args.owner, args.name)
    if args.sha == "-":
        if args.ref.startswith("refs/tags/"):
            refs["tags"].pop(args.ref[10:], None)
        else:
            refs["branches"].pop(args.ref[len("refs/heads/"):]
                                 if args.ref.startswith("refs/heads/")
                                 else args.ref, None)
    else:
        if args.sha not in refs["commits"]:
            sys.exit("server.py: %s/%s has no commit %s"
                     % (args.owner, args.name, args.sha))
        set_ref(refs, args.ref, args.sha)
    save_refs(path, refs)


def tool_fixture_set(args):
    """Set top-level keys of refs.json: KEY=VALUE, VALUE as JSON if it
    parses (true, 3, "x") and as a string otherwise."""
    _, path, refs = load_refs(args.root, args.owner, args.name)
    for item in args.settings:
        key, _, value = item.partition("=")
        try:
            refs[key] = json.loads(value)
        except ValueError:
            refs[key] = value
    save_refs(path, refs)


def tool_fixture_archive(args):
    """Serve FILE verbatim as OWNER/NAME's archive (.tar.gz or .zip by
    FILE's name) of REF.  A REF the repo lacks is created as a branch (or
    tag, for refs/tags/X) on a new empty commit, and the file is stored
    under that commit's sha, so every name of the commit gets it; for a REF
    that exists it is stored under the literal REF.  Prints the sha, or
    nothing for an existing REF."""
    directory, path, refs = load_refs(args.root, args.owner, args.name)
    extension = ".zip" if args.file.endswith(".zip") else ".tar.gz"
    name = args.ref
    for prefix in ("refs/heads/", "refs/tags/"):
        if name.startswith(prefix):
            name = name[len(prefix):]
    known = name in refs["branches"] or name in refs["tags"] or \
        (re.fullmatch(r"[0-9a-f]{4,40}", args.ref) and
         any(s.startswith(args.ref) for s in refs["commits"]))
    key = args.ref
    if not known:
        sha = hashlib.sha1(("%s/%s\0archive\0%s" % (
            args.owner, args.name, args.ref)).encode()).hexdigest()
        os.makedirs(os.path.join(directory, "trees", sha), exist_ok=True)
        refs["commits"][sha] = sha
        set_ref(refs, args.ref, sha)
        key = sha
    target = os.path.join(directory, "archives", key + extension)
    os.makedirs(os.path.dirname(target), exist_ok=True)
    shutil.copyfile(args.file, target)
    save_refs(path, refs)
    if not known:
        print(key)


def tool_big_file(args):
    entity = PatternEntity(args.name)
    out = sys.stdout.buffer
    for chunk in entity.chunks(0, entity.size):
        out.write(chunk)
    out.flush()


def tool_log_select(args):
    """Print requests.log lines whose fields match every KEY=REGEX
    (KEY: a top-level key, or headers.NAME; a missing key never matches;
    a list, like "fault", is matched as its items joined with ",")."""
    tests = []
    for item in args.conditions:
        key, _, pattern = item.partition("=")
        tests.append((key.split("."), re.compile(pattern)))
    try:
        f = open(os.path.join(args.state, "requests.log"))
    except FileNotFoundError:
        return
    with f:
        for line in f:
            try:
                entry = json.loads(line)
            except ValueError:
                continue
            for path, pattern in tests:
                value = entry
                for key in path:
                    value = value.get(key) if isinstance(value, dict) \
                        else None
                if isinstance(value, list):  # "fault": ["a", "b"] -> "a,b"
                    value = ",".join(map(str, value))
                if value is None or not pattern.search(str(value)):
                    break
            else:
                sys.stdout.write(line)


def tool_counts(args):
    """One line of request counts by kind, for tests and for measuring:
    api=N (counted against the API rate limit) api_free=N (API answers the
    limit did not count: a 304 to an authorised request, /rate_limit)
    api_304=N web=N (github.com pages and archive redirects) codeload=N
    weights=N connect=N (proxy tunnels)."""
    counts = dict.fromkeys(("api", "api_free", "api_304", "web", "codeload",
                            "weights", "connect"), 0)
    try:
        f = open(os.path.join(args.state, "requests.log"))
    except FileNotFoundError:
        f = io.StringIO("")
    with f:
        for line in f:
            try:
                entry = json.loads(line)
            except ValueError:
                continue
            host = entry.get("host")
            if entry.get("method") == "CONNECT":
                counts["connect"] += 1
            elif host == API_HOST:
                counts["api" if entry.get("rate") == "counted"
                       else "api_free"] += 1
                if entry.get("status") == 304:
                    counts["api_304"] += 1
            elif host == WEB_HOST:
                counts["web"] += 1
            elif host == CODELOAD_HOST:
                counts["codeload"] += 1
            else:
                counts["weights"] += 1
    print(" ".join("%s=%d" % item for item in counts.items()))


def tools_parser():
    parser = argparse.ArgumentParser(prog="server.py")
    sub = parser.add_subparsers(dest="tool", required=True)
    p = sub.add_parser("fixture-repo")
    p.add_argument("--root", required=True)
    for name in ("owner", "name", "ref", "tree"):
        p.add_argument(name)
    p.add_argument("sha", nargs="?")
    p.set_defaults(function=tool_fixture_repo)
    p = sub.add_parser("fixture-ref")
    p.add_argument("--root", required=True)
    for name in ("owner", "name", "ref", "sha"):
        p.add_argument(name)
    p.set_defaults(function=tool_fixture_ref)
    p = sub.add_parser("fixture-set")
    p.add_argument("--root", required=True)
    p.add_argument("owner")
    p.add_argument("name")
    p.add_argument("settings", nargs="+")
    p.set_defaults(function=tool_fixture_set)
    p = sub.add_parser("fixture-archive")
    p.add_argument("--root", required=True)
    for name in ("owner", "name", "ref", "file"):
        p.add_argument(name)
    p.set_defaults(function=tool_fixture_archive)
    p = sub.add_parser("big-file")
    p.add_argument("name")
    p.set_defaults(function=tool_big_file)
    p = sub.add_parser("log-select")
    p.add_argument("state")
    p.add_argument("conditions", nargs="*")
    p.set_defaults(function=tool_log_select)
    p = sub.add_parser("counts")
    p.add_argument("state")
    p.set_defaults(function=tool_counts)
    return parser


def main(argv):
    if argv and not argv[0].startswith("-"):
        args = tools_parser().parse_args(argv)
        args.function(args)
        return
    serve(argv)


if __name__ == "__main__":
    main(sys.argv[1:])
