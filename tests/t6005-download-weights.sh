#!/bin/sh
test_description='hub download SPEC --weights-all[=GLOB], --weights and --dry-run: weight URLs found in the code'
. "$(dirname "$0")/lib.sh"
. "$TEST_DIRECTORY/lib-server.sh"

ckpt=$TORCH_HOME/hub/checkpoints
test_expect_success 'setup: a repository naming weights in hubconf.py and a module' '
	head -c 1000 /dev/urandom >a.bin &&
	head -c 2000 /dev/urandom >b.bin &&
	head -c 3000 /dev/urandom >c.bin &&
	fixture_weight download.pytorch.org models/alpha-0123abcd.pth a.bin &&
	fixture_weight download.pytorch.org models/beta.safetensors b.bin &&
	fixture_weight weights.example gamma/gamma_v2.ckpt c.bin &&
	mkdir -p src/models &&
	cat >src/hubconf.py <<-\EOF &&
	dependencies = ["torch"]
	from models.net import build
	ALPHA = "https://download.pytorch.org/models/alpha-0123abcd.pth"
	_urls = {
	    "beta": ("https://download.pytorch.org/"
	             "models/beta.safetensors"),   # implicit concatenation: two tokens
	    "beta2": "https://download.pytorch.org/models/beta.safetensors",
	}
	def alpha(pretrained=True):
	    """See https://example.com/docs.html and https://example.com/paper.pdf"""
	    return build(ALPHA)
	# "https://download.pytorch.org/models/in-a-comment.pth" is not code
	template = f"https://download.pytorch.org/models/{name}.pth"
	raw = b"https://download.pytorch.org/models/bytes.pth"
	EOF
	cat >src/models/net.py <<-\EOF &&
	GAMMA = r"https://weights.example/gamma/gamma_v2.ckpt"
	ALSO = "https://download.pytorch.org/models/alpha-0123abcd.pth"
	def build(url):
	    return url
	EOF
	printf "x = \"https://download.pytorch.org/models/hidden.pth\"\n" >src/.hidden.py &&
	fixture_repo alice proj main "$TRASH/src" >/dev/null
'
start_server || exit 1
use_proxy

test_expect_success '--weights-all --dry-run lists the files, sizes and total; downloads none' '
	server_reset_log &&
	hub download alice/proj:main --weights-all --dry-run >out 2>err &&
	cat >expect <<-EOF &&
	$TORCH_HOME/hub/alice_proj_main
	      1000 B  alpha-0123abcd.pth  https://download.pytorch.org/models/alpha-0123abcd.pth
	     2 KiB  beta.safetensors  https://download.pytorch.org/models/beta.safetensors
	     3 KiB  gamma_v2.ckpt  https://weights.example/gamma/gamma_v2.ckpt
	     6 KiB  to download: 3 of 3 files
	EOF
	sed "s/^ *//" expect >expect.trim && sed "s/^ *//" out >out.trim &&
	test_cmp expect.trim out.trim &&
	test "$(server_request_count_where method=^HEAD$)" = 3 &&
	test "$(server_request_count_where method=^GET$ "host=^(download.pytorch.org|weights.example)$")" = 0 &&
	! test -e "$ckpt"
'

test_expect_success '--weights downloads them into checkpoints/' '
	hub download alice/proj:main --weights-all >out 2>err &&
	test_cmp a.bin "$ckpt/alpha-0123abcd.pth" &&
	test_cmp b.bin "$ckpt/beta.safetensors" &&
	test_cmp c.bin "$ckpt/gamma_v2.ckpt" &&
	test_line_count = 4 out
'

test_expect_success '--dry-run marks what is already present; --json too' '
	hub --json download alice/proj:main --weights-all=gamma* --dry-run >out &&
	"$HUB_TEST_PYTHON" -c "
import json
text = open(\"out\").read()
# the SPEC answer comes first, then the weights list
specs, end = json.JSONDecoder().raw_decode(text)
w = json.loads(text[end:])
assert specs[0][\"spec\"] == \"alice/proj:main\", specs
assert len(w) == 1 and w[0][\"url\"] == \"https://weights.example/gamma/gamma_v2.ckpt\" and w[0][\"cached\"], w
"
'

test_expect_success 'GLOB filters by file name or URL' '
	hub download alice/proj:main --weights-all="*.safetensors" --dry-run >out &&
	test_grep "beta.safetensors" out && test_grep ! "alpha" out &&
	hub download alice/proj:main --weights-all="https://weights.example/*" --dry-run >out &&
	test_grep "gamma_v2.ckpt" out && test_grep ! "beta" out
'

test_expect_success '--weights on a local directory SPEC' '
	hub download ./src --weights-all=alpha* --dry-run >out &&
	test_grep "alpha-0123abcd.pth (present)" out
'

test_expect_success 'a repository naming no weights says so' '
	mkdir -p empty && echo "def f(): pass" >empty/hubconf.py &&
	hub download ./empty --weights-all --dry-run >out 2>err &&
	test_grep "no weight URLs in its code" err &&
	hub download ./empty --weights --dry-run >out 2>err &&
	test_grep "no weight URLs reachable from its entrypoints" err
'

test_expect_success '--weights: only what an entrypoint reaches (alpha names ALPHA; _urls and GAMMA are named by none)' '
	hub download ./src --weights --dry-run >out 2>err &&
	test_grep "alpha-0123abcd.pth" out &&
	test_grep ! "beta" out && test_grep ! "gamma" out &&
	test_grep "to download: 0 of 1 files" out
'

test_expect_success '--weights needs a SPEC; a missing weight file is exit 5 with the others fetched' '
	test_must_fail status=2 hub download --weights https://weights.example/gamma/gamma_v2.ckpt 2>err &&
	test_grep "needs a SPEC" err &&
	mkdir -p src2 &&
	printf "A = \"https://weights.example/gone.pth\"\nB = \"https://download.pytorch.org/models/beta.safetensors\"\n" >src2/hubconf.py &&
	rm "$ckpt/beta.safetensors" &&
	test_must_fail status=5 hub download ./src2 --weights-all 2>err &&
	test_grep "1 of 2 downloads failed: gone.pth" err &&
	test_cmp b.bin "$ckpt/beta.safetensors"
'

test_done
