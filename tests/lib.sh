# tests/lib.sh - the shell test harness, in the style of git's t/test-lib.sh.
#
# A test script:
#
#   #!/bin/sh
#   test_description='what this script covers'
#   . "$(dirname "$0")/lib.sh"
#
#   test_expect_success 'hub prints its version' '
#       hub --version >out &&
#       grep "^hub " out
#   '
#   test_done
#
# Each script gets its own scratch folder $TRASH (the working directory while
# tests run) with HOME, TORCH_HOME, XDG_CACHE_HOME and XDG_CONFIG_HOME inside
# it, so no test sees the user's cache or another script's files. Output is
# TAP, for prove. Set HUB_TEST_VERBOSE=1 to see each test's commands and
# output; HUB_TEST_KEEP=1 keeps the scratch folder.
#
# `hub` in a test runs $HUB_BIN (default: ./hub at the top of the tree).

set -u

TEST_DIRECTORY=$(cd "$(dirname "$0")" && pwd)
TOP_DIRECTORY=$(cd "$TEST_DIRECTORY/.." && pwd)
: "${HUB_BIN:=$TOP_DIRECTORY/hub}"
export HUB_BIN TEST_DIRECTORY TOP_DIRECTORY

TEST_NAME=$(basename "$0" .sh)
TRASH="$TOP_DIRECTORY/build/test/$TEST_NAME"
rm -rf "$TRASH"
mkdir -p "$TRASH/home" "$TRASH/bin"
TRASH=$(cd "$TRASH" && pwd)
export TRASH

# A known environment: nothing of the user's leaks in.
export HOME="$TRASH/home"
export TORCH_HOME="$TRASH/torch"
export XDG_CACHE_HOME="$TRASH/cache"
export XDG_CONFIG_HOME="$TRASH/config"
unset GITHUB_TOKEN GH_TOKEN HUB_GITHUB_URL HUB_GITHUB_API_URL HUB_CA_BUNDLE \
	SSL_CERT_FILE CURL_CA_BUNDLE https_proxy HTTPS_PROXY http_proxy \
	HTTP_PROXY all_proxy ALL_PROXY no_proxy NO_PROXY HUB_OFFLINE HUB_PYTHON \
	HUB_URL_REWRITE NO_COLOR TORCH_HUB TORCH_MODEL_ZOO 2>/dev/null
export LC_ALL=C.UTF-8 TZ=UTC
# Debian's Python is the one with torch; the machine may have another first.
: "${HUB_TEST_PYTHON:=/usr/bin/python3}"
export HUB_TEST_PYTHON

hub() {
	"$HUB_BIN" "$@"
}

test_count=0
test_failed=0
test_skipped=0
test_verbose=${HUB_TEST_VERBOSE:-0}

say() {
	printf '# %s\n' "$*"
}

# Runs the test body in a subshell inside $TRASH; its output goes to a log
# that is shown only when the test fails (or with HUB_TEST_VERBOSE=1).
test_run_() {
	(cd "$TRASH" && eval "$1") >"$TRASH/.log" 2>&1
}

test_expect_success() {
	test_count=$((test_count + 1))
	if test_run_ "$2"; then
		echo "ok $test_count - $1"
		[ "$test_verbose" = 1 ] && sed 's/^/# /' "$TRASH/.log"
	else
		test_failed=$((test_failed + 1))
		echo "not ok $test_count - $1"
		printf '%s\n' "$2" | sed 's/^/#   /'
		sed 's/^/# > /' "$TRASH/.log"
	fi
	return 0
}

# The command must fail with a status that is not a crash. With
# test_must_fail status=N cmd..., the status must be N exactly.
test_must_fail() {
	want=
	case "$1" in
	status=*) want=${1#status=}; shift ;;
	esac
	"$@"
	got=$?
	if [ "$got" -eq 0 ]; then
		echo "test_must_fail: command succeeded: $*" >&2
		return 1
	fi
	if [ "$got" -gt 128 ]; then
		echo "test_must_fail: killed by signal $((got - 128)): $*" >&2
		return 1
	fi
	if [ -n "$want" ] && [ "$got" -ne "$want" ]; then
		echo "test_must_fail: exit $got, wanted $want: $*" >&2
		return 1
	fi
	return 0
}

# Compare expected and actual files; show the difference when they differ.
test_cmp() {
	diff -u "$1" "$2"
}

# The file must hold exactly one line (stderr messages are one line).
test_line_count() {
	lines=$(wc -l <"$3" | tr -d ' ')
	test "$lines" "$1" "$2" || {
		echo "test_line_count: $3 has $lines lines, wanted $1 $2:" >&2
		cat "$3" >&2
		return 1
	}
}

# grep that shows the file when the pattern is missing.
test_grep() {
	if [ "$1" = "!" ]; then
		shift
		if grep "$@"; then
			echo "test_grep: unexpected match for $1" >&2
			return 1
		fi
		return 0
	fi
	grep "$@" || {
		eval "file=\${$#}"
		echo "test_grep: no match for '$1' in $file:" >&2
		cat "$file" >&2
		return 1
	}
}

test_must_be_empty() {
	if [ -s "$1" ]; then
		echo "test_must_be_empty: $1 is not empty:" >&2
		cat "$1" >&2
		return 1
	fi
}

test_done() {
	echo "1..$test_count"
	if [ "$test_failed" -eq 0 ] && [ "${HUB_TEST_KEEP:-0}" != 1 ]; then
		cd "$TOP_DIRECTORY" && rm -rf "$TRASH"
	fi
	[ "$test_failed" -eq 0 ]
	exit $?
}
