/*
 * hubconf.h - the entrypoints of a repository's hubconf.py and their
 * documentation: what torch.hub.list and torch.hub.help answer, without
 * running Python.
 *
 * hubconf_open evaluates hubconf.py (pyeval.h): its module-level code runs
 * over abstract values, the repository's modules it imports too, names
 * from outside the repository read on the interpreter's library path when
 * one is given. The list is dir(hubconf) sorted, public names whose value
 * is callable.
 *
 * Where hub cannot compute a value (a call of code from outside, a
 * condition on the environment, exec of unknown code ...), hubconf records
 * a warning naming the file, the line and the construct; the caller prints
 * them. Nothing here prints.
 *
 * Memory: the struct hubconf owns the evaluation (sources, trees, values)
 * until hubconf_free, and everything it hands out through const pointers.
 * Entries and docs filled in for the caller are the caller's, freed with
 * hubconf_entries_free and hubconf_doc_release.
 */
#ifndef HUB_HUBCONF_H
#define HUB_HUBCONF_H

#include <stddef.h>

#include "buf.h"

enum hubconf_kind {
	HUBCONF_FUNCTION,   /* def, async def, lambda in hubconf.py */
	HUBCONF_CLASS,      /* class in hubconf.py */
	HUBCONF_IMPORTED,   /* from X import name, from X import * */
	HUBCONF_ALIAS       /* name = other_callable, functools.partial(...) */
};

/* "function", "class", "imported", "alias": the kind's name in --json. */
const char *hubconf_kind_name(enum hubconf_kind kind);

struct hubconf_entry {
	char *name;
	enum hubconf_kind kind;
	char *where;        /* "path:line", relative to the repository, where the
			     * callable is defined (or imported, when its source
			     * is outside the repository) */
	char *outside;      /* the module it comes from when that is outside the
			     * repository, else NULL: no source to read */
};

struct hubconf_doc {
	char *signature;    /* "name(params) -> ret", one line; NULL when unknown */
	int has_doc;        /* __doc__ is a str (else None, or unknown) */
	int doc_known;      /* 0: defined outside the repository or at run time */
	struct buf doc;     /* __doc__, exactly, when has_doc */
};

struct hubconf;

struct hubconf_options {
	const char *const *library;     /* the interpreter's library path */
	size_t library_count;           /* 0: modules from outside are opaque */
	unsigned long long max_steps;   /* 0: pyeval's default */
};

/* Evaluates <repo_dir>/hubconf.py (pyeval.c). Fails (file:line) when
 * Python could not compile it, or when the evaluation exceeds a cap.
 * options may be NULL. *out is set even on failure (free it). */
int hubconf_open(const char *repo_dir, const struct hubconf_options *options, struct hubconf **out);
/* The files the evaluation read and the directories it looked modules up
 * in (absolute, or under repo_dir), for a cache keyed on their stat data. */
size_t hubconf_files(const struct hubconf *hc, const char *const **paths);
size_t hubconf_dirs(const struct hubconf *hc, const char *const **dirs);
void hubconf_free(struct hubconf *hc);

/* What torch.hub.list returns: public callable names in dir() order. */
int hubconf_list(struct hubconf *hc, struct hubconf_entry **entries, size_t *count);
void hubconf_entries_free(struct hubconf_entry *entries, size_t count);

/* ENTRY as torch.hub.help finds it (private names too). HUB_ENOTFOUND when
 * it is not a callable of hubconf.py. */
int hubconf_find(struct hubconf *hc, const char *name, struct hubconf_entry *entry);
/* Signature and __doc__ of ENTRY (found by hubconf_find). */
int hubconf_describe(struct hubconf *hc, const char *name, struct hubconf_doc *doc);
void hubconf_doc_release(struct hubconf_doc *doc);
/* The first line of inspect.cleandoc(doc), appended to out ("" when none). */
int hubconf_summary(const struct hubconf_doc *doc, struct buf *out);

/* All names bound in hubconf.py that the list considered, public and
 * private, for "did you mean". Valid until hubconf_free. */
size_t hubconf_names(struct hubconf *hc, const char *const **names);

/* hubconf.py's `dependencies` list (string literals). */
size_t hubconf_dependencies(const struct hubconf *hc, const char *const **deps);

/* What the answers so far depend on: the files read and the directories
 * in which a module was looked up (those end in '/'), absolute or
 * relative to the working directory. Valid until hubconf_free. */
size_t hubconf_inputs(struct hubconf *hc, const char *const **paths);

/* The weight files ENTRY can download, found by following its definition
 * through the evaluated repository (pyeval_reach.h). */
struct pyeval_reach;
int hubconf_weights(struct hubconf *hc, const char *name, struct pyeval_reach *out);

/* Warnings gathered so far, one line each ("file:line: what"). */
size_t hubconf_warnings(const struct hubconf *hc, const char *const **warnings);

#endif
