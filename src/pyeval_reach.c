/*
 * pyeval_reach.c - the weights one entrypoint can download (pyeval_reach.h):
 * an abstract call of the entrypoint that records what it hands to code
 * from outside the repository, united with what its definition reaches
 * through the repository's functions, classes, Enums and tables.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "pyeval_impl.h"
#include "pyeval_reach.h"
#include "util.h"

#define NODE(m, id) (&(m)->tree->nodes[(id)])
#define LIST_LEN(m, l) py_list_len((m)->tree, (l))
#define LIST_AT(m, l, i) py_list_at((m)->tree, (l), (i))

/* Steps for the abstract call of one entrypoint, and for one string
 * expression evaluated where it was written. */
#define REACH_CALL_STEPS 400000u
#define REACH_EXPR_STEPS 20000u
#define REACH_TABLE_DEPTH 8
#define REACH_MAX_DEPTH 400

/* What one way found: ordered sets (dicts str -> str). */
struct found {
	struct pv *urls;
	struct pv *ids;         /* id -> "file:line" */
	struct pv *warnings;
};

struct reach {
	struct pyeval *ev;
	pyeval_reach_keep keep;
	struct pv *seen;        /* what the walk went through, by pointer */
	unsigned depth;         /* of walk_value, against a chain of defs */
	struct found run, walk;
};

/* Which slots of each node kind hold a node ('n') or a list of nodes
 * ('l'); the others hold names, ints or nothing. */
static const char slots[PN_KIND_COUNT][5] = {
	[PN_MODULE] = "l---",
	[PN_FUNCTION_DEF] = "nlln", [PN_ASYNC_FUNCTION_DEF] = "nlln",
	[PN_CLASS_DEF] = "llll", [PN_RETURN] = "n---", [PN_DELETE] = "l---",
	[PN_ASSIGN] = "ln--", [PN_AUG_ASSIGN] = "nn--", [PN_ANN_ASSIGN] = "nnn-",
	[PN_FOR] = "nnll", [PN_ASYNC_FOR] = "nnll", [PN_WHILE] = "nll-",
	[PN_IF] = "nll-", [PN_WITH] = "ll--", [PN_ASYNC_WITH] = "ll--",
	[PN_MATCH] = "nl--", [PN_RAISE] = "nn--", [PN_TRY] = "llll",
	[PN_TRY_STAR] = "llll", [PN_ASSERT] = "nn--", [PN_IMPORT] = "l---",
	[PN_IMPORT_FROM] = "l---", [PN_EXPR] = "n---",
	[PN_BOOL_OP] = "l---", [PN_NAMED_EXPR] = "nn--", [PN_BIN_OP] = "nn--",
	[PN_UNARY_OP] = "n---", [PN_LAMBDA] = "nn--", [PN_IF_EXP] = "nnn-",
	[PN_DICT] = "ll--", [PN_SET] = "l---", [PN_LIST_COMP] = "nl--",
	[PN_SET_COMP] = "nl--", [PN_DICT_COMP] = "nnl-", [PN_GENERATOR_EXP] = "nl--",
	[PN_AWAIT] = "n---", [PN_YIELD] = "n---", [PN_YIELD_FROM] = "n---",
	[PN_COMPARE] = "n-l-", [PN_CALL] = "nll-", [PN_FORMATTED_VALUE] = "nn--",
	[PN_JOINED_STR] = "l---", [PN_ATTRIBUTE] = "n---", [PN_SUBSCRIPT] = "nn--",
	[PN_STARRED] = "n---", [PN_LIST] = "l---", [PN_TUPLE] = "l---",
	[PN_SLICE] = "nnn-", [PN_COMPREHENSION] = "nnl-", [PN_EXCEPT_HANDLER] = "nl--",
	[PN_ARGUMENTS] = "l---", [PN_ARG] = "nn--", [PN_KEYWORD] = "n---",
	[PN_WITHITEM] = "nn--", [PN_MATCH_CASE] = "nnl-", [PN_MATCH_VALUE] = "n---",
	[PN_MATCH_SEQUENCE] = "l---", [PN_MATCH_MAPPING] = "ll--",
	[PN_MATCH_CLASS] = "nl-l", [PN_MATCH_AS] = "n---", [PN_MATCH_OR] = "l---",
};

static uint32_t slot(const struct py_node *n, int k)
{
	return k == 0 ? n->a : k == 1 ? n->b : k == 2 ? n->c : n->d;
}

static void add(struct reach *r, struct pv *set, const char *key, const char *val)
{
	struct pyeval *ev = r->ev;
	struct pv *k = pv_strz(ev, key);

	if (!dict_get(set, k))
		dict_set(ev, set, k, pv_strz(ev, val));
}

static int seen(struct reach *r, const void *p)
{
	struct pv *key = pv_int(r->ev, (int64_t)(intptr_t)p);

	if (dict_get(r->seen, key))
		return 1;
	dict_set(r->ev, r->seen, key, r->ev->true_);
	return 0;
}

static int in_repo(const struct evmod *m)
{
	return m && m->origin == M_REPO;
}

/* The last component of a callee's name, for the download functions and
 * model-hub loaders recognised by name. */
static const char *callee_name(struct pv *callee)
{
	const char *s, *dot;

	switch (callee->kind) {
	case K_OPAQUE:
		s = callee->u.opaque.attr ? callee->u.opaque.attr : callee->u.opaque.module;
		break;
	case K_FUNCTION:
		s = callee->u.fn->name ? callee->u.fn->name->u.str.s : NULL;
		break;
	case K_METHOD:
		return callee_name(callee->u.method.fn);
	case K_CLASSMETHOD:
	case K_STATICMETHOD:
		return callee_name(callee->u.wrapped);
	default:
		return NULL;
	}
	if (!s)
		return NULL;
	dot = strrchr(s, '.');
	return dot ? dot + 1 : s;
}

static int is_download_name(const char *name)
{
	return name && (strstr(name, "url") || strstr(name, "download"));
}

static int is_hub_id_loader(const char *name)
{
	return name && (!strcmp(name, "from_pretrained") || !strcmp(name, "hf_hub_download") ||
			!strcmp(name, "snapshot_download"));
}

/* "org/name" (or "name") as model hubs name repositories: not a URL, not
 * a path. */
static int looks_like_hub_id(const char *s, size_t len)
{
	size_t i, slashes = 0;

	if (!len || len > 200 || s[0] == '/' || s[0] == '.' || s[0] == '~' || strstr(s, "://"))
		return 0;
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '/')
			slashes++;
		else if (!(c == '-' || c == '_' || c == '.' || (c >= '0' && c <= '9') ||
			   ((c | 32) >= 'a' && (c | 32) <= 'z')))
			return 0;
	}
	return slashes <= 1 && s[len - 1] != '/';
}

static int from_outside(struct pv *callee)
{
	switch (callee->kind) {
	case K_OPAQUE:
	case K_UNKNOWN:
		return 1;
	case K_FUNCTION:
		return !in_repo(callee->u.fn->mod);
	case K_CLASS:
		return !callee->id && !in_repo(callee->u.cls->mod);
	case K_METHOD:
		return from_outside(callee->u.method.fn);
	case K_CLASSMETHOD:
	case K_STATICMETHOD:
		return from_outside(callee->u.wrapped);
	default:
		return 0;
	}
}

/* ---- the abstract call ---- */

static void run_record(struct reach *r, struct pv *v, const char *name, int hub_loader, int first)
{
	struct pyeval *ev = r->ev;
	unsigned line;
	const char *file;

	if (v->kind == K_STR) {
		if (r->keep(v->u.str.s))
			add(r, r->run.urls, v->u.str.s, "");
		else if (hub_loader && first && looks_like_hub_id(v->u.str.s, v->u.str.len)) {
			file = ev_where(ev, &line);
			add(r, r->run.ids, v->u.str.s, ev_printf(ev, "%s:%u", file, line));
		}
	} else if (v->kind == K_UNKNOWN && first && (is_download_name(name) || hub_loader)) {
		file = ev_where(ev, &line);
		add(r, r->run.warnings,
		    ev_printf(ev, "%s:%u: cannot compute the URL passed to %s(): %s", file, line, name,
			      v->u.unknown.what ? v->u.unknown.what : "unknown"), "");
	}
}

static struct pv *call_hook(struct pyeval *ev, struct pv *callee, struct pv **args, size_t nargs,
			    struct pv *kwargs)
{
	struct reach *r = ev->hook_ctx;
	const char *name;
	int hub_loader;
	size_t k;

	if (!from_outside(callee))
		return NULL;
	name = callee_name(callee);
	hub_loader = is_hub_id_loader(name);
	for (k = 0; k < nargs; k++)
		run_record(r, args[k], name, hub_loader, k == 0);
	for (k = 0; kwargs && k < kwargs->u.dict->count; k++) {
		struct pv *key = kwargs->u.dict->keys[k];
		int first = !nargs && key && key->kind == K_STR &&
			    (!strcmp(key->u.str.s, "url") || !strcmp(key->u.str.s, "repo_id") ||
			     !strcmp(key->u.str.s, "pretrained_model_name_or_path"));
		if (key)
			run_record(r, kwargs->u.dict->vals[k], name, hub_loader, first);
	}
	/* A download is what it is looked at for: it does not run. */
	if (is_download_name(name) || hub_loader)
		return pv_unknownf(ev, "what %s() returns", name);
	return NULL;
}

/* The def a call of v lands in (through __wrapped__, a class's __init__). */
static struct pv *call_target(struct pyeval *ev, struct pv *v, int *drop_self)
{
	struct pv *w;
	int n;

	*drop_self = 0;
	for (n = 0; n < 16 && v; n++) {
		switch (v->kind) {
		case K_FUNCTION:
			if (v->u.fn->attrs && (w = dict_get_str(v->u.fn->attrs, "__wrapped__"))) {
				v = w;
				continue;
			}
			return v;
		case K_CLASS:
			w = class_lookup(v, pv_intern(ev, "__init__", 8));
			*drop_self = 1;
			return w && w->kind == K_FUNCTION ? w : NULL;
		case K_METHOD:
			*drop_self = 1;
			v = v->u.method.fn;
			continue;
		case K_INSTANCE:
			*drop_self = 1;
			w = class_lookup(v->u.inst.cls, pv_intern(ev, "__call__", 8));
			return w && w->kind == K_FUNCTION ? w : NULL;
		default:
			return NULL;
		}
	}
	return NULL;
}

static void abstract_call(struct reach *r, const char *entry, struct pv *v)
{
	struct pyeval *ev = r->ev;
	struct pv *target, *kwargs = pv_dict_new(ev), **args = NULL;
	size_t nargs = 0;
	uint64_t saved_max = ev->opt.max_steps;
	unsigned saved_depth = ev->depth;
	int drop_self;

	target = call_target(ev, v, &drop_self);
	if (target) {
		struct evmod *m = target->u.fn->mod;
		const struct py_node *an = NODE(m, NODE(m, target->u.fn->node)->a);
		uint32_t k, count = LIST_LEN(m, an->a);

		args = ev_alloc(ev, (count + 1) * sizeof(*args));
		for (k = 0; k < count; k++) {
			const struct py_node *a = NODE(m, LIST_AT(m, an->a, k));
			struct pv *unknown;

			if (drop_self && k == 0 && a->op <= PY_ARG_NORMAL)
				continue;
			unknown = pv_unknownf(ev, "the parameter '%s' of %s", mod_name(ev, m, a->str)->u.str.s,
					      entry);
			if (a->op == PY_ARG_POSONLY)
				args[nargs++] = unknown;
			else if (a->op == PY_ARG_NORMAL || a->op == PY_ARG_KWONLY)
				dict_set(ev, kwargs, mod_name(ev, m, a->str), unknown);
		}
	}
	ev->flow = F_NORMAL;
	ev->exc = NULL;
	ev->cur_mod = ev->main;
	ev->opt.max_steps = ev->steps + REACH_CALL_STEPS;
	ev->call_hook = call_hook;
	ev->hook_ctx = r;
	ev_call(ev, v, args, nargs, kwargs);
	if (ev->flow == F_FATAL) {
		add(r, r->run.warnings, ev_printf(ev, "%s: hub stopped following %s(): %s",
						  ev->main->path, entry,
						  ev->fatal_msg ? ev->fatal_msg : "a cap"), "");
		hub_error_clear();
	}
	ev->call_hook = NULL;
	ev->hook_ctx = NULL;
	ev->flow = F_NORMAL;
	ev->exc = NULL;
	ev->fatal_msg = NULL;
	ev->depth = saved_depth;
	ev->opt.max_steps = saved_max;
}

/* ---- reachability over the trees ---- */

struct walk {
	struct evmod *mod;
	struct scope *scope;    /* names resolve here; a def's locals are
				 * bound to unknown in it */
};

static void walk_value(struct reach *r, struct pv *v);
static void walk_node(struct reach *r, const struct walk *w, uint32_t id);

static void walk_list(struct reach *r, const struct walk *w, uint32_t list)
{
	uint32_t k, count = LIST_LEN(w->mod, list);

	for (k = 0; k < count; k++)
		walk_node(r, w, LIST_AT(w->mod, list, k));
}

static void walk_children(struct reach *r, const struct walk *w, const struct py_node *n)
{
	int k;

	for (k = 0; k < 4; k++) {
		if (slots[n->kind][k] == 'n' && slot(n, k))
			walk_node(r, w, slot(n, k));
		else if (slots[n->kind][k] == 'l')
			walk_list(r, w, slot(n, k));
	}
}

static void walk_string(struct reach *r, const char *s)
{
	if (r->keep(s))
		add(r, r->walk.urls, s, "");
}

/* Strings in a table, and in tables inside it; functions stored in it are
 * not followed (a registry holds every model). */
static void walk_table(struct reach *r, struct pv *v, int depth)
{
	size_t k;

	if (depth > REACH_TABLE_DEPTH)
		return;
	switch (v->kind) {
	case K_STR:
		walk_string(r, v->u.str.s);
		break;
	case K_LIST:
	case K_TUPLE:
		if (seen(r, v))
			return;
		for (k = 0; k < v->u.seq->count; k++)
			walk_table(r, v->u.seq->items[k], depth + 1);
		break;
	case K_DICT:
	case K_SET:
		if (seen(r, v))
			return;
		for (k = 0; k < v->u.dict->count; k++) {
			if (!v->u.dict->keys[k])
				continue;
			walk_table(r, v->u.dict->keys[k], depth + 1);
			if (v->kind == K_DICT)
				walk_table(r, v->u.dict->vals[k], depth + 1);
		}
		break;
	case K_INSTANCE:
		if (v->u.inst.dict)
			walk_table(r, v->u.inst.dict, depth + 1);
		break;
	default:
		break;
	}
}

static struct scope *new_scope(struct pyeval *ev, enum scope_kind kind, struct evmod *m,
			       struct scope *parent)
{
	struct scope *sc = ev_alloc(ev, sizeof(*sc));

	sc->kind = kind;
	sc->mod = m;
	sc->parent = parent;
	sc->dict = kind == S_MODULE ? m->dict : pv_dict_new(ev);
	return sc;
}

/* The names a def binds in its own scope, bound to unknown in sc. */
static void bind_locals(struct reach *r, struct evmod *m, struct scope *sc, uint32_t id, int top)
{
	const struct py_node *n = NODE(m, id);
	struct pyeval *ev = r->ev;
	int k;

	switch (n->kind) {
	case PN_NAME:
		if (n->op != PY_LOAD)
			dict_set(ev, sc->dict, mod_name(ev, m, n->str), pv_unknown(ev, "a local variable"));
		return;
	case PN_ARG:
		dict_set(ev, sc->dict, mod_name(ev, m, n->str), pv_unknown(ev, "a parameter"));
		return;
	case PN_EXCEPT_HANDLER:
		if (n->str)
			dict_set(ev, sc->dict, mod_name(ev, m, n->str), pv_unknown(ev, "a local variable"));
		break;
	case PN_ALIAS: {
		size_t len;
		const char *s = py_str_at(m->tree, n->num ? (uint32_t)n->num : n->str, &len);
		const char *dot = n->num ? NULL : memchr(s, '.', len);

		dict_set(ev, sc->dict, pv_str(ev, s, dot ? (size_t)(dot - s) : len),
			 pv_unknown(ev, "a local import"));
		return;
	}
	case PN_FUNCTION_DEF:
	case PN_ASYNC_FUNCTION_DEF:
	case PN_CLASS_DEF:
		if (!top) {
			dict_set(ev, sc->dict, mod_name(ev, m, n->str), pv_unknown(ev, "a local definition"));
			return;
		}
		break;
	case PN_LAMBDA:
	case PN_LIST_COMP:
	case PN_SET_COMP:
	case PN_DICT_COMP:
	case PN_GENERATOR_EXP:
		if (!top)
			return;
		break;
	default:
		break;
	}
	for (k = 0; k < 4; k++) {
		uint32_t s = slot(n, k), i;

		if (top && (n->kind == PN_FUNCTION_DEF || n->kind == PN_ASYNC_FUNCTION_DEF) && k != 0 &&
		    k != 1)
			continue;       /* decorators and the return annotation are outside */
		if (slots[n->kind][k] == 'n' && s)
			bind_locals(r, m, sc, s, 0);
		else if (slots[n->kind][k] == 'l')
			for (i = 0; i < LIST_LEN(m, s); i++)
				bind_locals(r, m, sc, LIST_AT(m, s, i), 0);
	}
}

/* A def, walked where it was written: decorators, annotations and defaults
 * in the enclosing scope, the body in its own. */
static void walk_def(struct reach *r, struct evmod *m, uint32_t id, struct scope *enclosing)
{
	const struct py_node *n = NODE(m, id), *an;
	struct walk outer = { m, enclosing }, inner = { m, NULL };
	uint32_t k;

	if (seen(r, n))
		return;
	an = NODE(m, n->a);
	for (k = 0; k < LIST_LEN(m, an->a); k++) {
		const struct py_node *a = NODE(m, LIST_AT(m, an->a, k));
		if (a->a)
			walk_node(r, &outer, a->a);
		if (a->b)
			walk_node(r, &outer, a->b);
	}
	inner.scope = new_scope(r->ev, S_FUNCTION, m, enclosing->kind == S_MODULE ? NULL : enclosing);
	bind_locals(r, m, inner.scope, id, 1);
	if (n->kind == PN_LAMBDA) {
		walk_node(r, &inner, n->b);
		return;
	}
	walk_list(r, &outer, n->c);
	if (n->d)
		walk_node(r, &outer, n->d);
	walk_list(r, &inner, n->b);
}

static int enum_name(const char *name)
{
	static const char *const names[] = { "Enum", "IntEnum", "StrEnum", "Flag", "IntFlag" };
	size_t j;

	for (j = 0; name && j < sizeof(names) / sizeof(*names); j++)
		if (!strcmp(name, names[j]))
			return 1;
	return 0;
}

/* Whether cls derives from enum's Enum (or one of its kin), however hub
 * sees that class: read from the library path, or opaque. */
static int is_enum_class(struct pv *cls, int depth)
{
	struct pv_class *c = cls->u.cls;
	size_t k;

	if (depth > 32)
		return 0;
	if (!(in_repo(c->mod) && c->node) && c->name && enum_name(c->name->u.str.s))
		return 1;
	for (k = 0; c->bases && k < c->bases->u.seq->count; k++) {
		struct pv *b = c->bases->u.seq->items[k];

		if (b->kind == K_CLASS && is_enum_class(b, depth + 1))
			return 1;
		if (b->kind == K_OPAQUE && b->u.opaque.attr && enum_name(b->u.opaque.attr))
			return 1;
	}
	return 0;
}

/* A class of the repository: its bases, its methods, and for an Enum the
 * values of its members (torchvision's Weights enums). A plain class's
 * data attributes are not taken: a data set keeps its archives there. */
static void walk_class(struct reach *r, struct pv *cls)
{
	struct pv_class *c = cls->u.cls;
	struct evmod *m = c->mod;
	const struct py_node *n;
	struct walk w;
	int enum_class;
	uint32_t k;

	if (!in_repo(m) || !c->node || seen(r, cls))
		return;
	for (k = 0; c->bases && k < c->bases->u.seq->count; k++)
		walk_value(r, c->bases->u.seq->items[k]);
	n = NODE(m, c->node);
	w.mod = m;
	w.scope = new_scope(r->ev, S_MODULE, m, NULL);
	walk_list(r, &w, n->d);
	enum_class = is_enum_class(cls, 0);
	for (k = 0; k < LIST_LEN(m, n->c); k++) {
		uint32_t s = LIST_AT(m, n->c, k);
		const struct py_node *st = NODE(m, s);

		if (st->kind == PN_FUNCTION_DEF || st->kind == PN_ASYNC_FUNCTION_DEF)
			walk_def(r, m, s, w.scope);
		else if (enum_class)
			walk_node(r, &w, s);
	}
}

static void walk_value(struct reach *r, struct pv *v)
{
	struct pv *w;
	size_t k;

	if (!v || r->depth >= REACH_MAX_DEPTH)
		return;
	r->depth++;
	switch (v->kind) {
	case K_STR:
		walk_string(r, v->u.str.s);
		break;
	case K_FUNCTION:
		if (!in_repo(v->u.fn->mod) || seen(r, v))
			break;
		if (v->u.fn->attrs && (w = dict_get_str(v->u.fn->attrs, "__wrapped__")))
			walk_value(r, w);
		if (v->u.fn->defaults) {
			const struct py_node *an = NODE(v->u.fn->mod, NODE(v->u.fn->mod, v->u.fn->node)->a);
			for (k = 0; k < LIST_LEN(v->u.fn->mod, an->a); k++)
				walk_value(r, v->u.fn->defaults[k]);
		}
		if (v->u.fn->closure) {
			/* what a wrapper closes over: the def it wraps, its tables */
			struct pv_dict *d = v->u.fn->closure->dict->u.dict;
			for (k = 0; k < d->count; k++)
				if (d->keys[k]) {
					walk_value(r, d->vals[k]);
					walk_table(r, d->vals[k], 0);
				}
		}
		walk_def(r, v->u.fn->mod, v->u.fn->node,
			 v->u.fn->closure ? v->u.fn->closure : new_scope(r->ev, S_MODULE, v->u.fn->mod, NULL));
		break;
	case K_METHOD:
		walk_value(r, v->u.method.fn);
		break;
	case K_CLASSMETHOD:
	case K_STATICMETHOD:
	case K_PROPERTY:
		walk_value(r, v->u.wrapped);
		break;
	case K_PARTIAL:
		walk_value(r, v->u.partial.fn);
		walk_table(r, v->u.partial.args, 0);
		if (v->u.partial.kw)
			walk_table(r, v->u.partial.kw, 0);
		break;
	case K_CLASS:
		walk_class(r, v);
		break;
	case K_LIST:
	case K_TUPLE:
	case K_SET:
	case K_DICT:
		walk_table(r, v, 0);
		break;
	case K_INSTANCE:
		walk_table(r, v, 0);
		walk_class(r, v->u.inst.cls);
		break;
	case K_UNKNOWN:
		walk_value(r, v->u.unknown.base);
		break;
	default:
		break;
	}
	r->depth--;
}

static struct pv *resolve_name(struct reach *r, struct scope *sc, struct evmod *m, uint32_t str)
{
	struct pv *name = mod_name(r->ev, m, str), *v;
	struct scope *s;

	for (s = sc; s && s->kind != S_MODULE; s = s->parent) {
		if (s->kind == S_CLASS && s != sc)
			continue;
		if ((v = dict_get(s->dict, name)))
			return v;
	}
	return dict_get(m->dict, name);
}

/* A Name or a chain of attributes of one, resolved without running
 * anything: a module's or a class's members only. */
static struct pv *resolve_chain(struct reach *r, const struct walk *w, uint32_t id)
{
	const struct py_node *n = NODE(w->mod, id);
	struct pv *base, *name, *v;

	if (n->kind == PN_NAME)
		return resolve_name(r, w->scope, w->mod, n->str);
	if (n->kind != PN_ATTRIBUTE || !(base = resolve_chain(r, w, n->a)))
		return NULL;
	name = mod_name(r->ev, w->mod, n->str);
	switch (base->kind) {
	case K_MODULE:
		return base->u.mod && base->u.mod->dict ? dict_get(base->u.mod->dict, name) : NULL;
	case K_CLASS:
		/* a member: the class is walked whole */
		v = class_lookup(base, name);
		return v && (v->kind == K_FUNCTION || v->kind == K_CLASS || v->kind == K_CLASSMETHOD ||
			     v->kind == K_STATICMETHOD) ? v : base;
	default:
		return NULL;
	}
}

static int is_table(const struct pv *v)
{
	return v && (v->kind == K_DICT || v->kind == K_LIST || v->kind == K_TUPLE || v->kind == K_SET);
}

/* Evaluates a str expression where it was written, on a small budget. */
static struct pv *eval_here(struct reach *r, const struct walk *w, uint32_t id)
{
	struct pyeval *ev = r->ev;
	uint64_t saved_max = ev->opt.max_steps;
	unsigned saved_depth = ev->depth;
	struct evmod *saved_mod = ev->cur_mod;
	struct pv *v;

	ev->opt.max_steps = ev->steps + REACH_EXPR_STEPS;
	ev->cur_mod = w->mod;
	ev->flow = F_NORMAL;
	v = ev_eval_node(ev, w->scope, id);
	if (ev->flow == F_FATAL)
		hub_error_clear();
	if (ev->flow != F_NORMAL)
		v = NULL;
	ev->flow = F_NORMAL;
	ev->exc = NULL;
	ev->fatal_msg = NULL;
	ev->depth = saved_depth;
	ev->cur_mod = saved_mod;
	ev->opt.max_steps = saved_max;
	return v;
}

/* Whether the expression is a str built from parts: a constant, an
 * f-string, +, % or .format with a str constant in it. */
static int is_string_expr(const struct walk *w, uint32_t id, const struct py_node **last)
{
	const struct py_node *n = NODE(w->mod, id);

	switch (n->kind) {
	case PN_CONSTANT:
		if (n->op != PY_CONST_STR)
			return 0;
		*last = n;
		return 1;
	case PN_JOINED_STR: {
		uint32_t count = LIST_LEN(w->mod, n->a);
		const struct py_node *e = count ? NODE(w->mod, LIST_AT(w->mod, n->a, count - 1)) : NULL;
		*last = e && e->kind == PN_CONSTANT ? e : NULL;
		return 1;
	}
	case PN_BIN_OP:
		if (n->op == PY_ADD) {
			const struct py_node *l = NULL, *rt = NULL;
			int left = is_string_expr(w, n->a, &l), right = is_string_expr(w, n->b, &rt);
			*last = right ? rt : NULL;
			return left || right;
		}
		if (n->op == PY_MOD)
			return is_string_expr(w, n->a, last);
		return 0;
	case PN_CALL: {
		const struct py_node *f = NODE(w->mod, n->a);
		size_t len;
		const char *attr;

		if (f->kind != PN_ATTRIBUTE)
			return 0;
		attr = py_str_at(w->mod->tree, f->str, &len);
		if (len == 6 && !memcmp(attr, "format", 6))
			return is_string_expr(w, f->a, last);
		return 0;
	}
	default:
		return 0;
	}
}

static void walk_string_expr(struct reach *r, const struct walk *w, uint32_t id,
			     const struct py_node *last)
{
	struct pv *v = eval_here(r, w, id);
	const struct py_node *n = NODE(w->mod, id);

	if (v && v->kind == K_STR) {
		walk_string(r, v->u.str.s);
		return;
	}
	if (last && last->kind == PN_CONSTANT && last->op == PY_CONST_STR) {
		const char *tail = py_str_at(w->mod->tree, last->str, NULL);
		char *probe = ev_printf(r->ev, "https://host/file%s", tail);

		if (strchr(tail, '.') && r->keep(probe))
			add(r, r->walk.warnings,
			    ev_printf(r->ev, "%s:%u: cannot compute the URL: %s", w->mod->path, n->line,
				      v && v->kind == K_UNKNOWN && v->u.unknown.what ? v->u.unknown.what :
				      "a value hub does not know"), "");
	}
}

/* A model-hub id as the first argument of from_pretrained and friends. */
static void walk_hub_call(struct reach *r, const struct walk *w, const struct py_node *n)
{
	uint32_t arg = LIST_LEN(w->mod, n->b) ? LIST_AT(w->mod, n->b, 0) : 0, k;
	struct pv *v;

	for (k = 0; !arg && k < LIST_LEN(w->mod, n->c); k++) {
		const struct py_node *kw = NODE(w->mod, LIST_AT(w->mod, n->c, k));
		const char *s = kw->str ? py_str_at(w->mod->tree, kw->str, NULL) : "";
		if (!strcmp(s, "repo_id") || !strcmp(s, "pretrained_model_name_or_path"))
			arg = kw->a;
	}
	if (!arg || !(v = eval_here(r, w, arg)) || v->kind != K_STR)
		return;
	if (r->keep(v->u.str.s))
		walk_string(r, v->u.str.s);
	else if (looks_like_hub_id(v->u.str.s, v->u.str.len))
		add(r, r->walk.ids, v->u.str.s, ev_printf(r->ev, "%s:%u", w->mod->path, n->line));
}

/* Whether a table holds a weight URL (at its first levels). */
static int table_has_weight(struct reach *r, const struct pv *v, int depth)
{
	size_t k;

	if (depth > 2)
		return 0;
	switch (v->kind) {
	case K_STR:
		return r->keep(v->u.str.s);
	case K_LIST:
	case K_TUPLE:
		for (k = 0; k < v->u.seq->count; k++)
			if (table_has_weight(r, v->u.seq->items[k], depth + 1))
				return 1;
		return 0;
	case K_DICT:
		for (k = 0; k < v->u.dict->count; k++)
			if (v->u.dict->keys[k] && table_has_weight(r, v->u.dict->vals[k], depth + 1))
				return 1;
		return 0;
	default:
		return 0;
	}
}

/* A table read by key (TABLE[k], k in TABLE, TABLE.get(k)) is left to the
 * abstract call, which knows k; other names are followed. */
static void walk_keyed(struct reach *r, const struct walk *w, uint32_t table, uint32_t key)
{
	struct pv *v = resolve_chain(r, w, table);

	if (is_table(v)) {
		if (key) {
			struct pv *k = eval_here(r, w, key), *item;
			if (k && k->kind != K_UNKNOWN && (item = eval_here(r, w, table)) && is_table(item)) {
				struct pyeval *ev = r->ev;
				struct pv *got;
				uint64_t saved = ev->opt.max_steps;

				ev->opt.max_steps = ev->steps + REACH_EXPR_STEPS;
				got = ev_subscript(ev, item, k);
				if (ev->flow == F_FATAL)
					hub_error_clear();
				ev->flow = F_NORMAL;
				ev->exc = NULL;
				ev->opt.max_steps = saved;
				if (got)
					walk_value(r, got);
			} else if (table_has_weight(r, v, 0)) {
				const struct py_node *n = NODE(w->mod, table);
				add(r, r->walk.warnings,
				    ev_printf(r->ev, "%s:%u: cannot compute which URL of the table is used: %s",
					      w->mod->path, n->line,
					      k && k->kind == K_UNKNOWN && k->u.unknown.what ? k->u.unknown.what :
					      "its key is not known"), "");
			}
		}
		return;
	}
	walk_node(r, w, table);
}

static int attr_is(const struct walk *w, const struct py_node *n, const char *name)
{
	size_t len;
	const char *s = py_str_at(w->mod->tree, n->str, &len);

	return len == strlen(name) && !memcmp(s, name, len);
}

static void walk_node(struct reach *r, const struct walk *w, uint32_t id)
{
	const struct py_node *n, *last = NULL;
	struct evmod *m = w->mod;
	struct pv *v;
	uint32_t k;

	if (!id)
		return;
	n = NODE(m, id);
	switch (n->kind) {
	case PN_FUNCTION_DEF:
	case PN_ASYNC_FUNCTION_DEF:
	case PN_LAMBDA:
		walk_def(r, m, id, w->scope);
		return;
	case PN_EXPR: {
		/* a str statement is a docstring or a comment, not code */
		const struct py_node *e = NODE(m, n->a);
		if (e->kind == PN_CONSTANT || e->kind == PN_JOINED_STR)
			return;
		break;
	}
	case PN_NAME:
		if (n->op == PY_LOAD && (v = resolve_name(r, w->scope, m, n->str)))
			walk_value(r, v);
		return;
	case PN_ATTRIBUTE:
		if (n->op == PY_LOAD && (v = resolve_chain(r, w, id))) {
			walk_value(r, v);
			return;
		}
		break;
	case PN_SUBSCRIPT:
		if (n->op == PY_LOAD) {
			walk_keyed(r, w, n->a, n->b);
			walk_node(r, w, n->b);
			return;
		}
		break;
	case PN_COMPARE:
		walk_node(r, w, n->a);
		for (k = 0; k < LIST_LEN(m, n->c); k++) {
			uint32_t op = LIST_AT(m, n->b, k), c = LIST_AT(m, n->c, k);
			if (op == PY_IN || op == PY_NOTIN)
				walk_keyed(r, w, c, 0);
			else
				walk_node(r, w, c);
		}
		return;
	case PN_CALL: {
		const struct py_node *f = NODE(m, n->a);

		if (f->kind == PN_ATTRIBUTE && (attr_is(w, f, "from_pretrained") ||
						attr_is(w, f, "hf_hub_download") ||
						attr_is(w, f, "snapshot_download")))
			walk_hub_call(r, w, n);
		else if (f->kind == PN_NAME && (attr_is(w, f, "hf_hub_download") ||
						attr_is(w, f, "snapshot_download")))
			walk_hub_call(r, w, n);
		if (f->kind == PN_ATTRIBUTE && (attr_is(w, f, "get") || attr_is(w, f, "keys") ||
						attr_is(w, f, "__contains__"))) {
			walk_keyed(r, w, f->a, 0);
			walk_list(r, w, n->b);
			walk_list(r, w, n->c);
			return;
		}
		break;
	}
	default:
		break;
	}
	if (is_string_expr(w, id, &last)) {
		if (n->kind == PN_CONSTANT) {
			walk_string(r, py_str_at(m->tree, n->str, NULL));
			return;
		}
		walk_string_expr(r, w, id, last);
		/* the names inside are followed, their parts not evaluated again */
		if (n->kind == PN_BIN_OP) {
			const struct py_node *a = NODE(m, n->a), *b = NODE(m, n->b);
			if (!is_string_expr(w, n->a, &last) || a->kind == PN_NAME)
				walk_node(r, w, n->a);
			else
				walk_children(r, w, a);
			if (!is_string_expr(w, n->b, &last) || b->kind == PN_NAME)
				walk_node(r, w, n->b);
			else
				walk_children(r, w, b);
			return;
		}
	}
	walk_children(r, w, n);
}

/* ---- the two, united ---- */

static char **set_strings(const struct pv *set, size_t *count, char ***values)
{
	const struct pv_dict *d = set->u.dict;
	char **out = xcalloc(d->live + 1, sizeof(*out));
	size_t k;

	if (values)
		*values = xcalloc(d->live + 1, sizeof(**values));
	*count = 0;
	for (k = 0; k < d->count; k++) {
		if (!d->keys[k])
			continue;
		if (values)
			(*values)[*count] = xstrdup(d->vals[k]->u.str.s);
		out[(*count)++] = xstrdup(d->keys[k]->u.str.s);
	}
	return out;
}

static void merge(struct reach *r, struct pv *into, const struct pv *from)
{
	const struct pv_dict *d = from->u.dict;
	size_t k;

	for (k = 0; k < d->count; k++)
		if (d->keys[k] && !dict_get(into, d->keys[k]))
			dict_set(r->ev, into, d->keys[k], d->vals[k]);
}

/* Whether a warning of set already names the file:line that w starts with. */
static int same_site(const struct pv *set, const struct pv *w)
{
	const struct pv_dict *d = set->u.dict;
	const char *colon = strchr(w->u.str.s, ':');
	size_t k, len;

	if (!colon || !(colon = strchr(colon + 1, ':')))
		return 0;
	len = (size_t)(colon - w->u.str.s) + 1;
	for (k = 0; k < d->count; k++)
		if (d->keys[k] && d->keys[k]->u.str.len >= len && !memcmp(d->keys[k]->u.str.s, w->u.str.s, len))
			return 1;
	return 0;
}

int pyeval_reach_entry(struct pyeval *ev, const char *name, pyeval_reach_keep keep,
		       struct pyeval_reach *out)
{
	struct reach r;
	struct pv *v, *urls, *ids, *warnings;

	memset(out, 0, sizeof(*out));
	if (!(v = pyeval_global(ev, name)))
		return hub_error(HUB_ENOTFOUND, "'%s' is not bound in hubconf.py", name);
	memset(&r, 0, sizeof(r));
	r.ev = ev;
	r.keep = keep;
	r.seen = pv_dict_new(ev);
	r.run.urls = pv_dict_new(ev);
	r.run.ids = pv_dict_new(ev);
	r.run.warnings = pv_dict_new(ev);
	r.walk.urls = pv_dict_new(ev);
	r.walk.ids = pv_dict_new(ev);
	r.walk.warnings = pv_dict_new(ev);
	abstract_call(&r, name, v);
	walk_value(&r, v);
	ev->flow = F_NORMAL;
	urls = pv_dict_new(ev);
	merge(&r, urls, r.run.urls);
	merge(&r, urls, r.walk.urls);
	ids = pv_dict_new(ev);
	merge(&r, ids, r.run.ids);
	merge(&r, ids, r.walk.ids);
	/* What one way could not compute, the other may have: a warning
	 * stands when the other way found nothing. */
	warnings = pv_dict_new(ev);
	if (!r.walk.urls->u.dict->live && !ids->u.dict->live)
		merge(&r, warnings, r.run.warnings);
	if (!r.run.urls->u.dict->live && !ids->u.dict->live) {
		const struct pv_dict *d = r.walk.warnings->u.dict;
		size_t k;

		for (k = 0; k < d->count; k++)
			if (d->keys[k] && !same_site(warnings, d->keys[k]))
				dict_set(ev, warnings, d->keys[k], d->vals[k]);
	}
	out->urls = set_strings(urls, &out->url_count, NULL);
	out->hub_ids = set_strings(ids, &out->hub_id_count, &out->hub_id_sites);
	out->warnings = set_strings(warnings, &out->warning_count, NULL);
	return HUB_OK;
}

void pyeval_reach_free(struct pyeval_reach *reach)
{
	size_t k;

	if (!reach)
		return;
	for (k = 0; k < reach->url_count; k++)
		free(reach->urls[k]);
	for (k = 0; k < reach->hub_id_count; k++) {
		free(reach->hub_ids[k]);
		free(reach->hub_id_sites[k]);
	}
	free(reach->hub_id_sites);
	for (k = 0; k < reach->warning_count; k++)
		free(reach->warnings[k]);
	free(reach->urls);
	free(reach->hub_ids);
	free(reach->warnings);
	memset(reach, 0, sizeof(*reach));
}
