#!/bin/sh
test_description='hub load owner/name:ref from the fake GitHub: trust first, fetch once, weights'
. "$(dirname "$0")/lib.sh"
. "$TEST_DIRECTORY/lib-server.sh"

data=$TEST_DIRECTORY/data/load
export HUB_PYTHON="$HUB_TEST_PYTHON"
hub_dir=$TORCH_HOME/hub

test_expect_success 'setup: alice/proj holds the plain fixture at main' '
	fixture_repo alice proj main "$data/plain" >sha &&
	"$HUB_TEST_PYTHON" -c "import torch; torch.manual_seed(1); torch.save({\"w\": torch.rand(3)}, \"tiny-0123abcd.pth\")" &&
	fixture_weight download.pytorch.org models/tiny-0123abcd.pth tiny-0123abcd.pth
'
start_server || exit 1
# The proxy route: hub and Python both ask for https://github.com and
# https://download.pytorch.org; Python's urllib trusts the test CA through
# SSL_CERT_FILE.
use_proxy
export SSL_CERT_FILE="$HUB_TEST_CA"

test_expect_success 'untrusted: refused before any request' '
	test_must_fail status=8 hub load alice/proj:main echo </dev/null 2>err &&
	test_grep "pass --trust-repo" err &&
	test "$(server_request_count .)" = 0 &&
	! test -e "$hub_dir/alice_proj_main"
'

test_expect_success '--trust-repo: recorded, fetched into the torch.hub cache, run' '
	hub load --trust-repo alice/proj:main echo 1 >out 2>err &&
	echo Echo >expect && test_cmp expect out &&
	echo alice_proj >expect && test_cmp expect "$hub_dir/trusted_list" &&
	test_cmp "$data/plain/hubconf.py" "$hub_dir/alice_proj_main/hubconf.py" &&
	test "$(server_request_count_where method=^GET$ host=^codeload.github.com$)" = 1
'

test_expect_success 'the second load opens no connection, and works offline' '
	server_reset_log &&
	hub load --print alice/proj:main echo 2 >out &&
	echo "Echo(args=(2,), kwargs={})" >expect && test_cmp expect out &&
	HUB_OFFLINE=1 hub load --print alice/proj:main echo 2 >out &&
	test_cmp expect out &&
	test "$(server_request_count .)" = 0
'

test_expect_success 'torch.hub.load finds what hub fetched, trusted, without a question' '
	"$HUB_TEST_PYTHON" -c "
import torch.hub as h
print(repr(h.load(\"alice/proj:main\", \"echo\", 3, trust_repo=\"check\")))
" </dev/null >out 2>err &&
	echo "Echo(args=(3,), kwargs={})" >expect &&
	test_cmp expect out &&
	test "$(server_request_count .)" = 0
'

test_expect_success 'without a ref: the cached main, trusted by the list' '
	hub load alice/proj echo >out &&
	echo Echo >expect && test_cmp expect out
'

url=https://download.pytorch.org/models/tiny-0123abcd.pth

test_expect_success 'weights the entry downloads come through the proxy into checkpoints/' '
	server_reset_log &&
	hub load --print alice/proj:main fetch_weights "url=$url" >out 2>err &&
	test_grep "^{.w.: tensor(" out &&
	cmp tiny-0123abcd.pth "$hub_dir/checkpoints/tiny-0123abcd.pth" &&
	test "$(server_request_count_where method=^GET$ host=^download.pytorch.org$ status=200)" = 1
'

test_expect_success 'and are not downloaded again' '
	server_reset_log &&
	HUB_OFFLINE=1 hub load --print alice/proj:main fetch_weights "url=$url" >out 2>err &&
	test_grep "^{.w.: tensor(" out &&
	test "$(server_request_count .)" = 0
'

test_expect_success 'a repository the server does not know: fetch'"'"'s not-found status' '
	test_must_fail status=5 hub load --trust-repo alice/nothere:main echo 2>err &&
	test_grep "alice/nothere" err
'

test_done
