#!/bin/sh
# Renders hub.1.md into the man page on stdout with lowdown (Debian's
# lowdown package). lowdown opens every section with a paragraph macro that
# mandoc -Tlint flags as redundant; dropping it changes nothing on screen.
set -eu
command -v lowdown >/dev/null || { echo "make-man.sh: lowdown not found (apt-get install lowdown)" >&2; exit 1; }
lowdown -s -Tman --out-no-smarty "${1:-hub.1.md}" |
awk '
	skip && /^\.(LP|PP)$/ { skip = 0; next }
	{ skip = 0; print }
	/^\.S[HS]$/ { getline; print; skip = 1 }
'
