# debian-sources.sh - sourced by build-deps.sh and fetch-fixture.sh: the one
# place that says where hub's third-party code comes from, and how apt is
# asked for it without root and without touching the system's apt state.
#
# Needs SRC (build/src) set and die() defined; gives:
#   need TOOL PACKAGE, need_done   collect missing tools, then one line naming
#                                  the Debian packages to install
#   APTDIR, APT_OPTS               apt's options for the private state in
#                                  $SRC/apt (lists, cache, no system pinning,
#                                  as an ordinary user); only apt's
#                                  configuration is shared with the system,
#                                  so an apt proxy in apt.conf.d still applies
#   apt_private_setup              its folders and its deb-src sources file
#
# To move to newer Debian releases, change the Suites below (and see the
# README's paragraph on the dependency pin). HUB_DEPS_SOURCES=FILE replaces
# them: FILE is an apt sources file, one-line (.list) or deb822 (.sources),
# for a mirror or a local archive.

KEYRING=/usr/share/keyrings/debian-archive-keyring.gpg

missing_tools= missing_pkgs=
need() {   # need TOOL DEBIAN-PACKAGE
    if ! command -v "$1" >/dev/null 2>&1; then
        missing_tools="$missing_tools${missing_tools:+, }$1"
        case " $missing_pkgs " in
            *" $2 "*) ;;
            *) missing_pkgs="$missing_pkgs${missing_pkgs:+ }$2" ;;
        esac
    fi
}

need_done() {
    [ -f "$KEYRING" ] || {
        missing_tools="$missing_tools${missing_tools:+, }$KEYRING"
        missing_pkgs="$missing_pkgs${missing_pkgs:+ }debian-archive-keyring"
    }
    [ -z "$missing_tools" ] ||
        die "missing $missing_tools: install the Debian package(s): apt-get install $missing_pkgs"
}

APTDIR=$SRC/apt
APT_OPTS=(
    -q
    -o "Dir::Etc::SourceList=/dev/null"
    -o "Dir::Etc::SourceParts=$APTDIR/sources.list.d"
    -o "Dir::State::Lists=$APTDIR/lists"
    -o "Dir::Cache=$APTDIR/cache"            # not /var/cache/apt/*.bin
    -o "Dir::Etc::Preferences=/dev/null"     # no system pinning: newest wins
    -o "Dir::Etc::PreferencesParts=$APTDIR/preferences.d"
    -o "APT::Sandbox::User=$(id -un)"        # as root: no drop to _apt, who
)                                            # cannot write into build/src

apt_private_setup() {
    mkdir -p "$APTDIR/sources.list.d" "$APTDIR/lists/partial" \
        "$APTDIR/cache/archives/partial" "$APTDIR/preferences.d"
    rm -f "$APTDIR"/sources.list.d/hub-deps.*
    if [ -n "${HUB_DEPS_SOURCES:-}" ]; then
        [ -f "$HUB_DEPS_SOURCES" ] || die "HUB_DEPS_SOURCES: $HUB_DEPS_SOURCES: no such file"
        case $HUB_DEPS_SOURCES in
            *.sources) cp "$HUB_DEPS_SOURCES" "$APTDIR/sources.list.d/hub-deps.sources" ;;
            *)         cp "$HUB_DEPS_SOURCES" "$APTDIR/sources.list.d/hub-deps.list" ;;
        esac
        return 0
    fi
    cat >"$APTDIR/sources.list.d/hub-deps.sources" <<EOF2
Types: deb-src
URIs: http://deb.debian.org/debian
Suites: bookworm bookworm-updates
Components: main
Signed-By: $KEYRING

Types: deb-src
URIs: http://deb.debian.org/debian-security
Suites: bookworm-security
Components: main
Signed-By: $KEYRING
EOF2
}
