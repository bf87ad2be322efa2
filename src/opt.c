#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "hub.h"
#include "opt.h"
#include "util.h"

struct hub_globals hub_globals;

const struct opt hub_global_opts[] = {
	{ 'd', "dir", OPT_STRING, &hub_globals.dir, 0, "DIR", "use DIR as the hub dir for this run (like torch.hub.set_dir)" },
	{ 'q', "quiet", OPT_FLAG, &hub_globals.quiet, 0, NULL, "print nothing but results and errors" },
	{ 'v', "verbose", OPT_FLAG, &hub_globals.verbose, 0, NULL, "log each request and cache decision on stderr" },
	{ 0, "offline", OPT_FLAG, &hub_globals.offline, 0, NULL, "never open a socket; a cache miss is an error" },
	{ 0, "json", OPT_FLAG, &hub_globals.json, 0, NULL, "print results as JSON" },
	{ 'h', "help", OPT_FLAG, &hub_globals.help, 0, NULL, "show this help" },
	{ 'V', "version", OPT_FLAG, &hub_globals.version, 0, NULL, "show the versions of hub and its libraries" },
	{ 0 }
};

static const char *cmd_name(const struct usage *usage)
{
	return usage->command ? usage->command : "hub";
}

static const struct opt *find_long(const struct opt *table, const char *name, size_t len)
{
	for (; table && table->kind != OPT_END; table++)
		if (table->long_name && strlen(table->long_name) == len &&
		    !strncmp(table->long_name, name, len))
			return table;
	return NULL;
}

static const struct opt *find_short(const struct opt *table, char c)
{
	for (; table && table->kind != OPT_END; table++)
		if (table->short_name && table->short_name == c)
			return table;
	return NULL;
}

static void opt_label(const struct opt *o, char *out, size_t size)
{
	if (o->long_name)
		snprintf(out, size, "--%s", o->long_name);
	else
		snprintf(out, size, "-%c", o->short_name);
}

/* Stores a value; value is NULL when the option was given without one. */
static int store(const struct usage *usage, const struct opt *o, const char *value)
{
	char label[64];
	char *end;
	long n;
	struct opt_list *list;

	opt_label(o, label, sizeof(label));
	switch (o->kind) {
	case OPT_FLAG:
		*(int *)o->value = o->set_to ? o->set_to : 1;
		return 0;
	case OPT_OPTIONAL:
		*(const char **)o->value = value ? value : "";
		return 0;
	case OPT_STRING:
		*(const char **)o->value = value;
		return 0;
	case OPT_MULTI:
		list = o->value;
		list->items = xrealloc(list->items, sizeof(*list->items) * (size_t)(list->count + 1));
		list->items[list->count++] = value;
		return 0;
	case OPT_INT:
		n = strtol(value, &end, 10);
		if (!*value || *end || n < 0 || n > 1000000) {
			hub_error(HUB_EUSAGE, "%s: %s takes a whole number, not '%s'",
				  cmd_name(usage), label, value);
			return OPT_USAGE_ERROR;
		}
		*(int *)o->value = (int)n;
		return 0;
	case OPT_END:
		break;
	}
	return 0;
}

static int takes_value(const struct opt *o)
{
	return o->kind == OPT_STRING || o->kind == OPT_INT || o->kind == OPT_MULTI;
}

static int parse_long(const struct usage *usage, char *arg, int *i, int argc, char **argv)
{
	const char *name = arg + 2, *eq = strchr(name, '=');
	size_t len = eq ? (size_t)(eq - name) : strlen(name);
	const struct opt *o = find_long(usage->opts, name, len);
	char label[64];

	if (!o)
		o = find_long(hub_global_opts, name, len);
	if (!o)
		return hub_error(HUB_EUSAGE, "%s: unknown option '--%.*s' (see 'hub %s%s--help')",
				 cmd_name(usage), (int)len, name,
				 usage->command ? usage->command : "", usage->command ? " " : ""),
		       OPT_USAGE_ERROR;
	opt_label(o, label, sizeof(label));
	if (o->kind == OPT_FLAG) {
		if (eq)
			return hub_error(HUB_EUSAGE, "%s: %s takes no value",
					 cmd_name(usage), label), OPT_USAGE_ERROR;
		return store(usage, o, NULL);
	}
	if (o->kind == OPT_OPTIONAL)
		return store(usage, o, eq ? eq + 1 : NULL);
	if (eq)
		return store(usage, o, eq + 1);
	if (*i + 1 >= argc)
		return hub_error(HUB_EUSAGE, "%s: %s needs a value (%s)",
				 cmd_name(usage), label, o->arg ? o->arg : "VALUE"), OPT_USAGE_ERROR;
	return store(usage, o, argv[++*i]);
}

static int parse_short(const struct usage *usage, char *arg, int *i, int argc, char **argv)
{
	const char *p;

	for (p = arg + 1; *p; p++) {
		const struct opt *o = find_short(usage->opts, *p);
		int err;

		if (!o)
			o = find_short(hub_global_opts, *p);
		if (!o)
			return hub_error(HUB_EUSAGE, "%s: unknown option '-%c' (see 'hub %s%s--help')",
					 cmd_name(usage), *p,
					 usage->command ? usage->command : "", usage->command ? " " : ""),
			       OPT_USAGE_ERROR;
		if (!takes_value(o)) {
			if ((err = store(usage, o, NULL)))
				return err;
			continue;
		}
		if (p[1])
			return store(usage, o, p + 1);
		if (*i + 1 >= argc)
			return hub_error(HUB_EUSAGE, "%s: -%c needs a value (%s)",
					 cmd_name(usage), *p, o->arg ? o->arg : "VALUE"),
			       OPT_USAGE_ERROR;
		return store(usage, o, argv[++*i]);
	}
	return 0;
}

int opt_parse(const struct usage *usage, int argc, char **argv)
{
	char **operands = xcalloc((size_t)argc + 1, sizeof(char *));
	int i, count = 0, status = 0;

	for (i = 1; i < argc; i++) {
		char *arg = argv[i];

		if (!strcmp(arg, "--")) {
			while (++i < argc)
				operands[count++] = argv[i];
			break;
		}
		if (arg[0] != '-' || arg[1] == '\0') {
			operands[count++] = arg;
			continue;
		}
		status = arg[1] == '-' ? parse_long(usage, arg, &i, argc, argv)
				       : parse_short(usage, arg, &i, argc, argv);
		if (status)
			break;
	}
	if (!status) {
		memcpy(argv + 1, operands, sizeof(char *) * (size_t)count);
		argv[count + 1] = NULL;
	}
	free(operands);
	if (status)
		return status;
	if (hub_globals.version) {
		hub_print_version();
		return OPT_HELP_SHOWN;
	}
	if (hub_globals.help) {
		opt_print_help(usage);
		return OPT_HELP_SHOWN;
	}
	return count;
}

int opt_status(int parsed)
{
	return parsed == OPT_HELP_SHOWN ? HUB_OK : HUB_EUSAGE;
}

static void print_table(const struct opt *o)
{
	for (; o && o->kind != OPT_END; o++) {
		char left[80];
		int n = 0;

		if (o->short_name && o->long_name)
			n = snprintf(left, sizeof(left), "-%c, --%s", o->short_name, o->long_name);
		else if (o->long_name)
			n = snprintf(left, sizeof(left), "    --%s", o->long_name);
		else
			n = snprintf(left, sizeof(left), "-%c", o->short_name);
		if (o->arg && n > 0 && (size_t)n < sizeof(left))
			snprintf(left + n, sizeof(left) - (size_t)n,
				 o->kind == OPT_OPTIONAL ? "[=%s]" : " %s", o->arg);
		printf("  %-26s %s\n", left, o->help);
	}
}

void opt_print_help(const struct usage *usage)
{
	if (!usage->command) {
		hub_print_overview();
	} else {
		printf("usage: hub %s [OPTIONS]%s%s\n", usage->command,
		       usage->synopsis && *usage->synopsis ? " " : "",
		       usage->synopsis ? usage->synopsis : "");
		if (usage->description)
			printf("\n%s", usage->description);
		if (usage->opts && usage->opts->kind != OPT_END) {
			printf("\nOptions:\n");
			print_table(usage->opts);
		}
	}
	printf("\nGlobal options:\n");
	print_table(hub_global_opts);
}
