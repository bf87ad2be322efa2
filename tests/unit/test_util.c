/* Unit tests: paths, files, atomic writes, safe removal. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "err.h"
#include "util.h"

static char scratch[256];

static int make_scratch(void **state)
{
	snprintf(scratch, sizeof(scratch), "/tmp/hub-unit-XXXXXX");
	return mkdtemp(scratch) ? 0 : -1;
}

static int drop_scratch(void **state)
{
	return remove_tree(scratch);
}

static char *in_scratch(const char *name)
{
	return path_join(scratch, name);
}

static void joins_paths(void **state)
{
	char *p;
	p = path_join("a", "b"); assert_string_equal(p, "a/b"); free(p);
	p = path_join("a/", "b"); assert_string_equal(p, "a/b"); free(p);
	p = path_join("a/", "/b"); assert_string_equal(p, "a/b"); free(p);
	p = path_join("", "b"); assert_string_equal(p, "b"); free(p);
}

static void expands_home_like_python(void **state)
{
	char *p;
	setenv("HOME", "/home/u", 1);
	p = path_expand_home("~"); assert_string_equal(p, "/home/u"); free(p);
	p = path_expand_home("~/x"); assert_string_equal(p, "/home/u/x"); free(p);
	/* ~user is not ours to expand; a ~ inside is literal */
	p = path_expand_home("~other/x"); assert_string_equal(p, "~other/x"); free(p);
	p = path_expand_home("a/~"); assert_string_equal(p, "a/~"); free(p);
}

static void makes_paths_absolute_and_folds_dots(void **state)
{
	char *p;
	p = path_absolute("/a/./b//c/../d/"); assert_string_equal(p, "/a/b/d"); free(p);
	p = path_absolute("/.."); assert_string_equal(p, "/"); free(p);
	p = path_absolute("/"); assert_string_equal(p, "/"); free(p);
	assert_int_equal(chdir("/tmp"), 0);
	p = path_absolute("x/../y"); assert_string_equal(p, "/tmp/y"); free(p);
}

static void mkdir_p_creates_and_accepts_existing(void **state)
{
	char *deep = in_scratch("a/b/c"), *file = in_scratch("f"), *under = in_scratch("f/x");

	assert_int_equal(mkdir_p(deep, 0777), HUB_OK);
	assert_true(path_is_dir(deep));
	assert_int_equal(mkdir_p(deep, 0777), HUB_OK);
	assert_int_equal(write_file_atomic(file, "x", 1, 0666), HUB_OK);
	assert_int_equal(mkdir_p(under, 0777), HUB_EFAIL);
	assert_non_null(strstr(hub_error_message(), "cannot create"));
	free(deep); free(file); free(under);
}

static void atomic_write_replaces_whole(void **state)
{
	char *file = in_scratch("cfg");
	struct buf b = BUF_INIT(1024, "cfg");
	struct stat st;

	assert_int_equal(write_file_atomic(file, "first\n", 6, 0644), HUB_OK);
	assert_int_equal(write_file_atomic(file, "second\n", 7, 0644), HUB_OK);
	assert_int_equal(read_file(file, &b), HUB_OK);
	assert_string_equal(b.data, "second\n");
	assert_int_equal(stat(file, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0644 & ~(mode_t)022 & 0777);
	buf_free(&b);
	free(file);
}

static void read_file_honours_the_cap_and_reports_missing(void **state)
{
	char *file = in_scratch("big"), *missing = in_scratch("missing");
	struct buf b = BUF_INIT(4, "small");

	assert_int_equal(write_file_atomic(file, "123456", 6, 0644), HUB_OK);
	assert_int_equal(read_file(file, &b), HUB_EFAIL);
	assert_non_null(strstr(hub_error_message(), "larger than 4 bytes"));
	assert_int_equal(read_file(missing, &b), HUB_ENOTFOUND);
	buf_free(&b);
	free(file); free(missing);
}

static void read_file_reads_exactly_up_to_the_cap(void **state)
{
	char *file = in_scratch("exact"), *pipe_file = in_scratch("fifo");
	struct buf b = BUF_INIT(6, "exact"), c = BUF_INIT(70000, "big");
	char big[65536 + 7];
	FILE *f;

	assert_int_equal(write_file_atomic(file, "123456", 6, 0644), HUB_OK);
	assert_int_equal(read_file(file, &b), HUB_OK);
	assert_int_equal(b.len, 6);
	assert_string_equal(b.data, "123456");
	buf_free(&b);
	/* a file that is no regular file (no size to plan by) is read whole too */
	memset(big, 'x', sizeof(big));
	assert_int_equal(mkfifo(pipe_file, 0600), 0);
	if (fork() == 0) {
		f = fopen(pipe_file, "w");
		fwrite(big, 1, sizeof(big), f);
		fclose(f);
		_exit(0);
	}
	assert_int_equal(read_file(pipe_file, &c), HUB_OK);
	wait(NULL);
	assert_int_equal(c.len, sizeof(big));
	assert_memory_equal(c.data, big, sizeof(big));
	assert_int_equal(c.data[c.len], '\0');
	buf_free(&c);
	free(file); free(pipe_file);
}

static void remove_tree_never_follows_symlinks(void **state)
{
	char *outside = in_scratch("outside"), *keep = in_scratch("outside/keep");
	char *tree = in_scratch("tree"), *sub = in_scratch("tree/sub/deeper");
	char *link = in_scratch("tree/sub/link"), *file = in_scratch("tree/sub/deeper/f");

	assert_int_equal(mkdir_p(outside, 0777), HUB_OK);
	assert_int_equal(write_file_atomic(keep, "k", 1, 0644), HUB_OK);
	assert_int_equal(mkdir_p(sub, 0777), HUB_OK);
	assert_int_equal(write_file_atomic(file, "f", 1, 0644), HUB_OK);
	assert_int_equal(symlink(outside, link), 0);
	assert_int_equal(remove_tree(tree), HUB_OK);
	assert_false(path_exists(tree));
	assert_true(path_exists(keep));
	/* missing is fine; a symlink itself is removed, not its target */
	assert_int_equal(remove_tree(tree), HUB_OK);
	assert_int_equal(symlink(outside, tree), 0);
	assert_int_equal(remove_tree(tree), HUB_OK);
	assert_false(path_exists(tree));
	assert_true(path_exists(keep));
	free(outside); free(keep); free(tree); free(sub); free(link); free(file);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(joins_paths),
		cmocka_unit_test(expands_home_like_python),
		cmocka_unit_test(makes_paths_absolute_and_folds_dots),
		cmocka_unit_test(mkdir_p_creates_and_accepts_existing),
		cmocka_unit_test(atomic_write_replaces_whole),
		cmocka_unit_test(read_file_honours_the_cap_and_reports_missing),
		cmocka_unit_test(read_file_reads_exactly_up_to_the_cap),
		cmocka_unit_test(remove_tree_never_follows_symlinks),
	};
	umask(022);
	return cmocka_run_group_tests_name("util", tests, make_scratch, drop_scratch);
}
