#!/bin/sh
test_description='the test server: TLS, proxy, GitHub routes, weights, faults, request log'
. "$(dirname "$0")/lib.sh"
. "$TEST_DIRECTORY/lib-server.sh"

SQ="'"

# --- fixtures --------------------------------------------------------------

src=$TRASH/src
mkdir -p "$src/sub" &&
printf 'dependencies = []\ndef model(): pass\n' >"$src/hubconf.py" &&
printf 'hello\n' >"$src/sub/f.txt" &&
printf '#!/bin/sh\necho run\n' >"$src/run.sh" && chmod +x "$src/run.sh" &&
ln -s hubconf.py "$src/link" || exit 1
sha=$(fixture_repo o n main "$src") || exit 1
fixture_ref o n refs/tags/v1.0 "$sha"
fixture_ref o n release/1.0 "$sha"

# "amb" is a branch and a tag, on different commits
mkdir -p "$TRASH/src2" && printf 'x = 2\n' >"$TRASH/src2/hubconf.py"
sha2=$(fixture_repo o n amb "$TRASH/src2")
fixture_ref o n refs/tags/amb "$sha"

# many branches, for paging
mkdir -p "$TRASH/src3" && printf 'y = 3\n' >"$TRASH/src3/hubconf.py"
for b in b1 b2 b3 b4 b5; do
	fixture_repo o paged "$b" "$TRASH/src3" >/dev/null || exit 1
done

printf 'weights 0123456789abcdef\n' >"$TRASH/w.bin"
i=0; while test $i -lt 200; do echo "line $i of a weight file"; i=$((i + 1)); done >"$TRASH/big.bin"
fixture_weight local w.bin "$TRASH/w.bin"
fixture_weight local big.bin "$TRASH/big.bin"
fixture_weight download.pytorch.org models/w.bin "$TRASH/w.bin"

start_server || exit 1

# curl straight to the server, trusting the test CA; $H is the loopback base.
c () {
	curl -sS --noproxy '*' --cacert "$HUB_TEST_CA" "$@"
}
# curl by a real host name, resolved to the HTTPS listener
cn () {
	c --resolve "github.com:$HUB_TEST_HTTPS_PORT:127.0.0.1" \
	  --resolve "api.github.com:$HUB_TEST_HTTPS_PORT:127.0.0.1" \
	  --resolve "codeload.github.com:$HUB_TEST_HTTPS_PORT:127.0.0.1" \
	  --resolve "download.pytorch.org:$HUB_TEST_HTTPS_PORT:127.0.0.1" \
	  --resolve "weights.example:$HUB_TEST_HTTPS_PORT:127.0.0.1" "$@"
}
# curl through the proxy
cp_ () {
	curl -sS --cacert "$HUB_TEST_CA" --proxy "http://127.0.0.1:$HUB_TEST_PROXY_PORT" "$@"
}
H=https://127.0.0.1:$HUB_TEST_HTTPS_PORT
P=$HUB_TEST_HTTPS_PORT
# status CODE FILE: FILE (a curl -w '%{http_code}' output) is CODE
status () {
	test "$(cat "$2")" = "$1" || { echo "status $(cat "$2"), wanted $1" >&2; return 1; }
}
# header NAME FILE: the value of header NAME in FILE (curl -D output)
header () {
	tr -d '\r' <"$2" | sed -n "s/^$1: //Ip" | tail -n 1
}

# --- certificates and listeners ----------------------------------------------

test_expect_success 'make-ca.sh: a CA, a server certificate for every name, a rogue pair' '
	openssl verify -CAfile "$HUB_TEST_CA" "$TRASH/ca/server.pem" &&
	test_must_fail openssl verify -CAfile "$HUB_TEST_CA" "$TRASH/ca/rogue.pem" &&
	openssl verify -CAfile "$TRASH/ca/rogue-ca.pem" "$TRASH/ca/rogue.pem" &&
	openssl x509 -in "$HUB_TEST_CA" -noout -text >ca.txt &&
	test_grep -A1 "Basic Constraints: critical" ca.txt >bc &&
	test_grep "CA:TRUE" bc &&
	test_grep -A1 "Key Usage: critical" ca.txt >ku && test_grep "Certificate Sign" ku &&
	openssl x509 -in "$TRASH/ca/server.pem" -noout -text >server.txt &&
	for n in DNS:github.com DNS:api.github.com DNS:codeload.github.com \
		DNS:download.pytorch.org DNS:weights.example DNS:localhost \
		"IP Address:127.0.0.1"; do
		test_grep "$n" server.txt || return 1
	done &&
	openssl x509 -in "$TRASH/ca/rogue.pem" -noout -text >rogue.txt &&
	test_grep "DNS:github.com" rogue.txt
'

test_expect_success 'the ready file names every port and the pid' '
	for k in https_port http_port proxy_port rogue_port pid; do
		test_grep "\"$k\": [0-9]" "$HUB_TEST_STATE/ready.json" || return 1
	done &&
	test "$(_server_ready_field pid)" = "$HUB_TEST_SERVER_PID" &&
	kill -0 "$HUB_TEST_SERVER_PID"
'

test_expect_success 'TLS with the test CA, by loopback address and by every name' '
	c -o /dev/null -w "%{http_code}" "$H/gh/o/n/tree/main/" >code && status 200 code &&
	c -o /dev/null -w "%{http_code}" "https://localhost:$P/gh/o/n/tree/main/" >code && status 200 code &&
	for host in github.com api.github.com codeload.github.com download.pytorch.org weights.example; do
		cn -o /dev/null "https://$host:$P/" || return 1
	done
'

test_expect_success 'TLS 1.2 only, with ECDHE AES-GCM, ChaCha20 and CBC suites (BearSSL)' '
	c --tlsv1.2 --tls-max 1.2 -o /dev/null -w "%{http_code}" "$H/gh/o/n/tree/main/" >code &&
	status 200 code &&
	kx=ECDSA &&
	if openssl x509 -in "$TRASH/ca/server.pem" -noout -text | grep -q rsaEncryption; then
		kx=RSA
	fi &&
	for suite in ECDHE-$kx-AES128-GCM-SHA256 ECDHE-$kx-AES256-GCM-SHA384 \
		ECDHE-$kx-CHACHA20-POLY1305 ECDHE-$kx-AES128-SHA256; do
		openssl s_client -connect "127.0.0.1:$P" -tls1_2 -cipher "$suite" \
			-CAfile "$HUB_TEST_CA" -verify_return_error </dev/null >s.out 2>&1 &&
		test_grep "Cipher is $suite" s.out || return 1
	done
'

test_expect_success 'the rogue listener is refused by a client trusting the test CA' '
	test_must_fail status=60 c -o /dev/null "https://127.0.0.1:$HUB_TEST_ROGUE_PORT/gh/o/n/tree/main/" &&
	curl -sS --noproxy "*" --cacert "$TRASH/ca/rogue-ca.pem" -o /dev/null \
		"https://127.0.0.1:$HUB_TEST_ROGUE_PORT/gh/o/n/tree/main/"
'

test_expect_success 'use_base_urls and use_proxy set the variables hub reads' '
	(
		https_proxy=x && no_proxy=y && export https_proxy no_proxy &&
		use_base_urls &&
		test "$HUB_GITHUB_URL" = "https://localhost:$P/gh" &&
		test "$HUB_GITHUB_API_URL" = "https://localhost:$P/api" &&
		test "$HUB_CA_BUNDLE" = "$HUB_TEST_CA" &&
		test -z "${https_proxy:-}${no_proxy:-}" &&
		curl -sS --cacert "$HUB_CA_BUNDLE" -o /dev/null "$HUB_GITHUB_URL/o/n/tree/main/" &&
		curl -sS --cacert "$HUB_CA_BUNDLE" -o /dev/null -H "User-Agent: t" "$HUB_GITHUB_API_URL/repos/o/n" &&
		curl -sS --cacert "$HUB_CA_BUNDLE" -o out "$(server_url weights w.bin)" &&
		test_cmp "$TRASH/w.bin" out &&
		use_proxy &&
		test "$https_proxy" = "http://127.0.0.1:$HUB_TEST_PROXY_PORT" &&
		test -z "${HUB_GITHUB_URL:-}${HUB_GITHUB_API_URL:-}" &&
		curl -sS --cacert "$HUB_CA_BUNDLE" -o /dev/null https://github.com/o/n/tree/main/
	)
'

test_expect_success 'the proxy tunnels CONNECT github.com:443 to the HTTPS listener' '
	server_reset_log &&
	cp_ -o /dev/null -w "%{http_code}" https://github.com/o/n/tree/main/ >code &&
	status 200 code &&
	cp_ --tls-max 1.2 -o /dev/null https://api.github.com/repos/o/n &&
	test "$(server_request_count_where listener=^proxy$ method=^CONNECT$ host=^github.com$ path=^github.com:443$ status=200)" = 1 &&
	test "$(server_request_count_where listener=^https$ host=^github.com$ path=^/o/n/tree/main/$ proxy=^github.com:443$)" = 1 &&
	test "$(server_request_count_where host=^api.github.com$ proxy=^api.github.com:443$)" = 1
'

test_expect_success 'CONNECT to the rogue port reaches the rogue listener (refused)' '
	test_must_fail status=60 cp_ -o /dev/null "https://github.com:$HUB_TEST_ROGUE_PORT/o/n/tree/main/"
'

test_expect_success 'plain HTTP: its own listener and absolute-URI GETs through the proxy' '
	curl -sS --noproxy "*" "http://127.0.0.1:$HUB_TEST_HTTP_PORT/weights/w.bin" >out &&
	test_cmp "$TRASH/w.bin" out &&
	curl -sS --proxy "http://127.0.0.1:$HUB_TEST_PROXY_PORT" http://download.pytorch.org/models/w.bin >out &&
	test_cmp "$TRASH/w.bin" out &&
	test "$(server_request_count_where listener=^proxy$ method=^GET$ host=^download.pytorch.org$ path=^/models/w.bin$ status=200)" = 1
'

test_expect_success 'Python urllib (as torch.hub uses it) through the proxy' '
	SSL_CERT_FILE=$HUB_TEST_CA https_proxy=http://127.0.0.1:$HUB_TEST_PROXY_PORT \
	"$HUB_TEST_PYTHON" -c "
import urllib.request, zipfile, io
data = urllib.request.urlopen(\"https://github.com/o/n/zipball/main\").read()
print(zipfile.ZipFile(io.BytesIO(data)).infolist()[0].filename)
" >out &&
	echo "o-n-$(echo $sha | cut -c1-7)/" >expect &&
	test_cmp expect out
'

# --- github.com and codeload ---------------------------------------------------

test_expect_success 'tree probe: 200 for a branch, 404 for a missing ref or repo' '
	c -o /dev/null -w "%{http_code}" "$H/gh/o/n/tree/main/" >code && status 200 code &&
	c -o /dev/null -w "%{http_code}" "$H/gh/o/n/tree/release/1.0/sub" >code && status 200 code &&
	c -o /dev/null -w "%{http_code}" "$H/gh/o/n/tree/master/" >code && status 404 code &&
	c -o /dev/null -w "%{http_code}" "$H/gh/o/nope/tree/main/" >code && status 404 code &&
	c -o /dev/null -w "%{http_code}" "$H/gh/O/N/tree/main/" >code && status 200 code
'

test_expect_success 'zipball and tarball redirect to codeload, keeping the loopback prefix' '
	c -o /dev/null -w "%{http_code} %{redirect_url}\n" "$H/gh/o/n/zipball/main" >out &&
	echo "302 $H/codeload/o/n/legacy.zip/main" >expect && test_cmp expect out &&
	c -o /dev/null -w "%{http_code} %{redirect_url}\n" "$H/gh/o/n/tarball/v1.0" >out &&
	echo "302 $H/codeload/o/n/legacy.tar.gz/v1.0" >expect && test_cmp expect out &&
	cn -o /dev/null -w "%{redirect_url}\n" "https://github.com:$P/o/n/tarball/main" >out &&
	echo "https://codeload.github.com:$P/o/n/legacy.tar.gz/main" >expect && test_cmp expect out &&
	cp_ -o /dev/null -w "%{redirect_url}\n" "https://github.com/o/n/archive/refs/tags/v1.0.tar.gz" >out &&
	echo "https://codeload.github.com/o/n/tar.gz/refs/tags/v1.0" >expect && test_cmp expect out &&
	c -o /dev/null -w "%{http_code}" "$H/gh/o/n/zipball/nope" >code && status 404 code
'

test_expect_success 'legacy tarball: pax comment is the sha, top folder o-n-sha7, modes kept' '
	c -L -o a.tgz "$H/gh/o/n/tarball/main" &&
	gzip -dc a.tgz | git get-tar-commit-id >id &&
	echo "$sha" >expect && test_cmp expect id &&
	"$HUB_TEST_PYTHON" -c "import tarfile, sys; t = tarfile.open(sys.argv[1]); print(t.pax_headers[\"comment\"])" a.tgz >id2 &&
	test_cmp expect id2 &&
	top=o-n-$(echo $sha | cut -c1-7) &&
	tar tzf a.tgz | cut -d/ -f1 | sort -u >tops && echo "$top" >expect && test_cmp expect tops &&
	tar xzf a.tgz && test -x "$top/run.sh" && ! test -x "$top/hubconf.py" &&
	test_cmp "$src/sub/f.txt" "$top/sub/f.txt" &&
	test "$(readlink "$top/link")" = hubconf.py
'

test_expect_success 'legacy zipball: the top folder is the first entry, the sha the comment' '
	c -L -o a.zip "$H/gh/o/n/zipball/v1.0" &&
	"$HUB_TEST_PYTHON" -c "
import zipfile, sys
z = zipfile.ZipFile(sys.argv[1])
print(z.infolist()[0].filename); print(z.comment.decode())
print(oct(z.getinfo(z.infolist()[0].filename + \"run.sh\").external_attr >> 16))
" a.zip >out &&
	printf "o-n-%s/\n%s\n0o100775\n" "$(echo $sha | cut -c1-7)" "$sha" >expect &&
	test_cmp expect out
'

test_expect_success 'archive/REF: top folder NAME-REF, a leading v and refs/heads/ dropped' '
	c -L -o a.tgz "$H/gh/o/n/archive/v1.0.tar.gz" &&
	tar tzf a.tgz | head -n 1 >out && echo n-1.0/ >expect && test_cmp expect out &&
	c -L -o b.tgz "$H/gh/o/n/archive/refs/heads/release/1.0.tar.gz" &&
	tar tzf b.tgz | head -n 1 >out && echo n-release-1.0/ >expect && test_cmp expect out &&
	c -L -o c.zip "$H/gh/o/n/archive/main.zip" &&
	unzip -Z1 c.zip | head -n 1 >out && echo n-main/ >expect && test_cmp expect out
'

test_expect_success 'codeload streams chunked, with type, disposition and ETag' '
	c -D h -o a.tgz "$H/codeload/o/n/legacy.tar.gz/main" &&
	test "$(header Transfer-Encoding h)" = chunked &&
	test -z "$(header Content-Length h)" &&
	test "$(header Content-Type h)" = application/x-gzip &&
	header Content-Disposition h | grep "^attachment; filename=o-n-[0-9a-f]\{7\}.tar.gz$" &&
	header ETag h | grep "^W/\"[0-9a-f]\{40\}\"$" &&
	gzip -t a.tgz
'

test_expect_success 'refs: a tag, refs/tags/X, a sha and a prefix of it resolve; a 3-hex prefix does not' '
	for ref in v1.0 refs/tags/v1.0 refs/heads/main $sha $(echo $sha | cut -c1-7) $(echo $sha | cut -c1-4) HEAD; do
		c -L -o a.tgz "$H/codeload/o/n/legacy.tar.gz/$ref" &&
		gzip -dc a.tgz | git get-tar-commit-id >id &&
		test "$(cat id)" = "$sha" || return 1
	done &&
	c -o /dev/null -w "%{http_code}" "$H/codeload/o/n/legacy.tar.gz/$(echo $sha | cut -c1-3)" >code &&
	status 404 code
'

test_expect_success 'a branch that is also a tag: 300 on archive routes; refs/heads/X works' '
	c -o out -w "%{http_code}" "$H/gh/o/n/zipball/amb" >code && status 300 code &&
	c -o out -w "%{http_code}" "$H/codeload/o/n/legacy.zip/amb" >code && status 300 code &&
	c -o out -w "%{http_code}" "$H/api/repos/o/n/tarball/amb" -H "User-Agent: t" >code && status 300 code &&
	c -L -o a.tgz "$H/gh/o/n/tarball/refs/heads/amb" &&
	gzip -dc a.tgz | git get-tar-commit-id >id && echo "$sha2" >expect && test_cmp expect id &&
	c -L -o a.tgz "$H/gh/o/n/tarball/refs/tags/amb" &&
	gzip -dc a.tgz | git get-tar-commit-id >id && echo "$sha" >expect && test_cmp expect id
'

test_expect_success 'git ls-remote reads the smart-HTTP ref advertisement' '
	GIT_SSL_CAINFO=$HUB_TEST_CA git ls-remote "$H/gh/o/n.git" >out &&
	test_grep "^$sha	HEAD$" out &&
	test_grep "^$sha	refs/heads/main$" out &&
	test_grep "^$sha2	refs/heads/amb$" out &&
	test_grep "^$sha	refs/tags/v1.0$" out &&
	GIT_SSL_CAINFO=$HUB_TEST_CA https_proxy=http://127.0.0.1:$HUB_TEST_PROXY_PORT \
		git ls-remote https://github.com/o/n refs/heads/main >out &&
	printf "%s\trefs/heads/main\n" "$sha" >expect && test_cmp expect out
'

# --- api.github.com -----------------------------------------------------------

A=$H/api
test_expect_success 'API: the repository, with default_branch' '
	c -H "User-Agent: t" "$A/repos/o/n" >out &&
	"$HUB_TEST_PYTHON" -c "import json,sys; d=json.load(sys.stdin); print(d[\"default_branch\"], d[\"full_name\"])" <out >got &&
	echo "main o/n" >expect && test_cmp expect got &&
	c -o out -w "%{http_code}" -H "User-Agent: t" "$A/repos/o/nope" >code && status 404 code &&
	test_grep "\"message\": \"Not Found\"" out && test_grep documentation_url out
'

test_expect_success 'API: branches are paged with Link next/last; past the end is []' '
	c -D h -H "User-Agent: t" "$A/repos/o/paged/branches?per_page=2&page=1" >out &&
	"$HUB_TEST_PYTHON" -c "import json,sys; print(\" \".join(b[\"name\"] for b in json.load(sys.stdin)))" <out >names &&
	echo "b1 b2" >expect && test_cmp expect names &&
	header Link h >link &&
	test_grep "<$A/repos/o/paged/branches?per_page=2&page=2>; rel=\"next\"" link &&
	test_grep "<$A/repos/o/paged/branches?per_page=2&page=3>; rel=\"last\"" link &&
	c -D h -H "User-Agent: t" "$A/repos/o/paged/branches?per_page=2&page=3" >out &&
	test_grep "\"name\": \"b5\"" out &&
	header Link h >link && test_grep "rel=\"prev\"" link && test_grep ! "rel=\"next\"" link &&
	c -H "User-Agent: t" "$A/repos/o/paged/branches?per_page=2&page=4" >out &&
	echo "[]" >expect && test_cmp expect out &&
	c -D h -H "User-Agent: t" "$A/repos/o/paged/branches?per_page=100" >out &&
	test -z "$(header Link h)" &&
	c -H "User-Agent: t" "$A/repos/o/n/tags?per_page=100" >out &&
	test_grep "\"sha\": \"$sha\"" out && test_grep "\"name\": \"v1.0\"" out
'

test_expect_success 'API: commits/REF as a bare sha with ETag, and 304 on If-None-Match' '
	c -D h -H "User-Agent: t" -H "Accept: application/vnd.github.sha" "$A/repos/o/n/commits/main" >out &&
	printf "%s" "$sha" >expect && test_cmp expect out &&
	test "$(header ETag h)" = "\"$sha\"" &&
	rm -f out &&
	c -o out -w "%{http_code}" -H "User-Agent: t" -H "Accept: application/vnd.github.sha" \
		-H "If-None-Match: \"$sha\"" "$A/repos/o/n/commits/main" >code &&
	status 304 code && ! test -s out &&
	c -o out -w "%{http_code}" -H "User-Agent: t" -H "Accept: application/vnd.github.sha" \
		-H "If-None-Match: \"$sha2\"" "$A/repos/o/n/commits/main" >code && status 200 code &&
	c -H "User-Agent: t" "$A/repos/o/n/commits/v1.0" >out &&
	test_grep "\"sha\": \"$sha\"" out
'

test_expect_success 'API: an unknown ref is 422 "No commit found"; an unknown repo 404' '
	c -o out -w "%{http_code}" -H "User-Agent: t" "$A/repos/o/n/commits/nope" >code &&
	status 422 code && test_grep "No commit found for SHA: nope" out &&
	c -o out -w "%{http_code}" -H "User-Agent: t" "$A/repos/x/y/commits/main" >code &&
	status 404 code && test_grep "Not Found" out
'

test_expect_success 'API: git/ref and git/matching-refs' '
	c -H "User-Agent: t" "$A/repos/o/n/git/ref/heads/main" >out &&
	test_grep "\"ref\": \"refs/heads/main\"" out && test_grep "\"sha\": \"$sha\"" out &&
	test_grep "\"type\": \"commit\"" out &&
	c -H "User-Agent: t" "$A/repos/o/n/git/ref/tags/v1.0" >out && test_grep "refs/tags/v1.0" out &&
	c -o out -w "%{http_code}" -H "User-Agent: t" "$A/repos/o/n/git/ref/heads/v1.0" >code && status 404 code &&
	c -H "User-Agent: t" "$A/repos/o/n/git/matching-refs/heads/re" >out &&
	test_grep "refs/heads/release/1.0" out && test_grep ! refs/heads/main out &&
	c -H "User-Agent: t" "$A/repos/o/n/git/matching-refs/tags/zzz" >out &&
	echo "[]" >expect && test_cmp expect out
'

test_expect_success 'API: the tarball redirects to codeload legacy.tar.gz' '
	c -o /dev/null -w "%{http_code} %{redirect_url}\n" -H "User-Agent: t" "$A/repos/o/n/tarball/v1.0" >out &&
	echo "302 $H/codeload/o/n/legacy.tar.gz/v1.0" >expect && test_cmp expect out &&
	c -o /dev/null -w "%{redirect_url}\n" -H "User-Agent: t" "$A/repos/o/n/zipball" >out &&
	echo "$H/codeload/o/n/legacy.zip/main" >expect && test_cmp expect out
'

test_expect_success 'API: no User-Agent is 403' '
	c -o out -w "%{http_code}" -H "User-Agent:" "$A/repos/o/n" >code &&
	status 403 code && test_grep "User-Agent" out
'

test_expect_success 'API: rate-limit headers count per identity; 60 anonymous, 5000 with a token' '
	set_ratelimit 60 &&
	c -D h -o /dev/null -H "User-Agent: t" "$A/repos/o/n" &&
	test "$(header x-ratelimit-limit h)" = 60 && test "$(header x-ratelimit-used h)" = 1 &&
	test "$(header x-ratelimit-remaining h)" = 59 &&
	test "$(header x-ratelimit-resource h)" = core &&
	test "$(header x-ratelimit-reset h)" -gt "$(date +%s)" &&
	c -D h -o /dev/null -H "User-Agent: t" "$A/repos/o/n" &&
	test "$(header x-ratelimit-remaining h)" = 58 &&
	c -D h -o /dev/null -H "User-Agent: t" -H "Authorization: Bearer tok" "$A/repos/o/n" &&
	test "$(header x-ratelimit-limit h)" = 5000 && test "$(header x-ratelimit-remaining h)" = 4999 &&
	c -D h -o /dev/null -H "User-Agent: t" -H "Authorization: token tok" \
		-H "Accept: application/vnd.github.sha" -H "If-None-Match: \"$sha\"" "$A/repos/o/n/commits/main" &&
	test "$(header x-ratelimit-remaining h)" = 4999 &&
	c -D h -o /dev/null -H "User-Agent: t" "$A/rate_limit" &&
	test "$(header x-ratelimit-remaining h)" = 58
'

test_expect_success 'API: past the limit, 403 "API rate limit exceeded" with remaining 0' '
	set_ratelimit 2 &&
	c -o /dev/null -H "User-Agent: t" "$A/repos/o/n" &&
	c -o /dev/null -H "User-Agent: t" "$A/repos/o/n" &&
	c -D h -o out -w "%{http_code}" -H "User-Agent: t" "$A/repos/o/n" >code &&
	status 403 code && test_grep "API rate limit exceeded for 127.0.0.1" out &&
	test "$(header x-ratelimit-remaining h)" = 0 &&
	c -o /dev/null -w "%{http_code}" -H "User-Agent: t" -H "Authorization: token x" "$A/repos/o/n" >code &&
	status 200 code &&
	set_ratelimit 60
'

test_expect_success 'API: valid_tokens makes another token 401 Bad credentials' '
	set_server_config "{\"valid_tokens\": [\"good\"]}" &&
	c -o out -w "%{http_code}" -H "User-Agent: t" -H "Authorization: token bad" "$A/repos/o/n" >code &&
	status 401 code && test_grep "Bad credentials" out &&
	c -o out -w "%{http_code}" -H "User-Agent: t" -H "Authorization: token good" "$A/repos/o/n" >code &&
	status 200 code &&
	rm -f "$HUB_TEST_STATE/config.json"
'

test_expect_success 'a private repository is 404 without its token, served with it' '
	fixture_repo o secret main "$src" >/dev/null &&
	fixture_set o secret private=true token=s3cret &&
	c -o /dev/null -w "%{http_code}" "$H/gh/o/secret/tree/main/" >code && status 404 code &&
	c -o /dev/null -w "%{http_code}" -H "User-Agent: t" "$A/repos/o/secret" >code && status 404 code &&
	c -o /dev/null -w "%{http_code}" -H "User-Agent: t" -H "Authorization: token nope" "$A/repos/o/secret" >code && status 404 code &&
	c -o /dev/null -w "%{redirect_url}\n" -H "User-Agent: t" -H "Authorization: Bearer s3cret" \
		"$A/repos/o/secret/tarball/main" >url &&
	test_grep "/codeload/o/secret/legacy.tar.gz/main?token=" url &&
	c -o a.tgz "$(cat url)" && gzip -t a.tgz &&
	c -o /dev/null -w "%{http_code}" "$H/codeload/o/secret/legacy.tar.gz/main" >code && status 404 code
'

# --- weights -------------------------------------------------------------------

test_expect_success 'weights: Content-Length, ETag, Last-Modified, Accept-Ranges; HEAD' '
	c -D h -o out "$H/weights/w.bin" && test_cmp "$TRASH/w.bin" out &&
	test "$(header Content-Length h)" = "$(wc -c <"$TRASH/w.bin")" &&
	test "$(header ETag h)" = "\"$(sha1sum <"$TRASH/w.bin" | cut -c1-40)\"" &&
	test -n "$(header Last-Modified h)" && test "$(header Accept-Ranges h)" = bytes &&
	c -I "$H/weights/w.bin" >h2 &&
	test "$(header Content-Length h2)" = "$(header Content-Length h)" &&
	cn -o out "https://download.pytorch.org:$P/models/w.bin" && test_cmp "$TRASH/w.bin" out &&
	c -o /dev/null -w "%{http_code}" "$H/weights/nope.bin" >code && status 404 code &&
	c -o /dev/null -w "%{http_code}" "$H/weights/../weights/w.bin" --path-as-is >code && status 404 code
'

test_expect_success 'weights: Range gives 206; If-Range that matches 206, that does not 200; 416' '
	c -D h -o out -r 100-199 "$H/weights/big.bin" &&
	test_grep "^HTTP/1.1 206" h &&
	total=$(wc -c <"$TRASH/big.bin") &&
	test "$(header Content-Range h)" = "bytes 100-199/$total" &&
	dd if="$TRASH/big.bin" bs=1 skip=100 count=100 2>/dev/null >expect && test_cmp expect out &&
	etag=$(header ETag h) &&
	c -D h -o out -r 1000- -H "If-Range: $etag" "$H/weights/big.bin" &&
	test_grep "^HTTP/1.1 206" h &&
	tail -c +1001 "$TRASH/big.bin" >expect && test_cmp expect out &&
	c -D h -o out -r 1000- -H "If-Range: \"other\"" "$H/weights/big.bin" &&
	test_grep "^HTTP/1.1 200" h && test_cmp "$TRASH/big.bin" out &&
	c -D h -o out -r -10 "$H/weights/big.bin" && tail -c 10 "$TRASH/big.bin" >expect && test_cmp expect out &&
	c -D h -o out -w "%{http_code}" -r "$total-" "$H/weights/big.bin" >code &&
	status 416 code && test "$(header Content-Range h)" = "bytes */$total"
'

test_expect_success 'weights: /redirect/ goes to another host' '
	cn -o /dev/null -w "%{http_code} %{redirect_url}\n" "https://weights.example:$P/redirect/models/w.bin" >out &&
	echo "302 https://download.pytorch.org:$P/models/w.bin" >expect && test_cmp expect out &&
	c -o /dev/null -w "%{redirect_url}\n" "$H/weights/redirect/w.bin" >out &&
	echo "https://localhost:$P/weights/w.bin" >expect && test_cmp expect out &&
	c -L -o out "$H/weights/redirect/w.bin" && test_cmp "$TRASH/w.bin" out
'

test_expect_success 'generated big files: size, content, Range' '
	c -D h -o out "$H/weights/big/w-3mb.bin" &&
	test "$(header Content-Length h)" = 3145728 && test "$(wc -c <out)" = 3145728 &&
	server_big_file w-3mb.bin >expect && test_cmp expect out &&
	c -o part -r 1048570-1048585 "$H/weights/big/w-3mb.bin" &&
	dd if=expect bs=1 skip=1048570 count=16 2>/dev/null >want && test_cmp want part &&
	! (server_big_file v-3mb.bin | cmp -s - expect) &&
	c -o out "$H/weights/big/x-5kb.bin" && test "$(wc -c <out)" = 5120
'

# --- faults --------------------------------------------------------------------

test_expect_success 'fault status:503 with headers, used up after "times"' '
	set_faults "[{\"match\": \"^local/w.bin\$\", \"action\": \"status:503\", \"times\": 1, \"headers\": {\"Retry-After\": \"2\"}}]" &&
	c -D h -o out -w "%{http_code}" "$H/weights/w.bin" >code && status 503 code &&
	test "$(header Retry-After h)" = 2 && test_grep "\"message\"" out &&
	c -o out -w "%{http_code}" "$H/weights/w.bin" >code && status 200 code &&
	set_faults "[{\"match\": \"^local/w.bin\$\", \"action\": \"status:503\", \"times\": 1}]" &&
	c -o out -w "%{http_code}" "$H/weights/w.bin" >code && status 503 code &&
	clear_faults
'

test_expect_success 'fault ratelimit, ratelimit429, secondary_ratelimit' '
	set_faults "[{\"match\": \"api.github.com/repos/o/n\$\", \"action\": \"ratelimit\", \"times\": 1},
		{\"match\": \"api.github.com/repos/o/n/tags\", \"action\": \"ratelimit429\", \"times\": 1},
		{\"match\": \"api.github.com/repos/o/n/branches\", \"action\": \"secondary_ratelimit\", \"times\": 1}]" &&
	c -D h -o out -w "%{http_code}" -H "User-Agent: t" "$A/repos/o/n" >code &&
	status 403 code && test_grep "API rate limit exceeded" out &&
	test "$(header x-ratelimit-remaining h)" = 0 &&
	test "$(header x-ratelimit-reset h)" -gt "$(($(date +%s) + 3000))" &&
	c -D h -o out -w "%{http_code}" -H "User-Agent: t" "$A/repos/o/n/tags" >code &&
	status 429 code && test "$(header retry-after h)" = 1 && test_grep "API rate limit exceeded" out &&
	c -D h -o out -w "%{http_code}" -H "User-Agent: t" "$A/repos/o/n/branches" >code &&
	status 403 code && test "$(header retry-after h)" = 60 && test_grep "secondary rate limit" out &&
	c -o /dev/null -w "%{http_code}" -H "User-Agent: t" "$A/repos/o/n" >code && status 200 code &&
	clear_faults
'

test_expect_success 'fault reset_after:N sends N body bytes then RST' '
	set_faults "[{\"match\": \"^local/big.bin\", \"action\": \"reset_after:100\", \"times\": 2}]" &&
	test_must_fail status=56 curl -sS --noproxy "*" -o part "http://127.0.0.1:$HUB_TEST_HTTP_PORT/weights/big.bin" 2>err &&
	test_grep "reset by peer" err &&
	test "$(wc -c <part)" = 100 &&
	test_must_fail status=56 c -o part "$H/weights/big.bin" &&
	test "$(wc -c <part)" = 100 &&
	c -o out "$H/weights/big.bin" && test_cmp "$TRASH/big.bin" out &&
	test "$(server_request_count_where path=^/big.bin$ fault=reset_after:100 bytes=^100$)" = 2
'

test_expect_success 'fault truncate:N claims the whole length, sends N bytes, closes' '
	set_faults "[{\"match\": \"^local/big.bin\", \"action\": \"truncate:300\"}]" &&
	test_must_fail status=18 curl -sS --noproxy "*" -D h -o part "http://127.0.0.1:$HUB_TEST_HTTP_PORT/weights/big.bin" &&
	test "$(header Content-Length h)" = "$(wc -c <"$TRASH/big.bin")" &&
	test "$(wc -c <part)" = 300 &&
	test_must_fail c -o part "$H/weights/big.bin" &&
	test "$(wc -c <part)" = 300 &&
	set_faults "[{\"match\": \"codeload.github.com/o/n/legacy\", \"action\": \"truncate:50\"}]" &&
	test_must_fail c -o part "$H/codeload/o/n/legacy.tar.gz/main" &&
	test "$(wc -c <part)" = 50 &&
	clear_faults
'

test_expect_success 'fault corrupt_gzip breaks the gzip stream' '
	set_faults "[{\"match\": \"codeload.github.com/o/n/legacy.tar.gz\", \"action\": \"corrupt_gzip\", \"times\": 1}]" &&
	c -L -o bad.tgz "$H/gh/o/n/tarball/main" &&
	test_must_fail gzip -t bad.tgz 2>/dev/null &&
	c -L -o good.tgz "$H/gh/o/n/tarball/main" && gzip -t good.tgz &&
	test "$(wc -c <bad.tgz)" = "$(wc -c <good.tgz)" &&
	! cmp -s bad.tgz good.tgz
'

test_expect_success 'fault delay:S and slow:BPS take their time' '
	set_faults "[{\"match\": \"^local/w.bin\", \"action\": \"delay:1\"},
		{\"match\": \"^local/big/s-64kb.bin\", \"action\": \"slow:40000\"}]" &&
	c -o out -w "%{time_starttransfer}" "$H/weights/w.bin" >t &&
	test_cmp "$TRASH/w.bin" out &&
	awk "{ exit !(\$1 >= 1.0) }" t &&
	c -o out -w "%{time_total}" "$H/weights/big/s-64kb.bin" >t &&
	test "$(wc -c <out)" = 65536 &&
	awk "{ exit !(\$1 >= 1.4 && \$1 < 5) }" t &&
	clear_faults
'

test_expect_success 'fault hang: no answer until the client gives up; logged at once' '
	set_faults "[{\"match\": \"^local/w.bin\", \"action\": \"hang\", \"times\": 1}]" &&
	test_must_fail status=28 c --max-time 1 -o out "$H/weights/w.bin" &&
	test "$(server_request_count_where path=^/w.bin$ fault=hang status=^0$)" = 1 &&
	c -o out "$H/weights/w.bin" && test_cmp "$TRASH/w.bin" out
'

test_expect_success 'fault reset and close: no answer at all' '
	set_faults "[{\"match\": \"^local/w.bin\", \"action\": \"reset\", \"times\": 1},
		{\"match\": \"^local/big.bin\", \"action\": \"close\", \"times\": 1}]" &&
	test_must_fail status=56 curl -sS --noproxy "*" "http://127.0.0.1:$HUB_TEST_HTTP_PORT/weights/w.bin" &&
	test_must_fail status=52 curl -sS --noproxy "*" "http://127.0.0.1:$HUB_TEST_HTTP_PORT/weights/big.bin" &&
	c -o out "$H/weights/w.bin" && test_cmp "$TRASH/w.bin" out
'

test_expect_success 'fault chunked and no_length change the framing, not the body' '
	set_faults "[{\"match\": \"^local/w.bin\", \"action\": \"chunked\"},
		{\"match\": \"^local/big.bin\", \"action\": \"no_length\"}]" &&
	c -D h -o out "$H/weights/w.bin" && test_cmp "$TRASH/w.bin" out &&
	test "$(header Transfer-Encoding h)" = chunked && test -z "$(header Content-Length h)" &&
	c -D h -o out "$H/weights/big.bin" && test_cmp "$TRASH/big.bin" out &&
	test -z "$(header Content-Length h)" && test "$(header Connection h)" = close &&
	clear_faults
'

test_expect_success 'faults on CONNECT: the proxy refuses a tunnel' '
	set_faults "[{\"match\": \"^github.com:443\$\", \"action\": \"status:403\", \"method\": \"CONNECT\", \"times\": 1}]" &&
	test_must_fail cp_ -o /dev/null https://github.com/o/n/tree/main/ &&
	cp_ -o /dev/null https://github.com/o/n/tree/main/ &&
	test "$(server_request_count_where method=^CONNECT$ status=403)" = 1
'

test_expect_success 'faults through the proxy: a reset is passed on as a reset' '
	set_faults "[{\"match\": \"^download.pytorch.org/models/w.bin\", \"action\": \"reset_after:5\", \"times\": 1}]" &&
	test_must_fail status=56 cp_ -o part https://download.pytorch.org/models/w.bin &&
	test "$(wc -c <part)" = 5 &&
	clear_faults
'

test_expect_success 'a bad faults.json is ignored and reported' '
	echo "[{\"match\": \"(\", \"action\": \"hang\"}]" >"$HUB_TEST_STATE/faults.json" &&
	c -o out "$H/weights/w.bin" && test_cmp "$TRASH/w.bin" out &&
	test_grep "ignoring .*faults.json" "$HUB_TEST_STATE/server.log" &&
	test_must_fail set_faults "[not json" 2>/dev/null &&
	clear_faults
'

# --- the request log -----------------------------------------------------------

test_expect_success 'request log: one JSON line per request, every field' '
	server_reset_log &&
	test "$(server_request_count .)" = 0 &&
	c -o /dev/null -H "User-Agent: t" -H "Authorization: token abc" "$A/repos/o/n?x=1" &&
	c -o /dev/null -I "$H/weights/w.bin" &&
	test "$(server_request_count .)" = 2 &&
	server_requests >log &&
	"$HUB_TEST_PYTHON" -c "
import json, sys
a, b = [json.loads(l) for l in open(sys.argv[1])]
assert list(a)[:8] == [\"time\", \"listener\", \"host\", \"method\", \"path\", \"status\", \"bytes\", \"url\"], list(a)
assert (a[\"host\"], a[\"method\"], a[\"path\"], a[\"status\"]) == (\"api.github.com\", \"GET\", \"/repos/o/n?x=1\", 200), a
assert a[\"headers\"][\"authorization\"] == \"token abc\" and a[\"headers\"][\"user-agent\"] == \"t\", a
assert a[\"bytes\"] > 0 and a[\"listener\"] == \"https\" and a[\"url\"].endswith(\"/api/repos/o/n?x=1\"), a
assert (b[\"host\"], b[\"method\"], b[\"bytes\"]) == (\"local\", \"HEAD\", 0), b
" log &&
	test "$(server_request_count "\"host\": \"api.github.com\"")" = 1 &&
	test "$(server_request_count_where headers.authorization=)" = 1 &&
	test "$(server_request_count_where host=^local$ headers.authorization=)" = 0
'

# --- fixtures ------------------------------------------------------------------

test_expect_success 'fixture_repo: the same tree gives the same sha, new content a new one' '
	s1=$(fixture_repo o f main "$src") && s2=$(fixture_repo o f refs/tags/t1 "$src") &&
	test "$s1" = "$s2" &&
	cp -R "$src" moved && echo changed >moved/new.txt &&
	s3=$(fixture_repo o f main "$TRASH/moved") && test "$s3" != "$s1" &&
	c -H "User-Agent: t" -H "Accept: application/vnd.github.sha" "$A/repos/o/f/commits/main" >out &&
	test "$(cat out)" = "$s3" &&
	s4=$(fixture_repo o f - "$src" 1234567890123456789012345678901234567890) &&
	test "$s4" = 1234567890123456789012345678901234567890 &&
	c -L -o a.tgz "$H/gh/o/f/tarball/12345678" && gzip -dc a.tgz | git get-tar-commit-id >id &&
	test "$(cat id)" = "$s4" &&
	fixture_ref o f refs/tags/t1 - &&
	c -o /dev/null -w "%{http_code}" "$H/gh/o/f/tarball/t1" >code && status 404 code &&
	fixture_set o f default_branch=dev &&
	c -H "User-Agent: t" "$A/repos/o/f" | test_grep "\"default_branch\": \"dev\""
'

test_expect_success 'make-evil-tarballs.py: every archive leads with the pax global header' '
	"$HUB_TEST_PYTHON" "$TEST_DIRECTORY/make-evil-tarballs.py" evil >list &&
	test_cmp list evil/index.tsv &&
	test "$(wc -l <list)" -ge 15 &&
	for n in dotdot absolute symlink-escape hardlink-escape chardev two-top-folders absurd-size pax-path-escape; do
		test_grep "^$n	" list || return 1
	done &&
	cut -f1 list | while read n; do
		test "$n" = no-global-header && continue
		gzip -dc "evil/$n.tar.gz" 2>/dev/null | head -c 1024 | git get-tar-commit-id >id &&
		test_grep "^eeeeeeee0123456789abcdef" id || { echo "$n"; return 1; }
	done
'

test_expect_success 'a prebuilt archive is served verbatim on every archive route' '
	"$HUB_TEST_PYTHON" "$TEST_DIRECTORY/make-evil-tarballs.py" evil >/dev/null &&
	esha=$(fixture_archive o evil main evil/dotdot.tar.gz) &&
	c -L -o a.tgz "$H/gh/o/evil/tarball/main" && cmp a.tgz evil/dotdot.tar.gz &&
	c -L -o a.tgz "$H/gh/o/evil/archive/main.tar.gz" && cmp a.tgz evil/dotdot.tar.gz &&
	c -L -o a.tgz "$H/api/repos/o/evil/tarball/$esha" -H "User-Agent: t" && cmp a.tgz evil/dotdot.tar.gz &&
	c -H "User-Agent: t" -H "Accept: application/vnd.github.sha" "$A/repos/o/evil/commits/main" >out &&
	test "$(cat out)" = "$esha" &&
	fixture_archive o n main evil/absolute.tar.gz &&
	c -L -o a.tgz "$H/gh/o/n/tarball/main" && cmp a.tgz evil/absolute.tar.gz &&
	c -L -o a.tgz "$H/gh/o/n/tarball/v1.0" && ! cmp -s a.tgz evil/absolute.tar.gz &&
	rm -r "$HUB_TEST_ROOT/repos/o/n/archives"
'

# --- torch.hub itself against the server ------------------------------------------

if "$HUB_TEST_PYTHON" -c "import torch.hub" 2>/dev/null; then
test_expect_success 'torch.hub (1.13) lists entrypoints through the proxy, ambiguous ref included' '
	server_reset_log &&
	SSL_CERT_FILE=$HUB_TEST_CA https_proxy=http://127.0.0.1:$HUB_TEST_PROXY_PORT \
	TORCH_HOME=$TRASH/torch-py "$HUB_TEST_PYTHON" -W ignore -c "
import torch.hub
print(torch.hub.list(\"o/n\", trust_repo=True))
print(torch.hub.list(\"o/n:v1.0\", trust_repo=True))
print(torch.hub.list(\"o/n:amb\", trust_repo=True, skip_validation=True))
" >out 2>err &&
	printf "%s\n" "[${SQ}model${SQ}]" "[${SQ}model${SQ}]" "[]" >expect &&
	test_cmp expect out &&
	test -f "$TRASH/torch-py/hub/o_n_main/hubconf.py" &&
	test "$(server_request_count_where host=^github.com$ path=^/o/n/tree/main/$ status=200)" = 1 &&
	test "$(server_request_count_where host=^api.github.com$ "path=^/repos/o/n/branches[?]per_page=100&page=1$")" = 2 &&
	test "$(server_request_count_where host=^github.com$ path=^/o/n/zipball/amb$ status=300)" = 1 &&
	test "$(server_request_count_where host=^github.com$ path=^/o/n/zipball/refs/heads/amb$ status=302)" = 1
'
else
	say "torch.hub is not importable by $HUB_TEST_PYTHON: its test is skipped"
fi

test_expect_success 'start_server leaves no job for a bare wait; stop_server stops it' '
	(
		HUB_TEST_STATE=$TRASH/state3 && _server_trap_installed=1 &&
		HUB_TEST_SERVER_PID= && start_server &&
		pid=$HUB_TEST_SERVER_PID && kill -0 $pid &&
		test "$HUB_TEST_HTTPS_PORT" != "$P" &&
		{ sleep 0.1 & } && wait &&
		stop_server && ! kill -0 $pid 2>/dev/null
	)
'

test_expect_success 'the server exits when its parent process is gone' '
	{ sleep 30 & } && parent=$! &&
	{ "$HUB_TEST_PYTHON" "$TEST_DIRECTORY/server.py" --root root2 --state state2 \
		--cert "$TRASH/ca/server.pem" --key "$TRASH/ca/server.key" \
		--ready ready2.json --parent $parent >log2 2>&1 & } &&
	pid=$! &&
	i=0 && while ! test -s ready2.json && test $i -lt 100; do sleep 0.1; i=$((i + 1)); done &&
	test_grep "\"rogue_port\": null" ready2.json &&
	kill $parent &&
	i=0 && while kill -0 $pid 2>/dev/null && test $i -lt 50; do sleep 0.1; i=$((i + 1)); done &&
	! kill -0 $pid 2>/dev/null
'

test_done
