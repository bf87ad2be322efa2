#!/bin/sh
test_description='hub and the real torch.hub share the cache both ways, with no network'
. "$(dirname "$0")/lib.sh"
. "$TEST_DIRECTORY/lib-server.sh"

if ! "$HUB_TEST_PYTHON" -c 'import torch.hub' 2>/dev/null; then
	echo "1..0 # SKIP no torch in $HUB_TEST_PYTHON"
	exit 0
fi

SQ="'"
test_expect_success 'setup' '
	mkdir src &&
	printf "dependencies = []\n\ndef model(x=1):\n    return (\"hub-made\", x)\n" >src/hubconf.py &&
	fixture_repo alice proj main "$TRASH/src" >/dev/null &&
	fixture_repo alice proj release/1.0 "$TRASH/src" >/dev/null &&
	fixture_repo bob tp main "$TRASH/src" >/dev/null
'
start_server || exit 1

# torch.hub.load with every network path closed: https_proxy points at a
# port nothing listens on.
torch_load_offline () {
	https_proxy=http://127.0.0.1:1 http_proxy=http://127.0.0.1:1 \
	"$HUB_TEST_PYTHON" -c "
import sys, torch.hub
print(torch.hub.load(sys.argv[1], 'model', 7, trust_repo=True))
" "$1"
}

test_expect_success 'torch.hub.load uses what hub downloaded, with no network' '
	use_proxy &&
	hub download alice/proj:main alice/proj:release/1.0 >out &&
	server_reset_log &&
	torch_load_offline alice/proj:main >py.out 2>py.err &&
	echo "(${SQ}hub-made${SQ}, 7)" >expect &&
	test_cmp expect py.out &&
	torch_load_offline alice/proj:release/1.0 >py.out 2>py.err &&
	test_cmp expect py.out &&
	test "$(server_request_count .)" = 0
'

test_expect_success 'hub uses what torch.hub downloaded through the same server' '
	use_proxy &&
	SSL_CERT_FILE=$HUB_TEST_CA "$HUB_TEST_PYTHON" -c "
import torch.hub
print(torch.hub.load(\"bob/tp:main\", \"model\", trust_repo=True))
" >py.out 2>py.err &&
	test "$(server_request_count_where "path=^/bob/tp/zipball/main$")" = 1 &&
	test -f "$TORCH_HOME/hub/bob_tp_main/hubconf.py" &&
	server_reset_log &&
	hub download --offline bob/tp:main >out &&
	echo "$TORCH_HOME/hub/bob_tp_main" >expect &&
	test_cmp expect out &&
	https_proxy=http://127.0.0.1:1 hub download bob/tp:main >out &&
	test_cmp expect out &&
	test "$(server_request_count .)" = 0
'

test_expect_success 'hub with no ref takes the cached main, as torch.hub 2.x does' '
	https_proxy=http://127.0.0.1:1 hub download --offline bob/tp >out &&
	echo "$TORCH_HOME/hub/bob_tp_main" >expect &&
	test_cmp expect out
'

test_done
