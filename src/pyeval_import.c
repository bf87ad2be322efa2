/*
 * pyeval_import.c - finding, reading and running modules, as Python's
 * import system does for torch.hub: the repository first on sys.path, then
 * the modules hub models (sys, os, functools ...), then the interpreter's
 * library path. A module from the library path is read only when a value
 * from it is asked for (pyeval_resolve), and runs leniently: what fails in
 * it becomes unknown instead of an error.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <dirent.h>

#include "err.h"
#include "pyeval_impl.h"
#include "pyparse.h"
#include "pyscan.h"
#include "util.h"

#define SOURCE_MAX ((size_t)8 << 20)
#define MODULES_MAX 4096

/* Modules compiled into Debian's Python 3.11 (sys.builtin_module_names). */
static const char *const builtin_modules[] = {
	"_abc", "_ast", "_bisect", "_blake2", "_codecs", "_collections", "_csv", "_datetime",
	"_elementtree", "_functools", "_heapq", "_imp", "_io", "_locale", "_md5", "_opcode",
	"_operator", "_pickle", "_posixsubprocess", "_random", "_sha1", "_sha256", "_sha3",
	"_sha512", "_signal", "_socket", "_sre", "_stat", "_statistics", "_string", "_struct",
	"_symtable", "_thread", "_tokenize", "_tracemalloc", "_warnings", "_weakref", "array",
	"atexit", "binascii", "builtins", "cmath", "errno", "faulthandler", "fcntl", "gc", "grp",
	"itertools", "marshal", "math", "posix", "pwd", "pyexpat", "select", "spwd", "sys",
	"syslog", "time", "unicodedata", "xxsubtype", "zlib", NULL
};

static void note_file(struct pyeval *ev, const char *path)
{
	ev->files = xrealloc(ev->files, (ev->file_count + 1) * sizeof(*ev->files));
	ev->files[ev->file_count++] = xstrdup(path);
}

static void note_dir(struct pyeval *ev, const char *dir)
{
	size_t k;

	for (k = 0; k < ev->dir_count; k++)
		if (!strcmp(ev->dirs[k], dir))
			return;
	ev->dirs = xrealloc(ev->dirs, (ev->dir_count + 1) * sizeof(*ev->dirs));
	ev->dirs[ev->dir_count++] = xstrdup(dir);
}

static int is_dir(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

struct evmod *find_loaded(struct pyeval *ev, const char *name)
{
	struct pv *v = dict_get_str(ev->mod_index, name);

	return v ? v->u.mod : NULL;
}

static struct evmod *new_module_as(struct pyeval *ev, const char *name, enum module_origin origin,
				   int listed);

struct evmod *new_module(struct pyeval *ev, const char *name, enum module_origin origin)
{
	return new_module_as(ev, name, origin, 1);
}

static struct evmod *new_module_as(struct pyeval *ev, const char *name, enum module_origin origin,
				   int listed)
{
	struct evmod *m = ev_alloc(ev, sizeof(*m));

	m->name = ev_strndup(ev, name, strlen(name));
	m->origin = origin;
	m->dict = pv_dict_new(ev);
	m->dict->u.dict->owner = m;
	m->value = pv_new(ev, K_MODULE);
	m->value->u.mod = m;
	m->next = ev->mods;
	ev->mods = m;
	ev->module_count++;
	dict_set_str(ev, m->dict, "__name__", pv_strz(ev, name));
	if (listed) {
		dict_set(ev, ev->mod_index, pv_strz(ev, name), m->value);
		dict_set(ev, ev->sys_modules, pv_strz(ev, name), m->value);
	}
	return m;
}

/*
 * A directory's entries, read once (as Python's FileFinder caches them):
 * the module names it can hold, each with what it is there. Sorted, for
 * bsearch.
 */
#define DE_PY 1u        /* NAME.py */
#define DE_DIR 2u       /* NAME/ */
#define DE_EXT 4u       /* NAME.<tag>.so */

struct dir_entry {
	const char *name;
	unsigned what;
};

struct dir_listing {
	const char *path;
	struct dir_entry *entries;
	size_t count;
	struct dir_listing *next;
};

static int compare_entries(const void *a, const void *b)
{
	return strcmp(((const struct dir_entry *)a)->name, ((const struct dir_entry *)b)->name);
}

static struct dir_listing *listing(struct pyeval *ev, const char *dir)
{
	struct dir_listing *l;
	struct dir_entry *tmp = NULL;
	size_t count = 0, cap = 0, k, n;
	struct dirent *e;
	DIR *d;

	for (l = ev->listings; l; l = l->next)
		if (!strcmp(l->path, dir))
			return l;
	l = ev_alloc(ev, sizeof(*l));
	l->path = ev_strndup(ev, dir, strlen(dir));
	l->next = ev->listings;
	ev->listings = l;
	if (!(d = opendir(dir)))
		return l;
	while ((e = readdir(d))) {
		const char *name = e->d_name, *dot;
		unsigned what = 0;
		size_t len = strlen(name);

		if (name[0] == '.')
			continue;
		if (len > 3 && !strcmp(name + len - 3, ".py")) {
			what = DE_PY;
			len -= 3;
		} else if (len > 3 && !strcmp(name + len - 3, ".so") && (dot = strchr(name, '.'))) {
			what = DE_EXT;
			len = (size_t)(dot - name);
		} else if (!strchr(name, '.')) {
			if (e->d_type == DT_DIR)
				what = DE_DIR;
			else if (e->d_type == DT_UNKNOWN || e->d_type == DT_LNK) {
				char *full = path_join(dir, name);
				what = is_dir(full) ? DE_DIR : 0;
				free(full);
			}
		}
		if (!what)
			continue;
		if (count == cap) {
			cap = cap ? 2 * cap : 64;
			tmp = xrealloc(tmp, cap * sizeof(*tmp));
		}
		tmp[count].name = ev_strndup(ev, name, len);
		tmp[count].what = what;
		count++;
	}
	closedir(d);
	if (count)
		qsort(tmp, count, sizeof(*tmp), compare_entries);
	/* one entry per name, what it can be or-ed together */
	l->entries = ev_alloc(ev, (count + 1) * sizeof(*l->entries));
	for (k = 0, n = 0; k < count; k++) {
		if (n && !strcmp(l->entries[n - 1].name, tmp[k].name))
			l->entries[n - 1].what |= tmp[k].what;
		else
			l->entries[n++] = tmp[k];
	}
	l->count = n;
	free(tmp);
	return l;
}

static unsigned dir_has(struct pyeval *ev, const char *dir, const char *name)
{
	struct dir_listing *l = listing(ev, dir);
	struct dir_entry key, *e;

	if (!l->count)
		return 0;
	key.name = name;
	e = bsearch(&key, l->entries, l->count, sizeof(*l->entries), compare_entries);
	return e ? e->what : 0;
}

/*
 * Looks for module `last` (one component) in dir: a package, a module
 * file, an extension, a namespace directory. Returns 1 and sets *path
 * (the file, or the directory for a namespace), *pkg, *ext.
 */
static int find_in_dir(struct pyeval *ev, const char *dir, const char *last, char **path,
		       int *pkg, int *ext, int *ns)
{
	unsigned what;
	char *sub, *f;

	note_dir(ev, dir);
	*pkg = *ext = *ns = 0;
	*path = NULL;
	if (!(what = dir_has(ev, dir, last)))
		return 0;
	sub = path_join(dir, last);
	if (what & DE_DIR) {
		f = path_join(sub, "__init__.py");
		if (dir_has(ev, sub, "__init__") & DE_PY) {
			*path = f;
			*pkg = 1;
			free(sub);
			return 1;
		}
		free(f);
	}
	if (what & DE_PY) {
		*path = xasprintf("%s.py", sub);
		free(sub);
		return 1;
	}
	if (what & DE_EXT) {
		*path = sub;
		*ext = 1;
		return 1;
	}
	*path = sub;
	*ns = 1;
	return 1;
}

static const char *shown_path(struct pyeval *ev, const char *full)
{
	size_t n = strlen(ev->opt.repo);

	if (!strncmp(full, ev->opt.repo, n) && full[n] == '/')
		return ev_strndup(ev, full + n + 1, strlen(full + n + 1));
	return ev_strndup(ev, full, strlen(full));
}

/* Reads and parses m->full; a failure is an ImportError-like state. */
static int read_module(struct pyeval *ev, struct evmod *m)
{
	int status;

	buf_init(&m->source, SOURCE_MAX, m->path);
	note_file(ev, m->full);
	if ((status = read_file(m->full, &m->source)))
		return status;
	ev->total_source += m->source.len;
	if ((status = py_source_prepare(m->path, &m->source)))
		return status;
	if ((status = py_parse(m->path, buf_str(&m->source), m->source.len, &m->tree)))
		return status;
	return HUB_OK;
}

/* Whether a module from the library path may run now: when a value from
 * it is asked for, or when library code imports from its own package. */
int lib_may_load(struct pyeval *ev, struct evmod *m)
{
	size_t n;

	if (ev->import_lazy)
		return 0;
	if (ev->load_library)
		return 1;
	if (!ev->load_top)
		return 0;
	n = strlen(ev->load_top);
	return !strncmp(m->name, ev->load_top, n) && (m->name[n] == '.' || !m->name[n]);
}

/* Runs a module's body once; a module that cannot be read fails. */
void module_load(struct pyeval *ev, struct evmod *m)
{
	int saved_lenient = ev->lenient, status;
	struct pv *saved_exc = ev->exc;
	enum flow saved_flow;

	if (m->state != MS_NEW)
		return;
	if (m->origin == M_LIBRARY && !lib_may_load(ev, m))
		return;
	m->state = MS_RUNNING;
	if (!m->full) {
		m->state = MS_DONE;
		return;
	}
	if (ev->module_count > MODULES_MAX) {
		ev_fatal(ev, "evaluation exceeded %d modules", MODULES_MAX);
		m->state = MS_FAILED;
		return;
	}
	if ((status = read_module(ev, m))) {
		m->state = MS_FAILED;
		m->incomplete = 1;
		if (m == ev->main) {
			ev->main_status = status;
			ev->flow = F_FATAL;
			return;
		}
		if (!ev->lenient && m->origin == M_REPO)
			ev_warn(ev, "%s", hub_error_message());
		hub_error_clear();
		/* Python would stop at it (SyntaxError); hub says so and goes
		 * on, its names unknown */
		return;
	}
	saved_flow = ev->flow;
	if (m->origin == M_LIBRARY) {
		const char *saved_top = ev->load_top, *dot = strchr(m->name, '.');
		int saved_load = ev->load_library;

		ev->lenient = 1;
		ev->load_library = 0;
		ev->load_top = dot ? ev_strndup(ev, m->name, (size_t)(dot - m->name)) : m->name;
		exec_module(ev, m);
		ev->load_top = saved_top;
		ev->load_library = saved_load;
	} else {
		exec_module(ev, m);
	}
	if (m->origin == M_LIBRARY) {
		ev->lenient = saved_lenient;
		if (ev->flow == F_RAISE) {
			ev->flow = saved_flow;
			ev->exc = saved_exc;
			m->incomplete = 1;
		}
	}
	m->state = ev->flow == F_RAISE ? MS_FAILED : MS_DONE;
}

static int is_builtin_module(const char *name)
{
	size_t k;

	for (k = 0; builtin_modules[k]; k++)
		if (!strcmp(builtin_modules[k], name))
			return 1;
	return 0;
}

/* Finds module `name` (its parent already imported, or NULL at the top)
 * and makes its evmod, without running it. NULL: not found. */
static struct evmod *locate(struct pyeval *ev, const char *name, struct evmod *parent)
{
	const char *last = strrchr(name, '.');
	char *path = NULL;
	int pkg, ext, ns;
	struct evmod *m;
	size_t k;

	last = last ? last + 1 : name;
	if (!parent) {
		if (!strcmp(name, "sys") || !strcmp(name, "builtins"))
			return lib_modelled_module(ev, name);
		if (find_in_dir(ev, ev->opt.repo, last, &path, &pkg, &ext, &ns) && !ns) {
			m = new_module(ev, name, M_REPO);
			goto found;
		}
		free(path);
		path = NULL;
		/* directories the code put on sys.path itself */
		if (ev->sys_path) {
			struct pv_seq *sp = ev->sys_path->u.seq;
			for (k = 0; k < sp->count; k++) {
				struct pv *d = sp->items[k];
				size_t j, known = !strcmp(d->kind == K_STR ? d->u.str.s : ev->opt.repo,
							  ev->opt.repo);
				for (j = 0; j < ev->opt.library_count && !known; j++)
					known = !strcmp(d->u.str.s, ev->opt.library[j]);
				if (known)
					continue;
				if (find_in_dir(ev, d->u.str.s, last, &path, &pkg, &ext, &ns) && !ns) {
					size_t n = strlen(ev->opt.repo);
					m = new_module(ev, name, ext ? M_OPAQUE :
						       !strncmp(path, ev->opt.repo, n) && path[n] == '/' ?
						       M_REPO : M_LIBRARY);
					goto found;
				}
				free(path);
				path = NULL;
			}
		}
		if ((m = lib_modelled_module(ev, name)))
			return m;
		for (k = 0; k < ev->opt.library_count; k++) {
			if (find_in_dir(ev, ev->opt.library[k], last, &path, &pkg, &ext, &ns) && !ns) {
				m = new_module(ev, name, ext ? M_OPAQUE : M_LIBRARY);
				goto found;
			}
			free(path);
			path = NULL;
		}
		/* a namespace package: the repository's directory, if any */
		if (find_in_dir(ev, ev->opt.repo, last, &path, &pkg, &ext, &ns)) {
			m = new_module(ev, name, M_NAMESPACE);
			goto found;
		}
		if (is_builtin_module(name) || lib_is_stdlib(name)) {
			m = new_module(ev, name, M_OPAQUE);
			m->state = MS_DONE;
			return m;
		}
		if (!ev->opt.library_count || (!ev->try_depth && !ev->lenient)) {
			/* outside a try, a missing module would only stop
			 * hubconf.py: hub goes on as if it imported */
			if (ev->opt.library_count && !ev->lenient) {
				unsigned line;
				const char *file = ev_where(ev, &line);
				ev_warn(ev, "%s:%u: no module '%s' in the repository or on the library path: hub goes on as if it imports (--python names the interpreter)",
					file, line, name);
			}
			m = new_module(ev, name, M_OPAQUE);
			m->state = MS_DONE;
			m->value->flags |= PVF_UNCERTAIN_IMPORT;
			return m;
		}
		return NULL;
	}
	if ((m = lib_modelled_module(ev, name)))
		return m;
	if (parent->origin == M_OPAQUE || parent->origin == M_MODELLED) {
		m = new_module(ev, name, M_OPAQUE);
		m->state = MS_DONE;
		if (parent->value->flags & PVF_UNCERTAIN_IMPORT)
			m->value->flags |= PVF_UNCERTAIN_IMPORT;
		return m;
	}
	if (!parent->dir)
		return NULL;
	if (!find_in_dir(ev, parent->dir, last, &path, &pkg, &ext, &ns))
		return NULL;
	m = new_module(ev, name, ext ? M_OPAQUE : parent->origin == M_NAMESPACE ?
		       (strncmp(parent->dir, ev->opt.repo, strlen(ev->opt.repo)) ? M_LIBRARY : M_REPO) :
		       parent->origin);
	if (ns)
		m->origin = M_NAMESPACE;
found:
	m->is_package = pkg || ns;
	if (ns) {
		m->dir = ev_strndup(ev, path, strlen(path));
		m->path = shown_path(ev, path);
		m->state = MS_DONE;
	} else if (ext) {
		m->path = shown_path(ev, path);
		m->state = MS_DONE;
	} else {
		m->full = ev_strndup(ev, path, strlen(path));
		m->path = shown_path(ev, path);
		if (pkg) {
			char *slash = strrchr(path, '/');
			m->dir = ev_strndup(ev, path, (size_t)(slash - path));
		}
		dict_set_str(ev, m->dict, "__file__", pv_strz(ev, m->full));
	}
	if (m->is_package && m->dir) {
		struct pv *p = pv_seq_new(ev, K_LIST, 1);
		seq_append(ev, p, pv_strz(ev, m->dir));
		dict_set_str(ev, m->dict, "__path__", p);
	}
	dict_set_str(ev, m->dict, "__doc__", ev->none);
	dict_set_str(ev, m->dict, "__package__",
		     pv_strz(ev, m->is_package ? name : parent ? parent->name : ""));
	free(path);
	return m;
}

/* Imports one dotted name, each parent first, as importlib does. */
static struct evmod *import_one(struct pyeval *ev, const char *name)
{
	struct evmod *m, *parent = NULL;
	const char *dot = strrchr(name, '.');

	if ((m = find_loaded(ev, name))) {
		if (m->state == MS_NEW && (m->origin != M_LIBRARY || lib_may_load(ev, m)))
			module_load(ev, m);
		return m;
	}
	if (dot) {
		char *pname = ev_strndup(ev, name, (size_t)(dot - name));
		if (!(parent = import_one(ev, pname)))
			return NULL;
		if (ev->flow != F_NORMAL)
			return NULL;
		if ((m = find_loaded(ev, name)))
			return m;
	}
	if (!(m = locate(ev, name, parent))) {
		ev_raise(ev, ev->exc_module_not_found, "No module named '%s'", name);
		return NULL;
	}
	if (m->origin != M_LIBRARY || lib_may_load(ev, m))
		module_load(ev, m);
	if (ev->flow != F_NORMAL && m->origin == M_REPO) {
		/* Python drops a module that failed from sys.modules */
		dict_del(ev->mod_index, pv_strz(ev, name));
		dict_del(ev->sys_modules, pv_strz(ev, name));
		return NULL;
	}
	if (parent && parent->dict)
		dict_set(ev, parent->dict, pv_intern(ev, dot + 1, strlen(dot + 1)), m->value);
	return m;
}

/* The absolute name of a relative import from module `from`. */
static const char *resolve_relative(struct pyeval *ev, const char *name, int level,
				    struct evmod *from)
{
	const char *pkg = from->is_package ? from->name : from->name;
	size_t len = strlen(pkg);
	int k;

	if (!from->is_package) {
		const char *dot = strrchr(pkg, '.');
		len = dot ? (size_t)(dot - pkg) : 0;
		if (!dot && strcmp(from->name, "hubconf.py"))
			len = 0;
		if (from == ev->main)
			len = 0;
	}
	for (k = 1; k < level; k++) {
		while (len > 0 && pkg[len - 1] != '.')
			len--;
		if (len > 0)
			len--;
	}
	if (!len) {
		ev_raise(ev, ev->exc_import, "attempted relative import with no known parent package");
		return NULL;
	}
	if (!*name)
		return ev_strndup(ev, pkg, len);
	return ev_printf(ev, "%.*s.%s", (int)len, pkg, name);
}

struct pv *ev_import(struct pyeval *ev, const char *name, int level, struct evmod *from,
		     int want_top)
{
	struct evmod *m;
	const char *dot;

	if (level > 0 && !(name = resolve_relative(ev, name, level, from)))
		return NULL;
	if (!(m = import_one(ev, name)))
		return NULL;
	if (want_top && (dot = strchr(name, '.'))) {
		struct evmod *top = find_loaded(ev, ev_strndup(ev, name, (size_t)(dot - name)));
		return top ? top->value : m->value;
	}
	return m->value;
}

/* from MOD import NAME: an attribute, else a submodule. */
struct pv *import_attr(struct pyeval *ev, struct pv *mv, struct pv *name)
{
	struct evmod *m = mv->u.mod, *sub;
	struct pv *v;

	if (mv->kind != K_MODULE)
		return pv_unknown(ev, "an import from a value hub cannot compute");
	if (m->origin == M_LIBRARY && m->state == MS_NEW && lib_may_load(ev, m))
		module_load(ev, m);
	if (m->dict && (v = dict_get(m->dict, name)))
		return v;
	if (m->dir || m->origin == M_OPAQUE || m->origin == M_MODELLED) {
		char *full = ev_printf(ev, "%s.%s", m->name, name->u.str.s);
		struct pv *saved_exc = ev->exc;

		if (m->origin == M_OPAQUE || m->origin == M_MODELLED) {
			if ((sub = lib_modelled_module(ev, full)))
				return sub->value;
			v = pv_opaque(ev, m->name, name->u.str.s);
			if (mv->flags & PVF_UNCERTAIN_IMPORT)
				v->flags |= PVF_UNCERTAIN_IMPORT;
			return v;
		}
		if ((sub = import_one(ev, full)))
			return sub->value;
		/* only "no such module" means "no such name"; an error while
		 * the submodule runs is that error */
		if (ev->flow != F_RAISE || !ev->exc || ev->exc->kind != K_INSTANCE ||
		    ev->exc->u.inst.cls != ev->exc_module_not_found)
			return NULL;
		ev->flow = F_NORMAL;
		ev->exc = saved_exc;
	}
	if (m->origin == M_LIBRARY) {
		if (m->state == MS_NEW && lib_may_load(ev, m))
			module_load(ev, m);
		if (m->dict && (v = dict_get(m->dict, name)))
			return v;
		return pv_opaque(ev, m->name, name->u.str.s);
	}
	if (m->incomplete)
		return pv_unknownf(ev, "'%s' from %s, which hub could not read whole", name->u.str.s,
				   m->path ? m->path : m->name);
	return ev_raise(ev, ev->exc_import, "cannot import name '%s' from '%s'", name->u.str.s,
			m->name);
}

/* The names a star import takes: __all__, else every public name. */
static struct pv *star_names(struct pyeval *ev, struct evmod *m)
{
	struct pv *all = dict_get_str(m->dict, "__all__"), *out;
	size_t k;

	if (all) {
		out = ev_iterate(ev, all);
		return out;
	}
	out = pv_seq_new(ev, K_LIST, 0);
	for (k = 0; k < m->dict->u.dict->count; k++) {
		struct pv *key = m->dict->u.dict->keys[k];
		if (key && key->kind == K_STR && key->u.str.s[0] != '_')
			seq_append(ev, out, key);
	}
	return out;
}

void import_star(struct pyeval *ev, struct scope *sc, struct pv *mv)
{
	struct evmod *m = mv->u.mod;
	struct pv *names;
	size_t k;

	if (mv->kind != K_MODULE)
		return;
	if (m->origin == M_LIBRARY && m->state == MS_NEW &&
	    (lib_may_load(ev, m) || sc->mod->origin == M_LIBRARY)) {
		/* a star import needs the names: library code's runs */
		int saved = ev->load_library;
		ev->load_library = 1;
		module_load(ev, m);
		ev->load_library = saved;
	}
	if (m->origin == M_MODELLED && real_module(ev, m)) {
		struct evmod *real = m->real;
		if (!(names = star_names(ev, real)) || names->kind == K_UNKNOWN) {
			sc->mod->incomplete = 1;
			return;
		}
		for (k = 0; k < names->u.seq->count; k++) {
			struct pv *name = names->u.seq->items[k], *v;
			if (name->kind != K_STR)
				continue;
			if (!(v = dict_get(m->dict, name)) && !(v = dict_get(real->dict, name)))
				continue;
			ev->bind_how = PV_BOUND_IMPORT;
			store_global(ev, sc->mod, name, v);
			ev->bind_how = PV_BOUND_OTHER;
		}
		return;
	}
	if (m->origin == M_OPAQUE || m->origin == M_MODELLED ||
	    (m->origin == M_LIBRARY && m->state != MS_DONE) || m->state == MS_NEW) {
		if (m->origin != M_MODELLED) {
			if (!ev->lenient && sc->mod == ev->main)
				ev_warn(ev, "%s:%u: 'from %s import *' outside the repository: hub cannot tell which names it binds",
					sc->mod->path, ev->cur_line, m->name);
			sc->mod->incomplete = 1;
			return;
		}
	}
	if (!(names = star_names(ev, m)))
		return;
	if (names->kind == K_UNKNOWN) {
		sc->mod->incomplete = 1;
		return;
	}
	for (k = 0; k < names->u.seq->count; k++) {
		struct pv *name = names->u.seq->items[k], *v;

		if (name->kind != K_STR)
			continue;
		v = import_attr(ev, mv, name);
		if (!v) {
			if (ev->flow == F_RAISE) {
				/* Python: AttributeError for a name of __all__ that is missing */
				return;
			}
			return;
		}
		ev->bind_how = PV_BOUND_IMPORT;
		store_global(ev, sc->mod, name, v);
		ev->bind_how = PV_BOUND_OTHER;
	}
	if (m->incomplete)
		sc->mod->incomplete = 1;
}

/* dir(module): its names, sorted. */
struct pv *module_dir(struct pyeval *ev, struct pv *mv)
{
	struct pv *d = mv->u.mod->dict, *out = pv_seq_new(ev, K_LIST, 0);
	size_t k;

	for (k = 0; k < d->u.dict->count; k++)
		if (d->u.dict->keys[k])
			seq_append(ev, out, d->u.dict->keys[k]);
	return lib_sorted(ev, out);
}

/* The source behind a module hub models (os.path is posixpath), read from
 * the library path when there is one: for star imports and for the
 * documentation of its names. */
struct evmod *real_module(struct pyeval *ev, struct evmod *model)
{
	const char *name = !strcmp(model->name, "os.path") ? "posixpath" : model->name;
	char *path = NULL;
	int pkg, ext, ns, saved_lenient = ev->lenient, saved_load = ev->load_library;
	struct evmod *m;
	size_t k;

	if (model->real || model->origin != M_MODELLED || strchr(name, '.'))
		return model->real;
	for (k = 0; k < ev->opt.library_count; k++) {
		if (find_in_dir(ev, ev->opt.library[k], name, &path, &pkg, &ext, &ns) && !ns && !ext)
			break;
		free(path);
		path = NULL;
	}
	if (!path)
		return NULL;
	m = new_module_as(ev, name, M_LIBRARY, 0);
	m->full = ev_strndup(ev, path, strlen(path));
	m->path = shown_path(ev, path);
	m->is_package = pkg;
	if (pkg) {
		char *slash = strrchr(path, '/');
		m->dir = ev_strndup(ev, path, (size_t)(slash - path));
	}
	free(path);
	model->real = m;
	ev->load_library = 1;
	module_load(ev, m);
	ev->load_library = saved_load;
	ev->lenient = saved_lenient;
	if (ev->flow == F_RAISE) {
		ev->flow = F_NORMAL;
		ev->exc = NULL;
	}
	return m;
}
