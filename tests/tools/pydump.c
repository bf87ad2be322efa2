/*
 * pydump.c - prints py_tree_dump of Python files, one line per file, for
 * the parser's oracle test (t2020): the tree as ast.dump() prints it, or
 * "error: file:LINE: reason" when the parser refuses the file.
 *
 *   pydump FILE...          each file named on the command line
 *   pydump -                file names read from stdin, one a line
 *   pydump --positions ...  the same with node positions (py_tree_dump_positions)
 *   pydump --check FILE     parses FILE only: silent when it parses, else
 *                           "pydump: FILE:LINE: reason" on stderr
 *
 * Exit status: 0 when every file was read (refused ones included in the
 * dumps), 2 when one could not be read; with --check, the parser's own
 * status (HUB_EFAIL, 1, for a syntax error).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "err.h"
#include "pyparse.h"
#include "pyscan.h"
#include "util.h"

static int positions;

static int dump_file(const char *path, struct buf *out)
{
	struct buf src = BUF_INIT(PY_PARSE_MAX_SOURCE * 2, "source");
	struct py_tree *tree = NULL;
	int status;

	buf_reset(out);
	if ((status = read_file(path, &src)))
		goto done;
	if (!(status = py_source_prepare(path, &src)) &&
	    !(status = py_parse(path, buf_str(&src), src.len, &tree)))
		status = positions ? py_tree_dump_positions(tree, out) : py_tree_dump(tree, out);
	if (status) {
		buf_reset(out);
		buf_addf(out, "error: %s", hub_error_message());
		status = HUB_OK;
	}
	buf_addch(out, '\n');
	fwrite(out->data, 1, out->len, stdout);
done:
	if (status)
		fprintf(stderr, "pydump: %s\n", hub_error_message());
	py_tree_free(tree);
	buf_free(&src);
	return status;
}

static int check_file(const char *path)
{
	struct buf src = BUF_INIT(PY_PARSE_MAX_SOURCE * 2, "source");
	struct py_tree *tree = NULL;
	int status;

	if (!(status = read_file(path, &src)) && !(status = py_source_prepare(path, &src)))
		status = py_parse(path, buf_str(&src), src.len, &tree);
	if (status)
		fprintf(stderr, "pydump: %s\n", hub_error_message());
	py_tree_free(tree);
	buf_free(&src);
	return status;
}

int main(int argc, char **argv)
{
	struct buf out = BUF_INIT(BUF_NOLIMIT, "dump");
	int i, failed = 0;

	if (argc == 3 && !strcmp(argv[1], "--check"))
		return check_file(argv[2]);
	if (argc > 1 && !strcmp(argv[1], "--positions")) {
		positions = 1;
		argv++;
		argc--;
	}

	if (argc == 2 && !strcmp(argv[1], "-")) {
		char line[4096];
		while (fgets(line, sizeof(line), stdin)) {
			line[strcspn(line, "\n")] = '\0';
			if (*line && dump_file(line, &out))
				failed = 1;
		}
	} else {
		for (i = 1; i < argc; i++)
			if (dump_file(argv[i], &out))
				failed = 1;
	}
	buf_free(&out);
	return failed ? 2 : 0;
}
