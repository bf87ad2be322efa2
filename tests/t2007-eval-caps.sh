#!/bin/sh
test_description='hostile hubconf.py: the evaluation caps end it with one clear error, never a hang'
. "$(dirname "$0")/lib.sh"

# No library path: these cases need none, and no interpreter is asked.
HUB_PYTHONPATH=
export HUB_PYTHONPATH

test_expect_success 'endless recursion in a repository function: the call depth cap' '
	mkdir -p rec && cat >rec/hubconf.py <<-\EOF &&
	def f(n):
	    return f(n + 1)
	x = f(0)
	def entry():
	    pass
	EOF
	test_must_fail status=1 hub list rec 2>err &&
	test_grep "evaluation exceeded a call depth of 96 at hubconf.py:2" err
'

test_expect_success 'mutual recursion across modules: the same cap' '
	mkdir -p mut && cat >mut/hubconf.py <<-\EOF &&
	from other import a
	r = a(1)
	EOF
	cat >mut/other.py <<-\EOF &&
	def a(n):
	    return b(n)
	def b(n):
	    return a(n)
	EOF
	test_must_fail status=1 hub list mut 2>err &&
	test_grep "evaluation exceeded a call depth of 96 at other.py:" err
'

test_expect_success 'a loop without end: the step cap, in well under a few seconds' '
	mkdir -p loop && cat >loop/hubconf.py <<-\EOF &&
	while True:
	    pass
	EOF
	test_must_fail status=1 hub list loop 2>err &&
	test_grep "evaluation exceeded 20000000 steps at hubconf.py:2" err
'

test_expect_success 'a string that doubles without end: the string cap' '
	mkdir -p bomb && cat >bomb/hubconf.py <<-\EOF &&
	s = "x" * 1000
	for i in range(40):
	    s = s + s
	EOF
	test_must_fail status=1 hub list bomb 2>err &&
	test_grep "evaluation exceeded a string of 16 MiB at hubconf.py:3" err
'

test_expect_success 'a list that grows without end: the memory cap' '
	mkdir -p grow && cat >grow/hubconf.py <<-\EOF &&
	x = [0]
	while True:
	    x.append([x])
	EOF
	test_must_fail status=1 hub list grow 2>err &&
	test_grep "evaluation exceeded .* at hubconf.py:3" err
'

test_expect_success 'an import cycle fails as in Python (a partly run module), the rest is said' '
	mkdir -p cyc && cat >cyc/hubconf.py <<-\EOF &&
	import a
	def entry():
	    pass
	EOF
	printf "import b\ndef thing():\n    pass\n" >cyc/a.py &&
	printf "from a import thing\n" >cyc/b.py &&
	hub list cyc >out 2>err &&
	test_must_be_empty out &&
	test_grep "b.py:1: hubconf.py raises ImportError: cannot import name .thing. from .a." err &&
	"$HUB_TEST_PYTHON" -c "
import sys; sys.path.insert(0, \"cyc\"); sys.dont_write_bytecode = True
try:
    import a
except ImportError:
    sys.exit(0)
sys.exit(1)
"
'

test_expect_success 'an import cycle Python survives: hub too' '
	mkdir -p cyc2 && cat >cyc2/hubconf.py <<-\EOF &&
	import a
	from a import thing
	EOF
	printf "def thing():\n    pass\nimport b\n" >cyc2/a.py &&
	printf "import a\nfrom a import thing\n" >cyc2/b.py &&
	hub list cyc2 >out 2>err &&
	echo thing >expect &&
	test_cmp expect out &&
	test_must_be_empty err
'

test_expect_success 'binary junk in a helper module: a warning, the rest listed' '
	mkdir -p junk && printf "import helper\ndef entry():\n    pass\n" >junk/hubconf.py &&
	printf "x = 1\n\377\376\000junk" >junk/helper.py &&
	hub list junk >out 2>err &&
	echo entry >expect &&
	test_cmp expect out &&
	test_grep "helper.py" err
'

test_expect_success 'deep nesting: an error at the parser, not a crash' '
	"$HUB_TEST_PYTHON" -c "print(\"x = \" + \"(\" * 5000 + \"1\" + \")\" * 5000)" >deep.py &&
	mkdir -p deep && mv deep.py deep/hubconf.py &&
	test_must_fail hub list deep 2>err &&
	test_grep "hubconf.py:1:" err
'
test_done
