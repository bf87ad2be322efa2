#!/bin/sh
test_description='make install honours PREFIX and DESTDIR; make uninstall undoes it'
. "$(dirname "$0")/lib.sh"

test_expect_success 'make install puts the binary, the man page and completion under DESTDIR/PREFIX' '
	make -s -C "$TOP_DIRECTORY" install DESTDIR="$TRASH/root" PREFIX=/opt/hub >/dev/null &&
	test -x root/opt/hub/bin/hub &&
	cmp "$TOP_DIRECTORY/hub" root/opt/hub/bin/hub &&
	cmp "$TOP_DIRECTORY/man/hub.1" root/opt/hub/share/man/man1/hub.1 &&
	test -f root/opt/hub/share/bash-completion/completions/hub &&
	test -L root/opt/hub/share/bash-completion/completions/hub-list &&
	test -f root/opt/hub/share/zsh/site-functions/_hub &&
	root/opt/hub/bin/hub --version >out &&
	test_grep "^hub " out
'

test_expect_success 'nothing is installed outside DESTDIR' '
	find root -type f -o -type l | sed "s|^root||" | sort >installed &&
	test_grep ! -v "^/opt/hub/" installed
'

test_expect_success 'make uninstall removes what install put there' '
	make -s -C "$TOP_DIRECTORY" uninstall DESTDIR="$TRASH/root" PREFIX=/opt/hub >/dev/null &&
	find root -type f -o -type l >left &&
	test_must_be_empty left
'

test_done
