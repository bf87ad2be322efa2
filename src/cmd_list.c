/*
 * hub list [SPEC]: the entrypoints of SPEC's hubconf.py, as torch.hub.list
 * returns them, read as text (hubconf.c); without SPEC, what the cache
 * holds (cmd_list_cache.c).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "cmd_list_cache.h"
#include "err.h"
#include "fetch.h"
#include "hub.h"
#include "hubconf.h"
#include "opt.h"
#include "trust.h"
#include "util.h"

static const char *trust_repo;
static int no_trust_repo;
static int force_reload;
static int skip_validation;
static int exact;

static const struct opt opts[] = {
	{ 0, "exact", OPT_FLAG, &exact, 0, NULL, "ask Python when the names are made at run time (runs hubconf.py)" },
	{ 0, "trust-repo", OPT_OPTIONAL, &trust_repo, 0, "check", "trust the repository (=check: ask unless trusted, the default)" },
	{ 0, "no-trust-repo", OPT_FLAG, &no_trust_repo, 0, NULL, "ask whether to trust it, even when trusted" },
	{ 0, "force-reload", OPT_FLAG, &force_reload, 0, NULL, "fetch the repository again even when cached" },
	{ 0, "skip-validation", OPT_FLAG, &skip_validation, 0, NULL, "do not check that the ref belongs to the repository" },
	{ 0 }
};

static const struct usage usage = {
	"list", "[SPEC]",
	"With SPEC, print the entrypoints of its hubconf.py, one a line, as\n"
	"torch.hub.list returns them (callable, public, sorted as dir() sorts),\n"
	"without running Python: hub reads hubconf.py and the repository modules\n"
	"it imports as text. Where the source makes names at run time, hub says\n"
	"so on stderr, naming the line. --json adds each name's kind (function,\n"
	"class, imported, alias), where it is defined and its summary line, and\n"
	"the dependencies list.\n"
	"\n"
	"Without SPEC, print what the cache holds.\n",
	opts
};

static void print_warnings(const struct hubconf *hc)
{
	const char *const *warnings;
	size_t n = hubconf_warnings(hc, &warnings), i;

	if (hub_globals.quiet)
		return;
	for (i = 0; i < n; i++)
		fprintf(stderr, "hub: warning: %s\n", warnings[i]);
}

/* A JSON string for text that may hold NUL bytes (a docstring's "\0"),
 * which cJSON's C strings would cut short. */
static cJSON *json_text(const char *text, size_t len)
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

static const char *kind_name(enum hubconf_kind kind)
{
	switch (kind) {
	case HUBCONF_FUNCTION: return "function";
	case HUBCONF_CLASS: return "class";
	case HUBCONF_IMPORTED: return "imported";
	case HUBCONF_ALIAS: return "alias";
	}
	return "?";
}

static int print_json(struct hubconf *hc, const char *dir, const struct hubconf_entry *entries,
		      size_t count)
{
	cJSON *root = cJSON_CreateObject(), *list, *deps_json, *warnings_json;
	const char *const *deps, *const *warnings;
	size_t n, i;
	char *text;
	int status = HUB_OK;

	cJSON_AddStringToObject(root, "repo", dir);
	deps_json = cJSON_AddArrayToObject(root, "dependencies");
	n = hubconf_dependencies(hc, &deps);
	for (i = 0; i < n; i++)
		cJSON_AddItemToArray(deps_json, cJSON_CreateString(deps[i]));
	list = cJSON_AddArrayToObject(root, "entrypoints");
	for (i = 0; i < count; i++) {
		cJSON *item = cJSON_CreateObject();
		struct hubconf_doc doc;
		struct buf summary = BUF_INIT(1 << 20, "summary");

		cJSON_AddStringToObject(item, "name", entries[i].name);
		cJSON_AddStringToObject(item, "kind", kind_name(entries[i].kind));
		cJSON_AddStringToObject(item, "defined", entries[i].where);
		if (entries[i].outside)
			cJSON_AddStringToObject(item, "outside", entries[i].outside);
		if ((status = hubconf_describe(hc, entries[i].name, &doc)) ||
		    (status = hubconf_summary(&doc, &summary))) {
			hubconf_doc_release(&doc);
			buf_free(&summary);
			cJSON_Delete(item);
			goto done;
		}
		if (doc.has_doc)
			cJSON_AddItemToObject(item, "summary", json_text(buf_str(&summary), summary.len));
		else
			cJSON_AddNullToObject(item, "summary");
		hubconf_doc_release(&doc);
		buf_free(&summary);
		cJSON_AddItemToArray(list, item);
	}
	warnings_json = cJSON_AddArrayToObject(root, "warnings");
	n = hubconf_warnings(hc, &warnings);
	for (i = 0; i < n; i++)
		cJSON_AddItemToArray(warnings_json, cJSON_CreateString(warnings[i]));
	text = cJSON_Print(root);
	printf("%s\n", text);
	free(text);
done:
	cJSON_Delete(root);
	return status;
}

int cmd_list(int argc, char **argv)
{
	struct fetch_options fetch;
	struct hubconf *hc = NULL;
	struct hubconf_entry *entries = NULL;
	size_t count = 0, i;
	enum trust_mode mode;
	char *dir = NULL;
	int n = opt_parse(&usage, argc, argv), status;

	if (n < 0)
		return opt_status(n);
	if (n > 1)
		return hub_error(HUB_EUSAGE, "list: too many arguments (expected at most one SPEC)");
	/* Kept for GitHub SPECs; a local directory is never trust-checked. */
	if ((status = trust_mode_from_options("list", trust_repo, no_trust_repo, &mode)))
		return status;
	if (n == 0)
		return cache_list_command();
	if (exact)
		return hub_error(HUB_EUNIMPLEMENTED, "list: --exact is not available yet in hub %s",
				 HUB_VERSION);

	fetch_options_init(&fetch);
	fetch.force_reload = force_reload;
	fetch.skip_validation = skip_validation;
	if ((status = fetch_spec_dir(argv[1], &fetch, &dir, NULL)) ||
	    (status = hubconf_open(dir, &hc)) ||
	    (status = hubconf_list(hc, &entries, &count)))
		goto done;
	if (hub_globals.json) {
		if ((status = print_json(hc, dir, entries, count)))
			goto done;
	} else {
		for (i = 0; i < count; i++)
			printf("%s\n", entries[i].name);
	}
	print_warnings(hc);
done:
	hubconf_entries_free(entries, count);
	hubconf_free(hc);
	free(dir);
	return status;
}
