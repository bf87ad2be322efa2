/*
 * pyeval_exec.c - statements and expressions over abstract values (see
 * pyeval.h, pyeval_impl.h).
 *
 * Every evaluating function returns a value, or NULL when control leaves
 * abnormally (ev->flow: an exception, a cap). Names are looked up as
 * Python does at run time (locals, enclosing functions, globals,
 * builtins) without a symbol table: a local read before it is bound finds
 * the global of that name instead of raising UnboundLocalError.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "pyeval_impl.h"
#include "pyparse.h"
#include "pyscan.h"
#include "util.h"

#define NODE(m, id) (&(m)->tree->nodes[(id)])
#define LIST_LEN(m, l) py_list_len((m)->tree, (l))
#define LIST_AT(m, l, i) py_list_at((m)->tree, (l), (i))

static struct pv *eval(struct pyeval *ev, struct scope *sc, uint32_t id);
static void typed_namedtuple(struct pyeval *ev, struct pv *cls);
static void exec_body(struct pyeval *ev, struct scope *sc, uint32_t list);
static void assign(struct pyeval *ev, struct scope *sc, uint32_t target, struct pv *val);

struct pv *mod_name(struct pyeval *ev, struct evmod *m, uint32_t str)
{
	struct pv *v;
	const char *s;
	size_t len;

	if (!m->names)
		m->names = ev_alloc(ev, (m->tree->str_count + 1) * sizeof(*m->names));
	if ((v = m->names[str]))
		return v;
	s = py_str_at(m->tree, str, &len);
	v = pv_intern(ev, s, len);
	m->names[str] = v;
	return v;
}

static struct pv *const_str(struct pyeval *ev, struct evmod *m, uint32_t str)
{
	const char *s;
	size_t len;

	s = py_str_at(m->tree, str, &len);
	return pv_str(ev, s, len);
}

/* ---- names ---- */

static struct pv *lookup(struct pyeval *ev, struct scope *sc, struct pv *name)
{
	struct scope *s;
	struct pv *v;

	for (s = sc; s; s = s->parent) {
		if (s->kind == S_MODULE)
			break;
		if (s->kind == S_CLASS && s != sc)
			continue;
		if (s->decl_global && dict_get(s->decl_global, name))
			break;
		if ((v = dict_get(s->dict, name)))
			return v;
	}
	if ((v = dict_get(sc->mod->dict, name)))
		return v;
	return dict_get(ev->builtins, name);
}

static void bind_name(struct pyeval *ev, struct scope *sc, struct pv *name, struct pv *val)
{
	struct scope *s;

	if (sc->kind == S_MODULE || (sc->decl_global && dict_get(sc->decl_global, name))) {
		store_global(ev, sc->mod, name, val);
		return;
	}
	if (sc->decl_nonlocal && dict_get(sc->decl_nonlocal, name)) {
		for (s = sc->parent; s; s = s->parent)
			if (s->kind == S_FUNCTION && dict_get(s->dict, name)) {
				dict_set(ev, s->dict, name, val);
				return;
			}
	}
	dict_set(ev, sc->dict, name, val);
}

void store_global(struct pyeval *ev, struct evmod *mod, struct pv *name, struct pv *val)
{
	dict_set(ev, mod->dict, name, val);
	if (mod->dict == ev->main->dict)
		dict_set(ev, ev->main_lines, name, pv_int(ev, (int64_t)ev->cur_line * 4 + ev->bind_how));
	if (mod == ev->main && ev->uncertain && ev->why_uncertain && !ev->lenient) {
		struct pv *rec = pv_seq_new(ev, K_TUPLE, 3);

		seq_append(ev, rec, pv_strz(ev, ev->why_uncertain));
		seq_append(ev, rec, pv_strz(ev, mod->path));
		seq_append(ev, rec, pv_int(ev, ev->cur_line));
		dict_set(ev, ev->conditional, name, rec);
	} else if (mod == ev->main && !ev->uncertain) {
		dict_del(ev->conditional, name);
	}
}

static void delete_name(struct pyeval *ev, struct scope *sc, struct pv *name)
{
	struct pv *d = sc->dict;

	if (sc->kind == S_MODULE || (sc->decl_global && dict_get(sc->decl_global, name)))
		d = sc->mod->dict;
	if (!dict_del(d, name) && !ev->uncertain)
		ev_raise(ev, ev->exc_name, "name '%s' is not defined", name->u.str.s);
}

/* ---- functions ---- */

static struct pv *make_function(struct pyeval *ev, struct scope *sc, uint32_t id)
{
	struct evmod *m = sc->mod;
	const struct py_node *n = NODE(m, id);
	const struct py_node *args;
	struct pv *fv = pv_new(ev, K_FUNCTION);
	struct pv_func *fn = ev_alloc(ev, sizeof(*fn));
	uint32_t k, count;

	fv->u.fn = fn;
	fv->line = n->line;
	fn->mod = m;
	fn->node = id;
	fn->closure = sc->kind == S_MODULE ? NULL : sc;
	while (fn->closure && fn->closure->kind == S_CLASS)
		fn->closure = fn->closure->parent;
	if (n->kind == PN_LAMBDA) {
		fn->name = pv_intern(ev, "<lambda>", 8);
		args = NODE(m, n->a);
	} else {
		fn->name = mod_name(ev, m, n->str);
		args = NODE(m, n->a);
	}
	fn->qualname = fn->name;
	if (sc->kind == S_CLASS && sc->class_name) {
		size_t len = sc->class_name->u.str.len + 1 + fn->name->u.str.len;
		char *q = ev_alloc(ev, len + 1);

		snprintf(q, len + 1, "%s.%s", sc->class_name->u.str.s, fn->name->u.str.s);
		fn->qualname = pv_str(ev, q, len);
	}
	count = LIST_LEN(m, args->a);
	if (count) {
		fn->defaults = ev_alloc(ev, count * sizeof(*fn->defaults));
		for (k = 0; k < count; k++) {
			const struct py_node *a = NODE(m, LIST_AT(m, args->a, k));

			if (a->b) {
				if (!(fn->defaults[k] = eval(ev, sc, a->b)))
					return NULL;
			}
		}
	}
	return fv;
}

/* Which module a function's globals are: for __module__. */
static const char *module_name_of(struct evmod *m)
{
	return m->name;
}

/* Binds the arguments of a call to fn's parameters in scope d. */
static int bind_args(struct pyeval *ev, struct pv *fv, struct pv *d, struct pv **args, size_t nargs,
		     struct pv *kwargs)
{
	struct pv_func *fn = fv->u.fn;
	struct evmod *m = fn->mod;
	const struct py_node *n = NODE(m, fn->node);
	const struct py_node *an = NODE(m, n->a);
	uint32_t k, count = LIST_LEN(m, an->a);
	size_t used = 0, kw_used = 0;
	struct pv *varkw = NULL, *used_kw = NULL;
	const char *fname = fn->name->u.str.s;

	if (kwargs && kwargs->u.dict->live)
		used_kw = pv_dict_new(ev);
	for (k = 0; k < count; k++) {
		const struct py_node *a = NODE(m, LIST_AT(m, an->a, k));
		struct pv *name = mod_name(ev, m, a->str), *v = NULL;

		switch (a->op) {
		case PY_ARG_POSONLY:
		case PY_ARG_NORMAL:
			if (used < nargs) {
				v = args[used++];
			} else if (a->op == PY_ARG_NORMAL && kwargs && (v = dict_get(kwargs, name))) {
				dict_set(ev, used_kw, name, name);
				kw_used++;
			}
			break;
		case PY_ARG_VARARG: {
			struct pv *t = pv_seq_new(ev, K_TUPLE, nargs > used ? nargs - used : 0);
			while (used < nargs)
				seq_append(ev, t, args[used++]);
			v = t;
			break;
		}
		case PY_ARG_KWONLY:
			if (kwargs && (v = dict_get(kwargs, name))) {
				dict_set(ev, used_kw, name, name);
				kw_used++;
			}
			break;
		case PY_ARG_KWARG:
			varkw = name;
			continue;
		}
		if (!v)
			v = fn->defaults ? fn->defaults[k] : NULL;
		if (!v) {
			ev_raise(ev, ev->exc_type, "%s() missing required argument: '%s'", fname,
				 name->u.str.s);
			return -1;
		}
		dict_set(ev, d, name, v);
	}
	if (used < nargs) {
		ev_raise(ev, ev->exc_type, "%s() takes %zu positional arguments but %zu were given",
			 fname, used, nargs);
		return -1;
	}
	if (varkw) {
		struct pv *kd = pv_dict_new(ev);
		if (kwargs) {
			for (k = 0; k < kwargs->u.dict->count; k++) {
				struct pv *key = kwargs->u.dict->keys[k];
				if (key && !(used_kw && dict_get(used_kw, key)))
					dict_set(ev, kd, key, kwargs->u.dict->vals[k]);
			}
			kd->u.dict->incomplete = kwargs->u.dict->incomplete;
		}
		dict_set(ev, d, varkw, kd);
	} else if (kwargs && kw_used < kwargs->u.dict->live) {
		ev_raise(ev, ev->exc_type, "%s() got an unexpected keyword argument", fname);
		return -1;
	} else if (kwargs && kwargs->u.dict->incomplete) {
		/* unknown keywords (**unknown): the values stay as bound */
	}
	return 0;
}

static struct pv *call_function(struct pyeval *ev, struct pv *fv, struct pv **args, size_t nargs,
				struct pv *kwargs)
{
	struct pv_func *fn = fv->u.fn;
	struct evmod *m = fn->mod, *saved_mod = ev->cur_mod;
	const struct py_node *n = NODE(m, fn->node);
	struct scope *scp = ev_alloc(ev, sizeof(*scp));
	struct pv *result = NULL, *saved_yields = ev->yields, *saved_pending = ev->pending_ret;
	unsigned saved_line = ev->cur_line;
	int saved_has_pending = ev->has_pending_ret, saved_uncertain = ev->uncertain;
	const char *saved_why = ev->why_uncertain;

	if (ev->depth >= ev->opt.max_depth)
		return ev_fatal(ev, "evaluation exceeded a call depth of %u", ev->opt.max_depth);
	scp->kind = S_FUNCTION;
	scp->dict = pv_dict_new(ev);
	scp->parent = fn->closure;
	scp->mod = m;
	scp->fn = fv;
	scp->first = nargs ? args[0] : NULL;
	ev->depth++;
	ev->cur_mod = m;
	ev->yields = NULL;
	ev->pending_ret = NULL;
	ev->has_pending_ret = 0;
	/* a function's body runs as Python runs it: its own branches decide
	 * again whether they are certain */
	ev->uncertain = 0;
	ev->why_uncertain = NULL;
	if (bind_args(ev, fv, scp->dict, args, nargs, kwargs))
		goto done;
	if (n->kind == PN_LAMBDA) {
		result = eval(ev, scp, n->b);
		goto done;
	}
	exec_body(ev, scp, n->b);
	if (ev->flow == F_RETURN) {
		ev->flow = F_NORMAL;
		result = ev->ret;
	} else if (ev->flow == F_NORMAL) {
		result = ev->none;
	}
	if (result && ev->yields) {
		result = ev->yields;
	} else if (result && ev->has_pending_ret && ev->pending_ret != result) {
		result = pv_unknownf(ev, "the result of %s(), which returns under a condition hub does not evaluate",
				     fn->name->u.str.s);
	}
done:
	ev->depth--;
	ev->cur_mod = saved_mod;
	ev->cur_line = saved_line;
	ev->yields = saved_yields;
	ev->pending_ret = saved_pending;
	ev->has_pending_ret = saved_has_pending;
	ev->uncertain = saved_uncertain;
	ev->why_uncertain = saved_why;
	return result;
}

/* ---- calls ---- */

static struct pv *instantiate(struct pyeval *ev, struct pv *cls, struct pv **args, size_t nargs,
			      struct pv *kwargs)
{
	struct pv *inst, *init, *r;
	struct pv **all;

	if (cls->id)
		return lib_call(ev, cls, args, nargs, kwargs);
	if (ev_is_enum(ev, cls) && nargs == 1 && !kwargs)
		return ev_enum_by_value(ev, cls, args[0]);
	if (is_subclass(cls, ev->exc_base)) {
		inst = pv_instance(ev, cls);
		return inst;
	}
	if ((init = class_lookup(cls, pv_intern(ev, "__new__", 7))) && init->kind == K_STATICMETHOD &&
	    init->u.wrapped->kind == K_FUNCTION) {
		/* a __new__ of the repository decides what the class makes */
		all = ev_alloc(ev, (nargs + 1) * sizeof(*all));
		all[0] = cls;
		if (nargs)
			memcpy(all + 1, args, nargs * sizeof(*all));
		r = ev_call(ev, init->u.wrapped, all, nargs + 1, kwargs);
		if (!r || r->kind != K_INSTANCE || r->u.inst.cls != cls)
			return r;
		inst = r;
	} else {
		inst = pv_instance(ev, cls);
	}
	init = class_lookup(cls, pv_intern(ev, "__init__", 8));
	if (!init && (cls->flags & PVF_DATACLASS) && kwargs) {
		/* the __init__ @dataclass writes: keyword fields at least */
		size_t k;
		for (k = 0; k < kwargs->u.dict->count; k++)
			if (kwargs->u.dict->keys[k])
				dict_set(ev, inst->u.inst.dict, kwargs->u.dict->keys[k], kwargs->u.dict->vals[k]);
	}
	if (init && init->kind == K_FUNCTION) {
		all = ev_alloc(ev, (nargs + 1) * sizeof(*all));
		all[0] = inst;
		if (nargs)
			memcpy(all + 1, args, nargs * sizeof(*all));
		r = call_function(ev, init, all, nargs + 1, kwargs);
		if (!r)
			return NULL;
	}
	return inst;
}

struct pv *ev_call(struct pyeval *ev, struct pv *callee, struct pv **args, size_t nargs,
		   struct pv *kwargs)
{
	struct pv **all, *f;

	if (ev_step(ev))
		return NULL;
	if (ev->call_hook && (f = ev->call_hook(ev, callee, args, nargs, kwargs)))
		return f;
	switch (callee->kind) {
	case K_FUNCTION:
		return call_function(ev, callee, args, nargs, kwargs);
	case K_CLASS:
		return instantiate(ev, callee, args, nargs, kwargs);
	case K_METHOD:
		all = ev_alloc(ev, (nargs + 1) * sizeof(*all));
		all[0] = callee->u.method.self;
		if (nargs)
			memcpy(all + 1, args, nargs * sizeof(*all));
		return ev_call(ev, callee->u.method.fn, all, nargs + 1, kwargs);
	case K_BUILTIN:
		return lib_call(ev, callee, args, nargs, kwargs);
	case K_PARTIAL: {
		struct pv_seq *pa = callee->u.partial.args->u.seq;
		struct pv *kw = callee->u.partial.kw;
		size_t k;

		all = ev_alloc(ev, (pa->count + nargs + 1) * sizeof(*all));
		if (pa->count)
			memcpy(all, pa->items, pa->count * sizeof(*all));
		if (nargs)
			memcpy(all + pa->count, args, nargs * sizeof(*all));
		if (kw && kw->u.dict->live) {
			struct pv *merged = pv_dict_new(ev);
			for (k = 0; k < kw->u.dict->count; k++)
				if (kw->u.dict->keys[k])
					dict_set(ev, merged, kw->u.dict->keys[k], kw->u.dict->vals[k]);
			for (k = 0; kwargs && k < kwargs->u.dict->count; k++)
				if (kwargs->u.dict->keys[k])
					dict_set(ev, merged, kwargs->u.dict->keys[k], kwargs->u.dict->vals[k]);
			kwargs = merged;
		}
		return ev_call(ev, callee->u.partial.fn, all, pa->count + nargs, kwargs);
	}
	case K_INSTANCE:
		f = class_lookup(callee->u.inst.cls, pv_intern(ev, "__call__", 8));
		if (f && f->kind == K_FUNCTION) {
			all = ev_alloc(ev, (nargs + 1) * sizeof(*all));
			all[0] = callee;
			if (nargs)
				memcpy(all + 1, args, nargs * sizeof(*all));
			return call_function(ev, f, all, nargs + 1, kwargs);
		}
		if (callee->u.inst.cls->u.cls->opaque_base)
			return pv_unknown(ev, "the result of calling an instance of a class from outside the repository");
		return ev_raise(ev, ev->exc_type, "'%s' object is not callable",
				callee->u.inst.cls->u.cls->name->u.str.s);
	case K_CLASSMETHOD:
	case K_STATICMETHOD:
		return ev_call(ev, callee->u.wrapped, args, nargs, kwargs);
	case K_OPAQUE:
		return pv_unknownf(ev, "the result of %s%s%s() from outside the repository",
				   callee->u.opaque.module, callee->u.opaque.attr ? "." : "",
				   callee->u.opaque.attr ? callee->u.opaque.attr : "");
	case K_UNKNOWN:
		return callee;
	case K_MODULE:
		return ev_raise(ev, ev->exc_type, "'module' object is not callable");
	default:
		return ev_raise(ev, ev->exc_type, "object is not callable");
	}
}

/* ---- attributes ---- */

struct pv *class_lookup(struct pv *cls, const struct pv *name)
{
	size_t k;
	struct pv *v;

	if (cls->kind != K_CLASS)
		return NULL;
	for (k = 0; k < cls->u.cls->mro_count; k++) {
		struct pv *c = cls->u.cls->mro[k];
		if (c->u.cls->dict && (v = dict_get(c->u.cls->dict, name)))
			return v;
	}
	return NULL;
}

int is_subclass(const struct pv *cls, const struct pv *base)
{
	size_t k;

	if (!cls || cls->kind != K_CLASS || !base)
		return 0;
	for (k = 0; k < cls->u.cls->mro_count; k++)
		if (cls->u.cls->mro[k] == base)
			return 1;
	return 0;
}

static struct pv *bind_method(struct pyeval *ev, struct pv *fn, struct pv *self)
{
	struct pv *m = pv_new(ev, K_METHOD);

	m->u.method.fn = fn;
	m->u.method.self = self;
	return m;
}

/* What class attribute `v` is when read through obj (an instance, or the
 * class itself when inst is NULL). */
static struct pv *descriptor(struct pyeval *ev, struct pv *v, struct pv *inst, struct pv *cls)
{
	switch (v->kind) {
	case K_FUNCTION:
		return inst ? bind_method(ev, v, inst) : v;
	case K_CLASSMETHOD:
		return bind_method(ev, v->u.wrapped, cls);
	case K_STATICMETHOD:
		return v->u.wrapped;
	case K_PROPERTY:
		if (inst && v->u.wrapped && v->u.wrapped->kind == K_FUNCTION)
			return call_function(ev, v->u.wrapped, &inst, 1, NULL);
		return inst ? pv_unknown(ev, "a property") : v;
	default:
		return v;
	}
}

/* An attribute of super(start, obj) (pair: the tuple of the two): the
 * first class after start in the method resolution order of obj's class
 * (obj itself when it is a class) that defines it, bound as that class
 * would bind it. Past the repository's classes, object's and type's
 * methods are modelled: __init__ and __init_subclass__ do nothing,
 * __new__ makes the instance (or, for a metaclass, the class). */
static struct pv *super_attr(struct pyeval *ev, struct pv *pair, struct pv *name)
{
	struct pv *start = pair->u.seq->items[0], *obj = pair->u.seq->items[1], *cls, *v;
	const char *s = name->u.str.s;
	size_t k, i;

	cls = obj->kind == K_CLASS ? obj : obj->kind == K_INSTANCE ? obj->u.inst.cls : NULL;
	if (!cls || start->kind != K_CLASS)
		return pv_unknownf(ev, "attribute '%s' of super()", s);
	for (k = 0; k < cls->u.cls->mro_count && cls->u.cls->mro[k] != start; k++)
		;
	for (i = k + 1; i < cls->u.cls->mro_count; i++) {
		struct pv *c = cls->u.cls->mro[i];
		if (c->id)
			break;
		if ((v = dict_get(c->u.cls->dict, name)))
			return descriptor(ev, v, obj->kind == K_INSTANCE ? obj : NULL, cls);
	}
	if (cls->u.cls->opaque_base)
		return pv_unknownf(ev, "attribute '%s' of super() of a class with a base hub cannot see into", s);
	if (!strcmp(s, "__init__") || !strcmp(s, "__init_subclass__") || !strcmp(s, "__set_name__"))
		return pv_builtin(ev, B_NOOP, NULL);
	if (!strcmp(s, "__new__"))
		return pv_builtin(ev, ev->type_class && is_subclass(cls, ev->type_class) ?
				  B_TYPE_NEW : B_OBJECT_NEW, NULL);
	return pv_unknownf(ev, "attribute '%s' of super()", s);
}

static struct pv *func_attr(struct pyeval *ev, struct pv *fv, struct pv *name)
{
	struct pv_func *fn = fv->u.fn;
	struct pv *v;
	const char *s = name->u.str.s;

	if (fn->attrs && (v = dict_get(fn->attrs, name)))
		return v;
	if (!strcmp(s, "__name__"))
		return fn->name;
	if (!strcmp(s, "__qualname__"))
		return fn->qualname;
	if (!strcmp(s, "__module__"))
		return pv_strz(ev, module_name_of(fn->mod));
	if (!strcmp(s, "__doc__"))
		return ev_func_doc(ev, fv);
	if (!strcmp(s, "__dict__")) {
		if (!fn->attrs)
			fn->attrs = pv_dict_new(ev);
		return fn->attrs;
	}
	if (!strcmp(s, "__globals__"))
		return fn->mod->dict;
	if (!strcmp(s, "__defaults__") || !strcmp(s, "__kwdefaults__") ||
	    !strcmp(s, "__annotations__") || !strcmp(s, "__code__"))
		return pv_unknownf(ev, "%s of a function", s);
	if (ev->lenient)
		return pv_unknownf(ev, "attribute '%s' of a function", s);
	return ev_raise(ev, ev->exc_attribute, "'function' object has no attribute '%s'", s);
}

static struct pv *module_attr(struct pyeval *ev, struct pv *mv, struct pv *name)
{
	struct evmod *m = mv->u.mod;
	struct pv *v;
	const char *s = name->u.str.s;

	if (m->state == MS_NEW && m->origin == M_LIBRARY && lib_may_load(ev, m))
		module_load(ev, m);
	if (m->dict && (v = dict_get(m->dict, name)))
		return v;
	if (!strcmp(s, "__dict__"))
		return m->dict;
	if (!strcmp(s, "__name__"))
		return pv_strz(ev, m->name);
	if (m->origin == M_OPAQUE || m->origin == M_LIBRARY || m->incomplete ||
	    m->state == MS_FAILED)
		return pv_opaque(ev, m->name, s);
	if (m->origin == M_MODELLED)
		return pv_opaque(ev, m->name, s);
	return ev_raise(ev, ev->exc_attribute, "module '%s' has no attribute '%s'", m->name, s);
}

struct pv *ev_getattr(struct pyeval *ev, struct pv *obj, struct pv *name)
{
	struct pv *v, *cls;
	const char *s = name->u.str.s;

	if (ev_step(ev))
		return NULL;
	switch (obj->kind) {
	case K_MODULE:
		return module_attr(ev, obj, name);
	case K_CLASS:
		if (!strcmp(s, "__name__") || !strcmp(s, "__qualname__"))
			return obj->u.cls->name;
		if (!strcmp(s, "__dict__"))
			return obj->u.cls->dict;
		if (!strcmp(s, "__module__"))
			return pv_strz(ev, obj->u.cls->mod ? obj->u.cls->mod->name : "builtins");
		if (!strcmp(s, "__bases__"))
			return obj->u.cls->bases;
		if (!strcmp(s, "__mro__")) {
			size_t k;
			v = pv_seq_new(ev, K_TUPLE, obj->u.cls->mro_count);
			for (k = 0; k < obj->u.cls->mro_count; k++)
				seq_append(ev, v, obj->u.cls->mro[k]);
			return v;
		}
		if (!strcmp(s, "__doc__"))
			return obj->u.cls->dict && (v = dict_get(obj->u.cls->dict, name)) ? v : ev->none;
		if ((v = class_lookup(obj, name)))
			return descriptor(ev, v, NULL, obj);
		if (!strcmp(s, "__members__") && ev_is_enum(ev, obj))
			return dict_get_str(obj->u.cls->dict, "_member_map_");
		/* what the class's metaclass defines, bound to the class */
		if (obj->u.cls->meta && (v = class_lookup(obj->u.cls->meta, name)))
			return descriptor(ev, v, obj, obj->u.cls->meta);
		if (obj->id && (v = lib_method(ev, obj, name)))
			return v;
		if (obj->id)
			return pv_unknownf(ev, "%s.%s, which hub does not model", obj->u.cls->name->u.str.s, s);
		if (obj->u.cls->opaque_base)
			return pv_unknownf(ev, "%s.%s (inherited from outside the repository)",
					   obj->u.cls->name->u.str.s, s);
		return ev_raise(ev, ev->exc_attribute, "type object '%s' has no attribute '%s'",
				obj->u.cls->name->u.str.s, s);
	case K_INSTANCE:
		cls = obj->u.inst.cls;
		if ((v = dict_get(obj->u.inst.dict, name)))
			return v;
		if (!strcmp(s, "__class__"))
			return cls;
		if (!strcmp(s, "__dict__"))
			return obj->u.inst.dict;
		if ((v = class_lookup(cls, name)))
			return descriptor(ev, v, obj, cls);
		if (!strcmp(s, "__doc__"))
			return ev->none;
		/* what is not found otherwise is the class's __getattr__'s */
		if ((v = class_lookup(cls, pv_intern(ev, "__getattr__", 11))) && v->kind == K_FUNCTION) {
			struct pv *a[2];
			a[0] = obj;
			a[1] = name;
			return ev_call(ev, v, a, 2, NULL);
		}
		if (cls->u.cls->opaque_base || (cls->flags & PVF_DATACLASS))
			return pv_unknownf(ev, "attribute '%s' of an instance of %s", s,
					   cls->u.cls->name->u.str.s);
		return ev_raise(ev, ev->exc_attribute, "'%s' object has no attribute '%s'",
				cls->u.cls->name->u.str.s, s);
	case K_FUNCTION:
		return func_attr(ev, obj, name);
	case K_METHOD:
		if (!strcmp(s, "__func__"))
			return obj->u.method.fn;
		if (!strcmp(s, "__self__"))
			return obj->u.method.self;
		return ev_getattr(ev, obj->u.method.fn, name);
	case K_CLASSMETHOD:
	case K_STATICMETHOD:
		if (!strcmp(s, "__func__"))
			return obj->u.wrapped;
		return ev_getattr(ev, obj->u.wrapped, name);
	case K_PROPERTY:
		if (!strcmp(s, "setter") || !strcmp(s, "getter") || !strcmp(s, "deleter"))
			return pv_builtin(ev, B_RETURN_SELF, obj);
		if (!strcmp(s, "fget"))
			return obj->u.wrapped ? obj->u.wrapped : ev->none;
		if (!strcmp(s, "__doc__") && obj->u.wrapped)
			return ev_getattr(ev, obj->u.wrapped, name);
		break;
	case K_OPAQUE: {
		const char *attr = obj->u.opaque.attr;
		v = pv_opaque(ev, obj->u.opaque.module,
			      attr ? ev_printf(ev, "%s.%s", attr, s) : s);
		v->u.opaque.file = obj->u.opaque.file;
		v->line = obj->line;
		return v;
	}
	case K_UNKNOWN:
		return obj;
	case K_BUILTIN:
		if (obj->id == B_SUPER_OBJ)
			return super_attr(ev, obj->u.bi.self, name);
		if (!strcmp(s, "__name__") || !strcmp(s, "__qualname__"))
			return pv_strz(ev, builtin_name((enum builtin_id)obj->id));
		return pv_unknownf(ev, "attribute '%s' of a builtin", s);
	case K_PARTIAL:
		if (obj->u.partial.attrs && (v = dict_get(obj->u.partial.attrs, name)))
			return v;
		if (!strcmp(s, "func"))
			return obj->u.partial.fn;
		if (!strcmp(s, "args"))
			return obj->u.partial.args;
		if (!strcmp(s, "keywords"))
			return obj->u.partial.kw;
		break;
	default:
		break;
	}
	if ((v = lib_method(ev, obj, name)))
		return v;
	if (ev->flow != F_NORMAL)
		return NULL;
	return ev_raise(ev, ev->exc_attribute, "object has no attribute '%s'", s);
}

struct pv *ev_getattr_str(struct pyeval *ev, struct pv *obj, const char *name)
{
	return ev_getattr(ev, obj, pv_intern(ev, name, strlen(name)));
}

int ev_setattr(struct pyeval *ev, struct pv *obj, struct pv *name, struct pv *val)
{
	const char *s = name->u.str.s;

	switch (obj->kind) {
	case K_INSTANCE:
		dict_set(ev, obj->u.inst.dict, name, val);
		return 0;
	case K_CLASS:
		if (obj->id)
			break;
		if (!strcmp(s, "__name__") && val->kind == K_STR)
			obj->u.cls->name = val;
		dict_set(ev, obj->u.cls->dict, name, val);
		return 0;
	case K_FUNCTION:
		if (!strcmp(s, "__name__") && val->kind == K_STR)
			obj->u.fn->name = val;
		else if (!strcmp(s, "__qualname__") && val->kind == K_STR)
			obj->u.fn->qualname = val;
		else {
			if (!obj->u.fn->attrs)
				obj->u.fn->attrs = pv_dict_new(ev);
			dict_set(ev, obj->u.fn->attrs, name, val);
		}
		return 0;
	case K_METHOD:
		return ev_setattr(ev, obj->u.method.fn, name, val);
	case K_PARTIAL:
		/* a partial object has a __dict__ (func, args and keywords are
		 * read-only) */
		if (!strcmp(s, "func") || !strcmp(s, "args") || !strcmp(s, "keywords"))
			break;
		if (!obj->u.partial.attrs)
			obj->u.partial.attrs = pv_dict_new(ev);
		dict_set(ev, obj->u.partial.attrs, name, val);
		return 0;
	case K_MODULE:
		if (obj->u.mod->dict)
			store_global(ev, obj->u.mod, name, val);
		return 0;
	case K_OPAQUE:
	case K_UNKNOWN:
		return 0;
	default:
		break;
	}
	ev_raise(ev, ev->exc_attribute, "cannot set attribute '%s'", s);
	return -1;
}

/* ---- expressions ---- */

static struct pv *eval_constant(struct pyeval *ev, struct evmod *m, const struct py_node *n)
{
	struct pv *v;
	const char *s;
	size_t len;

	switch (n->op) {
	case PY_CONST_NONE:
		return ev->none;
	case PY_CONST_TRUE:
		return ev->true_;
	case PY_CONST_FALSE:
		return ev->false_;
	case PY_CONST_ELLIPSIS:
		return ev->ellipsis;
	case PY_CONST_INT:
		if (n->flags & PY_FLAG_BIGINT)
			return pv_unknown(ev, "an integer too large for hub");
		return pv_int(ev, n->num);
	case PY_CONST_FLOAT:
		s = py_str_at(m->tree, n->str, &len);
		{
			char tmp[64];
			size_t i, j = 0;
			for (i = 0; i < len && j + 1 < sizeof(tmp); i++)
				if (s[i] != '_')
					tmp[j++] = s[i];
			tmp[j] = 0;
			return pv_float(ev, strtod(tmp, NULL));
		}
	case PY_CONST_COMPLEX:
		return pv_unknown(ev, "a complex number");
	case PY_CONST_STR:
		if (!m->consts)
			m->consts = ev_alloc(ev, (m->tree->str_count + 1) * sizeof(*m->consts));
		if (!(v = m->consts[n->str]))
			v = m->consts[n->str] = const_str(ev, m, n->str);
		return v;
	case PY_CONST_BYTES:
		v = const_str(ev, m, n->str);
		v->kind = K_BYTES;
		return v;
	}
	return pv_unknown(ev, "a constant");
}

/* Evaluates a list of expressions (starred ones spread) into seq. */
static int eval_elts(struct pyeval *ev, struct scope *sc, uint32_t list, struct pv *seq)
{
	struct evmod *m = sc->mod;
	uint32_t k, count = LIST_LEN(m, list);
	size_t j;

	for (k = 0; k < count; k++) {
		uint32_t id = LIST_AT(m, list, k);
		const struct py_node *n = NODE(m, id);
		struct pv *v;

		if (n->kind == PN_STARRED) {
			struct pv *items;
			if (!(v = eval(ev, sc, n->a)) || !(items = ev_iterate(ev, v)))
				return -1;
			if (items->kind == K_UNKNOWN) {
				seq->u.seq->count = 0;
				return 1;
			}
			for (j = 0; j < items->u.seq->count; j++)
				seq_append(ev, seq, items->u.seq->items[j]);
			continue;
		}
		if (!(v = eval(ev, sc, id)))
			return -1;
		seq_append(ev, seq, v);
	}
	return 0;
}

static struct pv *eval_call(struct pyeval *ev, struct scope *sc, const struct py_node *n)
{
	struct evmod *m = sc->mod;
	struct pv *fn, *args, *kwargs = NULL, *r;
	uint32_t k, count;
	int st;

	if (!(fn = eval(ev, sc, n->a)))
		return NULL;
	args = pv_seq_new(ev, K_TUPLE, LIST_LEN(m, n->b));
	if ((st = eval_elts(ev, sc, n->b, args)) < 0)
		return NULL;
	if (st > 0)
		return pv_unknown(ev, "a call with *arguments hub cannot compute");
	count = LIST_LEN(m, n->c);
	if (count)
		kwargs = pv_dict_new(ev);
	for (k = 0; k < count; k++) {
		const struct py_node *kw = NODE(m, LIST_AT(m, n->c, k));
		struct pv *v = eval(ev, sc, kw->a);

		if (!v)
			return NULL;
		if (kw->str) {
			dict_set(ev, kwargs, mod_name(ev, m, kw->str), v);
		} else if (v->kind == K_DICT) {
			size_t j;
			for (j = 0; j < v->u.dict->count; j++)
				if (v->u.dict->keys[j])
					dict_set(ev, kwargs, v->u.dict->keys[j], v->u.dict->vals[j]);
			if (v->u.dict->incomplete)
				kwargs->u.dict->incomplete = 1;
		} else if (v->kind == K_UNKNOWN || v->kind == K_OPAQUE || v->kind == K_INSTANCE) {
			kwargs->u.dict->incomplete = 1;
		} else {
			return ev_raise(ev, ev->exc_type, "argument after ** must be a mapping");
		}
	}
	ev->cur_scope = sc;
	ev->cur_line = n->line;
	r = ev_call(ev, fn, args->u.seq->items, args->u.seq->count, kwargs);
	ev->cur_line = n->line;
	if (r && r->kind == K_UNKNOWN && !r->u.unknown.base &&
	    (fn->kind == K_OPAQUE || fn->kind == K_UNKNOWN) && args->u.seq->count == 1 &&
	    (args->u.seq->items[0]->kind == K_FUNCTION || args->u.seq->items[0]->kind == K_CLASS)) {
		/* f(def) with f from outside: most likely a decorator */
		struct pv *u = pv_new(ev, K_UNKNOWN);
		*u = *r;
		u->u.unknown.base = args->u.seq->items[0];
		r = u;
	}
	return r;
}

/* One generator of a comprehension, then the next, then the element. */
static int comprehension(struct pyeval *ev, struct scope *outer, struct scope *sc,
			 const struct py_node *n, uint32_t gens, uint32_t g, struct pv *out)
{
	struct evmod *m = sc->mod;
	const struct py_node *gen;
	struct pv *it, *items;
	size_t j;
	uint32_t k;

	if (g == LIST_LEN(m, gens)) {
		struct pv *v, *val;

		if (ev_step(ev))
			return -1;
		if (n->kind == PN_DICT_COMP) {
			if (!(v = eval(ev, sc, n->a)) || !(val = eval(ev, sc, n->b)))
				return -1;
			dict_set(ev, out, v, val);
			return 0;
		}
		if (!(v = eval(ev, sc, n->a)))
			return -1;
		if (n->kind == PN_SET_COMP)
			dict_set(ev, out, v, v);
		else
			seq_append(ev, out, v);
		return 0;
	}
	gen = NODE(m, LIST_AT(m, gens, g));
	if (!(it = eval(ev, g == 0 ? outer : sc, gen->b)) || !(items = ev_iterate(ev, it)))
		return -1;
	if (items->kind == K_UNKNOWN)
		return 1;
	for (j = 0; j < items->u.seq->count; j++) {
		int keep = 1, st;

		assign(ev, sc, gen->a, items->u.seq->items[j]);
		if (ev->flow != F_NORMAL)
			return -1;
		for (k = 0; k < LIST_LEN(m, gen->c) && keep; k++) {
			struct pv *c = eval(ev, sc, LIST_AT(m, gen->c, k));
			int t;

			if (!c)
				return -1;
			if ((t = pv_truth(c)) < 0)
				return 1;
			keep = t;
		}
		if (keep && (st = comprehension(ev, outer, sc, n, gens, g + 1, out)))
			return st;
	}
	return 0;
}

static struct pv *eval_comprehension(struct pyeval *ev, struct scope *sc, const struct py_node *n)
{
	struct scope *inner = ev_alloc(ev, sizeof(*inner));
	struct pv *out;
	int st;

	inner->kind = S_FUNCTION;
	inner->dict = pv_dict_new(ev);
	inner->parent = sc;
	inner->mod = sc->mod;
	if (n->kind == PN_DICT_COMP || n->kind == PN_SET_COMP)
		out = pv_dict_new(ev);
	else
		out = pv_seq_new(ev, K_LIST, 0);
	st = comprehension(ev, sc, inner, n, n->kind == PN_DICT_COMP ? n->c : n->b, 0, out);
	if (st < 0)
		return NULL;
	if (st > 0)
		return pv_unknownf(ev, "a comprehension over values hub cannot compute");
	if (n->kind == PN_SET_COMP)
		out->kind = K_SET;
	return out;
}

static struct pv *eval_joined(struct pyeval *ev, struct scope *sc, const struct py_node *n)
{
	struct evmod *m = sc->mod;
	struct buf *b = &ev->scratch;
	uint32_t k, count = LIST_LEN(m, n->a);
	struct pv **parts = ev_alloc(ev, (count + 1) * sizeof(*parts));
	size_t mark;
	struct pv *r;

	for (k = 0; k < count; k++) {
		const struct py_node *p = NODE(m, LIST_AT(m, n->a, k));
		struct pv *v, *spec = NULL;

		if (p->kind != PN_FORMATTED_VALUE) {
			if (!(parts[k] = eval(ev, sc, LIST_AT(m, n->a, k))))
				return NULL;
			continue;
		}
		if (!(v = eval(ev, sc, p->a)))
			return NULL;
		if (p->b && !(spec = eval(ev, sc, p->b)))
			return NULL;
		if (!(parts[k] = lib_format(ev, v, spec, (int)p->num)))
			return NULL;
		if (parts[k]->kind != K_STR)
			return parts[k];
	}
	mark = b->len;
	for (k = 0; k < count; k++)
		if (parts[k]->kind == K_STR && buf_add(b, parts[k]->u.str.s, parts[k]->u.str.len))
			return ev_fatal(ev, "evaluation exceeded the string size");
	r = pv_str(ev, b->data ? b->data + mark : "", b->len - mark);
	buf_truncate(b, mark);
	return r;
}

static struct pv *eval_boolop(struct pyeval *ev, struct scope *sc, const struct py_node *n)
{
	struct evmod *m = sc->mod;
	uint32_t k, count = LIST_LEN(m, n->a);
	struct pv *v = NULL;

	for (k = 0; k < count; k++) {
		int t;

		if (!(v = eval(ev, sc, LIST_AT(m, n->a, k))))
			return NULL;
		if (k + 1 == count)
			break;
		t = pv_truth(v);
		if (t < 0)
			return pv_unknown(ev, n->op == PY_AND ? "an 'and' hub cannot decide" :
					      "an 'or' hub cannot decide");
		if ((n->op == PY_AND && !t) || (n->op == PY_OR && t))
			return v;
	}
	return v;
}

static struct pv *eval_compare(struct pyeval *ev, struct scope *sc, const struct py_node *n)
{
	struct evmod *m = sc->mod;
	struct pv *left, *right;
	uint32_t k, count = LIST_LEN(m, n->c);
	int result = 1;

	if (!(left = eval(ev, sc, n->a)))
		return NULL;
	for (k = 0; k < count; k++) {
		int c;

		if (!(right = eval(ev, sc, LIST_AT(m, n->c, k))))
			return NULL;
		c = ev_compare(ev, (int)LIST_AT(m, n->b, k), left, right);
		if (c == -2)
			return NULL;
		if (c < 0)
			return pv_unknown(ev, "a comparison hub cannot decide");
		if (!c) {
			result = 0;
			break;
		}
		left = right;
	}
	return pv_bool(ev, result);
}

struct pv *ev_eval_node(struct pyeval *ev, struct scope *sc, uint32_t node)
{
	return eval(ev, sc, node);
}

static struct pv *eval(struct pyeval *ev, struct scope *sc, uint32_t id)
{
	struct evmod *m = sc->mod;
	const struct py_node *n = NODE(m, id);
	struct pv *v, *w, *name;
	int t;

	if (ev_step(ev))
		return NULL;
	switch (n->kind) {
	case PN_CONSTANT:
		return eval_constant(ev, m, n);
	case PN_NAME:
		name = mod_name(ev, m, n->str);
		if ((v = lookup(ev, sc, name)))
			return v;
		if (m->incomplete || ev->lenient)
			return pv_unknownf(ev, "'%s', which hub cannot see bound", name->u.str.s);
		ev->cur_line = n->line;
		return ev_raise(ev, ev->exc_name, "name '%s' is not defined", name->u.str.s);
	case PN_ATTRIBUTE:
		if (!(v = eval(ev, sc, n->a)))
			return NULL;
		ev->cur_line = n->line;
		return ev_getattr(ev, v, mod_name(ev, m, n->str));
	case PN_SUBSCRIPT:
		if (!(v = eval(ev, sc, n->a)) || !(w = eval(ev, sc, n->b)))
			return NULL;
		ev->cur_line = n->line;
		return ev_subscript(ev, v, w);
	case PN_CALL:
		return eval_call(ev, sc, n);
	case PN_BIN_OP:
		if (!(v = eval(ev, sc, n->a)) || !(w = eval(ev, sc, n->b)))
			return NULL;
		ev->cur_line = n->line;
		return ev_binop(ev, n->op, v, w);
	case PN_UNARY_OP:
		if (!(v = eval(ev, sc, n->a)))
			return NULL;
		switch (n->op) {
		case PY_NOT:
			t = pv_truth(v);
			return t < 0 ? pv_unknown(ev, "a 'not' hub cannot decide") : pv_bool(ev, !t);
		case PY_USUB:
			if (v->kind == K_INT || v->kind == K_BOOL)
				return pv_int(ev, -v->u.i);
			if (v->kind == K_FLOAT)
				return pv_float(ev, -v->u.f);
			break;
		case PY_UADD:
			if (v->kind == K_INT || v->kind == K_FLOAT)
				return v;
			if (v->kind == K_BOOL)
				return pv_int(ev, v->u.i);
			break;
		case PY_INVERT:
			if (v->kind == K_INT || v->kind == K_BOOL)
				return pv_int(ev, ~v->u.i);
			break;
		}
		return pv_unknown(ev, "an operation hub does not model");
	case PN_BOOL_OP:
		return eval_boolop(ev, sc, n);
	case PN_COMPARE:
		return eval_compare(ev, sc, n);
	case PN_IF_EXP:
		if (!(v = eval(ev, sc, n->a)))
			return NULL;
		t = pv_truth(v);
		if (t < 0)
			return pv_unknown(ev, "a conditional expression hub cannot decide");
		return eval(ev, sc, t ? n->b : n->c);
	case PN_LAMBDA:
		return make_function(ev, sc, id);
	case PN_TUPLE:
	case PN_LIST:
	case PN_SET:
		v = pv_seq_new(ev, n->kind == PN_LIST ? K_LIST : K_TUPLE, LIST_LEN(m, n->a));
		if ((t = eval_elts(ev, sc, n->a, v)) < 0)
			return NULL;
		if (t > 0)
			return pv_unknown(ev, "a display with *values hub cannot compute");
		if (n->kind == PN_SET) {
			size_t j;
			w = pv_dict_new(ev);
			for (j = 0; j < v->u.seq->count; j++)
				dict_set(ev, w, v->u.seq->items[j], v->u.seq->items[j]);
			w->kind = K_SET;
			return w;
		}
		return v;
	case PN_DICT: {
		uint32_t k, count = LIST_LEN(m, n->a);

		v = pv_dict_new(ev);
		for (k = 0; k < count; k++) {
			uint32_t kid = LIST_AT(m, n->a, k);
			struct pv *val = eval(ev, sc, LIST_AT(m, n->b, k)), *key;

			if (!val)
				return NULL;
			if (!kid) {
				size_t j;
				if (val->kind != K_DICT) {
					v->u.dict->incomplete = 1;
					continue;
				}
				for (j = 0; j < val->u.dict->count; j++)
					if (val->u.dict->keys[j])
						dict_set(ev, v, val->u.dict->keys[j], val->u.dict->vals[j]);
				if (val->u.dict->incomplete)
					v->u.dict->incomplete = 1;
				continue;
			}
			if (!(key = eval(ev, sc, kid)))
				return NULL;
			dict_set(ev, v, key, val);
		}
		return v;
	}
	case PN_LIST_COMP:
	case PN_SET_COMP:
	case PN_DICT_COMP:
	case PN_GENERATOR_EXP:
		return eval_comprehension(ev, sc, n);
	case PN_JOINED_STR:
		return eval_joined(ev, sc, n);
	case PN_FORMATTED_VALUE:
		if (!(v = eval(ev, sc, n->a)))
			return NULL;
		return lib_format(ev, v, NULL, (int)n->num);
	case PN_NAMED_EXPR:
		if (!(v = eval(ev, sc, n->b)))
			return NULL;
		assign(ev, sc, n->a, v);
		return ev->flow == F_NORMAL ? v : NULL;
	case PN_SLICE: {
		struct pv *lo = ev->none, *hi = ev->none, *st = ev->none;

		if ((n->a && !(lo = eval(ev, sc, n->a))) || (n->b && !(hi = eval(ev, sc, n->b))) ||
		    (n->c && !(st = eval(ev, sc, n->c))))
			return NULL;
		v = pv_seq_new(ev, K_TUPLE, 3);
		seq_append(ev, v, lo);
		seq_append(ev, v, hi);
		seq_append(ev, v, st);
		v->flags |= PVF_SLICE;
		return v;
	}
	case PN_YIELD:
	case PN_YIELD_FROM:
		v = n->a ? eval(ev, sc, n->a) : ev->none;
		if (!v)
			return NULL;
		if (!ev->yields)
			ev->yields = pv_seq_new(ev, K_LIST, 0);
		if (n->kind == PN_YIELD) {
			seq_append(ev, ev->yields, v);
		} else if ((w = ev_iterate(ev, v)) && w->kind != K_UNKNOWN) {
			size_t j;
			for (j = 0; j < w->u.seq->count; j++)
				seq_append(ev, ev->yields, w->u.seq->items[j]);
		}
		return pv_unknown(ev, "the value sent to a generator");
	case PN_AWAIT:
		if (!(v = eval(ev, sc, n->a)))
			return NULL;
		return pv_unknown(ev, "an await");
	case PN_STARRED:
		return ev_raise(ev, ev->exc_type, "can't use starred expression here");
	default:
		return pv_unknown(ev, "an expression hub does not model");
	}
}

/* ---- assignment ---- */

static void assign(struct pyeval *ev, struct scope *sc, uint32_t target, struct pv *val)
{
	struct evmod *m = sc->mod;
	const struct py_node *n = NODE(m, target);
	struct pv *obj, *key, *items;
	uint32_t k, count, star = UINT32_MAX;
	size_t have;

	switch (n->kind) {
	case PN_NAME:
		bind_name(ev, sc, mod_name(ev, m, n->str), val);
		return;
	case PN_ATTRIBUTE:
		if (!(obj = eval(ev, sc, n->a)))
			return;
		ev->cur_line = n->line;
		ev_setattr(ev, obj, mod_name(ev, m, n->str), val);
		return;
	case PN_SUBSCRIPT:
		if (!(obj = eval(ev, sc, n->a)) || !(key = eval(ev, sc, n->b)))
			return;
		ev->cur_line = n->line;
		ev_setitem(ev, obj, key, val);
		return;
	case PN_STARRED:
		assign(ev, sc, n->a, val);
		return;
	case PN_TUPLE:
	case PN_LIST:
		count = LIST_LEN(m, n->a);
		if (!(items = ev_iterate(ev, val)))
			return;
		for (k = 0; k < count; k++)
			if (NODE(m, LIST_AT(m, n->a, k))->kind == PN_STARRED)
				star = k;
		if (items->kind == K_UNKNOWN) {
			for (k = 0; k < count && ev->flow == F_NORMAL; k++)
				assign(ev, sc, LIST_AT(m, n->a, k), items);
			return;
		}
		have = items->u.seq->count;
		if ((star == UINT32_MAX && have != count) || (star != UINT32_MAX && have + 1 < count)) {
			ev_raise(ev, ev->exc_value, "cannot unpack %zu values into %u", have, count);
			return;
		}
		for (k = 0; k < count && ev->flow == F_NORMAL; k++) {
			uint32_t t = LIST_AT(m, n->a, k);

			if (k < star || star == UINT32_MAX) {
				assign(ev, sc, t, items->u.seq->items[k]);
			} else if (k == star) {
				struct pv *rest = pv_seq_new(ev, K_LIST, 0);
				size_t j;
				for (j = k; j < have - (count - 1 - k); j++)
					seq_append(ev, rest, items->u.seq->items[j]);
				assign(ev, sc, t, rest);
			} else {
				assign(ev, sc, t, items->u.seq->items[have - (count - k)]);
			}
		}
		return;
	default:
		ev_raise(ev, ev->exc_type, "cannot assign to this expression");
	}
}

static void delete_target(struct pyeval *ev, struct scope *sc, uint32_t target)
{
	struct evmod *m = sc->mod;
	const struct py_node *n = NODE(m, target);
	struct pv *obj, *key;
	uint32_t k;

	switch (n->kind) {
	case PN_NAME:
		delete_name(ev, sc, mod_name(ev, m, n->str));
		return;
	case PN_TUPLE:
	case PN_LIST:
		for (k = 0; k < LIST_LEN(m, n->a) && ev->flow == F_NORMAL; k++)
			delete_target(ev, sc, LIST_AT(m, n->a, k));
		return;
	case PN_SUBSCRIPT:
		if (!(obj = eval(ev, sc, n->a)) || !(key = eval(ev, sc, n->b)))
			return;
		if (obj->kind == K_DICT) {
			if (!dict_del(obj, key) && !obj->u.dict->incomplete && !ev->uncertain)
				ev_raise(ev, ev->exc_key, "key not found");
		} else if (obj->kind == K_LIST && key->kind == K_INT) {
			struct pv_seq *s = obj->u.seq;
			int64_t i = key->u.i < 0 ? key->u.i + (int64_t)s->count : key->u.i;
			if (i >= 0 && (size_t)i < s->count) {
				memmove(s->items + i, s->items + i + 1, (s->count - (size_t)i - 1) * sizeof(*s->items));
				s->count--;
			}
		}
		return;
	case PN_ATTRIBUTE:
		if (!(obj = eval(ev, sc, n->a)))
			return;
		if (obj->kind == K_INSTANCE)
			dict_del(obj->u.inst.dict, mod_name(ev, m, n->str));
		else if (obj->kind == K_MODULE && obj->u.mod->dict)
			dict_del(obj->u.mod->dict, mod_name(ev, m, n->str));
		else if (obj->kind == K_CLASS && !obj->id)
			dict_del(obj->u.cls->dict, mod_name(ev, m, n->str));
		else if (obj->kind == K_FUNCTION && obj->u.fn->attrs)
			dict_del(obj->u.fn->attrs, mod_name(ev, m, n->str));
		return;
	default:
		return;
	}
}

/* ---- classes ---- */

/* C3 linearisation of the bases' MROs; a failure falls back to depth first. */
static void compute_mro(struct pyeval *ev, struct pv *cls)
{
	struct pv_class *c = cls->u.cls;
	struct pv_seq *bases = c->bases->u.seq;
	size_t total = 1, k, j, n = 0;
	struct pv **out;

	for (k = 0; k < bases->count; k++)
		if (bases->items[k]->kind == K_CLASS)
			total += bases->items[k]->u.cls->mro_count;
	out = ev_alloc(ev, (total + 1) * sizeof(*out));
	out[n++] = cls;
	for (k = 0; k < bases->count; k++) {
		struct pv *b = bases->items[k];
		if (b->kind != K_CLASS)
			continue;
		for (j = 0; j < b->u.cls->mro_count; j++) {
			struct pv *x = b->u.cls->mro[j];
			size_t i, later = 0, dup = 0;

			for (i = 0; i < n; i++)
				if (out[i] == x)
					dup = 1;
			/* C3: a class comes after every class that lists it as a base */
			for (i = k + 1; i < bases->count && !later; i++) {
				struct pv *o = bases->items[i];
				size_t q;
				if (o->kind != K_CLASS)
					continue;
				for (q = 1; q < o->u.cls->mro_count; q++)
					if (o->u.cls->mro[q] == x)
						later = 1;
			}
			if (!dup && !later)
				out[n++] = x;
		}
	}
	if (ev->object_class && out[n - 1] != ev->object_class && cls != ev->object_class) {
		for (k = 0; k < n; k++)
			if (out[k] == ev->object_class) {
				memmove(out + k, out + k + 1, (n - k - 1) * sizeof(*out));
				n--;
				break;
			}
		out[n++] = ev->object_class;
	}
	c->mro = out;
	c->mro_count = n;
}

struct pv *ev_new_class(struct pyeval *ev, const char *name, struct pv *base, int id)
{
	struct pv *cls = pv_new(ev, K_CLASS);

	cls->id = (uint16_t)id;
	cls->u.cls = ev_alloc(ev, sizeof(*cls->u.cls));
	cls->u.cls->name = pv_strz(ev, name);
	cls->u.cls->dict = pv_dict_new(ev);
	cls->u.cls->bases = pv_seq_new(ev, K_TUPLE, 1);
	if (base)
		seq_append(ev, cls->u.cls->bases, base);
	compute_mro(ev, cls);
	return cls;
}

/* type(name, bases, namespace) and type.__new__(meta, name, bases,
 * namespace): the class a class statement would make of that namespace
 * (the class statement's own while its metaclass runs). NULL: arguments
 * hub cannot make a class of (the caller says unknown). */
struct pv *ev_make_class(struct pyeval *ev, struct pv *meta, struct pv *name, struct pv *bases,
			 struct pv *ns, struct pv *kwargs)
{
	struct pv *cls;
	struct pv_class *c;
	size_t k;

	if (ev->pending_class && ns == ev->pending_class->u.cls->dict) {
		cls = ev->pending_class;
		ev->pending_class = NULL;
		return ev_class_created(ev, cls, kwargs) ? NULL : cls;
	}
	if (!name || name->kind != K_STR || !bases || bases->kind != K_TUPLE || !ns ||
	    ns->kind != K_DICT || ns->u.dict->incomplete)
		return NULL;
	cls = pv_new(ev, K_CLASS);
	c = ev_alloc(ev, sizeof(*c));
	cls->u.cls = c;
	cls->line = ev->cur_line;
	c->name = name;
	c->mod = ev->cur_mod;
	c->bases = bases;
	c->dict = pv_dict_new(ev);
	c->meta = meta && meta->kind == K_CLASS && !meta->id ? meta : NULL;
	for (k = 0; k < bases->u.seq->count; k++) {
		struct pv *b = bases->u.seq->items[k];
		if (!ev_transparent_base(ev, b))
			c->opaque_base = 1;
	}
	for (k = 0; k < ns->u.dict->count; k++)
		if (ns->u.dict->keys[k])
			dict_set(ev, c->dict, ns->u.dict->keys[k], ns->u.dict->vals[k]);
	if (!dict_get_str(c->dict, "__doc__"))
		dict_set_str(ev, c->dict, "__doc__", ev->none);
	if (!dict_get_str(c->dict, "__module__") && c->mod)
		dict_set_str(ev, c->dict, "__module__", pv_strz(ev, c->mod->name));
	compute_mro(ev, cls);
	return ev_class_created(ev, cls, kwargs) ? NULL : cls;
}

static struct pv *apply_decorators(struct pyeval *ev, struct scope *sc, uint32_t list, struct pv *v)
{
	struct evmod *m = sc->mod;
	uint32_t k = LIST_LEN(m, list);

	while (k-- > 0 && v) {
		uint32_t did = LIST_AT(m, list, k);
		struct pv *d = eval(ev, sc, did), *r;

		if (!d)
			return NULL;
		ev->cur_line = NODE(m, did)->line;
		ev->cur_scope = sc;
		r = ev_call(ev, d, &v, 1, NULL);
		if (r && r->kind == K_UNKNOWN && !r->u.unknown.base &&
		    (d->kind == K_OPAQUE || d->kind == K_UNKNOWN)) {
			struct pv *u = pv_new(ev, K_UNKNOWN);
			*u = *r;
			u->u.unknown.base = v;
			u->line = NODE(m, did)->line;
			r = u;
		}
		v = r;
	}
	return v;
}

/* What type.__new__ does once the class exists: the functions its body
 * defined learn their class (super() needs it), and the nearest
 * __init_subclass__ of a base runs with the class statement's keywords.
 * -1: it raised. */
int ev_class_created(struct pyeval *ev, struct pv *cls, struct pv *kwargs)
{
	struct pv_dict *d = cls->u.cls->dict->u.dict;
	struct pv *name = pv_intern(ev, "__init_subclass__", 17), *v;
	size_t k;

	for (k = 0; k < d->count; k++) {
		struct pv *f = d->vals[k];
		if (!d->keys[k] || !f)
			continue;
		if (f->kind == K_CLASSMETHOD || f->kind == K_STATICMETHOD)
			f = f->u.wrapped;
		else if (f->kind == K_PROPERTY && f->u.wrapped)
			f = f->u.wrapped;
		if (f && f->kind == K_FUNCTION && !f->u.fn->owner)
			f->u.fn->owner = cls;
	}
	if (ev_enum_members(ev, cls))
		return -1;
	for (k = 0; ev->typed_namedtuple_class && k < cls->u.cls->bases->u.seq->count; k++)
		if (cls->u.cls->bases->u.seq->items[k] == ev->typed_namedtuple_class) {
			typed_namedtuple(ev, cls);
			break;
		}
	/* __init_subclass__ is a classmethod without saying so */
	if ((v = dict_get(cls->u.cls->dict, name)) && v->kind == K_FUNCTION) {
		struct pv *cm = pv_new(ev, K_CLASSMETHOD);
		cm->u.wrapped = v;
		dict_set(ev, cls->u.cls->dict, name, cm);
	}
	for (k = 1; k < cls->u.cls->mro_count; k++) {
		struct pv *c = cls->u.cls->mro[k];
		if (c->id)
			break;
		if ((v = dict_get(c->u.cls->dict, name))) {
			v = descriptor(ev, v, NULL, cls);
			if (!ev_call(ev, v, NULL, 0, kwargs) || ev->flow != F_NORMAL)
				return -1;
			break;
		}
	}
	return 0;
}

struct pv *ev_dataclass_fields(struct pyeval *ev, struct pv *cls)
{
	struct pv *fields = pv_dict_new(ev);
	size_t i, k;

	for (i = cls->u.cls->mro_count; i-- > 0;) {
		struct pv *c = cls->u.cls->mro[i], *ann;
		if (!(c->flags & PVF_DATACLASS) ||
		    !(ann = dict_get_str(c->u.cls->dict, "__annotations__")) || ann->kind != K_DICT)
			continue;
		for (k = 0; k < ann->u.dict->count; k++)
			if (ann->u.dict->keys[k])
				dict_set(ev, fields, ann->u.dict->keys[k], ann->u.dict->vals[k]);
	}
	return fields;
}

void ev_namedtuple(struct pyeval *ev, struct pv *cls, struct pv *fields, struct pv *defaults)
{
	struct pv *fd = pv_dict_new(ev), *doc;
	size_t n = fields->u.seq->count, nd = defaults ? defaults->u.seq->count : 0, k;
	struct buf text = BUF_INIT(1 << 20, "docstring");

	for (k = 0; k < nd && k < n; k++)
		dict_set(ev, fd, fields->u.seq->items[n - nd + k], defaults->u.seq->items[k]);
	cls->flags |= PVF_NAMEDTUPLE;
	dict_set_str(ev, cls->u.cls->dict, "_fields", fields);
	dict_set_str(ev, cls->u.cls->dict, "_field_defaults", fd);
	doc = dict_get_str(cls->u.cls->dict, "__doc__");
	if (!doc || doc->kind == K_NONE) {
		buf_add(&text, cls->u.cls->name->u.str.s, cls->u.cls->name->u.str.len);
		buf_addch(&text, '(');
		for (k = 0; k < n; k++) {
			struct pv *f = fields->u.seq->items[k];
			if (k)
				buf_addstr(&text, ", ");
			buf_add(&text, f->u.str.s, f->u.str.len);
		}
		buf_addch(&text, ')');
		dict_set_str(ev, cls->u.cls->dict, "__doc__", pv_str(ev, text.data, text.len));
		buf_free(&text);
	}
}

/* class C(typing.NamedTuple): its annotations are the fields, the values
 * given to them the defaults. */
static void typed_namedtuple(struct pyeval *ev, struct pv *cls)
{
	struct pv *ann = dict_get_str(cls->u.cls->dict, "__annotations__");
	struct pv *fields = pv_seq_new(ev, K_TUPLE, 4), *defaults = pv_seq_new(ev, K_TUPLE, 4);
	size_t k;

	if (ann && ann->kind == K_DICT) {
		for (k = 0; k < ann->u.dict->count; k++) {
			struct pv *key = ann->u.dict->keys[k], *d;
			if (!key)
				continue;
			seq_append(ev, fields, key);
			if ((d = dict_get(cls->u.cls->dict, key)))
				seq_append(ev, defaults, d);
		}
	}
	ev_namedtuple(ev, cls, fields, defaults->u.seq->count ? defaults : NULL);
}

/* The metaclass of a class statement that hub runs: metaclass= if given
 * (a class, or any function), else the first base's; only one of the
 * repository (NULL: type, or a library's metaclass, ABCMeta or EnumType
 * say, whose classes are built as type builds them). */
static struct pv *metaclass_of(struct pyeval *ev, struct pv *explicit, struct pv *bases)
{
	struct pv *meta = NULL;
	size_t k;

	if (explicit) {
		meta = explicit;
	} else {
		for (k = 0; k < bases->u.seq->count && !meta; k++) {
			struct pv *b = bases->u.seq->items[k];
			if (b->kind == K_CLASS && b->u.cls->meta)
				meta = b->u.cls->meta;
		}
	}
	if (meta && meta->kind == K_FUNCTION)
		return meta->u.fn->mod->origin == M_REPO ? meta : NULL;
	if (!meta || meta->kind != K_CLASS || meta->id || !meta->u.cls->mod ||
	    meta->u.cls->mod->origin != M_REPO)
		return NULL;
	return meta;
}

/* meta(name, bases, namespace, **kwargs) for a metaclass of the
 * repository: its __new__ (type.__new__, or type() in a function given as
 * metaclass=, hands back the class hub built from the body: the namespace
 * is that class's dictionary), then its __init__. The class statement
 * binds what that returns. */
static struct pv *run_metaclass(struct pyeval *ev, struct pv *meta, struct pv *cls, struct pv *kwargs)
{
	struct pv *args[4], *f, *r, *saved = ev->pending_class;

	args[0] = meta;
	args[1] = cls->u.cls->name;
	args[2] = cls->u.cls->bases;
	args[3] = cls->u.cls->dict;
	ev->pending_class = cls;
	if (meta->kind == K_FUNCTION) {
		r = ev_call(ev, meta, args + 1, 3, kwargs);
		ev->pending_class = saved;
		return r && ev->flow == F_NORMAL ? r : NULL;
	}
	cls->u.cls->meta = meta;
	f = class_lookup(meta, pv_intern(ev, "__new__", 7));
	if (f && f->kind == K_STATICMETHOD)
		f = f->u.wrapped;
	if (f && f->kind == K_FUNCTION) {
		r = ev_call(ev, f, args, 4, kwargs);
	} else {
		r = ev_class_created(ev, cls, kwargs) ? NULL : cls;
	}
	ev->pending_class = saved;
	if (!r || ev->flow != F_NORMAL)
		return NULL;
	f = class_lookup(meta, pv_intern(ev, "__init__", 8));
	if (r == cls && f && f->kind == K_FUNCTION) {
		args[0] = cls;
		if (!ev_call(ev, f, args, 4, kwargs) || ev->flow != F_NORMAL)
			return NULL;
	}
	return r;
}

static void class_def(struct pyeval *ev, struct scope *sc, uint32_t id)
{
	struct evmod *m = sc->mod;
	const struct py_node *n = NODE(m, id);
	struct pv *cls = pv_new(ev, K_CLASS), *bases, *v, *meta = NULL, *kwargs = NULL;
	struct pv_class *c = ev_alloc(ev, sizeof(*c));
	struct scope body;
	uint32_t k;

	cls->u.cls = c;
	cls->line = n->line;
	c->name = mod_name(ev, m, n->str);
	c->mod = m;
	c->node = id;
	bases = pv_seq_new(ev, K_TUPLE, LIST_LEN(m, n->a));
	if (eval_elts(ev, sc, n->a, bases))
		return;
	for (k = 0; k < LIST_LEN(m, n->b); k++) {
		/* metaclass=..., the rest for the metaclass and __init_subclass__ */
		const struct py_node *kw = NODE(m, LIST_AT(m, n->b, k));
		if (!(v = eval(ev, sc, kw->a)))
			return;
		if (kw->str && !strcmp(mod_name(ev, m, kw->str)->u.str.s, "metaclass")) {
			meta = v;
		} else if (kw->str) {
			if (!kwargs)
				kwargs = pv_dict_new(ev);
			dict_set(ev, kwargs, mod_name(ev, m, kw->str), v);
		} else {
			kwargs = NULL;  /* **mapping: hub passes none rather than some */
		}
	}
	for (k = 0; k < bases->u.seq->count; k++) {
		struct pv *b = bases->u.seq->items[k];
		if (!ev_transparent_base(ev, b))
			c->opaque_base = 1;
	}
	c->bases = bases;
	c->dict = pv_dict_new(ev);
	memset(&body, 0, sizeof(body));
	body.kind = S_CLASS;
	body.dict = c->dict;
	body.parent = sc->kind == S_MODULE ? NULL : sc;
	body.mod = m;
	body.class_name = c->name;
	dict_set_str(ev, c->dict, "__module__", pv_strz(ev, m->name));
	dict_set_str(ev, c->dict, "__qualname__", c->name);
	exec_body(ev, &body, n->c);
	if (ev->flow != F_NORMAL)
		return;
	if (!dict_get_str(c->dict, "__doc__")) {
		uint32_t first = LIST_LEN(m, n->c) ? LIST_AT(m, n->c, 0) : 0;
		const struct py_node *e = NODE(m, first);
		v = ev->none;
		if (e->kind == PN_EXPR && NODE(m, e->a)->kind == PN_CONSTANT &&
		    NODE(m, e->a)->op == PY_CONST_STR)
			v = eval_constant(ev, m, NODE(m, e->a));
		dict_set_str(ev, c->dict, "__doc__", v);
	}
	compute_mro(ev, cls);
	if ((meta = metaclass_of(ev, meta, bases))) {
		if (!(v = run_metaclass(ev, meta, cls, kwargs)))
			return;
	} else {
		if (ev_class_created(ev, cls, kwargs))
			return;
		v = cls;
	}
	if (!(v = apply_decorators(ev, sc, n->d, v)))
		return;
	ev->bind_how = PV_BOUND_DEF;
	bind_name(ev, sc, c->name, v);
	ev->bind_how = PV_BOUND_OTHER;
}

/* ---- statements ---- */

/* Whether the module starts with `from __future__ import annotations`. */
static int future_annotations(struct evmod *m)
{
	const struct py_tree *t = m->tree;
	uint32_t body, k, j;

	if (m->future_annotations)
		return m->future_annotations == 2;
	m->future_annotations = 1;
	body = t->nodes[t->root].a;
	for (k = 0; k < py_list_len(t, body); k++) {
		const struct py_node *s = &t->nodes[py_list_at(t, body, k)];
		if (s->kind != PN_IMPORT_FROM || !s->str || strcmp(py_str_at(t, s->str, NULL), "__future__"))
			continue;
		for (j = 0; j < py_list_len(t, s->a); j++) {
			const struct py_node *alias = &t->nodes[py_list_at(t, s->a, j)];
			if (!strcmp(py_str_at(t, alias->str, NULL), "annotations"))
				m->future_annotations = 2;
		}
	}
	return m->future_annotations == 2;
}

/* Runs a body hub cannot tell will run: its names are bound as if it
 * did, remembered as conditional; a raise or a return in it does not
 * end what follows. */
static void exec_uncertain(struct pyeval *ev, struct scope *sc, uint32_t list, const char *why)
{
	int saved = ev->uncertain;
	const char *saved_why = ev->why_uncertain;

	ev->uncertain = 1;
	if (!saved_why || !saved)
		ev->why_uncertain = why;
	exec_body(ev, sc, list);
	if (ev->flow == F_RAISE) {
		/* it may raise: a try around it may run its handler */
		if (!ev->maybe_exc)
			ev->maybe_exc = ev->exc ? ev->exc : ev->none;
		ev->flow = F_NORMAL;
		ev->exc = NULL;
	} else if (ev->flow == F_RETURN) {
		ev->flow = F_NORMAL;
		if (!ev->has_pending_ret) {
			ev->has_pending_ret = 1;
			ev->pending_ret = ev->ret;
		}
	} else if (ev->flow == F_BREAK || ev->flow == F_CONTINUE) {
		ev->flow = F_NORMAL;
	}
	ev->uncertain = saved;
	ev->why_uncertain = saved_why;
}

static void exec_if(struct pyeval *ev, struct scope *sc, const struct py_node *n)
{
	struct pv *c = eval(ev, sc, n->a);
	int t;

	if (!c)
		return;
	t = pv_truth(c);
	if (t > 0) {
		exec_body(ev, sc, n->b);
	} else if (t == 0) {
		exec_body(ev, sc, n->c);
	} else {
		if (sc->mod == ev->main && sc->kind == S_MODULE && c->kind == K_UNKNOWN && !ev->lenient)
			ev_warn(ev, "%s:%u: if on %s: hub runs both branches", sc->mod->path, n->line,
				c->u.unknown.what);
		exec_uncertain(ev, sc, n->b, "under a condition hub does not evaluate");
		exec_uncertain(ev, sc, n->c, "under a condition hub does not evaluate");
	}
}

static void exec_loop_body(struct pyeval *ev, struct scope *sc, uint32_t body, int *stop)
{
	exec_body(ev, sc, body);
	*stop = 0;
	if (ev->flow == F_BREAK) {
		ev->flow = F_NORMAL;
		*stop = 2;
	} else if (ev->flow == F_CONTINUE) {
		ev->flow = F_NORMAL;
	} else if (ev->flow != F_NORMAL) {
		*stop = 1;
	}
}

static void exec_for(struct pyeval *ev, struct scope *sc, const struct py_node *n)
{
	struct pv *it = eval(ev, sc, n->b), *items;
	size_t j;
	int stop = 0;

	if (!it || !(items = ev_iterate(ev, it)))
		return;
	if (items->kind == K_UNKNOWN) {
		if (sc->kind == S_MODULE && !ev->lenient)
			ev_warn(ev, "%s:%u: a for loop over %s: hub does not run its body",
				sc->mod->path, n->line, items->u.unknown.what);
		if (sc->kind == S_MODULE)
			sc->mod->incomplete = 1;
		return;
	}
	for (j = 0; j < items->u.seq->count; j++) {
		if (ev_step(ev))
			return;
		assign(ev, sc, n->a, items->u.seq->items[j]);
		if (ev->flow != F_NORMAL)
			return;
		exec_loop_body(ev, sc, n->c, &stop);
		if (stop)
			break;
	}
	if (stop != 1 && stop != 2)
		exec_body(ev, sc, n->d);
}

static void exec_while(struct pyeval *ev, struct scope *sc, const struct py_node *n)
{
	int stop = 0, t;

	for (;;) {
		struct pv *c = eval(ev, sc, n->a);

		if (!c)
			return;
		t = pv_truth(c);
		if (t < 0) {
			if (sc->kind == S_MODULE && !ev->lenient)
				ev_warn(ev, "%s:%u: a while loop on %s: hub stops there",
					sc->mod->path, n->line, c->kind == K_UNKNOWN ? c->u.unknown.what :
					"a value hub cannot decide");
			return;
		}
		if (!t)
			break;
		exec_loop_body(ev, sc, n->b, &stop);
		if (stop)
			return;
	}
	exec_body(ev, sc, n->c);
}

static int handler_matches(struct pyeval *ev, struct scope *sc, const struct py_node *h,
			   struct pv *exc)
{
	struct pv *t, *cls = exc && exc->kind == K_INSTANCE ? exc->u.inst.cls : NULL;
	size_t k;

	if (!h->a || !cls)
		return 1;
	if (!(t = eval(ev, sc, h->a)))
		return -1;
	if (t->kind == K_CLASS)
		return is_subclass(cls, t);
	if (t->kind == K_TUPLE) {
		for (k = 0; k < t->u.seq->count; k++)
			if (t->u.seq->items[k]->kind != K_CLASS || is_subclass(cls, t->u.seq->items[k]))
				return 1;
		return 0;
	}
	return 1;
}

static void exec_try(struct pyeval *ev, struct scope *sc, const struct py_node *n)
{
	struct evmod *m = sc->mod;
	uint32_t k, count = LIST_LEN(m, n->b);
	struct pv *exc, *saved_ret, *saved_maybe;
	enum flow saved;

	saved_maybe = ev->maybe_exc;
	ev->maybe_exc = NULL;
	if (count)
		ev->try_depth++;
	exec_body(ev, sc, n->a);
	if (count)
		ev->try_depth--;
	if (ev->flow == F_NORMAL && ev->maybe_exc) {
		/* the body may have raised: the handler that would catch it
		 * may run, as a branch hub does not decide */
		struct pv *maybe = ev->maybe_exc == ev->none ? NULL : ev->maybe_exc;
		ev->maybe_exc = NULL;
		for (k = 0; k < count; k++) {
			const struct py_node *h = NODE(m, LIST_AT(m, n->b, k));
			int match = handler_matches(ev, sc, h, maybe);

			if (match < 0)
				return;
			if (!match)
				continue;
			if (h->str)
				bind_name(ev, sc, mod_name(ev, m, h->str), maybe ? maybe :
					  pv_unknown(ev, "an exception hub cannot compute"));
			exec_uncertain(ev, sc, h->b, "in an except block");
			break;
		}
		if (k == count)
			ev->maybe_exc = maybe ? maybe : ev->none;
		if (ev->flow == F_NORMAL)
			exec_uncertain(ev, sc, n->c, "in the else block of a try");
		goto finally;
	}
	if (!ev->maybe_exc)
		ev->maybe_exc = saved_maybe;
	if (ev->flow == F_RAISE) {
		exc = ev->exc;
		ev->flow = F_NORMAL;
		ev->exc = NULL;
		for (k = 0; k < count; k++) {
			const struct py_node *h = NODE(m, LIST_AT(m, n->b, k));
			int match = handler_matches(ev, sc, h, exc);

			if (match < 0)
				return;
			if (!match)
				continue;
			if (h->str)
				bind_name(ev, sc, mod_name(ev, m, h->str), exc);
			exec_body(ev, sc, h->b);
			if (h->str && ev->flow == F_NORMAL)
				delete_name(ev, sc, mod_name(ev, m, h->str));
			goto finally;
		}
		ev->flow = F_RAISE;
		ev->exc = exc;
		goto finally;
	}
	if (ev->flow == F_NORMAL)
		exec_body(ev, sc, n->c);
finally:
	if (!n->d || ev->flow == F_FATAL)
		return;
	saved = ev->flow;
	saved_ret = ev->ret;
	exc = ev->exc;
	ev->flow = F_NORMAL;
	exec_body(ev, sc, n->d);
	if (ev->flow == F_NORMAL) {
		ev->flow = saved;
		ev->ret = saved_ret;
		ev->exc = exc;
	}
}

static void exec_with(struct pyeval *ev, struct scope *sc, const struct py_node *n)
{
	struct evmod *m = sc->mod;
	uint32_t k;

	for (k = 0; k < LIST_LEN(m, n->a); k++) {
		const struct py_node *w = NODE(m, LIST_AT(m, n->a, k));
		struct pv *v = eval(ev, sc, w->a);

		if (!v)
			return;
		if (w->b)
			assign(ev, sc, w->b, pv_unknown(ev, "the value of a with statement"));
		if (ev->flow != F_NORMAL)
			return;
	}
	exec_body(ev, sc, n->b);
}

static void exec_raise(struct pyeval *ev, struct scope *sc, const struct py_node *n)
{
	struct pv *v;

	if (!n->a) {
		ev_raise(ev, ev->exc_runtime, "re-raise");
		return;
	}
	if (!(v = eval(ev, sc, n->a)))
		return;
	if (n->b && !eval(ev, sc, n->b))
		return;
	if (v->kind == K_CLASS) {
		if (!(v = ev_call(ev, v, NULL, 0, NULL)))
			return;
	}
	if (v->kind != K_INSTANCE)
		v = NULL;
	ev->exc = v;
	ev->exc_file = ev_where(ev, &ev->exc_line);
	if (!v) {
		/* an exception hub cannot tell: it matches every handler */
		ev_raise(ev, ev->exc_base, "an exception hub cannot compute");
		ev->exc = NULL;
	}
	ev->flow = F_RAISE;
}

static void exec_import(struct pyeval *ev, struct scope *sc, const struct py_node *n)
{
	struct evmod *m = sc->mod;
	uint32_t k;
	int saved_lazy = ev->import_lazy;

	/* library code: `import x` binds x without running it (its values
	 * are read when asked for) */
	ev->import_lazy = m->origin == M_LIBRARY;
	for (k = 0; k < LIST_LEN(m, n->a) && ev->flow == F_NORMAL; k++) {
		const struct py_node *al = NODE(m, LIST_AT(m, n->a, k));
		const char *name = py_str_at(m->tree, al->str, NULL);
		struct pv *v;

		ev->cur_line = n->line;
		if (al->num) {
			/* import a.b.c as x: x is a.b.c */
			if (!(v = ev_import(ev, name, 0, m, 0)))
				break;
			ev->bind_how = PV_BOUND_IMPORT;
			bind_name(ev, sc, mod_name(ev, m, (uint32_t)al->num), v);
			ev->bind_how = PV_BOUND_OTHER;
		} else {
			const char *dot = strchr(name, '.');
			if (!(v = ev_import(ev, name, 0, m, 1)))
				break;
			ev->bind_how = PV_BOUND_IMPORT;
			bind_name(ev, sc, dot ? pv_intern(ev, name, (size_t)(dot - name)) :
				  mod_name(ev, m, al->str), v);
			ev->bind_how = PV_BOUND_OTHER;
		}
	}
	ev->import_lazy = saved_lazy;
}

static void exec_import_from(struct pyeval *ev, struct scope *sc, const struct py_node *n)
{
	struct evmod *m = sc->mod;
	const char *name = n->str ? py_str_at(m->tree, n->str, NULL) : "";
	struct pv *mv, *v;
	uint32_t k;

	ev->cur_line = n->line;
	if (!(mv = ev_import(ev, name, (int)n->num, m, 0)))
		return;
	for (k = 0; k < LIST_LEN(m, n->a) && ev->flow == F_NORMAL; k++) {
		const struct py_node *al = NODE(m, LIST_AT(m, n->a, k));
		struct pv *attr = mod_name(ev, m, al->str);

		ev->cur_line = n->line;
		if (!strcmp(attr->u.str.s, "*")) {
			import_star(ev, sc, mv);
			continue;
		}
		if (!(v = import_attr(ev, mv, attr)))
			return;
		ev->bind_how = PV_BOUND_IMPORT;
		bind_name(ev, sc, al->num ? mod_name(ev, m, (uint32_t)al->num) : attr, v);
		ev->bind_how = PV_BOUND_OTHER;
	}
}

static void exec_stmt(struct pyeval *ev, struct scope *sc, uint32_t id)
{
	struct evmod *m = sc->mod;
	const struct py_node *n = NODE(m, id);
	struct pv *v, *w;
	uint32_t k;

	ev->cur_line = n->line;
	if (ev_step(ev))
		return;
	switch (n->kind) {
	case PN_EXPR:
		eval(ev, sc, n->a);
		return;
	case PN_ASSIGN:
		if (!(v = eval(ev, sc, n->b)))
			return;
		for (k = 0; k < LIST_LEN(m, n->a) && ev->flow == F_NORMAL; k++) {
			ev->cur_line = n->line;
			assign(ev, sc, LIST_AT(m, n->a, k), v);
		}
		return;
	case PN_AUG_ASSIGN: {
		const struct py_node *t = NODE(m, n->a);
		if (!(v = eval(ev, sc, n->a)) || !(w = eval(ev, sc, n->b)))
			return;
		ev->cur_line = n->line;
		if (n->op == PY_ADD && v->kind == K_LIST) {
			struct pv *items = ev_iterate(ev, w);
			size_t j;
			if (!items)
				return;
			if (items->kind == K_UNKNOWN) {
				v->flags |= PVF_INCOMPLETE;
				return;
			}
			for (j = 0; j < items->u.seq->count; j++)
				seq_append(ev, v, items->u.seq->items[j]);
			if (t->kind != PN_NAME)
				return;
		} else if (n->op == PY_BITOR && v->kind == K_DICT && w->kind == K_DICT) {
			size_t j;
			for (j = 0; j < w->u.dict->count; j++)
				if (w->u.dict->keys[j])
					dict_set(ev, v, w->u.dict->keys[j], w->u.dict->vals[j]);
		} else if (!(v = ev_binop(ev, n->op, v, w))) {
			return;
		}
		assign(ev, sc, n->a, v);
		return;
	}
	case PN_ANN_ASSIGN:
		if (n->num && sc->kind != S_FUNCTION) {
			/* under `from __future__ import annotations` they stay
			 * text, which hub does not write as ast.unparse would */
			if (future_annotations(m))
				v = pv_unknown(ev, "an annotation kept as text");
			else if (!(v = eval(ev, sc, n->b)))
				return;
			if (sc->kind == S_CLASS && NODE(m, n->a)->kind == PN_NAME) {
				/* a class body's annotations, in order (dataclass
				 * fields are read from them) */
				struct pv *ann = dict_get_str(sc->dict, "__annotations__");
				if (!ann || ann->kind != K_DICT) {
					ann = pv_dict_new(ev);
					dict_set_str(ev, sc->dict, "__annotations__", ann);
				}
				dict_set(ev, ann, mod_name(ev, m, NODE(m, n->a)->str), v);
			}
		}
		if (!n->c)
			return;
		if (!(v = eval(ev, sc, n->c)))
			return;
		assign(ev, sc, n->a, v);
		return;
	case PN_FUNCTION_DEF:
	case PN_ASYNC_FUNCTION_DEF:
		if (!(v = make_function(ev, sc, id)))
			return;
		if (!(v = apply_decorators(ev, sc, n->c, v)))
			return;
		ev->cur_line = n->line;
		ev->bind_how = PV_BOUND_DEF;
		bind_name(ev, sc, mod_name(ev, m, n->str), v);
		ev->bind_how = PV_BOUND_OTHER;
		return;
	case PN_CLASS_DEF:
		class_def(ev, sc, id);
		return;
	case PN_RETURN:
		v = n->a ? eval(ev, sc, n->a) : ev->none;
		if (!v)
			return;
		ev->ret = v;
		ev->flow = F_RETURN;
		return;
	case PN_DELETE:
		for (k = 0; k < LIST_LEN(m, n->a) && ev->flow == F_NORMAL; k++)
			delete_target(ev, sc, LIST_AT(m, n->a, k));
		return;
	case PN_IF:
		exec_if(ev, sc, n);
		return;
	case PN_FOR:
	case PN_ASYNC_FOR:
		exec_for(ev, sc, n);
		return;
	case PN_WHILE:
		exec_while(ev, sc, n);
		return;
	case PN_TRY:
	case PN_TRY_STAR:
		exec_try(ev, sc, n);
		return;
	case PN_WITH:
	case PN_ASYNC_WITH:
		exec_with(ev, sc, n);
		return;
	case PN_RAISE:
		exec_raise(ev, sc, n);
		return;
	case PN_ASSERT:
		if (!(v = eval(ev, sc, n->a)))
			return;
		if (pv_truth(v) == 0)
			ev_raise(ev, ev->exc_assertion, "assertion failed");
		return;
	case PN_IMPORT:
		exec_import(ev, sc, n);
		return;
	case PN_IMPORT_FROM:
		exec_import_from(ev, sc, n);
		return;
	case PN_GLOBAL:
	case PN_NONLOCAL:
		if (sc->kind == S_MODULE)
			return;
		for (k = 0; k < LIST_LEN(m, n->a); k++) {
			struct pv **d = n->kind == PN_GLOBAL ? &sc->decl_global : &sc->decl_nonlocal;
			struct pv *nm = mod_name(ev, m, LIST_AT(m, n->a, k));
			if (!*d)
				*d = pv_dict_new(ev);
			dict_set(ev, *d, nm, nm);
		}
		return;
	case PN_PASS:
		return;
	case PN_BREAK:
		ev->flow = F_BREAK;
		return;
	case PN_CONTINUE:
		ev->flow = F_CONTINUE;
		return;
	case PN_MATCH:
		if (!eval(ev, sc, n->a))
			return;
		if (sc->kind == S_MODULE && !ev->lenient)
			ev_warn(ev, "%s:%u: a match statement: hub does not run it", m->path, n->line);
		return;
	default:
		return;
	}
}

static void exec_body(struct pyeval *ev, struct scope *sc, uint32_t list)
{
	struct evmod *m = sc->mod;
	uint32_t k, count = LIST_LEN(m, list);

	for (k = 0; k < count && ev->flow == F_NORMAL; k++) {
		exec_stmt(ev, sc, LIST_AT(m, list, k));
		if (ev->flow == F_RAISE && ev->lenient && sc->kind == S_MODULE) {
			/* library code: what fails leaves its names unbound, the
			 * rest of the module still runs */
			ev->flow = F_NORMAL;
			ev->exc = NULL;
		}
	}
}

void exec_module(struct pyeval *ev, struct evmod *m)
{
	struct scope sc;
	struct evmod *saved_mod = ev->cur_mod;
	unsigned saved_line = ev->cur_line;
	int saved_uncertain = ev->uncertain;
	const char *saved_why = ev->why_uncertain;

	memset(&sc, 0, sizeof(sc));
	sc.kind = S_MODULE;
	sc.dict = m->dict;
	sc.mod = m;
	ev->cur_mod = m;
	if (m != ev->main) {
		ev->uncertain = 0;
		ev->why_uncertain = NULL;
	}
	exec_body(ev, &sc, NODE(m, m->tree->root)->a);
	ev->cur_mod = saved_mod;
	ev->cur_line = saved_line;
	ev->uncertain = saved_uncertain;
	ev->why_uncertain = saved_why;
}

/* exec(SOURCE) of a str hub knows, at module level: parsed and run in the
 * module's namespace. 0 when run, -1 when hub cannot. */
int exec_string(struct pyeval *ev, struct scope *sc, struct pv *src)
{
	struct evmod *pm;
	struct scope inner;
	char *file;

	if (sc->kind != S_MODULE || src->kind != K_STR)
		return -1;
	pm = ev_alloc(ev, sizeof(*pm));
	*pm = *sc->mod;
	pm->next = ev->mods;
	ev->mods = pm;
	pm->names = NULL;
	pm->consts = NULL;
	pm->tree = NULL;
	memset(&pm->source, 0, sizeof(pm->source));
	file = ev_printf(ev, "%s:%u: <string>", sc->mod->path, ev->cur_line);
	buf_init(&pm->source, (size_t)1 << 20, "exec source");
	if (buf_add(&pm->source, src->u.str.s, src->u.str.len) ||
	    py_source_prepare(file, &pm->source) ||
	    py_parse(file, buf_str(&pm->source), pm->source.len, &pm->tree)) {
		hub_error_clear();
		pm->tree = NULL;
		ev_raise(ev, ev->exc_base, "exec() of code Python cannot compile");
		ev->exc = NULL;
		return 0;
	}
	pm->path = file;
	memset(&inner, 0, sizeof(inner));
	inner.kind = S_MODULE;
	inner.dict = sc->mod->dict;
	inner.mod = pm;
	exec_body(ev, &inner, NODE(pm, pm->tree->root)->a);
	return 0;
}

struct pv *ev_func_doc(struct pyeval *ev, struct pv *fv)
{
	struct pv_func *fn = fv->u.fn;
	struct evmod *m = fn->mod;
	const struct py_node *n = NODE(m, fn->node), *e;
	struct pv *v;

	if (fn->attrs && (v = dict_get_str(fn->attrs, "__doc__")))
		return v;
	if (n->kind == PN_LAMBDA || !LIST_LEN(m, n->b))
		return ev->none;
	e = NODE(m, LIST_AT(m, n->b, 0));
	if (e->kind == PN_EXPR && NODE(m, e->a)->kind == PN_CONSTANT &&
	    NODE(m, e->a)->op == PY_CONST_STR)
		return eval_constant(ev, m, NODE(m, e->a));
	return ev->none;
}
