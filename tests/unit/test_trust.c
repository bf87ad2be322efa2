/* Unit tests: torch.hub's trust rules, trusted_list, and the question. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "buf.h"
#include "err.h"
#include "trust.h"
#include "util.h"

static char scratch[256];
static char hub_dir[300];

static int make_scratch(void **state)
{
	snprintf(scratch, sizeof(scratch), "/tmp/hub-unit-XXXXXX");
	if (!mkdtemp(scratch))
		return -1;
	snprintf(hub_dir, sizeof(hub_dir), "%s/hub", scratch);
	return 0;
}

static int drop_scratch(void **state)
{
	return remove_tree(scratch);
}

static char *list_text(void)
{
	struct buf text = BUF_INIT(BUF_NOLIMIT, "list");
	char *path = path_join(hub_dir, "trusted_list");
	if (read_file(path, &text) == HUB_ENOTFOUND)
		hub_error_clear();
	free(path);
	return buf_detach(&text);
}

static void write_list(const char *text)
{
	char *path = path_join(hub_dir, "trusted_list");
	assert_int_equal(mkdir_p(hub_dir, 0777), HUB_OK);
	assert_int_equal(write_file_atomic(path, text, strlen(text), 0666), HUB_OK);
	free(path);
}

static void make_folder(const char *name)
{
	char *path = path_join(hub_dir, name);
	assert_int_equal(mkdir_p(path, 0777), HUB_OK);
	free(path);
}

static enum trust_reason reason_for(const char *owner, const char *name, const char *ref)
{
	enum trust_reason reason;
	assert_int_equal(trust_is_trusted(hub_dir, owner, name, ref, &reason), HUB_OK);
	return reason;
}

static void modes_follow_the_options(void **state)
{
	enum trust_mode mode;

	assert_int_equal(trust_mode_from_options("load", NULL, 0, &mode), HUB_OK);
	assert_int_equal(mode, TRUST_CHECK);
	assert_int_equal(trust_mode_from_options("load", "", 0, &mode), HUB_OK);
	assert_int_equal(mode, TRUST_YES);
	assert_int_equal(trust_mode_from_options("load", "check", 0, &mode), HUB_OK);
	assert_int_equal(mode, TRUST_CHECK);
	assert_int_equal(trust_mode_from_options("load", NULL, 1, &mode), HUB_OK);
	assert_int_equal(mode, TRUST_ALWAYS_ASK);
	assert_int_equal(trust_mode_from_options("load", "yes", 0, &mode), HUB_EUSAGE);
	assert_non_null(strstr(hub_error_message(), "'yes'"));
	assert_int_equal(trust_mode_from_options("load", "", 1, &mode), HUB_EUSAGE);
}

static void nothing_trusts_a_stranger(void **state)
{
	/* No hub dir at all yet. */
	assert_int_equal(reason_for("erin", "x", "main"), TRUST_NOT);
	assert_int_equal(reason_for("erin", "x", NULL), TRUST_NOT);
	assert_false(path_exists(hub_dir));
}

static void torch_owners_are_trusted_exactly(void **state)
{
	assert_int_equal(reason_for("pytorch", "vision", "v0.14.1"), TRUST_BY_OWNER);
	assert_int_equal(reason_for("facebookresearch", "dino", NULL), TRUST_BY_OWNER);
	assert_int_equal(reason_for("facebookincubator", "a", "b"), TRUST_BY_OWNER);
	assert_int_equal(reason_for("fairinternal", "a", "b"), TRUST_BY_OWNER);
	assert_int_equal(reason_for("PyTorch", "vision", "main"), TRUST_NOT);
	assert_int_equal(reason_for("pytorchx", "vision", "main"), TRUST_NOT);
}

static void the_list_is_read_line_by_line_stripped(void **state)
{
	write_list("alice_a\n  bob_b \t\r\ncarol_c");
	assert_int_equal(reason_for("alice", "a", "main"), TRUST_BY_LIST);
	assert_int_equal(reason_for("bob", "b", "main"), TRUST_BY_LIST);
	assert_int_equal(reason_for("carol", "c", NULL), TRUST_BY_LIST);
	/* Whole lines only. */
	assert_int_equal(reason_for("alice", "", "main"), TRUST_NOT);
	assert_int_equal(reason_for("bob", "b2", "main"), TRUST_NOT);
}

static void a_cached_ref_is_trusted_for_that_ref_only(void **state)
{
	make_folder("dave_d_release_1.0");
	assert_int_equal(reason_for("dave", "d", "release/1.0"), TRUST_BY_CACHE);
	assert_int_equal(reason_for("dave", "d", "main"), TRUST_NOT);
	/* Without a ref: the folders torch.hub would use, main or master. */
	assert_int_equal(reason_for("dave", "d", NULL), TRUST_NOT);
	make_folder("dave_d_master");
	assert_int_equal(reason_for("dave", "d", NULL), TRUST_BY_CACHE);
}

static void a_file_is_no_cache_folder_but_a_symlink_to_one_is(void **state)
{
	char *file = path_join(hub_dir, "frank_f_main");
	char *target = path_join(scratch, "elsewhere");
	char *link = path_join(hub_dir, "gina_g_main");

	assert_int_equal(mkdir_p(hub_dir, 0777), HUB_OK);
	assert_int_equal(write_file_atomic(file, "", 0, 0666), HUB_OK);
	assert_int_equal(reason_for("frank", "f", "main"), TRUST_NOT);
	assert_int_equal(mkdir_p(target, 0777), HUB_OK);
	assert_int_equal(symlink(target, link), 0);
	assert_int_equal(reason_for("gina", "g", "main"), TRUST_BY_CACHE);
	free(file);
	free(target);
	free(link);
}

static void recording_appends_torch_lines(void **state)
{
	char *text;

	assert_int_equal(trust_record(hub_dir, "erin", "x"), HUB_OK);
	text = list_text();
	assert_string_equal(text, "erin_x\n");
	free(text);
	assert_int_equal(trust_record(hub_dir, "fred", "y"), HUB_OK);
	text = list_text();
	assert_string_equal(text, "erin_x\nfred_y\n");
	free(text);
}

static void recording_after_a_line_without_newline_keeps_both(void **state)
{
	char *text;

	write_list("hand_edited");
	assert_int_equal(trust_record(hub_dir, "erin", "x"), HUB_OK);
	text = list_text();
	assert_string_equal(text, "hand_edited\nerin_x\n");
	free(text);
	assert_int_equal(reason_for("hand", "edited", "main"), TRUST_BY_LIST);
	assert_int_equal(reason_for("erin", "x", "main"), TRUST_BY_LIST);
}

static void recording_fails_cleanly_on_an_unwritable_place(void **state)
{
	char *file = path_join(scratch, "plain");
	char *below = path_join(file, "hub");

	assert_int_equal(write_file_atomic(file, "", 0, 0666), HUB_OK);
	assert_int_equal(trust_record(below, "erin", "x"), HUB_EFAIL);
	assert_non_null(strstr(hub_error_message(), "plain"));
	free(file);
	free(below);
}

static const struct trust_terminal no_terminal = { -1, -1, 0 };

static void off_a_terminal_untrusted_is_refused_and_names_the_option(void **state)
{
	char *text;

	assert_int_equal(trust_decide(hub_dir, "erin", "x", "main", TRUST_CHECK, &no_terminal),
			 HUB_EUNTRUSTED);
	assert_non_null(strstr(hub_error_message(), "erin/x"));
	assert_non_null(strstr(hub_error_message(), "--trust-repo"));
	text = list_text();
	assert_string_equal(text, "");
	free(text);
}

static void off_a_terminal_trusted_goes_on_without_writing(void **state)
{
	char *text;

	assert_int_equal(trust_decide(hub_dir, "pytorch", "vision", "main", TRUST_CHECK,
				      &no_terminal), HUB_OK);
	assert_int_equal(trust_decide(hub_dir, "pytorch", "vision", "main", TRUST_YES,
				      &no_terminal), HUB_OK);
	text = list_text();
	assert_string_equal(text, ""); /* torch never writes pytorch_vision either */
	free(text);
}

static void trust_repo_true_records_once(void **state)
{
	char *text;

	assert_int_equal(trust_decide(hub_dir, "erin", "x", "main", TRUST_YES, &no_terminal), HUB_OK);
	assert_int_equal(trust_decide(hub_dir, "erin", "x", "main", TRUST_YES, &no_terminal), HUB_OK);
	assert_int_equal(trust_decide(hub_dir, "erin", "x", "dev", TRUST_CHECK, &no_terminal), HUB_OK);
	text = list_text();
	assert_string_equal(text, "erin_x\n");
	free(text);
}

static void always_ask_off_a_terminal_is_refused_even_when_trusted(void **state)
{
	assert_int_equal(trust_decide(hub_dir, "pytorch", "vision", "main", TRUST_ALWAYS_ASK,
				      &no_terminal), HUB_EUNTRUSTED);
	assert_non_null(strstr(hub_error_message(), "--no-trust-repo"));
}

/* Runs trust_decide with answer on a pipe as stdin; returns the status and
 * what was written to the terminal in *shown. */
static int answered(const char *owner, const char *answer, enum trust_mode mode, char **shown,
		    char **left)
{
	int in[2], out[2], status;
	struct trust_terminal terminal;
	char chunk[4096];
	ssize_t n;

	assert_int_equal(pipe(in), 0);
	assert_int_equal(pipe(out), 0);
	assert_int_equal(write(in[1], answer, strlen(answer)), (ssize_t)strlen(answer));
	close(in[1]);
	terminal.in_fd = in[0];
	terminal.out_fd = out[1];
	terminal.interactive = 1;
	status = trust_decide(hub_dir, owner, "x", "main", mode, &terminal);
	close(out[1]);
	n = read(out[0], chunk, sizeof(chunk) - 1);
	assert_true(n >= 0);
	chunk[n] = '\0';
	*shown = xstrdup(chunk);
	n = read(in[0], chunk, sizeof(chunk) - 1);
	assert_true(n >= 0);
	chunk[n] = '\0';
	if (left)
		*left = xstrdup(chunk);
	close(in[0]);
	close(out[0]);
	return status;
}

static void yes_records_and_leaves_the_rest_of_stdin(void **state)
{
	char *shown, *left, *text, *question = trust_question("erin", "x");
	char *expect = xasprintf("%s ", question);

	assert_int_equal(answered("erin", "y\nprint(1)\n", TRUST_CHECK, &shown, &left), HUB_OK);
	assert_string_equal(shown, expect);
	assert_string_equal(left, "print(1)\n");
	text = list_text();
	assert_string_equal(text, "erin_x\n");
	free(text);
	free(shown);
	free(left);
	free(question);
	free(expect);
}

static void the_question_is_torchs(void **state)
{
	char *question = trust_question("erin", "x");

	assert_string_equal(question,
		"The repository erin_x does not belong to the list of trusted repositories and as "
		"such cannot be downloaded. Do you trust this repository and wish to add it to the "
		"trusted list of repositories (y/N)?");
	free(question);
}

static void answers_are_read_as_torch_reads_them(void **state)
{
	static const struct { const char *answer; int status; } cases[] = {
		{ "YES\n", HUB_OK }, { "Y\n", HUB_OK }, { "yes\n", HUB_OK },
		{ "n\n", HUB_EUNTRUSTED }, { "No\n", HUB_EUNTRUSTED }, { "\n", HUB_EUNTRUSTED },
		{ "", HUB_EUNTRUSTED }, { "maybe\n", HUB_EUNTRUSTED }, { " y\n", HUB_EUNTRUSTED },
		{ "yes please\n", HUB_EUNTRUSTED },
	};
	char *shown_last;
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *shown, *text;
		int status = answered("zed", cases[i].answer, TRUST_CHECK, &shown, NULL);

		if (status != cases[i].status)
			fail_msg("answer '%s': status %d, wanted %d", cases[i].answer, status,
				 cases[i].status);
		text = list_text();
		if (cases[i].status == HUB_OK)
			assert_string_equal(text, "zed_x\n");
		else
			assert_string_equal(text, "");
		free(text);
		free(shown);
		drop_scratch(state);
		make_scratch(state);
	}
	assert_int_equal(answered("zed", "maybe\n", TRUST_CHECK, &shown_last, NULL), HUB_EUNTRUSTED);
	assert_non_null(strstr(hub_error_message(), "unrecognized response 'maybe'"));
	free(shown_last);
	assert_int_equal(answered("zed", "n\n", TRUST_CHECK, &shown_last, NULL), HUB_EUNTRUSTED);
	assert_non_null(strstr(hub_error_message(), "answered no"));
	free(shown_last);
}

static void always_ask_on_a_trusted_repo_says_so(void **state)
{
	char *shown, *text;

	write_list("erin_x\n");
	assert_int_equal(answered("erin", "y\n", TRUST_ALWAYS_ASK, &shown, NULL), HUB_OK);
	assert_non_null(strstr(shown, "(y/N)? The repository is already trusted.\n"));
	text = list_text();
	assert_string_equal(text, "erin_x\n");
	free(text);
	free(shown);
	assert_int_equal(answered("erin", "n\n", TRUST_ALWAYS_ASK, &shown, NULL), HUB_EUNTRUSTED);
	free(shown);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(modes_follow_the_options),
		cmocka_unit_test_setup_teardown(nothing_trusts_a_stranger, make_scratch, drop_scratch),
		cmocka_unit_test_setup_teardown(torch_owners_are_trusted_exactly, make_scratch, drop_scratch),
		cmocka_unit_test_setup_teardown(the_list_is_read_line_by_line_stripped, make_scratch, drop_scratch),
		cmocka_unit_test_setup_teardown(a_cached_ref_is_trusted_for_that_ref_only, make_scratch, drop_scratch),
		cmocka_unit_test_setup_teardown(a_file_is_no_cache_folder_but_a_symlink_to_one_is, make_scratch, drop_scratch),
		cmocka_unit_test_setup_teardown(recording_appends_torch_lines, make_scratch, drop_scratch),
		cmocka_unit_test_setup_teardown(recording_after_a_line_without_newline_keeps_both, make_scratch, drop_scratch),
		cmocka_unit_test_setup_teardown(recording_fails_cleanly_on_an_unwritable_place, make_scratch, drop_scratch),
		cmocka_unit_test_setup_teardown(off_a_terminal_untrusted_is_refused_and_names_the_option, make_scratch, drop_scratch),
		cmocka_unit_test_setup_teardown(off_a_terminal_trusted_goes_on_without_writing, make_scratch, drop_scratch),
		cmocka_unit_test_setup_teardown(trust_repo_true_records_once, make_scratch, drop_scratch),
		cmocka_unit_test_setup_teardown(always_ask_off_a_terminal_is_refused_even_when_trusted, make_scratch, drop_scratch),
		cmocka_unit_test(the_question_is_torchs),
		cmocka_unit_test_setup_teardown(yes_records_and_leaves_the_rest_of_stdin, make_scratch, drop_scratch),
		cmocka_unit_test_setup_teardown(answers_are_read_as_torch_reads_them, make_scratch, drop_scratch),
		cmocka_unit_test_setup_teardown(always_ask_on_a_trusted_repo_says_so, make_scratch, drop_scratch),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
