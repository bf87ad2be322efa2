#!/bin/sh
test_description='the static binary'"'"'s allocator (src/malloc.c) keeps contents, alignment and threads right'
. "$(dirname "$0")/lib.sh"

: "${HUB_MUSL_TOOL_DIR:=$TOP_DIRECTORY/build/musl/tools}"
CHECK=$HUB_MUSL_TOOL_DIR/malloc-check

test_expect_success 'the check program is built with hub'"'"'s allocator' '
	test -x "$CHECK" &&
	"$CHECK" reuse
'

test_expect_success 'contents survive malloc, realloc up and down, and free, across every size class' '
	"$CHECK" contents
'

test_expect_success 'calloc zero-fills reused blocks; overflowing sizes are ENOMEM' '
	"$CHECK" calloc
'

test_expect_success 'aligned_alloc, posix_memalign and memalign align up to 8 KiB' '
	"$CHECK" aligned
'

test_expect_success 'four threads allocate and free at once' '
	"$CHECK" threads
'

test_expect_success 'a child forked while threads allocate can allocate' '
	"$CHECK" fork
'

test_expect_success 'an unknown mode is a usage error' '
	test_must_fail status=2 "$CHECK" nonsense 2>err &&
	test_grep "usage: malloc-check" err
'

test_done
