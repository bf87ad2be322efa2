/*
 * test_lockfile.c - the lock file: layout, order, refusals.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "err.h"
#include "lockfile.h"
#include "util.h"

#define C1 "0123456789abcdef0123456789abcdef01234567"
#define H1 "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff"

static void layout_is_sorted_one_entry_a_line(void **state)
{
	struct lockfile lock;
	char *text;

	(void)state;
	memset(&lock, 0, sizeof(lock));
	assert_int_equal(lockfile_add_repo(&lock, "zed/b:v1", C1), HUB_OK);
	assert_int_equal(lockfile_add_repo(&lock, "alice/proj:release/1.0", "0123456789ABCDEF0123456789abcdef01234567"), HUB_OK);
	lockfile_add_checkpoint(&lock, "w.pth", "https://h/w.pth", 3, H1);
	lockfile_add_checkpoint(&lock, "a.pth", NULL, 0, H1);
	text = lockfile_format(&lock);
	assert_string_equal(text,
		"{\n"
		"\"format\": \"hub-lock\",\n"
		"\"version\": 1,\n"
		"\"repositories\": [\n"
		"  {\"cache_name\":\"alice_proj_release_1.0\",\"commit\":\"" C1 "\",\"name\":\"proj\",\"owner\":\"alice\",\"ref\":\"release/1.0\",\"spec\":\"alice/proj:release/1.0\"},\n"
		"  {\"cache_name\":\"zed_b_v1\",\"commit\":\"" C1 "\",\"name\":\"b\",\"owner\":\"zed\",\"ref\":\"v1\",\"spec\":\"zed/b:v1\"}\n"
		"],\n"
		"\"checkpoints\": [\n"
		"  {\"name\":\"a.pth\",\"sha256\":\"" H1 "\",\"size\":0},\n"
		"  {\"name\":\"w.pth\",\"sha256\":\"" H1 "\",\"size\":3,\"url\":\"https://h/w.pth\"}\n"
		"]\n"
		"}\n");
	free(text);
	lockfile_free(&lock);
}

static void refuses(const char *text, const char *why)
{
	struct lockfile lock;

	hub_error_clear();
	assert_int_equal(lockfile_parse(text, strlen(text), "x.lock", &lock), HUB_EINTEGRITY);
	assert_int_equal(lock.n_repos, 0);
	if (!strstr(hub_error_message(), why))
		fail_msg("message '%s' lacks '%s'", hub_error_message(), why);
}

static void bad_entries(void **state)
{
	(void)state;
	refuses("[]", "not a hub lock file");
	refuses("{\"format\":\"hub-lock\",\"version\":2}", "version 2");
	refuses("{\"format\":\"hub-lock\",\"version\":1,\"repositories\":[{\"spec\":\"a/b:x\",\"commit\":\"abc\"}]}",
		"x.lock: a/b:x: the commit is not 40 hex digits");
	refuses("{\"format\":\"hub-lock\",\"version\":1,\"repositories\":[{\"spec\":\"a/b\",\"commit\":\"" C1 "\"}]}",
		"needs a ref");
	refuses("{\"format\":\"hub-lock\",\"version\":1,\"repositories\":[{\"spec\":\"a/b:..\",\"commit\":\"" C1 "\"}]}",
		"x.lock: ");
	refuses("{\"format\":\"hub-lock\",\"version\":1,\"repositories\":[{\"spec\":\"a/b:x\",\"commit\":\"" C1 "\",\"cache_name\":\"../evil\"}]}",
		"is not the SPEC's folder 'a_b_x'");
	refuses("{\"format\":\"hub-lock\",\"version\":1,\"checkpoints\":[{\"name\":\"../w\",\"sha256\":\"" H1 "\",\"size\":1}]}",
		"checkpoint entry 1: no plain file name");
	refuses("{\"format\":\"hub-lock\",\"version\":1,\"checkpoints\":[{\"name\":\"w\",\"sha256\":\"" H1 "\",\"size\":1,\"url\":\"file:///etc/passwd\"}]}",
		"is not an http(s) URL");
	refuses("{\"format\":\"hub-lock\",\"version\":1,\"checkpoints\":[{\"name\":\"w\",\"sha256\":\"" C1 C1 "\",\"size\":1}]}",
		"sha256 is not 64 hex digits");
	refuses("{\"format\":\"hub-lock\",\"version\":1,\"checkpoints\":[{\"name\":\"w\",\"sha256\":\"" H1 "\",\"size\":1},"
		"{\"name\":\"w\",\"sha256\":\"" C1 "abcdef0123456789abcdef01\",\"size\":1}]}", "named twice, with two hashes");
}

static void reads_a_bundle_manifest(void **state)
{
	static const char text[] =
		"{\"format\":\"hub-bundle\",\"version\":1,\"repositories\":[{\"cache_name\":\"a_b_x\","
		"\"commit\":\"" C1 "\",\"spec\":\"a/b:x\"}],\"checkpoints\":[{\"name\":\"w.pth\","
		"\"sha256\":\"" H1 "\",\"size\":5}],\"entries\":[]}";
	struct lockfile lock;

	(void)state;
	assert_int_equal(lockfile_parse(text, strlen(text), "manifest.json", &lock), HUB_OK);
	assert_int_equal(lock.n_repos, 1);
	assert_string_equal(lock.repos[0].cache_name, "a_b_x");
	assert_string_equal(lock.repos[0].ref, "x");
	assert_int_equal(lock.n_checkpoints, 1);
	assert_null(lock.checkpoints[0].url);
	assert_int_equal(lock.checkpoints[0].size, 5);
	lockfile_free(&lock);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(layout_is_sorted_one_entry_a_line),
		cmocka_unit_test(bad_entries),
		cmocka_unit_test(reads_a_bundle_manifest),
	};
	return cmocka_run_group_tests_name("lockfile", tests, NULL, NULL);
}
