#!/bin/sh
test_description='hub purge: specs, globs, checkpoints, leftovers, ages, trust, links, locks'
. "$(dirname "$0")/lib.sh"

H=$TORCH_HOME/hub

# make_repo FOLDER: a repository folder as torch.hub leaves it.
make_repo() {
	mkdir -p "$H/$1/sub" &&
	echo "def model(): pass" >"$H/$1/hubconf.py" &&
	echo "$1" >"$H/$1/sub/data.txt"
}

# record FOLDER SPEC: fetch.c's .hub/refs record, as for a ref hub fetched.
record() {
	mkdir -p "$H/.hub/refs" &&
	printf 'commit 0123456789abcdef0123456789abcdef01234567\nfetched 2024-01-02T03:04:05Z\nspec %s\n' \
		"$2" >"$H/.hub/refs/$1"
}

fresh_cache() {
	rm -rf "$H" && mkdir -p "$H/checkpoints" &&
	make_repo pytorch_vision_main &&
	make_repo pytorch_vision_v0.14.1 &&
	make_repo pytorch_audio_main &&
	make_repo someone_my_repo_release_1.0 &&
	record someone_my_repo_release_1.0 someone/my_repo:release/1.0 &&
	head -c 10000 /dev/zero >"$H/checkpoints/resnet18-f37072fd.pth" &&
	head -c 20000 /dev/zero >"$H/checkpoints/resnet50-0676ba61.pth" &&
	head -c 3000 /dev/zero >"$H/checkpoints/vit_b_16.pth" &&
	printf "pytorch_vision\nsomeone_my_repo\nother_thing\n" >"$H/trusted_list"
}

test_expect_success 'nothing to do, a bad duration, --untrust alone are usage errors' '
	fresh_cache &&
	test_must_fail status=2 hub purge 2>err && test_line_count = 1 err &&
	test_grep "say what to remove" err &&
	for d in 3x 12 d -1d 1.5h "" 99999999999w; do
		test_must_fail status=2 hub purge --older-than "$d" 2>err &&
		test_line_count = 1 err && test_grep "not a duration" err || return 1
	done &&
	test_must_fail status=2 hub purge --untrust 2>err && test_line_count = 1 err &&
	test_must_fail status=2 hub purge "bad spec" 2>err && test_line_count = 1 err &&
	test_must_fail status=2 hub purge --all pytorch/vision 2>err && test_line_count = 1 err
'

test_expect_success 'a SPEC that matches nothing: exit 5, and nothing is removed' '
	fresh_cache &&
	test_must_fail status=5 hub purge pytorch/vision:main nobody/nothing 2>err &&
	test_line_count = 1 err &&
	test_grep "^hub: purge: .nobody/nothing. matches nothing in the cache" err &&
	test -d "$H/pytorch_vision_main"
'

test_expect_success 'purge one ref' '
	fresh_cache &&
	hub purge pytorch/vision:main >out 2>err &&
	test_must_be_empty err &&
	test_grep "^removed pytorch_vision_main (pytorch/vision:main, [0-9.]* KiB)$" out &&
	test_grep "^freed [0-9.]* KiB ([0-9]* bytes) in 1 entry$" out &&
	test ! -e "$H/pytorch_vision_main" &&
	test -f "$H/pytorch_vision_v0.14.1/hubconf.py" &&
	test -f "$H/pytorch_audio_main/hubconf.py" &&
	ls "$H/.hub/tmp" >left && test_must_be_empty left
'

test_expect_success 'the kept answers of list and help go with their folder, the others stay' '
	fresh_cache &&
	find "$H" -exec touch -h -d "2026-01-01 00:00:00" {} + &&
	hub --offline list pytorch/vision:main >/dev/null &&
	hub --offline list pytorch/audio:main >/dev/null &&
	test "$(ls "$H/.hub/scan" | wc -l)" = 2 &&
	hub purge pytorch/vision:main >/dev/null &&
	test "$(ls "$H/.hub/scan" | wc -l)" = 1 &&
	hub -v --offline list pytorch/audio:main 2>err >/dev/null &&
	test_grep "scan: .*/pytorch_audio_main: reused" err &&
	hub purge --dry-run pytorch/audio:main >/dev/null &&
	test "$(ls "$H/.hub/scan" | wc -l)" = 1
'

test_expect_success 'purge every ref of owner/name, not a longer name' '
	fresh_cache && make_repo pytorch_visionx_main &&
	hub purge pytorch/vision >out &&
	test_grep "^removed pytorch_vision_main " out &&
	test_grep "^removed pytorch_vision_v0.14.1 " out &&
	test_grep "in 2 entries$" out &&
	test -d "$H/pytorch_visionx_main" && test -d "$H/pytorch_audio_main"
'

test_expect_success 'a ref with / is found through its folder name' '
	fresh_cache && make_repo a_b_release_2.0 &&
	hub purge a/b:release/2.0 >out &&
	test_grep "^removed a_b_release_2.0 " out && test ! -e "$H/a_b_release_2.0"
'

test_expect_success 'a repository hub fetched is named exactly, and its record goes with it' '
	fresh_cache &&
	test_must_fail status=5 hub purge someone/my 2>err &&
	hub purge someone/my_repo:release/1.0 >out &&
	test_grep "^removed someone_my_repo_release_1.0 (someone/my_repo:release/1.0, " out &&
	test ! -e "$H/someone_my_repo_release_1.0" &&
	test ! -e "$H/.hub/refs/someone_my_repo_release_1.0"
'

test_expect_success 'a glob matches owner/name:ref and folder names' '
	fresh_cache &&
	hub purge "*:main" >out &&
	test_grep "^removed pytorch_vision_main " out &&
	test_grep "^removed pytorch_audio_main " out &&
	test -d "$H/pytorch_vision_v0.14.1" &&
	fresh_cache &&
	hub purge "pytorch/*" >out &&
	test_grep "in 3 entries$" out &&
	test -d "$H/someone_my_repo_release_1.0" &&
	fresh_cache &&
	hub purge "pytorch_audio_*" >out &&
	test_grep "in 1 entry$" out && test ! -e "$H/pytorch_audio_main" &&
	test_must_fail status=5 hub purge "zzz*" 2>err && test_line_count = 1 err
'

test_expect_success '--checkpoints=GLOB, --checkpoints, and the bare-word form' '
	fresh_cache &&
	hub purge --checkpoints="resnet*" >out &&
	test_grep "^removed checkpoints/resnet18-f37072fd.pth (12.0 KiB)$" out &&
	test_grep "^removed checkpoints/resnet50-0676ba61.pth " out &&
	test -f "$H/checkpoints/vit_b_16.pth" && test -d "$H/pytorch_vision_main" &&
	test_must_fail status=5 hub purge --checkpoints="resnet*" 2>err &&
	test_grep "matches nothing" err &&
	# A GLOB after a bare --checkpoints is a repository GLOB: it matches
	# no repository here, so nothing goes, and the message says why.
	test_must_fail status=5 hub purge --checkpoints "vit*" 2>err &&
	test_grep "write --checkpoints=GLOB" err && test -f "$H/checkpoints/vit_b_16.pth" &&
	hub purge --checkpoints >out &&
	test_grep "^removed checkpoints/vit_b_16.pth " out &&
	ls "$H/checkpoints" >left && test_must_be_empty left &&
	hub purge --checkpoints >out && test_grep "^freed 0 B (0 bytes) in 0 entries$" out
'

test_expect_success 'a checkpoint hub fetched loses its manifest record too' '
	fresh_cache && mkdir -p "$H/.hub/weights" &&
	echo "{}" >"$H/.hub/weights/vit_b_16.pth.json" &&
	hub purge --checkpoints=vit_b_16.pth >out &&
	test ! -e "$H/.hub/weights/vit_b_16.pth.json"
'

test_expect_success '--partial removes every kind of leftover and nothing else' '
	fresh_cache &&
	echo zip >"$H/main.zip" &&
	echo tmp >"$H/tmpab_cd9z1" &&
	echo tmp >"$H/checkpoints/tmpq0w9e8r7" &&
	echo p >"$H/checkpoints/x.pth.0123456789abcdef0123456789abcdef.partial" &&
	echo p >"$H/main.zip.0123456789abcdef.partial" &&
	mkdir -p "$H/pytorch-vision-abc1234/sub" && echo x >"$H/pytorch-vision-abc1234/sub/f" &&
	mkdir -p "$H/.hub/tmp/pytorch_vision_main.Xy12ab/repo" "$H/.hub/partial" "$H/.hub/refs" &&
	echo x >"$H/.hub/partial/big.pth.part" && echo "{}" >"$H/.hub/partial/big.pth.json" &&
	echo orphan >"$H/.hub/refs/gone_repo_main" &&
	hub purge --partial -n >dry &&
	test_grep "in 10 entries$" dry &&
	hub purge --partial >out &&
	for f in main.zip tmpab_cd9z1 checkpoints/tmpq0w9e8r7 \
		checkpoints/x.pth.0123456789abcdef0123456789abcdef.partial \
		main.zip.0123456789abcdef.partial pytorch-vision-abc1234 \
		.hub/tmp/pytorch_vision_main.Xy12ab .hub/partial/big.pth.part \
		.hub/partial/big.pth.json .hub/refs/gone_repo_main; do
		test_grep "^removed $f " out && test ! -e "$H/$f" || return 1
	done &&
	test_grep "in 10 entries$" out &&
	test -d "$H/pytorch_vision_main" && test -f "$H/checkpoints/vit_b_16.pth" &&
	test -f "$H/trusted_list" && test -f "$H/.hub/refs/someone_my_repo_release_1.0" &&
	hub purge --partial >out && test_grep "in 0 entries$" out
'

test_expect_success 'not every name is a leftover: tmpNAMES of other lengths, other files' '
	fresh_cache &&
	echo keep >"$H/tmpshort" && echo keep >"$H/notes.txt" && mkdir "$H/mydir" &&
	hub purge --partial >out && test_grep "in 0 entries$" out &&
	test -f "$H/tmpshort" && test -f "$H/notes.txt" && test -d "$H/mydir"
'

test_expect_success '--older-than keeps what is younger' '
	fresh_cache &&
	touch -d "40 days ago" "$H/pytorch_vision_main" "$H/checkpoints/vit_b_16.pth" &&
	echo z >"$H/main.zip" && touch -d "3 hours ago" "$H/main.zip" &&
	hub purge --older-than 30d >out &&
	test_grep "^removed pytorch_vision_main " out &&
	test_grep "^removed checkpoints/vit_b_16.pth " out &&
	# fetched in 2024, by its record
	test_grep "^removed someone_my_repo_release_1.0 " out &&
	test_grep "in 3 entries$" out &&
	test -f "$H/main.zip" && test -d "$H/pytorch_audio_main" &&
	hub purge --partial --older-than 2h >out &&
	test_grep "^removed main.zip " out &&
	hub purge pytorch/audio --older-than 1w >out &&
	test_grep "in 0 entries$" out && test -d "$H/pytorch_audio_main"
'

test_expect_success '--older-than counts from the fetch time hub recorded' '
	fresh_cache &&
	# The folder is new, but the record says 2024.
	hub purge --older-than 30d "someone/*" >out &&
	test_grep "^removed someone_my_repo_release_1.0 " out
'

test_expect_success '--all empties the cache and keeps trusted_list' '
	fresh_cache && echo z >"$H/main.zip" &&
	hub purge --all >out &&
	test_grep "in 8 entries$" out &&
	ls -A "$H" >left &&
	printf ".hub\ncheckpoints\ntrusted_list\n" >expect && test_cmp expect left &&
	find "$H/checkpoints" "$H/.hub/tmp" "$H/.hub/refs" -mindepth 1 >left &&
	test_must_be_empty left &&
	printf "pytorch_vision\nsomeone_my_repo\nother_thing\n" >expect &&
	test_cmp expect "$H/trusted_list"
'

test_expect_success '--untrust drops the owner_name lines; --all --untrust the file' '
	fresh_cache &&
	hub purge --untrust pytorch/vision:main >out &&
	test_grep "^untrusted pytorch_vision$" out &&
	printf "someone_my_repo\nother_thing\n" >expect && test_cmp expect "$H/trusted_list" &&
	hub purge --untrust other/thing >out &&
	test_grep "^untrusted other_thing$" out &&
	printf "someone_my_repo\n" >expect && test_cmp expect "$H/trusted_list" &&
	hub purge --untrust --all >out &&
	test_grep "^untrusted trusted_list$" out && test ! -e "$H/trusted_list"
'

test_expect_success '--dry-run shows what and how many bytes, and removes nothing' '
	fresh_cache &&
	find "$H" | sort >before &&
	hub purge --dry-run --all --untrust >out &&
	test_grep "^would remove pytorch_vision_main (pytorch/vision:main, " out &&
	test_grep "^would remove checkpoints/resnet50-0676ba61.pth (20.0 KiB)$" out &&
	test_grep "^would untrust trusted_list$" out &&
	test_grep "^would free .* bytes) in 7 entries$" out &&
	find "$H" | sort >after && test_cmp before after
'

test_expect_success 'the freed bytes are disk usage, as du counts them' '
	fresh_cache &&
	want=$(du -s -B1 "$H/pytorch_vision_main" | cut -f1) &&
	hub purge pytorch/vision:main >out &&
	test_grep "^freed .* ($want bytes) in 1 entry$" out
'

test_expect_success 'a symlink pointing out of the hub dir goes as a link; its target stays' '
	fresh_cache &&
	mkdir -p outside/repo && echo precious >outside/repo/hubconf.py &&
	echo precious >outside/weights.pth &&
	ln -s "$TRASH/outside/repo" "$H/evil_link_main" &&
	ln -s "$TRASH/outside/weights.pth" "$H/checkpoints/linked.pth" &&
	ln -s "$TRASH/outside" "$H/pytorch_vision_main/sub/escape" &&
	hub purge --all >out &&
	test ! -e "$H/evil_link_main" && test ! -h "$H/evil_link_main" &&
	test ! -h "$H/checkpoints/linked.pth" &&
	test ! -e "$H/pytorch_vision_main" &&
	test_grep precious outside/repo/hubconf.py &&
	test_grep precious outside/weights.pth
'

test_expect_success 'a symlinked checkpoints/ is not entered' '
	fresh_cache && rm -rf "$H/checkpoints" &&
	mkdir -p shared && echo w >shared/w.pth &&
	ln -s "$TRASH/shared" "$H/checkpoints" &&
	hub purge --all >out &&
	test -f shared/w.pth && test -h "$H/checkpoints"
'

test_expect_success 'an entry another hub holds locked is skipped, with a message' '
	fresh_cache && mkdir -p "$H/.hub/locks" &&
	lock="$H/.hub/locks/pytorch_vision_main.lock" &&
	rm -f held &&
	{ flock "$lock" sh -c "echo \$\$ >held; exec sleep 60" & } &&
	holder=$! &&
	while ! test -s held; do sleep 0.05; done &&
	test_must_fail status=9 hub purge -n pytorch/vision >out 2>err &&
	test_grep "would skip pytorch_vision_main: in use by another hub" err &&
	test_must_fail status=9 hub purge pytorch/vision >out 2>err &&
	test_grep "^hub: purge: skipped pytorch_vision_main: in use by another hub process" err &&
	test_grep "entry in use by another hub was left alone" err &&
	test_grep "^removed pytorch_vision_v0.14.1 " out &&
	test -f "$H/pytorch_vision_main/hubconf.py" &&
	kill "$(cat held)" "$holder"; wait "$holder";
	hub purge pytorch/vision >out &&
	test_grep "^removed pytorch_vision_main " out
'

test_expect_success 'a locked checkpoint (weights.c lock name) is skipped' '
	fresh_cache && mkdir -p "$H/.hub/locks" &&
	lock="$H/.hub/locks/checkpoint-vit_b_16.pth.lock" &&
	rm -f held &&
	{ flock "$lock" sh -c "echo \$\$ >held; exec sleep 60" & } &&
	holder=$! &&
	while ! test -s held; do sleep 0.05; done &&
	test_must_fail status=9 hub purge --checkpoints >out 2>err &&
	test -f "$H/checkpoints/vit_b_16.pth" &&
	test ! -e "$H/checkpoints/resnet18-f37072fd.pth" &&
	kill "$(cat held)" "$holder"; wait "$holder"; true
'

test_expect_success '-q prints nothing; --json is one object' '
	fresh_cache &&
	hub -q purge --checkpoints=vit_b_16.pth >out 2>err &&
	test_must_be_empty out && test_must_be_empty err &&
	hub purge --json pytorch/vision >out &&
	"$HUB_TEST_PYTHON" -c "
import json
d = json.load(open(\"out\"))
assert d[\"dry_run\"] is False, d
names = sorted(r[\"name\"] for r in d[\"removed\"])
assert names == [\"pytorch_vision_main\", \"pytorch_vision_v0.14.1\"], names
assert all(r[\"kind\"] == \"repository\" for r in d[\"removed\"]), d
assert d[\"bytes\"] == sum(r[\"bytes\"] for r in d[\"removed\"]) > 0, d
assert d[\"entries\"] == 2 and d[\"skipped\"] == [], d
"
'

test_expect_success 'a missing hub dir: --partial and --all have nothing to do' '
	rm -rf "$H" &&
	hub purge --all >out && test_grep "in 0 entries$" out &&
	test_must_fail status=5 hub purge pytorch/vision 2>err &&
	test ! -e "$H"
'

test_expect_success 'torch.hub finds what purge left, and no longer what it removed' '
	fresh_cache &&
	hub purge pytorch/vision:main >/dev/null &&
	"$HUB_TEST_PYTHON" -c "
import os, torch.hub
d = torch.hub.get_dir()
assert not os.path.exists(os.path.join(d, \"pytorch_vision_main\"))
assert os.path.exists(os.path.join(d, \"pytorch_audio_main\", \"hubconf.py\"))
"
'

test_done
