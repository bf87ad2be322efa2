#!/bin/sh
test_description='hub list without SPEC: what the cache holds, as text and JSON'
. "$(dirname "$0")/lib.sh"

H=$TORCH_HOME/hub

make_repo() {
	mkdir -p "$H/$1/sub" &&
	echo "def model(): pass" >"$H/$1/hubconf.py" &&
	head -c 5000 /dev/zero >"$H/$1/sub/data.bin"
}

# The JSON listing, checked by a Python snippet reading it as d.
check_json() {
	hub list --json >list.json &&
	"$HUB_TEST_PYTHON" -c "
import json
d = json.load(open('list.json'))
repos = {r['folder']: r for r in d['repositories']}
ckpts = {c['name']: c for c in d['checkpoints']}
partial = {p['name']: p for p in d['partial']}
$1"
}

test_expect_success 'no hub dir yet: an empty cache, not an error' '
	hub list >out 2>err &&
	echo "total: 0 B (0 bytes) in 0 repositories, 0 checkpoints, 0 leftovers" >expect &&
	test_cmp expect out && test_must_be_empty err &&
	test ! -e "$H" &&
	check_json "assert d[\"repositories\"] == [] and d[\"totals\"][\"bytes\"] == 0, d"
'

test_expect_success 'a cache as torch.hub and hub leave it' '
	make_repo pytorch_vision_main &&
	make_repo facebookresearch_dino_main &&
	make_repo someone_my_repo_release_1.0 &&
	mkdir -p "$H/.hub/refs" &&
	printf "commit 0123456789abcdef0123456789abcdef01234567\nfetched 2024-01-02T03:04:05Z\nspec someone/my_repo:release/1.0\n" \
		>"$H/.hub/refs/someone_my_repo_release_1.0" &&
	touch -d "2023-05-06 07:08:09" "$H/pytorch_vision_main" &&
	mkdir -p "$H/checkpoints" "$H/.hub/weights" &&
	head -c 10000 /dev/zero >"$H/checkpoints/resnet18-f37072fd.pth" &&
	echo "{}" >"$H/.hub/weights/resnet18-f37072fd.pth.json" &&
	head -c 3000 /dev/zero >"$H/checkpoints/vit_b_16.pth" &&
	echo zip >"$H/main.zip" &&
	echo tmp >"$H/checkpoints/tmpab12cd34" &&
	printf "pytorch_vision\nsomeone_my_repo\n" >"$H/trusted_list"
'

test_expect_success 'text: repositories with spec, commit, size, time, who fetched them' '
	hub list >out 2>err &&
	test_must_be_empty err &&
	test_grep "^repositories (3, [0-9.]* KiB):$" out &&
	test_grep "^  someone/my_repo:release/1.0  0123456789ab  *[0-9.]* KiB  2024-01-02 03:04  hub$" out &&
	test_grep "^  pytorch/vision:main  *-  *[0-9.]* KiB  2023-05-06 07:08  torch.hub$" out &&
	test_grep "^  facebookresearch/dino:main  *- .* torch.hub$" out &&
	test_grep "^checkpoints (2, 16.0 KiB):$" out &&
	test_grep "^  resnet18-f37072fd.pth  *12.0 KiB  .*  hub$" out &&
	test_grep "^  vit_b_16.pth  *4.0 KiB  .*  torch.hub$" out &&
	test_grep "^partial downloads and leftovers (2, 8.0 KiB):$" out &&
	test_grep "^  checkpoints/tmpab12cd34  *4.0 KiB  .*  tmp$" out &&
	test_grep "^  main.zip  *4.0 KiB  .*  zip$" out &&
	test_grep "^total: .* in 3 repositories, 2 checkpoints, 2 leftovers$" out
'

test_expect_success 'sizes are disk usage, as du counts them' '
	want=$(du -s -B1 "$H/pytorch_vision_main" | cut -f1) &&
	check_json "assert repos[\"pytorch_vision_main\"][\"bytes\"] == $want, repos"
'

test_expect_success 'the total adds everything up' '
	check_json "
t = d[\"totals\"]
s = sum(e[\"bytes\"] for k in (\"repositories\", \"checkpoints\", \"partial\") for e in d[k])
assert t[\"bytes\"] == s > 0, t
assert t[\"repositories\"][\"count\"] == 3 and t[\"checkpoints\"][\"count\"] == 2, t
assert t[\"partial\"][\"count\"] == 2, t
"
'

test_expect_success 'JSON: exact names from hub'"'"'s record, guessed ones marked' '
	check_json "
r = repos[\"someone_my_repo_release_1.0\"]
assert r[\"spec\"] == \"someone/my_repo:release/1.0\" and r[\"exact\"] is True, r
assert r[\"owner\"] == \"someone\" and r[\"name\"] == \"my_repo\" and r[\"ref\"] == \"release/1.0\", r
assert r[\"commit\"] == \"0123456789abcdef0123456789abcdef01234567\", r
assert r[\"fetched\"] == \"2024-01-02T03:04:05Z\" and r[\"fetched_by\"] == \"hub\", r
v = repos[\"pytorch_vision_main\"]
assert v[\"spec\"] == \"pytorch/vision:main\" and v[\"exact\"] is False, v
assert v[\"commit\"] is None and v[\"fetched_by\"] == \"torch.hub\", v
assert v[\"fetched\"] == \"2023-05-06T07:08:09Z\", v
assert v[\"path\"] == \"$H/pytorch_vision_main\", v
assert ckpts[\"resnet18-f37072fd.pth\"][\"fetched_by\"] == \"hub\", ckpts
assert ckpts[\"vit_b_16.pth\"][\"fetched_by\"] == \"torch.hub\", ckpts
assert partial[\"main.zip\"][\"kind\"] == \"zip\", partial
assert partial[\"checkpoints/tmpab12cd34\"][\"kind\"] == \"tmp\", partial
assert d[\"trusted\"] == [\"pytorch_vision\", \"someone_my_repo\"], d
assert d[\"hub_dir\"] == \"$H\", d
"
'

test_expect_success 'a record that does not give the folder back is not believed' '
	make_repo a_b_c_main &&
	printf "commit 0123456789abcdef0123456789abcdef01234567\nspec x/y:z\n" >"$H/.hub/refs/a_b_c_main" &&
	check_json "
r = repos[\"a_b_c_main\"]
assert r[\"exact\"] is False and r[\"spec\"] == \"a/b:c_main\" and r[\"fetched_by\"] == \"hub\", r
" &&
	rm -rf "$H/a_b_c_main" "$H/.hub/refs/a_b_c_main"
'

test_expect_success 'leftovers of every kind are listed as such' '
	mkdir -p "$H/pytorch-vision-abc1234" "$H/.hub/tmp/x_y_main.Ab12Cd" "$H/.hub/partial" &&
	echo p >"$H/.hub/partial/big.pth.part" &&
	echo p >"$H/checkpoints/w.pth.0123456789abcdef0123456789abcdef.partial" &&
	echo r >"$H/.hub/refs/gone_repo_main" &&
	check_json "
kinds = {n: p[\"kind\"] for n, p in partial.items()}
assert kinds[\"pytorch-vision-abc1234\"] == \"extracted\", kinds
assert kinds[\".hub/tmp/x_y_main.Ab12Cd\"] == \"hub-tmp\", kinds
assert kinds[\".hub/partial/big.pth.part\"] == \"hub-partial\", kinds
assert kinds[\"checkpoints/w.pth.0123456789abcdef0123456789abcdef.partial\"] == \"partial\", kinds
assert kinds[\".hub/refs/gone_repo_main\"] == \"orphan-record\", kinds
assert \"pytorch-vision-abc1234\" not in repos, repos
" &&
	hub purge --partial >/dev/null
'

test_expect_success 'a symlink is listed as a link, never followed' '
	mkdir -p big && head -c 100000 /dev/zero >big/blob &&
	ln -s "$TRASH/big" "$H/linked_repo_main" &&
	check_json "
r = repos[\"linked_repo_main\"]
assert r[\"symlink\"] is True and r[\"bytes\"] < 100000, r
" &&
	rm "$H/linked_repo_main"
'

test_expect_success 'a symlinked checkpoints/ is noted, not entered' '
	mv "$H/checkpoints" "$TRASH/ck" && ln -s "$TRASH/ck" "$H/checkpoints" &&
	hub list >out 2>err &&
	test_grep "checkpoints is a symlink" err &&
	test_grep ! "vit_b_16" out &&
	hub -q list >out 2>err && test_must_be_empty err &&
	rm "$H/checkpoints" && mv "$TRASH/ck" "$H/checkpoints"
'

test_expect_success '--dir chooses the hub dir, as for every command' '
	mkdir -p other/x_y_main &&
	hub --dir other list >out &&
	test_grep "^  x/y:main " out && test_grep "in 1 repository, 0 checkpoints" out
'

test_expect_success 'a hub dir that is a file is an error' '
	: >plain &&
	test_must_fail status=1 hub -d plain list 2>err &&
	test_line_count = 1 err && test_grep "not a directory" err
'

test_done
