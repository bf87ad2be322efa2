#!/bin/sh
test_description='CI fleets: no API request for a named ref, --update by conditional request, the API cost of each command'
. "$(dirname "$0")/lib.sh"
. "$TEST_DIRECTORY/lib-server.sh"

test_expect_success 'setup: a branch, a tag, a slashed branch, a branch-and-tag name' '
	mkdir src v2 other &&
	echo "def model(): pass" >src/hubconf.py &&
	echo "one" >src/data.txt &&
	fixture_repo alice proj main "$TRASH/src" >sha &&
	fixture_ref alice proj refs/tags/v1.0 "$(cat sha)" &&
	fixture_ref alice proj release/1.0 "$(cat sha)" &&
	echo "def model(): return 2" >v2/hubconf.py &&
	fixture_repo alice proj both "$TRASH/v2" >both_sha &&
	echo "def other(): pass" >other/hubconf.py &&
	fixture_repo alice proj refs/tags/both "$TRASH/other" >/dev/null
'
sha=$(cat "$TRASH/sha")
sha7=$(echo "$sha" | cut -c1-7)
start_server || exit 1
use_base_urls

test_expect_success 'twenty runners, three named refs each, own hub dirs: no API request at all' '
	set_ratelimit 0 &&
	server_reset_log &&
	i=0 && pids= &&
	while test $i -lt 20; do
		hub -q -d "$TRASH/runner$i" download alice/proj:main alice/proj:v1.0 \
			alice/proj:release/1.0 >out.$i 2>err.$i &
		pids="$pids $!" &&
		i=$((i + 1))
	done &&
	failed=0 &&
	for p in $pids; do wait $p || failed=$((failed + 1)); done &&
	test $failed = 0 &&
	i=0 &&
	while test $i -lt 20; do
		printf "%s\n" "$TRASH/runner$i/alice_proj_main" "$TRASH/runner$i/alice_proj_v1.0" \
			"$TRASH/runner$i/alice_proj_release_1.0" >expect &&
		test_cmp expect out.$i &&
		test_must_be_empty err.$i &&
		test_cmp src/hubconf.py "$TRASH/runner$i/alice_proj_release_1.0/hubconf.py" &&
		grep "^commit $sha\$" "$TRASH/runner$i/.hub/refs/alice_proj_v1.0" >/dev/null || return 1
		i=$((i + 1))
	done &&
	test "$(server_count api)" = 0 &&
	test "$(server_count api_free)" = 0 &&
	test "$(server_count codeload)" = 60 &&
	set_ratelimit 60
'

test_expect_success 'a name that is both a branch and a tag: the 300, then the branch, no API request' '
	server_reset_log &&
	hub download alice/proj:both >out &&
	test_cmp v2/hubconf.py "$TORCH_HOME/hub/alice_proj_both/hubconf.py" &&
	test "$(server_request_count_where "path=/alice/proj/tarball/both$" status=300)" = 1 &&
	grep "^archive refs/heads/both$" "$TORCH_HOME/hub/.hub/refs/alice_proj_both" &&
	grep "^kind branch$" "$TORCH_HOME/hub/.hub/refs/alice_proj_both" &&
	test "$(server_count api)" = 0
'

test_expect_success 'prepare: main, v1.0 and a commit id in the cache' '
	hub download alice/proj:main alice/proj:v1.0 alice/proj:refs/tags/v1.0 "alice/proj:$sha" >out
'

test_expect_success '--update on an unchanged branch: one conditional request, 304, no archive' '
	server_reset_log &&
	hub download --update alice/proj:main >out 2>err &&
	echo "$TORCH_HOME/hub/alice_proj_main" >expect &&
	test_cmp expect out &&
	echo "hub: alice/proj:main: up to date ($sha7)" >expect &&
	test_cmp expect err &&
	test "$(server_count api_304)" = 1 &&
	test "$(server_request_count_where host=^api.github.com$ "path=^/repos/alice/proj/commits/refs/heads/main$" "headers.if-none-match=^\"$sha\"$" status=304)" = 1 &&
	test "$(server_count codeload)" = 0 &&
	test "$(server_count web)" = 0
'

test_expect_success '--update with a token: the 304 is not counted against the rate limit' '
	server_reset_log &&
	GITHUB_TOKEN=tok hub download --update alice/proj:main >out 2>err &&
	test "$(server_count api_304)" = 1 &&
	test "$(server_count api)" = 0 &&
	test "$(server_count api_free)" = 1
'

test_expect_success '--update on a tag given by name: one request learns it is a tag, then none' '
	server_reset_log &&
	hub download --update alice/proj:v1.0 >out 2>err &&
	echo "hub: alice/proj:v1.0: a tag, never fetched again ($sha7)" >expect &&
	test_cmp expect err &&
	test "$(server_count api)" = 1 &&
	test "$(server_count codeload)" = 0 &&
	grep "^kind tag$" "$TORCH_HOME/hub/.hub/refs/alice_proj_v1.0" &&
	server_reset_log &&
	hub download --update alice/proj:v1.0 alice/proj:refs/tags/v1.0 "alice/proj:$sha" >out 2>err &&
	test_grep "v1.0: a tag, never fetched again" err &&
	test_grep "refs/tags/v1.0: a tag, never fetched again" err &&
	test_grep "$sha: a commit id, never fetched again" err &&
	test "$(server_request_count .)" = 0
'

test_expect_success '--update on a moved branch: one request, one archive, the folder swapped' '
	echo "def model(): return 3" >v2/hubconf.py &&
	fixture_repo alice proj main "$TRASH/v2" >new_sha &&
	new7=$(cut -c1-7 new_sha) &&
	server_reset_log &&
	hub download --update alice/proj:main >out 2>err &&
	echo "hub: alice/proj:main: updated from $sha7 to $new7" >expect &&
	test_cmp expect err &&
	test_cmp v2/hubconf.py "$TORCH_HOME/hub/alice_proj_main/hubconf.py" &&
	! test -e "$TORCH_HOME/hub/alice_proj_main/data.txt" &&
	grep "^commit $(cat new_sha)\$" "$TORCH_HOME/hub/.hub/refs/alice_proj_main" &&
	grep "^etag " "$TORCH_HOME/hub/.hub/refs/alice_proj_main" &&
	test "$(server_count api)" = 1 &&
	test "$(server_count codeload)" = 1 &&
	test -z "$(ls "$TORCH_HOME/hub/.hub/tmp")"
'

test_expect_success '--update again: the recorded ETag, a 304' '
	server_reset_log &&
	hub download --update alice/proj:main >out 2>err &&
	test_grep "up to date ($(cut -c1-7 new_sha))" err &&
	test "$(server_request_count_where "headers.if-none-match=$(cat new_sha)" status=304)" = 1 &&
	test "$(server_count codeload)" = 0
'

test_expect_success 'eight runners sharing one cache, --update after a move: one archive' '
	echo "def model(): return 4" >v2/hubconf.py &&
	fixture_repo alice proj main "$TRASH/v2" >moved_sha &&
	set_faults "[{\"match\": \"codeload\", \"action\": \"delay:0.5\"}]" &&
	server_reset_log &&
	i=0 && pids= &&
	while test $i -lt 8; do
		hub download --update alice/proj:main >up.$i 2>uperr.$i &
		pids="$pids $!" &&
		i=$((i + 1))
	done &&
	failed=0 &&
	for p in $pids; do wait $p || failed=$((failed + 1)); done &&
	clear_faults &&
	test $failed = 0 &&
	test "$(server_count codeload)" = 1 &&
	test "$(server_count api)" = 8 &&
	test "$(cat uperr.* | grep -c "updated from $(cut -c1-7 new_sha) to $(cut -c1-7 moved_sha)")" = 8 &&
	test_cmp v2/hubconf.py "$TORCH_HOME/hub/alice_proj_main/hubconf.py" &&
	new_sha=$(cat moved_sha) && echo "$new_sha" >new_sha
'

test_expect_success '--update on list and help too; -q silences the line' '
	fixture_repo alice proj main "$TRASH/src" >/dev/null &&
	server_reset_log &&
	hub list --update alice/proj:main >out 2>err &&
	echo model >expect &&
	test_cmp expect out &&
	test_grep "alice/proj:main: updated from $(cut -c1-7 new_sha) to $sha7" err &&
	hub -q help --update alice/proj:main model >out 2>err &&
	test_must_be_empty err &&
	test "$(server_count codeload)" = 1 &&
	test "$(server_count api_304)" = 1
'

test_expect_success '--update on the branch-and-tag name asks about the branch' '
	server_reset_log &&
	hub download --update alice/proj:both >out 2>err &&
	test_grep "up to date ($(cut -c1-7 both_sha))" err &&
	test "$(server_request_count_where "path=/commits/refs/heads/both$" status=304)" = 1
'

test_expect_success '--update offline: exit 7, no request' '
	server_reset_log &&
	test_must_fail status=7 hub download --offline --update alice/proj:main 2>err &&
	test_grep "update needs the network" err &&
	test "$(server_request_count .)" = 0
'

test_expect_success '--update of a folder torch.hub fetched (no record): fetched once, recorded' '
	mkdir -p "$TORCH_HOME/hub/alice_proj_release_1.0" &&
	echo stale >"$TORCH_HOME/hub/alice_proj_release_1.0/hubconf.py" &&
	server_reset_log &&
	hub download --update alice/proj:release/1.0 >out 2>err &&
	test_grep "updated from unknown to $sha7" err &&
	test_cmp src/hubconf.py "$TORCH_HOME/hub/alice_proj_release_1.0/hubconf.py" &&
	test "$(server_count codeload)" = 1
'

# The request table of the man page (API REQUESTS): counted here, so the
# page cannot drift from the code. Anonymous; "api" is what the REST API's
# 60 an hour counts.
cost () {
	server_reset_log &&
	"$@" >/dev/null 2>&1 &&
	echo "$(server_count api) $(server_count web) $(server_count codeload)"
}

test_expect_success 'the API cost of each command, cold and cached (api web codeload)' '
	rm -rf "$TORCH_HOME/hub" &&
	test "$(cost hub download alice/proj)" = "0 2 1" &&
	test "$(cost hub download alice/proj)" = "0 0 0" &&
	test "$(cost hub list alice/proj:main)" = "0 0 0" &&
	test "$(cost hub download alice/proj:release/1.0)" = "0 1 1" &&
	test "$(cost hub help alice/proj:v1.0 model)" = "0 1 1" &&
	test "$(cost hub list alice/proj:v1.0)" = "0 0 0" &&
	test "$(cost hub download "alice/proj:$sha7")" = "1 1 1" &&
	test "$(cost hub download "alice/proj:$sha7")" = "0 0 0" &&
	test "$(cost hub download --skip-validation "alice/proj:$sha")" = "0 1 1" &&
	test "$(cost hub download --update alice/proj:main)" = "1 0 0" &&
	test "$(cost hub download --update alice/proj:$sha)" = "0 0 0" &&
	test "$(cost hub download --update alice/proj:refs/tags/v1.0)" = "0 1 1"
'

test_done
