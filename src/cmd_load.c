/*
 * hub load SPEC ENTRY [ARG...] [KEY=VALUE...]: build a model by running
 * ENTRY(*args, **kwargs) in the system Python, as torch.hub.load does.
 *
 * Everything that can go wrong before Python runs (usage, interpreter,
 * trust, fetch) is checked here, in that order, so a typo costs no
 * download; then the process becomes the interpreter and its exit status
 * is hub's.
 */
#include <stdlib.h>
#include <string.h>

#include "bootstrap.h"
#include "err.h"
#include "fetch.h"
#include "hub.h"
#include "hubdir.h"
#include "opt.h"
#include "trust.h"
#include "util.h"

static const char *python_option;
static const char *save_path;
static const char *state_dict_path;
static const char *device;
static const char *trust_repo;
static int no_trust_repo;
static int print_repr;
static int interactive;
static int force_reload;
static int skip_validation;

static const struct opt opts[] = {
	{ 0, "print", OPT_FLAG, &print_repr, 0, NULL, "print the result's full repr instead of a summary" },
	{ 0, "save", OPT_STRING, &save_path, 0, "FILE", "torch.save(result, FILE)" },
	{ 0, "state-dict", OPT_STRING, &state_dict_path, 0, "FILE", "torch.save(result.state_dict(), FILE)" },
	{ 0, "device", OPT_STRING, &device, 0, "DEV", "move the result to DEV first (result.to(DEV))" },
	{ 'i', "interactive", OPT_FLAG, &interactive, 0, NULL, "then stay in Python's REPL with the result as 'model'" },
	{ 0, "python", OPT_STRING, &python_option, 0, "PATH", "the interpreter (default: $HUB_PYTHON, else python3 on PATH)" },
	TRUST_OPTS(trust_repo, no_trust_repo),
	FETCH_OPTS(force_reload, skip_validation),
	{ 0 }
};

static const struct usage usage = {
	"load", "SPEC ENTRY [ARG...] [KEY=VALUE...]",
	"Run ENTRY(*args, **kwargs) from SPEC's hubconf.py in Python, as\n"
	"torch.hub.load does, and print a one-line summary of the result.\n"
	"\n"
	"Each ARG and VALUE is a Python literal when ast.literal_eval accepts it\n"
	"(True, 10, 0.5, (224,224), \"'text'\"), else a string (IMAGENET1K_V1).\n"
	"A word is KEY=VALUE when the text before its first '=' is a Python\n"
	"identifier (not a keyword); other words holding '=' must be quoted\n"
	"Python literals: \"'a=b'\". No positional ARG after a KEY=VALUE.\n"
	"Put '--' before arguments that begin with '-'.\n"
	"\n"
	"GitHub repositories must be trusted first (torch.hub's trust_repo):\n"
	"off a terminal an untrusted one is refused unless --trust-repo is given.\n"
	"The exit status is Python's.\n",
	opts
};

/* opt_parse would call "-1" an unknown option; say what to do instead. */
static int negative_number_before_dashes(int argc, char **argv)
{
	int i;

	for (i = 1; i < argc && strcmp(argv[i], "--"); i++) {
		const char *a = argv[i];
		if (a[0] == '-' && ((a[1] >= '0' && a[1] <= '9') ||
				    (a[1] == '.' && a[2] >= '0' && a[2] <= '9')))
			return hub_error(HUB_EUSAGE, "load: '%s' looks like an option; put arguments "
					 "that begin with '-' after '--' (hub load SPEC ENTRY -- %s)",
					 a, a);
	}
	return HUB_OK;
}

/* FILE for --save/--state-dict: absolute (the entrypoint may chdir), and
 * not a folder. */
static int output_path(const char *option, const char *path, char **out)
{
	*out = NULL;
	if (!path)
		return HUB_OK;
	if (!*path)
		return hub_error(HUB_EUSAGE, "load: %s needs a file name", option);
	if (path_is_dir(path))
		return hub_error(HUB_EUSAGE, "load: %s: '%s' is a directory", option, path);
	*out = path_absolute(path);
	return HUB_OK;
}

int cmd_load(int argc, char **argv)
{
	struct load_request request;
	struct fetch_options fetch;
	struct hubdir hub_dir = { NULL, 0, NULL };
	enum trust_mode mode;
	char *python = NULL, *repo_dir = NULL, *save = NULL, *state_dict = NULL;
	char **python_argv = NULL;
	int n, status;

	if ((status = negative_number_before_dashes(argc, argv)))
		return status;
	n = opt_parse(&usage, argc, argv);
	if (n < 0)
		return opt_status(n);
	if (n < 2)
		return hub_error(HUB_EUSAGE, "load: expected SPEC ENTRY [ARG...] [KEY=VALUE...] "
				 "(see 'hub load --help')");
	if (!*argv[2])
		return hub_error(HUB_EUSAGE, "load: the ENTRY name is empty");
	if (print_repr && hub_globals.json)
		return hub_error(HUB_EUSAGE, "load: --print and --json choose different outputs");
	if ((status = bootstrap_check_words("load", argv + 3, n - 2)) ||
	    (status = trust_mode_from_options("load", trust_repo, no_trust_repo, &mode)) ||
	    (status = output_path("--save", save_path, &save)) ||
	    (status = output_path("--state-dict", state_dict_path, &state_dict)))
		goto done;
	if (device && !*device) {
		status = hub_error(HUB_EUSAGE, "load: --device needs a device name (cpu, cuda, cuda:1...)");
		goto done;
	}
	if ((status = python_find("load", python_option, &python)) ||
	    (status = hubdir_resolve(hub_globals.dir, &hub_dir)))
		goto done;
	if ((status = trust_check_spec("load", hub_dir.path, argv[1], mode)))
		goto done;

	fetch_options_init(&fetch);
	fetch.force_reload = force_reload;
	fetch.skip_validation = skip_validation;
	if ((status = fetch_spec_dir(argv[1], &fetch, &repo_dir, NULL)))
		goto done;

	memset(&request, 0, sizeof(request));
	request.hub_dir = hub_dir.path;
	request.repo_dir = repo_dir;
	request.entry = argv[2];
	request.show = print_repr ? LOAD_SHOW_PRINT : hub_globals.json ? LOAD_SHOW_JSON : LOAD_SHOW_SUMMARY;
	request.save_path = save;
	request.state_dict_path = state_dict;
	request.device = device;
	request.interactive = interactive;
	request.words = argv + 3;
	request.word_count = n - 2;
	python_argv = bootstrap_load_argv(python, &request);
	hub_log("load: running %s on %s, entry %s", python, repo_dir, argv[2]);
	status = python_exec(python_argv);
done:
	free(python_argv);
	free(python);
	free(repo_dir);
	free(save);
	free(state_dict);
	hubdir_free(&hub_dir);
	return status;
}
