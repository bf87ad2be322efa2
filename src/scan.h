/*
 * scan.h - what list and help answer about a repository, computed once
 * and kept: every name hubconf.py binds, with its kind, definition site,
 * signature and docstring, the dependencies list and the warnings.
 *
 * scan_open evaluates the repository (hubconf.c) and records the answers
 * for every name, or reads them back from <hub dir>/.hub/scan/<key> when
 * nothing they depend on has changed. The key is the repository folder's
 * real path and the library path; what they depend on is every file the
 * evaluation read and every directory in which it looked a module up
 * (their device, inode, size and modification time, as Python's own
 * import caches check directories), and hub's version. An input modified
 * within 50 ms before the evaluation started might change again within
 * the same tick of the clock that stamps files, so such a result is not
 * kept (git's "racy clean" rule).
 *
 * Both ways the commands see the same struct scan, so what a reused
 * answer prints cannot drift from what a fresh one prints.
 *
 * Memory: a struct scan owns everything in it; scan_free releases it.
 * The weights of a name are kept only once help NAME or download asked
 * for them (scan_weights).
 */
#ifndef HUB_SCAN_H
#define HUB_SCAN_H

#include <stddef.h>

#include "hubconf.h"
#include "pyeval_reach.h"
#include "pypath.h"

struct scan_name {
	char *name;
	int listed;                     /* in torch.hub.list's answer */
	int found;                      /* a callable: entry and doc are set */
	struct hubconf_entry entry;
	struct hubconf_doc doc;
	char **warnings;                /* what help NAME adds to the warnings */
	size_t warning_count;
	int weights_known;              /* scan_weights has filled weights */
	struct pyeval_reach weights;
};

struct scan {
	struct scan_name *names;        /* every name considered, sorted */
	size_t count;
	size_t *listed;                 /* indexes of the listed names, in order */
	size_t listed_count;
	char **dependencies;
	size_t dependency_count;
	char **warnings;                /* the evaluation's own */
	size_t warning_count;
	int reused;                     /* read back from .hub/scan */
	/* what scan_weights needs to evaluate again and rewrite the file */
	char *repo_dir, *file, *key;
	struct pypath library;
};

/*
 * Answers for repo_dir. hub_dir may be NULL: nothing is kept or reused.
 * Fails as hubconf_open fails (hubconf.py unreadable, a syntax error, a
 * cap), and then keeps nothing.
 */
int scan_open(const char *hub_dir, const char *repo_dir, const struct pypath *library,
	      struct scan **out);
void scan_free(struct scan *scan);

/*
 * The weight files name can download (pyeval_reach.h). They are computed
 * only when asked (an abstract call of every entrypoint of a big registry
 * would slow every list), by evaluating the repository again, and kept
 * with the other answers, so the next help NAME reads them back.
 */
int scan_weights(struct scan *scan, const char *name, const struct pyeval_reach **out);

/* Removes from hub_dir's .hub/scan the answers whose repository folder
 * no longer exists (purge calls it after removing folders). */
void scan_prune(const char *hub_dir);

/* The record of name, or NULL when hubconf.py binds no such name. */
const struct scan_name *scan_lookup(const struct scan *scan, const char *name);

#endif
