#!/bin/sh
test_description='hub purge killed half-way leaves every remaining entry whole'
. "$(dirname "$0")/lib.sh"

H=$TORCH_HOME/hub
REPOS=200
FILES=60

# Every folder left must hold all its files with the right contents.
check_intact() {
	for d in "$H"/owner_repo*_main; do
		[ -d "$d" ] || continue
		n=$(find "$d" -type f | wc -l) &&
		if [ "$n" -ne $((FILES + 1)) ]; then
			echo "damaged: $d has $n files" >&2
			return 1
		fi
		cmp -s "$d/hubconf.py" template/hubconf.py &&
		cmp -s "$d/deep/a/b/f$FILES" template/deep/a/b/f$FILES || {
			echo "damaged: $d" >&2
			return 1
		}
	done
}

count_repos() {
	find "$H" -mindepth 1 -maxdepth 1 -name "owner_repo*_main" | wc -l
}

test_expect_success 'a cache of many small repositories' '
	mkdir -p template/deep/a/b "$H" &&
	echo "def model(): pass" >template/hubconf.py &&
	i=1 && while [ $i -le $FILES ]; do
		echo "file $i" >template/deep/a/b/f$i && i=$((i + 1))
	done &&
	i=1 && while [ $i -le $REPOS ]; do
		cp -r template "$H/owner_repo${i}_main" && i=$((i + 1))
	done &&
	test "$(count_repos)" -eq $REPOS
'

test_expect_success 'kill -9 during purge --all: what is left is whole' '
	tries=0 &&
	while :; do
		tries=$((tries + 1)) &&
		before=$(count_repos) &&
		{ "$HUB_BIN" purge --all >out 2>err & } && pid=$! &&
		# Kill once it has made progress, but before it is done.
		while [ "$(count_repos)" -ge "$before" ] && kill -0 $pid 2>/dev/null; do :; done &&
		kill -9 $pid 2>/dev/null; wait $pid; status=$?
		after=$(count_repos) &&
		echo "try $tries: $before -> $after repositories, purge status $status" &&
		check_intact || return 1
		# A kill that came after the end proves nothing: try again on a
		# fuller cache.
		[ "$status" -eq 137 ] && [ "$after" -gt 0 ] && break
		[ $tries -lt 5 ] || { echo "purge always finished before the kill" >&2; return 1; }
		i=1 && while [ $i -le $REPOS ]; do
			[ -d "$H/owner_repo${i}_main" ] || cp -r template "$H/owner_repo${i}_main"
			i=$((i + 1))
		done
	done &&
	test "$after" -lt "$before" &&
	find "$H/.hub/tmp" -mindepth 1 -maxdepth 1 -name "purge-*" >trash &&
	test_line_count = 1 trash
'

test_expect_success 'a dry run shows the dead purge'"'"'s trash as a leftover' '
	hub purge --partial -n >out &&
	test_grep "^would remove .hub/tmp/purge-" out
'

test_expect_success 'the next purge --partial removes the dead purge'"'"'s trash' '
	left=$(count_repos) &&
	hub purge --partial >out &&
	test_grep "^removed .hub/tmp/purge-" out &&
	find "$H/.hub/tmp" -mindepth 1 >trash && test_must_be_empty trash &&
	test "$(count_repos)" -eq "$left" && check_intact
'

test_expect_success 'a second purge finishes the job' '
	hub purge --all >out &&
	test "$(count_repos)" -eq 0 &&
	find "$H/.hub/tmp" -mindepth 1 >trash && test_must_be_empty trash
'

test_expect_success 'a live purge'"'"'s trash is not taken by another purge' '
	mkdir -p "$H/.hub/tmp/purge-live12/0" && echo x >"$H/.hub/tmp/purge-live12/0/f" &&
	rm -f held &&
	{ flock "$H/.hub/tmp/purge-live12" sh -c "echo \$\$ >held; exec sleep 60" & } &&
	holder=$! &&
	while ! test -s held; do sleep 0.05; done &&
	test_must_fail status=9 hub purge --partial >out 2>err &&
	test_grep "skipped .hub/tmp/purge-live12: in use" err &&
	test -f "$H/.hub/tmp/purge-live12/0/f" &&
	kill "$(cat held)" "$holder"; wait "$holder";
	hub purge --partial >out &&
	test ! -e "$H/.hub/tmp/purge-live12"
'

test_done
