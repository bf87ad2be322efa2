/*
 * hub download SPEC... | URL... | BUNDLE: fill the cache without running
 * any repository code.
 *
 * Each operand is classified first, so the kinds can grow independently:
 * SPEC (owner/name[:ref] or a local directory) goes to fetch_specs, all
 * SPECs in one batch so their archives download in parallel; URL (weights)
 * and BUNDLE (an offline bundle file) are not built yet.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cjson/cJSON.h>

#include "err.h"
#include "fetch.h"
#include "http.h"
#include "hub.h"
#include "opt.h"
#include "util.h"

enum operand_kind { OPERAND_SPEC, OPERAND_URL, OPERAND_BUNDLE };

static int force_reload, skip_validation;

static const struct opt opts[] = {
	{ 0, "force-reload", OPT_FLAG, &force_reload, 0, NULL,
	  "download again even when cached; the old folder stays usable until the new one is complete" },
	{ 0, "skip-validation", OPT_FLAG, &skip_validation, 0, NULL,
	  "do not check with the GitHub API that the ref is a branch, a tag or the head of one" },
	{ 0 }
};

static const struct usage usage = {
	"download", "SPEC... | URL... | BUNDLE",
	"Fetch each SPEC (owner/name[:ref], or a local directory holding hubconf.py)\n"
	"into the torch.hub cache, <hub dir>/<owner>_<name>_<ref>, exactly where\n"
	"torch.hub.load looks, and print each folder on stdout, one a line, in the\n"
	"order given. Cached SPECs need no network; missing ones download in\n"
	"parallel, each streamed from GitHub's archive straight into its folder.\n"
	"Without a ref, a cached main or master is used, else torch.hub's choice.\n"
	"Concurrent hubs fetching the same SPEC download it once.\n",
	opts
};

static enum operand_kind classify(const char *operand)
{
	struct stat st;
	size_t len = strlen(operand);

	if (!strncmp(operand, "http://", 7) || !strncmp(operand, "https://", 8))
		return OPERAND_URL;
	if (stat(operand, &st) == 0 && S_ISREG(st.st_mode))
		return OPERAND_BUNDLE;
	if ((len > 4 && !strcmp(operand + len - 4, ".tar")) ||
	    (len > 7 && !strcmp(operand + len - 7, ".tar.gz")) ||
	    (len > 4 && !strcmp(operand + len - 4, ".tgz")))
		return OPERAND_BUNDLE;
	return OPERAND_SPEC;
}

static void human_bytes(long long n, char *out, size_t size)
{
	if (n >= 1024LL * 1024 * 1024)
		snprintf(out, size, "%.2f GiB", (double)n / (1024.0 * 1024 * 1024));
	else if (n >= 1024 * 1024)
		snprintf(out, size, "%.1f MiB", (double)n / (1024.0 * 1024));
	else if (n >= 1024)
		snprintf(out, size, "%.0f KiB", (double)n / 1024.0);
	else
		snprintf(out, size, "%lld B", n);
}

static void show_progress(const struct http_progress *p)
{
	char bytes[32], rate[32];

	if (p->done) {
		fputs("\r\033[K", stderr);
		return;
	}
	if (p->bytes == 0)
		return;
	human_bytes(p->bytes, bytes, sizeof(bytes));
	human_bytes(p->seconds > 0 ? (long long)((double)p->bytes / p->seconds) : 0, rate, sizeof(rate));
	fprintf(stderr, "\r\033[Kdownloading: %s, %s/s (%d in flight)", bytes, rate, p->active);
	fflush(stderr);
}

static void print_json(char **specs, const struct fetch_result *results, int count)
{
	cJSON *list = cJSON_CreateArray();
	char *text;
	int i;

	for (i = 0; i < count; i++) {
		cJSON *item = cJSON_CreateObject();
		cJSON_AddStringToObject(item, "spec", specs[i]);
		if (results[i].status) {
			cJSON_AddNumberToObject(item, "status", results[i].status);
			cJSON_AddStringToObject(item, "error", results[i].error);
		} else {
			cJSON_AddStringToObject(item, "dir", results[i].dir);
			cJSON_AddBoolToObject(item, "cached", results[i].cached);
			cJSON_AddBoolToObject(item, "local", results[i].is_local);
		}
		cJSON_AddItemToArray(list, item);
	}
	text = cJSON_Print(list);
	printf("%s\n", text);
	free(text);
	cJSON_Delete(list);
}

static int download_specs(char **specs, int count)
{
	struct fetch_options fopts;
	struct fetch_result *results = xcalloc((size_t)count, sizeof(*results));
	int i, status = HUB_OK;

	fetch_options_init(&fopts);
	fopts.force_reload = force_reload;
	fopts.skip_validation = skip_validation;
	if (fopts.progress)
		http_set_progress(show_progress);
	fetch_specs((const char *const *)specs, (size_t)count, &fopts, results);
	if (hub_globals.json)
		print_json(specs, results, count);
	for (i = 0; i < count; i++) {
		if (results[i].status) {
			/* Every failure is told; the first one's status is the exit. */
			fprintf(stderr, "hub: %s\n", results[i].error);
			if (!status)
				status = results[i].status;
		} else if (!hub_globals.json) {
			printf("%s\n", results[i].dir);
		}
		fetch_result_free(&results[i]);
	}
	free(results);
	hub_error_clear();
	return status;
}

int cmd_download(int argc, char **argv)
{
	int n = opt_parse(&usage, argc, argv), i, specs = 0;

	if (n < 0)
		return opt_status(n);
	if (n == 0)
		return hub_error(HUB_EUSAGE, "download: nothing to download (expected SPEC..., URL... or BUNDLE)");
	for (i = 1; i <= n; i++) {
		switch (classify(argv[i])) {
		case OPERAND_URL:
			return hub_error(HUB_EUNIMPLEMENTED, "download: '%s': downloading weight URLs is "
					 "not implemented yet in hub %s", argv[i], HUB_VERSION);
		case OPERAND_BUNDLE:
			return hub_error(HUB_EUNIMPLEMENTED, "download: '%s': bundles are not implemented "
					 "yet in hub %s", argv[i], HUB_VERSION);
		case OPERAND_SPEC:
			specs++;
			break;
		}
	}
	return download_specs(argv + 1, specs);
}
