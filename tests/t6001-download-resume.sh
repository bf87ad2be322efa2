#!/bin/sh
test_description='hub download URL: resume after kill -9, a file that changed, a lost link'
. "$(dirname "$0")/lib.sh"
. "$TEST_DIRECTORY/lib-server.sh"

ckpt=$TORCH_HOME/hub/checkpoints
partial=$TORCH_HOME/hub/.hub/partial
start_server || exit 1
use_base_urls
url() {
	echo "https://localhost:$HUB_TEST_HTTPS_PORT/weights/$1"
}

# wait_for_bytes FILE N: until FILE holds at least N bytes (10 s at most).
wait_for_bytes() {
	tries=0
	while test "$(stat -c %s "$1" 2>/dev/null || echo 0)" -lt "$2"; do
		tries=$((tries + 1))
		test $tries -gt 200 && return 1
		sleep 0.05
	done
	return 0
}

# start_killed_download URL FILE: start hub on URL, kill -9 it once the
# partial FILE has 1 MiB.
start_killed_download() {
	"$HUB_BIN" download "$1" >/dev/null 2>&1 &
	pid=$!
	wait_for_bytes "$partial/$2.part" 1048576
	ok=$?
	kill -9 $pid
	wait $pid 2>/dev/null
	return $ok
}

test_expect_success 'setup' '
	server_big_file w-8mb.bin >big.bin &&
	sha256sum big.bin | cut -c1-64 >big.sha
'

test_expect_success 'kill -9 mid-download leaves the partial and its record' '
	set_faults "[{\"match\": \"w-8mb\", \"action\": \"slow:2000000\"}]" &&
	start_killed_download "$(url big/w-8mb.bin)" w-8mb.bin &&
	test -s "$partial/w-8mb.bin.part" &&
	grep "\"url\":\"$(url big/w-8mb.bin)\"" "$partial/w-8mb.bin.json" &&
	! test -e "$ckpt/w-8mb.bin" &&
	stat -c %s "$partial/w-8mb.bin.part" >had
'

test_expect_success 'the next run resumes with Range + If-Range; the hash covers the whole file' '
	clear_faults &&
	server_reset_log &&
	hub --json download --hash-prefix "$(cut -c1-16 big.sha)" "$(url big/w-8mb.bin)" >out &&
	test_cmp big.bin "$ckpt/w-8mb.bin" &&
	test "$(server_request_count_where path=w-8mb status=^206$ headers.if-range=.)" = 1 &&
	server_requests_where path=w-8mb >log && grep "\"range\": \"bytes=" log &&
	"$HUB_TEST_PYTHON" -c "import json; d = json.load(open(\"out\"))[0]; assert d[\"resumed_from\"] > 0 and d[\"sha256\"] == \"$(cat big.sha)\", d" &&
	test -z "$(ls -A "$partial")"
'

test_expect_success 'a file that changed on the server starts over' '
	head -c 3000000 /dev/urandom >v1.bin &&
	head -c 2500000 /dev/urandom >v2.bin &&
	fixture_weight local m/changing.pth v1.bin &&
	set_faults "[{\"match\": \"changing\", \"action\": \"slow:1000000\"}]" &&
	start_killed_download "$(url m/changing.pth)" changing.pth &&
	fixture_weight local m/changing.pth v2.bin &&
	clear_faults &&
	server_reset_log &&
	hub download "$(url m/changing.pth)" >out &&
	test_cmp v2.bin "$ckpt/changing.pth" &&
	test "$(server_request_count_where path=changing headers.if-range=. status=^200$)" = 1 &&
	grep "$(sha256sum v2.bin | cut -c1-64)" "$TORCH_HOME/hub/.hub/weights/changing.pth.json"
'

test_expect_success 'a partial that is already whole needs no body (416), still hashed' '
	set_faults "[{\"match\": \"w-2mb\", \"action\": \"slow:1000000\"}]" &&
	start_killed_download "$(url big/w-2mb.bin)" w-2mb.bin &&
	clear_faults &&
	server_big_file w-2mb.bin >two.bin &&
	cp two.bin "$partial/w-2mb.bin.part" &&
	server_reset_log &&
	hub download --hash-prefix "$(sha256sum two.bin | cut -c1-10)" "$(url big/w-2mb.bin)" >out &&
	test_cmp two.bin "$ckpt/w-2mb.bin" &&
	test "$(server_request_count_where path=w-2mb status=^416$)" = 1
'

test_expect_success 'a link lost mid-body is resumed within the run' '
	set_faults "[{\"match\": \"w-3mb\", \"action\": \"reset_after:1000000\", \"times\": 1}]" &&
	server_reset_log &&
	HUB_RETRY_DELAY_MS=10 hub download "$(url big/w-3mb.bin)" >out &&
	server_big_file w-3mb.bin >three.bin && test_cmp three.bin "$ckpt/w-3mb.bin" &&
	test "$(server_request_count_where path=w-3mb status=^206$)" = 1
'

test_expect_success 'a network failure keeps the partial for the next run' '
	set_faults "[{\"match\": \"w-4mb\", \"action\": \"reset_after:500000\"}]" &&
	test_must_fail status=3 env HUB_RETRIES=0 "$HUB_BIN" download "$(url big/w-4mb.bin)" 2>err &&
	test -s "$partial/w-4mb.bin.part" &&
	clear_faults &&
	hub download "$(url big/w-4mb.bin)" >out &&
	server_big_file w-4mb.bin >four.bin && test_cmp four.bin "$ckpt/w-4mb.bin"
'

test_expect_success 'two hubs at once fetch a file once (a per-file lock)' '
	set_faults "[{\"match\": \"w-5mb\", \"action\": \"slow:5000000\"}]" &&
	server_reset_log &&
	"$HUB_BIN" download "$(url big/w-5mb.bin)" >out1 2>err1 &
	pid=$! &&
	wait_for_bytes "$partial/w-5mb.bin.part" 1 &&
	hub download "$(url big/w-5mb.bin)" >out2 &&
	wait $pid &&
	test_cmp out1 out2 &&
	test "$(server_request_count_where path=w-5mb method=GET)" = 1 &&
	clear_faults
'

test_done
