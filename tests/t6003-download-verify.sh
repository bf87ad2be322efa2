#!/bin/sh
test_description='hub download --verify: checkpoints hashed again against the manifest and their names'
. "$(dirname "$0")/lib.sh"
. "$TEST_DIRECTORY/lib-server.sh"

ckpt=$TORCH_HOME/hub/checkpoints
start_server || exit 1
use_base_urls
url() {
	echo "https://localhost:$HUB_TEST_HTTPS_PORT/weights/$1"
}

test_expect_success 'setup: two downloads, a file torch.hub fetched with a hash in its name, one without' '
	head -c 100000 /dev/urandom | tr x y >a.bin &&  # no "x": writing one changes it
	head -c 50000 /dev/urandom >b.bin &&
	fixture_weight local a.pth a.bin &&
	fixture_weight local b.pth b.bin &&
	hub download "$(url a.pth)" "$(url b.pth)" >/dev/null 2>&1 &&
	short=$(sha256sum b.bin | cut -c1-10) &&
	cp b.bin "$ckpt/torch-$short.pth" &&
	cp a.bin "$ckpt/plain.pth" &&
	echo "$short" >short
'

test_expect_success 'everything verifies: ok by manifest or name, unchecked without either' '
	hub download --verify >out 2>err &&
	cat >expect <<-EOT &&
	ok         a.pth (manifest)
	ok         b.pth (manifest)
	unchecked  plain.pth
	ok         torch-$(cat short).pth (file name)
	EOT
	test_cmp expect out &&
	test_grep "4 checkpoints verified" err
'

test_expect_success 'a damaged checkpoint is a mismatch: exit 6, expected and actual hash' '
	printf x | dd of="$ckpt/a.pth" bs=1 seek=500 conv=notrunc 2>/dev/null &&
	test_must_fail status=6 hub download --verify >out 2>err &&
	test_grep "^MISMATCH   a.pth: expected $(sha256sum a.bin | cut -c1-64) (manifest), got $(sha256sum "$ckpt/a.pth" | cut -c1-64)$" out &&
	test_grep "^hub: a.pth: hash mismatch" err
'

test_expect_success 'a name whose hash is wrong is a mismatch too, --json says which' '
	cp a.bin "$ckpt/torch-$(cat short).pth" &&
	test_must_fail status=6 hub --json download --verify >out 2>err &&
	"$HUB_TEST_PYTHON" -c "
import json
d = {e[\"name\"]: e for e in json.load(open(\"out\"))}
t = d[\"torch-$(cat short).pth\"]
assert t[\"result\"] == \"MISMATCH\" and t[\"checked_against\"] == \"file name\" and t[\"expected\"] == \"$(cat short)\", t
assert d[\"b.pth\"][\"result\"] == \"ok\", d
" &&
	test_grep "2 of 4 checkpoints failed verification" err
'

test_expect_success 'an empty or missing checkpoints folder verifies' '
	hub -d "$TRASH/empty" download --verify >out 2>err &&
	test_must_be_empty out
'

test_expect_success '--verify takes no operands' '
	test_must_fail status=2 hub download --verify "$(url a.pth)" 2>err &&
	test_grep "takes no operands" err
'

test_done
