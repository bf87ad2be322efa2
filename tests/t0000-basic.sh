#!/bin/sh
test_description='version, help texts, usage errors, exit codes, busybox dispatch'
. "$(dirname "$0")/lib.sh"

test_expect_success 'the binary is static and stripped' '
	file -L "$HUB_BIN" >out &&
	case "$HUB_BIN" in
	*/san/*) test_grep "dynamically linked" out ;;
	*) test_grep "statically linked" out && test_grep "stripped" out &&
	   test_grep ! "interpreter" out ;;
	esac
'

test_expect_success '--version names hub and the four libraries' '
	hub --version >out &&
	test_grep "^hub [0-9]" out &&
	test_grep "^libcurl 7\.88\.1 (Debian [^)]*), BearSSL" out &&
	test_grep "^BearSSL (Debian 0\.6" out &&
	test_grep "^zlib 1\.[0-9.]* (Debian" out &&
	test_grep "^cJSON 1\.7\.[0-9]* (Debian" out &&
	hub -V >out2 && test_cmp out out2 &&
	hub list -V >out3 && test_cmp out out3
'

test_expect_success 'hub, hub --help, hub -h and hub help print the same text' '
	hub >a && hub --help >b && hub -h >c && hub help >d &&
	test_cmp a b && test_cmp a c && test_cmp a d &&
	test_grep "^usage: hub" a
'

test_expect_success 'the overview lists every command' '
	hub --help >out &&
	for c in list help load download set-dir purge; do
		test_grep "^  $c " out || return 1
	done
'

test_expect_success 'hub COMMAND --help equals hub help COMMAND' '
	for c in list help load download set-dir purge; do
		hub $c --help >a &&
		hub help $c >b &&
		hub $c -h >c &&
		test_cmp a b && test_cmp a c &&
		test_grep "^usage: hub $c" a || return 1
	done
'

test_expect_success 'global options are accepted before and after the command' '
	hub -q set-dir >a 2>err1 &&
	hub set-dir -q >b 2>err2 &&
	hub --quiet set-dir >c &&
	test_cmp a b && test_cmp a c &&
	test_must_be_empty err1 && test_must_be_empty err2
'

test_expect_success 'an unknown command is a usage error with a suggestion' '
	test_must_fail status=2 hub lsit >out 2>err &&
	test_must_be_empty out &&
	test_line_count = 1 err &&
	test_grep "^hub: .lsit. is not a hub command; did you mean .list.?$" err &&
	test_must_fail status=2 hub downlaod 2>err &&
	test_grep "did you mean .download.?" err &&
	test_must_fail status=2 hub frobnicate 2>err &&
	test_grep "^hub: .frobnicate. is not a hub command (see .hub --help.)$" err
'

test_expect_success 'an unknown option is a usage error naming it' '
	test_must_fail status=2 hub --frob 2>err &&
	test_line_count = 1 err && test_grep "unknown option .--frob." err &&
	test_must_fail status=2 hub set-dir --frob 2>err &&
	test_line_count = 1 err && test_grep "^hub: set-dir: unknown option .--frob." err &&
	test_must_fail status=2 hub set-dir -x 2>err &&
	test_grep "unknown option .-x." err
'

test_expect_success 'a missing option value is a usage error' '
	test_must_fail status=2 hub set-dir --dir 2>err &&
	test_line_count = 1 err && test_grep "needs a value (DIR)" err &&
	test_must_fail status=2 hub --dir 2>err &&
	test_grep "needs a value" err &&
	test_must_fail status=2 hub --quiet=yes set-dir 2>err &&
	test_grep "takes no value" err
'

test_expect_success 'too many arguments is a usage error' '
	test_must_fail status=2 hub set-dir a b 2>err &&
	test_line_count = 1 err && test_grep "too many arguments" err
'

test_expect_success 'busybox style: hub-set-dir runs set-dir' '
	ln -s "$HUB_BIN" hub-set-dir &&
	ln -s "$HUB_BIN" hub-help &&
	./hub-set-dir >a 2>/dev/null && hub set-dir >b 2>/dev/null && test_cmp a b &&
	./hub-set-dir --help >a && hub set-dir --help >b && test_cmp a b &&
	./hub-help set-dir >c && test_cmp b c
'

test_expect_success 'busybox style: any other hub-NAME is plain hub' '
	ln -s "$HUB_BIN" hub-x86_64 &&
	./hub-x86_64 --help >a && hub --help >b && test_cmp a b &&
	./hub-x86_64 set-dir >a 2>/dev/null && hub set-dir >b 2>/dev/null && test_cmp a b
'

test_expect_success '-- ends the options' '
	test_must_fail status=2 hub set-dir -- --unset extra 2>err &&
	test_grep "too many arguments" err
'

test_done
