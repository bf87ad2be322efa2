/*
 * hubconf_print.h - what list and help share in the command layer: getting
 * a repository's answers (fetch, library path, scan) and printing them.
 */
#ifndef HUB_HUBCONF_PRINT_H
#define HUB_HUBCONF_PRINT_H

#include <stddef.h>

#include <cjson/cJSON.h>

#include "fetch.h"
#include "hubconf.h"
#include "scan.h"

/*
 * SPEC's folder (fetched when needed) and its answers (scan.h): the
 * library path is the interpreter's (python_option: --python's value, or
 * NULL; one named must exist), kept in the hub dir with the answers.
 * command names the command in messages. *dir_out is the caller's.
 */
int hubconf_scan_spec(const char *command, const char *spec, const struct fetch_options *fetch,
		      const char *python_option, struct scan **scan_out, char **dir_out);

/*
 * A fresh evaluation of the repository in dir, for what scan.c does not
 * keep (an entrypoint's weights): the same library path as
 * hubconf_scan_spec. *out is the caller's (hubconf_free), set on failure too.
 */
int hubconf_open_dir(const char *dir, const char *python_option, struct hubconf **out);

/*
 * What download does for each repository it fetched or found: evaluates it
 * and keeps the answers (scan.h), so the first list or help after it reads
 * them back. Never fails: an evaluation that cannot finish is list's and
 * help's to report, and keeps nothing.
 */
void hubconf_keep_answers(const char *dir);

/* HUB_ENOTFOUND: "COMMAND: 'name' is not an entrypoint of DIR; did you
 * mean ...?" with up to three of names closest to name. */
int hubconf_not_found(const char *command, const char *const *names, size_t count,
		      const char *name, const char *dir);

/* The evaluation's warnings on stderr, "hub: warning: ...", then those
 * that asking for name added (name may be NULL); none with -q. */
void hubconf_print_warnings(const struct scan *scan, const struct scan_name *name);

/* A JSON string for text that may hold NUL bytes (a docstring's "\0"),
 * which cJSON's C strings would cut short. The caller owns the item. */
cJSON *hubconf_json_text(const char *text, size_t len);

#endif
