/*
 * trust.c - torch.hub's trust_repo gate.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"
#include "err.h"
#include "spec.h"
#include "trust.h"
#include "util.h"

/* torch.hub's _TRUSTED_REPO_OWNERS: exact, case-sensitive. */
static const char *const trusted_owners[] = {
	"facebookresearch", "facebookincubator", "pytorch", "fairinternal", NULL
};

/* A trusted_list far larger than any real one is damage, not data. */
#define TRUSTED_LIST_MAX (16u << 20)
/* Longer answers than this are unrecognized anyway. */
#define ANSWER_MAX 256

int trust_mode_from_options(const char *command, const char *trust_repo_option,
			    int no_trust_repo, enum trust_mode *mode)
{
	*mode = TRUST_CHECK;
	if (trust_repo_option && no_trust_repo)
		return hub_error(HUB_EUSAGE, "%s: --trust-repo and --no-trust-repo contradict each other",
				 command);
	if (no_trust_repo) {
		*mode = TRUST_ALWAYS_ASK;
		return HUB_OK;
	}
	if (!trust_repo_option)
		return HUB_OK;
	if (!*trust_repo_option) {
		*mode = TRUST_YES;
		return HUB_OK;
	}
	if (!strcmp(trust_repo_option, "check"))
		return HUB_OK;
	return hub_error(HUB_EUSAGE, "%s: --trust-repo takes no value or 'check', not '%s'",
			 command, trust_repo_option);
}

static int is_space(int c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

/* Whether want is a line of text once the line is stripped, as torch's
 * tuple(line.strip() for line in file) sees it. */
static int list_has(const char *text, size_t len, const char *want)
{
	size_t want_len = strlen(want);
	const char *p = text, *end = text + len;

	while (p < end) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));
		const char *line_end = eol ? eol : end;
		const char *a = p, *b = line_end;

		while (a < b && is_space((unsigned char)*a))
			a++;
		while (b > a && is_space((unsigned char)b[-1]))
			b--;
		if ((size_t)(b - a) == want_len && !memcmp(a, want, want_len))
			return 1;
		p = eol ? eol + 1 : end;
	}
	return 0;
}

static int cache_folder_exists(const char *hub_dir, const char *owner, const char *name,
			       const char *ref)
{
	struct buf folder = BUF_INIT(BUF_NOLIMIT, "path");
	char *path;
	const char *p;
	int exists;

	buf_addf(&folder, "%s_%s_", owner, name);
	for (p = ref; *p; p++)
		buf_addch(&folder, *p == '/' ? '_' : *p);
	path = path_join(hub_dir, buf_str(&folder));
	/* os.walk lists symlinks to folders among the folders: stat, not lstat. */
	exists = path_is_dir(path);
	free(path);
	buf_free(&folder);
	return exists;
}

int trust_is_trusted(const char *hub_dir, const char *owner, const char *name,
		     const char *ref, enum trust_reason *reason)
{
	struct buf list = BUF_INIT(TRUSTED_LIST_MAX, "trusted_list");
	char *path = path_join(hub_dir, "trusted_list");
	char *owner_name = xasprintf("%s_%s", owner, name);
	int status = HUB_OK, i;

	*reason = TRUST_NOT;
	status = read_file(path, &list);
	if (status == HUB_ENOTFOUND) {
		/* torch touches an empty one here; a missing list trusts nothing. */
		hub_error_clear();
		status = HUB_OK;
	} else if (status) {
		goto done;
	}
	if (list_has(buf_str(&list), list.len, owner_name)) {
		*reason = TRUST_BY_LIST;
		goto done;
	}
	/* Without a ref torch.hub asks GitHub's web site for main, else master,
	 * and its cache folder carries that name. */
	if (ref ? cache_folder_exists(hub_dir, owner, name, ref)
		: cache_folder_exists(hub_dir, owner, name, "main") ||
		  cache_folder_exists(hub_dir, owner, name, "master")) {
		*reason = TRUST_BY_CACHE;
		goto done;
	}
	for (i = 0; trusted_owners[i]; i++) {
		if (!strcmp(owner, trusted_owners[i])) {
			*reason = TRUST_BY_OWNER;
			goto done;
		}
	}
done:
	buf_free(&list);
	free(path);
	free(owner_name);
	return status;
}

int trust_record(const char *hub_dir, const char *owner, const char *name)
{
	char *path = path_join(hub_dir, "trusted_list");
	char *line = NULL;
	struct stat st;
	char last = '\n';
	int fd = -1, status;

	if ((status = mkdir_p(hub_dir, 0777)))
		goto done;
	/* Appending, as torch does, rather than rewriting the file: a rename
	 * would drop the lines other hub or torch processes append meanwhile. */
	fd = open(path, O_RDWR | O_APPEND | O_CREAT | O_CLOEXEC, 0666);
	if (fd < 0) {
		status = hub_error_errno(HUB_EFAIL, "cannot write '%s'", path);
		goto done;
	}
	/* A last line without its newline (edited by hand) would otherwise be
	 * glued to ours, and both names lost. */
	if (fstat(fd, &st) == 0 && st.st_size > 0 && pread(fd, &last, 1, st.st_size - 1) != 1)
		last = '\n';
	line = xasprintf("%s%s_%s\n", last == '\n' ? "" : "\n", owner, name);
	/* One write: O_APPEND keeps concurrent writers' lines whole. */
	if (write_all(fd, line, strlen(line))) {
		status = hub_error_errno(HUB_EFAIL, "cannot write '%s'", path);
		goto done;
	}
	if (close(fd)) {
		fd = -1;
		status = hub_error_errno(HUB_EFAIL, "cannot write '%s'", path);
		goto done;
	}
	fd = -1;
done:
	if (fd >= 0)
		close(fd);
	free(line);
	free(path);
	return status;
}

char *trust_question(const char *owner, const char *name)
{
	return xasprintf("The repository %s_%s does not belong to the list of trusted "
			 "repositories and as such cannot be downloaded. Do you trust this "
			 "repository and wish to add it to the trusted list of repositories (y/N)?",
			 owner, name);
}

/* Reads one line, without its newline, byte by byte: whatever the user
 * typed after it stays in stdin for the program that runs next. Returns 0
 * at end of file before any byte. */
static int read_answer(int fd, struct buf *answer)
{
	int got_any = 0;

	for (;;) {
		char c;
		ssize_t n = read(fd, &c, 1);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return got_any;
		got_any = 1;
		if (c == '\n')
			return 1;
		/* Past the cap the answer is unrecognized; keep reading to the end
		 * of the line so it does not become the next command's input. */
		if (answer->len < ANSWER_MAX)
			buf_addch(answer, c);
	}
}

static void lower_ascii(char *s)
{
	for (; *s; s++)
		if (*s >= 'A' && *s <= 'Z')
			*s = (char)(*s - 'A' + 'a');
}

/* Asks torch.hub's question; HUB_OK when the answer is yes. */
static int ask(const char *owner, const char *name, int already_trusted,
	       const struct trust_terminal *terminal)
{
	struct buf answer = BUF_INIT(ANSWER_MAX + 1, "answer");
	char *torch_question = trust_question(owner, name), *question, *text = NULL;
	int status = HUB_OK, got;

	/* A space after torch's "(y/N)?" keeps the answer off the question;
	 * one write, so that nothing comes between them. */
	question = xasprintf("%s ", torch_question);
	if (write_all(terminal->out_fd, question, strlen(question))) {
		status = hub_error_errno(HUB_EFAIL, "cannot ask whether to trust %s/%s", owner, name);
		goto done;
	}
	got = read_answer(terminal->in_fd, &answer);
	text = xstrdup(buf_str(&answer));
	lower_ascii(text);
	if (!got) {
		write_all(terminal->out_fd, "\n", 1);
		status = hub_error(HUB_EUNTRUSTED, "untrusted repository '%s/%s': no answer "
				   "(end of input)", owner, name);
	} else if (!strcmp(text, "y") || !strcmp(text, "yes")) {
		if (already_trusted) {
			const char *note = "The repository is already trusted.\n";
			write_all(terminal->out_fd, note, strlen(note));
		}
	} else if (!strcmp(text, "n") || !strcmp(text, "no") || !*text) {
		status = hub_error(HUB_EUNTRUSTED, "untrusted repository '%s/%s' (answered no)",
				   owner, name);
	} else {
		status = hub_error(HUB_EUNTRUSTED, "untrusted repository '%s/%s': unrecognized "
				   "response '%.64s' (answer y or n)", owner, name, buf_str(&answer));
	}
done:
	buf_free(&answer);
	free(torch_question);
	free(question);
	free(text);
	return status;
}

int trust_decide(const char *hub_dir, const char *owner, const char *name,
		 const char *ref, enum trust_mode mode,
		 const struct trust_terminal *terminal)
{
	enum trust_reason reason;
	int status;

	if ((status = trust_is_trusted(hub_dir, owner, name, ref, &reason)))
		return status;
	if (mode == TRUST_ALWAYS_ASK || (mode == TRUST_CHECK && reason == TRUST_NOT)) {
		if (!terminal->interactive) {
			/* torch.hub would call input() here and die of EOFError in CI;
			 * say what to do instead. */
			if (mode == TRUST_ALWAYS_ASK)
				return hub_error(HUB_EUNTRUSTED, "untrusted repository '%s/%s': "
						 "--no-trust-repo asks every time, and there is no "
						 "terminal to ask on", owner, name);
			return hub_error(HUB_EUNTRUSTED, "untrusted repository '%s/%s': not in "
					 "%s/trusted_list and no terminal to ask on; pass "
					 "--trust-repo to trust it", owner, name, hub_dir);
		}
		if ((status = ask(owner, name, reason != TRUST_NOT, terminal)))
			return status;
	}
	if (reason != TRUST_NOT)
		return HUB_OK;
	return trust_record(hub_dir, owner, name);
}

int trust_check(const char *hub_dir, const char *owner, const char *name,
		const char *ref, enum trust_mode mode)
{
	struct trust_terminal terminal = { 0, 2, isatty(0) && isatty(2) };

	return trust_decide(hub_dir, owner, name, ref, mode, &terminal);
}

int trust_check_spec(const char *command, const char *hub_dir, const char *spec_text,
		     enum trust_mode mode)
{
	struct spec spec;
	char *message;
	int status;

	if (spec_is_local(spec_text))
		return HUB_OK;
	if ((status = spec_parse(spec_text, &spec)))
		return status;
	status = trust_check(hub_dir, spec.owner, spec.name, spec.ref, mode);
	spec_free(&spec);
	if (status) {
		message = xstrdup(hub_error_message());
		hub_error(status, "%s: %s", command, message);
		free(message);
	}
	return status;
}
