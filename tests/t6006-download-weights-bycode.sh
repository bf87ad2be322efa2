#!/bin/sh
test_description='per-entrypoint weights: URLs built by code, against what Python downloads'
. "$(dirname "$0")/lib.sh"
. "$TEST_DIRECTORY/lib-server.sh"

# tests/data/weights/bycode builds its URLs by concatenation, str.format,
# f-strings from the entrypoint's name through a helper, a dict of
# per-model URLs and Enum members; one comes from os.environ, one entry
# loads from a model hub by id, and a data set class holds archives.
# The truth is what Debian's Python downloads when it runs each entry
# (tests/weights-oracle.py records torch.hub's download calls).
fixture=$TEST_DIRECTORY/data/weights/bycode
test_expect_success 'setup: the fixture, what Python downloads, a host serving it all' '
	cp -R "$fixture" repo &&
	"$HUB_TEST_PYTHON" "$TEST_DIRECTORY/weights-oracle.py" repo >oracle.json &&
	"$HUB_TEST_PYTHON" -c "
import json
o = json.load(open(\"oracle.json\"))
assert o[\"net_small\"] and o[\"enum_net\"] and not o[\"no_weights\"], o
for urls in o.values():
    for u in urls:
        if u.startswith(\"https://\"):
            print(u)
" >urls &&
	test_line_count = 8 urls &&
	echo https://weights.example/data/toy-images.tar >>urls &&
	echo https://weights.example/data/toy-labels.zip >>urls &&
	while read url; do
		rest=${url#https://} &&
		echo "$url" >payload &&
		fixture_weight "${rest%%/*}" "${rest#*/}" payload || return 1
	done <urls
'
start_server || exit 1
use_proxy

test_expect_success 'help --json ENTRY: every entry lists what Python downloads (the env and hub-id entries apart)' '
	hub list ./repo >names &&
	for name in $(cat names); do
		hub --json help ./repo "$name" >"help-$name.json" 2>"help-$name.err" || return 1
	done &&
	"$HUB_TEST_PYTHON" -c "
import json, sys
o = json.load(open(\"oracle.json\"))
names = open(\"names\").read().split()
assert sorted(names) == sorted(o), (names, sorted(o))
bad = []
for n in names:
    h = json.load(open(\"help-%s.json\" % n))
    got = sorted(w[\"url\"] for w in h[\"weights\"])
    want = [u for u in o[n] if u.startswith(\"https://\")]
    if any(u.startswith(\"error: ModuleNotFoundError\") for u in o[n]):
        # a model the entry loads by id from a hub hub does not serve
        if got or not h[\"weight_hub_ids\"]:
            bad.append((n, got, h[\"weight_hub_ids\"]))
        continue
    if n == \"from_env\":
        # the URL comes from the environment at run time: warned, not guessed
        want = []
        if not any(\"cannot compute the URL\" in w for w in h[\"weight_warnings\"]):
            bad.append((n, h[\"weight_warnings\"]))
    if got != want:
        bad.append((n, got, want))
    for w in h[\"weights\"]:
        assert w[\"file\"] == w[\"url\"].rsplit(\"/\", 1)[1] and w[\"size\"] is None and not w[\"cached\"], w
assert not bad, bad
print(len(names))
" >count &&
	test "$(cat count)" = 11
'

test_expect_success 'help ENTRY: a weights section under the docstring' '
	hub help ./repo net_tiny >out 2>err &&
	test_grep "^weights:$" out &&
	test_grep "^  net_tiny-ee55ff66.pth  https://weights.example/nets/net_tiny-ee55ff66.pth$" out &&
	test_grep ! net_small out &&
	hub help ./repo from_hf >out 2>err &&
	test_grep "example-org/hf-net  from a model hub by id" out &&
	hub help ./repo from_env >out 2>err &&
	test_grep "warning: hubconf.py:36: cannot compute the URL passed to load_state_dict_from_url(): os.environ" err
'

test_expect_success 'download --entry, repeated: exactly those entries weights' '
	hub download ./repo --entry net_small --entry enum_net --weights --dry-run >out 2>err &&
	grep -o "https://[^ ]*" out | sort >got &&
	printf "%s\n" https://weights.example/enum/enum_net-v1-01020304.pth \
		https://weights.example/enum/enum_net-v2-05060708.pth \
		https://weights.example/nets/net_small-aa11bb22.pth >expect &&
	test_cmp expect got &&
	hub download ./repo --entry net_large >out 2>err &&
	test -s "$TORCH_HOME/hub/checkpoints/net_large-cc33dd44.pth" &&
	! test -e "$TORCH_HOME/hub/checkpoints/net_small-aa11bb22.pth"
'

test_expect_success 'download --weights: every entry, no data set archive; the env URL warned, the hub id told' '
	hub download ./repo --weights --dry-run >out 2>err &&
	grep -o "https://[^ ]*" out | sort >got &&
	grep -v -e /data/toy -e /mirror/ urls | sort >expect &&
	test_cmp expect got &&
	test_grep ! "/data/toy" out &&
	test_grep "from_env: hubconf.py:36: cannot compute the URL" err &&
	test_grep "from_hf: its weights come from a model hub by id, which hub does not download: example-org/hf-net (hubconf.py:43)" err
'

test_expect_success 'an --entry the SPEC does not have: exit 5, close names, nothing fetched' '
	test_must_fail status=5 hub download ./repo --entry net_smal --weights --dry-run >out 2>err &&
	test_grep "download: .net_smal. is not an entrypoint of .*repo; did you mean .net_small." err &&
	test_grep ! "https:" out
'

test_expect_success '--weights-all keeps the old behaviour: every URL literal, archives too' '
	hub download ./repo --weights-all --dry-run >out 2>err &&
	test_grep "toy-images.tar" out &&
	test_grep "toy-labels.zip" out &&
	test_must_fail status=2 hub download ./repo --weights-all --entry net_small 2>err &&
	test_grep "not with --weights or --entry" err
'

test_done
