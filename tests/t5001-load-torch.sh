#!/bin/sh
test_description='hub load with torch: summary, --save, --state-dict, --device, weights'
. "$(dirname "$0")/lib.sh"

data=$TEST_DIRECTORY/data/load
export HUB_PYTHON="$HUB_TEST_PYTHON"

py() {
	"$HUB_TEST_PYTHON" -c "$@"
}

test_expect_success 'a module: type, parameter count, dtype and device' '
	hub load "$data/linear" tiny >out 2>err &&
	echo "Tiny: 10 parameters, torch.float32, cpu" >expect &&
	test_cmp expect out &&
	test_must_be_empty err &&
	hub load "$data/linear" tiny width=1000 >out &&
	echo "Tiny: 2,002 parameters, torch.float32, cpu" >expect &&
	test_cmp expect out &&
	hub load "$data/linear" half >out &&
	echo "Linear: 4 parameters, torch.float16, cpu" >expect &&
	test_cmp expect out
'

test_expect_success 'a tensor: shape, dtype and device' '
	hub load "$data/linear" tensor >out &&
	echo "Tensor: shape (2, 3), torch.float32, cpu" >expect &&
	test_cmp expect out
'

test_expect_success '--print shows the full repr' '
	hub load --print "$data/linear" linear width=3 >out &&
	echo "Linear(in_features=3, out_features=2, bias=True)" >expect &&
	test_cmp expect out
'

test_expect_success '--json gives the same facts' '
	hub --json load "$data/linear" tiny >out &&
	py "import json; d = json.load(open(\"out\")); assert d == {\"type\": \"Tiny\", \"module\": \"hubconf\", \"parameters\": 10, \"dtypes\": [\"torch.float32\"], \"devices\": [\"cpu\"]}, d"
'

test_expect_success '--save: torch.load elsewhere gives the same parameters' '
	hub load --save model.pt "$data/linear" tiny seed=7 >out &&
	test -s model.pt &&
	py "
import sys, torch
sys.path.insert(0, \"$data/linear\")  # the class lives in hubconf.py
import hubconf
saved = torch.load(\"model.pt\")
fresh = hubconf.tiny(seed=7)
assert type(saved).__name__ == \"Tiny\", type(saved)
for a, b in zip(saved.state_dict().values(), fresh.state_dict().values()):
    assert torch.equal(a, b), (a, b)
"
'

test_expect_success '--save of a torch class needs no repository to load' '
	hub load --save linear.pt "$data/linear" linear >/dev/null &&
	(cd / && py "import torch; m = torch.load(\"$TRASH/linear.pt\"); assert m.weight.shape == (2, 4)")
'

test_expect_success '--state-dict: loads into a fresh module, same values' '
	hub load --state-dict sd.pt "$data/linear" linear width=5 seed=3 >/dev/null &&
	py "
import torch
torch.manual_seed(3)
want = torch.nn.Linear(5, 2)
got = torch.nn.Linear(5, 2)
got.load_state_dict(torch.load(\"sd.pt\"))
assert torch.equal(got.weight, want.weight) and torch.equal(got.bias, want.bias)
"
'

test_expect_success '--save and --state-dict write whole files with umask modes' '
	(umask 022 && hub load --save m.pt --state-dict s.pt "$data/linear" linear >/dev/null) &&
	stat -c %a m.pt s.pt >modes &&
	printf "644\n644\n" >expect &&
	test_cmp expect modes &&
	ls -a >listing &&
	test_grep ! hub-save listing
'

test_expect_success 'a failed --save leaves FILE as it was, and no temporary' '
	echo old >keep.pt &&
	test_must_fail status=1 hub load --save keep.pt "$data/plain" unpicklable 2>err &&
	test_grep "generator" err &&
	echo old >expect && test_cmp expect keep.pt &&
	ls -a >listing &&
	test_grep ! hub-save listing
'

test_expect_success '--save into a folder is a usage error' '
	mkdir folder &&
	test_must_fail status=2 hub load --save folder "$data/linear" linear 2>err &&
	test_grep "is a directory" err
'

test_expect_success '--state-dict of something without state_dict(): exit 1, a clear line' '
	test_must_fail status=1 hub load --state-dict x.pt "$data/plain" echo 2>err &&
	echo "hub: load: --state-dict: a Echo has no state_dict()" >expect &&
	test_cmp expect err &&
	! test -e x.pt
'

test_expect_success '--device cpu moves the module first' '
	hub load --device cpu "$data/linear" tiny >out &&
	echo "Tiny: 10 parameters, torch.float32, cpu" >expect &&
	test_cmp expect out &&
	hub load --device cpu "$data/linear" tensor >out &&
	echo "Tensor: shape (2, 3), torch.float32, cpu" >expect &&
	test_cmp expect out
'

test_expect_success '--device: a bad device is torch'"'"'s error; an object without .to() ours' '
	test_must_fail status=1 hub load --device nonsense "$data/linear" tiny 2>err &&
	test_grep "RuntimeError" err &&
	test_must_fail status=1 hub load --device cpu "$data/plain" echo 2>err &&
	echo "hub: load: --device: a Echo has no .to()" >expect &&
	test_cmp expect err &&
	test_must_fail status=2 hub load --device "" "$data/plain" echo 2>err
'

test_expect_success 'weights an entry downloads land in <hub dir>/checkpoints' '
	py "import torch; torch.save({\"w\": torch.ones(2)}, \"weights-v1.pth\")" &&
	hub load --print "$data/plain" fetch_weights "url=file://$TRASH/weights-v1.pth" >out 2>err &&
	test_grep "tensor(\[1., 1.\])" out &&
	cmp weights-v1.pth "$TORCH_HOME/hub/checkpoints/weights-v1.pth" &&
	hub -d "$TRASH/other" load "$data/plain" fetch_weights "url=file://$TRASH/weights-v1.pth" >out 2>err &&
	cmp weights-v1.pth "$TRASH/other/checkpoints/weights-v1.pth"
'

test_expect_success 'and what Python finds there is not downloaded again' '
	rm weights-v1.pth &&
	hub load --print "$data/plain" fetch_weights "url=file://$TRASH/weights-v1.pth" >out 2>err &&
	test_grep "tensor(\[1., 1.\])" out &&
	test_grep ! Downloading err
'

test_done
