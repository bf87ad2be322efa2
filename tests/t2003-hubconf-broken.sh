#!/bin/sh
test_description='broken hubconf.py: an error naming the line Python names, never a crash or a hang'
. "$(dirname "$0")/lib.sh"

# Each case is a hubconf.py Python refuses. Python's SyntaxError line comes
# from tests/gen-hubconf-expected.py --case, at test time; hub must exit 1
# with "hub: hubconf.py:LINE: ..." on one line, for that very line.
broken() {
	mkdir -p "$1" && printf "$2" >"$1/hubconf.py"
}

test_expect_success 'setup: hubconf.py files Python refuses' '
	broken unterminated "def a():\n    pass\nx = \"abc\ny = 1\n" &&
	broken triple "def a():\n    \"\"\"doc\n    never closed\n" &&
	broken unclosed "def a():\n    pass\nx = foo(1,\n   2\ny = 3\n" &&
	broken unmatched "def a():\n    pass\nx = 1)\n" &&
	broken mismatch "x = (1]\n" &&
	broken tabs "if True:\n        x = 1\n\ty = 2\n" &&
	broken unindent "if True:\n        x = 1\n    y = 2\n" &&
	broken utf8 "def a():\n    pass\nx = \"\377\"\n" &&
	broken overlong "x = \"\300\257\"\n" &&
	broken surrogate "x = \"\355\240\200\"\n" &&
	broken badescape "def a():\n    \"bad \\\\x4 escape\"\n" &&
	broken badname "def a():\n    \"\\\\N{NOT A REAL NAME}\"\n" &&
	broken badunicode "def a():\n    \"\\\\U00110000\"\n" &&
	broken continuation "x = 1 \\\\ y\n" &&
	broken eofcont "x = 1 \\\\" &&
	broken dollar "def a():\n    pass\nx = \$\n" &&
	broken brace "x = f\"a}b\"\n" &&
	broken fieldopen "x = f\"{a\"\n" &&
	broken fieldhash "x = f\"{a#}\"\n" &&
	broken crlfstring "x = \"abc\r\ny = 1\r\n" &&
	"$HUB_TEST_PYTHON" -c "
import os
def write(name, text):
    os.makedirs(name, exist_ok=True)
    open(name + \"/hubconf.py\", \"w\").write(text)
write(\"deep\", \"x = \" + \"(\" * 300 + \"1\" + \")\" * 300 + \"\n\")
write(\"indent\", \"\".join(\" \" * i + \"if x:\n\" for i in range(101)) + \" \" * 101 + \"pass\n\")
write(\"fdeep\", \"x = \" + \"f\x27{\" * 20 + \"1\" + \"}\x27\" * 20 + \"\n\")
" &&
	for d in */; do
		d=${d%/} &&
		"$HUB_TEST_PYTHON" "$TEST_DIRECTORY/gen-hubconf-expected.py" --case "$PWD/$d" "$PWD/$d.py-says" ||
		return 1
	done
'

for case in unterminated triple unclosed unmatched mismatch tabs unindent utf8 overlong surrogate \
	    badescape badname badunicode continuation eofcont dollar brace fieldopen fieldhash \
	    crlfstring deep indent; do
	test_expect_success "$case: exit 1, the line Python names" "
		test -f $case.py-says/error &&
		test_must_fail status=1 hub list $case 2>err &&
		test_line_count = 1 err &&
		line=\$(cut -d: -f2 $case.py-says/error) &&
		test_grep \"^hub: hubconf.py:\$line: \" err
	"
done

test_expect_success 'NUL bytes: Python refuses the file (ValueError), so does hub' '
	printf "def a():\n    pass\000\n" >nul.py &&
	mkdir nul && mv nul.py nul/hubconf.py &&
	test_must_fail status=1 hub list nul 2>err &&
	test_grep "^hub: hubconf.py:2: source code cannot contain null bytes" err
'

test_expect_success 'f-strings nested past what Python 3.11 can: an error, not a crash' '
	test_must_fail status=1 hub list fdeep 2>err &&
	test_line_count = 1 err
'

test_expect_success 'a broken helper module: what Python would fail on is said, the rest listed' '
	mkdir -p helper && cat >helper/hubconf.py <<-\EOF &&
	from lib import thing
	def fine():
	    """Fine."""
	EOF
	printf "def thing(:\n    x = \"\n" >helper/lib.py &&
	hub list helper >out 2>err &&
	echo fine >expect &&
	test_cmp expect out &&
	test_grep "lib.py:2: unterminated string literal" err
'

test_expect_success 'a huge file: cost linear, answered quickly' '
	"$HUB_TEST_PYTHON" -c "
import os
os.makedirs(\"huge\", exist_ok=True)
with open(\"huge/hubconf.py\", \"w\") as f:
    for i in range(40000):
        f.write(\"def entry_%d(a, b=(1, [2, {3: 4}])):\n    \x27\x27\x27Doc %d.\x27\x27\x27\n    return f\x27{a}{b!r:>{10}}\x27\n\n\" % (i, i))
" &&
	hub list huge >out &&
	test_line_count = 40000 out &&
	hub help --raw huge entry_39999 >out &&
	echo "Doc 39999." >expect &&
	test_cmp expect out
'
test_done
