#!/bin/sh
test_description='every fuzz seed replays cleanly (a regression test of every parser)'
. "$(dirname "$0")/lib.sh"

: "${HUB_FUZZ_DIR:=$TOP_DIRECTORY/build/gnu/fuzz}"

test_expect_success 'there are fuzz targets with seeds' '
	ls "$TOP_DIRECTORY"/fuzz/fuzz_*.c >targets &&
	test -s targets
'

for source in "$TOP_DIRECTORY"/fuzz/fuzz_*.c; do
	name=$(basename "$source" .c)
	corpus="$TOP_DIRECTORY/fuzz/corpus/${name#fuzz_}"
	test_expect_success "$name: the replay program is built and has seeds" '
		test -x "$HUB_FUZZ_DIR/${name}_replay" &&
		test -n "$(ls "$corpus")"
	'
	test_expect_success "$name: every seed runs without a crash" '
		"$HUB_FUZZ_DIR/${name}_replay" "$corpus"/*
	'
done

test_done
