#!/bin/sh
test_description='hub download: one download for many hubs, kill -9, lock timeout, --force-reload'
. "$(dirname "$0")/lib.sh"
. "$TEST_DIRECTORY/lib-server.sh"

use_names () {
	use_base_urls &&
	HUB_GITHUB_URL=https://localhost:$HUB_TEST_HTTPS_PORT/gh &&
	HUB_GITHUB_API_URL=https://localhost:$HUB_TEST_HTTPS_PORT/api &&
	export HUB_GITHUB_URL HUB_GITHUB_API_URL
}

test_expect_success 'setup: a repository of about 1 MiB that does not compress' '
	mkdir src &&
	echo "def model(): pass" >src/hubconf.py &&
	head -c 1048576 /dev/urandom >src/blob.bin &&
	fixture_repo alice big main "$TRASH/src" >/dev/null
'
start_server || exit 1
use_names

test_expect_success 'sixteen hubs at once: one archive request, all succeed' '
	server_reset_log &&
	set_faults "[{\"match\": \"codeload\", \"action\": \"slow:2000000\"}]" &&
	i=0 && pids= &&
	while test $i -lt 16; do
		hub download alice/big:main >out.$i 2>err.$i &
		pids="$pids $!" &&
		i=$((i + 1))
	done &&
	failed=0 &&
	for p in $pids; do wait $p || failed=$((failed + 1)); done &&
	clear_faults &&
	test $failed = 0 &&
	for i in 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15; do
		echo "$TORCH_HOME/hub/alice_big_main" | test_cmp - out.$i || return 1
	done &&
	test "$(server_request_count_where host=^codeload)" = 1 &&
	test "$(server_request_count_where host=^api.github.com$)" = 0 &&
	cmp src/blob.bin "$TORCH_HOME/hub/alice_big_main/blob.bin"
'

test_expect_success 'kill -9 mid-download leaves no folder and no lock; the rerun succeeds' '
	set_faults "[{\"match\": \"codeload\", \"action\": \"slow:100000\"}]" &&
	server_reset_log &&
	fixture_ref alice big slow-ref "$(ls "$HUB_TEST_ROOT/repos/alice/big/trees")" &&
	{ hub download alice/big:slow-ref >/dev/null 2>&1 & } &&
	pid=$! &&
	n=0 &&
	while test "$(server_request_count_where host=^codeload)" = 0 && test $n -lt 100; do
		sleep 0.1; n=$((n + 1))
	done &&
	sleep 1 &&
	kill -9 $pid &&
	wait $pid;
	test -n "$(ls "$TORCH_HOME/hub/.hub/tmp")" &&
	! test -e "$TORCH_HOME/hub/alice_big_slow-ref" &&
	clear_faults &&
	hub download alice/big:slow-ref >out &&
	echo "$TORCH_HOME/hub/alice_big_slow-ref" >expect &&
	test_cmp expect out &&
	cmp src/blob.bin "$TORCH_HOME/hub/alice_big_slow-ref/blob.bin" &&
	test -z "$(ls "$TORCH_HOME/hub/.hub/tmp")"
'

test_expect_success 'a lock held too long: exit 9 naming the entry' '
	mkdir -p "$TORCH_HOME/hub/.hub/locks" &&
	{ flock "$TORCH_HOME/hub/.hub/locks/alice_big_locked.lock" sleep 5 & } &&
	sleep 0.3 &&
	HUB_LOCK_TIMEOUT=1 && export HUB_LOCK_TIMEOUT &&
	test_must_fail status=9 hub download alice/big:locked 2>err &&
	test_grep "alice/big:locked" err &&
	test_grep "more than 1 seconds" err
'

test_expect_success '--force-reload replaces the folder, the old one usable until then' '
	mkdir src2 &&
	echo "def model2(): pass" >src2/hubconf.py &&
	head -c 300000 /dev/urandom >src2/blob2.bin &&
	fixture_repo alice big main "$TRASH/src2" >new_sha &&
	hub download alice/big:main >out &&
	test_cmp src/hubconf.py "$TORCH_HOME/hub/alice_big_main/hubconf.py" &&
	set_faults "[{\"match\": \"codeload\", \"action\": \"slow:50000\"}]" &&
	server_reset_log &&
	{ hub download --force-reload alice/big:main >out 2>err & } &&
	pid=$! &&
	n=0 &&
	while test "$(server_request_count_where host=^codeload)" = 0 && test $n -lt 100; do
		sleep 0.1; n=$((n + 1))
	done &&
	test_cmp src/hubconf.py "$TORCH_HOME/hub/alice_big_main/hubconf.py" &&
	clear_faults &&
	wait $pid &&
	test_cmp src2/hubconf.py "$TORCH_HOME/hub/alice_big_main/hubconf.py" &&
	! test -e "$TORCH_HOME/hub/alice_big_main/blob.bin" &&
	cmp src2/blob2.bin "$TORCH_HOME/hub/alice_big_main/blob2.bin" &&
	grep "^commit $(cat new_sha)\$" "$TORCH_HOME/hub/.hub/refs/alice_big_main" &&
	test -z "$(ls "$TORCH_HOME/hub/.hub/tmp")"
'

test_done
