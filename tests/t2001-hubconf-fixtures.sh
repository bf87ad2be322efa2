#!/bin/sh
test_description='hub list and help agree with Python 3.11 on every hubconf fixture'
. "$(dirname "$0")/lib.sh"

# Each tests/data/hubconf/CASE/ is a small repository; CASE.expected/ holds
# what Debian's Python says about it (tests/gen-hubconf-expected.py):
# torch.hub.list's names, print(__doc__), inspect.cleandoc(__doc__) and
# inspect.signature. Names hub reports as imported from outside the
# repository: in the scanner's cases their docs are not compared (no source
# to read); in the eval-* cases (issue 11: hub evaluates hubconf.py and reads
# outside modules from the interpreter's library path) their __doc__ is
# compared too, and only their signature is not (Python renders annotations
# from run-time objects there). The dyn-* cases make names at run time:
# t2002 covers them.
data=$TEST_DIRECTORY/data/hubconf
# hub reads names from outside the repository on the library path of the
# interpreter --python (or HUB_PYTHON) names: Debian's, with torch.
HUB_PYTHON=$HUB_TEST_PYTHON
export HUB_PYTHON

# One JSON answer per name, turned into the expected files' layout by one
# Python run: the cleaned docstring and the signature line.
# The trash directory is shared by every test: nothing of one case may
# stand in for the next one's output.
compare_case() {
	rm -f list list.err list.json outside skip-docs raw clean signature \
		json-names json.* expected.* &&
	case=$1 && outside_docs=${2:-skip} &&
	dir=$data/$case &&
	exp=$data/$case.expected &&
	hub list "$dir" >list 2>list.err &&
	test_cmp "$exp/list" list &&
	hub --json list "$dir" >list.json 2>/dev/null &&
	"$HUB_TEST_PYTHON" -c "
import json, sys
for e in json.load(open('list.json'))['entrypoints']:
    if 'outside' in e: print(e['name'])
" >outside &&
	if test "$outside_docs" = compare; then : >skip-docs; else cp outside skip-docs; fi &&
	: >raw && : >json-names &&
	while read -r name; do
		if grep -qx "$name" skip-docs; then continue; fi
		echo "=== $name" >>raw &&
		hub help --raw "$dir" "$name" >>raw 2>/dev/null &&
		hub --json help "$dir" "$name" >"json.$name" 2>/dev/null &&
		echo "$name" >>json-names || return 1
	done <list &&
	"$HUB_TEST_PYTHON" -c "
import json
clean = open('clean', 'w', encoding='utf-8', newline='')
sig = open('signature', 'w', encoding='utf-8')
outside = set(open('outside').read().split())
for name in open('json-names').read().split():
    e = json.load(open('json.' + name, encoding='utf-8'))
    clean.write('=== %s\n' % name)
    if e['cleandoc'] is not None:
        clean.write(e['cleandoc'] + '\n')
    if name not in outside:
        sig.write((e['signature'] or name + '(...)') + '\n')
" &&
	"$HUB_TEST_PYTHON" - "$exp" <<-\PY &&
	import sys
	exp, outside = sys.argv[1], set(open('outside').read().split())
	skip_docs = set(open('skip-docs').read().split())
	# The expected files without the names whose docs or signature are
	# not compared.
	for kind in ('raw', 'clean'):
	    keep, out = True, []
	    for line in open('%s/%s' % (exp, kind), encoding='utf-8', newline='').read().split('\n')[:-1]:
	        if line.startswith('=== '):
	            keep = line[4:] not in skip_docs
	        if keep:
	            out.append(line + '\n')
	    open('expected.' + kind, 'w', encoding='utf-8', newline='').write(''.join(out))
	sig = [l for l in open(exp + '/signature', encoding='utf-8')
	       if l.split('(')[0] not in outside]
	open('expected.signature', 'w', encoding='utf-8').write(''.join(sig))
	PY
	test_cmp expected.raw raw &&
	test_cmp expected.clean clean &&
	test_cmp expected.signature signature
}

scan_cases="basic imports aliases blocks star strings tabs crlf cr bom fstrings semicolons decorators"
# Issue 11's acceptance tests: hub evaluates hubconf.py as Python runs it.
eval_cases="eval-registry eval-registry-api eval-dir-filter eval-loop-locals
	eval-factory eval-callables eval-conditions eval-outside eval-classes eval-enum eval-lazy"

for case in $scan_cases; do
	test_expect_success "$case: list, __doc__, cleandoc and signature as Python says" "
		compare_case $case
	"
done

for case in $eval_cases; do
	test_expect_success "$case: list, __doc__ (outside names too), cleandoc and signature as Python says" "
		compare_case $case compare
	"
done

test_expect_success 'every case but the dyn-* ones is compared above' '
	printf "%s\n" $scan_cases $eval_cases | sort >compared &&
	(cd "$data" && for d in *.expected; do echo "${d%.expected}"; done) |
	grep -v "^dyn-" | sort >cases &&
	test_cmp cases compared
'

test_expect_success 'the expected files are what Python says today' '
	"$HUB_TEST_PYTHON" "$TEST_DIRECTORY/gen-hubconf-expected.py" --out regenerated &&
	for exp in "$data"/*.expected; do
		diff -r "$exp" "regenerated/$(basename "$exp")" || return 1
	done
'

test_expect_success 'reading the fixtures left no bytecode in the source tree' '
	test -z "$(find "$data" -name __pycache__)"
'

test_expect_success 'imported entries name their definition in the repository' '
	hub --json list "$data/imports" >out.json &&
	"$HUB_TEST_PYTHON" -c "
import json
e = {x[\"name\"]: x for x in json.load(open(\"out.json\"))[\"entrypoints\"]}
assert e[\"deep\"][\"defined\"] == \"helpers_pkg/sub/deep.py:4\", e[\"deep\"]
assert e[\"from_parent\"][\"defined\"] == \"helpers_pkg/impl.py:4\", e[\"from_parent\"]
assert e[\"HelperClass\"][\"kind\"] == \"imported\"
assert e[\"join\"][\"outside\"] == \"os.path\" and e[\"join\"][\"defined\"] == \"hubconf.py:4\"
assert e[\"helper_a\"][\"summary\"] == \"Helper A.\"
"
'

test_expect_success 'a star import follows __all__ (with += and append) and packages' '
	hub --json list "$data/star" >out.json &&
	"$HUB_TEST_PYTHON" -c "
import json
e = {x[\"name\"]: x for x in json.load(open(\"out.json\"))[\"entrypoints\"]}
assert e[\"tiny\"][\"defined\"] == \"hubconf.py:5\" and e[\"tiny\"][\"kind\"] == \"function\", e[\"tiny\"]
assert e[\"large\"][\"defined\"] == \"models/resnetlike.py:14\", e[\"large\"]
assert e[\"Small\"][\"kind\"] == \"imported\"
"
'
test_done
