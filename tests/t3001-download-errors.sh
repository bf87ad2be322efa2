#!/bin/sh
test_description='hub download: bad SPECs, not found, forks, rate limits, offline, exit codes'
. "$(dirname "$0")/lib.sh"
. "$TEST_DIRECTORY/lib-server.sh"

use_names () {
	use_base_urls &&
	HUB_GITHUB_URL=https://localhost:$HUB_TEST_HTTPS_PORT/gh &&
	HUB_GITHUB_API_URL=https://localhost:$HUB_TEST_HTTPS_PORT/api &&
	export HUB_GITHUB_URL HUB_GITHUB_API_URL
}

test_expect_success 'setup' '
	mkdir src src2 &&
	echo "def model(): pass" >src/hubconf.py &&
	echo "def other(): pass" >src2/hubconf.py &&
	fixture_repo alice proj main "$TRASH/src" >sha &&
	fixture_ref alice proj refs/tags/v1 "$(cat sha)" &&
	fixture_repo alice proj - "$TRASH/src2" >fork_sha
'
sha=$(cat "$TRASH/sha")
fork_sha=$(cat "$TRASH/fork_sha")
start_server || exit 1
use_names

for bad in 'noslash' 'a/b:c:d' 'a/b/c:x' 'a//b' 'a/:x' 'a/b:' 'a b/c' 'a/b:x y' \
	'a/b:..' 'a/b:x/../y' 'a/b:-x' 'own!er/n' 'a/n$me' 'a/..' 'a/b:x.lock' 'a/b:@{1}'
do
	test_expect_success "bad spec '$bad' is a usage error" "
		test_must_fail status=2 hub download '$bad' 2>err &&
		test_line_count = 1 err &&
		test_grep '^hub: ' err
	"
done

test_expect_success 'bad spec messages say what is wrong' '
	server_reset_log &&
	test_must_fail hub download a/b:c:d 2>err &&
	test_grep "more than one" err &&
	test_must_fail hub download "a/b:x y" 2>err &&
	test_grep "spaces" err &&
	test_must_fail hub download "a/b:x/../y" 2>err &&
	test_grep "\.\." err &&
	test_must_fail hub download "/a" 2>err &&
	test_grep "no such directory" err &&
	test "$(server_request_count .)" = 0
'

test_expect_success 'unknown repository: exit 5 naming it' '
	test_must_fail status=5 hub download nobody/none:main 2>err &&
	test_grep "nobody/none" err
'

test_expect_success 'unknown ref: exit 5 naming it' '
	test_must_fail status=5 hub download alice/proj:nope 2>err &&
	test_grep "cannot find nope in https://localhost:$HUB_TEST_HTTPS_PORT/gh/alice/proj" err
'

test_expect_success 'unknown ref and repository cost no API request (the web page says which)' '
	server_reset_log &&
	test_must_fail status=5 hub download alice/proj:nope2 2>err &&
	test_grep "no such branch or tag" err &&
	test_must_fail status=5 hub download nobody/none:main 2>err &&
	test_grep "nobody/none: repository not found" err &&
	test "$(server_request_count_where host=^api.github.com$)" = 0 &&
	test "$(server_request_count_where host=^github.com$ "path=^/nobody/none$" status=404)" = 1
'

test_expect_success 'a branch name costs no API request' '
	server_reset_log &&
	hub download alice/proj:main >out &&
	test -f "$TORCH_HOME/hub/alice_proj_main/hubconf.py" &&
	test "$(server_request_count_where host=^api.github.com$)" = 0 &&
	test "$(server_request_count_where host=^codeload.github.com$ status=200)" = 1
'

test_expect_success 'a tag name costs no API request either' '
	server_reset_log &&
	hub download alice/proj:v1 alice/proj:refs/tags/v1 >out &&
	test -f "$TORCH_HOME/hub/alice_proj_v1/hubconf.py" &&
	test -f "$TORCH_HOME/hub/alice_proj_refs_tags_v1/hubconf.py" &&
	test "$(server_request_count_where host=^api.github.com$)" = 0
'

test_expect_success 'a SHA at the head of a branch is accepted, full or short' '
	hub download "alice/proj:$sha" >out &&
	test -f "$TORCH_HOME/hub/alice_proj_$sha/hubconf.py" &&
	short=$(echo "$sha" | cut -c1-7) &&
	hub download "alice/proj:$short" >out &&
	test -f "$TORCH_HOME/hub/alice_proj_$short/hubconf.py"
'

test_expect_success 'a commit at no head (a fork'"'"'s) is refused as torch.hub does' '
	test_must_fail status=5 hub download "alice/proj:$fork_sha" 2>err &&
	test_grep "cannot find $fork_sha in .*/alice/proj: if it.s a commit from a forked repo" err &&
	! test -e "$TORCH_HOME/hub/alice_proj_$fork_sha"
'

test_expect_success '--skip-validation takes it, without the API' '
	server_reset_log &&
	hub download --skip-validation "alice/proj:$fork_sha" >out &&
	test_cmp src2/hubconf.py "$TORCH_HOME/hub/alice_proj_$fork_sha/hubconf.py" &&
	test "$(server_request_count_where host=^api.github.com$)" = 0
'

test_expect_success 'paging: a SHA at the head of a branch past the first 100' '
	fixture_repo alice many main "$TRASH/src" >many_sha &&
	fixture_repo alice many - "$TRASH/src2" >many_fork &&
	(
		printf "branches={"
		i=0
		while test $i -lt 150; do
			printf "\"b%03d\": \"%s\", " $i "$(cat many_sha)"
			i=$((i + 1))
		done
		printf "\"zzz\": \"%s\"}" "$(cat many_fork)"
	) >branches.json &&
	fixture_set alice many "$(cat branches.json)" &&
	server_reset_log &&
	hub download "alice/many:$(cat many_fork)" >out &&
	test_cmp src2/hubconf.py "$TORCH_HOME/hub/alice_many_$(cat many_fork)/hubconf.py" &&
	test "$(server_request_count_where host=^api.github.com$ "path=branches.*page=2")" = 1 &&
	test "$(server_request_count_where host=^api.github.com$ "path=tags")" = 0
'

test_expect_success 'paging: a tag past the first 100 tags' '
	(
		printf "tags={"
		i=0
		while test $i -lt 130; do
			printf "\"t%03d\": \"%s\", " $i "$(cat many_sha)"
			i=$((i + 1))
		done
		printf "\"a-last\": \"%s\"}" "$(cat many_fork)"
	) >tags.json &&
	fixture_set alice many "$(cat tags.json)" "branches={\"main\": \"$(cat many_sha)\"}" &&
	server_reset_log &&
	hub download "alice/many:$(cat many_fork | cut -c1-10)" >out &&
	test "$(server_request_count_where host=^api.github.com$ "path=tags.*page=2")" = 1
'

test_expect_success 'an ambiguous ref (branch and tag) is taken as the branch' '
	fixture_repo alice amb both "$TRASH/src" >/dev/null &&
	fixture_repo alice amb refs/tags/both "$TRASH/src2" >/dev/null &&
	server_reset_log &&
	hub download alice/amb:both >out &&
	test_cmp src/hubconf.py "$TORCH_HOME/hub/alice_amb_both/hubconf.py" &&
	test "$(server_request_count_where "path=/alice/amb/tarball/both$" status=300)" = 1 &&
	test "$(server_request_count_where "path=/alice/amb/tarball/refs/heads/both$" status=302)" = 1
'

test_expect_success 'rate limit without a token: exit 4, reset time and the token hint' '
	set_ratelimit 0 &&
	test_must_fail status=4 hub download alice/proj:abcdef12 2>err &&
	test_line_count = 1 err &&
	test_grep "rate limit exceeded" err &&
	test_grep "resets at [0-9][0-9]:[0-9][0-9] (in [0-9]* minutes)" err &&
	test_grep "0 of 0 requests left" err &&
	test_grep "set GITHUB_TOKEN" err
'

test_expect_success 'rate limit with a token: no token hint' '
	set_ratelimit 0 0 &&
	GITHUB_TOKEN=t0k && export GITHUB_TOKEN &&
	test_must_fail status=4 hub download alice/proj:abcdef12 2>err &&
	test_grep "rate limit exceeded" err &&
	test_grep ! "set GITHUB_TOKEN" err &&
	set_ratelimit 60
'

test_expect_success 'a 429 with Retry-After is retried' '
	set_faults "[{\"match\": \"api.github.com/repos/alice/proj/branches\", \"action\": \"ratelimit429\", \"retry_after\": 1, \"times\": 1}]" &&
	rm -rf "$TORCH_HOME/hub/alice_proj_$sha" &&
	server_reset_log &&
	hub download "alice/proj:$sha" >out &&
	test "$(server_request_count_where status=429)" = 1 &&
	clear_faults
'

test_expect_success 'offline miss: exit 7, names what is missing, zero requests' '
	server_reset_log &&
	test_must_fail status=7 hub download --offline alice/proj:dev 2>err &&
	test_grep "alice_proj_dev" err &&
	(HUB_OFFLINE=1 && export HUB_OFFLINE &&
	 test_must_fail status=7 hub download alice/other 2>err) &&
	test_grep "neither alice_other_main nor alice_other_master" err &&
	test "$(server_request_count .)" = 0
'

test_expect_success 'offline hit: cached folders answer' '
	hub download --offline alice/proj:main alice/proj >out &&
	printf "%s\n" "$TORCH_HOME/hub/alice_proj_main" "$TORCH_HOME/hub/alice_proj_main" >expect &&
	test_cmp expect out
'

test_expect_success 'offline --force-reload is refused and keeps the folder' '
	test_must_fail status=7 hub download --offline --force-reload alice/proj:main 2>err &&
	test_grep "force-reload needs the network" err &&
	test -f "$TORCH_HOME/hub/alice_proj_main/hubconf.py"
'

test_expect_success 'the token goes to the API, not to another host a redirect leads to' '
	set_faults "[{\"match\": \"api.github.com/repos/alice/proj/tarball\", \"action\": \"status:302\", \"headers\": {\"Location\": \"http://localhost:$HUB_TEST_HTTP_PORT/codeload/alice/proj/legacy.tar.gz/main\"}}]" &&
	server_reset_log &&
	GITHUB_TOKEN=s3cret && export GITHUB_TOKEN &&
	hub -v download --force-reload alice/proj:main >out 2>err &&
	clear_faults &&
	test "$(server_request_count_where listener=^https$ "headers.authorization=s3cret" host=^api.github.com$)" = 1 &&
	test "$(server_request_count_where listener=^http$ host=^codeload)" = 1 &&
	test "$(server_request_count_where listener=^http$ headers.authorization=)" = 0 &&
	test "$(server_request_count_where host=^codeload headers.authorization=)" = 0 &&
	test_grep ! s3cret err &&
	test_grep "GET .*/api/repos/alice/proj/tarball/main -> 302" err
'

test_expect_success '-v logs each request with status, time and rate-limit budget' '
	rm -rf "$TORCH_HOME/hub/alice_proj_$sha" &&
	hub -v download "alice/proj:$sha" >out 2>err &&
	test_grep "^hub: GET https://localhost:$HUB_TEST_HTTPS_PORT/api/repos/alice/proj/branches -> 200 ([0-9.]* s, ratelimit-remaining [0-9]*)" err &&
	test_grep "/gh/alice/proj/tarball/$sha -> 302" err &&
	test_grep "legacy.tar.gz/$sha -> 200" err
'

test_expect_success 'an untrusted server certificate is a network error' '
	HUB_GITHUB_URL=https://localhost:$HUB_TEST_ROGUE_PORT/gh &&
	HUB_GITHUB_API_URL=https://localhost:$HUB_TEST_ROGUE_PORT/api &&
	export HUB_GITHUB_URL HUB_GITHUB_API_URL &&
	test_must_fail status=3 hub download alice/proj:fresh 2>err &&
	test_grep "CA bundle" err
'

test_done
