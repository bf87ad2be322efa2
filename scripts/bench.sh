#!/bin/sh
# bench.sh: every benchmark, side by side with torch.hub and curl, in one
# run: what the README's table reports. Run it on a quiet machine; the
# parts can be run alone:
#
#   scripts/bench-scan.sh [RUNS]      warm hub list/help vs torch.hub.list/help
#   scripts/bench-fetch.sh [RUNS]     cold fetch of pytorch/vision vs curl | tar
#                                     and torch.hub, unthrottled and at 10 MB/s
#   scripts/bench-download.sh [RUNS]  a 512 MiB weight file, hash on, vs
#                                     curl -o and torch.hub's download_url_to_file
#
# Everything is served on loopback by the test suite's fake GitHub and
# weight host (tests/server.py) through its CONNECT proxy with TLS verified;
# nothing reaches the internet. Needs ./hub (make), hyperfine, GNU time and
# Debian's python3 with torch.
set -eu
cd "$(dirname "$0")/.."
[ -x ./hub ] || make
for part in scan fetch download; do
	echo "== bench-$part"
	"scripts/bench-$part.sh"
	echo
done
