/*
 * fetch.h - get a repository into the cache: the one entry point that
 * list, help, load and download share.
 *
 * fetch_spec_dir() turns SPEC text into the folder holding the repository's
 * hubconf.py: a local directory as it is (source='local'), or the torch.hub
 * cache folder <hub dir>/<owner>_<name>_<ref>, downloading it first when it
 * is missing (or when force_reload is set). The returned string is the
 * caller's to free.
 */
#ifndef HUB_FETCH_H
#define HUB_FETCH_H

#include <stddef.h>

struct fetch_options {
	int force_reload;     /* --force-reload */
	int skip_validation;  /* --skip-validation */
	int offline;          /* --offline or HUB_OFFLINE=1: no socket */
	int progress;         /* a progress line on stderr is wanted */
};

/* The option-table entries (opt.h) of every command that fetches a
 * repository, storing into two ints of the command's. */
#define FETCH_OPTS(force_reload, skip_validation)                               \
	{ 0, "force-reload", OPT_FLAG, &(force_reload), 0, NULL,                \
	  "fetch again even if cached (the old copy stays usable until then)" },\
	{ 0, "skip-validation", OPT_FLAG, &(skip_validation), 0, NULL,          \
	  "skip the API check that the ref is a branch, a tag or a head" }

/* Fills in the fields hub's global options and environment decide. */
void fetch_options_init(struct fetch_options *opts);

/* What one SPEC of a batch came to. Strings are the caller's: free with
 * fetch_result_free. */
struct fetch_result {
	int status;       /* err.h */
	char *dir;        /* the repository folder, when status is HUB_OK */
	char *error;      /* the message, when not */
	int is_local;     /* a local directory SPEC */
	int cached;       /* found in the cache: no download */
};

/* Several SPECs at once (hub download A B C): the archives download in
 * parallel. results[i] answers specs[i]. Returns HUB_OK when every SPEC
 * succeeded, else the first failure's status with its message recorded. */
int fetch_specs(const char *const *specs, size_t count, const struct fetch_options *opts,
		struct fetch_result *results);
void fetch_result_free(struct fetch_result *result);

/* dir_out: the repository folder. is_local: 1 for a local directory SPEC
 * (may be NULL). */
int fetch_spec_dir(const char *spec, const struct fetch_options *opts,
		   char **dir_out, int *is_local);

#endif
