#!/bin/sh
test_description='hub download owner/name:ref through base URLs and the proxy'
. "$(dirname "$0")/lib.sh"
. "$TEST_DIRECTORY/lib-server.sh"

# BearSSL (curl's backend here) cannot verify a certificate for an IP
# address: reach the loopback server by name.
use_names () {
	use_base_urls &&
	HUB_GITHUB_URL=https://localhost:$HUB_TEST_HTTPS_PORT/gh &&
	HUB_GITHUB_API_URL=https://localhost:$HUB_TEST_HTTPS_PORT/api &&
	export HUB_GITHUB_URL HUB_GITHUB_API_URL
}

test_expect_success 'setup: a repository with a branch, a tag and a slashed branch' '
	mkdir -p src/sub &&
	printf "dependencies = []\ndef model(): pass\n" >src/hubconf.py &&
	printf "hello\n" >src/sub/f.txt &&
	printf "#!/bin/sh\necho run\n" >src/run.sh && chmod +x src/run.sh &&
	fixture_repo alice proj main "$TRASH/src" >sha &&
	fixture_ref alice proj refs/tags/v1.0 "$(cat sha)" &&
	fixture_ref alice proj release/1.0 "$(cat sha)"
'
sha=$(cat "$TRASH/sha")
start_server || exit 1
use_names

test_expect_success 'download through the base URLs' '
	use_names &&
	hub download alice/proj:main >out 2>err &&
	echo "$TORCH_HOME/hub/alice_proj_main" >expect &&
	test_cmp expect out &&
	test_cmp src/hubconf.py "$TORCH_HOME/hub/alice_proj_main/hubconf.py" &&
	test_cmp src/sub/f.txt "$TORCH_HOME/hub/alice_proj_main/sub/f.txt" &&
	test -x "$TORCH_HOME/hub/alice_proj_main/run.sh"
'

test_expect_success 'download keeps the answers of list and help: the first list reads them back' '
	hub -v list alice/proj:main >out 2>err &&
	test_grep "scan: .*/alice_proj_main: reused" err &&
	echo model >expect-list &&
	test_cmp expect-list out
'

test_expect_success 'the archive went through the web tarball and codeload' '
	test "$(server_request_count_where host=^github.com$ "path=^/alice/proj/tarball/main$" status=302)" = 1 &&
	test "$(server_request_count_where host=^codeload.github.com$ "path=legacy.tar.gz/main$" status=200)" = 1
'

test_expect_success 'the commit is recorded under .hub/refs' '
	grep "^commit $sha\$" "$TORCH_HOME/hub/.hub/refs/alice_proj_main" &&
	grep "^fetched 20" "$TORCH_HOME/hub/.hub/refs/alice_proj_main"
'

test_expect_success 'nothing is left in the temporary folder' '
	test -z "$(ls "$TORCH_HOME/hub/.hub/tmp")"
'

test_expect_success 'a cached ref needs no request at all' '
	server_reset_log &&
	hub download alice/proj:main >out &&
	test_cmp expect out &&
	test "$(server_request_count .)" = 0
'

test_expect_success 'download through the proxy (real host names)' '
	use_proxy &&
	server_reset_log &&
	hub download alice/proj:v1.0 >out &&
	echo "$TORCH_HOME/hub/alice_proj_v1.0" >expect &&
	test_cmp expect out &&
	test_cmp src/hubconf.py "$TORCH_HOME/hub/alice_proj_v1.0/hubconf.py" &&
	test "$(server_request_count_where host=^codeload.github.com$ proxy=github.com:443)" = 1
'

test_expect_success 'HTTPS_PROXY in upper case works too' '
	use_proxy &&
	HTTPS_PROXY=$https_proxy && export HTTPS_PROXY && unset https_proxy http_proxy &&
	server_reset_log &&
	hub download alice/proj:refs/tags/v1.0 >out &&
	echo "$TORCH_HOME/hub/alice_proj_refs_tags_v1.0" >expect &&
	test_cmp expect out &&
	test "$(server_request_count_where listener=https proxy=.)" -ge 1
'

test_expect_success 'a ref with a slash gives torch.hub'"'"'s folder name' '
	use_names &&
	hub download alice/proj:release/1.0 >out &&
	echo "$TORCH_HOME/hub/alice_proj_release_1.0" >expect &&
	test_cmp expect out &&
	test -f "$TORCH_HOME/hub/alice_proj_release_1.0/hubconf.py"
'

test_expect_success 'several specs print their folders in the order given' '
	use_names &&
	fixture_repo bob other main "$TRASH/src" >/dev/null &&
	hub download bob/other:main alice/proj:main ./src >out &&
	printf "%s\n" "$TORCH_HOME/hub/bob_other_main" "$TORCH_HOME/hub/alice_proj_main" \
		"$TRASH/src" >expect &&
	test_cmp expect out
'

test_expect_success 'no ref: main when tree/main exists, without the API' '
	use_names &&
	server_reset_log &&
	fixture_repo carol nomain master "$TRASH/src" >/dev/null &&
	hub download carol/nomain >out &&
	echo "$TORCH_HOME/hub/carol_nomain_master" >expect &&
	test_cmp expect out &&
	test "$(server_request_count_where "path=^/carol/nomain/tree/main/$" status=404)" = 1 &&
	hub download alice/proj >out &&
	echo "$TORCH_HOME/hub/alice_proj_main" >expect &&
	test_cmp expect out
'

test_expect_success 'no ref with a cached main or master needs no network' '
	server_reset_log &&
	hub download carol/nomain alice/proj >out &&
	printf "%s\n" "$TORCH_HOME/hub/carol_nomain_master" "$TORCH_HOME/hub/alice_proj_main" >expect &&
	test_cmp expect out &&
	test "$(server_request_count .)" = 0
'

test_done
