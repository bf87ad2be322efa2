/*
 * fuzz_pyscan.c - libFuzzer target for pyscan.c and hubconf.c.
 *
 * The input is a small repository (fuzz/repo.h), so the fuzzer can grow
 * helper modules and packages for the imports to follow.
 *
 * Every file is tokenized to the end (tokens in bounds, in order, brackets
 * balanced in depth), every str literal decoded and its value cleaned as
 * inspect.cleandoc would; then the repository is read as `hub list` and
 * `hub help` read it: every entry described, one unknown name looked up.
 * Errors are fine; a refusal must say why.
 *
 * Linked with fuzz/replay.c, it is a plain program that replays
 * fuzz/corpus/pyscan/ in `make test`.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "err.h"
#include "hubconf.h"
#include "pyscan.h"
#include "repo.h"
#include "util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Tokenizes one file to the end, checking what the tokens promise. */
static void scan_file(const char *name, const char *data, size_t size)
{
	struct buf src = BUF_INIT(SIZE_MAX >> 1, "source"), value = BUF_INIT(1 << 24, "value");
	struct buf clean = BUF_INIT(1 << 24, "clean");
	struct pyscan s;
	struct py_token t;
	size_t last_end = 0;
	int status;

	buf_add(&src, data, size);
	if (py_source_prepare(name, &src)) {
		if (!*hub_error_message())
			abort();
		goto done;
	}
	pyscan_init(&s, name, buf_str(&src), src.len);
	for (;;) {
		if ((status = pyscan_next(&s, &t))) {
			if (!*hub_error_message())
				abort();
			break;
		}
		if (t.kind == PY_END)
			break;
		if (t.start > t.end || t.end > src.len || t.start < last_end || t.depth < 0)
			abort();
		if (t.kind != PY_INDENT && t.kind != PY_DEDENT && t.kind != PY_NEWLINE)
			last_end = t.end;
		if (t.kind != PY_STRING)
			continue;
		if (t.body_start < t.start || t.body_end > t.end || t.body_start > t.body_end)
			abort();
		if (t.flags & (PY_STR_BYTES | PY_STR_FORMAT))
			continue;
		buf_reset(&value);
		buf_reset(&clean);
		if (py_string_value(name, src.data, &t, &value) == HUB_OK &&
		    py_cleandoc(buf_str(&value), value.len, &clean) == HUB_OK &&
		    clean.len > value.len * 8 + 8)
			abort(); /* only tabs grow, at most eightfold */
	}
done:
	hub_error_clear();
	buf_free(&src);
	buf_free(&value);
	buf_free(&clean);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (fuzz_repo_write(data, size, scan_file))
		fuzz_repo_read(NULL, 0);
	return 0;
}
