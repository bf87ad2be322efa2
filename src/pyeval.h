/*
 * pyeval.h - runs the module-level code of hubconf.py and the modules it
 * imports over abstract values, to learn what `dir(hubconf)` holds without
 * running Python.
 *
 * The evaluator executes module bodies statement by statement (pyparse.c's
 * trees), calls of functions and classes defined in the repository included,
 * so decorators, registries and factories run. Values are what the source
 * alone decides: constants, containers, functions and classes with their
 * definitions, instances, modules, and *unknown* (a value hub cannot
 * compute, carrying where it came from). Builtins and the few standard
 * library modules real hubconfs use (sys, os, os.path, functools, warnings,
 * collections, typing ...) are modelled; other modules are read from the
 * repository, then from the library path given, else stay opaque.
 *
 * It reads source files and nothing else. Steps, call depth and memory are
 * counted: a repository past a cap is one error (HUB_EFAIL, "evaluation
 * exceeded ..."), never a hang.
 *
 * Memory: everything the evaluator makes lives in its arena and the trees
 * it parsed, freed at once by pyeval_free; pointers handed out stay valid
 * until then.
 */
#ifndef HUB_PYEVAL_H
#define HUB_PYEVAL_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"

struct pyeval_options {
	const char *repo;               /* the repository root */
	const char *const *library;     /* the interpreter's library path */
	size_t library_count;           /* 0: modules from outside are opaque */
	uint64_t max_steps;             /* 0: the defaults below */
	unsigned max_depth;
	size_t max_bytes;
};

#define PYEVAL_MAX_STEPS 20000000u
#define PYEVAL_MAX_DEPTH 96u
#define PYEVAL_MAX_BYTES ((size_t)96 << 20)

struct pyeval;
struct pv;

/*
 * Runs <repo>/<main> as torch.hub imports hubconf.py (module name
 * "hubconf.py", the repository first on sys.path). A module Python could
 * not compile gives its error when it is main, a warning otherwise.
 * *out is set even on failure (NULL only when nothing was read), so the
 * files read and warnings stay available.
 */
int pyeval_run(const struct pyeval_options *options, const char *main, struct pyeval **out);
void pyeval_free(struct pyeval *ev);

/* The main module's namespace, in insertion order. */
size_t pyeval_global_count(const struct pyeval *ev);
const char *pyeval_global_name(const struct pyeval *ev, size_t i);
struct pv *pyeval_global_value(const struct pyeval *ev, size_t i);
struct pv *pyeval_global(const struct pyeval *ev, const char *name);
/* The line of the statement that last bound name in the main module, and
 * how it did. */
enum pv_bound { PV_BOUND_OTHER, PV_BOUND_DEF, PV_BOUND_IMPORT };
unsigned pyeval_global_line(const struct pyeval *ev, const char *name);
enum pv_bound pyeval_global_how(const struct pyeval *ev, const char *name);
/* Why a global may not be bound when Python runs the module ("under a
 * condition hub does not evaluate", "in an except block"), and where;
 * NULL when it is bound on every path hub followed. */
const char *pyeval_global_conditional(const struct pyeval *ev, const char *name,
				      const char **file, unsigned *line);

/* Files read (paths as opened: under the repository or the library path). */
size_t pyeval_files(const struct pyeval *ev, const char *const **paths);
/* Directories in which a module was looked up (for a cache keyed on their
 * stat data, as Python's FileFinder keys on directory mtimes). */
size_t pyeval_dirs(const struct pyeval *ev, const char *const **dirs);
/* Warnings, one line each ("file:line: what"). */
size_t pyeval_warnings(const struct pyeval *ev, const char *const **warnings);

/* What a value is, for the reporting layer. */
enum pv_callable { PV_NOT_CALLABLE, PV_CALLABLE, PV_MAYBE_CALLABLE };
enum pv_what {
	PV_WHAT_UNKNOWN,        /* see pyeval_unknown */
	PV_WHAT_OUTSIDE,        /* from a module hub cannot read */
	PV_WHAT_FUNCTION,       /* def or lambda (also behind a bound method) */
	PV_WHAT_CLASS,
	PV_WHAT_INSTANCE,       /* of a class with __call__ */
	PV_WHAT_PARTIAL,
	PV_WHAT_BUILTIN,        /* a builtin hub models (len, dict ...) */
	PV_WHAT_OTHER           /* not callable */
};
enum pv_what pyeval_what(const struct pv *v);
enum pv_callable pyeval_callable(struct pyeval *ev, const struct pv *v);
/* Whether names hub could not see may be bound in the main module. */
int pyeval_main_incomplete(const struct pyeval *ev);
/* For an unknown made by a decorator from outside: the def it decorated. */
struct pv *pyeval_decorated(const struct pv *v);
/* A name from outside the repository, read from the library path (the
 * value itself when it cannot be read). */
struct pv *pyeval_resolve(struct pyeval *ev, struct pv *v);
/* For a function of a module hub models (os.path.join ...): that module
 * and the name, else NULL. */
const char *pyeval_builtin_origin(const struct pyeval *ev, const struct pv *v, const char **name);
/* The value of `module.name` from outside, as an import makes it. */
struct pv *pyeval_outside(struct pyeval *ev, const char *module, const char *name);

/* Where the value was made: definition site (def, class, lambda), or the
 * import statement for a name from outside (then *outside names the
 * module). Paths are relative to the repository, or absolute. */
void pyeval_site(const struct pv *v, const char **file, unsigned *line, const char **outside);
/* For PV_WHAT_UNKNOWN: the construct that hid the value, and where. */
const char *pyeval_unknown(const struct pv *v, const char **file, unsigned *line);
/* The name the value defines itself under (__name__ of a def or class), or NULL. */
const char *pyeval_def_name(const struct pv *v);
/* Whether the value was defined in the main module. */
int pyeval_in_main(const struct pyeval *ev, const struct pv *v);

/*
 * __doc__: 1 and the text appended to out when it is a str, 0 when it is
 * None, -1 when hub cannot know it (outside, unknown).
 */
int pyeval_doc(struct pyeval *ev, const struct pv *v, struct buf *out);

/*
 * inspect.signature(v) as text, "name(params) -> ret", appended to out:
 * the parameter list of the def or lambda that a call lands in (a class's
 * __init__ found through its MRO, an instance's __call__, a wrapper's
 * __wrapped__), self dropped where it is bound, defaults as repr() gives
 * them when hub knows their value. HUB_ENOTFOUND when hub cannot tell (a
 * partial, a builtin, a class from outside ...).
 */
int pyeval_signature(struct pyeval *ev, const struct pv *v, const char *name, struct buf *out);

/* The string values of a global list/tuple of str (dependencies): count,
 * or -1 when it is not one. Strings valid until pyeval_free. */
long pyeval_string_list(const struct pv *v, const char ***items);

#endif
