/*
 * hub help [COMMAND | SPEC [ENTRY]]
 *
 * With SPEC, what torch.hub.help answers, read as text (hubconf.c): ENTRY's
 * signature, where it is defined and its docstring; --raw gives __doc__
 * exactly. Without ENTRY, every entrypoint with its summary line.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cjson/cJSON.h>

#include "bootstrap.h"
#include "err.h"
#include "fetch.h"
#include "hub.h"
#include "hubconf.h"
#include "hubconf_print.h"
#include "hubdir.h"
#include "opt.h"
#include "pyeval_reach.h"
#include "pyscan.h"
#include "trust.h"
#include "util.h"
#include "weights.h"

static const char *trust_repo;
static const char *python_option;
static int no_trust_repo;
static int force_reload;
static int skip_validation;
static int exact;
static int raw;

static const struct opt opts[] = {
	{ 0, "raw", OPT_FLAG, &raw, 0, NULL, "print ENTRY's __doc__ exactly, as torch.hub.help returns it" },
	{ 0, "exact", OPT_FLAG, &exact, 0, NULL, "ask Python instead: run hubconf.py, as torch.hub.help does" },
	{ 0, "python", OPT_STRING, &python_option, 0, "PATH", "the interpreter for --exact, and whose library path is read (default: $HUB_PYTHON, else python3)" },
	TRUST_OPTS(trust_repo, no_trust_repo),
	FETCH_OPTS(force_reload, skip_validation),
	{ 0 }
};

static const struct usage usage = {
	"help", "[COMMAND | SPEC [ENTRY]]",
	"Without arguments, the overview of hub's commands. With COMMAND, that\n"
	"command's help (as 'hub COMMAND --help'). With SPEC, every entrypoint and\n"
	"its summary; with SPEC ENTRY, ENTRY's signature as written in the source,\n"
	"where it is defined, and its docstring cleaned as inspect.cleandoc does.\n"
	"--raw prints the docstring exactly as torch.hub.help returns it.\n"
	"hub reads hubconf.py and the modules it imports as text, without Python;\n"
	"--exact asks Python instead (it runs hubconf.py: a GitHub repository\n"
	"must be trusted first, as for load), and then the signature is\n"
	"inspect.signature's.\n"
	"A directory named like a command is given as ./NAME.\n",
	opts
};

static int not_found(const struct scan *scan, const char *name, const char *dir)
{
	const char **names = xcalloc(scan->listed_count + 1, sizeof(*names));
	size_t i;
	int status;

	for (i = 0; i < scan->listed_count; i++)
		names[i] = scan->names[scan->listed[i]].name;
	status = hubconf_not_found("help", names, scan->listed_count, name, dir);
	free(names);
	return status;
}

/* Every entrypoint and its summary line, names in a column. */
static int overview(const struct scan *scan, const char *dir)
{
	size_t count = scan->listed_count, i, width = 0;
	cJSON *root = NULL, *list = NULL;
	int status = HUB_OK;

	for (i = 0; i < count; i++)
		if (strlen(scan->names[scan->listed[i]].name) > width)
			width = strlen(scan->names[scan->listed[i]].name);
	if (width > 28)
		width = 28;
	if (hub_globals.json) {
		root = cJSON_CreateObject();
		cJSON_AddStringToObject(root, "repo", dir);
		list = cJSON_AddArrayToObject(root, "entrypoints");
	}
	for (i = 0; i < count; i++) {
		const struct scan_name *n = &scan->names[scan->listed[i]];
		struct buf summary = BUF_INIT(1 << 20, "summary");

		if ((status = hubconf_summary(&n->doc, &summary))) {
			buf_free(&summary);
			goto done;
		}
		if (list) {
			cJSON *item = cJSON_CreateObject();
			cJSON_AddStringToObject(item, "name", n->name);
			cJSON_AddStringToObject(item, "kind", hubconf_kind_name(n->entry.kind));
			cJSON_AddStringToObject(item, "defined", n->entry.where);
			if (n->doc.has_doc)
				cJSON_AddItemToObject(item, "summary", hubconf_json_text(buf_str(&summary), summary.len));
			else
				cJSON_AddNullToObject(item, "summary");
			cJSON_AddItemToArray(list, item);
		} else if (summary.len) {
			printf("%-*s  %s\n", (int)width, n->name, buf_str(&summary));
		} else {
			printf("%s\n", n->name);
		}
		buf_free(&summary);
	}
	if (root) {
		char *text = cJSON_Print(root);
		printf("%s\n", text);
		free(text);
	}
done:
	cJSON_Delete(root);
	return status;
}

/* What help ENTRY shows under the docstring: the weight files ENTRY can
 * download (pyeval_reach.h, kept by scan.c), with their sizes when the
 * checkpoints are cached. */
struct entry_weight {
	char *url, *file;
	long long size;         /* -1: not in checkpoints/ */
};

static void entry_weights_free(struct entry_weight *list, size_t count)
{
	size_t i;

	for (i = 0; i < count; i++) {
		free(list[i].url);
		free(list[i].file);
	}
	free(list);
}

static int entry_weights(struct scan *scan, const char *name, const struct pyeval_reach **out,
			 struct entry_weight **list_out)
{
	struct hubdir hub_dir = { NULL, 0, NULL };
	struct entry_weight *list = NULL;
	const struct pyeval_reach *reach;
	struct stat st;
	size_t i;
	int status;

	*list_out = NULL;
	if ((status = scan_weights(scan, name, out)))
		goto done;
	reach = *out;
	if (hubdir_resolve(hub_globals.dir, &hub_dir))
		hub_error_clear();
	list = xcalloc(reach->url_count + 1, sizeof(*list));
	for (i = 0; i < reach->url_count; i++) {
		list[i].url = xstrdup(reach->urls[i]);
		list[i].size = -1;
		if (weights_url_name(reach->urls[i], &list[i].file)) {
			hub_error_clear();
			list[i].file = xstrdup("?");
		} else if (hub_dir.path) {
			char *path = xasprintf("%s/checkpoints/%s", hub_dir.path, list[i].file);
			if (stat(path, &st) == 0 && S_ISREG(st.st_mode))
				list[i].size = (long long)st.st_size;
			free(path);
		}
	}
	*list_out = list;
done:
	hubdir_free(&hub_dir);
	return status;
}

static void print_entry_weights(const char *name, const struct pyeval_reach *reach,
				const struct entry_weight *list, cJSON *root)
{
	size_t i;

	if (!hub_globals.quiet)
		for (i = 0; i < reach->warning_count; i++)
			fprintf(stderr, "hub: warning: %s\n", reach->warnings[i]);
	if (root) {
		cJSON *weights = cJSON_AddArrayToObject(root, "weights");
		cJSON *ids = cJSON_AddArrayToObject(root, "weight_hub_ids");
		cJSON *warnings = cJSON_AddArrayToObject(root, "weight_warnings");

		for (i = 0; i < reach->url_count; i++) {
			cJSON *item = cJSON_CreateObject();
			cJSON_AddStringToObject(item, "url", list[i].url);
			cJSON_AddStringToObject(item, "file", list[i].file);
			if (list[i].size >= 0)
				cJSON_AddNumberToObject(item, "size", (double)list[i].size);
			else
				cJSON_AddNullToObject(item, "size");
			cJSON_AddBoolToObject(item, "cached", list[i].size >= 0);
			cJSON_AddItemToArray(weights, item);
		}
		for (i = 0; i < reach->hub_id_count; i++) {
			cJSON *item = cJSON_CreateObject();
			cJSON_AddStringToObject(item, "id", reach->hub_ids[i]);
			cJSON_AddStringToObject(item, "where", reach->hub_id_sites[i]);
			cJSON_AddItemToArray(ids, item);
		}
		for (i = 0; i < reach->warning_count; i++)
			cJSON_AddItemToArray(warnings, cJSON_CreateString(reach->warnings[i]));
		return;
	}
	if (!reach->url_count && !reach->hub_id_count)
		return;
	printf("\nweights:\n");
	for (i = 0; i < reach->url_count; i++) {
		if (list[i].size >= 0)
			printf("  %s  %s  (%lld bytes, cached)\n", list[i].file, list[i].url, list[i].size);
		else
			printf("  %s  %s\n", list[i].file, list[i].url);
	}
	for (i = 0; i < reach->hub_id_count; i++)
		printf("  %s  from a model hub by id, not a URL hub downloads (%s)\n", reach->hub_ids[i],
		       reach->hub_id_sites[i]);
	(void)name;
}

static int entry_help(struct scan *scan, const struct scan_name *known, const char *dir,
		      const char *folder, const char *name)
{
	static const struct pyeval_reach none;
	const struct pyeval_reach *reach = &none;
	struct entry_weight *weights = NULL;
	struct buf clean = BUF_INIT(1 << 24, "docstring");
	const struct hubconf_entry *entry;
	const struct hubconf_doc *doc;
	int status = HUB_OK;

	if (!known || !known->found) {
		status = not_found(scan, name, dir);
		goto done;
	}
	entry = &known->entry;
	doc = &known->doc;
	if (!doc->doc_known) {
		if (raw) {
			if (entry->outside)
				status = hub_error(HUB_EFAIL, "help: '%s' comes from '%s', outside the repository: its docstring needs Python",
						   name, entry->outside);
			else
				status = hub_error(HUB_EFAIL, "help: '%s': its docstring is made as Python runs the code (a dataclass's, say); --exact asks Python",
						   name);
			goto done;
		}
		if (!hub_globals.quiet && entry->outside)
			fprintf(stderr, "hub: warning: '%s' comes from '%s', outside the repository: hub cannot read its signature and docstring\n",
				name, entry->outside);
		else if (!hub_globals.quiet)
			fprintf(stderr, "hub: warning: '%s': its docstring is made as Python runs the code; --exact asks Python\n",
				name);
	} else if (!doc->has_doc && !hub_globals.quiet) {
		fprintf(stderr, "hub: '%s' has no docstring\n", name);
	}
	if (raw) {
		if (doc->has_doc) {
			fwrite(buf_str(&doc->doc), 1, doc->doc.len, stdout);
			putchar('\n');
		}
		goto done;
	}
	if (doc->has_doc && (status = py_cleandoc(buf_str(&doc->doc), doc->doc.len, &clean)))
		goto done;
	if (doc->doc_known && (status = entry_weights(scan, name, &reach, &weights))) {
		reach = &none;
		/* the docstring is still worth showing */
		fprintf(stderr, "hub: warning: %s: its weights: %s\n", name, hub_error_message());
		hub_error_clear();
		status = HUB_OK;
	}
	if (hub_globals.json) {
		cJSON *root = cJSON_CreateObject();
		char *text;
		cJSON_AddStringToObject(root, "name", name);
		cJSON_AddStringToObject(root, "kind", hubconf_kind_name(entry->kind));
		cJSON_AddStringToObject(root, "defined", entry->where);
		if (entry->outside)
			cJSON_AddStringToObject(root, "outside", entry->outside);
		if (doc->signature)
			cJSON_AddStringToObject(root, "signature", doc->signature);
		else
			cJSON_AddNullToObject(root, "signature");
		if (doc->has_doc) {
			cJSON_AddItemToObject(root, "doc", hubconf_json_text(buf_str(&doc->doc), doc->doc.len));
			cJSON_AddItemToObject(root, "cleandoc", hubconf_json_text(buf_str(&clean), clean.len));
		} else {
			cJSON_AddNullToObject(root, "doc");
			cJSON_AddNullToObject(root, "cleandoc");
		}
		print_entry_weights(name, reach, weights, root);
		text = cJSON_Print(root);
		printf("%s\n", text);
		free(text);
		cJSON_Delete(root);
		goto done;
	}
	if (doc->signature)
		printf("%s\n", doc->signature);
	else
		printf("%s(...)\n", name);
	if (entry->outside)
		printf("imported at %s from %s\n", entry->where, entry->outside);
	else
		printf("defined at %s\n", entry->where);
	if (doc->has_doc && clean.len) {
		putchar('\n');
		fwrite(buf_str(&clean), 1, clean.len, stdout);
		putchar('\n');
	}
	print_entry_weights(name, reach, weights, NULL);
done:
	if (weights)
		entry_weights_free(weights, reach->url_count);
	buf_free(&clean);
	return status;
}

static const char *json_string_or_null(const cJSON *object, const char *key)
{
	const cJSON *item = cJSON_GetObjectItemCaseSensitive(object, key);
	return cJSON_IsString(item) ? item->valuestring : NULL;
}

/* Prints one entry Python described ({"name", "signature", "doc"}). */
static int exact_entry(const cJSON *item)
{
	const char *name = json_string_or_null(item, "name");
	const char *signature = json_string_or_null(item, "signature");
	const char *doc = json_string_or_null(item, "doc");
	struct buf clean = BUF_INIT(1 << 24, "docstring");
	int status = HUB_OK;

	if (!name)
		return hub_error(HUB_EFAIL, "help: Python's answer has no entry name");
	if (!doc && !hub_globals.quiet)
		fprintf(stderr, "hub: '%s' has no docstring\n", name);
	if (raw) {
		if (doc)
			printf("%s\n", doc);
		return HUB_OK;
	}
	if (doc && (status = py_cleandoc(doc, strlen(doc), &clean)))
		goto done;
	if (hub_globals.json) {
		cJSON *root = cJSON_CreateObject();
		char *text, *full = signature ? xasprintf("%s%s", name, signature) : NULL;
		cJSON_AddStringToObject(root, "name", name);
		cJSON_AddTrueToObject(root, "exact");
		if (full)
			cJSON_AddStringToObject(root, "signature", full);
		else
			cJSON_AddNullToObject(root, "signature");
		if (doc) {
			cJSON_AddStringToObject(root, "doc", doc);
			cJSON_AddItemToObject(root, "cleandoc", hubconf_json_text(buf_str(&clean), clean.len));
		} else {
			cJSON_AddNullToObject(root, "doc");
			cJSON_AddNullToObject(root, "cleandoc");
		}
		text = cJSON_Print(root);
		printf("%s\n", text);
		free(text);
		free(full);
		cJSON_Delete(root);
		goto done;
	}
	printf("%s%s\n", name, signature ? signature : "(...)");
	if (doc && clean.len) {
		putchar('\n');
		fwrite(buf_str(&clean), 1, clean.len, stdout);
		putchar('\n');
	}
done:
	buf_free(&clean);
	return status;
}

/* --exact: torch.hub.help's own answer (and inspect.signature), from the
 * interpreter load uses, behind load's trust gate. */
static int exact_help(const char *spec_text, const char *entry,
		      const struct fetch_options *fetch, enum trust_mode mode)
{
	struct hubdir hub_dir = { NULL, 0, NULL };
	struct buf answer = BUF_INIT(1 << 26, "help answer");
	cJSON *list = NULL, *item;
	char *python = NULL, *dir = NULL;
	size_t width = 0;
	int status;

	if ((status = python_find("help", python_option, &python)) ||
	    (status = hubdir_resolve(hub_globals.dir, &hub_dir)))
		goto done;
	if ((status = trust_check_spec("help", hub_dir.path, spec_text, mode)))
		goto done;
	if ((status = fetch_spec_dir(spec_text, fetch, &dir, NULL)) ||
	    (status = bootstrap_help_exact(python, hub_dir.path, dir, entry ? entry : "", &answer))) {
		/* Python said why on stderr already (a traceback, or its own
		 * one line): the status is enough. */
		if (status == 1 || status == 2 || status == 5)
			hub_error_clear();
		goto done;
	}
	list = cJSON_Parse(buf_str(&answer));
	if (!cJSON_IsArray(list)) {
		status = hub_error(HUB_EFAIL, "help: Python's answer is not a JSON list");
		goto done;
	}
	if (entry) {
		status = cJSON_GetArraySize(list) == 1 ? exact_entry(cJSON_GetArrayItem(list, 0)) :
			 hub_error(HUB_EFAIL, "help: Python's answer is not one entry");
		goto done;
	}
	if (hub_globals.json) {
		char *text = cJSON_Print(list);
		printf("%s\n", text);
		free(text);
		goto done;
	}
	cJSON_ArrayForEach(item, list) {
		const char *name = json_string_or_null(item, "name");
		if (name && strlen(name) > width)
			width = strlen(name);
	}
	if (width > 28)
		width = 28;
	cJSON_ArrayForEach(item, list) {
		const char *name = json_string_or_null(item, "name");
		const char *doc = json_string_or_null(item, "doc");
		struct buf clean = BUF_INIT(1 << 24, "docstring");
		const char *nl;

		if (!name)
			continue;
		if (doc && !py_cleandoc(doc, strlen(doc), &clean) && clean.len) {
			nl = strchr(buf_str(&clean), '\n');
			printf("%-*s  %.*s\n", (int)width, name,
			       (int)(nl ? (size_t)(nl - buf_str(&clean)) : clean.len), buf_str(&clean));
		} else {
			printf("%s\n", name);
		}
		buf_free(&clean);
	}
done:
	cJSON_Delete(list);
	buf_free(&answer);
	hubdir_free(&hub_dir);
	free(python);
	free(dir);
	return status;
}

int cmd_help(int argc, char **argv)
{
	struct fetch_options fetch;
	struct scan *scan = NULL;
	enum trust_mode mode;
	char *dir = NULL;
	int n = opt_parse(&usage, argc, argv), status;

	if (n < 0)
		return opt_status(n);
	if (n == 0) {
		opt_print_help(&(struct usage){ NULL, NULL, NULL, NULL });
		return HUB_OK;
	}
	if (n == 1 && hub_is_command(argv[1])) {
		char *help_argv[] = { argv[1], "--help", NULL };
		return hub_run_command(2, help_argv);
	}
	if (n > 2)
		return hub_error(HUB_EUSAGE, "help: too many arguments (expected SPEC [ENTRY])");
	/* For --exact, which runs code: reading text needs no trust. */
	if ((status = trust_mode_from_options("help", trust_repo, no_trust_repo, &mode)))
		return status;
	if (raw && n < 2)
		return hub_error(HUB_EUSAGE, "help: --raw needs an ENTRY");
	fetch_options_init(&fetch);
	fetch.force_reload = force_reload;
	fetch.skip_validation = skip_validation;
	if (exact)
		return exact_help(argv[1], n == 2 ? argv[2] : NULL, &fetch, mode);
	if ((status = hubconf_scan_spec("help", argv[1], &fetch, python_option, &scan, &dir)))
		goto done;
	if (n == 2) {
		const struct scan_name *known = scan_lookup(scan, argv[2]);

		status = entry_help(scan, known, argv[1], dir, argv[2]);
		hubconf_print_warnings(scan, known);
	} else {
		status = overview(scan, argv[1]);
		hubconf_print_warnings(scan, NULL);
	}
done:
	scan_free(scan);
	free(dir);
	return status;
}
