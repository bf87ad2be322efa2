/*
 * hub.h - the commands, and what hub.c offers them.
 *
 * Each command lives in cmd_<name>.c as int cmd_<name>(int argc, char **argv):
 * argv[0] is the command's name; it parses with opt_parse (opt.h) and returns
 * an exit status (err.h). On failure it returns the status and leaves the
 * message recorded with hub_error(); hub.c prints "hub: <message>".
 */
#ifndef HUB_HUB_H
#define HUB_HUB_H

#ifndef HUB_VERSION
#define HUB_VERSION "0.1.0"
#endif

int cmd_list(int argc, char **argv);
int cmd_help(int argc, char **argv);
int cmd_load(int argc, char **argv);
int cmd_download(int argc, char **argv);
int cmd_set_dir(int argc, char **argv);
int cmd_purge(int argc, char **argv);

/* hub --version's text, on stdout. */
void hub_print_version(void);
/* hub --help's text without the global options, on stdout. */
void hub_print_overview(void);
/* Runs a command by name, as if typed after "hub"; 2 if unknown. Used by
 * "hub help COMMAND". */
int hub_run_command(int argc, char **argv);
/* Whether name is a command (for "hub help NAME"). */
int hub_is_command(const char *name);
/* One line of news for the user on stderr ("hub: LINE"), not shown with
 * -q: what a module reports through a callback (fetch_options.notice). */
void hub_notice(const char *line);

#endif
