/* Unit tests: the interpreter's library path, asked once and remembered. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <fcntl.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "buf.h"
#include "err.h"
#include "pypath.h"
#include "util.h"

static char scratch[256];
static char *python, *calls, *lib_a, *lib_b, *hub_dir;

/* A fake interpreter: counts its runs in a file, prints its answer with
 * NUL separators as the real program does. */
static void write_python(const char *answer)
{
	struct buf text = BUF_INIT(BUF_NOLIMIT, "script");

	buf_addf(&text, "#!/bin/sh\necho run >>'%s'\nprintf '%s'\n", calls, answer);
	assert_int_equal(write_file_atomic(python, text.data, text.len, 0755), HUB_OK);
	buf_free(&text);
}

static int runs(void)
{
	struct buf text = BUF_INIT(BUF_NOLIMIT, "calls");
	int n = 0;
	size_t i;

	if (read_file(calls, &text) == HUB_OK)
		for (i = 0; i < text.len; i++)
			n += text.data[i] == '\n';
	hub_error_clear();
	buf_free(&text);
	return n;
}

static int setup(void **state)
{
	snprintf(scratch, sizeof(scratch), "/tmp/hub-unit-XXXXXX");
	if (!mkdtemp(scratch))
		return -1;
	python = path_join(scratch, "python3");
	calls = path_join(scratch, "calls");
	lib_a = path_join(scratch, "lib a");
	lib_b = path_join(scratch, "lib-b");
	hub_dir = path_join(scratch, "hub");
	mkdir(lib_a, 0755);
	mkdir(lib_b, 0755);
	unsetenv("HUB_PYTHONPATH");
	unsetenv("PYTHONPATH");
	unsetenv("HUB_PYTHON");
	return 0;
}

static int teardown(void **state)
{
	remove_tree(scratch);
	free(python); free(calls); free(lib_a); free(lib_b); free(hub_dir);
	return 0;
}

static void asks_once_and_remembers(void **state)
{
	struct pypath path;
	struct buf answer = BUF_INIT(BUF_NOLIMIT, "answer");

	/* '' (the working directory), a relative entry, a missing one and a
	 * duplicate are left out. */
	buf_addf(&answer, "\\0000relative\\000%s\\000/nonexistent\\000%s\\000%s", lib_a, lib_b, lib_a);
	write_python(answer.data);
	pypath_get(hub_dir, python, &path);
	assert_string_equal(path.source, "asked");
	assert_int_equal(path.count, 2);
	assert_string_equal(path.dirs[0], lib_a);
	assert_string_equal(path.dirs[1], lib_b);
	pypath_free(&path);
	assert_int_equal(runs(), 1);

	pypath_get(hub_dir, python, &path);
	assert_string_equal(path.source, "remembered");
	assert_int_equal(path.count, 2);
	assert_string_equal(path.dirs[0], lib_a);
	pypath_free(&path);
	assert_int_equal(runs(), 1);
	buf_free(&answer);
}

static void asks_again_when_something_changed(void **state)
{
	struct pypath path;
	struct buf answer = BUF_INIT(BUF_NOLIMIT, "answer");
	char *inside;

	buf_addf(&answer, "%s", lib_b);
	write_python(answer.data);     /* a new interpreter file */
	pypath_get(hub_dir, python, &path);
	assert_string_equal(path.source, "asked");
	assert_int_equal(path.count, 1);
	pypath_free(&path);
	assert_int_equal(runs(), 2);

	/* A package installed into a library directory. */
	sleep(0);
	inside = path_join(lib_b, "newpkg");
	{
		struct timespec times[2] = { { 0, UTIME_NOW }, { 12345, 0 } };
		mkdir(inside, 0755);
		utimensat(AT_FDCWD, lib_b, times, 0);
	}
	pypath_get(hub_dir, python, &path);
	assert_string_equal(path.source, "asked");
	pypath_free(&path);
	assert_int_equal(runs(), 3);

	/* PYTHONPATH changes what Python would see. */
	setenv("PYTHONPATH", lib_a, 1);
	pypath_get(hub_dir, python, &path);
	assert_string_equal(path.source, "asked");
	pypath_free(&path);
	pypath_get(hub_dir, python, &path);
	assert_string_equal(path.source, "remembered");
	pypath_free(&path);
	unsetenv("PYTHONPATH");
	assert_int_equal(runs(), 4);
	free(inside);
	buf_free(&answer);
}

static void hub_pythonpath_runs_nothing(void **state)
{
	struct pypath path;
	struct buf value = BUF_INIT(BUF_NOLIMIT, "value");
	int before = runs();

	buf_addf(&value, "%s::/nonexistent:%s", lib_b, lib_a);
	setenv("HUB_PYTHONPATH", value.data, 1);
	pypath_get(hub_dir, python, &path);
	assert_string_equal(path.source, "HUB_PYTHONPATH");
	assert_int_equal(path.count, 2);
	assert_string_equal(path.dirs[0], lib_b);
	assert_string_equal(path.dirs[1], lib_a);
	pypath_free(&path);

	setenv("HUB_PYTHONPATH", "", 1);
	pypath_get(hub_dir, python, &path);
	assert_int_equal(path.count, 0);
	pypath_free(&path);
	unsetenv("HUB_PYTHONPATH");
	assert_int_equal(runs(), before);
	buf_free(&value);
}

static void no_interpreter_is_no_path(void **state)
{
	struct pypath path;
	char *missing = path_join(scratch, "no-python");
	char *failing = path_join(scratch, "failing");

	pypath_get(hub_dir, missing, &path);
	assert_string_equal(path.source, "none");
	assert_int_equal(path.count, 0);
	pypath_free(&path);

	assert_int_equal(write_file_atomic(failing, "#!/bin/sh\nexit 3\n", 17, 0755), HUB_OK);
	pypath_get(NULL, failing, &path);
	assert_int_equal(path.count, 0);
	pypath_free(&path);
	assert_string_equal(hub_error_message(), "");
	free(missing);
	free(failing);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(asks_once_and_remembers),
		cmocka_unit_test(asks_again_when_something_changed),
		cmocka_unit_test(hub_pythonpath_runs_nothing),
		cmocka_unit_test(no_interpreter_is_no_path),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
