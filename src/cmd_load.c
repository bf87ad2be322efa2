/*
 * hub load: not built yet.
 */
#include <stddef.h>

#include "err.h"
#include "hub.h"
#include "opt.h"

static const struct usage usage = { "load", "", "Not implemented yet.\n", NULL };

int cmd_load(int argc, char **argv)
{
	int n = opt_parse(&usage, argc, argv);
	if (n < 0)
		return opt_status(n);
	return hub_unimplemented("load");
}
