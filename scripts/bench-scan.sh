#!/bin/sh
# bench-scan.sh [RUNS]: warm `hub list` and `hub help` on pytorch/vision
# 0.14.1, side by side with torch.hub.list and torch.hub.help.
#
# The repository (Debian's pytorch-vision .orig.tar.gz, put in place by
# scripts/fetch-fixture.sh) is unpacked once into a torch.hub cache,
# <TORCH_HOME>/hub/pytorch_vision_v0.14.1, so every contender answers from
# the same warm cache with no network:
#
#   hub list        hub --offline list pytorch/vision:v0.14.1
#   torch.hub.list  python3 -c 'import torch.hub; torch.hub.list(...)', the
#                   whole process (what a shell script or CI step pays), and
#                   the first call alone, timed inside Python after `import
#                   torch` (it imports torchvision's modules from the tree)
#   hub help        hub --offline help pytorch/vision:v0.14.1 resnet18
#   torch.hub.help  the same two ways
#   hub help SPEC   every entrypoint with its summary (torch.hub has no
#                   equivalent but calling help 86 times)
#
# hub keeps its answers in .hub/scan, so after the warmup these are
# answers read back; the same commands with .hub/scan removed before each
# run show the evaluation itself. Then a generated registry of 1,500
# entrypoints over 100 modules (scripts/gen-registry.py), evaluated and
# read back, against torch.hub.list on the same tree.
#
# With hyperfine (apt-get install hyperfine): its mean and spread over RUNS
# runs after 3 warmups (default RUNS 20 for hub, 5 for Python). Without it:
# the median of RUNS runs timed with date +%s%N. Then the CPU time (user +
# sys, mean of RUNS, from getrusage) and peak RSS (GNU time) of each hub command, which
# say more than wall time on a busy machine, and the ratios.
#
# Uses ./hub (HUB_BIN to override) and /usr/bin/python3 with torch
# (HUB_TEST_PYTHON).
set -eu

RUNS=${1:-20}
PY_RUNS=${BENCH_PY_RUNS:-5}
BENCH_NAME=bench-scan
# shellcheck source=bench-lib.sh
. "$(dirname "$0")/bench-lib.sh"
PYTHON=$HUB_TEST_PYTHON
B=$TRASH

tarball=$("$TOP/scripts/fetch-fixture.sh")
mkdir -p "$B/torch/hub/pytorch_vision_v0.14.1"
tar xzf "$tarball" -C "$B/torch/hub/pytorch_vision_v0.14.1" --strip-components=1
TORCH_HOME=$B/torch
PYTHONDONTWRITEBYTECODE=1
HUB_PYTHON=$PYTHON  # hub reads the library path of the Python it is compared with
export TORCH_HOME PYTHONDONTWRITEBYTECODE HUB_PYTHON
unset XDG_CONFIG_HOME GITHUB_TOKEN GH_TOKEN
SPEC=pytorch/vision:v0.14.1

HUB_LIST="$HUB_BIN --offline list $SPEC"
HUB_HELP="$HUB_BIN --offline help $SPEC resnet18"
HUB_ALL="$HUB_BIN --offline help $SPEC"
PY_LIST="$PYTHON -W ignore -c \"import torch.hub; torch.hub.list('$SPEC', trust_repo=True)\""
PY_HELP="$PYTHON -W ignore -c \"import torch.hub; torch.hub.help('$SPEC', 'resnet18', trust_repo=True)\""

# Same answers first: a benchmark of wrong output is worthless.
$HUB_LIST >"$B/hub.list"
"$PYTHON" -W ignore -c "import torch.hub; print('\n'.join(torch.hub.list('$SPEC', trust_repo=True)))" \
	>"$B/py.list" 2>/dev/null
cmp -s "$B/hub.list" "$B/py.list" || die "hub list and torch.hub.list differ"
$HUB_BIN --offline help --raw $SPEC resnet18 >"$B/hub.help"
"$PYTHON" -W ignore -c "import torch.hub; print(torch.hub.help('$SPEC', 'resnet18', trust_repo=True))" \
	>"$B/py.help" 2>/dev/null
cmp -s "$B/hub.help" "$B/py.help" || die "hub help --raw and torch.hub.help differ"

median_ms() { # median_ms RUNS COMMAND: wall time in ms, median of RUNS
	n=$1
	shift
	i=0
	while [ $i -lt "$n" ]; do
		start=$(date +%s%N)
		sh -c "$*" >/dev/null 2>&1
		end=$(date +%s%N)
		echo $(((end - start) / 1000))
		i=$((i + 1))
	done | sort -n | awk '{ a[NR] = $1 } END { printf "%.2f", a[int((NR + 1) / 2)] / 1000 }'
}

in_python_ms() { # the call alone, torch imported first: median of PY_RUNS
	# fresh processes, as the first call in a process pays for importing the
	# repository's modules (later calls find them in sys.modules).
	i=0
	while [ $i -lt "$PY_RUNS" ]; do
		"$PYTHON" -W ignore - "$SPEC" "$1" 2>/dev/null <<-\PY
		import sys, time, contextlib, io
		import torch.hub
		spec, what = sys.argv[1], sys.argv[2]
		start = time.perf_counter()
		with contextlib.redirect_stderr(io.StringIO()):
		    if what == "list":
		        torch.hub.list(spec, trust_repo=True)
		    else:
		        torch.hub.help(spec, "resnet18", trust_repo=True)
		print("%.2f" % ((time.perf_counter() - start) * 1000))
		PY
		i=$((i + 1))
	done | sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'
}

if command -v hyperfine >/dev/null 2>&1; then
	hyperfine -N --warmup 3 --runs "$RUNS" --export-json "$B/hub.json" \
		"$HUB_LIST" "$HUB_HELP" "$HUB_ALL" >"$B/hyperfine-hub.txt" 2>&1
	hyperfine --warmup 1 --runs "$PY_RUNS" --export-json "$B/py.json" \
		"$PY_LIST" "$PY_HELP" >"$B/hyperfine-py.txt" 2>&1
	set -- $("$PYTHON" -c "
import json, sys
for f in sys.argv[1:]:
    for r in json.load(open(f))['results']:
        print('%.2f' % (r['mean'] * 1000))
" "$B/hub.json" "$B/py.json")
	hub_list=$1 hub_help=$2 hub_all=$3 py_list=$4 py_help=$5
	how="hyperfine mean, $RUNS runs (Python: $PY_RUNS)"
else
	hub_list=$(median_ms "$RUNS" "$HUB_LIST")
	hub_help=$(median_ms "$RUNS" "$HUB_HELP")
	hub_all=$(median_ms "$RUNS" "$HUB_ALL")
	py_list=$(median_ms "$PY_RUNS" "$PY_LIST")
	py_help=$(median_ms "$PY_RUNS" "$PY_HELP")
	how="median of $RUNS runs (Python: $PY_RUNS), date +%s%N"
fi
py_list_call=$(in_python_ms list)
py_help_call=$(in_python_ms help)

# "cpu_ms rss_kb" of a command: user + sys CPU time averaged over RUNS runs
# (getrusage of the children, to the microsecond), and its peak RSS from GNU
# time (getrusage would count the Python that forked it).
cpu_rss() {
	cpu=$("$PYTHON" - "$RUNS" "$@" <<-\PY
	import resource, subprocess, sys
	runs, argv = int(sys.argv[1]), sys.argv[2:]
	for _ in range(runs):
	    subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
	r = resource.getrusage(resource.RUSAGE_CHILDREN)
	print("%.2f" % ((r.ru_utime + r.ru_stime) * 1000 / runs))
	PY
	)
	if [ -x /usr/bin/time ]; then
		rss=$(/usr/bin/time -f %M "$@" 2>&1 >/dev/null | tail -n 1)
	else
		rss=?
	fi
	echo "$cpu $rss"
}
set -- $(cpu_rss $HUB_LIST) $(cpu_rss $HUB_HELP) $(cpu_rss $HUB_ALL)
cpu_list=$1 rss_list=$2 cpu_help=$3 rss_help=$4 cpu_all=$5 rss_all=$6

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.0fx", a / b; else print "-" }'; }

printf 'warm cache, pytorch/vision 0.14.1 (%s)\n\n' "$how"
printf '%-36s %10s %8s %10s\n' "" "ms" "CPU ms" "peak RSS"
printf '%-36s %10s %8s %7s KB\n' "hub list" "$hub_list" "$cpu_list" "$rss_list"
printf '%-36s %10s\n' "torch.hub.list (process)" "$py_list"
printf '%-36s %10s\n' "torch.hub.list (first call, torch in)" "$py_list_call"
printf '%-36s %10s %8s %7s KB\n' "hub help resnet18" "$hub_help" "$cpu_help" "$rss_help"
printf '%-36s %10s\n' "torch.hub.help (process)" "$py_help"
printf '%-36s %10s\n' "torch.hub.help (first call, torch in)" "$py_help_call"
printf '%-36s %10s %8s %7s KB\n' "hub help (86 summaries)" "$hub_all" "$cpu_all" "$rss_all"
printf '\nhub list is %s faster than torch.hub.list (%s than the call alone)\n' \
	"$(ratio "$py_list" "$hub_list")" "$(ratio "$py_list_call" "$hub_list")"
printf 'hub help is %s faster than torch.hub.help (%s than the call alone)\n' \
	"$(ratio "$py_help" "$hub_help")" "$(ratio "$py_help_call" "$hub_help")"

# The evaluation itself: .hub/scan removed before every run.
SCAN=$TORCH_HOME/hub/.hub/scan
REG=$B/registry
"$PYTHON" "$TOP/scripts/gen-registry.py" "$REG" >/dev/null
$HUB_BIN list "$REG" >"$B/reg.hub" 2>/dev/null
"$PYTHON" -W ignore -c "
import sys, importlib.util, torch.hub
sys.path.insert(0, sys.argv[1])
spec = importlib.util.spec_from_file_location('hubconf', sys.argv[1] + '/hubconf.py')
m = importlib.util.module_from_spec(spec); spec.loader.exec_module(m)
print('\n'.join(n for n in dir(m) if callable(getattr(m, n)) and not n.startswith('_')))
" "$REG" >"$B/reg.py"
cmp -s "$B/reg.hub" "$B/reg.py" || die "hub list and Python differ on the registry"
REG_LIST="$HUB_BIN list $REG"
PY_REG="$PYTHON -W ignore -c \"import sys, importlib.util; sys.path.insert(0, '$REG'); s = importlib.util.spec_from_file_location('hubconf', '$REG/hubconf.py'); m = importlib.util.module_from_spec(s); s.loader.exec_module(m); [n for n in dir(m) if callable(getattr(m, n))]\""
if command -v hyperfine >/dev/null 2>&1; then
	hyperfine -N --warmup 1 --runs "$RUNS" --prepare "rm -rf $SCAN" --export-json "$B/fresh.json" \
		"$HUB_LIST" "$HUB_HELP" "$REG_LIST" >"$B/hyperfine-fresh.txt" 2>&1
	hyperfine -N --warmup 3 --runs "$RUNS" --export-json "$B/kept.json" \
		"$REG_LIST" >"$B/hyperfine-kept.txt" 2>&1
	hyperfine --warmup 1 --runs "$PY_RUNS" --export-json "$B/pyreg.json" \
		"$PY_REG" >"$B/hyperfine-pyreg.txt" 2>&1
	set -- $("$PYTHON" -c "
import json, sys
for f in sys.argv[1:]:
    for r in json.load(open(f))['results']:
        print('%.2f' % (r['mean'] * 1000))
" "$B/fresh.json" "$B/kept.json" "$B/pyreg.json")
	fresh_list=$1 fresh_help=$2 fresh_reg=$3 kept_reg=$4 py_reg=$5
else
	fresh_list=$(median_ms "$RUNS" "rm -rf $SCAN; $HUB_LIST")
	fresh_help=$(median_ms "$RUNS" "rm -rf $SCAN; $HUB_HELP")
	fresh_reg=$(median_ms "$RUNS" "rm -rf $SCAN; $REG_LIST")
	kept_reg=$(median_ms "$RUNS" "$REG_LIST")
	py_reg=$(median_ms "$PY_RUNS" "$PY_REG")
fi
rm -rf "$SCAN"
rss_fresh=$(/usr/bin/time -f %M $HUB_LIST 2>&1 >/dev/null | tail -n 1)
rm -rf "$SCAN"
rss_reg=$(/usr/bin/time -f %M $REG_LIST 2>&1 >/dev/null | tail -n 1)

printf '\nthe evaluation itself (.hub/scan removed before each run)\n\n'
printf '%-36s %10s %10s\n' "" "ms" "peak RSS"
printf '%-36s %10s %7s KB\n' "hub list, evaluated" "$fresh_list" "$rss_fresh"
printf '%-36s %10s\n' "hub help resnet18, evaluated" "$fresh_help"
printf '%-36s %10s %7s KB\n' "registry (1,500 names), evaluated" "$fresh_reg" "$rss_reg"
printf '%-36s %10s\n' "registry, read back" "$kept_reg"
printf '%-36s %10s\n' "registry, Python import + dir()" "$py_reg"
