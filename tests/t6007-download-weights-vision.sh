#!/bin/sh
test_description='pytorch/vision 0.14.1: each entrypoint'"'"'s weights are what its Weights enums hold; one model mirrored air-gapped'
. "$(dirname "$0")/lib.sh"
. "$TEST_DIRECTORY/lib-server.sh"

# The real repository through the fake GitHub. The truth is torchvision's
# own account, read by Debian's Python: the URLs of every member of the
# WeightsEnum classes in each builder's type hints
# (tests/vision-weights-oracle.py), and ResNet18_Weights itself. Every URL
# is served (resnet18's by a seeded state dict under its real name, the
# others by a few bytes), so --dry-run's HEAD requests all succeed.
tarball=$TOP_DIRECTORY/build/src/pytorch-vision_0.14.1.orig.tar.gz
export HUB_PYTHON="$HUB_TEST_PYTHON"
hub_dir=$TORCH_HOME/hub
offline=$TRASH/offline

test_expect_success 'setup: the vision tree, its oracle, every weight served' '
	test -f "$tarball" &&
	mkdir vision &&
	tar -xzf "$tarball" -C vision &&
	src=$(echo vision/vision-*) &&
	fixture_repo pytorch vision refs/tags/v0.14.1 "$TRASH/$src" >sha &&
	"$HUB_TEST_PYTHON" "$TEST_DIRECTORY/vision-weights-oracle.py" "$TRASH/$src" >oracle.json 2>oracle.err &&
	"$HUB_TEST_PYTHON" -c "
from torchvision.models import ResNet18_Weights
for w in ResNet18_Weights:
    print(w.url)
" | sort >resnet18.expect &&
	test -s resnet18.expect &&
	"$HUB_TEST_PYTHON" -c "
import json
o = json.load(open(\"oracle.json\"))
assert len(o) == 86, len(o)
for u in sorted({u for urls in o.values() for u in urls}):
    print(u)
" >all.expect &&
	"$HUB_TEST_PYTHON" -c "
import sys, torch
sys.path.insert(0, sys.argv[1])
from torchvision.models.resnet import resnet18
torch.manual_seed(20140101)
torch.save(resnet18().state_dict(), \"resnet18-f37072fd.pth\")
" "$TRASH/$src" 2>/dev/null &&
	echo tiny >tiny &&
	while read url; do
		rest=${url#https://} &&
		file=tiny &&
		if test "${rest##*/}" = resnet18-f37072fd.pth; then file=resnet18-f37072fd.pth; fi &&
		fixture_weight "${rest%%/*}" "/${rest#*/}" "$file" || return 1
	done <all.expect
'
start_server || exit 1
use_proxy
export SSL_CERT_FILE="$HUB_TEST_CA"

test_expect_success '--entry resnet18 --weights --dry-run: exactly ResNet18_Weights'"'"' URLs' '
	hub download pytorch/vision:v0.14.1 --entry resnet18 --weights --dry-run >out 2>err &&
	grep -o "https://[^ ]*" out | sort >got &&
	test_cmp resnet18.expect got
'

test_expect_success 'every entrypoint: help --json lists what its Weights enums hold' '
	hub list pytorch/vision:v0.14.1 >names &&
	test_line_count = 86 names &&
	for name in $(cat names); do
		hub --json help pytorch/vision:v0.14.1 "$name" >"help-$name.json" 2>/dev/null || return 1
	done &&
	"$HUB_TEST_PYTHON" -c "
import json
o = json.load(open(\"oracle.json\"))
bad = []
for n in open(\"names\").read().split():
    got = sorted(w[\"url\"] for w in json.load(open(\"help-%s.json\" % n))[\"weights\"])
    if got != o[n]:
        bad.append((n, sorted(set(o[n]) - set(got)), sorted(set(got) - set(o[n]))))
assert not bad, bad
"
'

test_expect_success '--weights: the union of all entrypoints, no data set archive' '
	hub download pytorch/vision:v0.14.1 --weights --dry-run >out 2>err &&
	grep -o "https://[^ ]*" out | sort >got &&
	test_cmp all.expect got &&
	test_grep ! -e "\.tar$" -e "\.zip$" -e "\.tgz$" got &&
	hub download pytorch/vision:v0.14.1 --weights-all --dry-run >out 2>err ||
	: "many of every literal are data sets the fake host does not serve" &&
	cat out err | grep -o "https://[^ ]*" | sed "s/:$//" | sort -u >every &&
	test_grep -e "\.tar$" -e "\.zip$" every &&
	test $(wc -l <every) -gt $(wc -l <got)
'

# No network at all: offline, and every proxy a closed port.
no_network() {
	env HUB_OFFLINE=1 https_proxy=http://127.0.0.1:1 http_proxy=http://127.0.0.1:1 \
		HTTPS_PROXY=http://127.0.0.1:1 TORCH_HOME="$offline" "$@"
}

test_expect_success 'a bundle for resnet18 carries the repository and its one checkpoint' '
	hub download pytorch/vision:v0.14.1 --entry resnet18 --weights --bundle r18.tar >out 2>err &&
	test_grep "bundle: r18.tar (1 repositories, 1 checkpoints)" err &&
	tar tf r18.tar | grep "^hub-bundle/checkpoints/." >ckpts &&
	echo hub-bundle/checkpoints/resnet18-f37072fd.pth >expect &&
	test_cmp expect ckpts
'

test_expect_success 'air-gapped: imported offline, torch.hub loads resnet18 with weights, no socket' '
	server_reset_log &&
	no_network "$HUB_BIN" download r18.tar >out 2>err &&
	test_grep "imported 1 repositories and 1 checkpoints" err &&
	no_network "$HUB_TEST_PYTHON" -c "
import socket
def refuse(*a, **k):
    raise AssertionError(\"a socket was opened\")
socket.socket.connect = refuse
socket.create_connection = refuse
import torch
m = torch.hub.load(\"pytorch/vision:v0.14.1\", \"resnet18\", weights=\"IMAGENET1K_V1\")
served = torch.load(\"resnet18-f37072fd.pth\")
for k, v in m.state_dict().items():
    assert torch.equal(v, served[k]), k
print(\"ok\")
" </dev/null >py-out 2>py-err &&
	echo ok >expect &&
	test_cmp expect py-out &&
	test "$(server_request_count .)" = 0
'

test_done
