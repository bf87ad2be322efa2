/* Unit tests: load's argument rules, the interpreter search, running
 * Python and the --exact hooks for list and help. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cjson/cJSON.h>
#include <cmocka.h>

#include "bootstrap.h"
#include "buf.h"
#include "err.h"
#include "util.h"

/* Run from the top of the tree (make test, make unit). */
#define DATA "tests/data/load"

static const char *python(void)
{
	const char *p = getenv("HUB_TEST_PYTHON");
	return p && *p ? p : "/usr/bin/python3";
}

static int check(const char *first, ...)
{
	char *words[16];
	int count = 0;
	va_list ap;

	va_start(ap, first);
	for (const char *w = first; w; w = va_arg(ap, const char *))
		words[count++] = (char *)w;
	va_end(ap);
	return bootstrap_check_words("load", words, count);
}

static void keyword_and_positional_rules(void **state)
{
	assert_int_equal(check("1", "x", "k=v", "_k2=(1,2)", "url=http://a?b=c", NULL), HUB_OK);
	assert_int_equal(check("'a=b'", "b\"x=1\"", "rb'=1'", "{'k': '='}", "[1, '=']", NULL), HUB_OK);
	assert_int_equal(check("match=1", "case=2", "_=3", NULL), HUB_OK); /* soft keywords */
	assert_int_equal(check("caf\xc3\xa9=1", NULL), HUB_OK); /* Python judges beyond ASCII */
	assert_int_equal(check("k=", NULL), HUB_OK);
	assert_int_equal(check("x==1", NULL), HUB_OK); /* KEY x, VALUE "=1" */

	assert_int_equal(check("a-b=1", NULL), HUB_EUSAGE);
	assert_non_null(strstr(hub_error_message(), "'a-b=1': not KEY=VALUE"));
	assert_int_equal(check("=1", NULL), HUB_EUSAGE);
	assert_int_equal(check("1a=1", NULL), HUB_EUSAGE);
	assert_int_equal(check("lambda=1", NULL), HUB_EUSAGE);
	assert_int_equal(check("True=1", NULL), HUB_EUSAGE);
	assert_int_equal(check("await=1", NULL), HUB_EUSAGE);
	assert_int_equal(check("f'x'=1", NULL), HUB_EUSAGE); /* no f-strings: not literals */

	assert_int_equal(check("k=1", "2", NULL), HUB_EUSAGE);
	assert_string_equal(hub_error_message(), "load: '2': positional argument follows keyword argument");
	assert_int_equal(check("k=1", "'a=b'", NULL), HUB_EUSAGE);
	assert_int_equal(check("k=1", "j=2", "k=3", NULL), HUB_EUSAGE);
	assert_string_equal(hub_error_message(), "load: keyword argument repeated: k");
	assert_int_equal(check("k=1", "kk=2", NULL), HUB_OK);
	assert_int_equal(bootstrap_check_words("load", NULL, 0), HUB_OK);
}

static void load_argv_follows_the_protocol(void **state)
{
	char *words[] = { "1", "k=v" };
	struct load_request request = {
		"/hub", "/repo", "entry", LOAD_SHOW_PRINT, "/s.pt", NULL, "cpu", 0, words, 2
	};
	char **argv = bootstrap_load_argv("/py", &request);

	assert_string_equal(argv[0], "/py");
	assert_string_equal(argv[1], "-c");
	assert_ptr_equal(argv[2], bootstrap_load_program());
	assert_string_equal(argv[3], "/hub");
	assert_string_equal(argv[4], "/repo");
	assert_string_equal(argv[5], "entry");
	assert_string_equal(argv[6], "print");
	assert_string_equal(argv[7], "/s.pt");
	assert_string_equal(argv[8], "");
	assert_string_equal(argv[9], "cpu");
	assert_string_equal(argv[10], "0");
	assert_string_equal(argv[11], "1");
	assert_string_equal(argv[12], "k=v");
	assert_null(argv[13]);
	free(argv);

	request.interactive = 1;
	request.show = LOAD_SHOW_JSON;
	request.word_count = 0;
	argv = bootstrap_load_argv("/py", &request);
	assert_string_equal(argv[1], "-i");
	assert_string_equal(argv[2], "-c");
	assert_string_equal(argv[7], "json");
	assert_string_equal(argv[11], "1");
	assert_null(argv[12]);
	free(argv);
}

static void the_programs_hold_no_user_text(void **state)
{
	/* The same constant whatever the request: arguments travel as argv. */
	assert_non_null(strstr(bootstrap_load_program(), "sys.argv[1:9]"));
	assert_non_null(strstr(bootstrap_list_program(), "callable(getattr(module, f))"));
	assert_non_null(strstr(bootstrap_help_program(), "inspect.signature"));
	assert_null(strstr(bootstrap_list_program(), "_hub_load"));
}

static void python_is_found_as_documented(void **state)
{
	char *path, dir[] = "/tmp/hub-unit-XXXXXX", *link;
	char *saved_path = xstrdup(getenv("PATH") ? getenv("PATH") : "");

	assert_non_null(mkdtemp(dir));
	link = path_join(dir, "python3");
	assert_int_equal(symlink(python(), link), 0);

	setenv("HUB_PYTHON", python(), 1);
	assert_int_equal(python_find("load", NULL, &path), HUB_OK);
	assert_string_equal(path, python());
	free(path);
	assert_int_equal(python_find("load", link, &path), HUB_OK); /* --python wins */
	assert_string_equal(path, link);
	free(path);

	setenv("HUB_PYTHON", "/nonexistent/python", 1);
	assert_int_equal(python_find("load", NULL, &path), HUB_ENOTFOUND);
	assert_null(path);
	assert_string_equal(hub_error_message(),
			    "load: HUB_PYTHON: cannot run '/nonexistent/python': No such file or directory");

	unsetenv("HUB_PYTHON");
	setenv("PATH", dir, 1);
	assert_int_equal(python_find("load", NULL, &path), HUB_OK);
	assert_string_equal(path, link);
	free(path);
	setenv("HUB_PYTHON", "", 1); /* empty is unset */
	assert_int_equal(python_find("load", NULL, &path), HUB_OK);
	free(path);

	setenv("PATH", "/nonexistent:", 1);
	assert_int_equal(python_find("list", NULL, &path), HUB_ENOTFOUND);
	assert_string_equal(hub_error_message(), "list: no python3 on PATH (set HUB_PYTHON or --python)");
	assert_int_equal(python_find("list", "snake", &path), HUB_ENOTFOUND);
	assert_string_equal(hub_error_message(), "list: --python: no 'snake' on PATH");

	/* A folder is no interpreter. */
	assert_int_equal(python_find("load", dir, &path), HUB_ENOTFOUND);
	assert_non_null(strstr(hub_error_message(), "cannot run"));

	setenv("PATH", saved_path, 1);
	unsetenv("HUB_PYTHON");
	free(saved_path);
	unlink(link);
	free(link);
	rmdir(dir);
}

static void python_run_collects_stdout_and_status(void **state)
{
	struct buf out = BUF_INIT(1024, "output");
	char *ok[] = { "/bin/sh", "-c", "echo one; echo two >&2; exit 3", NULL };
	char *killed[] = { "/bin/sh", "-c", "kill -9 $$", NULL };
	char *missing[] = { "/nonexistent/python", NULL };
	char *chatty[] = { "/bin/sh", "-c", "yes", NULL };
	int status;

	assert_int_equal(python_run(ok, &out, &status), HUB_OK);
	assert_int_equal(status, 3);
	assert_string_equal(buf_str(&out), "one\n");
	buf_reset(&out);
	assert_int_equal(python_run(killed, &out, &status), HUB_OK);
	assert_int_equal(status, 128 + 9);
	assert_int_equal(python_run(missing, &out, &status), HUB_ENOTFOUND);
	assert_non_null(strstr(hub_error_message(), "cannot run '/nonexistent/python'"));
	/* Output past the cap: the child is stopped and it is an error. */
	assert_int_equal(python_run(chatty, &out, &status), HUB_EFAIL);
	assert_non_null(strstr(hub_error_message(), "larger than 1024 bytes"));
	buf_free(&out);
}

static void list_exact_gives_torch_hub_list(void **state)
{
	struct buf out = BUF_INIT(1 << 20, "output");

	assert_int_equal(bootstrap_list_exact(python(), "/tmp/hub-unit-no-hub", DATA "/plain", &out),
			 HUB_OK);
	assert_string_equal(buf_str(&out),
			    "Echo\nboom\necho\nexit_with\nfetch_weights\nnap\nstate\nunpicklable\n");
	buf_reset(&out);
	/* No dependency check in list, as in torch.hub.list. */
	assert_int_equal(bootstrap_list_exact(python(), "", DATA "/missing-deps", &out), HUB_OK);
	assert_string_equal(buf_str(&out), "model\n");
	buf_reset(&out);
	assert_int_equal(bootstrap_list_exact(python(), "", DATA "/broken", &out), 1);
	assert_non_null(strstr(hub_error_message(), "exited with status 1"));
	buf_free(&out);
}

static void help_exact_gives_signature_and_doc(void **state)
{
	struct buf out = BUF_INIT(1 << 20, "output");
	cJSON *json, *entry;

	assert_int_equal(bootstrap_help_exact(python(), "", DATA "/plain", "echo", &out), HUB_OK);
	json = cJSON_Parse(buf_str(&out));
	assert_non_null(json);
	assert_int_equal(cJSON_GetArraySize(json), 1);
	entry = cJSON_GetArrayItem(json, 0);
	assert_string_equal(cJSON_GetObjectItem(entry, "name")->valuestring, "echo");
	assert_string_equal(cJSON_GetObjectItem(entry, "signature")->valuestring, "(*args, **kwargs)");
	assert_string_equal(cJSON_GetObjectItem(entry, "doc")->valuestring, "Returns its arguments.");
	cJSON_Delete(json);

	buf_reset(&out);
	assert_int_equal(bootstrap_help_exact(python(), "", DATA "/plain", NULL, &out), HUB_OK);
	json = cJSON_Parse(buf_str(&out));
	assert_non_null(json);
	assert_int_equal(cJSON_GetArraySize(json), 8);
	entry = cJSON_GetArrayItem(json, 1);
	assert_string_equal(cJSON_GetObjectItem(entry, "name")->valuestring, "boom");
	assert_true(cJSON_IsNull(cJSON_GetObjectItem(entry, "doc")));
	cJSON_Delete(json);

	buf_reset(&out);
	assert_int_equal(bootstrap_help_exact(python(), "", DATA "/plain", "nope", &out), HUB_ENOTFOUND);
	assert_string_equal(buf_str(&out), "");
	/* help checks dependencies first, as torch.hub.help does. */
	assert_int_equal(bootstrap_help_exact(python(), "", DATA "/missing-deps", "model", &out), 1);
	buf_free(&out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(keyword_and_positional_rules),
		cmocka_unit_test(load_argv_follows_the_protocol),
		cmocka_unit_test(the_programs_hold_no_user_text),
		cmocka_unit_test(python_is_found_as_documented),
		cmocka_unit_test(python_run_collects_stdout_and_status),
		cmocka_unit_test(list_exact_gives_torch_hub_list),
		cmocka_unit_test(help_exact_gives_signature_and_doc),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
