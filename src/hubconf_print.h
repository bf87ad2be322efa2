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

/* The evaluation's warnings on stderr, "hub: warning: ...", then those
 * that asking for name added (name may be NULL); none with -q. */
void hubconf_print_warnings(const struct scan *scan, const struct scan_name *name);

/* A JSON string for text that may hold NUL bytes (a docstring's "\0"),
 * which cJSON's C strings would cut short. The caller owns the item. */
cJSON *hubconf_json_text(const char *text, size_t len);

#endif
