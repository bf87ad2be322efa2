#!/bin/sh
test_description='hub list --exact and hub help --exact: Python'"'"'s own answers, through load'"'"'s interpreter'
. "$(dirname "$0")/lib.sh"

data=$TEST_DIRECTORY/data/hubconf
export HUB_PYTHON="$HUB_TEST_PYTHON"

# Code hub cannot see: exec of a file's text (open() is not modelled).
test_expect_success 'setup: a hubconf.py that makes names hub cannot compute' '
	mkdir -p gen && cat >gen/hubconf.py <<-\EOF &&
	import os
	def base(x):
	    """The base function."""
	exec(open(os.path.join(os.path.dirname(__file__), "made.txt")).read())
	EOF
	printf "def made_by_exec():\n    pass\n" >gen/made.txt
'

test_expect_success 'list --exact: the names made at run time too' '
	hub list --exact gen >out &&
	printf "base\nmade_by_exec\n" >expect &&
	test_cmp expect out &&
	hub list gen >scanned 2>err &&
	test_grep ! -x made_by_exec scanned &&
	test_grep "exec() of code hub does not run" err
'

test_expect_success 'list --exact agrees with the evaluator where the evaluator is sure' '
	hub list --exact "$data/basic" >out &&
	test_cmp "$data/basic.expected/list" out &&
	hub list --exact "$data/dyn-globals" >out &&
	test_cmp "$data/dyn-globals.expected/list" out &&
	hub list "$data/dyn-globals" >scanned &&
	test_cmp out scanned
'

test_expect_success 'list --exact --json: the names, with what the evaluator knows of them' '
	hub --json list --exact gen >out.json &&
	"$HUB_TEST_PYTHON" -c "
import json
d = json.load(open(\"out.json\"))
assert d[\"exact\"] is True
e = {x[\"name\"]: x for x in d[\"entrypoints\"]}
assert e[\"base\"][\"kind\"] == \"function\" and e[\"base\"][\"summary\"] == \"The base function.\", e[\"base\"]
assert e[\"made_by_exec\"] == {\"name\": \"made_by_exec\"}, e[\"made_by_exec\"]
"
'

test_expect_success 'help --exact --raw: __doc__ from Python itself' '
	hub help --exact --raw "$data/strings" tabs_in_doc >out &&
	sed -n "/^=== tabs_in_doc$/,/^=== /p" "$data/strings.expected/raw" | sed "1d;\$d" >expect &&
	test_cmp expect out
'

test_expect_success 'help --exact: inspect.signature, then the cleaned docstring' '
	hub help --exact "$data/basic" Net >out &&
	head -n 1 out >actual &&
	grep "^Net(" "$data/basic.expected/signature" >expect &&
	test_cmp expect actual &&
	hub help --exact "$data/aliases" partial_entry >out &&
	head -n 1 out >actual &&
	echo "partial_entry(a, *, b=2)" >expect &&
	test_cmp expect actual
'

test_expect_success 'help --exact SPEC: every entrypoint and its summary' '
	hub help --exact "$data/basic" >exact &&
	hub help "$data/basic" >scanned &&
	test_cmp scanned exact
'

test_expect_success 'help --exact on a missing entry: Python'"'"'s message, exit 5' '
	test_must_fail status=5 hub help --exact "$data/basic" nope 2>err &&
	test_grep "Cannot find callable nope in hubconf" err &&
	test_line_count = 1 err
'

test_expect_success 'a hubconf.py that fails in Python: its traceback, exit 1' '
	mkdir -p boom && cat >boom/hubconf.py <<-\EOF &&
	def entry():
	    pass
	raise RuntimeError("boom at import")
	EOF
	test_must_fail status=1 hub list --exact boom 2>err &&
	test_grep "RuntimeError: boom at import" err
'

test_expect_success '--python chooses the interpreter' '
	test_must_fail hub list --exact --python /nonexistent/python3 "$data/basic" 2>err &&
	test_grep "/nonexistent/python3" err
'
test_done
