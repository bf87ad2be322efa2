#!/bin/sh
test_description='hub load on a local directory: arguments, errors, the interpreter'
. "$(dirname "$0")/lib.sh"

data=$TEST_DIRECTORY/data/load
export HUB_PYTHON="$HUB_TEST_PYTHON"

test_expect_success 'a plain object: its type on stdout, nothing on stderr' '
	hub load "$data/plain" echo >out 2>err &&
	echo Echo >expect &&
	test_cmp expect out &&
	test_must_be_empty err
'

test_expect_success 'arguments of every kind, literals or strings, order kept' '
	hub load --print "$data/plain" echo 1 2.5 True None x "'"'quoted'"'" "(224,224)" "[1,2]" \
		"'"'a=b'"'" weights=IMAGENET1K_V1 pretrained=True num_classes=10 scale=0.5 \
		"size=(224,224)" "name='"'quoted'"'" empty= "url=http://h/p?a=b" é=1 >out &&
	cat >expect <<-\EOF &&
	Echo(args=(1, 2.5, True, None, '"'x'"', '"'quoted'"', (224, 224), [1, 2], '"'a=b'"'), kwargs={'"'weights'"': '"'IMAGENET1K_V1'"', '"'pretrained'"': True, '"'num_classes'"': 10, '"'scale'"': 0.5, '"'size'"': (224, 224), '"'name'"': '"'quoted'"', '"'empty'"': '"''"', '"'url'"': '"'http://h/p?a=b'"', '"'é'"': 1})
	EOF
	test_cmp expect out
'

test_expect_success '"--" lets arguments begin with "-"' '
	hub load --print "$data/plain" echo -- -1 -x -0.5 "k=-2" >out &&
	echo "Echo(args=(-1, '"'-x'"', -0.5), kwargs={'"'k'"': -2})" >expect &&
	test_cmp expect out
'

test_expect_success 'a negative number before "--" is a usage error that says so' '
	test_must_fail status=2 hub load "$data/plain" echo -1 2>err &&
	test_line_count = 1 err &&
	test_grep "put arguments that begin with .-. after .--." err
'

# HUB_PYTHON cannot run: a usage error must come first, with no Python.
test_expect_success 'KEY that is not an identifier: usage error before anything runs' '
	for word in a-b=1 =1 1=2 a.b=1 lambda=1 "x y=1"; do
		test_must_fail status=2 env HUB_PYTHON=/nonexistent \
			"$HUB_BIN" load "$data/plain" echo "$word" 2>err &&
		test_line_count = 1 err &&
		test_grep "not KEY=VALUE with KEY a Python identifier, nor a Python literal" err ||
		return 1
	done
'

test_expect_success 'beyond ASCII, Python decides what an identifier is' '
	test_must_fail status=2 hub load "$data/plain" echo "€=1" 2>err &&
	test_line_count = 1 err &&
	test_grep "^hub: load: .€=1.: not KEY=VALUE" err &&
	hub load --print "$data/plain" echo "café=1" >out &&
	test_grep "{.café.: 1}" out
'

test_expect_success 'a positional after KEY=VALUE, or a KEY twice, is a usage error' '
	test_must_fail status=2 hub load "$data/plain" echo k=1 2 2>err &&
	test_grep "^hub: load: .2.: positional argument follows keyword argument$" err &&
	test_must_fail status=2 hub load "$data/plain" echo k=1 k=2 2>err &&
	test_grep "^hub: load: keyword argument repeated: k$" err
'

test_expect_success 'a reader that leaves early is no failure, and no noise' '
	{ hub load "$data/plain" echo 2>err; echo $? >status; } | true &&
	echo 0 >expect && test_cmp expect status &&
	test_must_be_empty err
'

test_expect_success 'SPEC and ENTRY are required' '
	test_must_fail status=2 hub load "$data/plain" 2>err &&
	test_grep "expected SPEC ENTRY" err &&
	test_must_fail status=2 hub load 2>err &&
	test_must_fail status=2 hub load "$data/plain" "" 2>err &&
	test_grep "ENTRY name is empty" err
'

test_expect_success 'a directory without hubconf.py, or none at all' '
	mkdir empty &&
	test_must_fail status=5 hub load ./empty echo 2>err &&
	test_grep "no hubconf.py" err &&
	test_must_fail status=5 hub load ./nowhere echo 2>err &&
	test_grep "no such directory" err
'

test_expect_success 'missing dependencies: torch.hub'"'"'s message, in list order' '
	test_must_fail status=1 hub load "$data/missing-deps" model >out 2>err &&
	echo "hub: load: Missing dependencies: nonexistent_pkg_xyz, also_missing" >expect &&
	test_cmp expect err &&
	test_must_be_empty out
'

test_expect_success 'an unknown or not callable entry: torch.hub'"'"'s message, exit 5' '
	test_must_fail status=5 hub load "$data/plain" nope 2>err &&
	echo "hub: load: Cannot find callable nope in hubconf" >expect &&
	test_cmp expect err &&
	test_must_fail status=5 hub load "$data/plain" CONSTANT 2>err &&
	test_grep "Cannot find callable CONSTANT in hubconf" err
'

test_expect_success 'an entry that raises: Python'"'"'s traceback, from the repository on' '
	test_must_fail status=1 hub load "$data/plain" boom >out 2>err &&
	test_must_be_empty out &&
	head -n 2 err >first &&
	cat >expect <<-EOF &&
	Traceback (most recent call last):
	  File "$data/plain/hubconf.py", line 29, in boom
	EOF
	test_cmp expect first &&
	test_grep "in _inner" err &&
	tail -n 1 err >last &&
	echo "ValueError: entry failed on purpose" >expect &&
	test_cmp expect last &&
	test_grep ! "<string>" err &&
	test_grep ! "importlib" err
'

test_expect_success 'a hubconf.py that fails to import: no importlib frames either' '
	test_must_fail status=1 hub load "$data/broken" model 2>err &&
	sed -n 2p err >second &&
	echo "  File \"$data/broken/hubconf.py\", line 1, in <module>" >expect &&
	test_cmp expect second &&
	test_grep "helper.py\", line 2, in <module>" err &&
	test_grep "^ImportError: helper cannot be imported on purpose$" err &&
	test_grep ! "frozen" err &&
	test_grep ! "<string>" err
'

test_expect_success 'the exit status is Python'"'"'s: sys.exit(N) in the entry' '
	{ hub load "$data/plain" exit_with 3; test $? = 3; } &&
	{ hub load "$data/plain" exit_with 0 >out; test $? = 0; } &&
	test_must_be_empty out
'

test_expect_success 'the entry sees the repository first on sys.path, not the working directory' '
	cp "$data/plain/hubconf.py" ./hubconf.py &&
	hub load --print "$data/plain" state >out &&
	test_grep "'"'repo_first'"': '"'$data/plain'"'" out &&
	test_grep "'"'cwd_on_path'"': False" out &&
	test_grep "'"'argv'"': \['"'-c'"'\]" out &&
	test_grep "'"'name'"': '"'hubconf'"'" out
'

test_expect_success 'torch.hub.set_dir gets hub'"'"'s hub dir: TORCH_HOME, --dir, set-dir' '
	hub load --print "$data/plain" state >out &&
	test_grep "'"'hub_dir'"': '"'$TORCH_HOME/hub'"'" out &&
	hub --dir elsewhere load --print "$data/plain" state >out &&
	test_grep "'"'hub_dir'"': '"'$TRASH/elsewhere'"'" out &&
	hub set-dir "$TRASH/models" 2>/dev/null >/dev/null &&
	hub load --print "$data/plain" state >out &&
	hub set-dir --unset 2>/dev/null &&
	test_grep "'"'hub_dir'"': '"'$TRASH/models'"'" out
'

test_expect_success '--json describes the result' '
	hub --json load "$data/plain" echo >out &&
	echo "{\"type\": \"Echo\", \"module\": \"hubconf\"}" >expect &&
	test_cmp expect out &&
	test_must_fail status=2 hub --json load --print "$data/plain" echo 2>err &&
	test_grep "choose different outputs" err
'

test_expect_success 'no interpreter: HUB_PYTHON that does not exist' '
	test_must_fail status=5 env HUB_PYTHON=/nonexistent "$HUB_BIN" load "$data/plain" echo 2>err &&
	test_line_count = 1 err &&
	test_grep "^hub: load: HUB_PYTHON: cannot run ./nonexistent.: No such file or directory$" err
'

test_expect_success 'no interpreter: no python3 on PATH' '
	mkdir -p emptybin &&
	test_must_fail status=5 env -u HUB_PYTHON PATH="$TRASH/emptybin" \
		"$HUB_BIN" load "$data/plain" echo 2>err &&
	echo "hub: load: no python3 on PATH (set HUB_PYTHON or --python)" >expect &&
	test_cmp expect err
'

test_expect_success 'python3 is searched on PATH; --python wins over HUB_PYTHON' '
	mkdir -p pybin &&
	ln -s "$HUB_TEST_PYTHON" pybin/python3 &&
	ln -s "$HUB_TEST_PYTHON" pybin/snake &&
	env -u HUB_PYTHON PATH="$TRASH/pybin" "$HUB_BIN" load "$data/plain" echo >out &&
	echo Echo >expect && test_cmp expect out &&
	HUB_PYTHON= PATH="$TRASH/pybin" "$HUB_BIN" load "$data/plain" echo >out &&
	test_cmp expect out &&
	HUB_PYTHON=/nonexistent PATH="$TRASH/pybin" "$HUB_BIN" load --python snake "$data/plain" echo >out &&
	test_cmp expect out &&
	test_must_fail status=5 hub load --python no-such-python "$data/plain" echo 2>err &&
	test_grep "^hub: load: --python: no .no-such-python. on PATH$" err &&
	test_must_fail status=5 hub load --python "$data" "$data/plain" echo 2>err &&
	test_grep "cannot run" err
'

# Debian's torch lives in dist-packages, which -S (no site) leaves out.
test_expect_success 'an interpreter without torch: plain objects work, set_dir is skipped' '
	printf "#!/bin/sh\nexec %s -S \"\$@\"\n" "$HUB_TEST_PYTHON" >notorch &&
	chmod +x notorch &&
	test_must_fail ./notorch -c "import torch" 2>/dev/null &&
	HUB_PYTHON=$TRASH/notorch hub load --print "$data/plain" state >out &&
	test_grep "'"'hub_dir'"': None" out &&
	HUB_PYTHON=$TRASH/notorch hub load "$data/plain" echo >out &&
	echo Echo >expect && test_cmp expect out &&
	test_must_fail status=1 env HUB_PYTHON=$TRASH/notorch \
		"$HUB_BIN" load --save x.pt "$data/plain" echo 2>err &&
	test_grep "^hub: load: --save needs torch, which .* cannot import$" err &&
	! test -e x.pt
'

test_done
