/*
 * hub set-dir [DIR] | --unset: show or persist the hub dir.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cjson/cJSON.h>

#include "err.h"
#include "hub.h"
#include "hubdir.h"
#include "opt.h"
#include "util.h"

static int unset;

static const struct opt opts[] = {
	{ 0, "unset", OPT_FLAG, &unset, 0, NULL, "forget the persisted hub dir" },
	{ 0 }
};

static const struct usage usage = {
	"set-dir", "[DIR]",
	"Without DIR, print the hub dir in effect (on stdout) and where it comes\n"
	"from: --dir, this setting, TORCH_HOME, XDG_CACHE_HOME or the default.\n"
	"With DIR, make it absolute and store it in $XDG_CONFIG_HOME/hub/config, then\n"
	"say how Python's torch.hub finds the same directory. --unset removes it.\n",
	opts
};

static void print_json(const struct hubdir *dir, const char *hint)
{
	cJSON *root = cJSON_CreateObject();
	char *text;

	cJSON_AddStringToObject(root, "dir", dir->path);
	cJSON_AddStringToObject(root, "source", hubdir_source_name(dir->source));
	cJSON_AddStringToObject(root, "config", dir->config_path);
	cJSON_AddStringToObject(root, "python", hint);
	text = cJSON_Print(root);
	printf("%s\n", text);
	free(text);
	cJSON_Delete(root);
}

static int show(void)
{
	struct hubdir dir;
	char *hint;
	int status = hubdir_resolve(hub_globals.dir, &dir);

	if (status)
		return status;
	hint = hubdir_python_hint(dir.path);
	if (hub_globals.json) {
		print_json(&dir, hint);
	} else {
		printf("%s\n", dir.path);
		if (!hub_globals.quiet) {
			if (dir.source == HUBDIR_FROM_CONFIG)
				fprintf(stderr, "from: hub set-dir (%s)\n", dir.config_path);
			else
				fprintf(stderr, "from: %s\n", hubdir_source_name(dir.source));
			fprintf(stderr, "python: %s\n", hint);
		}
	}
	free(hint);
	hubdir_free(&dir);
	return HUB_OK;
}

static int store(const char *wanted)
{
	char *path = config_path(), *dir = NULL, *hint = NULL;
	struct config cfg;
	struct stat st;
	int status;

	if ((status = config_read(path, &cfg)))
		goto done;
	if (wanted) {
		if (!*wanted) {
			status = hub_error(HUB_EUSAGE, "set-dir: the directory name is empty");
			goto done;
		}
		dir = path_absolute(wanted);
		if (stat(dir, &st) == 0 && !S_ISDIR(st.st_mode)) {
			status = hub_error(HUB_EFAIL, "set-dir: '%s' exists and is not a directory", dir);
			goto done;
		}
		free(cfg.dir);
		cfg.dir = xstrdup(dir);
	} else {
		free(cfg.dir);
		cfg.dir = NULL;
	}
	if ((status = config_write(path, &cfg)))
		goto done;
	if (wanted) {
		hint = hubdir_python_hint(dir);
		printf("%s\n", dir);
		if (!hub_globals.quiet)
			fprintf(stderr, "saved in: %s\npython: %s\n", path, hint);
	} else if (!hub_globals.quiet) {
		fprintf(stderr, "removed the hub dir setting from %s\n", path);
	}
done:
	config_free(&cfg);
	free(path);
	free(dir);
	free(hint);
	return status;
}

int cmd_set_dir(int argc, char **argv)
{
	int n = opt_parse(&usage, argc, argv);

	if (n < 0)
		return opt_status(n);
	if (n > 1)
		return hub_error(HUB_EUSAGE, "set-dir: too many arguments (expected at most one DIR)");
	if (unset && n)
		return hub_error(HUB_EUSAGE, "set-dir: --unset takes no DIR");
	if (unset)
		return store(NULL);
	if (n == 1)
		return store(argv[1]);
	return show();
}
