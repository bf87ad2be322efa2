#!/bin/sh
test_description='the man page and --help agree with the code tables'
. "$(dirname "$0")/lib.sh"

MD="$TOP_DIRECTORY/hub.1.md"
MAN="$TOP_DIRECTORY/man/hub.1"

# The options a --help text lists, short and long: the leading words of
# its option lines ("  -d, --dir DIR  ...", "      --weights[=GLOB]  ...").
help_options() {
	awk '/^ +-/ {
		for (i = 1; i <= NF; i++) {
			word = $i
			sub(/,$/, "", word)
			sub(/\[?=.*/, "", word)
			if (word !~ /^--?[A-Za-z]/)
				break
			print word
		}
	}' | sort -u
}

# The options hub.1.md defines under "## COMMAND", or under
# "# GLOBAL OPTIONS" for "global": the **-x** and **--long** of the
# definition lines, which start with **-.
man_options() {
	awk -v section="$1" '
		/^# / { in_section = (section == "global" && $0 == "# GLOBAL OPTIONS"); next }
		/^## / { in_section = (section != "global" && $0 == "## " section); next }
		in_section && /^\*\*-/ {
			line = $0
			while (match(line, /\*\*-[-a-zA-Z]+\*\*/)) {
				print substr(line, RSTART + 2, RLENGTH - 4)
				line = substr(line, RSTART + RLENGTH)
			}
		}' "$MD" | sort -u
}

# The lines of hub.1.md's "# NAME" section.
man_section() {
	awk -v name="# $1" '/^# / { in_section = ($0 == name); next } in_section' "$MD"
}

test_expect_success 'man/hub.1 is generated from hub.1.md and lints clean' '
	"$TOP_DIRECTORY/scripts/make-man.sh" "$MD" >fresh.1 &&
	test_cmp "$MAN" fresh.1 &&
	mandoc -Tlint -Wwarning "$MAN" >lint 2>&1 &&
	test_must_be_empty lint
'

test_expect_success 'the man page has no code spans (lowdown renders them in a font mandoc flags)' '
	! grep "\\\\fC" "$MAN"
'

test_expect_success 'every command of hub --help has a section and a SYNOPSIS line' '
	hub --help | sed -n "s/^  \([a-z][a-z-]*\)  .*/\1/p" >commands &&
	test_line_count -ge 6 commands &&
	man_section SYNOPSIS >synopsis &&
	while read -r c; do
		test_grep "^## $c\$" "$MD" &&
		test_grep "^\*\*hub\*\* \*\*$c\*\*" synopsis || return 1
	done <commands
'

test_expect_success 'the man page describes no command hub does not have' '
	man_section COMMANDS | sed -n "s/^## //p" | sort >man-commands &&
	sort commands >help-commands &&
	test_cmp help-commands man-commands
'

test_expect_success 'each command: the options of --help are the man page options' '
	while read -r c; do
		hub $c --help | sed -n "/^Options:/,/^\$/p" | help_options >help.$c &&
		test -s help.$c &&
		man_options $c >man.$c &&
		test_cmp help.$c man.$c || return 1
	done <commands
'

test_expect_success 'the global options of --help are the man page global options' '
	hub --help | sed -n "/^Global options:/,\$p" | help_options >help.global &&
	test_grep "^--dir\$" help.global &&
	test_grep "^-V\$" help.global &&
	man_options global >man.global &&
	test_cmp help.global man.global
'

test_expect_success 'every exit status of err.h is in the man page' '
	sed -n "s/^	HUB_E[A-Z]* = \([0-9]*\),\{0,1\} .*/\1/p" "$TOP_DIRECTORY/src/err.h" >codes &&
	test_line_count -ge 9 codes &&
	man_section "EXIT STATUS" >exit-section &&
	while read -r n; do
		test_grep "^\*\*$n\*\*\$" exit-section || return 1
	done <codes
'

# getenv() and the wrappers around it (env_nonempty, env_long,
# base_from_env, ...) all name the variable as a string literal.
test_expect_success 'every environment variable hub reads is in the man page' '
	cat "$TOP_DIRECTORY"/src/*.c |
		grep -o "[a-z_]*env[a-z_]*(\"[A-Z][A-Z0-9_]*\"" |
		sed "s/.*(\"\(.*\)\"/\1/" | sort -u >vars &&
	test_grep "^HUB_OFFLINE\$" vars &&
	test_grep "^GITHUB_TOKEN\$" vars &&
	man_section ENVIRONMENT | sed "s/\\\\_/_/g" >env-section &&
	while read -r v; do
		test_grep "\*\*$v\*\*" env-section || return 1
	done <vars
'

test_done
