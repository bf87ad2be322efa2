#!/bin/sh
test_description='hub download: retries, resets, truncation, corrupt and hostile archives'
. "$(dirname "$0")/lib.sh"
. "$TEST_DIRECTORY/lib-server.sh"

use_names () {
	use_base_urls &&
	HUB_GITHUB_URL=https://localhost:$HUB_TEST_HTTPS_PORT/gh &&
	HUB_GITHUB_API_URL=https://localhost:$HUB_TEST_HTTPS_PORT/api &&
	export HUB_GITHUB_URL HUB_GITHUB_API_URL
}
# Retries wait milliseconds here, not seconds.
HUB_RETRY_DELAY_MS=10 && export HUB_RETRY_DELAY_MS

test_expect_success 'setup' '
	mkdir src &&
	echo "def model(): pass" >src/hubconf.py &&
	head -c 200000 /dev/urandom >src/blob.bin &&
	fixture_repo alice proj main "$TRASH/src" >/dev/null &&
	"$HUB_TEST_PYTHON" "$TEST_DIRECTORY/make-evil-tarballs.py" evil >evil.tsv
'
start_server || exit 1
use_names

# fresh REF: a new branch on the same commit, so each test downloads
fresh () {
	fixture_ref alice proj "$1" "$(ls "$HUB_TEST_ROOT/repos/alice/proj/trees")"
}
untouched () {
	! test -e "$TORCH_HOME/hub/alice_proj_$1" &&
	test -z "$(ls "$TORCH_HOME/hub/.hub/tmp")"
}

test_expect_success 'a 503 from the archive redirect, then success' '
	fresh r1 &&
	set_faults "[{\"match\": \"^github.com/alice/proj/tarball\", \"action\": \"status:503\", \"times\": 1}]" &&
	server_reset_log &&
	hub download alice/proj:r1 >out &&
	test "$(server_request_count_where status=503)" = 1 &&
	cmp src/blob.bin "$TORCH_HOME/hub/alice_proj_r1/blob.bin"
'

test_expect_success 'a 502 from codeload, then success' '
	fresh r2 &&
	set_faults "[{\"match\": \"codeload\", \"action\": \"status:502\", \"times\": 1}]" &&
	server_reset_log &&
	hub download alice/proj:r2 >out &&
	test "$(server_request_count_where host=^codeload)" = 2 &&
	cmp src/blob.bin "$TORCH_HOME/hub/alice_proj_r2/blob.bin"
'

test_expect_success 'a connection reset mid-body: the download starts over' '
	fresh r3 &&
	set_faults "[{\"match\": \"codeload\", \"action\": \"reset_after:50000\", \"times\": 1}]" &&
	server_reset_log &&
	hub download alice/proj:r3 >out &&
	test "$(server_request_count_where host=^codeload)" = 2 &&
	cmp src/blob.bin "$TORCH_HOME/hub/alice_proj_r3/blob.bin"
'

test_expect_success 'a truncated body: the download starts over' '
	fresh r4 &&
	set_faults "[{\"match\": \"codeload\", \"action\": \"truncate:60000\", \"times\": 1}]" &&
	server_reset_log &&
	hub download alice/proj:r4 >out &&
	test "$(server_request_count_where host=^codeload)" = 2 &&
	cmp src/blob.bin "$TORCH_HOME/hub/alice_proj_r4/blob.bin"
'

test_expect_success 'a stalled answer is given up and retried' '
	fresh r5 &&
	set_faults "[{\"match\": \"codeload\", \"action\": \"hang\", \"seconds\": 10, \"times\": 1}]" &&
	HUB_STALL_TIMEOUT=1 && export HUB_STALL_TIMEOUT &&
	hub download alice/proj:r5 >out &&
	cmp src/blob.bin "$TORCH_HOME/hub/alice_proj_r5/blob.bin"
'

test_expect_success 'always truncated: exit 3 after the retries, cache untouched' '
	fresh r6 &&
	set_faults "[{\"match\": \"codeload\", \"action\": \"truncate:60000\"}]" &&
	server_reset_log &&
	test_must_fail status=3 hub download alice/proj:r6 2>err &&
	test_grep "after 4 attempts" err &&
	test "$(server_request_count_where host=^codeload)" = 4 &&
	untouched r6
'

test_expect_success 'always 500: exit 3, cache untouched' '
	fresh r7 &&
	set_faults "[{\"match\": \"codeload\", \"action\": \"status:500\"}]" &&
	test_must_fail status=3 hub download alice/proj:r7 2>err &&
	test_grep "server answered 500" err &&
	untouched r7
'

test_expect_success 'a corrupt gzip: exit 6, no retry, cache untouched' '
	fresh r8 &&
	set_faults "[{\"match\": \"codeload\", \"action\": \"corrupt_gzip\"}]" &&
	server_reset_log &&
	test_must_fail status=6 hub download alice/proj:r8 2>err &&
	test_grep "archive" err &&
	test "$(server_request_count_where host=^codeload)" = 1 &&
	untouched r8
'

test_expect_success 'a cut body is resumed with Range + If-Range where the server allows it' '
	clear_faults &&
	fresh r9 &&
	curl -sSf --cacert "$HUB_TEST_CA" -o archive.tar.gz \
		"https://localhost:$HUB_TEST_HTTPS_PORT/codeload/alice/proj/legacy.tar.gz/r9" &&
	fixture_weight local arch/r9.tar.gz archive.tar.gz &&
	HUB_URL_REWRITE="https://localhost:$HUB_TEST_HTTPS_PORT/codeload/alice/proj/legacy.tar.gz/r9=https://localhost:$HUB_TEST_HTTPS_PORT/weights/arch/r9.tar.gz" &&
	export HUB_URL_REWRITE &&
	set_faults "[{\"match\": \"arch/r9\", \"action\": \"reset_after:100000\", \"times\": 1}]" &&
	server_reset_log &&
	hub download alice/proj:r9 >out &&
	test "$(server_request_count_where "path=arch/r9" status=206 "headers.range=bytes=[1-9]" headers.if-range=.)" = 1 &&
	cmp src/blob.bin "$TORCH_HOME/hub/alice_proj_r9/blob.bin"
'

clear_faults
while IFS='	' read -r name entry description; do
	case $name in ok|setuid|no-global-header) continue ;; esac
	test_expect_success "hostile archive refused: $name ($description)" "
		fixture_archive evil $name main evil/$name.tar.gz >/dev/null &&
		test_must_fail status=6 hub download --skip-validation evil/$name:main 2>err &&
		test_line_count = 1 err &&
		test_grep 'archive' err &&
		! test -e \"\$TORCH_HOME/hub/evil_${name}_main\" &&
		test -z \"\$(ls \"\$TORCH_HOME/hub/.hub/tmp\")\"
	"
done <"$TRASH/evil.tsv"

test_expect_success 'the control archive is accepted' '
	fixture_archive evil ok main evil/ok.tar.gz >/dev/null &&
	hub download --skip-validation evil/ok:main >out &&
	test -f "$TORCH_HOME/hub/evil_ok_main/hubconf.py"
'

test_expect_success 'setuid bits are dropped, not kept' '
	fixture_archive evil setuid main evil/setuid.tar.gz >/dev/null &&
	hub download --skip-validation evil/setuid:main >out &&
	test -z "$(find "$TORCH_HOME/hub/evil_setuid_main" -perm /6000)"
'

test_expect_success 'an archive without a commit id is fine; the record says unknown' '
	fixture_archive evil no-global-header main evil/no-global-header.tar.gz >/dev/null &&
	hub download --skip-validation evil/no-global-header:main >out &&
	grep "^commit unknown" "$TORCH_HOME/hub/.hub/refs/evil_no-global-header_main"
'

test_done
