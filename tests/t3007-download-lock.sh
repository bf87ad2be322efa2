#!/bin/sh
test_description='hub download --lock FILE and --locked FILE: reproducible CI'
. "$(dirname "$0")/lib.sh"
. "$TEST_DIRECTORY/lib-server.sh"

test_expect_success 'setup: a branch, a tag, a weight file' '
	mkdir -p src/sub w &&
	echo "def model(): pass" >src/hubconf.py &&
	echo "first" >src/sub/data.txt &&
	printf "#!/bin/sh\n" >src/run.sh && chmod +x src/run.sh &&
	fixture_repo alice proj main "$TRASH/src" >sha &&
	fixture_ref alice proj refs/tags/v1 "$(cat sha)" &&
	cp -R src old &&
	head -c 70000 /dev/urandom >w/model-1234abcd.pth &&
	fixture_weight local m/model-1234abcd.pth w/model-1234abcd.pth
'
sha=$(cat "$TRASH/sha")
start_server || exit 1
use_base_urls
url=$(server_url weights m/model-1234abcd.pth)
wsha=$(sha256sum "$TRASH/w/model-1234abcd.pth" | cut -d" " -f1)

test_expect_success '--lock writes each SPEC with its commit, each weight with size and SHA-256' '
	hub download --lock hub.lock alice/proj:v1 alice/proj "$url" >out 2>err &&
	test_grep "lock: hub.lock (2 repositories, 1 checkpoints)" err &&
	cat >expect <<-EOF &&
	{
	"format": "hub-lock",
	"version": 1,
	"repositories": [
	  {"cache_name":"alice_proj_main","commit":"$sha","name":"proj","owner":"alice","ref":"main","spec":"alice/proj:main"},
	  {"cache_name":"alice_proj_v1","commit":"$sha","name":"proj","owner":"alice","ref":"v1","spec":"alice/proj:v1"}
	],
	"checkpoints": [
	  {"name":"model-1234abcd.pth","sha256":"$wsha","size":70000,"url":"$url"}
	]
	}
	EOF
	test_cmp expect hub.lock &&
	/usr/bin/python3 -c "import json, sys; json.load(open(sys.argv[1]))" hub.lock
'

test_expect_success 'locking the same state again writes the same bytes' '
	hub download --lock again.lock alice/proj "$url" alice/proj:v1 >out 2>err &&
	test_cmp hub.lock again.lock
'

test_expect_success '--locked on a warm cache opens no connection, twice' '
	server_reset_log &&
	hub download --locked hub.lock >out 2>err &&
	printf "%s\n" "$TORCH_HOME/hub/alice_proj_main" "$TORCH_HOME/hub/alice_proj_v1" \
		"$TORCH_HOME/hub/checkpoints/model-1234abcd.pth" >expect &&
	test_cmp expect out &&
	hub download --locked hub.lock >out 2>err &&
	test_cmp expect out &&
	test "$(server_request_count .)" = 0 &&
	hub download --offline --locked hub.lock >out &&
	test_cmp expect out
'

test_expect_success 'the branch moves on GitHub' '
	echo "second" >src/sub/data.txt &&
	echo "def model(): return 2" >src/hubconf.py &&
	fixture_repo alice proj main "$TRASH/src" >new_sha &&
	! test "$(cat new_sha)" = "$sha"
'

test_expect_success '--locked on a fresh machine: the locked tree, byte for byte, without the API' '
	set_ratelimit 0 &&
	server_reset_log &&
	TORCH_HOME=$TRASH/fresh hub download --locked hub.lock >out 2>err &&
	diff -r old "$TRASH/fresh/hub/alice_proj_main" &&
	diff -r old "$TRASH/fresh/hub/alice_proj_v1" &&
	test -x "$TRASH/fresh/hub/alice_proj_main/run.sh" &&
	cmp w/model-1234abcd.pth "$TRASH/fresh/hub/checkpoints/model-1234abcd.pth" &&
	grep "^commit $sha\$" "$TRASH/fresh/hub/.hub/refs/alice_proj_main" &&
	test "$(server_count api)" = 0 &&
	test "$(server_count api_free)" = 0 &&
	test "$(server_request_count_where "path=^/alice/proj/tarball/$sha$" status=302)" = 2 &&
	set_ratelimit 60
'

test_expect_success '--locked kept the answers of list: the first list reads them back, offline' '
	TORCH_HOME=$TRASH/fresh hub --offline -v list alice/proj:v1 >out 2>err &&
	test_grep "scan: .*/alice_proj_v1: reused" err &&
	echo model >expect-list &&
	test_cmp expect-list out
'

test_expect_success 'torch.hub would find it where it looks, trusted' '
	test -f "$TRASH/fresh/hub/alice_proj_main/hubconf.py" &&
	! test -e "$TRASH/fresh/hub/alice_proj_main/.hub"
'

test_expect_success 'a folder moved past the lock (--update) is swapped back to the locked commit' '
	hub download --update alice/proj:main >out 2>err &&
	test_grep "updated from" err &&
	test_cmp src/hubconf.py "$TORCH_HOME/hub/alice_proj_main/hubconf.py" &&
	server_reset_log &&
	hub download --locked hub.lock >out 2>err &&
	diff -r old "$TORCH_HOME/hub/alice_proj_main" &&
	grep "^commit $sha\$" "$TORCH_HOME/hub/.hub/refs/alice_proj_main" &&
	test "$(server_count api)" = 0 &&
	test "$(server_count codeload)" = 1 &&
	test -z "$(ls "$TORCH_HOME/hub/.hub/tmp")"
'

snapshot () {
	(cd "$1" && find . -print | LC_ALL=C sort && cat .hub/refs/* 2>/dev/null) >"$2"
}

test_expect_success 'a lock naming a commit that does not exist: exit 6 naming the entry, cache as it was' '
	hub download --update alice/proj:main >out 2>err &&
	snapshot "$TORCH_HOME/hub" before &&
	bad=0123456789abcdef0123456789abcdef01234567 &&
	sed "s/\"commit\":\"$sha\",\"name\":\"proj\",\"owner\":\"alice\",\"ref\":\"main\"/\"commit\":\"$bad\",\"name\":\"proj\",\"owner\":\"alice\",\"ref\":\"main\"/" \
		hub.lock >bad.lock &&
	test_grep "$bad" bad.lock &&
	test_must_fail status=6 hub download --locked bad.lock >out 2>err &&
	test_grep "alice/proj:main: commit $bad, which the lock names, is not on" err &&
	test_grep "bad.lock: refused; the cache is as it was" err &&
	snapshot "$TORCH_HOME/hub" after &&
	test_cmp before after &&
	test_cmp src/hubconf.py "$TORCH_HOME/hub/alice_proj_main/hubconf.py"
'

test_expect_success 'the same on a fresh machine: no folder at all, not even the good entry' '
	(TORCH_HOME=$TRASH/fresh2 && export TORCH_HOME &&
	 test_must_fail status=6 hub download --locked bad.lock 2>err) &&
	test_grep "alice/proj:v1: not fetched, as another entry failed" err &&
	! test -e "$TRASH/fresh2/hub/alice_proj_v1" &&
	! test -e "$TRASH/fresh2/hub/alice_proj_main" &&
	! test -e "$TRASH/fresh2/hub/checkpoints/model-1234abcd.pth"
'

test_expect_success 'a weight whose bytes differ upstream: exit 6 naming it, nothing published' '
	head -c 70000 /dev/urandom >w/changed.pth &&
	fixture_weight local m/model-1234abcd.pth w/changed.pth &&
	(TORCH_HOME=$TRASH/fresh3 && export TORCH_HOME &&
	 test_must_fail status=6 hub download --locked hub.lock >out 2>err) &&
	test_grep "model-1234abcd.pth: hash mismatch: expected $wsha" err &&
	test_grep "hub.lock: refused; the cache is as it was" err &&
	! test -e "$TRASH/fresh3/hub/checkpoints/model-1234abcd.pth" &&
	! test -e "$TRASH/fresh3/hub/alice_proj_main" &&
	! test -e "$TRASH/fresh3/hub/alice_proj_v1" &&
	test -z "$(ls "$TRASH/fresh3/hub/.hub/tmp")" &&
	test -z "$(ls "$TRASH/fresh3/hub/.hub/partial" 2>/dev/null)"
'

test_expect_success 'a local checkpoint that differs is fetched again; bad bytes never replace it' '
	cp "$TORCH_HOME/hub/checkpoints/model-1234abcd.pth" good.pth &&
	echo damaged >"$TORCH_HOME/hub/checkpoints/model-1234abcd.pth" &&
	hub download --update alice/proj:main >out 2>err &&
	snapshot "$TORCH_HOME/hub" before &&
	test_must_fail status=6 hub download --locked hub.lock >out 2>err &&
	test_grep "model-1234abcd.pth: hash mismatch" err &&
	snapshot "$TORCH_HOME/hub" after &&
	test_cmp before after &&
	test_cmp src/hubconf.py "$TORCH_HOME/hub/alice_proj_main/hubconf.py" &&
	echo damaged >expect &&
	test_cmp expect "$TORCH_HOME/hub/checkpoints/model-1234abcd.pth" &&
	fixture_weight local m/model-1234abcd.pth w/model-1234abcd.pth &&
	hub download --locked hub.lock >out 2>err &&
	cmp good.pth "$TORCH_HOME/hub/checkpoints/model-1234abcd.pth"
'

test_expect_success 'a malformed entry is refused naming it, before any request' '
	server_reset_log &&
	sed "s/\"commit\":\"$sha\",\"name\":\"proj\",\"owner\":\"alice\",\"ref\":\"v1\"/\"commit\":\"xyz\",\"name\":\"proj\",\"owner\":\"alice\",\"ref\":\"v1\"/" \
		hub.lock >short.lock &&
	test_must_fail status=6 hub download --locked short.lock 2>err &&
	test_grep "short.lock: alice/proj:v1: the commit is not 40 hex digits" err &&
	sed "s/\"name\":\"model-1234abcd.pth\"/\"name\":\"..\/escape.pth\"/" hub.lock >escape.lock &&
	test_must_fail status=6 hub download --locked escape.lock 2>err &&
	test_grep "checkpoint entry 1: no plain file name" err &&
	echo "{}" >empty.lock &&
	test_must_fail status=6 hub download --locked empty.lock 2>err &&
	test_grep "not a hub lock file" err &&
	test "$(server_request_count .)" = 0
'

test_expect_success 'usage: --locked takes no operands; --lock takes no local directory' '
	test_must_fail status=2 hub download --locked hub.lock alice/proj:main 2>err &&
	mkdir local && echo "def m(): pass" >local/hubconf.py &&
	test_must_fail status=2 hub download --lock l.lock ./local 2>err &&
	test_grep "local directory" err &&
	! test -e l.lock
'

test_expect_success '--lock with --weights locks the weights its entrypoint names' '
	mkdir wsrc &&
	printf "URL = \"%s\"\ndef model():\n    return URL\n" "$url" >wsrc/hubconf.py &&
	fixture_repo alice wts main "$TRASH/wsrc" >wts_sha &&
	hub download --lock w.lock --weights alice/wts:main >out 2>err &&
	grep "^  {\"cache_name\":\"alice_wts_main\",\"commit\":\"$(cat wts_sha)\"" w.lock &&
	grep "^  {\"name\":\"model-1234abcd.pth\",\"sha256\":\"$wsha\",\"size\":70000,\"url\":\"$url\"}\$" w.lock
'

test_expect_success 'a bundle manifest reads as a lock file (one format)' '
	hub download --bundle b.tar alice/proj:v1 "$url" >out 2>err &&
	tar -xf b.tar hub-bundle/manifest.json &&
	grep "^  {\"cache_name\":\"alice_proj_v1\",\"commit\":\"$sha\"" hub-bundle/manifest.json &&
	server_reset_log &&
	TORCH_HOME=$TRASH/fresh4 hub download --locked hub-bundle/manifest.json >out 2>err &&
	diff -r old "$TRASH/fresh4/hub/alice_proj_v1" &&
	cmp w/model-1234abcd.pth "$TRASH/fresh4/hub/checkpoints/model-1234abcd.pth" &&
	test "$(server_count api)" = 0
'

test_done
