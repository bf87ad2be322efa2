/*
 * pyeval_ops.c - operators, comparisons and subscripts on abstract values.
 */
#include <math.h>
#include <string.h>

#include "err.h"
#include "pyeval_impl.h"

static int is_num(const struct pv *v)
{
	return v->kind == K_INT || v->kind == K_BOOL || v->kind == K_FLOAT;
}

static double as_f(const struct pv *v)
{
	return v->kind == K_FLOAT ? v->u.f : (double)v->u.i;
}

/* The longest str or bytes value hub makes. */
#define STR_MAX ((size_t)16 << 20)

static struct pv *concat(struct pyeval *ev, struct pv *a, struct pv *b)
{
	struct pv *r = pv_seq_new(ev, a->kind, a->u.seq->count + b->u.seq->count);
	size_t k;

	for (k = 0; k < a->u.seq->count; k++)
		seq_append(ev, r, a->u.seq->items[k]);
	for (k = 0; k < b->u.seq->count; k++)
		seq_append(ev, r, b->u.seq->items[k]);
	return r;
}

static struct pv *repeat(struct pyeval *ev, struct pv *a, int64_t times)
{
	size_t k, total;
	struct pv *r;
	int64_t t;

	if (times < 0)
		times = 0;
	if (a->kind == K_STR) {
		char *s;
		total = a->u.str.len * (size_t)times;
		if ((times && total / (size_t)times != a->u.str.len) || total > STR_MAX)
			return ev_fatal(ev, "evaluation exceeded a string of %zu MiB", STR_MAX >> 20);
		s = ev_alloc(ev, total + 1);
		for (t = 0; t < times; t++)
			memcpy(s + (size_t)t * a->u.str.len, a->u.str.s, a->u.str.len);
		return pv_str(ev, s, total);
	}
	if (a->u.seq->count && (uint64_t)times > (uint64_t)(ev->opt.max_bytes / 8 / a->u.seq->count))
		return ev_fatal(ev, "evaluation exceeded the memory cap");
	r = pv_seq_new(ev, a->kind, a->u.seq->count * (size_t)times);
	for (t = 0; t < times; t++)
		for (k = 0; k < a->u.seq->count; k++)
			seq_append(ev, r, a->u.seq->items[k]);
	return r;
}

static struct pv *str_concat(struct pyeval *ev, struct pv *a, struct pv *b)
{
	char *s;
	struct pv *r;

	if (a->u.str.len + b->u.str.len > STR_MAX)
		return ev_fatal(ev, "evaluation exceeded a string of %zu MiB", STR_MAX >> 20);
	s = ev_alloc(ev, a->u.str.len + b->u.str.len + 1);
	memcpy(s, a->u.str.s, a->u.str.len);
	memcpy(s + a->u.str.len, b->u.str.s, b->u.str.len);
	r = pv_str(ev, s, a->u.str.len + b->u.str.len);
	r->kind = a->kind;
	return r;
}

static int64_t floordiv(int64_t a, int64_t b)
{
	int64_t q = a / b;
	if ((a % b != 0) && ((a < 0) != (b < 0)))
		q--;
	return q;
}

struct pv *ev_binop(struct pyeval *ev, int op, struct pv *a, struct pv *b)
{
	if (a->kind == K_UNKNOWN)
		return a;
	if (b->kind == K_UNKNOWN)
		return b;
	if ((a->kind == K_INT || a->kind == K_BOOL) && (b->kind == K_INT || b->kind == K_BOOL)) {
		int64_t x = a->u.i, y = b->u.i, r;
		switch (op) {
		case PY_ADD:
			if (__builtin_add_overflow(x, y, &r))
				break;
			return pv_int(ev, r);
		case PY_SUB:
			if (__builtin_sub_overflow(x, y, &r))
				break;
			return pv_int(ev, r);
		case PY_MULT:
			if (__builtin_mul_overflow(x, y, &r))
				break;
			return pv_int(ev, r);
		case PY_DIV:
			if (!y)
				return ev_raise(ev, ev->exc_zero_div, "division by zero");
			return pv_float(ev, (double)x / (double)y);
		case PY_FLOORDIV:
		case PY_MOD:
			if (!y)
				return ev_raise(ev, ev->exc_zero_div, "integer division or modulo by zero");
			if (x == INT64_MIN && y == -1)
				break;
			r = floordiv(x, y);
			return pv_int(ev, op == PY_FLOORDIV ? r : x - r * y);
		case PY_POW: {
			int64_t acc = 1, i;
			if (y < 0)
				return pv_float(ev, pow((double)x, (double)y));
			for (i = 0; i < y; i++)
				if (__builtin_mul_overflow(acc, x, &acc))
					return pv_unknown(ev, "an integer too large for hub");
			return pv_int(ev, acc);
		}
		case PY_LSHIFT:
			if (y < 0 || y > 62 || (x && (x > (INT64_MAX >> y) || x < (INT64_MIN >> y))))
				break;
			return pv_int(ev, x * ((int64_t)1 << y));
		case PY_RSHIFT:
			if (y < 0)
				break;
			return pv_int(ev, y > 63 ? (x < 0 ? -1 : 0) : x >> y);
		case PY_BITOR:
			if (a->kind == K_BOOL && b->kind == K_BOOL)
				return pv_bool(ev, (int)(x | y));
			return pv_int(ev, x | y);
		case PY_BITAND:
			if (a->kind == K_BOOL && b->kind == K_BOOL)
				return pv_bool(ev, (int)(x & y));
			return pv_int(ev, x & y);
		case PY_BITXOR:
			return pv_int(ev, x ^ y);
		}
		return pv_unknown(ev, "an integer operation hub does not model");
	}
	if (is_num(a) && is_num(b)) {
		double x = as_f(a), y = as_f(b);
		switch (op) {
		case PY_ADD: return pv_float(ev, x + y);
		case PY_SUB: return pv_float(ev, x - y);
		case PY_MULT: return pv_float(ev, x * y);
		case PY_DIV:
			if (y == 0)
				return ev_raise(ev, ev->exc_zero_div, "float division by zero");
			return pv_float(ev, x / y);
		case PY_FLOORDIV:
			if (y == 0)
				return ev_raise(ev, ev->exc_zero_div, "float floor division by zero");
			return pv_float(ev, floor(x / y));
		case PY_MOD:
			if (y == 0)
				return ev_raise(ev, ev->exc_zero_div, "float modulo");
			return pv_float(ev, x - floor(x / y) * y);
		case PY_POW: return pv_float(ev, pow(x, y));
		}
		return pv_unknown(ev, "a float operation hub does not model");
	}
	switch (op) {
	case PY_ADD:
		if ((a->kind == K_STR && b->kind == K_STR) || (a->kind == K_BYTES && b->kind == K_BYTES))
			return str_concat(ev, a, b);
		if ((a->kind == K_LIST && b->kind == K_LIST) || (a->kind == K_TUPLE && b->kind == K_TUPLE))
			return concat(ev, a, b);
		if ((a->kind == K_STR || a->kind == K_LIST || a->kind == K_TUPLE) &&
		    (b->kind == K_STR || b->kind == K_LIST || b->kind == K_TUPLE || is_num(b)))
			return ev_raise(ev, ev->exc_type, "unsupported operand types for +");
		break;
	case PY_MULT:
		if ((a->kind == K_STR || a->kind == K_LIST || a->kind == K_TUPLE) &&
		    (b->kind == K_INT || b->kind == K_BOOL))
			return repeat(ev, a, b->u.i);
		if ((b->kind == K_STR || b->kind == K_LIST || b->kind == K_TUPLE) &&
		    (a->kind == K_INT || a->kind == K_BOOL))
			return repeat(ev, b, a->u.i);
		break;
	case PY_MOD:
		if (a->kind == K_STR)
			return lib_percent(ev, a, b);
		break;
	case PY_BITOR:
		if ((a->kind == K_DICT && b->kind == K_DICT) || (a->kind == K_SET && b->kind == K_SET)) {
			struct pv *r = pv_dict_new(ev);
			size_t k;
			for (k = 0; k < a->u.dict->count; k++)
				if (a->u.dict->keys[k])
					dict_set(ev, r, a->u.dict->keys[k], a->u.dict->vals[k]);
			for (k = 0; k < b->u.dict->count; k++)
				if (b->u.dict->keys[k])
					dict_set(ev, r, b->u.dict->keys[k], b->u.dict->vals[k]);
			r->kind = a->kind;
			return r;
		}
		break;
	}
	return pv_unknown(ev, "an operation hub does not model");
}

static int seq_cmp(struct pyeval *ev, struct pv *a, struct pv *b, int *out);

/* -1 less, 0 equal, 1 greater in *out; returns -1 when unknown, -2 type error */
static int order(struct pyeval *ev, struct pv *a, struct pv *b, int *out)
{
	if (is_num(a) && is_num(b)) {
		double x = as_f(a), y = as_f(b);
		if ((a->kind != K_FLOAT) && (b->kind != K_FLOAT))
			*out = a->u.i < b->u.i ? -1 : a->u.i > b->u.i;
		else
			*out = x < y ? -1 : x > y;
		return 0;
	}
	if (a->kind == K_STR && b->kind == K_STR) {
		size_t n = a->u.str.len < b->u.str.len ? a->u.str.len : b->u.str.len;
		int c = memcmp(a->u.str.s, b->u.str.s, n);
		*out = c < 0 ? -1 : c > 0 ? 1 : a->u.str.len < b->u.str.len ? -1 : a->u.str.len > b->u.str.len;
		return 0;
	}
	if ((a->kind == K_TUPLE && b->kind == K_TUPLE) || (a->kind == K_LIST && b->kind == K_LIST))
		return seq_cmp(ev, a, b, out);
	if (a->kind == K_UNKNOWN || b->kind == K_UNKNOWN || a->kind == K_OPAQUE ||
	    b->kind == K_OPAQUE || a->kind == K_INSTANCE || b->kind == K_INSTANCE)
		return -1;
	return -2;
}

static int seq_cmp(struct pyeval *ev, struct pv *a, struct pv *b, int *out)
{
	size_t k, n = a->u.seq->count < b->u.seq->count ? a->u.seq->count : b->u.seq->count;

	for (k = 0; k < n; k++) {
		int e = pv_equal(a->u.seq->items[k], b->u.seq->items[k]);
		if (e < 0)
			return -1;
		if (!e)
			return order(ev, a->u.seq->items[k], b->u.seq->items[k], out);
	}
	*out = a->u.seq->count < b->u.seq->count ? -1 : a->u.seq->count > b->u.seq->count;
	return 0;
}

static int contains(struct pyeval *ev, struct pv *item, struct pv *c)
{
	size_t k;
	int any_unknown = 0;

	if (ev_is_enum(ev, c)) {
		struct pv *members = ev_enum_list(ev, c);
		if (item->kind == K_UNKNOWN)
			return -1;
		for (k = 0; k < members->u.seq->count; k++)
			if (members->u.seq->items[k] == item)
				return 1;
		return 0;
	}
	switch (c->kind) {
	case K_STR:
		if (item->kind != K_STR)
			return item->kind == K_UNKNOWN ? -1 : -2;
		if (!item->u.str.len)
			return 1;
		return memmem(c->u.str.s, c->u.str.len, item->u.str.s, item->u.str.len) != NULL;
	case K_LIST:
	case K_TUPLE:
		for (k = 0; k < c->u.seq->count; k++) {
			int e = pv_equal(item, c->u.seq->items[k]);
			if (e == 1)
				return 1;
			if (e < 0)
				any_unknown = 1;
		}
		return any_unknown || (c->flags & PVF_INCOMPLETE) ? -1 : 0;
	case K_DICT:
	case K_SET:
		if (item->kind == K_UNKNOWN || item->kind == K_OPAQUE)
			return -1;
		if (dict_get(c, item))
			return 1;
		return c->u.dict->incomplete ? -1 : 0;
	default:
		return -1;
	}
}

int ev_compare(struct pyeval *ev, int op, struct pv *a, struct pv *b)
{
	int e, o, st;

	switch (op) {
	case PY_EQ:
	case PY_NOTEQ:
		e = pv_equal(a, b);
		if (e < 0)
			return -1;
		return op == PY_EQ ? e : !e;
	case PY_IS:
	case PY_ISNOT:
		if (a->kind == K_UNKNOWN || b->kind == K_UNKNOWN || a->kind == K_OPAQUE ||
		    b->kind == K_OPAQUE)
			return -1;
		e = a == b || (a->kind == K_NONE && b->kind == K_NONE);
		return op == PY_IS ? e : !e;
	case PY_IN:
	case PY_NOTIN:
		e = contains(ev, a, b);
		if (e == -2) {
			ev_raise(ev, ev->exc_type, "'in' needs a string");
			return -2;
		}
		if (e < 0)
			return -1;
		return op == PY_IN ? e : !e;
	default:
		st = order(ev, a, b, &o);
		if (st == -2) {
			ev_raise(ev, ev->exc_type, "'<' not supported between these types");
			return -2;
		}
		if (st < 0)
			return -1;
		switch (op) {
		case PY_LT: return o < 0;
		case PY_LTE: return o <= 0;
		case PY_GT: return o > 0;
		default: return o >= 0;
		}
	}
}

static int slice_bounds(struct pv *sl, size_t len, int64_t *start, int64_t *stop, int64_t *step)
{
	struct pv *lo = sl->u.seq->items[0], *hi = sl->u.seq->items[1], *st = sl->u.seq->items[2];
	int64_t n = (int64_t)len;

	*step = 1;
	if (st->kind == K_INT)
		*step = st->u.i;
	else if (st->kind != K_NONE)
		return -1;
	if (!*step)
		return -1;
	if ((lo->kind != K_INT && lo->kind != K_NONE) || (hi->kind != K_INT && hi->kind != K_NONE))
		return -1;
	if (*step > 0) {
		*start = lo->kind == K_NONE ? 0 : lo->u.i;
		*stop = hi->kind == K_NONE ? n : hi->u.i;
		if (*start < 0) *start += n;
		if (*stop < 0) *stop += n;
		if (*start < 0) *start = 0;
		if (*stop > n) *stop = n;
	} else {
		*start = lo->kind == K_NONE ? n - 1 : lo->u.i;
		*stop = hi->kind == K_NONE ? -1 : hi->u.i;
		if (lo->kind != K_NONE && *start < 0) *start += n;
		if (hi->kind != K_NONE && *stop < 0) *stop += n;
		if (*start >= n) *start = n - 1;
		if (hi->kind != K_NONE && *stop < -1) *stop = -1;
	}
	return 0;
}

struct pv *ev_subscript(struct pyeval *ev, struct pv *obj, struct pv *key)
{
	struct pv *v, *f;
	int64_t i, start, stop, step;
	size_t len;

	if (obj->kind == K_UNKNOWN)
		return obj;
	if (key->kind == K_UNKNOWN && obj->kind != K_OPAQUE && obj->kind != K_CLASS)
		return key;
	if (ev_is_enum(ev, obj))
		return ev_enum_by_name(ev, obj, key);
	switch (obj->kind) {
	case K_LIST:
	case K_TUPLE:
	case K_STR:
	case K_BYTES:
		len = obj->kind == K_STR || obj->kind == K_BYTES ? obj->u.str.len : obj->u.seq->count;
		if (key->kind == K_TUPLE && (key->flags & PVF_SLICE)) {
			if (slice_bounds(key, len, &start, &stop, &step))
				return pv_unknown(ev, "a slice hub does not model");
			if (obj->kind == K_STR || obj->kind == K_BYTES) {
				char *s = ev_alloc(ev, len + 1);
				size_t n = 0;
				for (i = start; step > 0 ? i < stop : i > stop; i += step)
					s[n++] = obj->u.str.s[i];
				v = pv_str(ev, s, n);
				v->kind = obj->kind;
				return v;
			}
			v = pv_seq_new(ev, obj->kind, 0);
			for (i = start; step > 0 ? i < stop : i > stop; i += step)
				seq_append(ev, v, obj->u.seq->items[i]);
			return v;
		}
		if (key->kind != K_INT && key->kind != K_BOOL)
			return ev_raise(ev, ev->exc_type, "indices must be integers");
		i = key->u.i < 0 ? key->u.i + (int64_t)len : key->u.i;
		if (i < 0 || (size_t)i >= len)
			return ev_raise(ev, ev->exc_index, "index out of range");
		if (obj->kind == K_STR)
			return pv_str(ev, obj->u.str.s + i, 1);   /* bytes of UTF-8: ASCII exact */
		if (obj->kind == K_BYTES)
			return pv_int(ev, (unsigned char)obj->u.str.s[i]);
		return obj->u.seq->items[i];
	case K_DICT:
		if ((v = dict_get(obj, key)))
			return v;
		if (key->kind == K_OPAQUE)
			return pv_unknown(ev, "a key hub cannot compute");
		if (obj->u.dict->default_factory) {
			if (!(v = ev_call(ev, obj->u.dict->default_factory, NULL, 0, NULL)))
				return NULL;
			dict_set(ev, obj, key, v);
			return v;
		}
		if (obj->u.dict->incomplete)
			return pv_unknown(ev, "a key of a dict hub could not fill");
		if (key->kind == K_STR)
			return ev_raise(ev, ev->exc_key, "'%s'", key->u.str.s);
		return ev_raise(ev, ev->exc_key, "key not found");
	case K_INSTANCE:
		f = class_lookup(obj->u.inst.cls, pv_intern(ev, "__getitem__", 11));
		if (f && f->kind == K_FUNCTION) {
			struct pv *args[2] = { obj, key };
			return ev_call(ev, f, args, 2, NULL);
		}
		return pv_unknown(ev, "an item of an object hub does not model");
	case K_CLASS:
		f = class_lookup(obj, pv_intern(ev, "__class_getitem__", 17));
		return obj;     /* list[int], a generic alias: callable like the class */
	case K_OPAQUE:
		v = pv_opaque(ev, obj->u.opaque.module,
			      ev_printf(ev, "%s[...]", obj->u.opaque.attr ? obj->u.opaque.attr : ""));
		return v;
	case K_MODULE:
		return ev_raise(ev, ev->exc_type, "'module' object is not subscriptable");
	default:
		break;
	}
	return pv_unknown(ev, "an item hub does not model");
}

int ev_setitem(struct pyeval *ev, struct pv *obj, struct pv *key, struct pv *val)
{
	struct pv *f;
	int64_t i;

	switch (obj->kind) {
	case K_DICT:
		if (key->kind == K_UNKNOWN || key->kind == K_OPAQUE) {
			obj->u.dict->incomplete = 1;
			if (obj->u.dict->owner && !ev->lenient) {
				unsigned line;
				const char *file = ev_where(ev, &line);
				ev_warn(ev, "%s:%u: a name made from %s is bound: hub cannot tell which",
					file, line, key->kind == K_UNKNOWN ? key->u.unknown.what :
					"a value from outside the repository");
			}
			if (obj->u.dict->owner)
				obj->u.dict->owner->incomplete = 1;
			return 0;
		}
		if (obj->u.dict->owner && key->kind == K_STR) {
			store_global(ev, obj->u.dict->owner, key, val);
			return 0;
		}
		dict_set(ev, obj, key, val);
		return 0;
	case K_LIST:
		if (key->kind != K_INT)
			return 0;
		i = key->u.i < 0 ? key->u.i + (int64_t)obj->u.seq->count : key->u.i;
		if (i < 0 || (size_t)i >= obj->u.seq->count) {
			ev_raise(ev, ev->exc_index, "list assignment index out of range");
			return -1;
		}
		obj->u.seq->items[i] = val;
		return 0;
	case K_INSTANCE:
		f = class_lookup(obj->u.inst.cls, pv_intern(ev, "__setitem__", 11));
		if (f && f->kind == K_FUNCTION) {
			struct pv *args[3] = { obj, key, val };
			return ev_call(ev, f, args, 3, NULL) ? 0 : -1;
		}
		return 0;
	default:
		return 0;
	}
}
