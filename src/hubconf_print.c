#include <stdio.h>
#include <string.h>

#include "buf.h"
#include "hubconf_print.h"
#include "err.h"
#include "hubdir.h"
#include "opt.h"
#include "pypath.h"

int hubconf_open_dir(const char *dir, const char *python_option, struct hubconf **out)
{
	struct hubdir hub_dir = { NULL, 0, NULL };
	struct pypath path = { NULL, 0, NULL };
	struct hubconf_options options;
	int status;

	if (hubdir_resolve(hub_globals.dir, &hub_dir))
		hub_error_clear();
	pypath_get(hub_dir.path, python_option, &path);
	memset(&options, 0, sizeof(options));
	options.library = (const char *const *)path.dirs;
	options.library_count = path.count;
	status = hubconf_open(dir, &options, out);
	pypath_free(&path);
	hubdir_free(&hub_dir);
	return status;
}

void hubconf_print_warnings(const struct hubconf *hc)
{
	const char *const *warnings;
	size_t n = hubconf_warnings(hc, &warnings), i;

	if (hub_globals.quiet)
		return;
	for (i = 0; i < n; i++)
		fprintf(stderr, "hub: warning: %s\n", warnings[i]);
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
