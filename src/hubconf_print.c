#include <stdio.h>
#include <string.h>

#include "buf.h"
#include "hubconf_print.h"
#include "opt.h"

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
