/*
 * pyeval_lib.c - the builtins, the methods of str/list/dict/set, and the
 * few standard-library modules hub models (sys, os, os.path, functools,
 * warnings, collections, typing ...). Each does what Python does on known
 * values and gives unknown otherwise.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fnmatch.h>

#include "err.h"
#include "pyeval_impl.h"
#include "pyparse.h"

static const char *const stdlib_top[] = {
	"abc", "argparse", "ast", "asyncio", "base64", "bisect", "collections", "contextlib",
	"copy", "csv", "dataclasses", "datetime", "enum", "fnmatch", "functools", "glob",
	"gzip", "hashlib", "heapq", "importlib", "inspect", "io", "itertools", "json",
	"logging", "math", "numbers", "operator", "os", "pathlib", "pickle", "platform",
	"pprint", "queue", "random", "re", "shutil", "signal", "socket", "string", "struct",
	"subprocess", "tempfile", "textwrap", "threading", "time", "traceback", "types",
	"typing", "unittest", "urllib", "uuid", "warnings", "weakref", "zipfile", "posixpath",
	"copyreg", "dis", "tarfile", "zlib", NULL
};

int lib_is_stdlib(const char *top)
{
	size_t k;

	for (k = 0; stdlib_top[k]; k++)
		if (!strcmp(stdlib_top[k], top))
			return 1;
	return 0;
}

/*
 * Names from outside the repository that hubconf files import often and
 * that are not callable: constants, and modules (Python lists neither).
 * Any other name from outside is assumed callable, with a warning.
 */
static const char *const outside_values[][2] = {
	{ "typing", "TYPE_CHECKING" }, { "os", "path" }, { "os", "sep" }, { "os", "pathsep" },
	{ "os", "linesep" }, { "os", "environ" }, { "os", "name" }, { "os", "curdir" },
	{ "os", "pardir" }, { "os.path", "sep" }, { "sys", "argv" }, { "sys", "path" },
	{ "sys", "version_info" }, { "sys", "version" }, { "sys", "platform" },
	{ "sys", "modules" }, { "sys", "stdout" }, { "sys", "stderr" }, { "math", "pi" },
	{ "math", "e" }, { "math", "inf" }, { "math", "nan" }, { "math", "tau" },
	{ "collections", "abc" }, { "importlib", "util" }, { "urllib", "request" },
	{ "urllib", "parse" }, { "concurrent", "futures" }, { "torch", "nn" },
	{ "torch", "optim" }, { "torch", "hub" }, { "torch", "utils" }, { "torch", "jit" },
	{ "torch", "cuda" }, { "torch", "distributed" }, { "torch", "autograd" },
	{ "torch", "onnx" }, { "torch", "fx" }, { "torch", "backends" }, { "torch", "linalg" },
	{ "torch", "fft" }, { "torch", "special" }, { "torch", "ao" },
	{ "torch", "multiprocessing" }, { "torch", "quantization" },
	{ "torch.nn", "functional" }, { "torch.nn", "init" }, { "torch.nn", "modules" },
	{ "torch.nn", "parallel" }, { "torch.nn", "utils" }, { "torch.utils", "data" },
	{ "torch.utils", "model_zoo" }, { "torch.utils", "checkpoint" },
	{ "torchvision", "models" }, { "torchvision", "transforms" },
	{ "torchvision", "datasets" }, { "torchvision", "ops" }, { "torchvision", "io" },
	{ "torchvision", "utils" }
};

int lib_known_value(const char *module, const char *attr)
{
	size_t k;

	for (k = 0; k < sizeof(outside_values) / sizeof(outside_values[0]); k++)
		if (!strcmp(outside_values[k][0], module) && !strcmp(outside_values[k][1], attr))
			return 1;
	return 0;
}


struct bdef { const char *name; enum builtin_id id; };

static const struct bdef builtin_funcs[] = {
	{ "len", B_LEN }, { "range", B_RANGE }, { "enumerate", B_ENUMERATE }, { "zip", B_ZIP },
	{ "sorted", B_SORTED }, { "reversed", B_REVERSED }, { "filter", B_FILTER }, { "map", B_MAP },
	{ "isinstance", B_ISINSTANCE }, { "issubclass", B_ISSUBCLASS }, { "callable", B_CALLABLE },
	{ "getattr", B_GETATTR }, { "setattr", B_SETATTR }, { "hasattr", B_HASATTR },
	{ "delattr", B_DELATTR }, { "globals", B_GLOBALS }, { "locals", B_LOCALS }, { "vars", B_VARS },
	{ "dir", B_DIR }, { "print", B_PRINT }, { "repr", B_REPR }, { "any", B_ANY }, { "all", B_ALL },
	{ "min", B_MIN }, { "max", B_MAX }, { "sum", B_SUM }, { "abs", B_ABS }, { "id", B_ID },
	{ "hash", B_HASH }, { "iter", B_ITER }, { "next", B_NEXT }, { "super", B_SUPER },
	{ "exec", B_EXEC }, { "eval", B_EVAL }, { "open", B_OPEN }, { "__import__", B_IMPORT },
	{ "round", B_ROUND }, { "ord", B_ORD }, { "chr", B_CHR }, { "format", B_FORMAT },
	{ "input", B_OPAQUE_CALL }, { "divmod", B_OPAQUE_CALL }, { "pow", B_OPAQUE_CALL },
	{ "bin", B_OPAQUE_CALL }, { "hex", B_OPAQUE_CALL }, { "oct", B_OPAQUE_CALL },
	{ "ascii", B_OPAQUE_CALL }, { "compile", B_OPAQUE_CALL }, { "breakpoint", B_NOOP },
	/* what the site module adds */
	{ "help", B_OPAQUE_CALL }, { "exit", B_OPAQUE_CALL }, { "quit", B_OPAQUE_CALL },
	{ "copyright", B_OPAQUE_CALL }, { "credits", B_OPAQUE_CALL }, { "license", B_OPAQUE_CALL },
	{ NULL, B_NONE_ }
};

static const struct bdef builtin_types[] = {
	{ "str", B_STR }, { "int", B_INT }, { "float", B_FLOAT }, { "bool", B_BOOL },
	{ "list", B_LIST }, { "tuple", B_TUPLE }, { "dict", B_DICT }, { "set", B_SET },
	{ "frozenset", B_FROZENSET }, { "object", B_OBJECT }, { "type", B_TYPE },
	{ "property", B_PROPERTY }, { "classmethod", B_CLASSMETHOD },
	{ "staticmethod", B_STATICMETHOD }, { "bytes", B_OPAQUE_CALL },
	{ "bytearray", B_OPAQUE_CALL }, { "complex", B_OPAQUE_CALL }, { "slice", B_OPAQUE_CALL },
	{ "memoryview", B_OPAQUE_CALL }, { NULL, B_NONE_ }
};

static struct pv *exc_class(struct pyeval *ev, const char *name, struct pv *base)
{
	struct pv *c = ev_new_class(ev, name, base, 0);

	dict_set_str(ev, ev->builtins, name, c);
	return c;
}

void lib_init(struct pyeval *ev)
{
	size_t k;
	struct pv *c;

	ev->none = pv_new(ev, K_NONE);
	ev->true_ = pv_new(ev, K_BOOL);
	ev->true_->u.i = 1;
	ev->false_ = pv_new(ev, K_BOOL);
	ev->ellipsis = pv_new(ev, K_ELLIPSIS);
	ev->builtins = pv_dict_new(ev);
	ev->object_class = NULL;
	ev->object_class = ev_new_class(ev, "object", NULL, B_OBJECT);
	ev->object_class->u.cls->mro_count = 1;
	for (k = 0; builtin_types[k].name; k++) {
		c = builtin_types[k].id == B_OBJECT ? ev->object_class :
		    ev_new_class(ev, builtin_types[k].name, ev->object_class, builtin_types[k].id);
		dict_set_str(ev, ev->builtins, builtin_types[k].name, c);
		switch (builtin_types[k].id) {
		case B_STR: ev->str_class = c; break;
		case B_INT: ev->int_class = c; break;
		case B_FLOAT: ev->float_class = c; break;
		case B_BOOL: ev->bool_class = c; break;
		case B_LIST: ev->list_class = c; break;
		case B_TUPLE: ev->tuple_class = c; break;
		case B_DICT: ev->dict_class = c; break;
		case B_SET: ev->set_class = c; break;
		case B_TYPE: ev->type_class = c; break;
		case B_OPAQUE_CALL:
			if (!strcmp(builtin_types[k].name, "bytes"))
				ev->bytes_class = c;
			break;
		default: break;
		}
	}
	for (k = 0; builtin_funcs[k].name; k++)
		dict_set_str(ev, ev->builtins, builtin_funcs[k].name,
			     pv_builtin(ev, builtin_funcs[k].id, NULL));
	dict_set_str(ev, ev->builtins, "None", ev->none);
	dict_set_str(ev, ev->builtins, "True", ev->true_);
	dict_set_str(ev, ev->builtins, "False", ev->false_);
	dict_set_str(ev, ev->builtins, "Ellipsis", ev->ellipsis);
	dict_set_str(ev, ev->builtins, "NotImplemented", pv_unknown(ev, "NotImplemented"));
	dict_set_str(ev, ev->builtins, "__debug__", ev->true_);
	ev->exc_base = exc_class(ev, "BaseException", ev->object_class);
	ev->exc_exception = exc_class(ev, "Exception", ev->exc_base);
	exc_class(ev, "KeyboardInterrupt", ev->exc_base);
	exc_class(ev, "SystemExit", ev->exc_base);
	exc_class(ev, "GeneratorExit", ev->exc_base);
	ev->exc_import = exc_class(ev, "ImportError", ev->exc_exception);
	ev->exc_module_not_found = exc_class(ev, "ModuleNotFoundError", ev->exc_import);
	ev->exc_attribute = exc_class(ev, "AttributeError", ev->exc_exception);
	ev->exc_lookup = exc_class(ev, "LookupError", ev->exc_exception);
	ev->exc_key = exc_class(ev, "KeyError", ev->exc_lookup);
	ev->exc_index = exc_class(ev, "IndexError", ev->exc_lookup);
	ev->exc_type = exc_class(ev, "TypeError", ev->exc_exception);
	ev->exc_value = exc_class(ev, "ValueError", ev->exc_exception);
	exc_class(ev, "UnicodeError", ev->exc_value);
	ev->exc_name = exc_class(ev, "NameError", ev->exc_exception);
	exc_class(ev, "UnboundLocalError", ev->exc_name);
	ev->exc_runtime = exc_class(ev, "RuntimeError", ev->exc_exception);
	ev->exc_not_implemented = exc_class(ev, "NotImplementedError", ev->exc_runtime);
	exc_class(ev, "RecursionError", ev->exc_runtime);
	ev->exc_stop = exc_class(ev, "StopIteration", ev->exc_exception);
	ev->exc_os = exc_class(ev, "OSError", ev->exc_exception);
	dict_set_str(ev, ev->builtins, "IOError", ev->exc_os);
	dict_set_str(ev, ev->builtins, "EnvironmentError", ev->exc_os);
	exc_class(ev, "FileNotFoundError", ev->exc_os);
	exc_class(ev, "PermissionError", ev->exc_os);
	ev->exc_assertion = exc_class(ev, "AssertionError", ev->exc_exception);
	c = exc_class(ev, "ArithmeticError", ev->exc_exception);
	ev->exc_zero_div = exc_class(ev, "ZeroDivisionError", c);
	exc_class(ev, "OverflowError", c);
	exc_class(ev, "SyntaxError", ev->exc_exception);
	exc_class(ev, "EOFError", ev->exc_exception);
	exc_class(ev, "MemoryError", ev->exc_exception);
	c = exc_class(ev, "Warning", ev->exc_exception);
	exc_class(ev, "UserWarning", c);
	exc_class(ev, "DeprecationWarning", c);
	exc_class(ev, "FutureWarning", c);
	exc_class(ev, "RuntimeWarning", c);
	exc_class(ev, "PendingDeprecationWarning", c);
	exc_class(ev, "ImportWarning", c);
}

/* ---- helpers ---- */

static struct pv *arg(struct pv **args, size_t nargs, struct pv *kwargs, size_t i, const char *kw)
{
	struct pv *v;

	if (i < nargs)
		return args[i];
	if (kwargs && kw && (v = dict_get_str(kwargs, kw)))
		return v;
	return NULL;
}

struct pv *ev_iterate(struct pyeval *ev, struct pv *v)
{
	struct pv *out;
	size_t k;

	switch (v->kind) {
	case K_LIST:
	case K_TUPLE:
		if (v->flags & PVF_INCOMPLETE)
			return pv_unknown(ev, "a list hub could not fill");
		return v;
	case K_DICT:
	case K_SET:
		if (v->u.dict->incomplete)
			return pv_unknown(ev, "a dict hub could not fill");
		out = pv_seq_new(ev, K_TUPLE, v->u.dict->live);
		for (k = 0; k < v->u.dict->count; k++)
			if (v->u.dict->keys[k])
				seq_append(ev, out, v->u.dict->keys[k]);
		return out;
	case K_STR:
		out = pv_seq_new(ev, K_TUPLE, v->u.str.len);
		for (k = 0; k < v->u.str.len; k++) {
			size_t n = 1;
			unsigned char c = (unsigned char)v->u.str.s[k];
			if (c >= 0xf0) n = 4; else if (c >= 0xe0) n = 3; else if (c >= 0xc0) n = 2;
			if (k + n > v->u.str.len)
				n = v->u.str.len - k;
			seq_append(ev, out, pv_str(ev, v->u.str.s + k, n));
			k += n - 1;
		}
		return out;
	case K_UNKNOWN:
		return v;
	case K_CLASS:
		if (ev_is_enum(ev, v))
			return ev_enum_list(ev, v);
		break;
	case K_OPAQUE:
		return pv_unknownf(ev, "the items of %s%s%s from outside the repository",
				   v->u.opaque.module, v->u.opaque.attr ? "." : "",
				   v->u.opaque.attr ? v->u.opaque.attr : "");
	case K_INSTANCE: {
		struct pv *f = class_lookup(v->u.inst.cls, pv_intern(ev, "__iter__", 8));
		if (f && f->kind == K_FUNCTION) {
			struct pv *r = ev_call(ev, f, &v, 1, NULL);
			if (!r)
				return NULL;
			if (r->kind == K_LIST || r->kind == K_TUPLE)
				return r;
		}
		return pv_unknown(ev, "the items of an object hub does not model");
	}
	default:
		break;
	}
	return ev_raise(ev, ev->exc_type, "object is not iterable");
}

static int lt(struct pyeval *ev, struct pv *a, struct pv *b)
{
	return ev_compare(ev, PY_LT, a, b);
}

/* Stable merge sort; keys[] sorted with vals[] alongside. -1: unknown order. */
static int merge_sort(struct pyeval *ev, struct pv **keys, struct pv **vals, size_t n,
		      struct pv **tk, struct pv **tv)
{
	size_t mid = n / 2, i = 0, j, k = 0;
	int c;

	if (n < 2)
		return 0;
	if (merge_sort(ev, keys, vals, mid, tk, tv) || merge_sort(ev, keys + mid, vals + mid, n - mid, tk, tv))
		return -1;
	j = mid;
	while (i < mid && j < n) {
		c = lt(ev, keys[j], keys[i]);
		if (c < 0)
			return -1;
		if (c) {
			tk[k] = keys[j]; tv[k++] = vals[j++];
		} else {
			tk[k] = keys[i]; tv[k++] = vals[i++];
		}
	}
	while (i < mid) { tk[k] = keys[i]; tv[k++] = vals[i++]; }
	while (j < n) { tk[k] = keys[j]; tv[k++] = vals[j++]; }
	memcpy(keys, tk, n * sizeof(*keys));
	memcpy(vals, tv, n * sizeof(*vals));
	return 0;
}

static struct pv *sort_list(struct pyeval *ev, struct pv *items, struct pv *key, int reverse)
{
	size_t n = items->u.seq->count, k;
	struct pv **keys = ev_alloc(ev, (n + 1) * sizeof(*keys)), **vals = ev_alloc(ev, (n + 1) * sizeof(*vals));
	struct pv **tk = ev_alloc(ev, (n + 1) * sizeof(*tk)), **tv = ev_alloc(ev, (n + 1) * sizeof(*tv));
	struct pv *out;

	for (k = 0; k < n; k++) {
		vals[k] = items->u.seq->items[k];
		keys[k] = vals[k];
		if (key && key->kind != K_NONE && !(keys[k] = ev_call(ev, key, &vals[k], 1, NULL)))
			return NULL;
	}
	if (merge_sort(ev, keys, vals, n, tk, tv)) {
		if (ev->flow != F_NORMAL)
			return NULL;
		return pv_unknown(ev, "a sort hub cannot order");
	}
	out = pv_seq_new(ev, K_LIST, n);
	for (k = 0; k < n; k++)
		seq_append(ev, out, vals[reverse ? n - 1 - k : k]);
	return out;
}

struct pv *lib_sorted(struct pyeval *ev, struct pv *list)
{
	struct pv *r = sort_list(ev, list, NULL, 0);
	return r ? r : list;
}

struct pv *type_of(struct pyeval *ev, struct pv *v)
{
	switch (v->kind) {
	case K_NONE: return pv_unknown(ev, "NoneType");
	case K_BOOL: return ev->bool_class;
	case K_INT: return ev->int_class;
	case K_FLOAT: return ev->float_class;
	case K_STR: return ev->str_class;
	case K_TUPLE: return ev->tuple_class;
	case K_LIST: return ev->list_class;
	case K_DICT: return ev->dict_class;
	case K_SET: return ev->set_class;
	case K_INSTANCE: return v->u.inst.cls;
	case K_CLASS: return ev->type_class;
	case K_BYTES: return ev->bytes_class;
	default: return pv_unknown(ev, "the type of a value hub does not model");
	}
}

static int isinstance_of(struct pyeval *ev, struct pv *v, struct pv *t)
{
	struct pv *c;
	size_t k;

	if (t->kind == K_TUPLE) {
		int any_unknown = 0;
		for (k = 0; k < t->u.seq->count; k++) {
			int r = isinstance_of(ev, v, t->u.seq->items[k]);
			if (r == 1)
				return 1;
			if (r < 0)
				any_unknown = 1;
		}
		return any_unknown ? -1 : 0;
	}
	if (t->kind != K_CLASS || v->kind == K_UNKNOWN || v->kind == K_OPAQUE)
		return -1;
	if (t == ev->object_class)
		return 1;
	c = type_of(ev, v);
	if (c->kind != K_CLASS)
		return v->kind == K_NONE ? 0 : -1;
	if (v->kind == K_BOOL && t == ev->int_class)
		return 1;
	if (is_subclass(c, t))
		return 1;
	if (c->u.cls->opaque_base)
		return -1;
	return 0;
}

/* callable(v): 1, 0, or -1 when hub cannot tell */
int lib_callable(struct pyeval *ev, struct pv *v)
{
	switch (v->kind) {
	case K_FUNCTION: case K_BUILTIN: case K_CLASS: case K_METHOD: case K_PARTIAL: case K_STATICMETHOD:
		return 1;
	case K_INSTANCE:
		if (class_lookup(v->u.inst.cls, pv_intern(ev, "__call__", 8)))
			return 1;
		return v->u.inst.cls->u.cls->opaque_base ? -1 : 0;
	case K_OPAQUE:
		if (v->u.opaque.attr && lib_known_value(v->u.opaque.module, v->u.opaque.attr))
			return 0;
		return -1;
	case K_UNKNOWN:
		return -1;
	default:
		return 0;
	}
}

static struct pv *to_str(struct pyeval *ev, struct pv *v, int repr);

static struct pv *make_list(struct pyeval *ev, enum pv_kind kind, struct pv *src)
{
	struct pv *items, *out;
	size_t k;

	if (!src)
		return pv_seq_new(ev, kind, 0);
	if (!(items = ev_iterate(ev, src)))
		return NULL;
	if (items->kind == K_UNKNOWN)
		return items;
	out = pv_seq_new(ev, kind, items->u.seq->count);
	for (k = 0; k < items->u.seq->count; k++)
		seq_append(ev, out, items->u.seq->items[k]);
	return out;
}

static struct pv *make_dict(struct pyeval *ev, struct pv *src, struct pv *kwargs)
{
	struct pv *d = pv_dict_new(ev), *items;
	size_t k;

	if (src && src->kind == K_DICT) {
		for (k = 0; k < src->u.dict->count; k++)
			if (src->u.dict->keys[k])
				dict_set(ev, d, src->u.dict->keys[k], src->u.dict->vals[k]);
		d->u.dict->incomplete = src->u.dict->incomplete;
	} else if (src) {
		if (!(items = ev_iterate(ev, src)))
			return NULL;
		if (items->kind == K_UNKNOWN)
			return items;
		for (k = 0; k < items->u.seq->count; k++) {
			struct pv *p = items->u.seq->items[k];
			if ((p->kind == K_TUPLE || p->kind == K_LIST) && p->u.seq->count == 2)
				dict_set(ev, d, p->u.seq->items[0], p->u.seq->items[1]);
			else
				d->u.dict->incomplete = 1;
		}
	}
	for (k = 0; kwargs && k < kwargs->u.dict->count; k++)
		if (kwargs->u.dict->keys[k])
			dict_set(ev, d, kwargs->u.dict->keys[k], kwargs->u.dict->vals[k]);
	return d;
}

static struct pv *namespace_of(struct pyeval *ev)
{
	struct scope *sc = ev->cur_scope;

	if (!sc || sc->kind == S_MODULE)
		return sc ? sc->mod->dict : ev->main->dict;
	return sc->dict;
}

static struct pv *builtin_call(struct pyeval *ev, int id, struct pv *self, struct pv **args,
			       size_t nargs, struct pv *kwargs);

struct pv *lib_call(struct pyeval *ev, struct pv *callee, struct pv **args, size_t nargs,
		    struct pv *kwargs)
{
	int k;

	for (k = 0; (size_t)k < nargs; k++)
		if (!args[k])
			return pv_unknown(ev, "an argument");
	return builtin_call(ev, callee->id, callee->kind == K_BUILTIN ? callee->u.bi.self : NULL,
			    args, nargs, kwargs);
}

static struct pv *buf_value(struct pyeval *ev, struct buf *b, size_t mark);
static struct pv *str_method(struct pyeval *ev, int id, struct pv *s, struct pv **args, size_t nargs,
			     struct pv *kwargs);

static struct pv *builtin_call2(struct pyeval *ev, int id, struct pv *self, struct pv **args,
				size_t nargs, struct pv *kwargs);
static struct pv *dict_method(struct pyeval *ev, int id, struct pv *self, struct pv **args,
			      size_t nargs, struct pv *kwargs);

static struct pv *builtin_call(struct pyeval *ev, int id, struct pv *self, struct pv **args,
			       size_t nargs, struct pv *kwargs)
{
	struct pv *a0 = arg(args, nargs, kwargs, 0, NULL), *a1 = arg(args, nargs, kwargs, 1, NULL);
	struct pv *v, *items, *out;
	size_t k;
	int t;

	if (id >= B_STR_STARTSWITH && id <= B_STR_ISUPPER)
		return str_method(ev, id, self, args, nargs, kwargs);
	switch (id) {
	case B_LEN:
		if (!a0)
			break;
		if (a0->kind == K_STR || a0->kind == K_BYTES)
			return pv_int(ev, (int64_t)a0->u.str.len);
		if ((a0->kind == K_LIST || a0->kind == K_TUPLE) && !(a0->flags & PVF_INCOMPLETE))
			return pv_int(ev, (int64_t)a0->u.seq->count);
		if ((a0->kind == K_DICT || a0->kind == K_SET) && !a0->u.dict->incomplete)
			return pv_int(ev, (int64_t)a0->u.dict->live);
		if (ev_is_enum(ev, a0))
			return pv_int(ev, (int64_t)ev_enum_list(ev, a0)->u.seq->count);
		return pv_unknown(ev, "a len() hub cannot compute");
	case B_STR:
		if (!a0)
			return pv_str(ev, "", 0);
		return to_str(ev, a0, 0);
	case B_REPR:
		return a0 ? to_str(ev, a0, 1) : NULL;
	case B_INT:
		if (!a0)
			return pv_int(ev, 0);
		if (a0->kind == K_INT)
			return a0;
		if (a0->kind == K_BOOL)
			return pv_int(ev, a0->u.i);
		if (a0->kind == K_FLOAT)
			return pv_int(ev, (int64_t)a0->u.f);
		if (a0->kind == K_STR && !a1) {
			char *end;
			long long x = strtoll(a0->u.str.s, &end, 10);
			if (end != a0->u.str.s && !*end)
				return pv_int(ev, x);
			return ev_raise(ev, ev->exc_value, "invalid literal for int()");
		}
		return pv_unknown(ev, "an int() hub cannot compute");
	case B_FLOAT:
		if (!a0)
			return pv_float(ev, 0);
		if (a0->kind == K_FLOAT)
			return a0;
		if (a0->kind == K_INT || a0->kind == K_BOOL)
			return pv_float(ev, (double)a0->u.i);
		return pv_unknown(ev, "a float() hub cannot compute");
	case B_BOOL:
		if (!a0)
			return ev->false_;
		t = pv_truth(a0);
		return t < 0 ? pv_unknown(ev, "a bool() hub cannot decide") : pv_bool(ev, t);
	case B_NAMEDTUPLE: {
		/* collections.namedtuple(typename, field_names, defaults=...) */
		struct pv *fields, *bases, *cls, *d = kwargs ? dict_get_str(kwargs, "defaults") : NULL;
		if (!a0 || a0->kind != K_STR || !a1)
			break;
		fields = pv_seq_new(ev, K_TUPLE, 4);
		if (a1->kind == K_STR) {
			const char *s = a1->u.str.s, *end = s + a1->u.str.len;
			while (s < end) {
				const char *w;
				while (s < end && (*s == ',' || *s == ' ' || *s == '\t' || *s == '\n'))
					s++;
				for (w = s; s < end && *s != ',' && *s != ' ' && *s != '\t' && *s != '\n'; s++)
					;
				if (s > w)
					seq_append(ev, fields, pv_intern(ev, w, (size_t)(s - w)));
			}
		} else if (a1->kind == K_LIST || a1->kind == K_TUPLE) {
			for (k = 0; k < a1->u.seq->count; k++) {
				struct pv *f = a1->u.seq->items[k];
				if (f->kind != K_STR)
					goto nt_unknown;
				seq_append(ev, fields, pv_intern(ev, f->u.str.s, f->u.str.len));
			}
		} else {
			break;
		}
		if (d && d->kind != K_TUPLE && d->kind != K_LIST && d->kind != K_NONE)
			break;
		bases = pv_seq_new(ev, K_TUPLE, 1);
		seq_append(ev, bases, ev->tuple_class);
		if (!(cls = ev_make_class(ev, NULL, a0, bases, pv_dict_new(ev), NULL)))
			return ev->flow != F_NORMAL ? NULL : pv_unknown(ev, "a namedtuple class");
		dict_set_str(ev, cls->u.cls->dict, "__doc__", ev->none);
		ev_namedtuple(ev, cls, fields, d && d->kind != K_NONE ? d : NULL);
		return cls;
	nt_unknown:
		break;
	}
	case B_ITER:
		/* an iterator over a0 is its items, in order (a tuple): what
		 * for, list() and an __iter__ returning iter(...) need */
		if (nargs == 1 && !kwargs)
			return ev_iterate(ev, a0);
		break;
	case B_LIST:
		return make_list(ev, K_LIST, a0);
	case B_TUPLE:
		return make_list(ev, K_TUPLE, a0);
	case B_SET:
	case B_FROZENSET:
		if (!(v = make_list(ev, K_LIST, a0)))
			return NULL;
		if (v->kind == K_UNKNOWN)
			return v;
		out = pv_dict_new(ev);
		for (k = 0; k < v->u.seq->count; k++)
			dict_set(ev, out, v->u.seq->items[k], v->u.seq->items[k]);
		out->kind = K_SET;
		return out;
	case B_DICT:
		return make_dict(ev, a0, kwargs);
	case B_RANGE: {
		int64_t lo = 0, hi, st = 1, i;
		if (!a0 || a0->kind != K_INT || (a1 && a1->kind != K_INT) ||
		    (nargs > 2 && args[2]->kind != K_INT))
			return pv_unknown(ev, "a range() hub cannot compute");
		if (a1) {
			lo = a0->u.i;
			hi = a1->u.i;
			if (nargs > 2)
				st = args[2]->u.i;
		} else {
			hi = a0->u.i;
		}
		if (!st)
			return ev_raise(ev, ev->exc_value, "range() arg 3 must not be zero");
		if ((hi - lo) / st > 1000000)
			return pv_unknown(ev, "a range too long for hub");
		out = pv_seq_new(ev, K_LIST, 0);
		for (i = lo; st > 0 ? i < hi : i > hi; i += st)
			seq_append(ev, out, pv_int(ev, i));
		return out;
	}
	case B_ENUMERATE:
		if (!a0 || !(items = ev_iterate(ev, a0)))
			return NULL;
		if (items->kind == K_UNKNOWN)
			return items;
		out = pv_seq_new(ev, K_LIST, items->u.seq->count);
		{
			int64_t start = a1 && a1->kind == K_INT ? a1->u.i : 0;
			struct pv *st = kwargs ? dict_get_str(kwargs, "start") : NULL;
			if (st && st->kind == K_INT)
				start = st->u.i;
			for (k = 0; k < items->u.seq->count; k++) {
				struct pv *p = pv_seq_new(ev, K_TUPLE, 2);
				seq_append(ev, p, pv_int(ev, start + (int64_t)k));
				seq_append(ev, p, items->u.seq->items[k]);
				seq_append(ev, out, p);
			}
		}
		return out;
	case B_ZIP: {
		struct pv **its = ev_alloc(ev, (nargs + 1) * sizeof(*its));
		size_t n = (size_t)-1, j;
		for (j = 0; j < nargs; j++) {
			if (!(its[j] = ev_iterate(ev, args[j])))
				return NULL;
			if (its[j]->kind == K_UNKNOWN)
				return its[j];
			if (its[j]->u.seq->count < n)
				n = its[j]->u.seq->count;
		}
		out = pv_seq_new(ev, K_LIST, 0);
		for (k = 0; nargs && k < n; k++) {
			struct pv *p = pv_seq_new(ev, K_TUPLE, nargs);
			for (j = 0; j < nargs; j++)
				seq_append(ev, p, its[j]->u.seq->items[k]);
			seq_append(ev, out, p);
		}
		return out;
	}
	case B_SORTED:
		if (!a0 || !(items = ev_iterate(ev, a0)))
			return NULL;
		if (items->kind == K_UNKNOWN)
			return items;
		v = kwargs ? dict_get_str(kwargs, "reverse") : NULL;
		return sort_list(ev, items, kwargs ? dict_get_str(kwargs, "key") : NULL,
				 v && pv_truth(v) == 1);
	case B_REVERSED:
		if (!a0 || !(items = ev_iterate(ev, a0)))
			return NULL;
		if (items->kind == K_UNKNOWN)
			return items;
		out = pv_seq_new(ev, K_LIST, items->u.seq->count);
		for (k = items->u.seq->count; k-- > 0;)
			seq_append(ev, out, items->u.seq->items[k]);
		return out;
	case B_FILTER:
	case B_MAP:
	case B_FNMATCH_FILTER:
		if (!a0 || !a1 || !(items = ev_iterate(ev, id == B_FNMATCH_FILTER ? a0 : a1)))
			return NULL;
		if (items->kind == K_UNKNOWN)
			return items;
		out = pv_seq_new(ev, K_LIST, 0);
		for (k = 0; k < items->u.seq->count; k++) {
			struct pv *x = items->u.seq->items[k];
			if (id == B_FNMATCH_FILTER) {
				if (a1->kind != K_STR || x->kind != K_STR)
					return pv_unknown(ev, "an fnmatch hub cannot compute");
				if (fnmatch(a1->u.str.s, x->u.str.s, 0) == 0)
					seq_append(ev, out, x);
				continue;
			}
			if (id == B_FILTER && a0->kind == K_NONE) {
				v = x;
			} else if (!(v = ev_call(ev, a0, &x, 1, NULL))) {
				return NULL;
			}
			if (id == B_MAP) {
				seq_append(ev, out, v);
				continue;
			}
			t = pv_truth(v);
			if (t < 0)
				return pv_unknown(ev, "a filter() hub cannot decide");
			if (t)
				seq_append(ev, out, x);
		}
		return out;
	default:
		return builtin_call2(ev, id, self, args, nargs, kwargs);
	}
	return pv_unknown(ev, "a builtin call hub does not model");
}

static struct pv *wrap(struct pyeval *ev, enum pv_kind kind, struct pv *fn)
{
	struct pv *v = pv_new(ev, kind);

	v->u.wrapped = fn;
	return v;
}

/* functools.update_wrapper: __module__, __name__, __qualname__, __doc__,
 * __dict__ and __wrapped__ from wrapped to wrapper. */
static struct pv *update_wrapper(struct pyeval *ev, struct pv *wrapper, struct pv *wrapped)
{
	static const char *const names[] = { "__module__", "__name__", "__qualname__", "__doc__" };
	size_t k;

	if (wrapper->kind != K_FUNCTION && wrapper->kind != K_INSTANCE)
		return wrapper;
	for (k = 0; k < 4; k++) {
		struct pv *v = ev_getattr_str(ev, wrapped, names[k]);
		if (!v) {
			if (ev->flow != F_RAISE)
				return NULL;
			ev->flow = F_NORMAL;
			ev->exc = NULL;
			continue;
		}
		if (ev_setattr(ev, wrapper, pv_intern(ev, names[k], strlen(names[k])), v))
			return NULL;
	}
	ev_setattr(ev, wrapper, pv_intern(ev, "__wrapped__", 11), wrapped);
	return wrapper;
}

/* posixpath on known strings; normpath for abspath and realpath of an
 * absolute path (symbolic links are not followed). */
static struct pv *os_path(struct pyeval *ev, int id, struct pv **args, size_t nargs)
{
	struct buf *b = &ev->scratch;
	size_t mark = b->len, k;
	struct pv *p = nargs ? args[0] : NULL, *r;
	const char *s, *slash;

	for (k = 0; k < nargs; k++)
		if (args[k]->kind != K_STR)
			return pv_unknown(ev, "an os.path call on a value hub cannot compute");
	if (!p)
		return pv_unknown(ev, "an os.path call");
	s = p->u.str.s;
	switch (id) {
	case B_OS_PATH_JOIN:
		for (k = 0; k < nargs; k++) {
			const char *a = args[k]->u.str.s;
			if (a[0] == '/')
				buf_truncate(b, mark);
			else if (b->len > mark && b->data[b->len - 1] != '/')
				buf_addch(b, '/');
			buf_addstr(b, a);
		}
		break;
	case B_OS_PATH_DIRNAME:
	case B_OS_PATH_BASENAME:
		slash = strrchr(s, '/');
		if (id == B_OS_PATH_BASENAME) {
			buf_addstr(b, slash ? slash + 1 : s);
			break;
		}
		if (!slash)
			break;
		{
			size_t n = (size_t)(slash - s) + 1;
			while (n > 1 && s[n - 1] == '/')
				n--;
			buf_add(b, s, n);
		}
		break;
	case B_OS_PATH_SPLITEXT: {
		const char *base = strrchr(s, '/'), *dot;
		base = base ? base + 1 : s;
		while (*base == '.')
			base++;
		dot = strrchr(base, '.');
		r = pv_seq_new(ev, K_TUPLE, 2);
		if (!dot) {
			seq_append(ev, r, p);
			seq_append(ev, r, pv_str(ev, "", 0));
		} else {
			seq_append(ev, r, pv_str(ev, s, (size_t)(dot - s)));
			seq_append(ev, r, pv_strz(ev, dot));
		}
		return r;
	}
	default: {
		/* normpath: collapse //, . and .. */
		const char *q = s;
		size_t root = 0;
		if (s[0] != '/')
			return pv_unknown(ev, "the absolute path of a relative one");
		buf_addch(b, '/');
		root = b->len;
		while (*q) {
			const char *e;
			size_t n;
			while (*q == '/')
				q++;
			if (!*q)
				break;
			e = strchr(q, '/');
			n = e ? (size_t)(e - q) : strlen(q);
			if (n == 1 && q[0] == '.') {
			} else if (n == 2 && q[0] == '.' && q[1] == '.') {
				while (b->len > root && b->data[b->len - 1] != '/')
					b->len--;
				if (b->len > root)
					b->len--;
			} else {
				if (b->len > root)
					buf_addch(b, '/');
				buf_add(b, q, n);
			}
			q += n;
		}
		break;
	}
	}
	return buf_value(ev, b, mark);
}

static struct pv *builtin_call2(struct pyeval *ev, int id, struct pv *self, struct pv **args,
				size_t nargs, struct pv *kwargs)
{
	struct pv *a0 = arg(args, nargs, kwargs, 0, NULL), *a1 = arg(args, nargs, kwargs, 1, NULL);
	struct pv *v, *items, *out;
	size_t k;
	int t;

	switch (id) {
	case B_ISINSTANCE:
		if (!a0 || !a1)
			break;
		t = isinstance_of(ev, a0, a1);
		return t < 0 ? pv_unknown(ev, "an isinstance() hub cannot decide") : pv_bool(ev, t);
	case B_ISSUBCLASS:
		if (!a0 || !a1 || a0->kind != K_CLASS || a1->kind != K_CLASS)
			break;
		if (is_subclass(a0, a1))
			return ev->true_;
		return a0->u.cls->opaque_base ? pv_unknown(ev, "an issubclass() hub cannot decide") : ev->false_;
	case B_CALLABLE:
		if (!a0)
			break;
		t = lib_callable(ev, a0);
		return t < 0 ? pv_unknown(ev, "a callable() hub cannot decide") : pv_bool(ev, t);
	case B_GETATTR:
	case B_HASATTR:
		if (!a0 || !a1)
			break;
		if (a1->kind != K_STR)
			return pv_unknown(ev, "a getattr() with a name hub cannot compute");
		v = ev_getattr(ev, a0, pv_intern(ev, a1->u.str.s, a1->u.str.len));
		if (!v && ev->flow == F_RAISE && is_subclass(ev->exc ? ev->exc->u.inst.cls : NULL, ev->exc_attribute)) {
			ev->flow = F_NORMAL;
			ev->exc = NULL;
			if (id == B_HASATTR)
				return ev->false_;
			if (nargs > 2)
				return args[2];
			return ev_raise(ev, ev->exc_attribute, "no attribute '%s'", a1->u.str.s);
		}
		if (!v)
			return NULL;
		if (id == B_HASATTR)
			return v->kind == K_UNKNOWN || v->kind == K_OPAQUE ?
			       pv_unknown(ev, "a hasattr() hub cannot decide") : ev->true_;
		return v;
	case B_SETATTR:
		if (nargs < 3)
			break;
		if (a1->kind != K_STR) {
			if (a0->kind == K_MODULE && !ev->lenient) {
				unsigned line;
				const char *file = ev_where(ev, &line);
				ev_warn(ev, "%s:%u: setattr() on a module with a name hub cannot compute", file, line);
				a0->u.mod->incomplete = 1;
			}
			return ev->none;
		}
		if (ev_setattr(ev, a0, pv_intern(ev, a1->u.str.s, a1->u.str.len), args[2]))
			return NULL;
		return ev->none;
	case B_DELATTR:
		return ev->none;
	case B_GLOBALS:
		if (ev->cur_scope)
			return ev->cur_scope->mod->dict;
		return ev->main->dict;
	case B_LOCALS:
		return namespace_of(ev);
	case B_VARS:
		if (!a0)
			return namespace_of(ev);
		if (a0->kind == K_MODULE)
			return a0->u.mod->dict;
		if (a0->kind == K_INSTANCE)
			return a0->u.inst.dict;
		if (a0->kind == K_CLASS)
			return a0->u.cls->dict;
		break;
	case B_DIR:
		if (!a0) {
			v = namespace_of(ev);
			out = pv_seq_new(ev, K_LIST, 0);
			for (k = 0; k < v->u.dict->count; k++)
				if (v->u.dict->keys[k])
					seq_append(ev, out, v->u.dict->keys[k]);
			return lib_sorted(ev, out);
		}
		if (a0->kind == K_MODULE) {
			if (a0->u.mod->origin != M_REPO && a0->u.mod->origin != M_NAMESPACE)
				return pv_unknownf(ev, "dir() of %s, outside the repository", a0->u.mod->name);
			if (a0->u.mod->incomplete)
				return pv_unknownf(ev, "dir() of %s, whose names hub could not all see", a0->u.mod->name);
			return module_dir(ev, a0);
		}
		break;
	case B_PRINT:
	case B_NOOP:
	case B_WARN:
		return ev->none;
	case B_ANY:
	case B_ALL:
		if (!a0 || !(items = ev_iterate(ev, a0)))
			return NULL;
		if (items->kind == K_UNKNOWN)
			return items;
		for (k = 0; k < items->u.seq->count; k++) {
			t = pv_truth(items->u.seq->items[k]);
			if (t < 0)
				return pv_unknown(ev, "an any()/all() hub cannot decide");
			if (id == B_ANY && t)
				return ev->true_;
			if (id == B_ALL && !t)
				return ev->false_;
		}
		return pv_bool(ev, id == B_ALL);
	case B_MIN:
	case B_MAX:
		items = nargs == 1 ? ev_iterate(ev, a0) : NULL;
		if (nargs > 1) {
			items = pv_seq_new(ev, K_TUPLE, nargs);
			for (k = 0; k < nargs; k++)
				seq_append(ev, items, args[k]);
		}
		if (!items || items->kind == K_UNKNOWN || !items->u.seq->count)
			break;
		v = items->u.seq->items[0];
		for (k = 1; k < items->u.seq->count; k++) {
			t = ev_compare(ev, id == B_MIN ? PY_LT : PY_GT, items->u.seq->items[k], v);
			if (t < 0)
				return t == -2 ? NULL : pv_unknown(ev, "a min()/max() hub cannot decide");
			if (t)
				v = items->u.seq->items[k];
		}
		return v;
	case B_SUM:
		if (!a0 || !(items = ev_iterate(ev, a0)))
			return NULL;
		if (items->kind == K_UNKNOWN)
			return items;
		v = a1 ? a1 : pv_int(ev, 0);
		for (k = 0; k < items->u.seq->count && v; k++)
			v = ev_binop(ev, PY_ADD, v, items->u.seq->items[k]);
		return v;
	case B_ABS:
		if (a0 && a0->kind == K_INT)
			return pv_int(ev, a0->u.i < 0 ? -a0->u.i : a0->u.i);
		if (a0 && a0->kind == K_FLOAT)
			return pv_float(ev, a0->u.f < 0 ? -a0->u.f : a0->u.f);
		break;
	case B_PROPERTY:
		return wrap(ev, K_PROPERTY, a0);
	case B_CLASSMETHOD:
		return a0 ? wrap(ev, K_CLASSMETHOD, a0) : NULL;
	case B_STATICMETHOD:
		return a0 ? wrap(ev, K_STATICMETHOD, a0) : NULL;
	case B_TYPE:
		if (nargs == 1)
			return type_of(ev, a0);
		if (nargs == 3 && (v = ev_make_class(ev, NULL, args[0], args[1], args[2], kwargs)))
			return v;
		if (ev->flow != F_NORMAL)
			return NULL;
		break;
	case B_TYPE_NEW:
		/* type.__new__(meta, name, bases, namespace) */
		if (nargs == 4 && (v = ev_make_class(ev, args[0], args[1], args[2], args[3], kwargs)))
			return v;
		if (ev->flow != F_NORMAL)
			return NULL;
		break;
	case B_OBJECT_GETATTRIBUTE:
		if (nargs == 2 && a1->kind == K_STR)
			return ev_getattr(ev, a0, pv_intern(ev, a1->u.str.s, a1->u.str.len));
		break;
	case B_DC_FIELDS: {
		/* dataclasses.fields(): one Field (name, type) per annotation
		 * of the dataclasses in the MRO, bases first */
		struct pv *cls = a0 && a0->kind == K_INSTANCE ? a0->u.inst.cls : a0, *fields;
		if (!cls || cls->kind != K_CLASS || !(cls->flags & PVF_DATACLASS))
			break;
		if (!ev->field_class)
			ev->field_class = ev_new_class(ev, "Field", ev->object_class, 0);
		fields = ev_dataclass_fields(ev, cls);
		out = pv_seq_new(ev, K_TUPLE, fields->u.dict->live);
		for (k = 0; k < fields->u.dict->count; k++) {
			struct pv *f;
			if (!fields->u.dict->keys[k])
				continue;
			f = pv_instance(ev, ev->field_class);
			dict_set_str(ev, f->u.inst.dict, "name", fields->u.dict->keys[k]);
			dict_set_str(ev, f->u.inst.dict, "type", fields->u.dict->vals[k]);
			seq_append(ev, out, f);
		}
		return out;
	}
	case B_ENUM_AUTO:
		v = pv_instance(ev, ev->enum_auto_class);
		return v;
	case B_OBJECT_NEW:
		/* object.__new__(cls): an instance, its __init__ still to run */
		if (a0 && a0->kind == K_CLASS && !a0->id) {
			v = pv_instance(ev, a0);
			return v;
		}
		break;
	case B_SUPER: {
		/* super(): the class whose body defined the running function,
		 * and its first argument */
		struct pv *start = a0, *obj = a1, *pair;
		if (nargs == 0) {
			struct scope *s = ev->cur_scope;
			while (s && s->kind != S_FUNCTION)
				s = s->parent;
			if (s && s->fn && s->fn->kind == K_FUNCTION) {
				start = s->fn->u.fn->owner;
				obj = s->first;
			}
		}
		if (!start || !obj || start->kind != K_CLASS || start->id)
			break;
		pair = pv_seq_new(ev, K_TUPLE, 2);
		seq_append(ev, pair, start);
		seq_append(ev, pair, obj);
		return pv_builtin(ev, B_SUPER_OBJ, pair);
	}
	case B_OBJECT:
		v = pv_instance(ev, ev->object_class);
		return v;
	case B_EXEC:
	case B_EVAL:
		if (id == B_EXEC && nargs == 1 && !kwargs && ev->cur_scope &&
		    !exec_string(ev, ev->cur_scope, a0))
			return ev->flow == F_NORMAL ? ev->none : NULL;
		if (!ev->lenient) {
			unsigned line;
			const char *file = ev_where(ev, &line);
			ev_warn(ev, "%s:%u: %s() of code hub does not run", file, line,
				id == B_EXEC ? "exec" : "eval");
			if (ev->cur_scope)
				ev->cur_scope->mod->incomplete = 1;
		}
		return pv_unknown(ev, id == B_EXEC ? "exec()" : "eval()");
	case B_PARTIAL:
		if (!a0)
			break;
		v = pv_new(ev, K_PARTIAL);
		v->u.partial.fn = a0;
		v->u.partial.args = pv_seq_new(ev, K_TUPLE, nargs);
		for (k = 1; k < nargs; k++)
			seq_append(ev, v->u.partial.args, args[k]);
		v->u.partial.kw = make_dict(ev, NULL, kwargs);
		return v;
	case B_WRAPS:
		if (!a0)
			break;
		return pv_builtin(ev, B_WRAPS_APPLY, a0);
	case B_WRAPS_APPLY:
		if (!a0)
			break;
		return update_wrapper(ev, a0, self);
	case B_UPDATE_WRAPPER:
		if (!a0 || !a1)
			break;
		return update_wrapper(ev, a0, a1);
	case B_LRU_CACHE:
		if (a0 && a0->kind == K_FUNCTION)
			return a0;
		return pv_builtin(ev, B_IDENTITY, NULL);
	case B_IDENTITY:
		return a0 ? a0 : ev->none;
	case B_RETURN_SELF:
		return self ? self : ev->none;
	case B_DATACLASS:
		/* @dataclass or @dataclass(...): the class, given an __init__ */
		if (a0 && a0->kind == K_CLASS && !a0->id) {
			a0->flags |= PVF_DATACLASS;
			return a0;
		}
		return pv_builtin(ev, B_DATACLASS, NULL);
	case B_CAST:
		return a1 ? a1 : ev->none;
	case B_REDUCE:
		if (!a0 || !a1 || !(items = ev_iterate(ev, a1)))
			return NULL;
		if (items->kind == K_UNKNOWN)
			return items;
		k = 0;
		v = nargs > 2 ? args[2] : NULL;
		if (!v) {
			if (!items->u.seq->count)
				return ev_raise(ev, ev->exc_type, "reduce() of empty iterable");
			v = items->u.seq->items[k++];
		}
		for (; k < items->u.seq->count && v; k++) {
			struct pv *two[2] = { v, items->u.seq->items[k] };
			v = ev_call(ev, a0, two, 2, NULL);
		}
		return v;
	case B_DEFAULTDICT:
		v = make_dict(ev, a1, kwargs);
		if (v && v->kind == K_DICT && a0 && a0->kind != K_NONE)
			v->u.dict->default_factory = a0;
		return v;
	case B_ORDEREDDICT:
		return make_dict(ev, a0, kwargs);
	case B_TYPEVAR:
		return pv_unknown(ev, "a TypeVar");
	case B_OS_PATH_JOIN:
	case B_OS_PATH_DIRNAME:
	case B_OS_PATH_BASENAME:
	case B_OS_PATH_ABSPATH:
	case B_OS_PATH_REALPATH:
	case B_OS_PATH_SPLITEXT:
		return os_path(ev, id, args, nargs);
	case B_OS_GETENV:
		return pv_unknown(ev, "an environment variable");
	case B_IMPORT_MODULE:
		if (!a0 || a0->kind != K_STR)
			break;
		if (a0->u.str.s[0] == '.') {
			int level = 0;
			const char *s = a0->u.str.s;
			while (*s == '.') { level++; s++; }
			if (!a1 || a1->kind != K_STR)
				break;
			{
				struct evmod *pkg = find_loaded(ev, a1->u.str.s);
				if (!pkg)
					break;
				return ev_import(ev, s, level, pkg, 0);
			}
		}
		return ev_import(ev, a0->u.str.s, 0, ev->cur_mod, 0);
	default:
		return dict_method(ev, id, self, args, nargs, kwargs);
	}
	return pv_unknownf(ev, "a call of %s() hub does not model", builtin_name((enum builtin_id)id));
}

static struct pv *dict_method(struct pyeval *ev, int id, struct pv *self, struct pv **args,
			      size_t nargs, struct pv *kwargs)
{
	struct pv *a0 = arg(args, nargs, kwargs, 0, NULL), *a1 = arg(args, nargs, kwargs, 1, NULL);
	struct pv *v, *out, *items;
	size_t k;

	if (!self)
		goto unknown;
	switch (id) {
	case B_DICT_KEYS:
	case B_DICT_VALUES:
	case B_DICT_ITEMS:
		if (self->u.dict->incomplete)
			return pv_unknown(ev, "the items of a dict hub could not fill");
		out = pv_seq_new(ev, K_LIST, self->u.dict->live);
		for (k = 0; k < self->u.dict->count; k++) {
			if (!self->u.dict->keys[k])
				continue;
			if (id == B_DICT_KEYS) {
				seq_append(ev, out, self->u.dict->keys[k]);
			} else if (id == B_DICT_VALUES) {
				seq_append(ev, out, self->u.dict->vals[k]);
			} else {
				struct pv *p = pv_seq_new(ev, K_TUPLE, 2);
				seq_append(ev, p, self->u.dict->keys[k]);
				seq_append(ev, p, self->u.dict->vals[k]);
				seq_append(ev, out, p);
			}
		}
		return out;
	case B_DICT_GET:
		if (!a0)
			break;
		if ((v = dict_get(self, a0)))
			return v;
		if (self->u.dict->incomplete || a0->kind == K_UNKNOWN || a0->kind == K_OPAQUE)
			return pv_unknown(ev, "a dict.get() hub cannot decide");
		return a1 ? a1 : ev->none;
	case B_DICT_UPDATE:
		if (a0) {
			if (!(v = make_dict(ev, a0, NULL)))
				return NULL;
			if (v->kind == K_UNKNOWN) {
				ev_setitem(ev, self, v, v);
				return ev->none;
			}
			for (k = 0; k < v->u.dict->count; k++)
				if (v->u.dict->keys[k])
					ev_setitem(ev, self, v->u.dict->keys[k], v->u.dict->vals[k]);
			if (v->u.dict->incomplete)
				ev_setitem(ev, self, pv_unknown(ev, "a key of a dict hub could not fill"), ev->none);
		}
		for (k = 0; kwargs && k < kwargs->u.dict->count; k++)
			if (kwargs->u.dict->keys[k])
				ev_setitem(ev, self, kwargs->u.dict->keys[k], kwargs->u.dict->vals[k]);
		return ev->none;
	case B_DICT_SETDEFAULT:
		if (!a0)
			break;
		if ((v = dict_get(self, a0)))
			return v;
		v = a1 ? a1 : ev->none;
		ev_setitem(ev, self, a0, v);
		return v;
	case B_DICT_POP:
		if (!a0)
			break;
		if (self->kind == K_LIST) {
			struct pv_seq *s = self->u.seq;
			int64_t i = a0->kind == K_INT ? a0->u.i : -1;
			if (i < 0)
				i += (int64_t)s->count;
			if (i < 0 || (size_t)i >= s->count)
				return ev_raise(ev, ev->exc_index, "pop index out of range");
			v = s->items[i];
			memmove(s->items + i, s->items + i + 1, (s->count - (size_t)i - 1) * sizeof(*s->items));
			s->count--;
			return v;
		}
		if ((v = dict_get(self, a0))) {
			dict_del(self, a0);
			return v;
		}
		if (a1)
			return a1;
		if (self->u.dict->incomplete)
			return pv_unknown(ev, "a dict.pop() hub cannot decide");
		return ev_raise(ev, ev->exc_key, "key not found");
	case B_DICT_COPY:
		if (!(v = make_dict(ev, self, NULL)))
			return NULL;
		v->kind = self->kind;
		return v;
	case B_DICT_CLEAR:
		self->u.dict->count = self->u.dict->live = 0;
		self->u.dict->index_cap = 0;
		return ev->none;
	case B_LIST_APPEND:
		if (!a0)
			break;
		seq_append(ev, self, a0);
		return ev->none;
	case B_LIST_EXTEND:
		if (!a0 || !(items = ev_iterate(ev, a0)))
			return NULL;
		if (items->kind == K_UNKNOWN) {
			self->flags |= PVF_INCOMPLETE;
			return ev->none;
		}
		for (k = 0; k < items->u.seq->count; k++)
			seq_append(ev, self, items->u.seq->items[k]);
		return ev->none;
	case B_LIST_INSERT:
		if (!a0 || !a1 || a0->kind != K_INT)
			break;
		{
			struct pv_seq *s = self->u.seq;
			int64_t i = a0->u.i < 0 ? a0->u.i + (int64_t)s->count : a0->u.i;
			if (i < 0) i = 0;
			if ((size_t)i > s->count) i = (int64_t)s->count;
			seq_append(ev, self, a1);
			memmove(s->items + i + 1, s->items + i, (s->count - 1 - (size_t)i) * sizeof(*s->items));
			s->items[i] = a1;
		}
		return ev->none;
	case B_LIST_POP:
		if (!a0) {
			if (!self->u.seq->count)
				return ev_raise(ev, ev->exc_index, "pop from empty list");
			return self->u.seq->items[--self->u.seq->count];
		}
		return dict_method(ev, B_DICT_POP, self, args, nargs, kwargs);
	case B_LIST_REMOVE:
	case B_LIST_INDEX:
	case B_LIST_COUNT: {
		size_t n = 0;
		if (!a0)
			break;
		for (k = 0; k < self->u.seq->count; k++) {
			int e = pv_equal(self->u.seq->items[k], a0);
			if (e < 0)
				goto unknown;
			if (!e)
				continue;
			if (id == B_LIST_INDEX)
				return pv_int(ev, (int64_t)k);
			if (id == B_LIST_REMOVE) {
				memmove(self->u.seq->items + k, self->u.seq->items + k + 1,
					(self->u.seq->count - k - 1) * sizeof(struct pv *));
				self->u.seq->count--;
				return ev->none;
			}
			n++;
		}
		if (id == B_LIST_COUNT)
			return pv_int(ev, (int64_t)n);
		return ev_raise(ev, ev->exc_value, "not in list");
	}
	case B_LIST_SORT:
		v = kwargs ? dict_get_str(kwargs, "reverse") : NULL;
		if (!(out = sort_list(ev, self, kwargs ? dict_get_str(kwargs, "key") : NULL,
				      v && pv_truth(v) == 1)))
			return NULL;
		if (out->kind == K_LIST && out->u.seq->count)
			memcpy(self->u.seq->items, out->u.seq->items, out->u.seq->count * sizeof(struct pv *));
		return ev->none;
	case B_LIST_REVERSE:
		for (k = 0; k < self->u.seq->count / 2; k++) {
			struct pv *x = self->u.seq->items[k];
			self->u.seq->items[k] = self->u.seq->items[self->u.seq->count - 1 - k];
			self->u.seq->items[self->u.seq->count - 1 - k] = x;
		}
		return ev->none;
	case B_LIST_COPY:
		return make_list(ev, K_LIST, self);
	case B_SET_ADD:
		if (!a0)
			break;
		dict_set(ev, self, a0, a0);
		return ev->none;
	case B_SET_UPDATE:
		if (!a0 || !(items = ev_iterate(ev, a0)))
			return NULL;
		if (items->kind == K_UNKNOWN) {
			self->u.dict->incomplete = 1;
			return ev->none;
		}
		for (k = 0; k < items->u.seq->count; k++)
			dict_set(ev, self, items->u.seq->items[k], items->u.seq->items[k]);
		return ev->none;
	case B_SET_DISCARD:
		if (a0)
			dict_del(self, a0);
		return ev->none;
	case B_OBJECT_INIT:
		return ev->none;
	case B_OBJECT_SETATTR:
		if (nargs >= 3 && args[1]->kind == K_STR)
			ev_setattr(ev, args[0], pv_intern(ev, args[1]->u.str.s, args[1]->u.str.len), args[2]);
		return ev->none;
	default:
		break;
	}
unknown:
	return pv_unknownf(ev, "a call of %s() hub does not model", builtin_name((enum builtin_id)id));
}

static struct pv *buf_value(struct pyeval *ev, struct buf *b, size_t mark)
{
	struct pv *r = pv_str(ev, b->data ? b->data + mark : "", b->len - mark);

	buf_truncate(b, mark);
	return r;
}

static int append_str(struct pyeval *ev, struct buf *b, struct pv *v, int repr)
{
	size_t k;

	switch (v->kind) {
	case K_STR:
		return repr ? py_repr_str(b, v->u.str.s, v->u.str.len) : buf_add(b, v->u.str.s, v->u.str.len);
	case K_BYTES:
		return py_repr_bytes(b, v->u.str.s, v->u.str.len);
	case K_INT:
		return buf_addf(b, "%lld", (long long)v->u.i);
	case K_BOOL:
		return buf_addstr(b, v->u.i ? "True" : "False");
	case K_NONE:
		return buf_addstr(b, "None");
	case K_FLOAT:
		return py_repr_float(b, v->u.f);
	case K_TUPLE:
	case K_LIST:
		buf_addch(b, v->kind == K_LIST ? '[' : '(');
		for (k = 0; k < v->u.seq->count; k++) {
			if (k)
				buf_addstr(b, ", ");
			if (append_str(ev, b, v->u.seq->items[k], 1))
				return -1;
		}
		if (v->kind == K_TUPLE && v->u.seq->count == 1)
			buf_addch(b, ',');
		return buf_addch(b, v->kind == K_LIST ? ']' : ')');
	case K_CLASS:
		if (v->u.cls->mod)
			return buf_addf(b, "<class '%s.%s'>", v->u.cls->mod->name, v->u.cls->name->u.str.s);
		return buf_addf(b, "<class '%s'>", v->u.cls->name->u.str.s);
	case K_INSTANCE: {
		/* the class's own __str__ (else __repr__) or __repr__, then an
		 * Enum member's */
		struct pv *f = NULL, *r;
		if (!repr)
			f = class_lookup(v->u.inst.cls, pv_intern(ev, "__str__", 7));
		if (!f || f->kind != K_FUNCTION)
			f = class_lookup(v->u.inst.cls, pv_intern(ev, "__repr__", 8));
		if (f && f->kind == K_FUNCTION) {
			size_t mark = b->len;
			if (!(r = ev_call(ev, f, &v, 1, NULL)) || r->kind != K_STR || ev->flow != F_NORMAL)
				return -1;
			/* the call may have used the scratch buffer: r is its own */
			buf_truncate(b, mark);
			return buf_add(b, r->u.str.s, r->u.str.len);
		}
		return ev_enum_text(ev, v, repr, b);
	}
	default:
		return -1;
	}
}

static struct pv *to_str(struct pyeval *ev, struct pv *v, int repr)
{
	struct buf *b = &ev->scratch;
	size_t mark = b->len;

	if (v->kind == K_STR && !repr)
		return v;
	if (append_str(ev, b, v, repr)) {
		buf_truncate(b, mark);
		return pv_unknown(ev, "the text of a value hub does not model");
	}
	return buf_value(ev, b, mark);
}

struct pv *ev_str_of(struct pyeval *ev, struct pv *v, int repr)
{
	return to_str(ev, v, repr);
}

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
/* format(v, spec) for the specs real code uses: fill/align/width, .N for
 * floats, d, s, r; else unknown. */
struct pv *lib_format(struct pyeval *ev, struct pv *v, struct pv *spec, int conversion)
{
	struct buf *b = &ev->scratch;
	size_t mark = b->len, len;
	const char *s;
	char fmt[64];

	if (v->kind == K_UNKNOWN)
		return v;
	if (conversion == 'r' || conversion == 'a')
		v = to_str(ev, v, 1);
	else if (conversion == 's')
		v = to_str(ev, v, 0);
	if (v->kind == K_UNKNOWN)
		return v;
	if (spec && spec->kind != K_STR)
		return pv_unknown(ev, "a format spec hub cannot compute");
	if (!spec || !spec->u.str.len)
		return to_str(ev, v, 0);
	s = spec->u.str.s;
	len = spec->u.str.len;
	if (len < 20 && strspn(s, "0123456789.<>^+-,dfsxXoegEG%") == len && !strchr(s, '^') &&
	    !strchr(s, ',') && !strchr(s, '<') && !strchr(s, '>')) {
		char conv = s[len - 1];
		if ((conv == 'd' || conv == 'x' || conv == 'X' || conv == 'o') &&
		    (v->kind == K_INT || v->kind == K_BOOL)) {
			snprintf(fmt, sizeof(fmt), "%%%.*sll%c", (int)(len - 1), s, conv);
			if (buf_addf(b, fmt, (long long)v->u.i))
				return NULL;
			return buf_value(ev, b, mark);
		}
		if ((conv == 'f' || conv == 'e' || conv == 'g' || conv == 'E' || conv == 'G') &&
		    (v->kind == K_INT || v->kind == K_FLOAT || v->kind == K_BOOL)) {
			snprintf(fmt, sizeof(fmt), "%%%.*s%c", (int)(len - 1), s, conv);
			if (buf_addf(b, fmt, v->kind == K_FLOAT ? v->u.f : (double)v->u.i))
				return NULL;
			return buf_value(ev, b, mark);
		}
		if (conv >= '0' && conv <= '9' && v->kind == K_STR) {
			int width = atoi(s);
			if (buf_addf(b, "%-*s", width, v->u.str.s))
				return NULL;
			return buf_value(ev, b, mark);
		}
		if (conv >= '0' && conv <= '9' && (v->kind == K_INT)) {
			int width = atoi(s);
			if (buf_addf(b, s[0] == '0' ? "%0*lld" : "%*lld", width, (long long)v->u.i))
				return NULL;
			return buf_value(ev, b, mark);
		}
	}
	return pv_unknown(ev, "a format spec hub does not model");
}

/* str % args */
struct pv *lib_percent(struct pyeval *ev, struct pv *fmt, struct pv *args)
{
	struct buf *b = &ev->scratch;
	size_t mark = b->len, k, next = 0;
	const char *s = fmt->u.str.s;
	struct pv **items = &args;
	size_t count = 1;

	if (args->kind == K_TUPLE) {
		items = args->u.seq->items;
		count = args->u.seq->count;
	} else if (args->kind == K_UNKNOWN) {
		return args;
	} else if (args->kind == K_DICT) {
		return pv_unknown(ev, "a %-format with a mapping");
	}
	for (k = 0; k < fmt->u.str.len; k++) {
		char spec[32];
		size_t n = 0;
		struct pv *v;

		if (s[k] != '%') {
			buf_addch(b, s[k]);
			continue;
		}
		k++;
		if (k < fmt->u.str.len && s[k] == '%') {
			buf_addch(b, '%');
			continue;
		}
		while (k < fmt->u.str.len && strchr("-+ #0123456789.", s[k]) && n < 20)
			spec[n++] = s[k++];
		if (k >= fmt->u.str.len || next >= count)
			goto fail;
		v = items[next++];
		if (v->kind == K_UNKNOWN || v->kind == K_OPAQUE) {
			buf_truncate(b, mark);
			return v->kind == K_UNKNOWN ? v : pv_unknown(ev, "a %-format of a value from outside");
		}
		if (s[k] == 's' || s[k] == 'r' || s[k] == 'a') {
			struct pv *t = to_str(ev, v, s[k] != 's');
			if (t->kind != K_STR)
				goto fail;
			if (n) {
				spec[n] = 0;
				buf_addf(b, "%*s", atoi(spec), t->u.str.s);
			} else {
				buf_add(b, t->u.str.s, t->u.str.len);
			}
		} else if (s[k] == 'd' || s[k] == 'i' || s[k] == 'x' || s[k] == 'X' || s[k] == 'o') {
			char f[48];
			long long x;
			if (v->kind == K_INT || v->kind == K_BOOL)
				x = v->u.i;
			else if (v->kind == K_FLOAT)
				x = (long long)v->u.f;
			else
				goto fail;
			snprintf(f, sizeof(f), "%%%.*sll%c", (int)n, spec, s[k] == 'i' ? 'd' : s[k]);
			buf_addf(b, f, x);
		} else if (strchr("feEgG", s[k])) {
			char f[48];
			if (v->kind != K_INT && v->kind != K_FLOAT && v->kind != K_BOOL)
				goto fail;
			snprintf(f, sizeof(f), "%%%.*s%c", (int)n, spec, s[k]);
			buf_addf(b, f, v->kind == K_FLOAT ? v->u.f : (double)v->u.i);
		} else {
			goto fail;
		}
	}
	if (next != count)
		goto fail;
	return buf_value(ev, b, mark);
fail:
	buf_truncate(b, mark);
	return pv_unknown(ev, "a %-format hub does not model");
}
#pragma GCC diagnostic pop

static int has_prefix(struct pv *s, struct pv *p, int suffix)
{
	if (p->u.str.len > s->u.str.len)
		return 0;
	return !memcmp(s->u.str.s + (suffix ? s->u.str.len - p->u.str.len : 0), p->u.str.s, p->u.str.len);
}

static struct pv *split(struct pyeval *ev, struct pv *s, struct pv *sep, int64_t max, int right)
{
	struct pv *out = pv_seq_new(ev, K_LIST, 0), *tmp;
	const char *p = s->u.str.s, *end = p + s->u.str.len;
	size_t k;

	if (!sep || sep->kind == K_NONE) {
		while (p < end) {
			const char *q;
			while (p < end && strchr(" \t\n\r\f\v", *p))
				p++;
			if (p == end)
				break;
			q = p;
			while (q < end && !strchr(" \t\n\r\f\v", *q))
				q++;
			seq_append(ev, out, pv_str(ev, p, (size_t)(q - p)));
			p = q;
		}
		return out;
	}
	if (sep->kind != K_STR || !sep->u.str.len)
		return pv_unknown(ev, "a split hub does not model");
	if (!right) {
		while (max != 0) {
			const char *q = memmem(p, (size_t)(end - p), sep->u.str.s, sep->u.str.len);
			if (!q)
				break;
			seq_append(ev, out, pv_str(ev, p, (size_t)(q - p)));
			p = q + sep->u.str.len;
			max--;
		}
		seq_append(ev, out, pv_str(ev, p, (size_t)(end - p)));
		return out;
	}
	tmp = pv_seq_new(ev, K_LIST, 0);
	while (max != 0) {
		const char *q = NULL, *r;
		for (r = end - sep->u.str.len; r >= p; r--)
			if (!memcmp(r, sep->u.str.s, sep->u.str.len)) {
				q = r;
				break;
			}
		if (!q)
			break;
		seq_append(ev, tmp, pv_str(ev, q + sep->u.str.len, (size_t)(end - q - sep->u.str.len)));
		end = q;
		max--;
	}
	seq_append(ev, out, pv_str(ev, p, (size_t)(end - p)));
	for (k = tmp->u.seq->count; k-- > 0;)
		seq_append(ev, out, tmp->u.seq->items[k]);
	return out;
}

static struct pv *str_format(struct pyeval *ev, struct pv *f, struct pv **args, size_t nargs,
			     struct pv *kwargs)
{
	struct buf *b = &ev->scratch;
	size_t mark = b->len, k, auto_index = 0;
	const char *s = f->u.str.s;

	for (k = 0; k < f->u.str.len; k++) {
		size_t start, colon = 0;
		struct pv *v, *spec = NULL, *r;
		char name[128];
		size_t n;

		if (s[k] == '}' && k + 1 < f->u.str.len && s[k + 1] == '}') {
			buf_addch(b, '}');
			k++;
			continue;
		}
		if (s[k] != '{') {
			buf_addch(b, s[k]);
			continue;
		}
		if (k + 1 < f->u.str.len && s[k + 1] == '{') {
			buf_addch(b, '{');
			k++;
			continue;
		}
		start = ++k;
		while (k < f->u.str.len && s[k] != '}') {
			if (s[k] == ':' && !colon)
				colon = k;
			k++;
		}
		if (k >= f->u.str.len)
			goto fail;
		n = (colon ? colon : k) - start;
		if (n >= sizeof(name) || memchr(s + start, '!', n) || memchr(s + start, '.', n) ||
		    memchr(s + start, '[', n))
			goto fail;
		memcpy(name, s + start, n);
		name[n] = 0;
		if (!n)
			v = auto_index < nargs ? args[auto_index++] : NULL;
		else if (name[0] >= '0' && name[0] <= '9')
			v = (size_t)atoi(name) < nargs ? args[atoi(name)] : NULL;
		else
			v = kwargs ? dict_get_str(kwargs, name) : NULL;
		if (!v)
			goto fail;
		if (colon)
			spec = pv_str(ev, s + colon + 1, k - colon - 1);
		r = lib_format(ev, v, spec, -1);
		if (!r)
			return NULL;
		if (r->kind != K_STR) {
			buf_truncate(b, mark);
			return r;
		}
		buf_add(b, r->u.str.s, r->u.str.len);
	}
	return buf_value(ev, b, mark);
fail:
	buf_truncate(b, mark);
	return pv_unknown(ev, "a str.format() hub does not model");
}

static struct pv *buf_value(struct pyeval *ev, struct buf *b, size_t mark);
static struct pv *str_method(struct pyeval *ev, int id, struct pv *s, struct pv **args, size_t nargs,
			     struct pv *kwargs)
{
	struct pv *a0 = arg(args, nargs, kwargs, 0, NULL), *a1 = arg(args, nargs, kwargs, 1, NULL);
	struct buf *b = &ev->scratch;
	size_t mark = b->len, k;
	struct pv *items;

	if (!s || s->kind != K_STR)
		return pv_unknown(ev, "a str method");
	switch (id) {
	case B_STR_STARTSWITH:
	case B_STR_ENDSWITH:
		if (!a0)
			break;
		if (a0->kind == K_STR)
			return pv_bool(ev, has_prefix(s, a0, id == B_STR_ENDSWITH));
		if (a0->kind == K_TUPLE) {
			for (k = 0; k < a0->u.seq->count; k++) {
				struct pv *p = a0->u.seq->items[k];
				if (p->kind != K_STR)
					return pv_unknown(ev, "a startswith() hub cannot decide");
				if (has_prefix(s, p, id == B_STR_ENDSWITH))
					return ev->true_;
			}
			return ev->false_;
		}
		break;
	case B_STR_LOWER:
	case B_STR_UPPER:
		for (k = 0; k < s->u.str.len; k++) {
			char c = s->u.str.s[k];
			if (id == B_STR_LOWER && c >= 'A' && c <= 'Z')
				c = (char)(c + 32);
			if (id == B_STR_UPPER && c >= 'a' && c <= 'z')
				c = (char)(c - 32);
			buf_addch(b, c);
		}
		return buf_value(ev, b, mark);
	case B_STR_ISLOWER:
	case B_STR_ISUPPER: {
		int cased = 0;
		for (k = 0; k < s->u.str.len; k++) {
			char c = s->u.str.s[k];
			if ((id == B_STR_ISLOWER && c >= 'A' && c <= 'Z') ||
			    (id == B_STR_ISUPPER && c >= 'a' && c <= 'z'))
				return ev->false_;
			if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'))
				cased = 1;
		}
		return pv_bool(ev, cased);
	}
	case B_STR_ISDIGIT:
		for (k = 0; k < s->u.str.len; k++)
			if (s->u.str.s[k] < '0' || s->u.str.s[k] > '9')
				return ev->false_;
		return pv_bool(ev, s->u.str.len > 0);
	case B_STR_ISIDENTIFIER:
		for (k = 0; k < s->u.str.len; k++) {
			char c = s->u.str.s[k];
			if (!(c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
			      (k && c >= '0' && c <= '9')))
				return ev->false_;
		}
		return pv_bool(ev, s->u.str.len > 0);
	case B_STR_REPLACE: {
		const char *p = s->u.str.s, *end = p + s->u.str.len, *q;
		if (!a0 || !a1 || a0->kind != K_STR || a1->kind != K_STR || !a0->u.str.len)
			break;
		while ((q = memmem(p, (size_t)(end - p), a0->u.str.s, a0->u.str.len))) {
			buf_add(b, p, (size_t)(q - p));
			buf_add(b, a1->u.str.s, a1->u.str.len);
			p = q + a0->u.str.len;
		}
		buf_add(b, p, (size_t)(end - p));
		return buf_value(ev, b, mark);
	}
	case B_STR_SPLIT:
	case B_STR_RSPLIT: {
		struct pv *mx = arg(args, nargs, kwargs, 1, "maxsplit");
		return split(ev, s, arg(args, nargs, kwargs, 0, "sep"),
			     mx && mx->kind == K_INT ? mx->u.i : -1, id == B_STR_RSPLIT);
	}
	case B_STR_JOIN:
		if (!a0 || !(items = ev_iterate(ev, a0)))
			return NULL;
		if (items->kind == K_UNKNOWN)
			return items;
		for (k = 0; k < items->u.seq->count; k++) {
			struct pv *x = items->u.seq->items[k];
			if (x->kind != K_STR) {
				buf_truncate(b, mark);
				return x->kind == K_UNKNOWN ? x : ev_raise(ev, ev->exc_type, "join() of a non-str");
			}
			if (k)
				buf_add(b, s->u.str.s, s->u.str.len);
			buf_add(b, x->u.str.s, x->u.str.len);
		}
		return buf_value(ev, b, mark);
	case B_STR_FORMAT:
		return str_format(ev, s, args, nargs, kwargs);
	case B_STR_STRIP:
	case B_STR_LSTRIP:
	case B_STR_RSTRIP: {
		const char *chars = a0 && a0->kind == K_STR ? a0->u.str.s : " \t\n\r\f\v";
		size_t lo = 0, hi = s->u.str.len;
		if (id != B_STR_RSTRIP)
			while (lo < hi && strchr(chars, s->u.str.s[lo]))
				lo++;
		if (id != B_STR_LSTRIP)
			while (hi > lo && strchr(chars, s->u.str.s[hi - 1]))
				hi--;
		return pv_str(ev, s->u.str.s + lo, hi - lo);
	}
	case B_STR_CAPITALIZE:
		for (k = 0; k < s->u.str.len; k++) {
			char c = s->u.str.s[k];
			if (!k && c >= 'a' && c <= 'z')
				c = (char)(c - 32);
			else if (k && c >= 'A' && c <= 'Z')
				c = (char)(c + 32);
			buf_addch(b, c);
		}
		return buf_value(ev, b, mark);
	case B_STR_FIND:
		if (!a0 || a0->kind != K_STR)
			break;
		{
			const char *q = memmem(s->u.str.s, s->u.str.len, a0->u.str.s, a0->u.str.len);
			return pv_int(ev, q ? (int64_t)(q - s->u.str.s) : -1);
		}
	case B_STR_COUNT:
		if (!a0 || a0->kind != K_STR || !a0->u.str.len)
			break;
		{
			const char *p = s->u.str.s, *end = p + s->u.str.len, *q;
			int64_t n = 0;
			while ((q = memmem(p, (size_t)(end - p), a0->u.str.s, a0->u.str.len))) {
				n++;
				p = q + a0->u.str.len;
			}
			return pv_int(ev, n);
		}
	case B_STR_ENCODE:
		items = pv_str(ev, s->u.str.s, s->u.str.len);
		items->kind = K_BYTES;
		return items;
	default:
		break;
	}
	return pv_unknownf(ev, "a call of str.%s() hub does not model", builtin_name((enum builtin_id)id));
}

struct mdef { enum pv_kind kind; const char *name; enum builtin_id id; };

static const struct mdef methods[] = {
	{ K_STR, "startswith", B_STR_STARTSWITH }, { K_STR, "endswith", B_STR_ENDSWITH },
	{ K_STR, "lower", B_STR_LOWER }, { K_STR, "upper", B_STR_UPPER },
	{ K_STR, "replace", B_STR_REPLACE }, { K_STR, "split", B_STR_SPLIT },
	{ K_STR, "rsplit", B_STR_RSPLIT }, { K_STR, "join", B_STR_JOIN },
	{ K_STR, "format", B_STR_FORMAT }, { K_STR, "strip", B_STR_STRIP },
	{ K_STR, "lstrip", B_STR_LSTRIP }, { K_STR, "rstrip", B_STR_RSTRIP },
	{ K_STR, "capitalize", B_STR_CAPITALIZE }, { K_STR, "isidentifier", B_STR_ISIDENTIFIER },
	{ K_STR, "find", B_STR_FIND }, { K_STR, "isdigit", B_STR_ISDIGIT },
	{ K_STR, "count", B_STR_COUNT }, { K_STR, "encode", B_STR_ENCODE },
	{ K_STR, "islower", B_STR_ISLOWER }, { K_STR, "isupper", B_STR_ISUPPER },
	{ K_DICT, "keys", B_DICT_KEYS }, { K_DICT, "values", B_DICT_VALUES },
	{ K_DICT, "items", B_DICT_ITEMS }, { K_DICT, "get", B_DICT_GET },
	{ K_DICT, "update", B_DICT_UPDATE }, { K_DICT, "setdefault", B_DICT_SETDEFAULT },
	{ K_DICT, "pop", B_DICT_POP }, { K_DICT, "copy", B_DICT_COPY }, { K_DICT, "clear", B_DICT_CLEAR },
	{ K_LIST, "append", B_LIST_APPEND }, { K_LIST, "extend", B_LIST_EXTEND },
	{ K_LIST, "insert", B_LIST_INSERT }, { K_LIST, "pop", B_LIST_POP },
	{ K_LIST, "remove", B_LIST_REMOVE }, { K_LIST, "index", B_LIST_INDEX },
	{ K_LIST, "sort", B_LIST_SORT }, { K_LIST, "reverse", B_LIST_REVERSE },
	{ K_LIST, "copy", B_LIST_COPY }, { K_LIST, "count", B_LIST_COUNT },
	{ K_TUPLE, "index", B_LIST_INDEX }, { K_TUPLE, "count", B_LIST_COUNT },
	{ K_SET, "add", B_SET_ADD }, { K_SET, "update", B_SET_UPDATE },
	{ K_SET, "discard", B_SET_DISCARD }, { K_SET, "copy", B_DICT_COPY },
	{ K_SET, "remove", B_SET_DISCARD },
	{ K_UNKNOWN, NULL, B_NONE_ }
};

struct pv *lib_method(struct pyeval *ev, struct pv *obj, const struct pv *name)
{
	size_t k;

	if (obj->kind == K_TUPLE && (obj->flags & PVF_VERSION_INFO)) {
		static const char *const parts[] = { "major", "minor", "micro", "releaselevel", "serial" };
		for (k = 0; k < 5; k++)
			if (!strcmp(name->u.str.s, parts[k]))
				return obj->u.seq->items[k];
	}
	if (obj->kind == K_CLASS && obj == ev->object_class) {
		if (!strcmp(name->u.str.s, "__init__"))
			return pv_builtin(ev, B_OBJECT_INIT, NULL);
		if (!strcmp(name->u.str.s, "__setattr__"))
			return pv_builtin(ev, B_OBJECT_SETATTR, NULL);
		if (!strcmp(name->u.str.s, "__new__"))
			return pv_builtin(ev, B_OBJECT_NEW, NULL);
		if (!strcmp(name->u.str.s, "__getattribute__"))
			return pv_builtin(ev, B_OBJECT_GETATTRIBUTE, NULL);
		if (!strcmp(name->u.str.s, "__init_subclass__"))
			return pv_builtin(ev, B_NOOP, NULL);
		return NULL;
	}
	if (obj->kind == K_CLASS && obj == ev->type_class) {
		if (!strcmp(name->u.str.s, "__new__"))
			return pv_builtin(ev, B_TYPE_NEW, NULL);
		if (!strcmp(name->u.str.s, "__init__"))
			return pv_builtin(ev, B_OBJECT_INIT, NULL);
		return NULL;
	}
	for (k = 0; methods[k].name; k++)
		if (methods[k].kind == obj->kind && !strcmp(methods[k].name, name->u.str.s))
			return pv_builtin(ev, methods[k].id, obj);
	if (obj->kind == K_STR || obj->kind == K_LIST || obj->kind == K_DICT || obj->kind == K_SET ||
	    obj->kind == K_TUPLE)
		return pv_unknownf(ev, "the method %s hub does not model", name->u.str.s);
	return NULL;
}

const char *builtin_name(enum builtin_id id)
{
	size_t k;

	for (k = 0; builtin_funcs[k].name; k++)
		if (builtin_funcs[k].id == id)
			return builtin_funcs[k].name;
	for (k = 0; builtin_types[k].name; k++)
		if (builtin_types[k].id == id)
			return builtin_types[k].name;
	for (k = 0; methods[k].name; k++)
		if (methods[k].id == id)
			return methods[k].name;
	return "a builtin";
}

/* ---- modelled modules ---- */

static void put(struct pyeval *ev, struct evmod *m, const char *name, enum builtin_id id)
{
	dict_set_str(ev, m->dict, name, pv_builtin(ev, id, NULL));
	if (!ev->bi_module[id]) {
		ev->bi_module[id] = m->name;
		ev->bi_name[id] = name;
	}
}

struct evmod *lib_modelled_module(struct pyeval *ev, const char *name)
{
	struct evmod *m;
	struct pv *v;

	if ((m = find_loaded(ev, name)))
		return m;
	if (!strcmp(name, "sys")) {
		m = new_module(ev, name, M_MODELLED);
		dict_set_str(ev, m->dict, "modules", ev->sys_modules);
		dict_set_str(ev, m->dict, "platform", pv_strz(ev, "linux"));
		v = pv_seq_new(ev, K_TUPLE, 5);
		seq_append(ev, v, pv_int(ev, 3));
		seq_append(ev, v, pv_int(ev, 11));
		seq_append(ev, v, pv_int(ev, 2));
		seq_append(ev, v, pv_strz(ev, "final"));
		seq_append(ev, v, pv_int(ev, 0));
		v->flags |= PVF_VERSION_INFO;
		dict_set_str(ev, m->dict, "version_info", v);
		dict_set_str(ev, m->dict, "maxsize", pv_int(ev, INT64_MAX));
		{
			size_t k;
			v = pv_seq_new(ev, K_LIST, ev->opt.library_count + 1);
			seq_append(ev, v, pv_strz(ev, ev->opt.repo));
			for (k = 0; k < ev->opt.library_count; k++)
				seq_append(ev, v, pv_strz(ev, ev->opt.library[k]));
			if (!ev->opt.library_count)
				v->flags |= PVF_INCOMPLETE;
			ev->sys_path = v;
			dict_set_str(ev, m->dict, "path", v);
		}
		dict_set_str(ev, m->dict, "argv", pv_unknown(ev, "sys.argv"));
		dict_set_str(ev, m->dict, "byteorder", pv_strz(ev, "little"));
	} else if (!strcmp(name, "os")) {
		m = new_module(ev, name, M_MODELLED);
		dict_set_str(ev, m->dict, "sep", pv_strz(ev, "/"));
		dict_set_str(ev, m->dict, "name", pv_strz(ev, "posix"));
		dict_set_str(ev, m->dict, "linesep", pv_strz(ev, "\n"));
		dict_set_str(ev, m->dict, "environ", pv_unknown(ev, "os.environ"));
		put(ev, m, "getenv", B_OS_GETENV);
		dict_set_str(ev, m->dict, "path", lib_modelled_module(ev, "os.path")->value);
	} else if (!strcmp(name, "os.path")) {
		m = new_module(ev, name, M_MODELLED);
		dict_set_str(ev, m->dict, "sep", pv_strz(ev, "/"));
		put(ev, m, "join", B_OS_PATH_JOIN);
		put(ev, m, "dirname", B_OS_PATH_DIRNAME);
		put(ev, m, "basename", B_OS_PATH_BASENAME);
		put(ev, m, "abspath", B_OS_PATH_ABSPATH);
		put(ev, m, "realpath", B_OS_PATH_REALPATH);
		put(ev, m, "normpath", B_OS_PATH_ABSPATH);
		put(ev, m, "splitext", B_OS_PATH_SPLITEXT);
	} else if (!strcmp(name, "functools")) {
		m = new_module(ev, name, M_MODELLED);
		put(ev, m, "partial", B_PARTIAL);
		put(ev, m, "wraps", B_WRAPS);
		put(ev, m, "update_wrapper", B_UPDATE_WRAPPER);
		put(ev, m, "lru_cache", B_LRU_CACHE);
		put(ev, m, "cache", B_IDENTITY);
		put(ev, m, "reduce", B_REDUCE);
	} else if (!strcmp(name, "warnings")) {
		m = new_module(ev, name, M_MODELLED);
		put(ev, m, "warn", B_WARN);
		put(ev, m, "filterwarnings", B_NOOP);
		put(ev, m, "simplefilter", B_NOOP);
	} else if (!strcmp(name, "collections")) {
		m = new_module(ev, name, M_MODELLED);
		put(ev, m, "defaultdict", B_DEFAULTDICT);
		put(ev, m, "OrderedDict", B_ORDEREDDICT);
		put(ev, m, "namedtuple", B_NAMEDTUPLE);
	} else if (!strcmp(name, "typing")) {
		m = new_module(ev, name, M_MODELLED);
		dict_set_str(ev, m->dict, "TYPE_CHECKING", ev->false_);
		put(ev, m, "cast", B_CAST);
		put(ev, m, "TypeVar", B_TYPEVAR);
		put(ev, m, "overload", B_IDENTITY);
		if (!ev->typed_namedtuple_class)
			ev->typed_namedtuple_class = ev_new_class(ev, "NamedTuple", ev->tuple_class,
								  B_TYPED_NAMEDTUPLE);
		dict_set_str(ev, m->dict, "NamedTuple", ev->typed_namedtuple_class);
		ev->typed_namedtuple_class->u.cls->mod = m;
		put(ev, m, "no_type_check", B_IDENTITY);
	} else if (!strcmp(name, "enum")) {
		/* pyeval_enum.c makes the members; the rest is enum.py's */
		struct pv *e, *c;
		m = new_module(ev, name, M_MODELLED);
		if (!ev->enum_class) {
			ev->enum_class = ev_new_class(ev, "Enum", ev->object_class, B_ENUM_CLASS);
			ev->enum_auto_class = ev_new_class(ev, "auto", ev->object_class, B_ENUM_CLASS);
		}
		e = ev->enum_class;
		dict_set_str(ev, m->dict, "Enum", e);
		dict_set_str(ev, m->dict, "IntEnum", ev_new_class(ev, "IntEnum", e, B_ENUM_CLASS));
		dict_set_str(ev, m->dict, "StrEnum", ev_new_class(ev, "StrEnum", e, B_ENUM_CLASS));
		c = ev_new_class(ev, "Flag", e, B_ENUM_CLASS);
		dict_set_str(ev, m->dict, "Flag", c);
		dict_set_str(ev, m->dict, "IntFlag", ev_new_class(ev, "IntFlag", c, B_ENUM_CLASS));
		c = ev_new_class(ev, "EnumType", ev->type_class, B_ENUM_CLASS);
		dict_set_str(ev, m->dict, "EnumType", c);
		dict_set_str(ev, m->dict, "EnumMeta", c);
		put(ev, m, "auto", B_ENUM_AUTO);
		put(ev, m, "unique", B_IDENTITY);
		for (size_t k = 0; k < m->dict->u.dict->count; k++)
			if (m->dict->u.dict->vals[k]->kind == K_CLASS)
				m->dict->u.dict->vals[k]->u.cls->mod = m;
	} else if (!strcmp(name, "dataclasses")) {
		m = new_module(ev, name, M_MODELLED);
		put(ev, m, "dataclass", B_DATACLASS);
		put(ev, m, "fields", B_DC_FIELDS);
	} else if (!strcmp(name, "fnmatch")) {
		m = new_module(ev, name, M_MODELLED);
		put(ev, m, "filter", B_FNMATCH_FILTER);
	} else if (!strcmp(name, "importlib")) {
		m = new_module(ev, name, M_MODELLED);
		put(ev, m, "import_module", B_IMPORT_MODULE);
	} else if (!strcmp(name, "math")) {
		/* compiled into the interpreter: its constants are known, its
		 * functions are callable (opaque) */
		m = new_module(ev, name, M_MODELLED);
		dict_set_str(ev, m->dict, "pi", pv_float(ev, 3.141592653589793));
		dict_set_str(ev, m->dict, "e", pv_float(ev, 2.718281828459045));
		dict_set_str(ev, m->dict, "tau", pv_float(ev, 6.283185307179586));
		dict_set_str(ev, m->dict, "inf", pv_float(ev, 1e308 * 10));
		dict_set_str(ev, m->dict, "nan", pv_unknown(ev, "math.nan"));
	} else if (!strcmp(name, "builtins")) {
		m = new_module(ev, name, M_MODELLED);
		m->dict = ev->builtins;
	} else {
		return NULL;
	}
	m->state = MS_DONE;
	m->incomplete = 1;
	return m;
}
