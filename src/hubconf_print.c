#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bootstrap.h"
#include "buf.h"
#include "err.h"
#include "hubconf_print.h"
#include "hubdir.h"
#include "opt.h"
#include "pypath.h"
#include "util.h"

/* The hub dir (none, without a failure, when the config file is broken:
 * then nothing is kept) and the library path of the interpreter. */
static void run_setting(const char *python_option, struct hubdir *hub_dir, struct pypath *library)
{
	if (hubdir_resolve(hub_globals.dir, hub_dir))
		hub_error_clear();
	pypath_get(hub_dir->path, python_option, library);
}

int hubconf_scan_spec(const char *command, const char *spec, const struct fetch_options *fetch,
		      const char *python_option, struct scan **scan_out, char **dir_out)
{
	struct hubdir hub_dir = { NULL, 0, NULL };
	struct pypath library = { NULL, 0, NULL };
	int status;

	*scan_out = NULL;
	*dir_out = NULL;
	/* An interpreter named on the command line must be there. */
	if (python_option) {
		char *python;

		if ((status = python_find(command, python_option, &python)))
			return status;
		free(python);
	}
	if ((status = fetch_spec_dir(spec, fetch, dir_out, NULL)))
		goto done;
	run_setting(python_option, &hub_dir, &library);
	status = scan_open(hub_dir.path, *dir_out, &library, scan_out);
done:
	if (status) {
		free(*dir_out);
		*dir_out = NULL;
	}
	pypath_free(&library);
	hubdir_free(&hub_dir);
	return status;
}

int hubconf_open_dir(const char *dir, const char *python_option, struct hubconf **out)
{
	struct hubdir hub_dir = { NULL, 0, NULL };
	struct pypath library = { NULL, 0, NULL };
	struct hubconf_options options;
	int status;

	run_setting(python_option, &hub_dir, &library);
	memset(&options, 0, sizeof(options));
	options.library = (const char *const *)library.dirs;
	options.library_count = library.count;
	status = hubconf_open(dir, &options, out);
	pypath_free(&library);
	hubdir_free(&hub_dir);
	return status;
}

void hubconf_keep_answers(const char *dir)
{
	struct hubdir hub_dir = { NULL, 0, NULL };
	struct pypath library = { NULL, 0, NULL };
	struct scan *scan = NULL;

	run_setting(NULL, &hub_dir, &library);
	if (hub_dir.path && scan_open(hub_dir.path, dir, &library, &scan))
		hub_error_clear();
	scan_free(scan);
	pypath_free(&library);
	hubdir_free(&hub_dir);
}

void hubconf_print_warnings(const struct scan *scan, const struct scan_name *name)
{
	size_t i;

	if (hub_globals.quiet)
		return;
	for (i = 0; i < scan->warning_count; i++)
		fprintf(stderr, "hub: warning: %s\n", scan->warnings[i]);
	for (i = 0; name && i < name->warning_count; i++)
		fprintf(stderr, "hub: warning: %s\n", name->warnings[i]);
}

cJSON *hubconf_json_text(const char *text, size_t len)
{
	struct buf quoted = BUF_INIT(BUF_NOLIMIT, "json");
	cJSON *item;
	size_t i;

	if (!memchr(text, '\0', len))
		return cJSON_CreateString(text);
	buf_addch(&quoted, '"');
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)text[i];
		if (c == '"' || c == '\\')
			buf_addf(&quoted, "\\%c", c);
		else if (c < 0x20)
			buf_addf(&quoted, "\\u%04x", c);
		else
			buf_addch(&quoted, c);
	}
	buf_addch(&quoted, '"');
	item = cJSON_CreateRaw(buf_str(&quoted));
	buf_free(&quoted);
	return item;
}

/* Levenshtein distance with two rows: names are short, any length works. */
static size_t distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), i, j, result;
	size_t *prev = xmalloc((lb + 1) * sizeof(*prev)), *row = xmalloc((lb + 1) * sizeof(*row));

	for (j = 0; j <= lb; j++)
		prev[j] = j;
	for (i = 1; i <= la; i++) {
		size_t *swap;
		row[0] = i;
		for (j = 1; j <= lb; j++) {
			size_t best = prev[j - 1] + (a[i - 1] != b[j - 1]);
			if (prev[j] + 1 < best)
				best = prev[j] + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			row[j] = best;
		}
		swap = prev;
		prev = row;
		row = swap;
	}
	result = prev[lb];
	free(prev);
	free(row);
	return result;
}

int hubconf_not_found(const char *command, const char *const *names, size_t count,
		      const char *name, const char *dir)
{
	struct buf hint = BUF_INIT(4096, "message");
	size_t i, picked = 0, limit = strlen(name) / 3 + 2, d;
	int status;

	for (d = 0; d <= limit && picked < 3; d++)
		for (i = 0; i < count && picked < 3; i++) {
			const char *candidate = names[i];
			size_t cd = distance(name, candidate);
			if (cd == d || (d == 1 && cd > 1 && strstr(candidate, name) &&
					strlen(name) >= 3 && !strstr(buf_str(&hint), candidate))) {
				buf_addf(&hint, "%s'%s'", picked ? ", " : "; did you mean ", candidate);
				picked++;
			}
		}
	if (picked)
		buf_addch(&hint, '?');
	else
		buf_addf(&hint, " (see 'hub list %s')", dir);
	status = hub_error(HUB_ENOTFOUND, "%s: '%s' is not an entrypoint of %s%s", command, name, dir,
			   buf_str(&hint));
	buf_free(&hint);
	return status;
}
