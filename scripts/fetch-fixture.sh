#!/bin/bash
# fetch-fixture.sh
#
# Puts <repo>/build/src/pytorch-vision_<version>.orig.tar.gz in place and
# prints its path (the only thing printed on stdout), so tests and the
# benchmark can use it as a real repository:
#
#     tarball=$(scripts/fetch-fixture.sh)
#
# Debian's source package pytorch-vision is the upstream release tree of
# pytorch/vision (v0.14.1 in bookworm, hubconf.py included). Only its
# .orig.tar.gz is wanted, and "apt-get source" cannot be used: the package's
# .debian.tar.xz is missing on the mirror. So apt only tells the URL and the
# SHA-256 (from the signed archive index), and the file is fetched with curl
# (or Python) and checked against that hash.
#
# apt runs as an ordinary user with the same private sources file and state
# as scripts/build-deps.sh (build/src/apt). When the tarball is already there,
# nothing is done. HUB_DEPS_REFRESH=1 asks apt again for the newest version.

set -eu

PKG=pytorch-vision

die() { printf 'fetch-fixture: %s\n' "$*" >&2; exit 1; }

[ $# -eq 0 ] || { echo "usage: $0" >&2; exit 2; }

case $0 in
    */*) ROOT=$(cd "${0%/*}/.." && pwd -P) ;;
    *)   ROOT=$(cd .. && pwd -P) ;;
esac
SRC=$ROOT/build/src
# shellcheck source=debian-sources.sh
. "$ROOT/scripts/debian-sources.sh"

# present: print the tarball already in build/src (the newest if several).
# Only a checked file is ever renamed to that name, so present means whole.
present() {
    local f best=
    for f in "$SRC/${PKG}"_*.orig.tar.gz; do
        [ -e "$f" ] && best=$f
    done
    [ -n "$best" ] && echo "$best"
}

if [ "${HUB_DEPS_REFRESH:-0}" != 1 ] && present; then
    exit 0
fi

# Tools: all missing ones on one line.
need apt-get apt
need gpgv gpgv
need sha256sum coreutils
need flock util-linux
command -v curl >/dev/null 2>&1 || command -v python3 >/dev/null 2>&1 ||
    need curl curl
need_done

mkdir -p "$APTDIR"
LOG=$APTDIR/fetch-fixture.log
: >"$LOG"

# build-deps.sh may be running apt on the same state: one at a time.
exec 9>"$SRC/.lock"
flock 9
if [ "${HUB_DEPS_REFRESH:-0}" != 1 ] && present; then
    exit 0                              # fetched by another run meanwhile
fi

apt_private_setup

# The index lists are shared with build-deps.sh: only fetched when absent.
have_lists=
for f in "$APTDIR"/lists/*_Sources*; do
    [ -e "$f" ] && have_lists=1 && break
done
if [ -z "$have_lists" ] || [ "${HUB_DEPS_REFRESH:-0}" = 1 ]; then
    echo "fetch-fixture: updating the Debian source index" >&2
    apt-get "${APT_OPTS[@]}" --error-on=any update >>"$LOG" 2>&1 ||
        die "apt-get update failed; see $LOG"
fi

# A line of --print-uris: 'URL' NAME SIZE SHA256:HASH
uris=$(apt-get "${APT_OPTS[@]}" source --print-uris "$PKG" 2>>"$LOG") ||
    die "apt-get source --print-uris $PKG failed; see $LOG"
line=$(printf '%s\n' "$uris" | grep "^'[^']*\.orig\.tar\.gz' " | head -n 1 || true)
[ -n "$line" ] || die "no .orig.tar.gz in apt's answer for $PKG; see $LOG"
set -- $line
url=${1//\'/} name=$2 size=$3 sha=${4#SHA256:}
case $4 in
    SHA256:*) ;;
    *) die "apt gave no SHA-256 for $name" ;;
esac
dest=$SRC/$name

if [ -f "$dest" ]; then                 # HUB_DEPS_REFRESH and no newer one
    echo "$dest"
    exit 0
fi

echo "fetch-fixture: downloading $url" >&2
part=$dest.part
rm -f "$part"
if command -v curl >/dev/null 2>&1; then
    curl -fsS --retry 3 -o "$part" "$url" 2>>"$LOG" ||
        { rm -f "$part"; die "download of $url failed; see $LOG"; }
else
    python3 -c 'import sys, urllib.request; urllib.request.urlretrieve(sys.argv[1], sys.argv[2])' \
        "$url" "$part" 2>>"$LOG" ||
        { rm -f "$part"; die "download of $url failed; see $LOG"; }
fi

got_size=$(stat -c %s "$part")
got_sha=$(sha256sum "$part")
got_sha=${got_sha%% *}
if [ "$got_size" != "$size" ] || [ "$got_sha" != "$sha" ]; then
    rm -f "$part"
    die "$name does not match Debian's index (size $got_size, want $size; sha256 $got_sha, want $sha)"
fi
mv "$part" "$dest"
echo "$dest"
