#!/bin/sh
# bench-fetch.sh [RUNS]: a cold fetch of pytorch/vision 0.14.1, side by side.
#
# The repository (Debian's pytorch-vision .orig.tar.gz, put in place by
# scripts/fetch-fixture.sh) is served by the test suite's fake GitHub
# (tests/server.py) on loopback, reached by all three contenders through
# the same CONNECT proxy with the same test CA, as https://github.com:
#
#   hub        hub download pytorch/vision:v0.14.1 (ref validation included)
#   curl|tar   curl -L https://github.com/pytorch/vision/tarball/v0.14.1 | tar xz
#   torch.hub  torch.hub._get_cache_or_reload(...), timed inside Python (so
#              the 2-3 s of `import torch` are NOT counted against it), and
#   torch(proc) the whole `python3 -c 'import torch.hub; ...'` process, which
#              is what a CI step that pre-warms the cache with Python pays
#
# once unthrottled and once with the archive throttled to a realistic
# bandwidth (BENCH_RATE bytes/s, default 10 MB/s; the server's slow fault).
# Each cell is the median of RUNS cold runs (default 3); a cold run starts
# from an empty hub dir. Prints a table and the ratios.
#
# Uses ./hub (HUB_BIN to override) and /usr/bin/python3 with torch
# (HUB_TEST_PYTHON). Nothing reaches the internet once the fixture is there.
set -eu

RUNS=${1:-3}
RATE=${BENCH_RATE:-10000000}
BENCH_NAME=bench-fetch
# shellcheck source=bench-lib.sh
. "$(dirname "$0")/bench-lib.sh"

tarball=$("$TOP/scripts/fetch-fixture.sh")
bench_server
mkdir -p "$TRASH/tree"
tar xzf "$tarball" -C "$TRASH/tree" --strip-components=1
fixture_repo pytorch vision v0.14.1 "$TRASH/tree" >/dev/null || die "fixture_repo failed"

URL=https://github.com/pytorch/vision/tarball/v0.14.1

run_hub() {
	dir=$TRASH/hub-dir
	rm -rf "$dir"
	t0=$(now)
	"$HUB_BIN" -q --dir "$dir" download pytorch/vision:v0.14.1 >/dev/null
	t1=$(now)
	test -f "$dir/pytorch_vision_v0.14.1/hubconf.py" || die "hub fetched nothing"
	echo "$t1 - $t0" | bc
}

run_curl() {
	dir=$TRASH/curl-dir
	rm -rf "$dir"
	mkdir -p "$dir"
	t0=$(now)
	curl --cacert "$HUB_TEST_CA" -sSfL "$URL" | tar xzf - -C "$dir" --strip-components=1
	t1=$(now)
	test -f "$dir/hubconf.py" || die "curl|tar fetched nothing"
	echo "$t1 - $t0" | bc
}

run_torch() {
	dir=$TRASH/torch-dir
	rm -rf "$dir"
	t0=$(now)
	"$HUB_TEST_PYTHON" - "$dir" >"$TRASH/torch-inner" <<'EOF'
import sys, time, warnings
import torch.hub
warnings.simplefilter("ignore")
torch.hub.set_dir(sys.argv[1])
t0 = time.monotonic()
d = torch.hub._get_cache_or_reload("pytorch/vision:v0.14.1", False, True, "load",
                                   verbose=False, skip_validation=False)
print("%.3f" % (time.monotonic() - t0))
EOF
	t1=$(now)
	echo "$(cat "$TRASH/torch-inner") $(echo "$t1 - $t0" | bc)"
}

# The median of the first column, and of the second when there is one.
middle() { sort -n | awk '{ v[NR] = $1 } END { if (NR) print v[int((NR + 1) / 2)] }'; }
median() {
	cat >"$TRASH/samples"
	echo "$(cut -d" " -f1 "$TRASH/samples" | middle) $(cut -s -d" " -f2 "$TRASH/samples" | middle)"
}

measure() { # WHAT -> median seconds
	i=0
	while [ $i -lt "$RUNS" ]; do
		"run_$1"
		i=$((i + 1))
	done | median
}

# Build and cache the archives in the server before timing anything.
curl --cacert "$HUB_TEST_CA" -sSfL -o /dev/null "$URL"
curl --cacert "$HUB_TEST_CA" -sSfL -o /dev/null https://github.com/pytorch/vision/zipball/v0.14.1
size_tgz=$(curl --cacert "$HUB_TEST_CA" -sSfL "$URL" | wc -c)
size_zip=$(curl --cacert "$HUB_TEST_CA" -sSfL https://github.com/pytorch/vision/zipball/v0.14.1 | wc -c)

results=
for mode in unthrottled throttled; do
	if [ $mode = throttled ]; then
		set_faults "[{\"match\": \"codeload\", \"action\": \"slow:$RATE\"}]"  || die "set_faults failed"
	else
		clear_faults || :
	fi
	set_ratelimit 100000 100000 || die "set_ratelimit failed"
	h=$(measure hub | cut -d" " -f1)
	c=$(measure curl | cut -d" " -f1)
	t=$(measure torch)
	results="$results$mode $h $c $t
"
done
clear_faults

printf 'cold fetch of pytorch/vision 0.14.1 (tar.gz %s bytes, zip %s bytes), median of %s runs\n' \
	"$size_tgz" "$size_zip" "$RUNS"
printf 'throttled: %s bytes/s on the archive; all through the CONNECT proxy, TLS verified\n\n' "$RATE"
printf '%-12s %8s %9s %10s %12s %9s %10s %11s\n' link hub 'curl|tar' torch.hub 'torch(proc)' \
	'hub/curl' 'torch/hub' 'proc/hub'
printf '%s' "$results" | while read -r mode h c t p; do
	printf '%-12s %7.3fs %8.3fs %9.3fs %11.3fs %8.2fx %9.2fx %10.2fx\n' "$mode" "$h" "$c" "$t" "$p" \
		"$(echo "$h / $c" | bc -l)" "$(echo "$t / $h" | bc -l)" "$(echo "$p / $h" | bc -l)"
done
