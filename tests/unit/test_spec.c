/*
 * test_spec.c - SPEC parsing, ref checks and torch.hub cache names.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "err.h"
#include "spec.h"
#include "util.h"

static void parses(const char *text, const char *owner, const char *name, const char *ref)
{
	struct spec spec;

	assert_int_equal(spec_parse(text, &spec), HUB_OK);
	assert_string_equal(spec.owner, owner);
	assert_string_equal(spec.name, name);
	if (ref)
		assert_string_equal(spec.ref, ref);
	else
		assert_null(spec.ref);
	spec_free(&spec);
}

static void refuses(const char *text, const char *why)
{
	struct spec spec;

	hub_error_clear();
	assert_int_equal(spec_parse(text, &spec), HUB_EUSAGE);
	assert_null(spec.owner);
	assert_null(spec.ref);
	if (!strstr(hub_error_message(), why))
		fail_msg("'%s': message '%s' lacks '%s'", text, hub_error_message(), why);
}

static void good_specs(void **state)
{
	parses("pytorch/vision", "pytorch", "vision", NULL);
	parses("pytorch/vision:v0.14.1", "pytorch", "vision", "v0.14.1");
	parses("a/b:release/1.0", "a", "b", "release/1.0");
	parses("a/b:refs/heads/x", "a", "b", "refs/heads/x");
	parses("a/b:refs/tags/v1", "a", "b", "refs/tags/v1");
	parses("a/b:0123456789abcdef0123456789abcdef01234567", "a", "b",
	       "0123456789abcdef0123456789abcdef01234567");
	parses("ultralytics/yolov5:master", "ultralytics", "yolov5", "master");
	parses("snakers4/silero-models", "snakers4", "silero-models", NULL);
	parses("user_emu/repo.name_x-y", "user_emu", "repo.name_x-y", NULL);
	parses("a/b:feature#1", "a", "b", "feature#1");
}

static void bad_specs(void **state)
{
	refuses("", "empty");
	refuses("abc", "expected owner/name");
	refuses("abc:main", "expected owner/name");
	refuses("a/b:c:d", "more than one ':'");
	refuses("a/b/c:x", "too many '/'");
	refuses("a/b/c", "too many '/'");
	refuses("/b", "owner is empty");
	refuses("a/", "name is empty");
	refuses("a/:x", "name is empty");
	refuses("a/b:", "ref after ':' is empty");
	refuses("a b/c", "spaces");
	refuses("a/b:x\ty", "spaces");
	refuses("a/b:x\ny", "control");
	refuses("a/b:x\x7fy", "control");
	refuses("-a/b", "cannot start with '-'");
	refuses("a!/b", "'!' cannot appear in an owner");
	refuses("a/b$", "'$' cannot appear in a repository name");
	refuses("a/..", "not a repository name");
	refuses("a/.", "not a repository name");
	refuses("a/b:..", "'..'");
	refuses("a/b:x/../y", "'..'");
	refuses("a/b:/x", "start or end with '/'");
	refuses("a/b:x/", "start or end with '/'");
	refuses("a/b:x//y", "'//'");
	refuses("a/b:.x", "start with '.'");
	refuses("a/b:x/.y", "start with '.'");
	refuses("a/b:x.lock", "'.lock'");
	refuses("a/b:x.", "end with '.'");
	refuses("a/b:@", "'@'");
	refuses("a/b:x@{1}", "'@{'");
	refuses("a/b:x~1", "'~'");
	refuses("a/b:x^", "'^'");
	refuses("a/b:x?", "'?'");
	refuses("a/b:x*", "'*'");
	refuses("a/b:x[", "'['");
	refuses("a/b:x\\y", "'\\'");
	refuses("a/b:-x", "cannot start with '-'");
}

static void long_names(void **state)
{
	char text[600];

	memset(text, 'a', sizeof(text));
	text[101] = '/';
	text[103] = '\0';
	refuses(text, "owner is longer");
	memcpy(text, "a/", 2);
	memset(text + 2, 'b', 101);
	text[103] = '\0';
	refuses(text, "name is longer");
	memcpy(text, "a/b:", 4);
	memset(text + 4, 'r', 300);
	text[304] = '\0';
	refuses(text, "ref is longer");
}

static void cache_names(void **state)
{
	char *name;

	name = spec_cache_name("pytorch", "vision", "v0.14.1");
	assert_string_equal(name, "pytorch_vision_v0.14.1");
	free(name);
	name = spec_cache_name("a", "b", "release/1.0/x");
	assert_string_equal(name, "a_b_release_1.0_x");
	free(name);
	name = spec_cache_name("a", "b", "refs/heads/x");
	assert_string_equal(name, "a_b_refs_heads_x");
	free(name);
	/* only the ref's slashes are replaced, nothing else escaped */
	name = spec_cache_name("a", "b.c", "x#y");
	assert_string_equal(name, "a_b.c_x#y");
	free(name);
}

static void display_and_sha(void **state)
{
	struct spec spec;
	char *text;

	assert_int_equal(spec_parse("a/b:c", &spec), HUB_OK);
	text = spec_display(&spec);
	assert_string_equal(text, "a/b:c");
	free(text);
	spec_free(&spec);
	assert_int_equal(spec_parse("a/b", &spec), HUB_OK);
	text = spec_display(&spec);
	assert_string_equal(text, "a/b");
	free(text);
	spec_free(&spec);
	spec_free(NULL);

	assert_true(spec_ref_is_sha_like("abcdef0"));
	assert_true(spec_ref_is_sha_like("ABCDEF0123456789abcdef0123456789abcdef01"));
	assert_false(spec_ref_is_sha_like("abcdef"));
	assert_false(spec_ref_is_sha_like("abcdefg"));
	assert_false(spec_ref_is_sha_like("0123456789abcdef0123456789abcdef012345678"));
	assert_false(spec_ref_is_sha_like("main"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(good_specs),
		cmocka_unit_test(bad_specs),
		cmocka_unit_test(long_names),
		cmocka_unit_test(cache_names),
		cmocka_unit_test(display_and_sha),
	};
	return cmocka_run_group_tests_name("spec", tests, NULL, NULL);
}
