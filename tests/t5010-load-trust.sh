#!/bin/sh
test_description='hub load: the trust gate for GitHub SPECs, torch.hub compatible'
. "$(dirname "$0")/lib.sh"

data=$TEST_DIRECTORY/data/load
export HUB_PYTHON="$HUB_TEST_PYTHON"
# No test here may reach a network: a SPEC that passes the gate and is not
# cached ends in an offline miss (7), which tells it passed.
export HUB_OFFLINE=1
hub_dir=$TORCH_HOME/hub

# torch.hub's own gate, on the same hub dir, with no terminal: it raises
# (EOFError from input()) unless it trusts owner/name at ref.
torch_trusts() {
	"$HUB_TEST_PYTHON" -c "
import sys, torch.hub as h
h.set_dir(sys.argv[1])
h._check_repo_is_trusted(sys.argv[2], sys.argv[3], sys.argv[2] + '_' + sys.argv[3] + '_' + sys.argv[4], trust_repo=sys.argv[5] if len(sys.argv) > 5 else 'check')
" "$hub_dir" "$@" </dev/null >/dev/null 2>&1
}

pty_run() {
	"$HUB_TEST_PYTHON" "$data/pty-run.py" "$@"
}

question() {
	echo "The repository $1 does not belong to the list of trusted repositories and as such cannot be downloaded. Do you trust this repository and wish to add it to the trusted list of repositories (y/N)? $2"
}

test_expect_success 'off a terminal, an untrusted repository is refused (8), naming --trust-repo' '
	test_must_fail status=8 hub load erin/x:v1 model </dev/null >out 2>err &&
	test_must_be_empty out &&
	echo "hub: load: untrusted repository '"'erin/x'"': not in $hub_dir/trusted_list and no terminal to ask on; pass --trust-repo to trust it" >expect &&
	test_cmp expect err &&
	! test -e "$hub_dir/trusted_list" &&
	! torch_trusts erin x v1
'

test_expect_success '--trust-repo records owner_name as torch does; torch then trusts it' '
	test_must_fail status=7 hub load --trust-repo erin/x:v1 model 2>err &&
	test_grep "offline" err &&
	echo erin_x >expect &&
	test_cmp expect "$hub_dir/trusted_list" &&
	torch_trusts erin x v1 &&
	test_must_fail status=7 hub load erin/x:v2 model 2>err &&
	test_must_fail status=7 hub load --trust-repo erin/x model 2>err &&
	test_cmp expect "$hub_dir/trusted_list"
'

test_expect_success 'names torch recorded are trusted by hub' '
	! torch_trusts gina y v1 &&
	torch_trusts gina y v1 True &&
	test_grep "^gina_y$" "$hub_dir/trusted_list" &&
	test_must_fail status=7 hub load gina/y:v1 model 2>err
'

test_expect_success 'torch'"'"'s trusted owners pass and are never written' '
	cp "$hub_dir/trusted_list" before &&
	for owner in pytorch facebookresearch facebookincubator fairinternal; do
		test_must_fail status=7 hub load $owner/foo:v1 model 2>err || return 1
	done &&
	test_must_fail status=7 hub load --trust-repo pytorch/foo:v1 model 2>err &&
	test_cmp before "$hub_dir/trusted_list" &&
	test_must_fail status=8 hub load PyTorch/foo:v1 model 2>err
'

test_expect_success 'a ref already in the cache is trusted, and loads with no network' '
	mkdir -p "$hub_dir/carol_z_v1" &&
	cp "$data/plain/hubconf.py" "$hub_dir/carol_z_v1/" &&
	hub load carol/z:v1 echo 1 </dev/null >out &&
	echo Echo >expect && test_cmp expect out &&
	test_must_fail status=8 hub load carol/z:v2 echo 2>err &&
	test_grep ! "^carol_z" "$hub_dir/trusted_list"
'

test_expect_success 'and torch.hub.load takes the same cached repository without asking' '
	"$HUB_TEST_PYTHON" -c "
import torch.hub as h
h.set_dir(\"$hub_dir\")
print(repr(h.load(\"carol/z:v1\", \"echo\", 2, trust_repo=\"check\")))
" </dev/null >out 2>err &&
	echo "Echo(args=(2,), kwargs={})" >expect &&
	test_cmp expect out
'

test_expect_success 'without a ref, a cached main (or master) counts, as torch names it' '
	mkdir -p "$hub_dir/carol_w_master" &&
	cp "$data/plain/hubconf.py" "$hub_dir/carol_w_master/" &&
	hub load carol/w echo </dev/null >out &&
	echo Echo >expect && test_cmp expect out &&
	test_must_fail status=8 hub load carol/v echo 2>err
'

test_expect_success '--no-trust-repo (trust_repo=False) asks every time: refused off a terminal' '
	test_must_fail status=8 hub load --no-trust-repo pytorch/foo:v1 model 2>err &&
	test_grep "no-trust-repo asks every time, and there is no terminal to ask on" err &&
	test_must_fail status=8 hub load --no-trust-repo carol/z:v1 echo 2>err
'

test_expect_success '--trust-repo=check is the default; other values are usage errors' '
	test_must_fail status=8 hub load --trust-repo=check dora/q:v1 model 2>err &&
	test_grep "pass --trust-repo" err &&
	test_must_fail status=2 hub load --trust-repo=yes dora/q:v1 model 2>err &&
	test_grep "takes no value or .check." err &&
	test_must_fail status=2 hub load --trust-repo --no-trust-repo dora/q:v1 model 2>err &&
	test_grep "contradict" err
'

test_expect_success 'a local directory goes through no gate' '
	hub load --no-trust-repo "$data/plain" echo </dev/null >out &&
	echo Echo >expect && test_cmp expect out
'

test_expect_success 'on a terminal: torch'"'"'s question; yes records the name' '
	pty_run --answer y -- "$HUB_BIN" load hank/r:v1 model >out;
	test $? = 7 &&
	question hank_r y >expect &&
	head -n 1 out >first &&
	test_cmp expect first &&
	test_grep "^hank_r$" "$hub_dir/trusted_list" &&
	torch_trusts hank r v1
'

test_expect_success 'on a terminal: no, an empty answer, or nonsense refuse (8) and record nothing' '
	pty_run --answer n -- "$HUB_BIN" load ivan/r:v1 model >out;
	test $? = 8 &&
	test_grep "untrusted repository .ivan/r. (answered no)" out &&
	pty_run --answer "" -- "$HUB_BIN" load ivan/r:v1 model >out;
	test $? = 8 &&
	pty_run --answer maybe -- "$HUB_BIN" load ivan/r:v1 model >out;
	test $? = 8 &&
	test_grep "unrecognized response .maybe." out &&
	test_grep ! "^ivan_r" "$hub_dir/trusted_list"
'

test_expect_success 'on a terminal, --no-trust-repo asks even a trusted repository' '
	cp "$hub_dir/trusted_list" before &&
	pty_run --answer Yes -- "$HUB_BIN" load --no-trust-repo pytorch/foo:v1 model >out;
	test $? = 7 &&
	test_grep "^The repository is already trusted.$" out &&
	test_cmp before "$hub_dir/trusted_list"
'

test_expect_success 'on a terminal, a trusted repository is not asked about' '
	pty_run -- "$HUB_BIN" load carol/z:v1 echo >out &&
	test_grep ! "(y/N)" out &&
	test_grep "^Echo$" out
'

test_expect_success 'stdin a terminal but stderr not: no question, refused' '
	pty_run --answer y -- sh -c "\"\$HUB_BIN\" load jane/r:v1 model 2>\"$TRASH/err\"" >out;
	test $? = 8 &&
	test_grep ! "(y/N)" out &&
	test_grep "no terminal to ask on" err
'

test_done
