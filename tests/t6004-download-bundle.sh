#!/bin/sh
test_description='hub download --bundle, and importing a bundle offline for torch.hub'
. "$(dirname "$0")/lib.sh"
. "$TEST_DIRECTORY/lib-server.sh"

offline=$TRASH/offline
test_expect_success 'setup: a repository whose entry loads weights from the fake host' '
	"$HUB_TEST_PYTHON" -c "
import torch
torch.manual_seed(7)
m = torch.nn.Linear(3, 2)
torch.save(m.state_dict(), \"linear.pth\")
print(round(float(m.weight.sum() + m.bias.sum()), 6))
" >expect-sum &&
	short=$(sha256sum linear.pth | cut -c1-12) &&
	echo "https://download.pytorch.org/models/linear-$short.pth" >weight-url &&
	fixture_weight download.pytorch.org "models/linear-$short.pth" linear.pth &&
	mkdir -p src/sub &&
	cat >src/hubconf.py <<-EOF &&
	dependencies = ["torch"]
	import torch
	URL = "$(cat weight-url)"
	def linear(pretrained=True):
	    """A tiny model with pretrained weights."""
	    m = torch.nn.Linear(3, 2)
	    if pretrained:
	        m.load_state_dict(torch.hub.load_state_dict_from_url(URL, progress=False, check_hash=True))
	    return m
	EOF
	echo "notes" >src/sub/notes.txt &&
	ln -s sub/notes.txt src/link.txt &&
	fixture_repo alice proj main "$TRASH/src" >sha
'
start_server || exit 1
use_proxy

test_expect_success '--bundle writes what was fetched into one tar with a manifest' '
	hub download alice/proj:main "$(cat weight-url)" --bundle b.tar >out 2>err &&
	test_grep "bundle: b.tar (1 repositories, 1 checkpoints)" err &&
	tar tf b.tar >list &&
	test_grep "^hub-bundle/manifest.json$" list &&
	test_grep "^hub-bundle/repos/alice_proj_main/hubconf.py$" list &&
	test_grep "^hub-bundle/checkpoints/linear-.*\.pth$" list &&
	tar xOf b.tar hub-bundle/manifest.json >manifest.json &&
	"$HUB_TEST_PYTHON" -c "
import json, hashlib
m = json.load(open(\"manifest.json\"))
assert m[\"format\"] == \"hub-bundle\" and m[\"version\"] == 1 and m[\"hub_version\"], m
r = m[\"repositories\"][0]
assert r[\"spec\"] == \"alice/proj:main\" and r[\"ref\"] == \"main\" and r[\"commit\"] == \"$(cat sha)\", r
c = m[\"checkpoints\"][0]
assert c[\"url\"] == \"$(cat weight-url)\" and c[\"sha256\"] == hashlib.sha256(open(\"linear.pth\", \"rb\").read()).hexdigest(), c
e = {x[\"path\"]: x for x in m[\"entries\"]}
assert e[\"repos/alice_proj_main/hubconf.py\"][\"sha256\"] == hashlib.sha256(open(\"src/hubconf.py\", \"rb\").read()).hexdigest()
assert e[\"repos/alice_proj_main/link.txt\"] == {\"path\": \"repos/alice_proj_main/link.txt\", \"type\": \"symlink\", \"target\": \"sub/notes.txt\"}, e
"
'

# No network at all: offline, and every proxy a closed port.
no_network() {
	env HUB_OFFLINE=1 https_proxy=http://127.0.0.1:1 http_proxy=http://127.0.0.1:1 \
		HTTPS_PROXY=http://127.0.0.1:1 TORCH_HOME="$offline" "$@"
}

test_expect_success 'import into a fresh hub dir, offline: every entry published' '
	server_reset_log &&
	no_network "$HUB_BIN" download b.tar >out 2>err &&
	test_grep "imported 1 repositories and 1 checkpoints" err &&
	test_cmp src/hubconf.py "$offline/hub/alice_proj_main/hubconf.py" &&
	test_cmp src/sub/notes.txt "$offline/hub/alice_proj_main/sub/notes.txt" &&
	test "$(readlink "$offline/hub/alice_proj_main/link.txt")" = sub/notes.txt &&
	test_cmp linear.pth "$offline/hub/checkpoints/$(basename "$(cat weight-url)")" &&
	grep "^commit $(cat sha)$" "$offline/hub/.hub/refs/alice_proj_main" &&
	test -z "$(ls -A "$offline/hub/.hub/tmp")" &&
	test "$(server_request_count .)" = 0
'

test_expect_success 'the import kept the answers of list: the first list reads them back' '
	no_network "$HUB_BIN" -v list alice/proj:main >out 2>err &&
	test_grep "scan: .*/alice_proj_main: reused" err &&
	echo linear >expect-list &&
	test_cmp expect-list out
'

test_expect_success 'torch.hub 1.13 uses it without network' '
	no_network "$HUB_TEST_PYTHON" -c "
import torch
m = torch.hub.load(\"alice/proj:main\", \"linear\", trust_repo=True)
print(round(float(m.weight.sum() + m.bias.sum()), 6))
" >sum 2>torch-err &&
	test_cmp expect-sum sum &&
	test "$(server_request_count .)" = 0
'

test_expect_success 'hub verifies what the bundle brought' '
	no_network "$HUB_BIN" download --verify >out &&
	test_grep "^ok .*linear-.*manifest" out
'

test_expect_success 'importing again: the same commit is left as it is' '
	no_network "$HUB_BIN" download b.tar 2>err &&
	test_grep "already there at that commit" err
'

test_expect_success 'a gzipped bundle imports too' '
	gzip -c b.tar >b.tar.gz &&
	no_network "$HUB_BIN" -d "$TRASH/gz/hub" download b.tar.gz >out &&
	test_cmp src/hubconf.py "$TRASH/gz/hub/alice_proj_main/hubconf.py"
'

# make_variant NAME PYTHON: b.tar rewritten by PYTHON (members in t, data in d).
make_variant() {
	"$HUB_TEST_PYTHON" - "$1" "$2" <<-\EOF
	import io, sys, tarfile
	out, code = sys.argv[1], sys.argv[2]
	src = tarfile.open("b.tar")
	members = [(m, src.extractfile(m).read() if m.isfile() else None) for m in src.getmembers()]
	exec(code)
	with tarfile.open(out, "w", format=tarfile.PAX_FORMAT) as t:
	    for m, data in members:
	        if data is not None:
	            m.size = len(data)
	            t.addfile(m, io.BytesIO(data))
	        else:
	            t.addfile(m)
	EOF
}

# refused FILE WORDS: the import fails with exit 6, naming WORDS, and the
# fresh hub dir holds nothing but hub's own bookkeeping.
refused() {
	rm -rf "$TRASH/fresh" &&
	test_must_fail status=6 no_network "$HUB_BIN" -d "$TRASH/fresh/hub" download "$1" 2>err &&
	test_line_count = 1 err &&
	test_grep "$2" err &&
	test -z "$(ls -A "$TRASH/fresh/hub" | grep -v "^\.hub$")" &&
	test -z "$(ls -A "$TRASH/fresh/hub/.hub/tmp")"
}

test_expect_success 'a changed file is refused, naming the entry; the cache stays as it was' '
	make_variant t1.tar "members = [(m, d.replace(b\"tiny\", b\"tinY\") if d else d) for m, d in members]" &&
	refused t1.tar "entry .repos/alice_proj_main/hubconf.py. is damaged or was changed"
'

test_expect_success 'a changed checkpoint is refused' '
	make_variant t2.tar "members = [(m, d[:-1] + bytes([d[-1] ^ 1]) if m.name.startswith(\"hub-bundle/checkpoints/\") else d) for m, d in members]" &&
	refused t2.tar "entry .checkpoints/linear-.*. is damaged or was changed"
'

test_expect_success 'a missing entry is refused' '
	make_variant t3.tar "members = [(m, d) for m, d in members if not m.name.endswith(\"notes.txt\")]" &&
	refused t3.tar "entry .repos/alice_proj_main/sub/notes.txt. is missing"
'

test_expect_success 'an extra entry is refused' '
	make_variant t4.tar "
x = tarfile.TarInfo(\"hub-bundle/repos/alice_proj_main/evil.py\")
members.insert(3, (x, b\"import os\"))" &&
	refused t4.tar "entry .repos/alice_proj_main/evil.py. is not in the manifest"
'

test_expect_success 'a manifest naming a path outside repos/ and checkpoints/ is refused' '
	make_variant t5.tar "
import json
members = [(m, d.replace(b\"checkpoints/linear\", b\"elsewhere/linear\") if m.name.endswith(\"manifest.json\") else d) for m, d in members]" &&
	refused t5.tar "bad entry"
'

test_expect_success 'an entry climbing out of the tree is refused by the extractor' '
	make_variant t6.tar "
x = tarfile.TarInfo(\"hub-bundle/../../escape.txt\")
members.insert(1, (x, b\"x\"))" &&
	refused t6.tar "escape.txt" &&
	! test -e "$TRASH/escape.txt" && ! test -e "$TRASH/fresh/escape.txt"
'

test_expect_success 'a truncated bundle and a file that is not a bundle are refused' '
	head -c $(($(stat -c %s b.tar) / 2)) b.tar >t7.tar &&
	refused t7.tar "^hub: t7.tar: " &&
	echo "not a tar" >t8.tar &&
	refused t8.tar "^hub: t8.tar: "
'

test_expect_success '--weights --bundle: the weights the code names go in the bundle too' '
	hub download alice/proj:main --weights --bundle w.tar >out 2>err &&
	test_grep "bundle: w.tar (1 repositories, 1 checkpoints)" err &&
	tar tf w.tar >list &&
	test_grep "^hub-bundle/checkpoints/$(basename "$(cat weight-url)")$" list &&
	rm -rf "$TRASH/w" &&
	no_network "$HUB_BIN" -d "$TRASH/w/hub" download w.tar >out &&
	test_cmp linear.pth "$TRASH/w/hub/checkpoints/$(basename "$(cat weight-url)")"
'

test_expect_success 'a BUNDLE is imported alone' '
	test_must_fail status=2 hub download b.tar alice/proj:main 2>err &&
	test_grep "imported alone" err
'

test_expect_success 'no bundle is written when a download failed' '
	test_must_fail status=5 hub download https://download.pytorch.org/models/missing.pth --bundle c.tar 2>err &&
	test_grep "c.tar: not written" err &&
	! test -e c.tar
'

test_done
