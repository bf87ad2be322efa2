#!/bin/sh
test_description='names made at run time: hub lists what it can see and says where it cannot'
. "$(dirname "$0")/lib.sh"

data=$TEST_DIRECTORY/data/hubconf

# hub evaluates hubconf.py (pyeval.c): what Python computes from the
# source, hub computes too; names from outside are read on the library
# path of Debian's Python.
HUB_PYTHON=$HUB_TEST_PYTHON
export HUB_PYTHON

test_expect_success 'globals()[...] =, globals().update, exec of a str, an outside star import: as Python' '
	hub list "$data/dyn-globals" >out 2>err &&
	test_cmp "$data/dyn-globals.expected/list" out &&
	test_must_be_empty err
'

test_expect_success 'their docs are what Python says' '
	hub help --raw "$data/dyn-globals" made_by_update >out &&
	echo "The base function." >expect &&
	test_cmp expect out &&
	hub help --raw "$data/dyn-globals" join >out &&
	"$HUB_TEST_PYTHON" -c "import os.path; print(os.path.join.__doc__)" >expect &&
	test_cmp expect out
'

test_expect_success 'exec of code hub cannot compute is said, by line' '
	mkdir -p dynexec && cat >dynexec/hubconf.py <<-\EOF &&
	import sys
	exec(sys.argv[0])
	def entry():
	    pass
	EOF
	hub list dynexec >out 2>err &&
	echo entry >expect &&
	test_cmp expect out &&
	test_grep "hubconf.py:2: exec() of code hub does not run" err &&
	test_grep "names hub could not see may be bound" err
'

test_expect_success 'sys.modules[__name__] fails as in Python (hubconf.py is not in sys.modules): said' '
	hub list "$data/dyn-module" >out 2>err &&
	test_grep "hubconf.py:9: hubconf.py raises KeyError" err &&
	echo KeyError >expect &&
	test_cmp expect "$data/dyn-module.expected/error"
'

test_expect_success 'conditions Python decides at import time: decided, nothing to say' '
	hub list "$data/dyn-condition" >out 2>err &&
	test_cmp "$data/dyn-condition.expected/list" out &&
	test_must_be_empty err
'

test_expect_success 'a condition hub cannot decide: both branches, listed, and said' '
	mkdir -p undecided && cat >undecided/hubconf.py <<-\EOF &&
	import os
	if os.environ.get("X"):
	    def only_if():
	        pass
	else:
	    def only_else():
	        pass
	def always():
	    pass
	EOF
	hub list undecided >out 2>err &&
	printf "always\nonly_else\nonly_if\n" >expect &&
	test_cmp expect out &&
	test_grep "hubconf.py:3: '"'only_if'"' is defined under a condition hub does not evaluate" err &&
	test_grep "hubconf.py:6: '"'only_else'"' is defined under a condition hub does not evaluate" err &&
	test_grep ! "'"'always'"'" err
'

test_expect_success 'an if/else that Python decides needs no warning' '
	hub list "$data/blocks" >out 2>err &&
	test_cmp "$data/blocks.expected/list" out &&
	test_must_be_empty err
'

test_expect_success 'without a library path, names from outside: assumed callable, said once per import' '
	mkdir -p outside && cat >outside/hubconf.py <<-\EOF &&
	from somewhere_else import one, two
	from os.path import join
	from elsewhere.sub import (
	    three,
	)
	EOF
	HUB_PYTHONPATH= hub list outside >out 2>err &&
	printf "join\none\nthree\ntwo\n" >expect &&
	test_cmp expect out &&
	test_grep "hubconf.py:1: assumed callable, imported from '"'somewhere_else'"' outside the repository: one, two" err &&
	test_grep "hubconf.py:3: assumed callable, imported from '"'elsewhere.sub'"' outside the repository: three" err &&
	test_line_count = 2 err
'

test_expect_success 'without a library path, modelled names (os.path.join ...) are callable, no warning' '
	HUB_PYTHONPATH= hub list "$data/imports" >out 2>err &&
	test_cmp "$data/imports.expected/list" out &&
	test_must_be_empty err
'

test_expect_success 'without a library path, help on a name from outside: what hub knows, and that the rest needs Python' '
	HUB_PYTHONPATH= hub help "$data/imports" join >out 2>err &&
	printf "join(...)\nimported at hubconf.py:4 from os.path\n" >expect &&
	test_cmp expect out &&
	test_grep "outside the repository" err &&
	(HUB_PYTHONPATH= && export HUB_PYTHONPATH &&
	 test_must_fail status=1 hub help --raw "$data/imports" join 2>err) &&
	test_grep "docstring needs Python" err
'

test_expect_success 'with the library path, a name from outside is read there' '
	hub list "$data/imports" >out 2>err &&
	test_cmp "$data/imports.expected/list" out &&
	test_must_be_empty err &&
	hub help --raw "$data/imports" join >out &&
	"$HUB_TEST_PYTHON" -c "import os.path; print(os.path.join.__doc__)" >expect &&
	test_cmp expect out
'

test_expect_success 'well-known outside names that are not callable are not listed' '
	mkdir -p known && cat >known/hubconf.py <<-\EOF &&
	from typing import TYPE_CHECKING, Optional
	from torch import nn
	from os import path, sep
	from math import pi
	EOF
	HUB_PYTHONPATH= hub list known >out 2>err &&
	echo Optional >expect &&
	test_cmp expect out &&
	hub list known >out 2>err &&
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
	test_grep "hubconf.py:1: hubconf.py raises ImportError: attempted relative import with no known parent package" err
'

test_expect_success '-q silences the warnings, not the list' '
	hub -q list dynexec >out 2>err &&
	test_must_be_empty err &&
	echo entry >expect &&
	test_cmp expect out
'

test_expect_success '--json carries the warnings too' '
	hub --json list dynexec >out.json 2>/dev/null &&
	"$HUB_TEST_PYTHON" -c "
import json
w = json.load(open(\"out.json\"))[\"warnings\"]
assert any(\"exec()\" in x for x in w), w
"
'
test_done
