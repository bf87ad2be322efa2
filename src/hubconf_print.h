/*
 * hubconf_print.h - output that list and help share (command layer: these
 * print).
 */
#ifndef HUB_HUBCONF_PRINT_H
#define HUB_HUBCONF_PRINT_H

#include <stddef.h>

#include <cjson/cJSON.h>

#include "hubconf.h"

/* hubconf_open on dir with the library path of the interpreter that
 * --python (python_option, may be NULL), $HUB_PYTHON or python3 names
 * (pypath.c, remembered in the hub directory). */
int hubconf_open_dir(const char *dir, const char *python_option, struct hubconf **out);

/* The evaluator's warnings on stderr, "hub: warning: ..." (none with -q). */
void hubconf_print_warnings(const struct hubconf *hc);

/* A JSON string for text that may hold NUL bytes (a docstring's "\0"),
 * which cJSON's C strings would cut short. The caller owns the item. */
cJSON *hubconf_json_text(const char *text, size_t len);

#endif
