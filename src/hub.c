/*
 * hub.c - main: the command table, global options, dispatch.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <bearssl.h>
#include <cjson/cJSON.h>
#include <curl/curl.h>
#include <zlib.h>

#include "versions.h" /* written by scripts/build-deps.sh */
#include "err.h"
#include "hub.h"
#include "opt.h"
#include "util.h"

struct command {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *summary;
};

static const struct command commands[] = {
	{ "list", cmd_list, "list the entrypoints of a repository, or what the cache holds" },
	{ "help", cmd_help, "show an entrypoint's signature and docstring, or a command's help" },
	{ "load", cmd_load, "build a model: run an entrypoint in the system Python" },
	{ "download", cmd_download, "fill the cache (repositories, weights, bundles) without running code" },
	{ "set-dir", cmd_set_dir, "show or persist the hub dir" },
	{ "purge", cmd_purge, "remove cached repositories, weights and leftovers" },
};
#define COMMAND_COUNT (sizeof(commands) / sizeof(commands[0]))

static const struct usage hub_usage = { NULL, NULL, NULL, NULL };

void hub_print_overview(void)
{
	size_t i;

	printf("usage: hub [GLOBAL-OPTIONS] COMMAND [ARGS]\n\n"
	       "Fetch torch.hub repositories, read their entrypoints, download their\n"
	       "weights, all into torch.hub's own cache.\n\nCommands:\n");
	for (i = 0; i < COMMAND_COUNT; i++)
		printf("  %-10s %s\n", commands[i].name, commands[i].summary);
	printf("\nSPEC is owner/name[:ref] or a local directory holding hubconf.py.\n"
	       "'hub help COMMAND' or 'hub COMMAND --help' shows a command's options.\n");
}

void hub_print_version(void)
{
	curl_version_info_data *curl = curl_version_info(CURLVERSION_NOW);

	printf("hub %s\n", HUB_VERSION);
	printf("libcurl %s (Debian %s), %s\n", curl->version, HUB_DEP_CURL_DEBIAN,
	       curl->ssl_version ? curl->ssl_version : "no TLS");
	printf("BearSSL (Debian %s)\n", HUB_DEP_BEARSSL_DEBIAN);
	printf("zlib %s (Debian %s)\n", zlibVersion(), HUB_DEP_ZLIB_DEBIAN);
	printf("cJSON %s (Debian %s)\n", cJSON_Version(), HUB_DEP_CJSON_DEBIAN);
}

static const struct command *find_command(const char *name)
{
	size_t i;
	for (i = 0; i < COMMAND_COUNT; i++)
		if (!strcmp(commands[i].name, name))
			return &commands[i];
	return NULL;
}

int hub_is_command(const char *name)
{
	return find_command(name) != NULL;
}

/* Optimal string alignment distance, for "did you mean". */
static size_t edit_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), i, j;
	size_t d[32][32];

	if (la >= 32 || lb >= 32)
		return 99;
	for (i = 0; i <= la; i++)
		d[i][0] = i;
	for (j = 0; j <= lb; j++)
		d[0][j] = j;
	for (i = 1; i <= la; i++) {
		for (j = 1; j <= lb; j++) {
			size_t cost = a[i - 1] != b[j - 1], best = d[i - 1][j - 1] + cost;
			if (d[i - 1][j] + 1 < best)
				best = d[i - 1][j] + 1;
			if (d[i][j - 1] + 1 < best)
				best = d[i][j - 1] + 1;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
			    d[i - 2][j - 2] + 1 < best)
				best = d[i - 2][j - 2] + 1;
			d[i][j] = best;
		}
	}
	return d[la][lb];
}

static int unknown_command(const char *name)
{
	const struct command *best = NULL;
	size_t i, best_distance = 3;

	for (i = 0; i < COMMAND_COUNT; i++) {
		size_t distance = edit_distance(name, commands[i].name);
		if (!strncmp(name, commands[i].name, strlen(name)) && strlen(name) >= 2)
			distance = 1;
		if (distance < best_distance) {
			best_distance = distance;
			best = &commands[i];
		}
	}
	if (best)
		return hub_error(HUB_EUSAGE, "'%s' is not a hub command; did you mean '%s'?",
				 name, best->name);
	return hub_error(HUB_EUSAGE, "'%s' is not a hub command (see 'hub --help')", name);
}

int hub_run_command(int argc, char **argv)
{
	const struct command *cmd = find_command(argv[0]);
	if (!cmd)
		return unknown_command(argv[0]);
	return cmd->run(argc, argv);
}

/* Installed always: -v may come after the command, where only the
 * command's opt_parse sees it. */
static void log_to_stderr(const char *line)
{
	if (hub_globals.verbose)
		fprintf(stderr, "hub: %s\n", line);
}

void hub_notice(const char *line)
{
	if (!hub_globals.quiet)
		fprintf(stderr, "hub: %s\n", line);
}

/* Global options before the command: consumed here, the rest is the
 * command's. Returns the index of the command word, or argc. */
static int leading_globals(int argc, char **argv, int *status)
{
	int i;

	for (i = 1; i < argc; i++) {
		char *arg = argv[i];
		char *one[3];
		int n = 2, parsed;

		if (arg[0] != '-' || arg[1] == '\0')
			return i;
		if (!strcmp(arg, "--"))
			return i + 1;
		one[0] = argv[0];
		one[1] = arg;
		one[2] = NULL;
		/* A global option that takes a separate value: take it too. */
		if (i + 1 < argc && (!strcmp(arg, "-d") || !strcmp(arg, "--dir"))) {
			char *two[4] = { argv[0], arg, argv[i + 1], NULL };
			parsed = opt_parse(&hub_usage, 3, two);
			i++;
		} else {
			parsed = opt_parse(&hub_usage, n, one);
		}
		if (parsed < 0) {
			*status = parsed == OPT_HELP_SHOWN ? HUB_OK : HUB_EUSAGE;
			return -1;
		}
		if (parsed > 0)
			return i;
	}
	return argc;
}

static const char *base_name(const char *path)
{
	const char *slash = strrchr(path, '/');
	return slash ? slash + 1 : path;
}

int main(int argc, char **argv)
{
	const char *self = base_name(argv[0]);
	int status = HUB_OK, first;

	setvbuf(stdout, NULL, _IOFBF, 1 << 16);
	if (!strncmp(self, "hub-", 4) && hub_is_command(self + 4)) {
		/* Busybox style: hub-list ARGS is hub list ARGS. Any other name
		 * (hub-x86_64, hub-static) is plain hub. */
		argv[0] = (char *)self + 4;
		first = 0;
	} else {
		first = leading_globals(argc, argv, &status);
		if (first < 0)
			goto done;
		if (first >= argc) {
			opt_print_help(&hub_usage);
			goto done;
		}
	}
	hub_log_set_sink(log_to_stderr);
	status = hub_run_command(argc - first, argv + first);
done:
	fflush(stdout);
	if (status && *hub_error_message())
		fprintf(stderr, "hub: %s\n", hub_error_message());
	return status;
}
