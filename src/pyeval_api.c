/*
 * pyeval_api.c - pyeval_run and what the reporting layer asks of values
 * (pyeval.h).
 */
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "pyeval_impl.h"
#include "pyparse.h"
#include "util.h"

static void main_dir(struct pyeval *ev);

int pyeval_run(const struct pyeval_options *options, const char *main, struct pyeval **out)
{
	struct pyeval *ev = xcalloc(1, sizeof(*ev));
	struct evmod *m;
	char *full;
	int status = HUB_OK;

	ev->opt = *options;
	buf_init(&ev->scratch, (size_t)64 << 20, "string");
	if (options->library_count) {
		/* the caller's path may go before the evaluator does */
		const char **lib = xcalloc(options->library_count, sizeof(*lib));
		size_t k;
		for (k = 0; k < options->library_count; k++) {
			lib[k] = xstrdup(options->library[k]);
		}
		ev->opt.library = lib;
	}
	ev->opt.repo = path_absolute(options->repo);    /* __file__ is absolute */
	if (!ev->opt.max_steps)
		ev->opt.max_steps = PYEVAL_MAX_STEPS;
	if (!ev->opt.max_depth)
		ev->opt.max_depth = PYEVAL_MAX_DEPTH;
	if (!ev->opt.max_bytes)
		ev->opt.max_bytes = PYEVAL_MAX_BYTES;
	ev->interned = pv_dict_new(ev);
	lib_init(ev);
	ev->mod_index = pv_dict_new(ev);
	ev->sys_modules = pv_dict_new(ev);
	ev->conditional = pv_dict_new(ev);
	ev->main_lines = pv_dict_new(ev);
	*out = ev;
	m = new_module(ev, main, M_REPO);
	ev->main = m;
	/* torch.hub runs hubconf.py from a spec: it is not in sys.modules */
	dict_del(ev->sys_modules, m->dict->u.dict->vals[0]);
	dict_del(ev->mod_index, m->dict->u.dict->vals[0]);
	full = path_join(ev->opt.repo, main);
	m->full = ev_strndup(ev, full, strlen(full));
	free(full);
	m->path = main;
	dict_set_str(ev, m->dict, "__file__", pv_strz(ev, m->full));
	dict_set_str(ev, m->dict, "__doc__", ev->none);
	dict_set_str(ev, m->dict, "__builtins__", ev->builtins);
	module_load(ev, m);
	if (ev->main_status) {
		status = ev->main_status;
		goto done;
	}
	if (ev->flow == F_FATAL) {
		status = HUB_EFAIL;
		goto done;
	}
	if (ev->flow == F_RAISE) {
		struct pv *exc = ev->exc, *msg;
		const char *cls = exc && exc->kind == K_INSTANCE ? exc->u.inst.cls->u.cls->name->u.str.s :
				  "an exception";
		msg = exc && exc->kind == K_INSTANCE ? dict_get_str(exc->u.inst.dict, "args") : NULL;
		ev_warn(ev, "%s:%u: hubconf.py raises %s%s%s as hub runs it: names bound after it are not seen",
			ev->exc_file ? ev->exc_file : main, ev->exc_line, cls,
			msg && msg->kind == K_STR ? ": " : "", msg && msg->kind == K_STR ? msg->u.str.s : "");
		ev->flow = F_NORMAL;
		m->incomplete = 1;
	}
	main_dir(ev);
done:
	hub_log("pyeval: %zu modules, %zu files read (%zu bytes), %llu steps, %zu KiB of values",
		ev->module_count, ev->file_count, ev->total_source, (unsigned long long)ev->steps,
		ev->bytes >> 10);
	ev->flow = ev->flow == F_FATAL ? F_FATAL : F_NORMAL;
	return status;
}

/* What dir(hubconf) shows: the namespace, or what its __dir__ gave. */
static struct pv *listed(const struct pyeval *ev)
{
	return ev->main_dir ? ev->main_dir : ev->main->dict;
}

size_t pyeval_global_count(const struct pyeval *ev)
{
	return listed(ev)->u.dict->count;
}

const char *pyeval_global_name(const struct pyeval *ev, size_t i)
{
	struct pv *k = listed(ev)->u.dict->keys[i];

	return k && k->kind == K_STR ? k->u.str.s : NULL;
}

struct pv *pyeval_global_value(const struct pyeval *ev, size_t i)
{
	return listed(ev)->u.dict->keys[i] ? listed(ev)->u.dict->vals[i] : NULL;
}

struct pv *pyeval_global(const struct pyeval *ev, const char *name)
{
	struct pv *v = ev->main_dir ? dict_get_str(ev->main_dir, name) : NULL;

	return v ? v : dict_get_str(ev->main->dict, name);
}

/* PEP 562: a module's __dir__ decides what dir() lists, and its
 * __getattr__ gives the names that are not in the namespace (torch.hub.list
 * is dir() and getattr). A __dir__ hub cannot follow is a warning, and the
 * namespace is listed. */
static void main_dir(struct pyeval *ev)
{
	struct pv *d = dict_get_str(ev->main->dict, "__dir__"), *ga, *r, *items;
	size_t k;

	if (!d || d->kind != K_FUNCTION)
		return;
	ga = dict_get_str(ev->main->dict, "__getattr__");
	ev->cur_mod = ev->main;
	if (!(r = ev_call(ev, d, NULL, 0, NULL)) || ev->flow != F_NORMAL ||
	    !(items = ev_iterate(ev, r)) || items->kind == K_UNKNOWN || ev->flow != F_NORMAL)
		goto cannot;
	ev->main_dir = pv_dict_new(ev);
	for (k = 0; k < items->u.seq->count; k++) {
		struct pv *name = items->u.seq->items[k], *v;
		if (name->kind != K_STR)
			goto cannot;
		v = dict_get(ev->main->dict, name);
		if (!v && ga && ga->kind == K_FUNCTION) {
			if (!(v = ev_call(ev, ga, &name, 1, NULL)) || ev->flow != F_NORMAL)
				goto cannot;
		}
		if (v)
			dict_set(ev, ev->main_dir, name, v);
	}
	return;
cannot:
	ev->flow = ev->flow == F_FATAL ? F_FATAL : F_NORMAL;
	ev->main_dir = NULL;
	ev_warn(ev, "hubconf.py: dir() of it is what its __dir__ returns, which hub cannot compute: the namespace is listed instead; --exact asks Python");
	ev->main->incomplete = 1;
}

unsigned pyeval_global_line(const struct pyeval *ev, const char *name)
{
	struct pv *v = dict_get_str(ev->main_lines, name);

	return v ? (unsigned)(v->u.i / 4) : 0;
}

enum pv_bound pyeval_global_how(const struct pyeval *ev, const char *name)
{
	struct pv *v = dict_get_str(ev->main_lines, name);

	return v ? (enum pv_bound)(v->u.i % 4) : PV_BOUND_OTHER;
}

int pyeval_main_incomplete(const struct pyeval *ev)
{
	return ev->main->incomplete;
}

const char *pyeval_global_conditional(const struct pyeval *ev, const char *name,
				      const char **file, unsigned *line)
{
	struct pv *rec = dict_get_str(ev->conditional, name);

	if (!rec)
		return NULL;
	*file = rec->u.seq->items[1]->u.str.s;
	*line = (unsigned)rec->u.seq->items[2]->u.i;
	return rec->u.seq->items[0]->u.str.s;
}

/* Follows what a value stands for to the def or class behind it. */
static struct pv *target(struct pv *v)
{
	int n;

	for (n = 0; v && n < 16; n++) {
		if (v->kind == K_METHOD)
			v = v->u.method.fn;
		else if (v->kind == K_CLASSMETHOD || v->kind == K_STATICMETHOD)
			v = v->u.wrapped;
		else
			break;
	}
	return v;
}

/* ... and through functools.wraps' __wrapped__, as inspect.unwrap. */
static struct pv *unwrapped(struct pv *v)
{
	int n;
	struct pv *w;

	v = target(v);
	for (n = 0; v && v->kind == K_FUNCTION && n < 16; n++) {
		if (!v->u.fn->attrs || !(w = dict_get_str(v->u.fn->attrs, "__wrapped__")))
			break;
		v = target(w);
	}
	return v;
}

enum pv_what pyeval_what(const struct pv *cv)
{
	struct pv *v = target((struct pv *)cv);

	switch (v->kind) {
	case K_UNKNOWN: return PV_WHAT_UNKNOWN;
	case K_OPAQUE: return PV_WHAT_OUTSIDE;
	case K_FUNCTION: return PV_WHAT_FUNCTION;
	case K_CLASS: return v->id ? PV_WHAT_BUILTIN : PV_WHAT_CLASS;
	case K_INSTANCE: return PV_WHAT_INSTANCE;
	case K_PARTIAL: return PV_WHAT_PARTIAL;
	case K_BUILTIN: return PV_WHAT_BUILTIN;
	default: return PV_WHAT_OTHER;
	}
}

enum pv_callable pyeval_callable(struct pyeval *ev, const struct pv *v)
{
	int c = lib_callable(ev, (struct pv *)v);

	return c < 0 ? PV_MAYBE_CALLABLE : c ? PV_CALLABLE : PV_NOT_CALLABLE;
}

void pyeval_site(const struct pv *cv, const char **file, unsigned *line, const char **outside)
{
	struct pv *v = unwrapped((struct pv *)cv);

	if (v->kind == K_UNKNOWN && v->u.unknown.base)
		v = unwrapped(v->u.unknown.base);

	*file = NULL;
	*line = v->line;
	*outside = NULL;
	if (v->kind == K_FUNCTION)
		*file = v->u.fn->mod->path;
	else if (v->kind == K_CLASS && v->id && v->u.cls->mod)
		*outside = v->u.cls->mod->name;     /* a modelled module's */
	else if (v->kind == K_CLASS && v->u.cls->mod)
		*file = v->u.cls->mod->path;
	else if (v->kind == K_INSTANCE && v->u.inst.cls->u.cls->mod)
		*file = v->u.inst.cls->u.cls->mod->path, *line = v->u.inst.cls->line;
	else if (v->kind == K_OPAQUE)
		*file = v->u.opaque.file, *outside = v->u.opaque.module;
	else if (v->kind == K_UNKNOWN)
		*file = v->u.unknown.file;
}

const char *pyeval_unknown(const struct pv *v, const char **file, unsigned *line)
{
	*file = v->u.unknown.file;
	*line = v->line;
	return v->u.unknown.what;
}

struct pv *pyeval_decorated(const struct pv *v)
{
	return v->kind == K_UNKNOWN ? v->u.unknown.base : NULL;
}

const char *pyeval_def_name(const struct pv *cv)
{
	struct pv *v = target((struct pv *)cv);

	if (v->kind == K_FUNCTION)
		return v->u.fn->name->u.str.s;
	if (v->kind == K_CLASS)
		return v->u.cls->name->u.str.s;
	return NULL;
}

static int simple_value(const struct pv *v);

/* What a class of a modelled module (enum's, typing.NamedTuple) is in the
 * module's source on the library path, for its docstring and signature:
 * NULL when that source is not there. */
static struct pv *real_value(struct pyeval *ev, const char *module, const struct pv *name)
{
	struct evmod *model = find_loaded(ev, module), *real;
	struct pv *v;

	if (!model || !(real = real_module(ev, model)) || !real->dict ||
	    !(v = dict_get(real->dict, name)) || v->id || (v->kind != K_CLASS && v->kind != K_FUNCTION))
		return NULL;
	return v;
}

static struct pv *real_of_modelled(struct pyeval *ev, const struct pv *cls)
{
	return real_value(ev, cls->id == B_ENUM_CLASS ? "enum" : "typing", cls->u.cls->name);
}

/* inspect.formatannotation of an annotation's value: a class by name
 * (qualified by its module unless a builtin), a string as its repr, None.
 * -1: a value hub does not render as Python would (typing's). */
static int put_annotation(struct pyeval *ev, struct pv *a, struct buf *out)
{
	struct pv *s;

	if (a->kind == K_NONE) {
		buf_addstr(out, "None");
		return 0;
	}
	if (a->kind == K_STR && (s = ev_str_of(ev, a, 1)) && s->kind == K_STR) {
		buf_add(out, s->u.str.s, s->u.str.len);
		return 0;
	}
	if (a->kind != K_CLASS || (a->id && (a->id == B_ENUM_CLASS || a->id == B_OPAQUE_CALL)))
		return -1;
	if (!a->id) {
		struct pv *mod = dict_get_str(a->u.cls->dict, "__module__");
		struct pv *qual = dict_get_str(a->u.cls->dict, "__qualname__");
		if (!mod || mod->kind != K_STR || !qual || qual->kind != K_STR)
			return -1;
		buf_add(out, mod->u.str.s, mod->u.str.len);
		buf_addch(out, '.');
		buf_add(out, qual->u.str.s, qual->u.str.len);
		return 0;
	}
	buf_add(out, a->u.cls->name->u.str.s, a->u.cls->name->u.str.len);
	return 0;
}

/* One parameter as inspect writes it: name, ": annotation" when there is
 * one, the default's repr after " = " (annotated) or "=". -1: a part hub
 * cannot write as Python would. */
static int put_param(struct pyeval *ev, struct pv *name, struct pv *annotation, struct pv *def,
		     struct buf *out)
{
	struct pv *s;

	buf_add(out, name->u.str.s, name->u.str.len);
	if (annotation) {
		buf_addstr(out, ": ");
		if (put_annotation(ev, annotation, out))
			return -1;
	}
	if (def) {
		if (!simple_value(def) || !(s = ev_str_of(ev, def, 1)) || s->kind != K_STR)
			return -1;
		buf_addstr(out, annotation ? " = " : "=");
		buf_add(out, s->u.str.s, s->u.str.len);
	}
	return 0;
}

/* The parameters of the __init__ @dataclass writes, "(a: int = 1, ...)":
 * its fields with their annotations and defaults (the class attribute of
 * the first dataclass in the MRO that has one). 0: written; -1: a field
 * hub cannot render (a field(...) call, a typing annotation), nothing
 * written. */
static int dataclass_params(struct pyeval *ev, struct pv *cls, struct buf *out)
{
	struct pv *fields = ev_dataclass_fields(ev, cls);
	size_t mark = out->len, i, k;
	int first = 1;

	buf_addch(out, '(');
	for (k = 0; k < fields->u.dict->count; k++) {
		struct pv *key = fields->u.dict->keys[k], *d = NULL;
		if (!key)
			continue;
		for (i = 0; i < cls->u.cls->mro_count && !d; i++)
			if (cls->u.cls->mro[i]->flags & PVF_DATACLASS)
				d = dict_get(cls->u.cls->mro[i]->u.cls->dict, key);
		if (!first)
			buf_addstr(out, ", ");
		first = 0;
		if (put_param(ev, key, fields->u.dict->vals[k], d, out)) {
			buf_truncate(out, mark);
			return -1;
		}
	}
	buf_addch(out, ')');
	return 0;
}

/* The __doc__ @dataclass writes for a class without one: its name and
 * the generated __init__'s parameters. 1: written, -1: not rendered. */
static int dataclass_doc(struct pyeval *ev, struct pv *cls, struct buf *out)
{
	size_t mark = out->len;

	buf_add(out, cls->u.cls->name->u.str.s, cls->u.cls->name->u.str.len);
	if (dataclass_params(ev, cls, out)) {
		buf_truncate(out, mark);
		return -1;
	}
	return 1;
}

int pyeval_doc(struct pyeval *ev, const struct pv *cv, struct buf *out)
{
	struct pv *v = (struct pv *)cv, *d = NULL;

	switch (v->kind) {
	case K_METHOD:
		return pyeval_doc(ev, v->u.method.fn, out);
	case K_CLASSMETHOD:
	case K_STATICMETHOD:
		return pyeval_doc(ev, v->u.wrapped, out);
	case K_FUNCTION:
		d = ev_func_doc(ev, v);
		break;
	case K_CLASS:
		if (v->id == B_ENUM_CLASS || v->id == B_TYPED_NAMEDTUPLE) {
			struct pv *real = real_of_modelled(ev, v);
			return real ? pyeval_doc(ev, real, out) : -1;
		}
		if (v->id)
			return -1;
		d = dict_get_str(v->u.cls->dict, "__doc__");
		if ((v->flags & PVF_DATACLASS) && (!d || d->kind == K_NONE))
			return dataclass_doc(ev, v, out);
		break;
	case K_INSTANCE:
		if (!(d = dict_get_str(v->u.inst.dict, "__doc__")))
			d = class_lookup(v->u.inst.cls, pv_intern(ev, "__doc__", 7));
		break;
	case K_PARTIAL:
		if (v->u.partial.attrs && (d = dict_get_str(v->u.partial.attrs, "__doc__")))
			break;
		buf_addstr(out, "partial(func, *args, **keywords) - new function with partial application\n"
			   "    of the given arguments and keywords.\n");
		return 1;
	case K_UNKNOWN:
		/* a def behind a decorator from outside: as if the decorator
		 * returned it, or wrapped it with functools.wraps (said in a
		 * warning) */
		if (v->u.unknown.base)
			return pyeval_doc(ev, v->u.unknown.base, out);
		return -1;
	case K_BUILTIN:
		if (v->id == B_PARTIAL) {
			buf_addstr(out, "partial(func, *args, **keywords) - new function with partial application\n"
				   "    of the given arguments and keywords.\n");
			return 1;
		}
		return -1;
	default:
		return -1;
	}
	if (!d || d->kind == K_NONE)
		return 0;
	if (d->kind != K_STR)
		return -1;
	buf_add(out, d->u.str.s, d->u.str.len);
	return 1;
}

int pyeval_in_main(const struct pyeval *ev, const struct pv *cv)
{
	struct pv *v = target((struct pv *)cv);

	if (v->kind == K_FUNCTION)
		return v->u.fn->mod == ev->main;
	if (v->kind == K_CLASS)
		return v->u.cls->mod == ev->main;
	return 0;
}

long pyeval_string_list(const struct pv *v, const char ***items)
{
	size_t k;
	const char **out;

	if (v->kind != K_LIST && v->kind != K_TUPLE)
		return -1;
	out = xcalloc(v->u.seq->count + 1, sizeof(*out));
	for (k = 0; k < v->u.seq->count; k++) {
		if (v->u.seq->items[k]->kind != K_STR) {
			free(out);
			return -1;
		}
		out[k] = v->u.seq->items[k]->u.str.s;
	}
	*items = out;
	return (long)k;
}

/* A value from outside the repository, read from the library path. */
struct pv *pyeval_resolve(struct pyeval *ev, struct pv *v)
{
	struct pv *m, *r;
	const char *attr, *dot;
	const char *modname;

	if (v->kind != K_OPAQUE || !ev->opt.library_count || ev->flow == F_FATAL)
		return v;
	modname = v->u.opaque.module;
	ev->load_library = 1;
	ev->lenient = 1;
	m = ev_import(ev, modname, 0, ev->main, 0);
	if (m && m->kind == K_MODULE && m->u.mod->origin == M_MODELLED) {
		struct evmod *real = real_module(ev, m->u.mod);
		ev->load_library = 1;
		ev->lenient = 1;
		m = real ? real->value : NULL;
	}
	r = m;
	attr = v->u.opaque.attr;
	while (r && attr && *attr) {
		char part[256];
		size_t n;

		dot = strchr(attr, '.');
		n = dot ? (size_t)(dot - attr) : strlen(attr);
		if (n >= sizeof(part) || memchr(attr, '[', n))
			break;
		memcpy(part, attr, n);
		part[n] = 0;
		r = r->kind == K_MODULE ? import_attr(ev, r, pv_intern(ev, part, n)) :
		    ev_getattr(ev, r, pv_intern(ev, part, n));
		attr = dot ? dot + 1 : NULL;
	}
	ev->lenient = 0;
	ev->load_library = 0;
	if (ev->flow == F_RAISE) {
		ev->flow = F_NORMAL;
		ev->exc = NULL;
	}
	if (!r || (attr && *attr))
		return v;
	return r;
}

/* Source text of a node on one line, as inspect prints an annotation. */
static void node_text(struct evmod *m, const struct py_node *n, struct buf *out)
{
	const char *src = buf_str(&m->source);
	size_t k, end = n->end;
	int in_gap = 0;

	if (n->kind == PN_CONSTANT && n->op == PY_CONST_STR) {
		size_t len;
		const char *s = py_str_at(m->tree, n->str, &len);
		py_repr_str(out, s, len);
		return;
	}
	if (end > m->source.len)
		end = m->source.len;
	for (k = n->start; k < end; k++) {
		char c = src[k];
		if (c == '\n' || ((c == ' ' || c == '\t') && in_gap)) {
			in_gap = 1;
			continue;
		}
		if (in_gap) {
			char prev = out->len ? out->data[out->len - 1] : '(';
			if (!strchr("([{", prev) && !strchr(")]},", c))
				buf_addch(out, ' ');
			in_gap = 0;
		}
		if (c == '\\' && k + 1 < end && src[k + 1] == '\n') {
			in_gap = 1;
			k++;
			continue;
		}
		buf_addch(out, c);
	}
}

static int simple_value(const struct pv *v)
{
	size_t k;

	switch (v->kind) {
	case K_STR: case K_INT: case K_FLOAT: case K_BOOL: case K_NONE: case K_BYTES:
		return 1;
	case K_TUPLE: case K_LIST:
		for (k = 0; k < v->u.seq->count; k++)
			if (!simple_value(v->u.seq->items[k]))
				return 0;
		return 1;
	default:
		return 0;
	}
}

static int render_params(struct pyeval *ev, struct pv *fv, unsigned drop, const char *name,
			 struct buf *out)
{
	struct pv_func *fn = fv->u.fn;
	struct evmod *m = fn->mod;
	const struct py_node *n = &m->tree->nodes[fn->node];
	const struct py_node *an = &m->tree->nodes[n->a];
	uint32_t k, count = py_list_len(m->tree, an->a);
	int posonly = 0, slash = 0, star = 0, first = 1;

	buf_addf(out, "%s(", name);
	for (k = 0; k < count; k++) {
		const struct py_node *a = &m->tree->nodes[py_list_at(m->tree, an->a, k)];
		size_t len;
		const char *pname = py_str_at(m->tree, a->str, &len);

		if (drop && (a->op == PY_ARG_POSONLY || a->op == PY_ARG_NORMAL)) {
			drop--;
			continue;
		}
		if (a->op != PY_ARG_POSONLY && posonly && !slash) {
			buf_addstr(out, first ? "/" : ", /");
			first = 0;
			slash = 1;
		}
		if (a->op == PY_ARG_KWONLY && !star) {
			buf_addstr(out, first ? "*" : ", *");
			first = 0;
			star = 1;
		}
		if (!first)
			buf_addstr(out, ", ");
		first = 0;
		if (a->op == PY_ARG_POSONLY)
			posonly = 1;
		if (a->op == PY_ARG_VARARG) {
			star = 1;
			buf_addch(out, '*');
		} else if (a->op == PY_ARG_KWARG) {
			buf_addstr(out, "**");
		}
		buf_add(out, pname, len);
		if (a->a) {
			buf_addstr(out, ": ");
			node_text(m, &m->tree->nodes[a->a], out);
		}
		if (a->b) {
			struct pv *d = fn->defaults ? fn->defaults[k] : NULL;
			buf_addstr(out, a->a ? " = " : "=");
			if (d && simple_value(d) && (d = ev_str_of(ev, d, 1)) && d->kind == K_STR)
				buf_add(out, d->u.str.s, d->u.str.len);
			else
				node_text(m, &m->tree->nodes[a->b], out);
		}
	}
	if (posonly && !slash)
		buf_addstr(out, first ? "/" : ", /");
	buf_addch(out, ')');
	if (n->kind != PN_LAMBDA && n->d) {
		buf_addstr(out, " -> ");
		node_text(m, &m->tree->nodes[n->d], out);
	}
	return 0;
}

/* A named tuple's signature, its __new__'s: the fields, annotated as
 * typing.NamedTuple's are, with the defaults of the last ones. */
static int namedtuple_signature(struct pyeval *ev, struct pv *cls, const char *name, struct buf *out)
{
	struct pv *fields = dict_get_str(cls->u.cls->dict, "_fields");
	struct pv *fd = dict_get_str(cls->u.cls->dict, "_field_defaults");
	struct pv *ann = dict_get_str(cls->u.cls->dict, "__annotations__");
	size_t mark = out->len, k;

	if (!fields || fields->kind != K_TUPLE || !fd || fd->kind != K_DICT)
		return HUB_ENOTFOUND;
	if (ann && ann->kind != K_DICT)
		ann = NULL;
	buf_addf(out, "%s(", name);
	for (k = 0; k < fields->u.seq->count; k++) {
		struct pv *f = fields->u.seq->items[k];
		if (k)
			buf_addstr(out, ", ");
		if (put_param(ev, f, ann ? dict_get(ann, f) : NULL, dict_get(fd, f), out)) {
			buf_truncate(out, mark);
			return HUB_ENOTFOUND;
		}
	}
	buf_addch(out, ')');
	return 0;
}

/* EnumType.__call__ of enum.py, for an Enum class (NULL: not one, or
 * enum.py is not on the library path). */
static struct pv *enum_type_call(struct pyeval *ev, struct pv *cls)
{
	struct pv *meta, *f;

	if (!ev->enum_class || cls == ev->enum_auto_class || !is_subclass(cls, ev->enum_class) ||
	    (cls->id && cls->id != B_ENUM_CLASS))
		return NULL;
	if (!(meta = real_value(ev, "enum", pv_intern(ev, "EnumType", 8))) || meta->kind != K_CLASS ||
	    !(f = class_lookup(meta, pv_intern(ev, "__call__", 8))) || f->kind != K_FUNCTION)
		return NULL;
	return f;
}

static int signature(struct pyeval *ev, struct pv *v, unsigned drop, const char *name,
		     struct buf *out, int depth)
{
	struct pv *f;

	if (depth > 16)
		return HUB_ENOTFOUND;
	switch (v->kind) {
	case K_FUNCTION:
		if (v->u.fn->attrs && (f = dict_get_str(v->u.fn->attrs, "__wrapped__")))
			return signature(ev, f, drop, name, out, depth + 1);
		return render_params(ev, v, drop, name, out);
	case K_METHOD:
		return signature(ev, v->u.method.fn, drop + 1, name, out, depth + 1);
	case K_CLASSMETHOD:
	case K_STATICMETHOD:
		return signature(ev, v->u.wrapped, drop, name, out, depth + 1);
	case K_CLASS:
		/* inspect asks a metaclass's __call__ first: EnumType's for
		 * an Enum (read from enum.py), or the repository's */
		if (v->id == B_TYPED_NAMEDTUPLE && (f = real_of_modelled(ev, v)))
			return signature(ev, f, drop, name, out, depth + 1);
		if ((f = enum_type_call(ev, v)) ||
		    (v->u.cls->meta && (f = class_lookup(v->u.cls->meta, pv_intern(ev, "__call__", 8))) &&
		     f->kind == K_FUNCTION))
			return signature(ev, f, drop + 1, name, out, depth + 1);
		if (v->id)
			return HUB_ENOTFOUND;
		if ((v->flags & PVF_NAMEDTUPLE) && !drop)
			return namedtuple_signature(ev, v, name, out);
		if (v->flags & PVF_DATACLASS) {
			/* the __init__ it wrote, unless the class has its own */
			size_t mark = out->len;
			if ((f = dict_get_str(v->u.cls->dict, "__init__")) && f->kind == K_FUNCTION)
				return signature(ev, f, drop + 1, name, out, depth + 1);
			buf_addstr(out, name);
			if (drop || dataclass_params(ev, v, out)) {
				buf_truncate(out, mark);
				return HUB_ENOTFOUND;
			}
			buf_addstr(out, " -> None");
			return 0;
		}
		f = class_lookup(v, pv_intern(ev, "__init__", 8));
		if (f && f->kind == K_FUNCTION)
			return signature(ev, f, drop + 1, name, out, depth + 1);
		if (v->u.cls->opaque_base || f)
			return HUB_ENOTFOUND;
		buf_addf(out, "%s()", name);
		return 0;
	case K_INSTANCE:
		f = class_lookup(v->u.inst.cls, pv_intern(ev, "__call__", 8));
		if (f && f->kind == K_FUNCTION)
			return signature(ev, f, drop + 1, name, out, depth + 1);
		return HUB_ENOTFOUND;
	case K_UNKNOWN:
		if (v->u.unknown.base)
			return signature(ev, v->u.unknown.base, drop, name, out, depth + 1);
		return HUB_ENOTFOUND;
	default:
		return HUB_ENOTFOUND;
	}
}

int pyeval_signature(struct pyeval *ev, const struct pv *v, const char *name, struct buf *out)
{
	size_t mark = out->len;
	int status = signature(ev, (struct pv *)v, 0, name, out, 0);

	if (status)
		buf_truncate(out, mark);
	return status;
}

const char *pyeval_builtin_origin(const struct pyeval *ev, const struct pv *v, const char **name)
{
	if (v->kind != K_BUILTIN || v->u.bi.self || !ev->bi_module[v->id])
		return NULL;
	*name = ev->bi_name[v->id];
	return ev->bi_module[v->id];
}

struct pv *pyeval_outside(struct pyeval *ev, const char *module, const char *name)
{
	return pv_opaque(ev, ev_strndup(ev, module, strlen(module)), ev_strndup(ev, name, strlen(name)));
}
