/*
 * pyeval_impl.h - what pyeval.c (statements, expressions, imports) and
 * pyeval_lib.c (builtins, methods, the modelled standard library) share.
 * Not for other modules: they use pyeval.h.
 *
 * Every value is a struct pv in the evaluator's arena. Functions that
 * evaluate return the value, or NULL when control leaves abnormally: an
 * exception is being raised (ev->flow == F_RAISE, ev->exc) or a cap was hit
 * (F_FATAL, the message recorded with hub_error).
 */
#ifndef HUB_PYEVAL_IMPL_H
#define HUB_PYEVAL_IMPL_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "pyast.h"
#include "pyeval.h"

enum pv_kind {
	K_UNKNOWN, K_NONE, K_BOOL, K_INT, K_FLOAT, K_STR, K_BYTES, K_ELLIPSIS,
	K_TUPLE, K_LIST, K_SET, K_DICT,
	K_FUNCTION, K_BUILTIN, K_CLASS, K_INSTANCE, K_METHOD, K_MODULE,
	K_PARTIAL, K_OPAQUE, K_CLASSMETHOD, K_STATICMETHOD, K_PROPERTY
};

struct pv_seq {
	struct pv **items;
	size_t count, cap;
};

struct pv_dict {
	struct pv **keys, **vals;       /* insertion order; a deleted key is NULL */
	uint32_t *hashes;
	size_t count, cap, live;
	uint32_t *index;                /* open addressing: entry + 1, 0 empty */
	size_t index_cap;
	struct pv *default_factory;     /* collections.defaultdict */
	struct evmod *owner;            /* a module's namespace (globals()) */
	int incomplete;                 /* a key hub could not compute was set */
};

struct evmod;
struct scope;

struct pv_func {
	struct evmod *mod;
	uint32_t node;                  /* PN_FUNCTION_DEF, PN_ASYNC_..., PN_LAMBDA */
	struct scope *closure;          /* the enclosing function's scope */
	struct pv *name, *qualname;
	struct pv **defaults;           /* by parameter, NULL: none */
	struct pv *attrs;               /* dict: __doc__, __wrapped__ ... set later */
	struct pv *owner;               /* the class whose body defined it (the
					 * __class__ of a zero-argument super()) */
	int is_generator;
};

struct pv_class {
	struct pv *name;
	struct pv *dict;
	struct pv **mro;                /* the class itself first */
	size_t mro_count;
	struct pv *bases;               /* tuple */
	struct evmod *mod;
	uint32_t node;                  /* PN_CLASS_DEF; 0 for builtin classes */
	int opaque_base;                /* a base hub cannot see into */
	struct pv *meta;                /* a metaclass of the repository, or NULL */
};

struct pv {
	uint8_t kind;
	uint8_t flags;
	uint16_t id;                    /* K_BUILTIN: enum builtin_id; K_CLASS:
					 * builtin type id (0: defined in Python) */
	uint32_t line;                  /* K_UNKNOWN, K_OPAQUE: where */
	union {
		int64_t i;
		double f;
		struct { const char *s; size_t len; uint32_t hash; } str;
		struct pv_seq *seq;             /* K_TUPLE, K_LIST */
		struct pv_dict *dict;           /* K_DICT; K_SET: keys are values */
		struct pv_func *fn;
		struct { struct pv *self; } bi;
		struct pv_class *cls;
		struct { struct pv *cls; struct pv *dict; } inst;
		struct { struct pv *fn; struct pv *self; } method;
		struct evmod *mod;
		struct { struct pv *fn; struct pv *args; struct pv *kw;
			 struct pv *attrs; /* its __dict__, NULL: empty */ } partial;
		struct { const char *module, *attr, *file; } opaque;
		struct { const char *what; const char *file; struct pv *base; } unknown;
		struct pv *wrapped;
	} u;
};

/* pv flags */
#define PVF_UNCERTAIN_IMPORT 1u /* K_MODULE opaque: it may not even import */
#define PVF_SLICE 2u            /* K_TUPLE: a slice (lower, upper, step) */
#define PVF_INCOMPLETE 4u       /* K_LIST: items hub could not compute were added */
#define PVF_VERSION_INFO 8u
#define PVF_DATACLASS 16u       /* K_CLASS: @dataclass made its __init__ and maybe __doc__ */
#define PVF_NAMEDTUPLE 32u      /* K_CLASS: a named tuple (_fields, _field_defaults) */     /* K_TUPLE: sys.version_info (.major ...) */

enum module_origin { M_REPO, M_LIBRARY, M_MODELLED, M_OPAQUE, M_NAMESPACE };
enum module_state { MS_NEW, MS_RUNNING, MS_DONE, MS_FAILED };

struct evmod {
	const char *name;               /* dotted; "hubconf.py" for the main one */
	const char *path;               /* shown in messages: relative to the
					 * repository, or absolute */
	const char *full;               /* opened */
	const char *dir;                /* a package's directory (its __path__) */
	enum module_origin origin;
	enum module_state state;
	int is_package;
	int incomplete;                 /* names hub could not see may be bound */
	int future_annotations;         /* 0: not looked, 1: no, 2: from __future__ import annotations */
	struct py_tree *tree;
	struct buf source;
	struct pv *value;               /* K_MODULE */
	struct pv *dict;
	struct pv **names;              /* identifier values by tree string id */
	struct pv **consts;             /* str constants by tree string id */
	struct evmod *real;             /* M_MODELLED: the source behind it */
	struct evmod *next;
};

enum scope_kind { S_MODULE, S_FUNCTION, S_CLASS };

struct scope {
	enum scope_kind kind;
	struct pv *dict;
	struct scope *parent;           /* the enclosing function's, for closures */
	struct evmod *mod;              /* globals */
	struct pv *decl_global;         /* set (dict) of names declared global */
	struct pv *decl_nonlocal;
	struct pv *class_name;          /* S_CLASS: for __qualname__ */
	struct pv *fn;                  /* S_FUNCTION: the function called */
	struct pv *first;               /* S_FUNCTION: its first argument */
};

enum flow { F_NORMAL, F_RETURN, F_BREAK, F_CONTINUE, F_RAISE, F_FATAL };

/* A chain of alternatives hub does not decide (if on unknown, try whose
 * body may fail): which names each branch bound, to warn about a name
 * that only some of them bind. */
struct branch_record {
	struct pv *bound;               /* dict: name -> int mask of branches */
	unsigned branch;                /* the current branch's bit */
	int exhaustive;                 /* one of the branches always runs */
	unsigned all;                   /* mask of the branches seen */
	const char *why;
	struct branch_record *outer;
};

enum builtin_id {
	B_NONE_ = 0,
	/* functions */
	B_LEN, B_STR, B_INT, B_FLOAT, B_BOOL, B_LIST, B_TUPLE, B_DICT, B_SET, B_FROZENSET,
	B_RANGE, B_ENUMERATE, B_ZIP, B_SORTED, B_REVERSED, B_FILTER, B_MAP, B_ISINSTANCE,
	B_ISSUBCLASS, B_CALLABLE, B_GETATTR, B_SETATTR, B_HASATTR, B_DELATTR, B_GLOBALS,
	B_LOCALS, B_VARS, B_DIR, B_TYPE, B_OBJECT, B_PRINT, B_REPR, B_ANY, B_ALL, B_MIN,
	B_MAX, B_SUM, B_ABS, B_ID, B_HASH, B_ITER, B_NEXT, B_SUPER, B_SUPER_OBJ, B_TYPE_NEW,
	B_ENUM_AUTO, B_ENUM_CLASS, B_DC_FIELDS, B_OBJECT_GETATTRIBUTE,
	B_TYPED_NAMEDTUPLE, B_PROPERTY,
	B_CLASSMETHOD, B_STATICMETHOD, B_EXEC, B_EVAL, B_OPEN, B_IMPORT, B_ROUND, B_ORD, B_CHR,
	B_FORMAT,
	/* functools, warnings, collections, os, typing ... */
	B_PARTIAL, B_WRAPS, B_WRAPS_APPLY, B_UPDATE_WRAPPER, B_LRU_CACHE, B_REDUCE,
	B_WARN, B_DEFAULTDICT, B_ORDEREDDICT, B_NAMEDTUPLE, B_OS_GETENV, B_OS_PATH_JOIN,
	B_OS_PATH_DIRNAME, B_OS_PATH_BASENAME, B_OS_PATH_ABSPATH, B_OS_PATH_EXISTS,
	B_OS_PATH_SPLITEXT, B_OS_PATH_REALPATH, B_IMPORT_MODULE, B_IDENTITY, B_CAST,
	B_NOOP, B_OPAQUE_CALL, B_FNMATCH_FILTER, B_TYPEVAR, B_GETMEMBERS, B_RETURN_SELF, B_DATACLASS,
	/* methods: u.bi.self is the receiver */
	B_STR_STARTSWITH, B_STR_ENDSWITH, B_STR_LOWER, B_STR_UPPER, B_STR_REPLACE,
	B_STR_SPLIT, B_STR_RSPLIT, B_STR_JOIN, B_STR_FORMAT, B_STR_FORMAT_MAP, B_STR_STRIP,
	B_STR_LSTRIP, B_STR_RSTRIP, B_STR_CAPITALIZE, B_STR_TITLE, B_STR_ISIDENTIFIER,
	B_STR_FIND, B_STR_PARTITION, B_STR_RPARTITION, B_STR_ISDIGIT, B_STR_COUNT,
	B_STR_ENCODE, B_STR_SPLITLINES, B_STR_ZFILL, B_STR_ISLOWER, B_STR_ISUPPER,
	B_DICT_KEYS, B_DICT_VALUES, B_DICT_ITEMS, B_DICT_GET, B_DICT_UPDATE,
	B_DICT_SETDEFAULT, B_DICT_POP, B_DICT_COPY, B_DICT_CLEAR,
	B_LIST_APPEND, B_LIST_EXTEND, B_LIST_INSERT, B_LIST_POP, B_LIST_REMOVE,
	B_LIST_INDEX, B_LIST_SORT, B_LIST_REVERSE, B_LIST_COPY, B_LIST_COUNT,
	B_SET_ADD, B_SET_UPDATE, B_SET_DISCARD,
	B_OBJECT_INIT, B_OBJECT_SETATTR, B_OBJECT_NEW, B_DICT_FROMKEYS,
	B_COUNT
};

struct pyeval {
	struct pyeval_options opt;
	/* arena */
	char *chunk;
	size_t chunk_used, chunk_size;
	void **chunks;
	size_t chunk_count;
	size_t bytes;
	uint64_t steps;
	unsigned depth;
	/* control */
	enum flow flow;
	struct pv *ret;
	struct pv *exc;
	int uncertain;                  /* inside alternatives hub does not decide */
	struct branch_record *branches;
	unsigned uncertain_imports;     /* imports that may fail, counted */
	struct evmod *cur_mod;          /* the statement running, for sites */
	unsigned cur_line;
	int fatal_reported;
	/* modules */
	struct evmod *mods;
	struct pv *mod_index;           /* dict: name -> K_MODULE */
	struct evmod *main;
	struct pv *sys_modules;         /* dict: what Python's sys.modules holds */
	size_t module_count;
	size_t total_source;
	/* the builtins module and friends */
	struct pv *builtins;            /* dict */
	struct pv *none, *true_, *false_, *ellipsis, *empty_str;
	struct pv *object_class, *type_class;
	struct pv *enum_class, *enum_auto_class; /* enum.Enum, enum.auto (lib_enum_module) */
	struct pv *field_class;         /* dataclasses.Field */
	struct pv *typed_namedtuple_class; /* typing.NamedTuple */
	struct pv *main_dir;            /* dir(hubconf) by its __dir__, or NULL */
	struct pv *pending_class;       /* a class statement's class while its
					 * metaclass runs (type.__new__ returns it) */
	struct pv *exc_base, *exc_exception, *exc_import, *exc_module_not_found,
		  *exc_attribute, *exc_key, *exc_index, *exc_type, *exc_value,
		  *exc_name, *exc_runtime, *exc_not_implemented, *exc_stop,
		  *exc_os, *exc_assertion, *exc_lookup, *exc_zero_div;
	struct pv *interned;            /* dict: str -> itself */
	/* the main module's names bound on some paths only */
	struct pv *conditional;         /* dict: name -> tuple(why, file, line) */
	struct pv *main_lines;          /* dict: name -> the line that bound it last */
	/* results */
	char **warnings;
	size_t warn_count, warn_dropped;
	char **files;
	size_t file_count;
	struct buf scratch;
	/* added */
	int over_bytes;
	const char *fatal_msg;
	int lenient;                    /* running library code: no warnings,
					 * failures become unknown values */
	struct pv *small_ints[262];
	char **dirs;                    /* directories searched for modules */
	size_t dir_count;
	const char *why_uncertain;
	int load_library;
	int import_lazy;
	int bind_how;                   /* enum pv_bound of the binding running */
	int try_depth;
	struct pv *maybe_exc;
	struct pv *sys_path;
	struct dir_listing *listings;   /* directories read, pyeval_import.c */
	const char *bi_module[B_COUNT]; /* the modelled module a builtin is from */
	const char *bi_name[B_COUNT];            /* sys.path, once sys is imported */           /* raised in a branch hub does not decide */                  /* try statements with handlers around */
	const char *exc_file;           /* where the exception being raised was */
	unsigned exc_line;                /* an import statement in library code */
	const char *load_top;           /* library code of this package runs */               /* run library modules when asked (reporting) */
	int main_status;                /* why the main module could not be read */
	int import_unreadable;
	struct scope *cur_scope;        /* for globals(), locals(), vars(), super() */
	struct pv *yields;              /* the running generator's values */
	struct pv *pending_ret;         /* a return under an unknown condition */
	int has_pending_ret;
	struct pv *str_class, *int_class, *float_class, *list_class, *tuple_class,
		  *dict_class, *set_class, *bool_class, *none_class, *func_class,
		  *module_class, *bytes_class;
	/* pyeval_reach.c: sees every call first; a value it returns is the
	 * call's result (the callee does not run), NULL lets the call go on */
	struct pv *(*call_hook)(struct pyeval *ev, struct pv *callee, struct pv **args,
				size_t nargs, struct pv *kwargs);
	void *hook_ctx;
};

/* pyeval.c */
void *ev_alloc(struct pyeval *ev, size_t size);
char *ev_strndup(struct pyeval *ev, const char *s, size_t len);
void ev_warn(struct pyeval *ev, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int ev_step(struct pyeval *ev);
struct pv *pv_new(struct pyeval *ev, enum pv_kind kind);
struct pv *pv_int(struct pyeval *ev, int64_t i);
struct pv *pv_float(struct pyeval *ev, double f);
struct pv *pv_bool(struct pyeval *ev, int b);
struct pv *pv_str(struct pyeval *ev, const char *s, size_t len);
struct pv *pv_instance(struct pyeval *ev, struct pv *cls);  /* an empty __dict__ */
struct pv *pv_strz(struct pyeval *ev, const char *s);
struct pv *pv_intern(struct pyeval *ev, const char *s, size_t len);
struct pv *pv_unknown(struct pyeval *ev, const char *what);
struct pv *pv_unknownf(struct pyeval *ev, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
struct pv *pv_opaque(struct pyeval *ev, const char *module, const char *attr);
char *ev_printf(struct pyeval *ev, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
const char *ev_where(struct pyeval *ev, unsigned *line);
struct pv *pv_seq_new(struct pyeval *ev, enum pv_kind kind, size_t cap);
void seq_append(struct pyeval *ev, struct pv *seq, struct pv *item);
struct pv *pv_dict_new(struct pyeval *ev);
struct pv *pv_builtin(struct pyeval *ev, enum builtin_id id, struct pv *self);
int pv_hash(const struct pv *v, uint32_t *hash);
int pv_equal(const struct pv *a, const struct pv *b);   /* 1, 0, -1 unknown */
int pv_truth(const struct pv *v);                       /* 1, 0, -1 unknown */
struct pv *dict_get(struct pv *dict, const struct pv *key);
struct pv *dict_get_str(struct pv *dict, const char *key);
void dict_set(struct pyeval *ev, struct pv *dict, struct pv *key, struct pv *val);
int dict_del(struct pv *dict, const struct pv *key);
void dict_set_str(struct pyeval *ev, struct pv *dict, const char *key, struct pv *val);
struct pv *ev_raise(struct pyeval *ev, struct pv *cls, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
struct pv *ev_fatal(struct pyeval *ev, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
struct pv *ev_call(struct pyeval *ev, struct pv *callee, struct pv **args, size_t nargs,
		   struct pv *kwargs);
struct pv *ev_getattr(struct pyeval *ev, struct pv *obj, struct pv *name);
struct pv *ev_getattr_str(struct pyeval *ev, struct pv *obj, const char *name);
int ev_setattr(struct pyeval *ev, struct pv *obj, struct pv *name, struct pv *val);
struct pv *class_lookup(struct pv *cls, const struct pv *name);
int is_subclass(const struct pv *cls, const struct pv *base);
struct pv *type_of(struct pyeval *ev, struct pv *v);
struct pv *ev_iterate(struct pyeval *ev, struct pv *v);  /* a K_LIST/K_TUPLE, or unknown */
struct pv *ev_str_of(struct pyeval *ev, struct pv *v, int repr);
struct pv *ev_import(struct pyeval *ev, const char *name, int level, struct evmod *from,
		     int want_top);
struct pv *module_dir(struct pyeval *ev, struct pv *mod);
struct pv *lib_sorted(struct pyeval *ev, struct pv *list);
int lib_callable(struct pyeval *ev, struct pv *v);
int lib_known_value(const char *module, const char *attr);
void store_global(struct pyeval *ev, struct evmod *mod, struct pv *name, struct pv *val);
struct pv *ev_new_class(struct pyeval *ev, const char *name, struct pv *base, int id);
struct pv *ev_func_doc(struct pyeval *ev, struct pv *fn);

struct pv *mod_name(struct pyeval *ev, struct evmod *m, uint32_t str);
int ev_class_created(struct pyeval *ev, struct pv *cls, struct pv *kwargs);
/* Makes cls a named tuple of fields (a tuple of str) and defaults (for
 * the last ones; NULL: none), with the __doc__ namedtuple writes unless it
 * has one. */
void ev_namedtuple(struct pyeval *ev, struct pv *cls, struct pv *fields, struct pv *defaults);
/* A dataclass's fields, name -> annotation, those of dataclass bases
 * first (dataclasses.fields' order). */
struct pv *ev_dataclass_fields(struct pyeval *ev, struct pv *cls);
/* Enum classes (pyeval_enum.c): is cls one with members, and the members
 * made from a new subclass's body (-1: it raised). */
int ev_is_enum(struct pyeval *ev, const struct pv *cls);
int ev_enum_members(struct pyeval *ev, struct pv *cls);
struct pv *ev_enum_by_value(struct pyeval *ev, struct pv *cls, struct pv *value);
struct pv *ev_enum_by_name(struct pyeval *ev, struct pv *cls, struct pv *name);
struct pv *ev_enum_list(struct pyeval *ev, struct pv *cls);
int ev_transparent_base(struct pyeval *ev, const struct pv *base);
int ev_enum_text(struct pyeval *ev, struct pv *member, int repr, struct buf *out);
struct pv *ev_make_class(struct pyeval *ev, struct pv *meta, struct pv *name, struct pv *bases,
			 struct pv *ns, struct pv *kwargs);
struct pv *ev_binop(struct pyeval *ev, int op, struct pv *a, struct pv *b);
int ev_compare(struct pyeval *ev, int op, struct pv *a, struct pv *b);  /* 1, 0, -1; -2 raised */
struct pv *ev_subscript(struct pyeval *ev, struct pv *obj, struct pv *key);
int ev_setitem(struct pyeval *ev, struct pv *obj, struct pv *key, struct pv *val);
void exec_module(struct pyeval *ev, struct evmod *m);
/* One expression of m's tree evaluated in scope sc (pyeval_reach.c). */
struct pv *ev_eval_node(struct pyeval *ev, struct scope *sc, uint32_t node);
int exec_string(struct pyeval *ev, struct scope *sc, struct pv *src);

/* pyeval_import.c */
void module_load(struct pyeval *ev, struct evmod *m);
int lib_may_load(struct pyeval *ev, struct evmod *m);
struct evmod *real_module(struct pyeval *ev, struct evmod *model);
struct evmod *find_loaded(struct pyeval *ev, const char *name);
struct evmod *new_module(struct pyeval *ev, const char *name, enum module_origin origin);
void import_star(struct pyeval *ev, struct scope *sc, struct pv *mod);
struct pv *import_attr(struct pyeval *ev, struct pv *mod, struct pv *name);

/* pyeval_lib.c */
struct pv *lib_format(struct pyeval *ev, struct pv *v, struct pv *spec, int conversion);
struct pv *lib_percent(struct pyeval *ev, struct pv *fmt, struct pv *args);
void lib_init(struct pyeval *ev);
struct pv *lib_call(struct pyeval *ev, struct pv *callee, struct pv **args, size_t nargs,
		    struct pv *kwargs);
struct pv *lib_method(struct pyeval *ev, struct pv *obj, const struct pv *name);
struct evmod *lib_modelled_module(struct pyeval *ev, const char *name);
int lib_is_stdlib(const char *top);
const char *builtin_name(enum builtin_id id);

#endif
