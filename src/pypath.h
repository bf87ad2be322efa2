/*
 * pypath.h - the library path of the Python that `load` would run: the
 * directories of its sys.path, so that list and help can read, as text,
 * the modules a hubconf.py imports from outside its repository.
 *
 * HUB_PYTHONPATH (directories separated by ':') is taken as it is, and no
 * process is run; directories that do not exist are left out. Otherwise the interpreter (python_find: --python, then
 * HUB_PYTHON, then python3 on PATH) is asked once for its sys.path, by a
 * one-line program that imports nothing and runs no repository code, from
 * the root directory. The answer is remembered in <hub dir>/.hub/pypath,
 * keyed by the interpreter (its path and stat data), the variables that
 * change sys.path (PYTHONPATH, PYTHONHOME, PYTHONUSERBASE, PYTHONNOUSERSITE,
 * PYTHONSAFEPATH, VIRTUAL_ENV, PYENV_VERSION) and the stat data of every
 * directory listed, so that installing a package or switching interpreter is
 * seen; a remembered answer costs a few stat calls.
 *
 * Having no library path is not an error: with no interpreter, or one that
 * fails, the path is empty (outside modules stay opaque, as when Python is
 * missing) and the reason goes to the -v log.
 *
 * Memory: a struct pypath owns its strings; pypath_free releases them.
 */
#ifndef HUB_PYPATH_H
#define HUB_PYPATH_H

#include <stddef.h>

struct pypath {
	char **dirs;            /* existing directories, in sys.path's order */
	size_t count;
	const char *source;     /* "HUB_PYTHONPATH", "remembered", "asked", "none" */
};

/*
 * Fills *out; never fails. hub_dir may be NULL (nothing is remembered
 * then); python_option is --python's value or NULL. HUB_PYTHONPATH set but
 * empty means no library path, and no process.
 */
void pypath_get(const char *hub_dir, const char *python_option, struct pypath *out);
void pypath_free(struct pypath *path);

#endif
