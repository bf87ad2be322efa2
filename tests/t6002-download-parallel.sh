#!/bin/sh
test_description='hub download URL...: eight at once, a 404 among them, the summary'
. "$(dirname "$0")/lib.sh"
. "$TEST_DIRECTORY/lib-server.sh"

ckpt=$TORCH_HOME/hub/checkpoints
start_server || exit 1
use_base_urls
url() {
	echo "https://localhost:$HUB_TEST_HTTPS_PORT/weights/$1"
}

# spread FIELD-REGEX: seconds between the first and the last logged answer
# of the GET requests whose path matches.
spread() {
	server_requests_where method=^GET$ "path=$1" |
	"$HUB_TEST_PYTHON" -c "import json, sys; t = [json.loads(l)[\"time\"] for l in sys.stdin]; print(len(t), round(max(t) - min(t), 2))"
}

test_expect_success 'eight files download in parallel' '
	set_faults "[{\"match\": \"/big/p\", \"action\": \"slow:1000000\"}]" &&
	urls= && i=1 &&
	while test $i -le 8; do
		urls="$urls $(url big/p$i-1mb.bin)" && i=$((i + 1))
	done &&
	server_reset_log &&
	hub download $urls >out 2>err &&
	test_line_count = 8 out &&
	i=1 &&
	while test $i -le 8; do
		server_big_file p$i-1mb.bin >expect &&
		test_cmp expect "$ckpt/p$i-1mb.bin" && i=$((i + 1)) || return 1
	done &&
	spread /big/p >spread &&
	read n s <spread && test "$n" = 8 &&
	"$HUB_TEST_PYTHON" -c "assert $s < 0.8, \"answers spread over $s s: not parallel\"" &&
	test_grep "downloaded 8 of 8 files" err &&
	clear_faults
'

test_expect_success '-j 2 keeps two in flight' '
	set_faults "[{\"match\": \"/big/q\", \"action\": \"slow:2000000\"}]" &&
	server_reset_log &&
	hub download -j 2 "$(url big/q1-1mb.bin)" "$(url big/q2-1mb.bin)" "$(url big/q3-1mb.bin)" "$(url big/q4-1mb.bin)" >out &&
	test_line_count = 4 out &&
	spread /big/q >spread &&
	read n s <spread && test "$n" = 4 &&
	"$HUB_TEST_PYTHON" -c "assert $s > 0.3, \"answers within $s s: not limited\"" &&
	clear_faults
'

test_expect_success 'a 404 among eight: the other seven complete, exit 5, a summary' '
	urls= && i=1 &&
	while test $i -le 8; do
		if test $i = 5; then urls="$urls $(url m/missing.pth)"
		else urls="$urls $(url big/r$i-1mb.bin)"; fi
		i=$((i + 1))
	done &&
	test_must_fail status=5 hub download $urls >out 2>err &&
	test_line_count = 7 out &&
	i=1 &&
	while test $i -le 8; do
		if test $i != 5; then
			server_big_file r$i-1mb.bin >expect &&
			test_cmp expect "$ckpt/r$i-1mb.bin" || return 1
		fi
		i=$((i + 1))
	done &&
	! test -e "$ckpt/missing.pth" &&
	test_grep "^hub: missing.pth: .*not found (404)" err &&
	test_grep "^hub: 1 of 8 downloads failed: missing.pth$" err
'

test_expect_success 'the first failure gives the status: a mismatch first is 6' '
	echo data >s.bin && fixture_weight local m/s-deadbeef0.pth s.bin &&
	test_must_fail status=6 hub download --check-hash \
		"$(url m/s-deadbeef0.pth)" "$(url m/missing-0123456789.pth)" 2>err &&
	test_grep "s-deadbeef0.pth: hash mismatch" err &&
	test_grep "missing-0123456789.pth: .*not found" err &&
	test_grep "2 of 2 downloads failed: s-deadbeef0.pth, missing-0123456789.pth" err
'

test_expect_success 'the same URL twice is fetched once; two URLs for one name are refused' '
	server_reset_log &&
	hub download --force "$(url big/r1-1mb.bin)" "$(url big/r1-1mb.bin)" >out &&
	test_line_count = 2 out &&
	test "$(server_request_count_where path=r1-1mb method=GET)" = 1 &&
	test_must_fail status=2 hub download "$(url big/r1-1mb.bin)" "$(url other/r1-1mb.bin)" 2>err &&
	test_grep "r1-1mb.bin: two URLs would write it" err
'

test_done
