#!/bin/sh
test_description='hub load -i (the REPL afterwards) and Ctrl-C'
. "$(dirname "$0")/lib.sh"

data=$TEST_DIRECTORY/data/load
export HUB_PYTHON="$HUB_TEST_PYTHON"

test_expect_success '-i: commands on stdin see model (and torch), not the program'"'"'s names' '
	cat >commands <<-\EOF &&
	print(model.args)
	print(sorted(name for name in globals() if "hub" in name.lower()))
	print(type(torch).__name__)
	EOF
	hub load -i "$data/plain" echo 1 x <commands >out 2>err &&
	cat >expect <<-\EOF &&
	Echo
	(1, '"'x'"')
	[]
	module
	EOF
	test_cmp expect out
'

test_expect_success '-i: the REPL'"'"'s exit status is hub'"'"'s' '
	echo "raise SystemExit(4)" >commands &&
	{ hub load -i "$data/plain" echo <commands >out 2>err; test $? = 4; }
'

test_expect_success '-i: a failed load ends with its status, without the REPL' '
	echo "print(\"the REPL ran\")" >commands &&
	test_must_fail status=1 hub load -i "$data/plain" boom <commands >out 2>err &&
	test_grep "ValueError: entry failed on purpose" err &&
	test_grep ! "the REPL ran" out &&
	test_must_fail status=5 hub load --interactive "$data/plain" nope <commands >out 2>err &&
	test_grep ! "the REPL ran" out &&
	echo "print(\"the REPL ran\")" >commands &&
	{ hub load -i "$data/plain" exit_with 6 <commands >out 2>&1; test $? = 6; } &&
	test_grep ! "the REPL ran" out
'

test_expect_success '-i on a terminal: a hint, then the REPL' '
	"$HUB_TEST_PYTHON" "$data/pty-run.py" --wait-for ">>> " \
		--answer "print(model.args)" --answer "exit()" -- \
		"$HUB_BIN" load -i "$data/plain" echo 5 >out &&
	test_grep "^hub: .model. is the loaded Echo; Ctrl-D leaves$" out &&
	test_grep "^(5,)$" out
'

test_expect_success 'Ctrl-C during the load: no traceback, killed by SIGINT (130)' '
	{ "$HUB_TEST_PYTHON" "$data/interrupt.py" "$HUB_BIN" load "$data/plain" nap 60 2>err
	  test $? = 130; } &&
	test_must_be_empty err
'

test_expect_success 'Ctrl-C during an -i load: the same' '
	{ "$HUB_TEST_PYTHON" "$data/interrupt.py" "$HUB_BIN" load -i "$data/plain" nap 60 2>err </dev/null
	  test $? = 130; } &&
	test_must_be_empty err
'

test_done
