/*
 * bootstrap.h - the Python programs hub hands a repository to, and the
 * interpreter that runs them.
 *
 * Each program is a constant, passed to the interpreter with -c; everything
 * that varies (hub dir, repository folder, entry, arguments) follows it as
 * sys.argv, so no user text is ever pasted into code. The programs do what
 * torch.hub does with source='local' (torchhub.md section 6), with its
 * messages, without calling torch.hub's private functions; when torch is
 * importable they first call torch.hub.set_dir(hub dir), so weights land in
 * <hub dir>/checkpoints. A traceback shows the repository's frames, not the
 * program's; Ctrl-C ends the interpreter quietly, killed by SIGINT (a shell
 * sees 130).
 *
 * Protocols (sys.argv after -c PROGRAM):
 *   load: HUB_DIR REPO_DIR ENTRY SHOW SAVE STATE_DICT DEVICE INTERACTIVE ARG...
 *         SHOW is summary, print or json; SAVE, STATE_DICT, DEVICE are "" when
 *         unused; INTERACTIVE is 0 or 1 (the interpreter then runs with -i).
 *   list: HUB_DIR REPO_DIR
 *         prints torch.hub.list()'s names, one a line, on stdout.
 *   help: HUB_DIR REPO_DIR ENTRY
 *         prints a JSON list of {"name", "signature", "doc"} (signature and
 *         doc may be null): ENTRY's alone after torch.hub.help's checks, or
 *         every entrypoint's when ENTRY is "".
 * Exit statuses of the programs: 0; 1 for an exception (traceback on stderr)
 * and for "Missing dependencies: ..."; 2 for a bad ARG; 5 for "Cannot find
 * callable ENTRY in hubconf"; or whatever the entrypoint passed to
 * sys.exit(). Their own messages are one "hub: ..." line on stderr.
 *
 * Arrays returned here are the caller's to free() (the array only: the
 * strings in it are borrowed from the arguments or static).
 */
#ifndef HUB_BOOTSTRAP_H
#define HUB_BOOTSTRAP_H

#include "buf.h"

const char *bootstrap_load_program(void);
const char *bootstrap_list_program(void);
const char *bootstrap_help_program(void);

enum load_show {
	LOAD_SHOW_SUMMARY,  /* "ResNet: 11,689,512 parameters, torch.float32, cpu" */
	LOAD_SHOW_PRINT,    /* repr(result) */
	LOAD_SHOW_JSON      /* {"type", "module", "parameters", "dtypes", "devices"} */
};

struct load_request {
	const char *hub_dir;
	const char *repo_dir;
	const char *entry;
	enum load_show show;
	const char *save_path;          /* --save FILE, absolute; NULL when unused */
	const char *state_dict_path;    /* --state-dict FILE, absolute; NULL */
	const char *device;             /* --device DEV; NULL */
	int interactive;                /* -i: the REPL afterwards */
	char *const *words;             /* ARG... and KEY=VALUE..., as typed */
	int word_count;
};

/*
 * Checks ARG... [KEY=VALUE...] as the load program will read them, so that
 * a mistake is a usage error before anything is fetched. A word is
 * KEY=VALUE when the text before its first '=' is a Python identifier that
 * is not a keyword; any other word holding '=' must be a Python literal
 * (starting with a quote or a bracket: "'a=b'"). Positional words may not
 * follow KEY=VALUE, and a KEY may not repeat. HUB_EUSAGE with a message
 * starting "command: " otherwise.
 */
int bootstrap_check_words(const char *command, char *const *words, int count);

/* argv for python_exec/python_run: python [-i] -c PROGRAM protocol... */
char **bootstrap_load_argv(const char *python, const struct load_request *request);
char **bootstrap_list_argv(const char *python, const char *hub_dir, const char *repo_dir);
char **bootstrap_help_argv(const char *python, const char *hub_dir, const char *repo_dir,
			   const char *entry);

/*
 * The interpreter: option (--python) if not NULL, else $HUB_PYTHON if set and
 * not empty, else python3 on PATH. A name without '/' is searched on PATH.
 * HUB_ENOTFOUND when there is none, with a message starting "command: ".
 * path_out is the caller's to free.
 */
int python_find(const char *command, const char *option, char **path_out);

/* Replaces the process with argv[0] (stdout and stderr flushed first).
 * Returns only when exec fails: HUB_ENOTFOUND or HUB_EFAIL. */
int python_exec(char *const *argv);

/*
 * Runs argv[0] with stdin and stderr inherited and stdout collected into
 * out (whose cap applies: a longer output kills the child and fails).
 * exit_status is the child's exit status, or 128 + the signal that killed
 * it. Returns HUB_OK whenever the child ran, whatever its status.
 */
int python_run(char *const *argv, struct buf *out, int *exit_status);

/*
 * The hooks for list --exact and help --exact: run the list (help) program
 * on repo_dir with python and collect its stdout in out (names one a line;
 * help's JSON). HUB_OK when Python exited 0; otherwise the program's exit
 * status (see above; 128 + signal when killed) with a message naming it,
 * Python's own traceback having gone to stderr already.
 */
int bootstrap_list_exact(const char *python, const char *hub_dir, const char *repo_dir,
			 struct buf *out);
int bootstrap_help_exact(const char *python, const char *hub_dir, const char *repo_dir,
			 const char *entry, struct buf *out);

#endif
