# bench-lib.sh - sourced by scripts/bench-*.sh after they set BENCH_NAME:
# the contenders (./hub, or HUB_BIN; Debian's python3 with torch, or
# HUB_TEST_PYTHON), a fresh scratch folder $TRASH = build/$BENCH_NAME, and
# bench_server, which starts the test suite's fake GitHub and weight host on
# loopback and routes every contender through its CONNECT proxy with the
# test CA trusted. Nothing reaches the internet.

TOP=$(cd "$(dirname "$0")/.." && pwd)
HUB_BIN=${HUB_BIN:-$TOP/hub}
HUB_TEST_PYTHON=${HUB_TEST_PYTHON:-/usr/bin/python3}
export HUB_TEST_PYTHON

die() { echo "$BENCH_NAME: $*" >&2; exit 1; }
[ -x "$HUB_BIN" ] || die "no hub binary at $HUB_BIN (make, or set HUB_BIN)"
"$HUB_TEST_PYTHON" -c 'import torch.hub' 2>/dev/null || die "$HUB_TEST_PYTHON has no torch"

TRASH=$TOP/build/$BENCH_NAME
rm -rf "$TRASH"
mkdir -p "$TRASH"
export TRASH

now() { date +%s.%N; }

bench_server() {
	HUB_TEST_DIR=$TOP/tests
	export HUB_TEST_DIR
	# shellcheck source=../tests/lib-server.sh
	. "$TOP/tests/lib-server.sh"
	start_server || die "the test server did not start"
	use_proxy || die "use_proxy failed"
	# hub trusts the test CA through HUB_CA_BUNDLE (set by use_proxy),
	# curl and Python's ssl through SSL_CERT_FILE.
	SSL_CERT_FILE=$HUB_TEST_CA
	export SSL_CERT_FILE
	unset GITHUB_TOKEN GH_TOKEN
}
