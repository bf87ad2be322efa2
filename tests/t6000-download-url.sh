#!/bin/sh
test_description='hub download URL: checkpoints/, hashes, -o, --file-name, skip, atomic'
. "$(dirname "$0")/lib.sh"
. "$TEST_DIRECTORY/lib-server.sh"

ckpt=$TORCH_HOME/hub/checkpoints

test_expect_success 'setup: weight files on the fake hosts' '
	head -c 300000 /dev/urandom >w.bin &&
	sha=$(sha256sum w.bin | cut -c1-64) && echo "$sha" >w.sha &&
	short=$(echo "$sha" | cut -c1-8) && echo "$short" >w.short &&
	fixture_weight local m/model.pth w.bin &&
	fixture_weight local "m/model-$short.pth" w.bin &&
	fixture_weight local m/model-12ab.pth w.bin &&
	fixture_weight local m/model-deadbeef.pth w.bin &&
	fixture_weight download.pytorch.org models/r.pth w.bin
'
start_server || exit 1
use_base_urls
# BearSSL cannot verify a certificate for an IP address: use the name.
url() {
	echo "https://localhost:$HUB_TEST_HTTPS_PORT/weights/$1"
}
sha=$(cat "$TRASH/w.sha")
short=$(cat "$TRASH/w.short")

test_expect_success 'a URL lands in checkpoints/<basename>, its path on stdout' '
	hub download "$(url m/model.pth)" >out 2>err &&
	echo "$ckpt/model.pth" >expect && test_cmp expect out &&
	test_cmp w.bin "$ckpt/model.pth"
'

test_expect_success 'the file respects the umask (torch 1.13 makes 0600)' '
	test "$(stat -c %a "$ckpt/model.pth")" = 644 &&
	rm "$ckpt/model.pth" &&
	(umask 077 && hub download "$(url m/model.pth)" >/dev/null) &&
	test "$(stat -c %a "$ckpt/model.pth")" = 600 &&
	rm "$ckpt/model.pth" && hub download "$(url m/model.pth)" >/dev/null
'

test_expect_success 'the SHA-256 is recorded in the manifest and in --json' '
	grep "\"sha256\":\"$sha\"" "$TORCH_HOME/hub/.hub/weights/model.pth.json" &&
	grep "\"size\":300000" "$TORCH_HOME/hub/.hub/weights/model.pth.json" &&
	rm "$ckpt/model.pth" &&
	hub --json download "$(url m/model.pth)" >out &&
	"$HUB_TEST_PYTHON" -c "import json; d = json.load(open(\"out\"))[0]; assert d[\"sha256\"] == \"$sha\" and d[\"size\"] == 300000 and not d[\"cached\"], d"
'

test_expect_success 'nothing is left behind: no temporary, no partial' '
	test -z "$(ls -A "$ckpt" | grep -v "^model.pth$")" &&
	test -z "$(ls -A "$TORCH_HOME/hub/.hub/partial")"
'

test_expect_success 'a file already there is not fetched again' '
	server_reset_log &&
	hub --json download "$(url m/model.pth)" >out &&
	test "$(server_request_count .)" = 0 &&
	"$HUB_TEST_PYTHON" -c "import json; d = json.load(open(\"out\"))[0]; assert d[\"cached\"] and d[\"sha256\"] == \"$sha\", d"
'

test_expect_success '--force fetches it anyway' '
	server_reset_log &&
	hub download --force "$(url m/model.pth)" >out &&
	test "$(server_request_count "model.pth")" = 1
'

test_expect_success 'query and fragment are not part of the name' '
	hub download "$(url m/model.pth)?x=1#frag" --force >out &&
	echo "$ckpt/model.pth" >expect && test_cmp expect out
'

test_expect_success '--file-name overrides the name' '
	hub download --file-name other.pth "$(url m/model.pth)" >out &&
	echo "$ckpt/other.pth" >expect && test_cmp expect out &&
	test_cmp w.bin "$ckpt/other.pth"
'

test_expect_success '-o FILE writes where told, always' '
	mkdir -p dest &&
	hub download -o dest/x.bin "$(url m/model.pth)" >out &&
	echo "$TRASH/dest/x.bin" >expect && test_cmp expect out &&
	test_cmp w.bin dest/x.bin &&
	test -z "$(ls -A dest | grep -v "^x.bin$")" &&
	server_reset_log &&
	hub download -o dest/x.bin "$(url m/model.pth)" >out &&
	test "$(server_request_count "model.pth")" = 1
'

test_expect_success '--hash-prefix: a match passes (any case)' '
	hub download -o dest/y.bin --hash-prefix "$(echo "$short" | tr a-f A-F)" "$(url m/model.pth)" &&
	test_cmp w.bin dest/y.bin
'

test_expect_success '--hash-prefix: a mismatch is exit 6, names both hashes, keeps nothing' '
	test_must_fail status=6 hub download --hash-prefix 00000000 --file-name bad.pth "$(url m/model.pth)" 2>err &&
	test_grep "bad.pth: hash mismatch: expected 00000000, got $sha" err &&
	! test -e "$ckpt/bad.pth" &&
	test -z "$(ls -A "$TORCH_HOME/hub/.hub/partial")" &&
	! test -e "$TORCH_HOME/hub/.hub/weights/bad.pth.json"
'

test_expect_success '--check-hash takes the prefix from the name' '
	hub download --check-hash "$(url "m/model-$short.pth")" >out &&
	test_cmp w.bin "$ckpt/model-$short.pth"
'

test_expect_success '--check-hash: a name whose hash does not match is exit 6' '
	test_must_fail status=6 hub download --check-hash "$(url m/model-deadbeef.pth)" 2>err &&
	test_grep "model-deadbeef.pth: hash mismatch: expected deadbeef, got $sha" err &&
	! test -e "$ckpt/model-deadbeef.pth"
'

test_expect_success '--check-hash refuses a name without 8 hex digits, before any request' '
	server_reset_log &&
	test_must_fail status=2 hub download --check-hash "$(url m/model.pth)" 2>err &&
	test_line_count = 1 err && test_grep "model.pth: --check-hash needs" err &&
	test_must_fail status=2 hub download --check-hash "$(url m/model-12ab.pth)" 2>err &&
	test_grep "model-12ab.pth: --check-hash needs at least 8 hex digits" err &&
	test "$(server_request_count .)" = 0
'

test_expect_success 'a 404 is exit 5 and leaves nothing' '
	test_must_fail status=5 hub download "$(url m/missing.pth)" 2>err &&
	test_grep "missing.pth: .*not found" err &&
	! test -e "$ckpt/missing.pth" &&
	test -z "$(ls -A "$TORCH_HOME/hub/.hub/partial")"
'

test_expect_success 'a URL without a file name is a usage error' '
	test_must_fail status=2 hub download "https://localhost:$HUB_TEST_HTTPS_PORT/" 2>err &&
	test_grep "names no file" err
'

test_expect_success '-o and --file-name take one URL' '
	test_must_fail status=2 hub download -o x "$(url a.pth)" "$(url b.pth)" 2>err &&
	test_grep "takes one URL" err
'

test_expect_success 'offline: a present file is fine, a missing one is exit 7, no socket' '
	server_reset_log &&
	HUB_OFFLINE=1 hub download "$(url m/model.pth)" >out &&
	echo "$ckpt/model.pth" >expect && test_cmp expect out &&
	test_must_fail status=7 hub --offline download "$(url m/new.pth)" 2>err &&
	test_grep "new.pth: not available offline" err &&
	test "$(server_request_count .)" = 0
'

test_expect_success 'through the proxy, with a redirect to another host; no token leaks' '
	use_proxy &&
	server_reset_log &&
	GITHUB_TOKEN=secret-token hub download https://weights.example/redirect/models/r.pth >out &&
	echo "$ckpt/r.pth" >expect && test_cmp expect out &&
	test_cmp w.bin "$ckpt/r.pth" &&
	test "$(server_request_count_where host=^weights.example$ method=^GET$ status=302)" = 1 &&
	test "$(server_request_count_where host=^download.pytorch.org$ method=^GET$ status=200)" = 1 &&
	test "$(server_request_count_where headers.authorization=)" = 0
'

test_expect_success 'HUB_URL_REWRITE points a host at a mirror' '
	use_base_urls &&
	server_reset_log &&
	HUB_URL_REWRITE="https://download.pytorch.org/=$(url "")" \
		hub download --file-name mirrored.pth https://download.pytorch.org/m/model.pth >out &&
	test_cmp w.bin "$ckpt/mirrored.pth" &&
	test "$(server_request_count_where host=^local$ path=^/m/model.pth$)" = 1
'

test_expect_success 'the config file url-rewrite does the same' '
	mkdir -p "$XDG_CONFIG_HOME/hub" &&
	echo "url-rewrite = https://download.pytorch.org/=$(url "")" >"$XDG_CONFIG_HOME/hub/config" &&
	hub download --file-name mirrored2.pth https://download.pytorch.org/m/model.pth >out &&
	test_cmp w.bin "$ckpt/mirrored2.pth" &&
	rm "$XDG_CONFIG_HOME/hub/config"
'

test_done
