/*
 * hub list: not built yet.
 */
#include <stddef.h>

#include "err.h"
#include "hub.h"
#include "opt.h"

static const struct usage usage = { "list", "", "Not implemented yet.\n", NULL };

int cmd_list(int argc, char **argv)
{
	int n = opt_parse(&usage, argc, argv);
	if (n < 0)
		return opt_status(n);
	return hub_unimplemented("list");
}
