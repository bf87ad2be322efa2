#!/bin/sh
test_description='list and help keep their answers in .hub/scan and reuse them only while nothing they read changed'
. "$(dirname "$0")/lib.sh"

# A repository whose files are older than the racy window (scan.h), so the
# first answer is kept.
make_repo() {
	rm -rf repo &&
	mkdir -p repo/pkg &&
	cat >repo/hubconf.py <<-\EOF &&
	dependencies = ["torch"]
	from pkg.models import model_b
	from helpers import *


	def model_a(pretrained=False):
	    """Model A."""
	EOF
	cat >repo/pkg/__init__.py <<-\EOF &&
	EOF
	cat >repo/pkg/models.py <<-\EOF &&
	def model_b():
	    """Model B, first version."""
	EOF
	backdate repo
}

backdate() {
	find "$@" -exec touch -h -d "2026-01-01 00:00:00" {} +
}

kept() {
	ls "$TORCH_HOME/hub/.hub/scan" | wc -l | tr -d " "
}

test_expect_success 'the first answer is computed and kept, the second is read back' '
	make_repo &&
	hub -v list repo >first 2>first.err &&
	test_grep ! "scan: .*reused" first.err &&
	test "$(kept)" = 1 &&
	hub -v list repo >second 2>second.err &&
	test_grep "scan: .*/repo: reused" second.err &&
	test_cmp first second &&
	printf "model_a\nmodel_b\n" >expect &&
	test_cmp expect second
'

test_expect_success 'a reused answer prints exactly what a fresh one prints' '
	for args in "list repo" "--json list repo" "help repo" "--json help repo" \
		"help repo model_b" "help --raw repo model_a" "--json help repo model_a"; do
		hub -d fresh-$$ $args >fresh.out 2>fresh.err &&
		rm -rf fresh-$$ &&
		hub $args >kept.out 2>kept.err &&
		test_cmp fresh.out kept.out &&
		test_cmp fresh.err kept.err || return 1
	done
'

test_expect_success 'a not-found entry, with its suggestions, is the same from a kept answer' '
	test_must_fail status=5 hub help repo model_c 2>err &&
	test_grep "'"'model_c'"' is not an entrypoint of repo; did you mean" err
'

test_expect_success 'a changed module is read again' '
	cat >repo/pkg/models.py <<-\EOF &&
	def model_b():
	    """Model B, second version."""
	EOF
	backdate repo/pkg/models.py &&
	touch -d "2026-01-02 00:00:00" repo/pkg/models.py &&
	hub -v help --raw repo model_b >out 2>err &&
	test_grep ! "reused" err &&
	echo "Model B, second version." >expect &&
	test_cmp expect out
'

test_expect_success 'a module that appears where one was looked up is seen' '
	hub list repo >before &&
	cat >repo/helpers.py <<-\EOF &&
	def model_c():
	    """Model C."""
	EOF
	touch -d "2026-01-03 00:00:00" repo/helpers.py repo &&
	hub -v list repo >after 2>err &&
	test_grep ! "reused" err &&
	printf "model_a\nmodel_b\nmodel_c\n" >expect &&
	test_cmp expect after
'

test_expect_success 'a file modified just now is not trusted: the answer is not kept' '
	rm -rf "$TORCH_HOME/hub/.hub/scan" &&
	echo "# a comment" >>repo/hubconf.py &&
	hub -v list repo >out 2>err &&
	test_grep "scan: .*/repo: not kept" err &&
	test "$(ls "$TORCH_HOME/hub/.hub/scan" 2>/dev/null | wc -l)" = 0
'

test_expect_success 'a damaged kept answer is ignored and replaced' '
	backdate repo &&
	hub list repo >expect &&
	f=$(ls "$TORCH_HOME"/hub/.hub/scan/*) &&
	head -c 300 "$f" >cut && mv cut "$f" &&
	hub -v list repo >out 2>err &&
	test_grep ! "reused" err &&
	test_cmp expect out &&
	hub -v list repo >out 2>err &&
	test_grep "reused" err &&
	test_cmp expect out
'

test_expect_success 'another hub binary (a rebuild) evaluates again and replaces the answer' '
	backdate repo &&
	hub list repo >expect &&
	hub -v list repo >/dev/null 2>err &&
	test_grep "reused" err &&
	cp "$HUB_BIN" other-hub &&
	./other-hub -v list repo >out 2>err &&
	test_grep ! "reused" err &&
	test_cmp expect out &&
	test "$(kept)" = 1 &&
	./other-hub -v list repo >/dev/null 2>err &&
	test_grep "reused" err &&
	hub -v list repo >/dev/null 2>err &&
	test_grep ! "reused" err
'

test_expect_success 'a hub dir that cannot be written still gives the answer' '
	mkdir ro && backdate repo &&
	chmod a-w ro &&
	hub -d ro/hub list repo >out 2>err &&
	chmod u+w ro &&
	test_cmp expect out &&
	test_must_be_empty err
'

test_expect_success 'another library path is another answer' '
	mkdir -p lib1 lib2 &&
	HUB_PYTHONPATH=$TRASH/lib1 hub -v list repo >/dev/null 2>err1 &&
	HUB_PYTHONPATH=$TRASH/lib2 hub -v list repo >/dev/null 2>err2 &&
	HUB_PYTHONPATH=$TRASH/lib1 hub -v list repo >/dev/null 2>err3 &&
	test_grep ! "reused" err1 &&
	test_grep ! "reused" err2 &&
	test_grep "reused" err3
'

test_expect_success 'help ENTRY keeps the weights it found, and reads them back' '
	rm -rf wrepo && mkdir wrepo &&
	cat >wrepo/hubconf.py <<-\EOF &&
	from torch.hub import load_state_dict_from_url

	BASE = "https://weights.example/w/"


	def model_w(pretrained=False):
	    """Model W."""
	    if pretrained:
	        load_state_dict_from_url(BASE + "model_w-0123abcd.pth")
	EOF
	backdate wrepo &&
	hub -v help wrepo model_w >first 2>first.err &&
	test_grep "model_w-0123abcd.pth  https://weights.example/w/model_w-0123abcd.pth" first &&
	hub -v help wrepo model_w >second 2>second.err &&
	test_grep "scan: .*/wrepo: reused" second.err &&
	test_cmp first second &&
	f=$(grep -l "model_w-0123abcd" "$TORCH_HOME"/hub/.hub/scan/*) &&
	test -n "$f" &&
	sed "s/model_w-0123abcd/model_w-99999999/g" "$f" >changed && cp changed "$f" &&
	hub help wrepo model_w >third &&
	test_grep "model_w-99999999" third
'

test_done
