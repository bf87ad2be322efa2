/*
 * hub list [SPEC]: the entrypoints of SPEC's hubconf.py, as torch.hub.list
 * returns them, read as text (hubconf.c); without SPEC, what the cache
 * holds (cmd_list_cache.c).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "bootstrap.h"
#include "cmd_list_cache.h"
#include "err.h"
#include "fetch.h"
#include "hub.h"
#include "hubconf.h"
#include "hubconf_print.h"
#include "hubdir.h"
#include "opt.h"
#include "trust.h"
#include "util.h"

static const char *trust_repo;
static const char *python_option;
static int no_trust_repo;
static int force_reload;
static int skip_validation;
static int exact;

static const struct opt opts[] = {
	{ 0, "exact", OPT_FLAG, &exact, 0, NULL, "ask Python instead: run hubconf.py, as torch.hub.list does" },
	{ 0, "python", OPT_STRING, &python_option, 0, "PATH", "the interpreter for --exact, and whose library path is read (default: $HUB_PYTHON, else python3)" },
	TRUST_OPTS(trust_repo, no_trust_repo),
	FETCH_OPTS(force_reload, skip_validation),
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
	"--exact asks Python instead (the interpreter 'hub load' uses): it runs\n"
	"hubconf.py, so a GitHub repository must be trusted first, as for load.\n"
	"\n"
	"Without SPEC, print what the cache holds.\n",
	opts
};

static int print_json(const struct scan *scan, const char *dir)
{
	cJSON *root = cJSON_CreateObject(), *list, *deps_json, *warnings_json;
	size_t i;
	char *text;
	int status = HUB_OK;

	cJSON_AddStringToObject(root, "repo", dir);
	deps_json = cJSON_AddArrayToObject(root, "dependencies");
	for (i = 0; i < scan->dependency_count; i++)
		cJSON_AddItemToArray(deps_json, cJSON_CreateString(scan->dependencies[i]));
	list = cJSON_AddArrayToObject(root, "entrypoints");
	for (i = 0; i < scan->listed_count; i++) {
		const struct scan_name *n = &scan->names[scan->listed[i]];
		cJSON *item = cJSON_CreateObject();
		struct buf summary = BUF_INIT(1 << 20, "summary");

		cJSON_AddStringToObject(item, "name", n->name);
		cJSON_AddStringToObject(item, "kind", hubconf_kind_name(n->entry.kind));
		cJSON_AddStringToObject(item, "defined", n->entry.where ? n->entry.where : "");
		if (n->entry.outside)
			cJSON_AddStringToObject(item, "outside", n->entry.outside);
		if ((status = hubconf_summary(&n->doc, &summary))) {
			buf_free(&summary);
			cJSON_Delete(item);
			goto done;
		}
		if (n->doc.has_doc)
			cJSON_AddItemToObject(item, "summary", hubconf_json_text(buf_str(&summary), summary.len));
		else
			cJSON_AddNullToObject(item, "summary");
		buf_free(&summary);
		cJSON_AddItemToArray(list, item);
	}
	warnings_json = cJSON_AddArrayToObject(root, "warnings");
	for (i = 0; i < scan->warning_count; i++)
		cJSON_AddItemToArray(warnings_json, cJSON_CreateString(scan->warnings[i]));
	text = cJSON_Print(root);
	printf("%s\n", text);
	free(text);
done:
	cJSON_Delete(root);
	return status;
}

/* --exact: torch.hub.list's own answer, from the interpreter load uses,
 * behind load's trust gate. --json adds what the scanner knows of each
 * name (null where it does not). */
static int exact_list(const char *spec_text, const struct fetch_options *fetch,
		      enum trust_mode mode)
{
	struct hubdir hub_dir = { NULL, 0, NULL };
	struct buf names = BUF_INIT(1 << 24, "entrypoint list");
	struct scan *scan = NULL;
	char *python = NULL, *dir = NULL, *scanned = NULL;
	int status;

	if ((status = python_find("list", python_option, &python)) ||
	    (status = hubdir_resolve(hub_globals.dir, &hub_dir)))
		goto done;
	if ((status = trust_check_spec("list", hub_dir.path, spec_text, mode)))
		goto done;
	if ((status = fetch_spec_dir(spec_text, fetch, &dir, NULL)) ||
	    (status = bootstrap_list_exact(python, hub_dir.path, dir, &names))) {
		/* Python said why on stderr already (a traceback, or its own
		 * one line): the status is enough. */
		if (status == 1 || status == 2 || status == 5)
			hub_error_clear();
		goto done;
	}
	if (!hub_globals.json) {
		fwrite(buf_str(&names), 1, names.len, stdout);
		goto done;
	}
	{
		cJSON *root = cJSON_CreateObject(), *list;
		const char *line = buf_str(&names);
		char *text;

		if (hubconf_scan_spec("list", dir, fetch, python_option, &scan, &scanned))
			scan = NULL;
		cJSON_AddStringToObject(root, "repo", dir);
		cJSON_AddTrueToObject(root, "exact");
		list = cJSON_AddArrayToObject(root, "entrypoints");
		while (*line) {
			const char *nl = strchr(line, '\n');
			char *name = xstrndup(line, nl ? (size_t)(nl - line) : strlen(line));
			cJSON *item = cJSON_CreateObject();
			const struct scan_name *known = scan ? scan_lookup(scan, name) : NULL;
			struct buf summary = BUF_INIT(1 << 20, "summary");

			cJSON_AddStringToObject(item, "name", name);
			if (known && known->found) {
				cJSON_AddStringToObject(item, "kind", hubconf_kind_name(known->entry.kind));
				cJSON_AddStringToObject(item, "defined", known->entry.where);
				if (known->doc.has_doc && !hubconf_summary(&known->doc, &summary))
					cJSON_AddItemToObject(item, "summary",
							      hubconf_json_text(buf_str(&summary), summary.len));
			}
			cJSON_AddItemToArray(list, item);
			buf_free(&summary);
			free(name);
			line = nl ? nl + 1 : line + strlen(line);
		}
		hub_error_clear();
		text = cJSON_Print(root);
		printf("%s\n", text);
		free(text);
		cJSON_Delete(root);
	}
done:
	scan_free(scan);
	buf_free(&names);
	hubdir_free(&hub_dir);
	free(python);
	free(dir);
	free(scanned);
	return status;
}

int cmd_list(int argc, char **argv)
{
	struct fetch_options fetch;
	struct scan *scan = NULL;
	enum trust_mode mode;
	char *dir = NULL;
	size_t i;
	int n = opt_parse(&usage, argc, argv), status;

	if (n < 0)
		return opt_status(n);
	if (n > 1)
		return hub_error(HUB_EUSAGE, "list: too many arguments (expected at most one SPEC)");
	/* For --exact, which runs code: reading text needs no trust. */
	if ((status = trust_mode_from_options("list", trust_repo, no_trust_repo, &mode)))
		return status;
	if (n == 0)
		return cache_list_command();
	fetch_options_init(&fetch);
	fetch.force_reload = force_reload;
	fetch.skip_validation = skip_validation;
	if (exact)
		return exact_list(argv[1], &fetch, mode);
	if ((status = hubconf_scan_spec("list", argv[1], &fetch, python_option, &scan, &dir)))
		goto done;
	if (hub_globals.json) {
		if ((status = print_json(scan, dir)))
			goto done;
	} else {
		for (i = 0; i < scan->listed_count; i++)
			printf("%s\n", scan->names[scan->listed[i]].name);
	}
	hubconf_print_warnings(scan, NULL);
done:
	scan_free(scan);
	free(dir);
	return status;
}
