/*
 * pypath.c - the interpreter's sys.path, asked once and remembered
 * (see pypath.h).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "bootstrap.h"
#include "buf.h"
#include "err.h"
#include "pypath.h"
#include "util.h"

#define PYPATH_MAX_BYTES (256u * 1024)
#define PYPATH_MAX_DIRS 1000

/* The variables that change what sys.path holds. */
static const char *const path_variables[] = {
	"PYTHONPATH", "PYTHONHOME", "PYTHONUSERBASE", "PYTHONNOUSERSITE",
	"PYTHONSAFEPATH", "VIRTUAL_ENV", "PYENV_VERSION", NULL
};

static const char program[] =
	"import sys; sys.stdout.write('\\0'.join(sys.path))";

static void add_dir(struct pypath *path, const char *dir, size_t len)
{
	char *copy;
	size_t i;

	if (len == 0 || dir[0] != '/' || path->count >= PYPATH_MAX_DIRS)
		return;
	copy = xstrndup(dir, len);
	if (!path_is_dir(copy))
		goto skip;
	for (i = 0; i < path->count; i++)
		if (!strcmp(path->dirs[i], copy))
			goto skip;
	path->dirs = xrealloc(path->dirs, (path->count + 1) * sizeof(*path->dirs));
	path->dirs[path->count++] = copy;
	return;
skip:
	free(copy);
}

/* The lines a remembered answer must start with to be this interpreter's
 * answer in this environment. */
static int key_lines(const char *python, struct buf *key)
{
	char *real = realpath(python, NULL);
	size_t i;
	int ok;

	buf_addf(key, "hub pypath 1\npython %s ", real ? real : python);
	ok = stat_stamp(real ? real : python, key, NULL);
	buf_addch(key, '\n');
	free(real);
	for (i = 0; path_variables[i]; i++) {
		const char *value = getenv(path_variables[i]);

		if (value)
			buf_addf(key, "env %s=%s\n", path_variables[i], value);
	}
	return ok;
}

/* The remembered answer, when it is still this one: its key matches and
 * every directory is as it was. */
static int remembered(const char *file, const char *key, struct pypath *out)
{
	struct buf text = BUF_INIT(PYPATH_MAX_BYTES, "pypath"), line = BUF_INIT(4096, "pypath");
	size_t key_len = strlen(key);
	const char *p, *end;
	int ok = 0;

	if (read_file(file, &text) || text.len < key_len || memcmp(text.data, key, key_len))
		goto done;
	for (p = text.data + key_len; p < text.data + text.len; p = end + 1) {
		const char *space;

		end = memchr(p, '\n', (size_t)(text.data + text.len - p));
		if (!end || strncmp(p, "dir ", 4))
			goto done;
		/* "dir PATH STAT": PATH has no newline; STAT is the last four
		 * fields, so PATH may hold blanks. */
		space = end;
		for (int fields = 0; fields < 4; fields++) {
			do
				space--;
			while (space > p + 4 && *space != ' ');
		}
		if (space <= p + 4)
			goto done;
		{
			char *dir = xstrndup(p + 4, (size_t)(space - (p + 4)));

			buf_reset(&line);
			if (!stat_stamp(dir, &line, NULL) ||
			    (size_t)(end - space - 1) != line.len ||
			    memcmp(space + 1, line.data, line.len)) {
				free(dir);
				goto done;
			}
			add_dir(out, dir, strlen(dir));
			free(dir);
		}
	}
	ok = 1;
done:
	if (!ok) {
		pypath_free(out);
		memset(out, 0, sizeof(*out));
	}
	buf_free(&text);
	buf_free(&line);
	return ok;
}

static void remember(const char *file, const char *key, const struct pypath *path)
{
	struct buf text = BUF_INIT(PYPATH_MAX_BYTES, "pypath");
	size_t i;

	buf_addstr(&text, key);
	for (i = 0; i < path->count; i++) {
		if (strchr(path->dirs[i], '\n'))
			continue;
		buf_addf(&text, "dir %s ", path->dirs[i]);
		if (!stat_stamp(path->dirs[i], &text, NULL))
			goto done;
		buf_addch(&text, '\n');
	}
	if (write_file_atomic(file, text.data, text.len, 0644))
		hub_log("pypath: cannot remember the library path: %s", hub_error_message());
done:
	buf_free(&text);
}

static void ask(const char *python, struct pypath *out)
{
	struct buf answer = BUF_INIT(PYPATH_MAX_BYTES, "sys.path");
	char *argv[] = { (char *)python, "-c", (char *)program, NULL };
	int exit_status;
	size_t at = 0;

	if (python_run(argv, &answer, &exit_status) || exit_status) {
		hub_log("pypath: %s did not tell its sys.path (exit %d)", python, exit_status);
		goto done;
	}
	while (at <= answer.len) {
		const char *end = memchr(answer.data + at, '\0', answer.len - at);
		size_t len = end ? (size_t)(end - (answer.data + at)) : answer.len - at;

		add_dir(out, answer.data + at, len);
		at += len + 1;
	}
done:
	buf_free(&answer);
}

void pypath_get(const char *hub_dir, const char *python_option, struct pypath *out)
{
	const char *env = getenv("HUB_PYTHONPATH");
	struct buf key = BUF_INIT(BUF_NOLIMIT, "pypath");
	char *python = NULL, *file = NULL, *bookkeeping = NULL;

	memset(out, 0, sizeof(*out));
	out->source = "none";
	if (env) {
		const char *p = env, *end;

		do {
			end = strchr(p, ':');
			if (!end)
				end = p + strlen(p);
			add_dir(out, p, (size_t)(end - p));
			p = end + 1;
		} while (*end);
		out->source = "HUB_PYTHONPATH";
		goto done;
	}
	if (python_find("list", python_option, &python)) {
		hub_log("pypath: %s", hub_error_message());
		hub_error_clear();
		goto done;
	}
	if (!key_lines(python, &key))
		goto done;
	if (hub_dir) {
		bookkeeping = path_join(hub_dir, ".hub");
		file = path_join(bookkeeping, "pypath");
		if (remembered(file, key.data, out)) {
			out->source = "remembered";
			goto done;
		}
	}
	ask(python, out);
	out->source = "asked";
	if (file && mkdir_p(bookkeeping, 0755) == HUB_OK)
		remember(file, key.data, out);
	hub_error_clear();
done:
	hub_log("pypath: %zu directories (%s)", out->count, out->source);
	buf_free(&key);
	free(python);
	free(file);
	free(bookkeeping);
}

void pypath_free(struct pypath *path)
{
	size_t i;

	if (!path)
		return;
	for (i = 0; i < path->count; i++)
		free(path->dirs[i]);
	free(path->dirs);
	path->dirs = NULL;
	path->count = 0;
}
