# lib-server.sh: the fake GitHub + weight host + proxy (tests/server.py),
# from a test script.  Source it after tests/lib.sh (which sets $TRASH, the
# script's scratch folder); POSIX sh.
#
#   . ./lib.sh
#   . ./lib-server.sh
#   fixture_repo alice proj main "$TRASH/src" >/dev/null
#   start_server
#   use_base_urls            # or: use_proxy
#   hub download alice/proj:main
#   test "$(server_request_count '"host": "codeload.github.com"')" = 1
#
# What a test writer must know:
# - Everything lives under $TRASH/server: root/ (fixtures, $HUB_TEST_ROOT),
#   state/ ($HUB_TEST_STATE: requests.log, faults.json, config.json,
#   server.log with the server's own errors, ready.json).  The CA is made
#   once per script in $TRASH/ca ($HUB_TEST_CA is its PEM).
# - Fixtures may be added before or after start_server: the server re-reads
#   them on every request.
# - Two routes to the same server: use_base_urls (HUB_GITHUB_URL and
#   HUB_GITHUB_API_URL on https://localhost:PORT/gh and /api) and use_proxy
#   (https_proxy; hub talks to "https://github.com" and the proxy tunnels it
#   here).  Request-log "host" and "path" are the logical ones (github.com,
#   /o/n/zipball/main) on both routes, so one grep works for both.
# - The API counts a rate limit like GitHub: 60 anonymous requests per
#   server (that is, per test script) unless set_ratelimit says otherwise.
# - requests.log lines are json.dumps output: `"key": value`, e.g.
#   '"host": "api.github.com"', '"status": 304'.  A line is written before
#   the answer's body is sent, so it is there once the client has the answer.
# - Weight files on the loopback host: fixture_weight local PATH FILE, URL
#   "$(server_url weights PATH)".  /big/NAME-<N>mb.bin needs no fixture.
# - See the comment at the top of tests/server.py for every route, fault
#   action and file format.

HUB_TEST_PYTHON=${HUB_TEST_PYTHON:-/usr/bin/python3}

# The folder holding server.py: $HUB_TEST_DIR if set, else the test
# script's own folder (found from $0, from where the script was started).
if test -z "${HUB_TEST_DIR:-}"; then
	for _server_d in "${TEST_DIRECTORY:-}" "$(dirname "$0")" \
		"${OLDPWD:-.}/$(dirname "$0")"; do
		if test -n "$_server_d" && test -f "$_server_d/server.py"; then
			HUB_TEST_DIR=$(cd "$_server_d" && pwd)
			break
		fi
	done
	unset _server_d
fi
if test -z "${HUB_TEST_DIR:-}"; then
	echo "lib-server.sh: cannot find tests/server.py; set HUB_TEST_DIR" >&2
	exit 1
fi

# _server_dirs: set and make HUB_TEST_ROOT and HUB_TEST_STATE.
_server_dirs () {
	if test -z "${TRASH:-}"; then
		echo "lib-server.sh: TRASH is not set (source tests/lib.sh first)" >&2
		return 1
	fi
	HUB_TEST_ROOT=${HUB_TEST_ROOT:-$TRASH/server/root}
	HUB_TEST_STATE=${HUB_TEST_STATE:-$TRASH/server/state}
	mkdir -p "$HUB_TEST_ROOT/repos" "$HUB_TEST_ROOT/weights" \
		"$HUB_TEST_STATE" || return 1
	export HUB_TEST_ROOT HUB_TEST_STATE
}

# _server_ready_field NAME: a number from the ready file.
_server_ready_field () {
	sed -n "s/.*\"$1\": *\([0-9][0-9]*\).*/\1/p" "$HUB_TEST_STATE/ready.json"
}

# start_server: make the test CA (once per script, in $TRASH/ca), start
# server.py in the background, wait (10 s at most) until it listens, and
# export
#   HUB_TEST_HTTPS_PORT  TLS listener (every virtual host)
#   HUB_TEST_HTTP_PORT   plain HTTP listener, same routes
#   HUB_TEST_PROXY_PORT  HTTP proxy (CONNECT and absolute-URI GET)
#   HUB_TEST_ROGUE_PORT  TLS with a certificate the test CA did not sign
#   HUB_TEST_CA          the test CA, PEM
#   HUB_TEST_ROOT, HUB_TEST_STATE, HUB_TEST_SERVER_PID
# The server is stopped when the script exits (an EXIT trap, chained to
# any trap already set), and exits by itself when the script's shell dies.
# It is not a job of the script's shell, so a bare `wait` does not wait
# for it.
start_server () {
	_server_dirs || return 1
	if ! test -s "$TRASH/ca/server.pem"; then
		mkdir -p "$TRASH/ca" &&
		sh "$HUB_TEST_DIR/make-ca.sh" "$TRASH/ca" \
			>"$TRASH/ca/make-ca.log" 2>&1 || {
			echo "start_server: make-ca.sh failed:" >&2
			cat "$TRASH/ca/make-ca.log" >&2
			return 1
		}
	fi
	if test -n "${HUB_TEST_SERVER_PID:-}"; then
		stop_server
	fi
	rm -f "$HUB_TEST_STATE/ready.json" "$HUB_TEST_STATE/server.pid"
	# Started from a subshell, so it is not a job of this shell: a test's
	# bare `wait` (for its own background commands) must not wait for it.
	(
		"$HUB_TEST_PYTHON" "$HUB_TEST_DIR/server.py" \
			--root "$HUB_TEST_ROOT" --state "$HUB_TEST_STATE" \
			--cert "$TRASH/ca/server.pem" --key "$TRASH/ca/server.key" \
			--rogue-cert "$TRASH/ca/rogue.pem" \
			--rogue-key "$TRASH/ca/rogue.key" \
			--ready "$HUB_TEST_STATE/ready.json" --parent $$ \
			</dev/null >>"$HUB_TEST_STATE/server.log" 2>&1 &
		echo $! >"$HUB_TEST_STATE/server.pid"
	)
	HUB_TEST_SERVER_PID=$(cat "$HUB_TEST_STATE/server.pid")
	_server_tries=0
	while ! test -s "$HUB_TEST_STATE/ready.json"; do
		if ! kill -0 "$HUB_TEST_SERVER_PID" 2>/dev/null; then
			echo "start_server: server.py exited:" >&2
			cat "$HUB_TEST_STATE/server.log" >&2
			HUB_TEST_SERVER_PID=
			return 1
		fi
		_server_tries=$((_server_tries + 1))
		if test $_server_tries -gt 100; then
			echo "start_server: server.py not ready after 10 s" >&2
			stop_server
			return 1
		fi
		sleep 0.1
	done
	HUB_TEST_HTTPS_PORT=$(_server_ready_field https_port)
	HUB_TEST_HTTP_PORT=$(_server_ready_field http_port)
	HUB_TEST_PROXY_PORT=$(_server_ready_field proxy_port)
	HUB_TEST_ROGUE_PORT=$(_server_ready_field rogue_port)
	HUB_TEST_CA=$TRASH/ca/ca.pem
	export HUB_TEST_HTTPS_PORT HUB_TEST_HTTP_PORT HUB_TEST_PROXY_PORT \
		HUB_TEST_ROGUE_PORT HUB_TEST_CA HUB_TEST_SERVER_PID
	_server_install_trap
}

# stop_server: stop the server started by start_server (if any), and wait
# (5 s at most) until it is gone.
stop_server () {
	if test -n "${HUB_TEST_SERVER_PID:-}"; then
		kill "$HUB_TEST_SERVER_PID" 2>/dev/null
		_server_tries=0
		while kill -0 "$HUB_TEST_SERVER_PID" 2>/dev/null &&
			test $_server_tries -lt 50; do
			sleep 0.1
			_server_tries=$((_server_tries + 1))
		done
		HUB_TEST_SERVER_PID=
	fi
	return 0
}

# _server_install_trap: run stop_server at exit, then whatever EXIT trap
# was there before (its text is read with `trap` into a file: dash prints
# nothing for `$(trap)`), keeping the exit status.
_server_install_trap () {
	test -n "${_server_trap_installed:-}" && return 0
	_server_trap_installed=1
	_server_previous=
	trap >"$HUB_TEST_STATE/.traps"
	_server_line=$(grep -E ' (EXIT|0)$' "$HUB_TEST_STATE/.traps")
	if test -n "$_server_line"; then
		# the line is "trap -- 'command' EXIT": let the shell unquote it
		eval "_server_take_previous ${_server_line#trap }"
	fi
	trap '_server_status=$?; stop_server; (exit $_server_status); '"$_server_previous" EXIT
}
_server_take_previous () {
	test "$1" = "--" && shift
	_server_previous=$1
}

# use_base_urls: point hub at the server through its base-URL variables:
# HUB_GITHUB_URL=https://localhost:PORT/gh,
# HUB_GITHUB_API_URL=https://localhost:PORT/api, HUB_CA_BUNDLE=the test CA;
# unsets every proxy variable.  localhost, not 127.0.0.1: curl's BearSSL
# backend cannot verify a certificate for an IP address ("host verification
# of IP address is not supported").
use_base_urls () {
	HUB_GITHUB_URL=https://localhost:$HUB_TEST_HTTPS_PORT/gh
	HUB_GITHUB_API_URL=https://localhost:$HUB_TEST_HTTPS_PORT/api
	HUB_CA_BUNDLE=$HUB_TEST_CA
	export HUB_GITHUB_URL HUB_GITHUB_API_URL HUB_CA_BUNDLE
	unset https_proxy HTTPS_PROXY http_proxy HTTP_PROXY all_proxy \
		ALL_PROXY no_proxy NO_PROXY
}

# use_proxy: reach the real names (https://github.com, ...) through the
# server's proxy: https_proxy and http_proxy=http://127.0.0.1:PROXYPORT,
# HUB_CA_BUNDLE=the test CA; unsets HUB_GITHUB_URL, HUB_GITHUB_API_URL,
# no_proxy and the upper-case proxy variables.
use_proxy () {
	https_proxy=http://127.0.0.1:$HUB_TEST_PROXY_PORT
	http_proxy=$https_proxy
	HUB_CA_BUNDLE=$HUB_TEST_CA
	export https_proxy http_proxy HUB_CA_BUNDLE
	unset HUB_GITHUB_URL HUB_GITHUB_API_URL HTTPS_PROXY HTTP_PROXY \
		all_proxy ALL_PROXY no_proxy NO_PROXY
}

# server_url KIND [PATH]: the loopback URL of KIND (gh, api, codeload or
# weights) and PATH, e.g. `server_url weights m/w.pth` ->
# https://localhost:PORT/weights/m/w.pth.  HUB_TEST_SCHEME=http gives the
# plain listener's.  (/weights/redirect/PATH there answers 302 to the same
# file on 127.0.0.1, a cross-host redirect; hub, with BearSSL, can follow it
# only over http, see use_base_urls.)
server_url () {
	if test "${HUB_TEST_SCHEME:-https}" = http; then
		printf 'http://localhost:%s/%s%s\n' "$HUB_TEST_HTTP_PORT" "$1" \
			"${2:+/${2#/}}"
	else
		printf 'https://localhost:%s/%s%s\n' "$HUB_TEST_HTTPS_PORT" "$1" \
			"${2:+/${2#/}}"
	fi
}

# server_requests [REGEX]: the request-log lines (JSON) matching the
# extended REGEX (all lines without one).  Never fails.
server_requests () {
	_server_dirs || return 1
	test -f "$HUB_TEST_STATE/requests.log" || return 0
	if test $# -eq 0; then
		cat "$HUB_TEST_STATE/requests.log"
	else
		grep -E -- "$1" "$HUB_TEST_STATE/requests.log" || :
	fi
}

# server_request_count REGEX: how many request-log lines match REGEX.
server_request_count () {
	server_requests "$@" | wc -l | tr -d ' '
}

# server_requests_where KEY=REGEX...: the request-log lines whose fields
# all match (Python regex search; KEY is a top-level key such as host,
# method, path, status, listener, proxy, or headers.NAME with NAME lower
# case; a missing key never matches, so `headers.authorization=` finds
# the requests that sent one).
server_requests_where () {
	_server_dirs || return 1
	"$HUB_TEST_PYTHON" "$HUB_TEST_DIR/server.py" log-select \
		"$HUB_TEST_STATE" "$@"
}

# server_request_count_where KEY=REGEX...: how many lines match.
server_request_count_where () {
	server_requests_where "$@" | wc -l | tr -d ' '
}

# server_counts: the requests logged so far, by kind, one line:
# "api=N api_free=N api_304=N web=N codeload=N weights=N connect=N" (api:
# counted against the API rate limit; api_free: API answers it did not
# count, as a 304 to an authorised request; web: github.com).
# server_count KIND: one of those numbers.
server_counts () {
	_server_dirs || return 1
	"$HUB_TEST_PYTHON" "$HUB_TEST_DIR/server.py" counts "$HUB_TEST_STATE"
}
server_count () {
	server_counts | tr ' ' '\n' | sed -n "s/^$1=//p"
}

# server_reset_log: forget the requests logged so far.
server_reset_log () {
	_server_dirs || return 1
	: >"$HUB_TEST_STATE/requests.log"
}

# set_faults JSON: replace the fault rules (a JSON list of rules, or one
# rule); the server applies them from its next request on, and their
# "times" counts start afresh.  Fails if JSON does not parse.  E.g.
#   set_faults '[{"match": "codeload", "action": "reset_after:100", "times": 1}]'
set_faults () {
	_server_dirs || return 1
	printf '%s\n' "$1" >"$HUB_TEST_STATE/faults.json.new" &&
	"$HUB_TEST_PYTHON" -c 'import json, sys; json.load(open(sys.argv[1]))' \
		"$HUB_TEST_STATE/faults.json.new" &&
	mv -f "$HUB_TEST_STATE/faults.json.new" "$HUB_TEST_STATE/faults.json"
}

# clear_faults: no more faults.
clear_faults () {
	_server_dirs || return 1
	rm -f "$HUB_TEST_STATE/faults.json"
}

# set_server_config JSON: replace STATE/config.json, e.g.
# '{"rate_limit": {"anonymous": 3}, "valid_tokens": ["good"]}'; resets the
# rate-limit counters.
set_server_config () {
	_server_dirs || return 1
	printf '%s\n' "$1" >"$HUB_TEST_STATE/config.json.new" &&
	"$HUB_TEST_PYTHON" -c 'import json, sys; json.load(open(sys.argv[1]))' \
		"$HUB_TEST_STATE/config.json.new" &&
	mv -f "$HUB_TEST_STATE/config.json.new" "$HUB_TEST_STATE/config.json"
}

# set_ratelimit ANONYMOUS [AUTHENTICATED]: the API's hourly limits (GitHub:
# 60 and 5000), counters reset.  Keeps nothing else of config.json.
set_ratelimit () {
	set_server_config "{\"rate_limit\": {\"anonymous\": $1, \"authenticated\": ${2:-5000}}}"
}

# fixture_repo OWNER NAME REF DIR [SHA]: add DIR's files as a commit of
# OWNER/NAME and point REF at it; prints the commit sha.  REF: X or
# refs/heads/X makes a branch (the repo's first branch becomes its default
# branch), refs/tags/X a tag, - no ref at all (a commit that is no ref's
# head).  SHA defaults to sha1("OWNER/NAME\0" + digest of DIR's content):
# the same DIR gives the same commit (a branch and a tag on one commit),
# new content a new one (a ref that moved).
fixture_repo () {
	_server_dirs || return 1
	"$HUB_TEST_PYTHON" "$HUB_TEST_DIR/server.py" fixture-repo \
		--root "$HUB_TEST_ROOT" "$@"
}

# fixture_ref OWNER NAME REF SHA: point REF (as in fixture_repo) at a commit
# the repo already has; SHA "-" deletes REF.
fixture_ref () {
	_server_dirs || return 1
	"$HUB_TEST_PYTHON" "$HUB_TEST_DIR/server.py" fixture-ref \
		--root "$HUB_TEST_ROOT" "$@"
}

# fixture_set OWNER NAME KEY=VALUE...: set refs.json keys, VALUE as JSON
# when it parses, else as a string: default_branch=dev, private=true,
# token=SECRET (the only token that opens a private repo), time=UNIXTIME.
fixture_set () {
	_server_dirs || return 1
	"$HUB_TEST_PYTHON" "$HUB_TEST_DIR/server.py" fixture-set \
		--root "$HUB_TEST_ROOT" "$@"
}

# fixture_archive OWNER NAME REF FILE: serve FILE (a .tar.gz, or a .zip by
# its name) verbatim as the archive of REF on every archive route.  If the
# repo has no such REF, it is created on a new empty commit (whose sha is
# printed) and FILE answers for every name of that commit; for an existing
# REF, FILE answers only when the URL names REF exactly as given.
fixture_archive () {
	_server_dirs || return 1
	"$HUB_TEST_PYTHON" "$HUB_TEST_DIR/server.py" fixture-archive \
		--root "$HUB_TEST_ROOT" "$@"
}

# fixture_weight HOST PATH FILE: serve FILE at https://HOST/PATH, HOST being
# download.pytorch.org, weights.example (both reachable through the proxy)
# or local (the loopback host's /weights/PATH, see server_url).
fixture_weight () {
	_server_dirs || return 1
	mkdir -p "$(dirname "$HUB_TEST_ROOT/weights/$1/$2")" &&
	cp "$3" "$HUB_TEST_ROOT/weights/$1/$2"
}

# server_big_file NAME: the bytes the server sends for /big/NAME (e.g.
# w-64mb.bin), to compare or hash: `server_big_file w-64mb.bin | sha256sum`.
server_big_file () {
	"$HUB_TEST_PYTHON" "$HUB_TEST_DIR/server.py" big-file "$1"
}
