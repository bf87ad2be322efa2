/*
 * fetch.c - get-or-download a repository into the cache.
 */
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "fetch.h"
#include "hub.h"
#include "opt.h"
#include "util.h"

void fetch_options_init(struct fetch_options *opts)
{
	const char *offline = getenv("HUB_OFFLINE");

	memset(opts, 0, sizeof(*opts));
	opts->offline = hub_globals.offline || (offline && *offline && strcmp(offline, "0"));
	opts->progress = !hub_globals.quiet && is_terminal(2);
}

/* A SPEC names a local directory when it exists on disk as a directory
 * holding hubconf.py, or is written as a path (starts with / . or ~). */
static int local_dir(const char *spec, char **dir_out)
{
	char *dir, *hubconf;
	int looks_local = spec[0] == '/' || spec[0] == '.' || spec[0] == '~';

	dir = path_absolute(spec);
	hubconf = path_join(dir, "hubconf.py");
	if (path_is_dir(dir) && path_exists(hubconf)) {
		free(hubconf);
		*dir_out = dir;
		return HUB_OK;
	}
	free(hubconf);
	if (looks_local) {
		int status = path_is_dir(dir)
			? hub_error(HUB_ENOTFOUND, "%s: no hubconf.py in this directory", spec)
			: hub_error(HUB_ENOTFOUND, "%s: no such directory", spec);
		free(dir);
		return status;
	}
	free(dir);
	return HUB_ENOTFOUND;
}

int fetch_spec_dir(const char *spec, const struct fetch_options *opts,
		   char **dir_out, int *is_local)
{
	int status;

	hub_error_clear();
	status = local_dir(spec, dir_out);

	if (is_local)
		*is_local = status == HUB_OK;
	if (status != HUB_ENOTFOUND || *hub_error_message())
		return status;
	return hub_error(HUB_EUNIMPLEMENTED, "%s: fetching from GitHub is not implemented yet", spec);
}
