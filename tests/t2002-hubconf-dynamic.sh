#!/bin/sh
test_description='names made at run time: hub lists what it can see and says where it cannot'
. "$(dirname "$0")/lib.sh"

data=$TEST_DIRECTORY/data/hubconf

test_expect_success 'globals(), exec, a module __getattr__, an outside star import: warned, by line' '
	hub list "$data/dyn-globals" >out 2>err &&
	echo base >expect &&
	test_cmp expect out &&
	test_grep "hubconf.py:9: names are made at run time (globals()\[...\] = ...)" err &&
	test_grep "hubconf.py:10: names are made at run time (globals().update(...))" err &&
	test_grep "hubconf.py:11: names are made at run time (exec(...))" err &&
	test_grep "hubconf.py:15: names are made at run time (a module __getattr__)" err &&
	test_grep "hubconf.py:2: names are made at run time (from os.path import \* (outside the repository))" err &&
	test_grep "hubconf.py:12: '"'model'"' is bound to the result of a call: hub cannot tell whether it is callable (not listed); --exact asks Python" err &&
	test_grep -e "--exact asks Python" err
'

test_expect_success 'what hub lists there, Python lists too' '
	comm -23 out "$data/dyn-globals.expected/list" >extra &&
	test_must_be_empty extra
'

test_expect_success 'sys.modules[__name__] is named (Python cannot even import this one)' '
	hub list "$data/dyn-module" >out 2>err &&
	test_grep "hubconf.py:9: names are made at run time (sys.modules\[__name__\])" err &&
	echo KeyError >expect &&
	test_cmp expect "$data/dyn-module.expected/error"
'

test_expect_success 'names defined under conditions hub does not evaluate: listed, and said' '
	hub list "$data/dyn-condition" >out 2>err &&
	printf "only_elif\nonly_except\nonly_if\n" >expect &&
	test_cmp expect out &&
	test_grep "hubconf.py:4: '"'only_if'"' is defined under a condition hub does not evaluate" err &&
	test_grep "hubconf.py:7: '"'only_elif'"' is defined under a condition hub does not evaluate" err &&
	test_grep "hubconf.py:13: '"'only_except'"' is defined in an except block" err &&
	test_grep -x only_elif "$data/dyn-condition.expected/list"
'

test_expect_success 'an if/else that binds a name in every branch needs no warning' '
	hub list "$data/blocks" >out 2>err &&
	test_grep ! "'"'in_if'"'" err &&
	test_grep "'"'nested_if'"' is defined under a condition" err
'

test_expect_success 'names imported from outside the repository: assumed callable, said once per import' '
	hub list "$data/imports" >out 2>err &&
	test_grep -x join out &&
	test_grep "hubconf.py:4: assumed callable, imported from '"'os.path'"' outside the repository: join" err &&
	test_line_count = 3 err
'

test_expect_success 'help on a name from outside: what hub knows, and that the rest needs Python' '
	hub help "$data/imports" join >out 2>err &&
	printf "join(...)\nimported at hubconf.py:4 from os.path\n" >expect &&
	test_cmp expect out &&
	test_grep "outside the repository" err &&
	test_must_fail status=1 hub help --raw "$data/imports" join 2>err &&
	test_grep "docstring needs Python" err
'

test_expect_success 'well-known outside names that are not callable are not listed' '
	mkdir -p known && cat >known/hubconf.py <<-\EOF &&
	from typing import TYPE_CHECKING, Optional
	from torch import nn
	from os import path, sep
	from math import pi
	EOF
	hub list known >out 2>err &&
	echo Optional >expect &&
	test_cmp expect out
'

test_expect_success 'dependencies that are not a list of literals are said' '
	mkdir -p deps && cat >deps/hubconf.py <<-\EOF &&
	import sys
	dependencies = ["torch"] + sys.argv[:0]
	def entry():
	    pass
	EOF
	hub --json list deps >out 2>err &&
	test_grep "hubconf.py:2: dependencies is not a list of string literals" err
'

test_expect_success 'a relative import in hubconf.py is said: Python cannot import it' '
	mkdir -p rel && cat >rel/hubconf.py <<-\EOF &&
	from .helpers import thing
	def entry():
	    pass
	EOF
	hub list rel >out 2>err &&
	test_grep "hubconf.py:1: relative import: Python cannot import hubconf.py" err
'

test_expect_success '-q silences the warnings, not the list' '
	hub -q list "$data/dyn-globals" >out 2>err &&
	test_must_be_empty err &&
	echo base >expect &&
	test_cmp expect out
'

test_expect_success '--json carries the warnings too' '
	hub --json list "$data/dyn-globals" >out.json 2>/dev/null &&
	"$HUB_TEST_PYTHON" -c "
import json
w = json.load(open(\"out.json\"))[\"warnings\"]
assert any(\"exec(...)\" in x for x in w), w
"
'
test_done
