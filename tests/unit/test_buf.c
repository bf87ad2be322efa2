/* Unit tests: struct buf, the size-capped growable buffer. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "buf.h"
#include "err.h"

static void empty_buffer_is_an_empty_string(void **state)
{
	struct buf b = BUF_INIT(16, "test");
	assert_string_equal(buf_str(&b), "");
	assert_null(b.data);
	buf_free(&b);
	buf_free(&b); /* twice is fine */
}

static void adds_and_stays_terminated(void **state)
{
	struct buf b = BUF_INIT(BUF_NOLIMIT, "test");
	int i;

	assert_int_equal(buf_addstr(&b, "abc"), HUB_OK);
	assert_int_equal(buf_addch(&b, 'd'), HUB_OK);
	assert_int_equal(buf_addf(&b, "-%d-%s", 42, "x"), HUB_OK);
	assert_string_equal(b.data, "abcd-42-x");
	assert_int_equal(b.len, 9);
	for (i = 0; i < 10000; i++)
		assert_int_equal(buf_addch(&b, 'z'), HUB_OK);
	assert_int_equal(b.len, 10009);
	assert_int_equal(b.data[b.len], '\0');
	buf_truncate(&b, 3);
	assert_string_equal(b.data, "abc");
	buf_free(&b);
}

static void refuses_to_grow_past_the_cap(void **state)
{
	struct buf b = BUF_INIT(8, "header");

	assert_int_equal(buf_addstr(&b, "12345678"), HUB_OK);
	assert_int_equal(buf_addch(&b, '9'), HUB_EFAIL);
	assert_string_equal(hub_error_message(), "header: larger than 8 bytes");
	/* unchanged by the refusal */
	assert_string_equal(b.data, "12345678");
	assert_int_equal(buf_addf(&b, "%s", "x"), HUB_EFAIL);
	assert_int_equal(b.len, 8);
	buf_free(&b);
}

static void cap_check_does_not_overflow(void **state)
{
	struct buf b = BUF_INIT(100, "test");
	assert_int_equal(buf_addstr(&b, "ab"), HUB_OK);
	assert_int_equal(buf_grow(&b, SIZE_MAX), HUB_EFAIL);
	assert_int_equal(buf_grow(&b, SIZE_MAX - 1), HUB_EFAIL);
	buf_free(&b);
}

static void detach_hands_over(void **state)
{
	struct buf b = BUF_INIT(64, "test");
	char *s;

	s = buf_detach(&b);
	assert_string_equal(s, "");
	free(s);
	buf_addstr(&b, "mine");
	s = buf_detach(&b);
	assert_string_equal(s, "mine");
	assert_null(b.data);
	assert_int_equal(b.len, 0);
	free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(empty_buffer_is_an_empty_string),
		cmocka_unit_test(adds_and_stays_terminated),
		cmocka_unit_test(refuses_to_grow_past_the_cap),
		cmocka_unit_test(cap_check_does_not_overflow),
		cmocka_unit_test(detach_hands_over),
	};
	return cmocka_run_group_tests_name("buf", tests, NULL, NULL);
}
