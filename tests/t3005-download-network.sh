#!/bin/sh
test_description='hub download: CA bundle choice, URL rewrites, private repos, tokens, parallel fetches, progress'
. "$(dirname "$0")/lib.sh"
. "$TEST_DIRECTORY/lib-server.sh"

use_names () {
	use_base_urls &&
	HUB_GITHUB_URL=https://localhost:$HUB_TEST_HTTPS_PORT/gh &&
	HUB_GITHUB_API_URL=https://localhost:$HUB_TEST_HTTPS_PORT/api &&
	export HUB_GITHUB_URL HUB_GITHUB_API_URL
}

test_expect_success 'setup' '
	mkdir src big1 big2 &&
	echo "def model(): pass" >src/hubconf.py &&
	cp src/hubconf.py big1/ && cp src/hubconf.py big2/ &&
	head -c 300000 /dev/urandom >big1/blob &&
	head -c 300000 /dev/urandom >big2/blob &&
	fixture_repo alice proj main "$TRASH/src" >/dev/null &&
	fixture_repo alice big1 main "$TRASH/big1" >/dev/null &&
	fixture_repo alice big2 main "$TRASH/big2" >/dev/null &&
	fixture_repo alice secret main "$TRASH/src" >/dev/null &&
	fixture_set alice secret private=true token=sekrit
'
start_server || exit 1
use_names

for ref in a b c d e f g h; do
	fixture_ref alice proj $ref "$(ls "$HUB_TEST_ROOT/repos/alice/proj/trees")" >/dev/null
done

test_expect_success 'SSL_CERT_FILE and CURL_CA_BUNDLE are read when HUB_CA_BUNDLE is unset' '
	unset HUB_CA_BUNDLE &&
	SSL_CERT_FILE=$HUB_TEST_CA hub download alice/proj:a >out &&
	test -d "$TORCH_HOME/hub/alice_proj_a" &&
	CURL_CA_BUNDLE=$HUB_TEST_CA hub download alice/proj:b >out &&
	test -d "$TORCH_HOME/hub/alice_proj_b"
'

test_expect_success 'HUB_CA_BUNDLE wins over SSL_CERT_FILE' '
	HUB_CA_BUNDLE=$TRASH/ca/rogue-ca.pem SSL_CERT_FILE=$HUB_TEST_CA &&
	export HUB_CA_BUNDLE SSL_CERT_FILE &&
	test_must_fail status=3 hub download alice/proj:c 2>err &&
	test_grep "rogue-ca.pem" err
'

test_expect_success 'a CA bundle that does not exist is named' '
	HUB_CA_BUNDLE=$TRASH/nowhere.pem && export HUB_CA_BUNDLE &&
	test_must_fail status=3 hub download alice/proj:c 2>err &&
	test_grep "nowhere.pem" err
'

test_expect_success 'HUB_URL_REWRITE sends every URL to a mirror' '
	HUB_GITHUB_URL=https://github.mirror.invalid/gh &&
	HUB_GITHUB_API_URL=https://github.mirror.invalid/api &&
	HUB_URL_REWRITE="https://nothing.invalid/=https://x.invalid/,https://github.mirror.invalid/=https://localhost:$HUB_TEST_HTTPS_PORT/" &&
	export HUB_GITHUB_URL HUB_GITHUB_API_URL HUB_URL_REWRITE &&
	hub download alice/proj:c >out &&
	test -d "$TORCH_HOME/hub/alice_proj_c"
'

test_expect_success 'the config file'"'"'s url-rewrite does the same' '
	HUB_GITHUB_URL=https://github.mirror.invalid/gh &&
	HUB_GITHUB_API_URL=https://github.mirror.invalid/api &&
	export HUB_GITHUB_URL HUB_GITHUB_API_URL &&
	mkdir -p "$XDG_CONFIG_HOME/hub" &&
	echo "url-rewrite = https://github.mirror.invalid/=https://localhost:$HUB_TEST_HTTPS_PORT/" \
		>"$XDG_CONFIG_HOME/hub/config" &&
	hub download alice/proj:d >out &&
	rm "$XDG_CONFIG_HOME/hub/config" &&
	test -d "$TORCH_HOME/hub/alice_proj_d"
'

test_expect_success 'a bad HUB_URL_REWRITE is a usage error' '
	HUB_URL_REWRITE=nonsense && export HUB_URL_REWRITE &&
	test_must_fail status=2 hub download alice/proj:e 2>err &&
	test_grep "FROM=TO" err
'

test_expect_success 'a private repository: 404 without a token, with the hint' '
	test_must_fail status=5 hub download alice/secret:main 2>err &&
	test_grep "alice/secret" err &&
	test_grep "GITHUB_TOKEN" err
'

test_expect_success 'a private repository with GITHUB_TOKEN; the token never printed' '
	server_reset_log &&
	GITHUB_TOKEN=sekrit && export GITHUB_TOKEN &&
	hub -v download alice/secret:main >out 2>err &&
	test -f "$TORCH_HOME/hub/alice_secret_main/hubconf.py" &&
	test_grep ! sekrit err &&
	test "$(server_request_count_where host=^codeload status=200)" = 1
'

test_expect_success 'GH_TOKEN is the fallback' '
	GH_TOKEN=sekrit && export GH_TOKEN &&
	hub download --force-reload alice/secret:main >out
'

test_expect_success 'a token GitHub refuses (401) falls back to anonymous for a public repo' '
	set_server_config "{\"valid_tokens\": [\"good\"]}" &&
	server_reset_log &&
	GITHUB_TOKEN=stale && export GITHUB_TOKEN &&
	hub download alice/proj:e >out &&
	test -d "$TORCH_HOME/hub/alice_proj_e" &&
	test "$(server_request_count_where status=401)" = 1 &&
	set_server_config "{}"
'

test_expect_success 'two specs download in parallel' '
	set_faults "[{\"match\": \"codeload\", \"action\": \"slow:150000\"}]" &&
	server_reset_log &&
	hub download alice/big1:main alice/big2:main >out &&
	clear_faults &&
	server_requests_where host=^codeload >codeload.log &&
	test_line_count = 2 codeload.log &&
	"$HUB_TEST_PYTHON" -c "
import json, sys
t = [json.loads(l)[\"time\"] for l in open(\"codeload.log\")]
sys.exit(0 if abs(t[1] - t[0]) < 1.0 else 1)
" &&
	cmp big1/blob "$TORCH_HOME/hub/alice_big1_main/blob" &&
	cmp big2/blob "$TORCH_HOME/hub/alice_big2_main/blob"
'

test_expect_success 'one SPEC failing does not stop the others' '
	test_must_fail status=5 hub download alice/proj:f nobody/none:main alice/proj:g >out 2>err &&
	printf "%s\n" "$TORCH_HOME/hub/alice_proj_f" "$TORCH_HOME/hub/alice_proj_g" >expect &&
	test_cmp expect out &&
	test_line_count = 1 err &&
	test_grep "nobody/none" err
'

test_expect_success 'a progress line on a terminal, none with -q or off one' '
	set_faults "[{\"match\": \"codeload\", \"action\": \"slow:300000\"}]" &&
	rm -rf "$TORCH_HOME/hub/alice_big1_main" "$TORCH_HOME/hub/alice_big2_main" &&
	script -qec "$HUB_BIN download alice/big1:main" /dev/null >tty.out &&
	test_grep "downloading: .*/s" tty.out &&
	script -qec "$HUB_BIN -q download alice/big2:main" /dev/null >tty.out &&
	test_grep ! "downloading:" tty.out &&
	hub download --force-reload alice/big2:main >out 2>err &&
	clear_faults &&
	test_grep ! "downloading:" err
'

test_expect_success '--json describes each SPEC' '
	hub --json download alice/proj:a ./src >out &&
	test_grep "\"dir\":.*alice_proj_a" out &&
	test_grep "\"cached\":.*true" out
'

test_done
