/*
 * hub help [COMMAND | SPEC [ENTRY]]
 */
#include <stdio.h>

#include "err.h"
#include "hub.h"
#include "opt.h"

static const struct usage usage = {
	"help", "[COMMAND | SPEC [ENTRY]]",
	"Without arguments, the overview of hub's commands. With COMMAND, that\n"
	"command's help (as 'hub COMMAND --help'). With SPEC, every entrypoint and\n"
	"its summary; with SPEC ENTRY, ENTRY's signature and docstring.\n",
	NULL
};

int cmd_help(int argc, char **argv)
{
	int n = opt_parse(&usage, argc, argv);

	if (n < 0)
		return opt_status(n);
	if (n == 0) {
		opt_print_help(&(struct usage){ NULL, NULL, NULL, NULL });
		return HUB_OK;
	}
	if (n == 1 && hub_is_command(argv[1])) {
		char *help_argv[] = { argv[1], "--help", NULL };
		return hub_run_command(2, help_argv);
	}
	return hub_unimplemented("help SPEC");
}
