#!/bin/sh
test_description='the dependency sources: the newest version that can be had, from an archive or HUB_DEPS_SRC'
. "$(dirname "$0")/lib.sh"

fetch=$TOP_DIRECTORY/scripts/fetch-sources.sh

# make_source VERSION DIR: a tiny Debian source package "hubdemo" of that
# version, built with dpkg-source into DIR.
make_source() {
	rm -rf "src-$1" &&
	mkdir -p "src-$1/debian/source" "$2" &&
	echo "demo $1" >"src-$1/README" &&
	echo "3.0 (native)" >"src-$1/debian/source/format" &&
	cat >"src-$1/debian/control" <<-EOF &&
	Source: hubdemo
	Maintainer: hub tests <tests@example.invalid>
	Standards-Version: 4.6.2

	Package: hubdemo
	Architecture: all
	Description: a source package for hub tests
	 Nothing to see.
	EOF
	cat >"src-$1/debian/changelog" <<-EOF &&
	hubdemo ($1) unstable; urgency=low

	  * Version $1.

	 -- hub tests <tests@example.invalid>  Thu, 03 Dec 2026 00:00:00 +0000
	EOF
	(cd "$2" && dpkg-source -q -b "$TRASH/src-$1" >/dev/null 2>&1)
}

# An archive with versions 1.0 and 1.1 in its index, whose 1.1 files are
# gone, as when a suite lists a version the mirror cannot serve.
test_expect_success 'a local apt archive with two versions, the newer one missing its files' '
	make_source 1.0 archive &&
	make_source 1.1 archive &&
	test -f archive/hubdemo_1.1.dsc &&
	(cd archive && dpkg-scansources . /dev/null 2>/dev/null | gzip -9 >Sources.gz) &&
	rm archive/hubdemo_1.1.tar.xz &&
	echo "deb-src [trusted=yes] file:$TRASH/archive ./" >archive.list
'

test_expect_success 'the newest version that downloads is taken, and the skipped one is named' '
	HUB_DEPS_SOURCES=$TRASH/archive.list "$fetch" dest hubdemo >out 2>err &&
	echo "hubdemo 1.0 $TRASH/dest/hubdemo_1.0.dsc" >expect &&
	test_cmp expect out &&
	echo "deps: hubdemo 1.1: not downloadable (file not found), using 1.0" >expect &&
	test_cmp expect err &&
	test -f dest/hubdemo_1.0.tar.xz &&
	! test -L dest/hubdemo_1.0.tar.xz &&
	! test -e dest/hubdemo_1.1.dsc &&
	! test -e dest/.fetch-hubdemo
'

test_expect_success 'the version fetched is whole: dpkg-source unpacks it' '
	dpkg-source -q -x dest/hubdemo_1.0.dsc unpacked >/dev/null 2>&1 &&
	echo "demo 1.0" >expect &&
	test_cmp expect unpacked/README
'

test_expect_success 'a second run uses what is there without asking apt' '
	rm -rf dest/apt/lists &&
	HUB_DEPS_SOURCES=/nonexistent "$fetch" dest hubdemo >out 2>err &&
	echo "hubdemo 1.0 $TRASH/dest/hubdemo_1.0.dsc" >expect &&
	test_cmp expect out &&
	test_must_be_empty err &&
	! test -e dest/apt/lists
'

test_expect_success 'once the newer files reach the archive, HUB_DEPS_REFRESH=1 takes them' '
	make_source 1.1 archive &&
	HUB_DEPS_REFRESH=1 HUB_DEPS_SOURCES=$TRASH/archive.list "$fetch" dest hubdemo >out 2>err &&
	echo "hubdemo 1.1 $TRASH/dest/hubdemo_1.1.dsc" >expect &&
	test_cmp expect out &&
	test_must_be_empty err
'

test_expect_success 'a version whose files do not match the index is skipped too' '
	make_source 1.1 damaged &&
	(cd damaged && dpkg-scansources . /dev/null 2>/dev/null | gzip -9 >Sources.gz) &&
	cp archive/hubdemo_1.0.* damaged/ &&
	(cd damaged && dpkg-scansources . /dev/null 2>/dev/null | gzip -9 >Sources.gz) &&
	echo "broken" >>damaged/hubdemo_1.1.tar.xz &&
	echo "deb-src [trusted=yes] file:$TRASH/damaged ./" >damaged.list &&
	HUB_DEPS_SOURCES=$TRASH/damaged.list "$fetch" dest2 hubdemo >out 2>err &&
	grep -x "hubdemo 1.0 .*/dest2/hubdemo_1.0.dsc" out &&
	test_grep "^deps: hubdemo 1.1: not downloadable (.*), using 1.0$" err &&
	! test -e dest2/hubdemo_1.1.tar.xz
'

test_expect_success 'no version that can be had: exit 1, naming the package and the log' '
	rm archive/hubdemo_1.0.tar.xz archive/hubdemo_1.1.tar.xz &&
	test_must_fail status=1 env HUB_DEPS_SOURCES=$TRASH/archive.list "$fetch" dest3 hubdemo >out 2>err &&
	test_must_be_empty out &&
	test_grep "^deps: hubdemo 1.1: not downloadable (file not found)$" err &&
	test_grep "^deps: hubdemo 1.0: not downloadable (file not found)$" err &&
	test_grep "^deps: no version of hubdemo can be downloaded; see .*/dest3/apt/fetch.log$" err &&
	! test -e dest3/hubdemo_1.0.dsc
'

test_expect_success 'a package the archive does not have is named' '
	test_must_fail status=1 env HUB_DEPS_SOURCES=$TRASH/archive.list "$fetch" dest3 nosuchpkg 2>err &&
	test_grep "^deps: nosuchpkg: no version in the configured archives" err
'

test_expect_success 'HUB_DEPS_SRC: the newest whole version in DIR, no apt, nothing written' '
	mkdir mirror &&
	cp dest/hubdemo_1.0.* dest/hubdemo_1.1.* mirror/ &&
	printf "x" | dd of=mirror/hubdemo_1.1.tar.xz bs=1 seek=40 conv=notrunc 2>/dev/null &&
	HUB_DEPS_SRC=$TRASH/mirror HUB_DEPS_SOURCES=/nonexistent \
		"$fetch" dest4 hubdemo >out 2>err &&
	echo "hubdemo 1.0 $TRASH/mirror/hubdemo_1.0.dsc" >expect &&
	test_cmp expect out &&
	echo "deps: hubdemo 1.1: not usable (checksum mismatch in hubdemo_1.1.tar.xz), using 1.0" >expect &&
	test_cmp expect err &&
	! test -e dest4/apt &&
	! test -e dest4/hubdemo_1.0.dsc
'

test_expect_success 'HUB_DEPS_SRC without a whole version: exit 1, naming the package' '
	rm mirror/hubdemo_1.0.tar.xz &&
	test_must_fail status=1 env HUB_DEPS_SRC=$TRASH/mirror "$fetch" dest4 hubdemo 2>err &&
	test_grep "^deps: hubdemo 1.0: not usable (hubdemo_1.0.tar.xz is missing)$" err &&
	test_grep "^deps: no usable version of hubdemo in HUB_DEPS_SRC" err
'

test_expect_success 'build-deps.sh reads HUB_DEPS_SRC: the built libraries are found there' '
	cp -r "$TOP_DIRECTORY/build/src" srccopy &&
	rm -rf srccopy/apt &&
	HUB_DEPS_SRC=$TRASH/srccopy "$TOP_DIRECTORY/scripts/build-deps.sh" musl \
		"$TOP_DIRECTORY/build/deps/musl" >out 2>err &&
	test_must_be_empty out &&
	test_must_be_empty err &&
	! test -e srccopy/apt
'

test_done
