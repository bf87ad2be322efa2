#!/bin/bash
# fetch-sources.sh DEST PKG...
#
# Finds, for each Debian source package PKG, the newest version whose files
# can actually be had and are whole, and prints one line per package on
# stdout:
#
#     PKG VERSION PATH-OF-ITS-.dsc
#
# From the archive (the default): apt is asked for every version of PKG in
# the configured suites; they are tried newest first, each downloaded into a
# scratch folder, and the first whose files download (apt checks them
# against the signed index) and match the .dsc's own SHA-256 sums is moved
# into DEST. A version already in DEST that is whole is used without asking
# apt, unless HUB_DEPS_REFRESH=1. A version that cannot be had is skipped
# with one line on stderr:
#
#     deps: zlib 1:1.2.13.dfsg-1+deb12u1: not downloadable (404), using 1:1.2.13.dfsg-1
#
# Only when no version of a package can be had does it fail (exit 1),
# naming the package and the log.
#
# HUB_DEPS_SRC=DIR: the .dsc files and their files are taken from DIR (a
# mirror, a machine without an archive, an old build being reproduced) and
# nothing is downloaded; the newest version in DIR whose files match its
# .dsc is printed, with the path in DIR. DEST is not written.
#
# HUB_DEPS_SOURCES=FILE: apt's sources (a one-line .list or a deb822
# .sources file) instead of Debian bookworm's archive; see
# scripts/debian-sources.sh.
#
# apt runs as an ordinary user with private state in DEST/apt; its output
# goes to DEST/apt/fetch.log.

set -eu

say() { printf 'deps: %s\n' "$*" >&2; }
die() { printf 'deps: %s\n' "$*" >&2; exit 1; }

[ $# -ge 2 ] || { echo "usage: $0 DEST PKG..." >&2; exit 2; }
case $0 in
    */*) ROOT=$(cd "${0%/*}/.." && pwd -P) ;;
    *)   ROOT=$(cd .. && pwd -P) ;;
esac
mkdir -p "$1"
SRC=$(cd "$1" && pwd -P)
shift
# shellcheck source=debian-sources.sh
. "$ROOT/scripts/debian-sources.sh"
LOG=$APTDIR/fetch.log

# dsc_field FILE FIELD: the value of a one-line field of a .dsc.
dsc_field() {
    local line
    while IFS= read -r line; do
        case $line in
            "$2":*) line=${line#"$2":}; echo "${line# }"; return ;;
        esac
    done <"$1"
}

# dsc_whole FILE: every file the .dsc names is beside it and has the
# SHA-256 the .dsc gives (what dpkg-source checks again when it unpacks).
# Sets WHY when not.
dsc_whole() {
    local dsc=$1 dir=${1%/*} in= sum size name got
    WHY=
    while IFS= read -r line; do
        case $line in
            Checksums-Sha256:*) in=1; continue ;;
            " "*) [ -n "$in" ] || continue ;;
            *) [ -n "$in" ] && break; continue ;;
        esac
        read -r sum size name <<<"$line"
        if [ ! -f "$dir/$name" ]; then
            WHY="$name is missing"
            return 1
        fi
        got=$(sha256sum "$dir/$name")
        if [ "${got%% *}" != "$sum" ]; then
            WHY="checksum mismatch in $name"
            return 1
        fi
    done <"$dsc"
    [ -n "$in" ] || { WHY="no Checksums-Sha256 in ${dsc##*/}"; return 1; }
}

# newest_first: version lines on stdin, newest first on stdout, each once.
newest_first() {
    local v sorted=() i j
    while IFS= read -r v; do
        [ -n "$v" ] || continue
        for j in "${sorted[@]}"; do [ "$j" = "$v" ] && continue 2; done
        sorted+=("$v")
    done
    for ((i = 1; i < ${#sorted[@]}; i++)); do
        v=${sorted[i]}
        for ((j = i - 1; j >= 0; j--)); do
            dpkg --compare-versions "${sorted[j]}" lt "$v" || break
            sorted[j + 1]=${sorted[j]}
        done
        sorted[j + 1]=$v
    done
    [ ${#sorted[@]} -eq 0 ] || printf '%s\n' "${sorted[@]}"
}

# Skipped versions of the package at hand, announced once the one used is
# known (or the package fails).
SKIPPED=()
skip() { SKIPPED+=("$1: $2"); }
announce() {   # announce [VERSION-USED]
    local s
    for s in "${SKIPPED[@]}"; do
        say "$s${1:+, using $1}"
    done
    SKIPPED=()
}

# from_dir PKG DIR: the newest whole version of PKG in DIR.
from_dir() {
    local pkg=$1 dir=$2 f v versions= found
    for f in "$dir/${pkg}"_*.dsc; do
        [ -e "$f" ] || continue
        [ "$(dsc_field "$f" Source)" = "$pkg" ] || continue
        versions+="$(dsc_field "$f" Version)"$'\n'
    done
    while IFS= read -r v; do
        # Debian's file names leave out the epoch.
        found=$dir/${pkg}_${v#*:}.dsc
        if [ -f "$found" ] && dsc_whole "$found"; then
            announce "$v"
            echo "$pkg $v $found"
            return 0
        fi
        skip "$pkg $v" "not usable ($WHY)"
    done < <(newest_first <<<"$versions")
    return 1
}

# The reason apt gave for the last failure in the log, short.
apt_reason() {
    local r
    r=$(grep -o -E '[0-9]{3}  [A-Za-z][A-Za-z ]*|File not found|Hash Sum mismatch|Size mismatch|Could not resolve|Connection failed|Unable to find a source package' \
        "$1" | tail -n 1)
    case $r in
        [0-9][0-9][0-9]\ *) echo "${r%% *}" ;;
        '') echo "download failed" ;;
        *) echo "$r" | tr 'A-Z' 'a-z' ;;
    esac
}

APT_READY=
apt_ready() {
    [ -z "$APT_READY" ] || return 0
    need apt-get apt
    need apt-cache apt
    need gpgv gpgv
    need dpkg dpkg
    need sha256sum coreutils
    need_done
    apt_private_setup
    : >"$LOG"
    # --error-on=any: a failed index download is an error, not a warning.
    apt-get "${APT_OPTS[@]}" --error-on=any update >>"$LOG" 2>&1 ||
        die "apt-get update failed; see $LOG"
    APT_READY=1
}

# from_archive PKG: download the newest version that can be had into SRC.
from_archive() {
    local pkg=$1 v versions scratch dsc log f
    apt_ready
    versions=$(apt-cache "${APT_OPTS[@]}" showsrc --only-source "$pkg" 2>>"$LOG" |
        sed -n 's/^Version: //p' | newest_first)
    [ -n "$versions" ] || die "$pkg: no version in the configured archives; see $LOG"
    scratch=$SRC/.fetch-$pkg
    while IFS= read -r v; do
        rm -rf "$scratch"
        mkdir -p "$scratch"
        log=$scratch.log
        echo "== $pkg $v" >>"$LOG"
        if (cd "$scratch" && apt-get "${APT_OPTS[@]}" source --download-only "$pkg=$v") \
            >"$log" 2>&1; then
            cat "$log" >>"$LOG"
            dsc=$scratch/${pkg}_${v#*:}.dsc
            if [ -f "$dsc" ] && dsc_whole "$dsc"; then
                # apt links to files of a file: archive rather than
                # copying them: keep copies, so the build does not depend
                # on the archive staying as it is.
                for f in "$scratch"/*; do
                    if [ -L "$f" ]; then
                        cp -L -f "$f" "$SRC/"
                    else
                        mv -f "$f" "$SRC/"
                    fi
                done
                rm -rf "$scratch" "$log"
                announce "$v"
                echo "$pkg $v $SRC/${dsc##*/}"
                return 0
            fi
            skip "$pkg $v" "not usable (${WHY:-no .dsc})"
        else
            cat "$log" >>"$LOG"
            skip "$pkg $v" "not downloadable ($(apt_reason "$log"))"
        fi
    done <<<"$versions"
    rm -rf "$scratch" "$log"
    return 1
}

for pkg in "$@"; do
    if [ -n "${HUB_DEPS_SRC:-}" ]; then
        [ -d "$HUB_DEPS_SRC" ] || die "HUB_DEPS_SRC: $HUB_DEPS_SRC: not a directory"
        from_dir "$pkg" "$HUB_DEPS_SRC" && continue
        announce
        die "no usable version of $pkg in HUB_DEPS_SRC ($HUB_DEPS_SRC)"
    fi
    if [ "${HUB_DEPS_REFRESH:-0}" != 1 ]; then
        from_dir "$pkg" "$SRC" 2>/dev/null && continue
        SKIPPED=()              # a damaged copy here: fetch it again
    fi
    from_archive "$pkg" && continue
    announce
    die "no version of $pkg can be downloaded; see $LOG"
done
