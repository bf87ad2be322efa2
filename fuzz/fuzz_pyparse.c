/*
 * fuzz_pyparse.c - libFuzzer target for pyparse.c and pydump.c.
 *
 * The input is one Python module: prepared as hub reads a file
 * (py_source_prepare), parsed, and on success dumped as ast.dump prints
 * it. Errors are fine; a refusal must say why, in "file:LINE: reason"
 * form. A tree must hold together: every list within the items, every
 * string within the characters, the root a module.
 *
 * Linked with fuzz/replay.c, it is a plain program that replays
 * fuzz/corpus/pyparse/ in `make test`.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "err.h"
#include "pyast.h"
#include "pyparse.h"
#include "pyscan.h"
#include "util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_tree(const struct py_tree *t)
{
	uint32_t i;

	if (!t->root || t->root >= t->node_count || t->nodes[t->root].kind != PN_MODULE)
		abort();
	for (i = 0; i < t->list_count; i++)
		if ((uint64_t)t->lists[i].first + t->lists[i].count > t->item_count)
			abort();
	for (i = 0; i < t->str_count; i++)
		if ((uint64_t)t->strs[i].off + t->strs[i].len > t->chars_len)
			abort();
	for (i = 1; i < t->node_count; i++)
		if (t->nodes[i].kind == PN_NONE || t->nodes[i].kind >= PN_KIND_COUNT ||
		    t->nodes[i].str >= t->str_count || t->nodes[i].start > t->nodes[i].end)
			abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct buf src = BUF_INIT(1 << 22, "source"), out = BUF_INIT(BUF_NOLIMIT, "dump");
	struct py_tree *tree = NULL;
	const char *file = "fuzz.py";

	if (size > (1 << 20))
		return 0;
	buf_add(&src, data, size);
	if (py_source_prepare(file, &src))
		goto done;
	if (py_parse(file, buf_str(&src), src.len, &tree)) {
		const char *msg = hub_error_message();
		if (tree || strncmp(msg, "fuzz.py:", 8) || msg[8] < '1' || msg[8] > '9')
			abort();
		goto done;
	}
	check_tree(tree);
	if (py_tree_dump(tree, &out) || out.len < 8 || memcmp(out.data, "Module(", 7))
		abort();
done:
	hub_error_clear();
	py_tree_free(tree);
	buf_free(&src);
	buf_free(&out);
	return 0;
}
