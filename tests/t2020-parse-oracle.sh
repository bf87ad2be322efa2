#!/bin/sh
test_description='the parser against Python: py_tree_dump equals ast.dump(ast.parse()) file by file'
. "$(dirname "$0")/lib.sh"

# Python's side, for a list of files on stdin: one line per file, the
# ast.dump of the tree, or "error: FILE:LINE: reason" for a SyntaxError.
# With --parsed, files Python refuses are left out of the list it writes
# to $2 and of the dumps (the stdlib holds a few files that are meant to
# fail, such as lib2to3's test data).
: "${HUB_TOOL_DIR:=$TOP_DIRECTORY/build/gnu/tools}"
pydump=$HUB_TOOL_DIR/pydump

oracle() {
	"$HUB_TEST_PYTHON" -c '
import ast, sys, warnings
warnings.simplefilter("ignore")
parsed = sys.argv[1] == "--parsed"
keep = open(sys.argv[2], "w") if parsed else None
for path in sys.stdin.read().splitlines():
    try:
        source = open(path, encoding="utf-8").read()
        line = ast.dump(ast.parse(source))
    except SyntaxError as e:
        if parsed:
            continue
        line = "error: %s:%s: %s" % (path, e.lineno, e.msg)
    except (UnicodeDecodeError, ValueError):
        if parsed:
            continue
        raise
    if keep:
        keep.write(path + "\n")
    print(line)
' "$@"
}

# The same with positions: after each class name that ast gives
# lineno and end positions, "@LINE:START-END" in byte offsets of the
# source ("@...:" before a Constant), as pydump --positions prints them;
# none inside f-strings.
positions_oracle() {
	"$HUB_TEST_PYTHON" -c '
import ast, sys, warnings
warnings.simplefilter("ignore")

def fmt(node, starts, inside):
    if isinstance(node, list):
        return "[%s]" % ", ".join(fmt(x, starts, inside) for x in node)
    if not isinstance(node, ast.AST):
        return repr(node)
    cls = type(node)
    args = []
    for name in node._fields:
        value = getattr(node, name, None)
        if value is None and getattr(cls, name, ...) is None:
            continue
        args.append("%s=%s" % (name, fmt(value, starts, inside or isinstance(node, ast.JoinedStr))))
    pos = ""
    if not inside and "lineno" in cls._attributes:
        pos = "@%d:%d-%d" % (node.lineno, starts[node.lineno - 1] + node.col_offset,
                             starts[node.end_lineno - 1] + node.end_col_offset)
    if isinstance(node, ast.Constant):
        return (pos + ":" if pos else "") + "Constant(%s)" % ", ".join(args)
    return "%s%s(%s)" % (cls.__name__, pos, ", ".join(args))

for path in sys.stdin.read().splitlines():
    source = open(path, encoding="utf-8").read()
    data = source.encode("utf-8", "surrogatepass")
    starts = [0] + [i + 1 for i, c in enumerate(data) if c == 10]
    print(fmt(ast.parse(source), starts, False))
'
}

# Compares hub's dumps with Python's for the files listed in $1 and says
# how many agree; the test fails on the first disagreement.
compare() {
	"$pydump" ${2-} - <"$1" >"$1.hub" &&
	paste -d "\n" "$1" "$1.python" "$1.hub" | awk -v list="$1" '
		NR % 3 == 1 { path = $0 }
		NR % 3 == 2 { want = $0 }
		NR % 3 == 0 { files++; if ($0 == want) same++; else if (!bad) bad = path }
		END {
			printf "# %s: %d files compared, %d equal\n", list, files, same
			if (bad) { print "first difference: " bad > "/dev/stderr"; exit 1 }
			if (!files) { print "no files" > "/dev/stderr"; exit 1 }
		}' &&
	test_cmp "$1.python" "$1.hub"
}

tarball=$TOP_DIRECTORY/build/src/pytorch-vision_0.14.1.orig.tar.gz
test_expect_success 'setup: the tools and the vision tree' '
	test -x "$pydump" &&
	test -f "$tarball" &&
	mkdir vision &&
	tar -xzf "$tarball" -C vision &&
	find vision -name "*.py" | sort >vision.list &&
	test $(wc -l <vision.list) -gt 200
'

test_expect_success 'every .py of pytorch/vision 0.14.1' '
	oracle --all <vision.list >vision.list.python &&
	compare vision.list >vision.count &&
	cat vision.count >&3
' 3>&1

test_expect_success 'every .py of Python 3.11 itself that it parses' '
	find /usr/lib/python3.11 -name "*.py" | sort >all.list &&
	oracle --parsed stdlib.list <all.list >stdlib.list.python &&
	test $(wc -l <stdlib.list) -gt 500 &&
	compare stdlib.list >stdlib.count &&
	cat stdlib.count >&3
' 3>&1

test_expect_success 'the fixtures: every construct of the 3.11 grammar' '
	ls "$TEST_DIRECTORY"/data/parse/*.py >fixtures.list &&
	oracle --parsed fixtures.ok <fixtures.list >fixtures.list.python &&
	test_cmp fixtures.list fixtures.ok &&
	compare fixtures.list >fixtures.count &&
	cat fixtures.count >&3
' 3>&1

test_expect_success 'node positions equal ast lineno and end positions (vision, stdlib, fixtures)' '
	cat vision.list stdlib.list fixtures.list >positions.list &&
	positions_oracle <positions.list >positions.list.python &&
	compare positions.list --positions >positions.count &&
	cat positions.count >&3
' 3>&1

# Each file holds one error Python 3.11 refuses; hub must refuse it with
# the parser status (1) and "FILE:LINE: reason" at the line Python names.
test_expect_success 'syntax errors: exit 1, one line, the line Python names' '
	ls "$TEST_DIRECTORY"/data/parse/errors/*.py >errors.list &&
	test $(wc -l <errors.list) -gt 100 &&
	oracle --all <errors.list >errors.python &&
	! grep -v "^error: " errors.python &&
	checked=0 &&
	while read -r file; do
		test_must_fail status=1 "$pydump" --check "$file" >out 2>err &&
		test_must_be_empty out &&
		test_line_count = 1 err &&
		want=$(grep -F "error: $file:" errors.python | cut -d: -f3) &&
		got=$(sed "s|^pydump: $file:||" err | cut -d: -f1) &&
		if test "$got" != "$want"; then
			echo "$file: hub says line $got, Python says line $want:" &&
			cat err && return 1
		fi &&
		checked=$((checked + 1)) || return 1
	done <errors.list &&
	echo "# errors: $checked files, every line as Python says" >&3
' 3>&1

test_done
