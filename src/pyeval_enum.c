/*
 * pyeval_enum.c - enum.Enum as Python 3.11's EnumType makes it: a class
 * statement whose bases include Enum turns the names of its body into
 * members, in order, and the class can then be iterated, indexed by name,
 * called with a value, measured with len() and searched with `in`.
 *
 * The enum module itself is modelled (lib_modelled_module): its source is
 * long, and EnumType.__new__ is the kind of code an abstract evaluator
 * should not have to run to know that `for s in Size:` gives SMALL, LARGE.
 *
 * Members: a name of the body that is not a dunder or _sunder_ name, not a
 * private one, not in _ignore_, and whose value is not a descriptor
 * (function, classmethod, staticmethod, property). A value equal to an
 * earlier member's makes an alias. enum.auto() gives the next value:
 * 1, 2, 3 ... for Enum (after the last int), powers of two for Flag, the
 * lower-cased name for StrEnum. A member is an instance of the class with
 * _name_, _value_, name and value; a __new__ of the repository makes it
 * from the value, an __init__ of the repository runs with the value (a
 * tuple as the arguments), as EnumType does.
 */
#include <string.h>

#include "buf.h"
#include "pyeval_impl.h"
#include "pyscan.h"

static int is_sunder_or_dunder(const char *s, size_t len)
{
	if (len >= 5 && !strncmp(s, "__", 2) && !strcmp(s + len - 2, "__"))
		return 1;
	return len >= 3 && s[0] == '_' && s[len - 1] == '_' && s[1] != '_' && s[len - 2] != '_';
}

static int is_private(const struct pv *cls, const char *s)
{
	const char *name = cls->u.cls->name->u.str.s;
	size_t n = strlen(name);

	return s[0] == '_' && !strncmp(s + 1, name, n) && !strncmp(s + 1 + n, "__", 2);
}

static int is_descriptor(const struct pv *v)
{
	return v->kind == K_FUNCTION || v->kind == K_CLASSMETHOD || v->kind == K_STATICMETHOD ||
	       v->kind == K_PROPERTY;
}

/* A class of the enum module by name, in cls's MRO: which kind of auto. */
static int derives_from(const struct pv *cls, const char *name)
{
	size_t k;

	for (k = 0; k < cls->u.cls->mro_count; k++) {
		const struct pv *c = cls->u.cls->mro[k];
		if (c->id == B_ENUM_CLASS && !strcmp(c->u.cls->name->u.str.s, name))
			return 1;
	}
	return 0;
}

int ev_transparent_base(struct pyeval *ev, const struct pv *b)
{
	if (b->kind != K_CLASS)
		return 0;
	if (!b->id)
		return !b->u.cls->opaque_base;
	return b == ev->object_class || (ev->type_class && is_subclass(b, ev->type_class)) ||
	       is_subclass(b, ev->exc_base) || (ev->enum_class && is_subclass(b, ev->enum_class));
}

int ev_is_enum(struct pyeval *ev, const struct pv *cls)
{
	return ev->enum_class && cls->kind == K_CLASS && !cls->id &&
	       is_subclass(cls, ev->enum_class) && dict_get_str(cls->u.cls->dict, "_member_names_");
}

static struct pv *members_map(struct pv *cls)
{
	return dict_get_str(cls->u.cls->dict, "_member_map_");
}

/* The member of value, made as EnumType makes it. NULL: it raised. */
static struct pv *make_member(struct pyeval *ev, struct pv *cls, struct pv *name, struct pv *value)
{
	struct pv *member = NULL, *f, **args;
	size_t nargs = 1, k;

	if (value->kind == K_TUPLE) {
		nargs = value->u.seq->count;
		args = ev_alloc(ev, (nargs + 1) * sizeof(*args));
		for (k = 0; k < nargs; k++)
			args[k + 1] = value->u.seq->items[k];
	} else {
		args = ev_alloc(ev, 2 * sizeof(*args));
		args[1] = value;
	}
	f = class_lookup(cls, pv_intern(ev, "__new__", 7));
	if (f && f->kind == K_STATICMETHOD && f->u.wrapped->kind == K_FUNCTION) {
		args[0] = cls;
		if (!(member = ev_call(ev, f->u.wrapped, args, nargs + 1, NULL)) || ev->flow != F_NORMAL)
			return NULL;
		if (member->kind != K_INSTANCE)
			return pv_unknownf(ev, "a member of %s made by its __new__", cls->u.cls->name->u.str.s);
		if (!dict_get_str(member->u.inst.dict, "_value_"))
			dict_set_str(ev, member->u.inst.dict, "_value_", value);
	} else {
		member = pv_instance(ev, cls);
		dict_set_str(ev, member->u.inst.dict, "_value_", value);
	}
	dict_set_str(ev, member->u.inst.dict, "_name_", name);
	f = class_lookup(cls, pv_intern(ev, "__init__", 8));
	if (f && f->kind == K_FUNCTION) {
		args[0] = member;
		if (!ev_call(ev, f, args, nargs + 1, NULL) || ev->flow != F_NORMAL)
			return NULL;
	}
	dict_set_str(ev, member->u.inst.dict, "name", name);
	dict_set_str(ev, member->u.inst.dict, "value", dict_get_str(member->u.inst.dict, "_value_"));
	return member;
}

/* enum.auto()'s value for name after last (NULL: none yet). */
static struct pv *auto_value(struct pyeval *ev, struct pv *cls, struct pv *name, struct pv *last)
{
	if (derives_from(cls, "StrEnum")) {
		size_t k, len = name->u.str.len;
		char *s = ev_alloc(ev, len + 1);
		for (k = 0; k < len; k++) {
			char c = name->u.str.s[k];
			s[k] = c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
		}
		s[len] = '\0';
		return pv_str(ev, s, len);
	}
	if (derives_from(cls, "Flag")) {
		int64_t v = 1;
		if (last && last->kind == K_INT && last->u.i > 0)
			while (v <= last->u.i && v < ((int64_t)1 << 62))
				v <<= 1;
		return pv_int(ev, v);
	}
	if (!last)
		return pv_int(ev, 1);
	if (last->kind == K_INT || last->kind == K_BOOL)
		return pv_int(ev, last->u.i + 1);
	return pv_unknownf(ev, "the enum.auto() value after a value that is not an int");
}

int ev_enum_members(struct pyeval *ev, struct pv *cls)
{
	struct pv_dict *d = cls->u.cls->dict->u.dict;
	struct pv *names, *map, *ignore = dict_get_str(cls->u.cls->dict, "_ignore_"), *last = NULL;
	size_t k, count = d->count;

	if (!ev->enum_class || cls->id || !is_subclass(cls, ev->enum_class))
		return 0;
	names = pv_seq_new(ev, K_LIST, count);
	map = pv_dict_new(ev);
	if (ignore && ignore->kind == K_STR)
		ignore = NULL;  /* "a b c": rare; its names stay members */
	for (k = 0; k < count; k++) {
		struct pv *key = d->keys[k], *value = d->vals[k], *member = NULL;
		size_t j;
		if (!key || key->kind != K_STR || !value ||
		    is_sunder_or_dunder(key->u.str.s, key->u.str.len) || is_private(cls, key->u.str.s) ||
		    is_descriptor(value))
			continue;
		if (ignore && (ignore->kind == K_LIST || ignore->kind == K_TUPLE)) {
			int skip = 0;
			for (j = 0; j < ignore->u.seq->count; j++)
				if (pv_equal(ignore->u.seq->items[j], key) == 1)
					skip = 1;
			if (skip)
				continue;
		}
		if (value->kind == K_INSTANCE && value->u.inst.cls == ev->enum_auto_class)
			value = auto_value(ev, cls, key, last);
		for (j = 0; j < names->u.seq->count; j++) {
			struct pv *other = dict_get(map, names->u.seq->items[j]);
			if (pv_equal(dict_get_str(other->u.inst.dict, "_value_"), value) == 1) {
				member = other;         /* an alias */
				break;
			}
		}
		if (!member) {
			if (!(member = make_member(ev, cls, key, value)))
				return -1;
			seq_append(ev, names, key);
			if (member->kind == K_INSTANCE)
				last = dict_get_str(member->u.inst.dict, "_value_");
		}
		dict_set(ev, map, key, member);
		dict_set(ev, cls->u.cls->dict, key, member);
	}
	dict_set_str(ev, cls->u.cls->dict, "_member_names_", names);
	dict_set_str(ev, cls->u.cls->dict, "_member_map_", map);
	return 0;
}

struct pv *ev_enum_list(struct pyeval *ev, struct pv *cls)
{
	struct pv *names = dict_get_str(cls->u.cls->dict, "_member_names_"), *map = members_map(cls);
	struct pv *out = pv_seq_new(ev, K_TUPLE, names->u.seq->count);
	size_t k;

	for (k = 0; k < names->u.seq->count; k++)
		seq_append(ev, out, dict_get(map, names->u.seq->items[k]));
	return out;
}

struct pv *ev_enum_by_name(struct pyeval *ev, struct pv *cls, struct pv *name)
{
	struct pv *v = name->kind == K_STR ? dict_get(members_map(cls), name) : NULL;

	if (v)
		return v;
	if (name->kind == K_UNKNOWN)
		return pv_unknownf(ev, "a member of %s by a name hub cannot compute", cls->u.cls->name->u.str.s);
	return ev_raise(ev, ev->exc_key, "%s", name->kind == K_STR ? name->u.str.s : "?");
}

struct pv *ev_enum_by_value(struct pyeval *ev, struct pv *cls, struct pv *value)
{
	struct pv *members = ev_enum_list(ev, cls);
	size_t k;
	int unsure = value->kind == K_UNKNOWN;

	if (value->kind == K_INSTANCE && value->u.inst.cls == cls)
		return value;
	for (k = 0; k < members->u.seq->count; k++) {
		struct pv *m = members->u.seq->items[k];
		int e = m->kind == K_INSTANCE ? pv_equal(dict_get_str(m->u.inst.dict, "_value_"), value) : -1;
		if (e == 1)
			return m;
		if (e < 0)
			unsure = 1;
	}
	if (unsure)
		return pv_unknownf(ev, "a member of %s by a value hub cannot compare", cls->u.cls->name->u.str.s);
	return ev_raise(ev, ev->exc_value, "not a valid %s", cls->u.cls->name->u.str.s);
}

/* str() or repr() of a member as Python 3.11 writes them: <Cls.NAME: value>
 * for repr; Cls.NAME for str, or the value's for IntEnum, StrEnum and
 * IntFlag. -1: not a member (or a value hub cannot write). */
int ev_enum_text(struct pyeval *ev, struct pv *member, int repr, struct buf *out)
{
	struct pv *cls = member->u.inst.cls, *name, *value, *s;

	if (!ev->enum_class || !is_subclass(cls, ev->enum_class) ||
	    !(name = dict_get_str(member->u.inst.dict, "_name_")) || name->kind != K_STR ||
	    !(value = dict_get_str(member->u.inst.dict, "_value_")))
		return -1;
	if (!repr && (derives_from(cls, "IntEnum") || derives_from(cls, "StrEnum") ||
		      derives_from(cls, "IntFlag"))) {
		if (!(s = ev_str_of(ev, value, 0)) || s->kind != K_STR)
			return -1;
		return buf_add(out, s->u.str.s, s->u.str.len);
	}
	if (!repr)
		return buf_addf(out, "%s.%s", cls->u.cls->name->u.str.s, name->u.str.s);
	if (!(s = ev_str_of(ev, value, 1)) || s->kind != K_STR)
		return -1;
	return buf_addf(out, "<%s.%s: %.*s>", cls->u.cls->name->u.str.s, name->u.str.s,
			(int)s->u.str.len, s->u.str.s);
}
