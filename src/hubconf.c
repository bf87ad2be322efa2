/*
 * hubconf.c - entrypoints and docs of a hubconf.py, as torch.hub.list and
 * torch.hub.help see them: the reporting layer over pyeval.c, which runs
 * hubconf.py's module-level code (and the repository modules it imports)
 * over abstract values.
 *
 * The list is dir(hubconf) sorted, names not starting with '_', whose value
 * is callable. A value hub could not compute is a warning naming the file,
 * the line and the construct, never a silent guess.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "err.h"
#include "hubconf.h"
#include "pyast.h"
#include "pyeval.h"
#include "pyeval_reach.h"
#include "weights.h"
#include "pyeval_impl.h"
#include "pyparse.h"
#include "pyscan.h"
#include "util.h"

#define DOC_MAX ((size_t)16 << 20)

struct hc_name {
	char *name;
	struct pv *value;       /* after resolving names from outside */
	struct pv *outside_value;       /* the name from outside it was read for */
	int listed;             /* public and callable (or assumed so) */
	int assumed;            /* listed on an assumption, with a warning */
};

struct hubconf {
	char *repo;
	struct pyeval *ev;
	struct hc_name *names;
	size_t name_count;
	char **all_names;       /* for hubconf_names */
	char **deps;
	size_t dep_count;
	char **warnings;
	size_t warn_count;
	int listed;             /* the list was worked out */
	char **inputs;          /* hubconf_inputs */
	size_t input_count;
};

static void add_warning(struct hubconf *hc, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void add_warning(struct hubconf *hc, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	lines_add_unique_v(&hc->warnings, &hc->warn_count, fmt, ap);
	va_end(ap);
}

static int compare_names(const void *a, const void *b)
{
	return strcmp(((const struct hc_name *)a)->name, ((const struct hc_name *)b)->name);
}

static void read_dependencies(struct hubconf *hc)
{
	struct pv *v = pyeval_global(hc->ev, "dependencies");
	const char **items = NULL;
	long n, k;

	if (!v)
		return;
	n = pyeval_string_list(v, &items);
	if (n < 0) {
		add_warning(hc, "hubconf.py:%u: dependencies is not a list of string literals",
			    pyeval_global_line(hc->ev, "dependencies"));
		return;
	}
	hc->deps = xcalloc((size_t)n + 1, sizeof(*hc->deps));
	for (k = 0; k < n; k++)
		hc->deps[k] = xstrdup(items[k]);
	hc->dep_count = (size_t)n;
	free(items);
}

int hubconf_open(const char *repo_dir, const struct hubconf_options *options, struct hubconf **out)
{
	struct hubconf *hc = xcalloc(1, sizeof(*hc));
	struct pyeval_options eo;
	const char *const *w;
	size_t n, k;
	int status;

	*out = hc;
	hc->repo = xstrdup(repo_dir);
	memset(&eo, 0, sizeof(eo));
	eo.repo = hc->repo;
	if (options) {
		eo.library = options->library;
		eo.library_count = options->library_count;
		eo.max_steps = options->max_steps;
	}
	status = pyeval_run(&eo, "hubconf.py", &hc->ev);
	n = pyeval_warnings(hc->ev, &w);
	for (k = 0; k < n; k++)
		add_warning(hc, "%s", w[k]);
	if (status)
		return status;
	n = pyeval_global_count(hc->ev);
	hc->names = xcalloc(n + 1, sizeof(*hc->names));
	for (k = 0; k < n; k++) {
		const char *name = pyeval_global_name(hc->ev, k);
		struct pv *v = pyeval_global_value(hc->ev, k);

		if (!name || !v)
			continue;
		hc->names[hc->name_count].name = xstrdup(name);
		hc->names[hc->name_count].value = v;
		hc->name_count++;
	}
	qsort(hc->names, hc->name_count, sizeof(*hc->names), compare_names);
	hc->all_names = xcalloc(hc->name_count + 1, sizeof(*hc->all_names));
	for (k = 0; k < hc->name_count; k++)
		hc->all_names[k] = hc->names[k].name;
	read_dependencies(hc);
	return HUB_OK;
}

void hubconf_free(struct hubconf *hc)
{
	size_t k;

	if (!hc)
		return;
	pyeval_free(hc->ev);
	for (k = 0; k < hc->name_count; k++)
		free(hc->names[k].name);
	free(hc->names);
	free(hc->all_names);
	for (k = 0; k < hc->dep_count; k++)
		free(hc->deps[k]);
	free(hc->deps);
	for (k = 0; k < hc->warn_count; k++)
		free(hc->warnings[k]);
	free(hc->warnings);
	for (k = 0; k < hc->input_count; k++)
		free(hc->inputs[k]);
	free(hc->inputs);
	free(hc->repo);
	free(hc);
}

size_t hubconf_files(const struct hubconf *hc, const char *const **paths)
{
	if (!hc->ev) {
		*paths = NULL;
		return 0;
	}
	return pyeval_files(hc->ev, paths);
}

size_t hubconf_inputs(struct hubconf *hc, const char *const **paths)
{
	const char *const *files, *const *dirs;
	size_t nf = hubconf_files(hc, &files), nd = hubconf_dirs(hc, &dirs), k;

	for (k = 0; k < hc->input_count; k++)
		free(hc->inputs[k]);
	free(hc->inputs);
	hc->inputs = xcalloc(nf + nd + 1, sizeof(*hc->inputs));
	hc->input_count = 0;
	for (k = 0; k < nf; k++)
		hc->inputs[hc->input_count++] = xstrdup(files[k]);
	for (k = 0; k < nd; k++)
		hc->inputs[hc->input_count++] = xasprintf("%s/", dirs[k]);
	*paths = (const char *const *)hc->inputs;
	return hc->input_count;
}

size_t hubconf_dirs(const struct hubconf *hc, const char *const **dirs)
{
	if (!hc->ev) {
		*dirs = NULL;
		return 0;
	}
	return pyeval_dirs(hc->ev, dirs);
}

static struct hc_name *find_name(struct hubconf *hc, const char *name)
{
	struct hc_name key;

	key.name = (char *)name;
	return bsearch(&key, hc->names, hc->name_count, sizeof(*hc->names), compare_names);
}

static int is_public(const char *name)
{
	return name[0] != '_';
}

/* What Python's callable() says of n's value, reading names from outside
 * the repository on the library path; warns where hub cannot tell. */
static void classify(struct hubconf *hc, struct hc_name *n, int warn)
{
	struct pv *v = n->value;
	const char *file, *outside;
	unsigned line;

	if (v->kind == K_BUILTIN && !n->outside_value) {
		const char *name, *mod = pyeval_builtin_origin(hc->ev, v, &name);
		if (mod) {
			/* modelled, and documented by its source on the library path */
			struct pv *o = pyeval_outside(hc->ev, mod, name);
			struct pv *r = pyeval_resolve(hc->ev, o);

			n->outside_value = o;
			if (r != o && r->kind != K_OPAQUE)
				n->value = v = r;
		}
	}
	if (v->kind == K_OPAQUE) {
		struct pv *r = pyeval_resolve(hc->ev, v);
		if (r != v && r->kind != K_OPAQUE) {
			n->value = r;
			n->outside_value = v;
			v = r;
		}
	}
	switch (pyeval_callable(hc->ev, v)) {
	case PV_CALLABLE:
		n->listed = 1;
		return;
	case PV_NOT_CALLABLE:
		return;
	case PV_MAYBE_CALLABLE:
		break;
	}
	if (v->kind == K_OPAQUE) {
		n->listed = 1;
		n->assumed = 1;
		return;
	}
	if (v->kind == K_UNKNOWN && pyeval_decorated(v)) {
		n->listed = 1;
		n->assumed = 1;
		if (warn) {
			const char *what = pyeval_unknown(v, &file, &line);
			add_warning(hc, "%s:%u: '%s' is decorated by %s: listed as callable, with the def's signature and docstring; --exact asks Python",
				    file, line, n->name, what);
		}
		return;
	}
	if (v->kind == K_INSTANCE) {
		n->listed = 1;
		n->assumed = 1;
		pyeval_site(v, &file, &line, &outside);
		if (warn)
			add_warning(hc, "hubconf.py: '%s' is an instance of a class from outside the repository: listed as callable; --exact asks Python",
				    n->name);
		return;
	}
	if (warn && v->kind == K_UNKNOWN) {
		const char *what = pyeval_unknown(v, &file, &line);
		add_warning(hc, "%s:%u: '%s' is bound to %s: hub cannot tell whether it is callable (not listed); --exact asks Python",
			    file, line, n->name, what);
	}
}

static void fill_entry(struct hubconf *hc, struct hc_name *n, struct hubconf_entry *e)
{
	const char *file, *outside;
	unsigned line;
	struct pv *v = n->value;
	const char *def = pyeval_def_name(v);

	memset(e, 0, sizeof(*e));
	e->name = xstrdup(n->name);
	pyeval_site(n->outside_value ? n->outside_value : v, &file, &line, &outside);
	if (n->outside_value || v->kind == K_OPAQUE || v->kind == K_BUILTIN ||
	    (v->kind == K_CLASS && v->id) || (file && file[0] == '/')) {
		if (!outside && v->kind == K_OPAQUE)
			outside = v->u.opaque.module;
		e->outside = xstrdup(outside ? outside : "builtins");
		e->where = xasprintf("hubconf.py:%u", pyeval_global_line(hc->ev, n->name));
		e->kind = HUBCONF_IMPORTED;
		if (v->kind == K_BUILTIN && v->id == B_PARTIAL) {
			free(e->outside);
			e->outside = xstrdup("functools");
		}
		return;
	}
	e->where = xasprintf("%s:%u", file ? file : "hubconf.py", line);
	switch (pyeval_global_how(hc->ev, n->name)) {
	case PV_BOUND_IMPORT:
		e->kind = HUBCONF_IMPORTED;
		break;
	case PV_BOUND_DEF:
		e->kind = v->kind == K_CLASS ? HUBCONF_CLASS : HUBCONF_FUNCTION;
		break;
	default:
		if (v->kind == K_FUNCTION && pyeval_in_main(hc->ev, v) && def &&
		    !strcmp(def, "<lambda>"))
			e->kind = HUBCONF_FUNCTION;
		else
			e->kind = HUBCONF_ALIAS;
		break;
	}
}

struct outside_group {
	unsigned line;
	const char *module;
	struct buf names;
};

static int compare_groups(const void *a, const void *b)
{
	const struct outside_group *x = a, *y = b;

	if (x->line != y->line)
		return x->line < y->line ? -1 : 1;
	return strcmp(x->module, y->module);
}

static void work_out_list(struct hubconf *hc)
{
	struct outside_group *groups = NULL;
	size_t k, g, group_count = 0;

	if (hc->listed)
		return;
	hc->listed = 1;
	for (k = 0; k < hc->name_count; k++) {
		struct hc_name *n = &hc->names[k];
		const char *why, *file, *mod;
		unsigned line;

		if (!is_public(n->name))
			continue;
		classify(hc, n, strcmp(n->name, "dependencies") != 0);
		if (!n->listed)
			continue;
		if ((why = pyeval_global_conditional(hc->ev, n->name, &file, &line)))
			add_warning(hc, "%s:%u: '%s' is defined %s: listed as if it runs; --exact asks Python",
				    file, line, n->name, why);
		if (n->value->kind != K_OPAQUE)
			continue;
		/* one warning per import statement and module */
		mod = n->value->u.opaque.module;
		line = pyeval_global_line(hc->ev, n->name);
		for (g = 0; g < group_count; g++)
			if (groups[g].line == line && !strcmp(groups[g].module, mod))
				break;
		if (g == group_count) {
			groups = xrealloc(groups, (group_count + 1) * sizeof(*groups));
			groups[g].line = line;
			groups[g].module = mod;
			buf_init(&groups[g].names, BUF_NOLIMIT, "warning");
			group_count++;
		} else {
			buf_addstr(&groups[g].names, ", ");
		}
		buf_addstr(&groups[g].names, n->name);
	}
	if (group_count)
		qsort(groups, group_count, sizeof(*groups), compare_groups);
	for (g = 0; g < group_count; g++) {
		add_warning(hc, "hubconf.py:%u: assumed callable, imported from '%s' outside the repository: %s",
			    groups[g].line, groups[g].module, buf_str(&groups[g].names));
		buf_free(&groups[g].names);
	}
	free(groups);
	if (pyeval_main_incomplete(hc->ev))
		add_warning(hc, "hubconf.py: names hub could not see may be bound (see the warnings above); --exact asks Python");
}

int hubconf_list(struct hubconf *hc, struct hubconf_entry **entries, size_t *count)
{
	struct hubconf_entry *list = NULL;
	size_t n = 0, k;

	work_out_list(hc);
	for (k = 0; k < hc->name_count; k++) {
		if (!is_public(hc->names[k].name) || !hc->names[k].listed)
			continue;
		list = xrealloc(list, (n + 1) * sizeof(*list));
		fill_entry(hc, &hc->names[k], &list[n++]);
	}
	*entries = list;
	*count = n;
	return HUB_OK;
}

void hubconf_entries_free(struct hubconf_entry *entries, size_t count)
{
	size_t k;

	for (k = 0; k < count && entries; k++) {
		free(entries[k].name);
		free(entries[k].where);
		free(entries[k].outside);
	}
	free(entries);
}

int hubconf_find(struct hubconf *hc, const char *name, struct hubconf_entry *entry)
{
	struct hc_name *n = find_name(hc, name);

	if (n) {
		if (is_public(name))
			work_out_list(hc);
		else
			classify(hc, n, 1);
		if (n->listed) {
			fill_entry(hc, n, entry);
			return HUB_OK;
		}
	}
	return hub_error(HUB_ENOTFOUND, "'%s' is not a callable entrypoint of %s/hubconf.py",
			 name, hc->repo);
}

size_t hubconf_names(struct hubconf *hc, const char *const **names)
{
	*names = (const char *const *)hc->all_names;
	return hc->name_count;
}

size_t hubconf_dependencies(const struct hubconf *hc, const char *const **deps)
{
	*deps = (const char *const *)hc->deps;
	return hc->dep_count;
}

size_t hubconf_warnings(const struct hubconf *hc, const char *const **warnings)
{
	*warnings = (const char *const *)hc->warnings;
	return hc->warn_count;
}

int hubconf_describe(struct hubconf *hc, const char *name, struct hubconf_doc *doc)
{
	struct hc_name *n = find_name(hc, name);
	struct buf sig = BUF_INIT(1 << 20, "signature");
	int r;

	memset(doc, 0, sizeof(*doc));
	buf_init(&doc->doc, DOC_MAX, "docstring");
	if (!n)
		return hub_error(HUB_ENOTFOUND, "'%s' is not a callable entrypoint of %s/hubconf.py",
				 name, hc->repo);
	classify(hc, n, 0);
	r = pyeval_doc(hc->ev, n->value, &doc->doc);
	doc->doc_known = r >= 0;
	doc->has_doc = r > 0;
	if (!n->outside_value && !pyeval_signature(hc->ev, n->value, name, &sig))
		doc->signature = buf_detach(&sig);
	buf_free(&sig);
	return HUB_OK;
}

void hubconf_doc_release(struct hubconf_doc *doc)
{
	if (!doc)
		return;
	free(doc->signature);
	doc->signature = NULL;
	buf_free(&doc->doc);
}

int hubconf_summary(const struct hubconf_doc *doc, struct buf *out)
{
	struct buf clean = BUF_INIT(DOC_MAX, "docstring");
	const char *nl;
	int status = HUB_OK;

	if (!doc->has_doc)
		goto done;
	if ((status = py_cleandoc(buf_str(&doc->doc), doc->doc.len, &clean)))
		goto done;
	nl = memchr(buf_str(&clean), '\n', clean.len);
	status = buf_add(out, buf_str(&clean), nl ? (size_t)(nl - buf_str(&clean)) : clean.len);
done:
	buf_free(&clean);
	return status;
}

const char *hubconf_kind_name(enum hubconf_kind kind)
{
	switch (kind) {
	case HUBCONF_FUNCTION: return "function";
	case HUBCONF_CLASS: return "class";
	case HUBCONF_IMPORTED: return "imported";
	case HUBCONF_ALIAS: return "alias";
	}
	return "?";
}

int hubconf_weights(struct hubconf *hc, const char *name, struct pyeval_reach *out)
{
	return pyeval_reach_entry(hc->ev, name, weights_is_weight_url, out);
}
