/*
 * trust.h - torch.hub's trust_repo gate for GitHub repositories.
 *
 * A repository is trusted, as torch.hub decides (torchhub.md section 5), when
 * "<owner>_<name>" is a line of <hub dir>/trusted_list (whitespace around it
 * ignored), or when its cache folder <hub dir>/<owner>_<name>_<ref> exists
 * (torch's rule: whatever was fetched before is trusted), or when the owner
 * is facebookresearch, facebookincubator, pytorch or fairinternal.
 *
 * Callers run the gate before fetching a GitHub SPEC, never for a local
 * directory. Accepting an untrusted repository appends "<owner>_<name>\n" to
 * trusted_list with one O_APPEND write, as torch.hub does, so hub and torch
 * processes adding names at the same time never lose one another's lines.
 * The file is not created until there is a name to put in it.
 *
 * trust_check() is the one function in hub's modules that talks to the
 * user: asking is its job. It asks only when stdin and stderr are both
 * terminals (question on stderr, answer read from stdin); otherwise an
 * untrusted repository is refused with HUB_EUNTRUSTED and a message that
 * names --trust-repo. trust_decide() is the same with the terminal passed
 * in, for tests.
 */
#ifndef HUB_TRUST_H
#define HUB_TRUST_H

/* torch.hub's trust_repo values. */
enum trust_mode {
	TRUST_CHECK,    /* 'check', the default: ask only when not trusted */
	TRUST_YES,      /* True (--trust-repo): trust without asking */
	TRUST_ALWAYS_ASK /* False (--no-trust-repo): ask even when trusted */
};

enum trust_reason {
	TRUST_NOT,      /* none of the rules holds */
	TRUST_BY_LIST,  /* named in trusted_list */
	TRUST_BY_CACHE, /* its cache folder for this ref exists */
	TRUST_BY_OWNER  /* one of torch.hub's trusted owners */
};

/* Where the question goes and the answer comes from. */
struct trust_terminal {
	int in_fd;
	int out_fd;
	int interactive;        /* 0: never ask, refuse instead */
};

/* The option-table entries (opt.h) of every command that may run a
 * repository's code, storing into the command's variables that
 * trust_mode_from_options reads. */
#define TRUST_OPTS(trust_repo, no_trust_repo)                                   \
	{ 0, "trust-repo", OPT_OPTIONAL, &(trust_repo), 0, "check",             \
	  "trust the repository (=check: ask unless trusted, the default)" },   \
	{ 0, "no-trust-repo", OPT_FLAG, &(no_trust_repo), 0, NULL,              \
	  "ask whether to trust it, even when trusted" }

/*
 * Turns a command's options into a mode: trust_repo_option is the value of
 * --trust-repo[=check] (NULL when absent, "" when bare), no_trust_repo is
 * --no-trust-repo. Both at once, or a value other than "check": HUB_EUSAGE.
 */
int trust_mode_from_options(const char *command, const char *trust_repo_option,
			    int no_trust_repo, enum trust_mode *mode);

/*
 * Whether owner/name is trusted without asking, and by which rule. ref is
 * the ref whose cache folder counts; NULL when the SPEC named none: then the
 * folders torch.hub would use for it (_main, then _master) count.
 */
int trust_is_trusted(const char *hub_dir, const char *owner, const char *name,
		     const char *ref, enum trust_reason *reason);

/* Appends "<owner>_<name>\n" to <hub dir>/trusted_list, creating the hub dir
 * and the file when missing. */
int trust_record(const char *hub_dir, const char *owner, const char *name);

/* The gate: HUB_OK to go on (the name recorded when newly trusted),
 * HUB_EUNTRUSTED when refused or answered no, or another status when the
 * hub dir cannot be read or written. */
int trust_decide(const char *hub_dir, const char *owner, const char *name,
		 const char *ref, enum trust_mode mode,
		 const struct trust_terminal *terminal);

/* trust_decide() with the process's terminal: stdin and stderr, asking only
 * when both are terminals. */
int trust_check(const char *hub_dir, const char *owner, const char *name,
		const char *ref, enum trust_mode mode);

/* The gate for SPEC text, as the commands that run code need it before
 * fetching: nothing to check for a local directory SPEC; otherwise the SPEC
 * is parsed and trust_check() runs. A refusal's message starts with
 * "<command>: ". */
int trust_check_spec(const char *command, const char *hub_dir, const char *spec,
		     enum trust_mode mode);

/* torch.hub's question, without a newline; the caller's to free. */
char *trust_question(const char *owner, const char *name);

#endif
