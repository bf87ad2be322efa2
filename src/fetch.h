/*
 * fetch.h - get a repository into the cache: the one entry point that
 * list, help, load and download share.
 *
 * fetch_spec_dir() turns SPEC text into the folder holding the repository's
 * hubconf.py: a local directory as it is (source='local'), or the torch.hub
 * cache folder <hub dir>/<owner>_<name>_<ref>, downloading it first when it
 * is missing (or when force_reload is set, or update finds that the branch
 * moved). The returned string is the caller's to free.
 *
 * API requests (the REST API's 60 an hour without a token): none for a
 * cached SPEC, none for a branch or tag name (the archive URL answers 404
 * for one that does not exist), torch.hub's fork check for a ref that may
 * be a commit id (7-40 hex digits), one conditional request per cached
 * branch under --update.
 */
#ifndef HUB_FETCH_H
#define HUB_FETCH_H

#include <stddef.h>

struct fetch_options {
	int force_reload;     /* --force-reload */
	int skip_validation;  /* --skip-validation */
	int update;           /* --update: a cached branch is fetched again
			       * when its head moved (one conditional request) */
	int all_or_nothing;   /* publish nothing unless every SPEC succeeded */
	/* With all_or_nothing: called once every repository is extracted and
	 * checked, before any is published (and so also when all were
	 * cached); non-zero, with its message recorded, publishes nothing. */
	int (*before_publish)(void *ctx);
	void *before_publish_ctx;
	int offline;          /* --offline or HUB_OFFLINE=1: no socket */
	int progress;         /* a progress line on stderr is wanted */
	/* Where the one-line news of --update goes ("up to date", "updated
	 * from X to Y"); NULL: nowhere. fetch_options_init installs the
	 * command layer's printer unless -q. */
	void (*notice)(const char *line);
};

/* --update, set by any command's FETCH_OPTS; fetch_options_init reads it. */
extern int fetch_update_option;

/* The option-table entries (opt.h) of every command that fetches a
 * repository, storing into two ints of the command's (and --update into
 * fetch_update_option). */
#define FETCH_OPTS(force_reload, skip_validation)                               \
	{ 0, "force-reload", OPT_FLAG, &(force_reload), 0, NULL,                \
	  "fetch again even if cached (the old copy stays usable until then)" },\
	{ 0, "update", OPT_FLAG, &fetch_update_option, 0, NULL,                 \
	  "fetch a cached branch again if its head moved (one 304 if not)" },   \
	{ 0, "skip-validation", OPT_FLAG, &(skip_validation), 0, NULL,          \
	  "skip the API check that a commit id is a head of a branch or tag" }

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
	char *spec;       /* owner/name:ref with the ref in use (the default
			   * branch when none was given); NULL when local */
	char *commit;     /* the folder's commit (full SHA) when known */
	char *note;       /* --update's one line about it, or NULL */
};

/* Several SPECs at once (hub download A B C): the archives download in
 * parallel. results[i] answers specs[i]. Returns HUB_OK when every SPEC
 * succeeded, else the first failure's status with its message recorded. */
int fetch_specs(const char *const *specs, size_t count, const struct fetch_options *opts,
		struct fetch_result *results);
void fetch_result_free(struct fetch_result *result);

/*
 * hub download --locked: each SPEC (with its ref) at exactly commit
 * commits[i] (40 hex digits), in the SPEC's usual folder. A folder whose
 * record says it holds that commit is used as it is (no connection at
 * all); any other is fetched as the archive of the commit (no API
 * request), checked against it (HUB_EINTEGRITY naming the SPEC when the
 * archive's commit differs, or GitHub has no such commit) and swapped in
 * atomically. Nothing is published unless every SPEC succeeded (and
 * opts->before_publish, when set, agreed).
 */
int fetch_pinned(const char *const *specs, const char *const *commits, size_t count,
		 const struct fetch_options *opts, struct fetch_result *results);

/* A temporary folder <hub dir>/.hub/tmp/<prefix>.XXXXXX, held with a flock
 * on *fd_out for as long as that stays open, so no other hub's sweep of
 * dead hubs' leftovers takes it. The caller removes it, then closes. */
int fetch_make_temp(const char *hub_dir, const char *prefix, char **path_out, int *fd_out);

/* dir_out: the repository folder. is_local: 1 for a local directory SPEC
 * (may be NULL). */
int fetch_spec_dir(const char *spec, const struct fetch_options *opts,
		   char **dir_out, int *is_local);

#endif
