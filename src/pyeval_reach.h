/*
 * pyeval_reach.h - the weight files one entrypoint of an evaluated
 * hubconf.py can download, found two ways over the same evaluation
 * (pyeval.h), and united:
 *
 * - abstract execution: the entrypoint is called with every parameter
 *   unknown (both sides of a condition on them run), and the str arguments
 *   of calls into code from outside the repository are recorded; this is
 *   what computes a URL a helper builds from the entrypoint's name;
 * - reachability: from the entrypoint's def (body, decorators, defaults,
 *   annotations, __wrapped__), what its names load is followed through the
 *   repository (functions, classes, Enum members, module-level tables) and
 *   the str expressions met there are evaluated in their scope. A table
 *   read only by key (TABLE[name], name in TABLE, TABLE.get(name)) is left
 *   to the execution, so a dict of per-model URLs does not give every
 *   entrypoint every URL; functions stored in tables are not followed.
 *
 * Docstrings are not code: no URL is taken from them. A URL hub cannot
 * compute is a warning "file:line: ..."; a model-hub id passed to
 * from_pretrained, hf_hub_download or snapshot_download is reported apart.
 *
 * Memory: the struct pyeval_reach owns its strings (pyeval_reach_free).
 */
#ifndef HUB_PYEVAL_REACH_H
#define HUB_PYEVAL_REACH_H

#include <stddef.h>

struct pyeval;

struct pyeval_reach {
	char **urls;            /* in order of discovery, no duplicates */
	size_t url_count;
	char **hub_ids;         /* "org/name" */
	char **hub_id_sites;    /* "file:line" of each */
	size_t hub_id_count;
	char **warnings;        /* "file:line: what" */
	size_t warning_count;
};

/* Which strings are weights (weights_is_weight_url). */
typedef int (*pyeval_reach_keep)(const char *text);

/*
 * The weights of the main module's global name. HUB_ENOTFOUND when the
 * name is not bound. The evaluation's caps bound the work: a cap hit is a
 * warning in out, not a failure.
 */
int pyeval_reach_entry(struct pyeval *ev, const char *name, pyeval_reach_keep keep,
		       struct pyeval_reach *out);
void pyeval_reach_free(struct pyeval_reach *reach);

#endif
