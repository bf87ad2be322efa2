#!/bin/sh
test_description='hub load pytorch/vision:v0.14.1 resnet18 weights=IMAGENET1K_V1, end to end'
. "$(dirname "$0")/lib.sh"
. "$TEST_DIRECTORY/lib-server.sh"

# The real repository, pytorch/vision at v0.14.1 (Debian's orig tarball is
# upstream's release tree), served by the fake GitHub; its weights served by
# the fake download.pytorch.org at the very URL torchvision asks for.
#
# The file torchvision 0.14.1 names, resnet18-f37072fd.pth, carries a hash
# prefix, but Weights.get_state_dict calls load_state_dict_from_url(url,
# progress=...) without check_hash (torchvision/models/_api.py:66), so
# torch.hub never checks it: the test serves a state dict of its own making
# (a seeded resnet18) under that name, and checks that exactly those tensors
# end up in the model. A file whose SHA-256 started with f37072fd would take
# about 2^32 hashes to find.
tarball=$TOP_DIRECTORY/build/src/pytorch-vision_0.14.1.orig.tar.gz
test_expect_success 'the pytorch/vision fixture is there (make test fetches it)' '
	test -f "$tarball"
'

export HUB_PYTHON="$HUB_TEST_PYTHON"
hub_dir=$TORCH_HOME/hub
url_path=/models/resnet18-f37072fd.pth

test_expect_success 'setup: the vision tree at v0.14.1, and weights for resnet18' '
	mkdir vision &&
	tar -xzf "$tarball" -C vision &&
	src=$(echo vision/vision-*) &&
	test -f "$src/hubconf.py" &&
	fixture_repo pytorch vision refs/tags/v0.14.1 "$TRASH/$src" >sha &&
	"$HUB_TEST_PYTHON" -c "
import sys, torch
sys.path.insert(0, sys.argv[1])
from torchvision.models.resnet import resnet18
torch.manual_seed(20140101)
torch.save(resnet18().state_dict(), \"resnet18-f37072fd.pth\")
" "$TRASH/$src" 2>/dev/null &&
	fixture_weight download.pytorch.org "$url_path" resnet18-f37072fd.pth
'
start_server || exit 1
use_proxy
export SSL_CERT_FILE="$HUB_TEST_CA"

test_expect_success 'hub load: fetched, trusted (owner pytorch), weights downloaded, model built' '
	hub load --state-dict got.pt pytorch/vision:v0.14.1 resnet18 weights=IMAGENET1K_V1 \
		</dev/null >out 2>err &&
	echo "ResNet: 11,689,512 parameters, torch.float32, cpu" >expect &&
	test_cmp expect out &&
	test -f "$hub_dir/pytorch_vision_v0.14.1/hubconf.py" &&
	! test -e "$hub_dir/trusted_list"
'

test_expect_success 'the checkpoint is in <hub dir>/checkpoints, from torchvision'"'"'s URL' '
	cmp resnet18-f37072fd.pth "$hub_dir/checkpoints/resnet18-f37072fd.pth" &&
	test "$(server_request_count_where method=^GET$ host=^download.pytorch.org$ "path=^$url_path$" status=200)" = 1 &&
	test "$(server_request_count_where method=^GET$ host=^download.pytorch.org$)" = 1
'

test_expect_success 'the model holds exactly the served tensors' '
	"$HUB_TEST_PYTHON" -c "
import torch
served = torch.load(\"resnet18-f37072fd.pth\")
got = torch.load(\"got.pt\")
assert served.keys() == got.keys()
for name in served:
    assert torch.equal(served[name], got[name]), name
"
'

test_expect_success 'a second load opens no connection at all' '
	server_reset_log &&
	hub load pytorch/vision:v0.14.1 resnet18 weights=IMAGENET1K_V1 </dev/null >out 2>err &&
	test_cmp expect out &&
	test "$(server_request_count .)" = 0
'

test_expect_success 'nor does it offline' '
	HUB_OFFLINE=1 hub load --offline pytorch/vision:v0.14.1 resnet18 weights=IMAGENET1K_V1 \
		</dev/null >out 2>err &&
	test_cmp expect out &&
	test "$(server_request_count .)" = 0
'

test_expect_success 'torch.hub.load uses the same repository and checkpoint, no request' '
	"$HUB_TEST_PYTHON" -c "
import torch, torch.hub as h
m = h.load(\"pytorch/vision:v0.14.1\", \"resnet18\", weights=\"IMAGENET1K_V1\")
served = torch.load(\"resnet18-f37072fd.pth\")
assert torch.equal(m.fc.weight, served[\"fc.weight\"])
" </dev/null >out 2>err &&
	test "$(server_request_count .)" = 0
'

test_expect_success 'a wrong weights name: torchvision'"'"'s error, exit 1, its traceback' '
	test_must_fail status=1 hub load pytorch/vision:v0.14.1 resnet18 weights=NOPE </dev/null 2>err &&
	test_grep "^ValueError: Unknown value .NOPE. for ResNet18_Weights.$" err &&
	test_grep "torchvision/models/_api.py" err &&
	test_grep ! "<string>" err
'

test_done
