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
	/* A local SPEC needs no hub dir: without one (a broken config file),
	 * nothing is kept. */
	if (hubdir_resolve(hub_globals.dir, &hub_dir))
		hub_error_clear();
	pypath_get(hub_dir.path, python_option, &library);
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
