/*
 * opt.h - table-driven command-line parsing.
 *
 * One table per command drives parsing, the usage line and --help at once,
 * so what a command accepts and what it documents cannot drift apart. The
 * global options (hub.c's table) are accepted before or after the command,
 * in every command.
 *
 * Accepted forms: --long, --long=VALUE, --long VALUE, -s, -sVALUE, -s VALUE,
 * bundled flags (-qv), and "--" to end options. Options and operands may be
 * mixed; opt_parse moves the operands to the front of argv (after argv[0]).
 *
 * This is part of the command layer: it prints --help to stdout itself.
 */
#ifndef HUB_OPT_H
#define HUB_OPT_H

enum opt_kind {
	OPT_END = 0,
	OPT_FLAG,       /* int *: stores set_to (1 if set_to is 0) */
	OPT_STRING,     /* const char **: needs a value */
	OPT_INT,        /* int *: needs a value, a whole number >= 0 */
	OPT_OPTIONAL,   /* const char **: --long or --long=VALUE; bare stores "" */
	OPT_MULTI       /* struct opt_list *: needs a value, may repeat */
};

struct opt_list {
	const char **items;
	int count;
};

struct opt {
	char short_name;        /* 0 when none */
	const char *long_name;  /* NULL when none */
	enum opt_kind kind;
	void *value;
	int set_to;             /* OPT_FLAG's stored value, when not 1 */
	const char *arg;        /* the value's name in help: "DIR" */
	const char *help;       /* one line */
};

struct usage {
	const char *command;    /* "list"; NULL for hub itself */
	const char *synopsis;   /* what follows "hub list [OPTIONS]" */
	const char *description;/* paragraphs for --help; may be NULL */
	const struct opt *opts; /* ends with an OPT_END entry; may be NULL */
};

#define OPT_HELP_SHOWN (-1) /* --help was printed: the command returns 0 */
#define OPT_USAGE_ERROR (-2) /* message recorded: the command returns HUB_EUSAGE */

/* Returns the number of operands (in argv[1..n]), or one of the two above. */
int opt_parse(const struct usage *usage, int argc, char **argv);
/* The status a command returns when opt_parse returned a negative value. */
int opt_status(int parsed);
/* Prints the full help of a command (or of hub when usage->command is NULL). */
void opt_print_help(const struct usage *usage);

/* The global options' values, filled by opt_parse in every command. */
struct hub_globals {
	const char *dir;
	int quiet;
	int verbose;
	int offline;
	int json;
	int help;
	int version;
};
extern struct hub_globals hub_globals;
extern const struct opt hub_global_opts[];

#endif
