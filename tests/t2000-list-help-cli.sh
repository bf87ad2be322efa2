#!/bin/sh
test_description='hub list SPEC and hub help SPEC [ENTRY]: options, outputs, exit codes'
. "$(dirname "$0")/lib.sh"

basic=$TEST_DIRECTORY/data/hubconf/basic

test_expect_success 'hub list DIR: names, one a line, nothing on stderr' '
	hub list "$basic" >out 2>err &&
	test_cmp "$basic.expected/list" out &&
	test_must_be_empty err
'

test_expect_success 'a relative DIR and a DIR given with ./ work too' '
	cp -r "$basic" repo &&
	hub list ./repo >out &&
	test_cmp "$basic.expected/list" out &&
	(cd repo && hub list . >../out2) &&
	test_cmp out out2
'

test_expect_success 'busybox style: hub-list and hub-help' '
	ln -s "$HUB_BIN" hub-list &&
	ln -s "$HUB_BIN" hub-help &&
	./hub-list "$basic" >out &&
	test_cmp "$basic.expected/list" out &&
	./hub-help --raw "$basic" model_a >out &&
	sed -n "/^=== model_a$/,/^=== /p" "$basic.expected/raw" | sed "1d;\$d" >expect &&
	test_cmp expect out
'

test_expect_success 'hub help SPEC ENTRY: signature, definition, cleaned docstring' '
	hub help "$basic" model_a >out &&
	cat >expect <<-\EOT &&
	model_a(pretrained=False, **kwargs)
	defined at hubconf.py:8

	Build model A.

	Args:
	    pretrained: load weights.
	EOT
	test_cmp expect out
'

test_expect_success 'a class: the signature of its __init__ without self' '
	hub help "$basic" Net >out &&
	head -n 2 out >actual &&
	printf "Net(depth, width=64, *, name=%s) -> None\ndefined at hubconf.py:21\n" "'"'net'"'" >expect &&
	test_cmp expect actual
'

test_expect_success 'no docstring: said on stderr, exit 0' '
	hub help "$basic" no_doc >out 2>err &&
	printf "no_doc(x, y)\ndefined at hubconf.py:39\n" >expect &&
	test_cmp expect out &&
	echo "hub: '"'no_doc'"' has no docstring" >expect &&
	test_cmp expect err &&
	hub help --raw "$basic" no_doc >out 2>err &&
	test_must_be_empty out &&
	test_cmp expect err &&
	hub -q help "$basic" no_doc >out 2>err &&
	test_must_be_empty err
'

test_expect_success 'a private callable: not listed, but help finds it, as torch.hub.help does' '
	! grep -x _hidden "$basic.expected/list" &&
	hub help --raw "$basic" _hidden >out &&
	echo "Private: not listed, but help finds it." >expect &&
	test_cmp expect out
'

test_expect_success 'an unknown entry: not found (5), with the closest names' '
	test_must_fail status=5 hub help "$basic" model_b 2>err &&
	test_line_count = 1 err &&
	test_grep "hub: help: '"'model_b'"' is not an entrypoint of .*; did you mean '"'model_a'"'" err &&
	test_must_fail status=5 hub help "$basic" zzzzzzzzzzzzzzzz 2>err &&
	test_grep "(see '"'hub list"'" err
'

test_expect_success 'a name that is bound but not callable is not an entry' '
	test_must_fail status=5 hub help "$basic" CONSTANT 2>err &&
	test_grep "is not an entrypoint" err &&
	test_must_fail status=5 hub help "$basic" dependencies 2>err
'

test_expect_success 'hub help SPEC: every entrypoint with its summary line' '
	hub help "$basic" >out &&
	cat >expect <<-\EOT &&
	Net                   A network.
	Plain
	decorated             Decorated once.
	fetch_weights         Fetch weights asynchronously.
	model_a               Build model A.
	multi_line_signature  Signature over several lines.
	no_doc
	spread_decorator      Decorator spanning lines.
	EOT
	test_cmp expect out
'

test_expect_success '--json list: names, kinds, definitions, summaries, dependencies' '
	hub --json list "$basic" >out.json &&
	"$HUB_TEST_PYTHON" -c "
import json, sys
d = json.load(open(\"out.json\"))
assert d[\"dependencies\"] == [\"torch\", \"numpy\"], d[\"dependencies\"]
assert d[\"warnings\"] == []
e = {x[\"name\"]: x for x in d[\"entrypoints\"]}
assert [x[\"name\"] for x in d[\"entrypoints\"]] == open(sys.argv[1]).read().split()
assert e[\"Net\"] == {\"name\": \"Net\", \"kind\": \"class\", \"defined\": \"hubconf.py:21\", \"summary\": \"A network.\"}, e[\"Net\"]
assert e[\"model_a\"][\"kind\"] == \"function\"
assert e[\"fetch_weights\"][\"kind\"] == \"function\"
assert e[\"no_doc\"][\"summary\"] is None
" "$basic.expected/list"
'

test_expect_success '--json help ENTRY: signature, raw and cleaned docstring' '
	hub help --json "$basic" Net >out.json &&
	"$HUB_TEST_PYTHON" -c "
import json, inspect
d = json.load(open(\"out.json\"))
assert d[\"signature\"] == \"Net(depth, width=64, *, name=\x27net\x27) -> None\", d
assert d[\"doc\"].startswith(\"A network.\n\n        Indented\")
assert d[\"cleandoc\"] == inspect.cleandoc(d[\"doc\"])
assert d[\"kind\"] == \"class\" and d[\"defined\"] == \"hubconf.py:21\"
"
'

test_expect_success 'aliases and partials are kind alias, lambdas are functions' '
	hub --json list "$TEST_DIRECTORY/data/hubconf/aliases" >out.json 2>/dev/null &&
	"$HUB_TEST_PYTHON" -c "
import json
e = {x[\"name\"]: x for x in json.load(open(\"out.json\"))[\"entrypoints\"]}
assert e[\"alias\"][\"kind\"] == \"alias\" and e[\"alias\"][\"defined\"] == \"impl.py:1\", e[\"alias\"]
assert e[\"partial_entry\"][\"kind\"] == \"alias\"
assert e[\"lambda_entry\"][\"kind\"] == \"function\"
assert e[\"target\"][\"kind\"] == \"imported\"
"
'

test_expect_success '--python names the interpreter whose library path list and help read' '
	cat >fake-python <<-EOF &&
	#!/bin/sh
	echo asked >>"$TRASH/asked"
	printf "%s" "$TRASH"
	EOF
	chmod +x fake-python &&
	hub list --python ./fake-python "$basic" >out &&
	test_grep -x model_a out &&
	test_line_count = 1 asked &&
	hub help --python "$TRASH/fake-python" "$basic" model_a >out &&
	test_grep "^model_a(" out &&
	test_line_count = 1 asked &&
	test_must_fail status=5 hub list --python ./no-such-python "$basic" 2>err &&
	test_grep "^hub: list: --python: cannot run" err &&
	test_must_fail status=5 hub help --python /no/python "$basic" model_a 2>err &&
	test_grep "^hub: help: --python: cannot run" err
'

test_expect_success 'torch.hub options are accepted for local directories' '
	hub list --force-reload --skip-validation --trust-repo "$basic" >out &&
	test_cmp "$basic.expected/list" out &&
	hub list --trust-repo=check "$basic" >out &&
	hub help --no-trust-repo "$basic" model_a >out
'

test_expect_success 'usage errors (2)' '
	test_must_fail status=2 hub list "$basic" extra 2>err &&
	test_grep "too many arguments" err &&
	test_must_fail status=2 hub help "$basic" model_a extra 2>err &&
	test_must_fail status=2 hub help --raw "$basic" 2>err &&
	test_grep "raw needs an ENTRY" err &&
	test_must_fail status=2 hub list --trust-repo=yes "$basic" 2>err &&
	test_must_fail status=2 hub list --trust-repo --no-trust-repo "$basic" 2>err &&
	test_must_fail status=2 hub list --bogus "$basic" 2>err
'

test_expect_success 'a directory without hubconf.py, or none at all: not found (5)' '
	mkdir empty &&
	test_must_fail status=5 hub list ./empty 2>err &&
	test_grep "no hubconf.py" err &&
	test_must_fail status=5 hub help ./missing model_a 2>err &&
	test_grep "no such directory" err
'

test_expect_success 'hub help with no argument and with a command name, as before' '
	hub help >out &&
	test_grep "^usage: hub" out &&
	hub help list >out &&
	hub list --help >expect &&
	test_cmp expect out &&
	test_grep -e "--exact" out &&
	hub help help >out &&
	test_grep -e "--raw" out
'

test_expect_success 'a directory named like a command is reached as ./NAME' '
	cp -r "$basic" list &&
	hub help ./list model_a >out &&
	test_grep "^model_a(pretrained=False" out
'
test_done
