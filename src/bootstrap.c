/*
 * bootstrap.c - the Python programs behind load and list/help --exact, and
 * running the interpreter.
 *
 * The programs are plain text kept here, so the binary carries them and no
 * file is written at run time. Written for Python 3.6 and later.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bootstrap.h"
#include "buf.h"
#include "err.h"
#include "util.h"

/* What every program shares: importing hubconf.py as torch.hub does,
 * torch's entry checks, and ending the process like Python minus the
 * program's own traceback frames. */
#define PROGRAM_COMMON \
	"import sys\n" \
	"\n" \
	"\n" \
	"class _HubExit(Exception):\n" \
	"    pass\n" \
	"\n" \
	"\n" \
	"def _hub_fail(status, message):\n" \
	"    sys.stderr.write('hub: %s\\n' % message)\n" \
	"    raise _HubExit(status)\n" \
	"\n" \
	"\n" \
	"def _hub_reader_left():\n" \
	"    # hub load ... | head: what is left to print has nowhere to go, which is\n" \
	"    # no failure of the load (and no \"Exception ignored\" at exit).\n" \
	"    import os\n" \
	"    os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())\n" \
	"\n" \
	"\n" \
	"def _hub_print(text):\n" \
	"    try:\n" \
	"        print(text)\n" \
	"        sys.stdout.flush()\n" \
	"    except BrokenPipeError:\n" \
	"        _hub_reader_left()\n" \
	"\n" \
	"\n" \
	"def _hub_trim(error):\n" \
	"    # Drop the frames of this program (and importlib's, when hubconf.py fails\n" \
	"    # to import) from the front of every traceback in the chain, so that what\n" \
	"    # the user reads starts in the repository's code.\n" \
	"    pending, seen = [error], set()\n" \
	"    while pending:\n" \
	"        error = pending.pop()\n" \
	"        if error is None or id(error) in seen:\n" \
	"            continue\n" \
	"        seen.add(id(error))\n" \
	"        tb = error.__traceback__\n" \
	"        while tb is not None and (tb.tb_frame.f_code.co_filename == '<string>' or\n" \
	"                                  tb.tb_frame.f_code.co_filename.startswith('<frozen importlib')):\n" \
	"            tb = tb.tb_next\n" \
	"        error.__traceback__ = tb\n" \
	"        pending += [error.__cause__, error.__context__]\n" \
	"\n" \
	"\n" \
	"def _hub_import(hub_dir, repo_dir):\n" \
	"    # torch.hub._load_local's import, except that the module is registered\n" \
	"    # as 'hubconf' (torch: 'hubconf.py', unregistered) so that objects whose\n" \
	"    # classes live in hubconf.py can be pickled by --save.\n" \
	"    import importlib.util\n" \
	"    import os\n" \
	"    try:\n" \
	"        if hub_dir and importlib.util.find_spec('torch') is not None:\n" \
	"            import torch.hub\n" \
	"            torch.hub.set_dir(hub_dir)\n" \
	"    except Exception:\n" \
	"        pass  # a broken torch: the hubconf that needs it will say so itself\n" \
	"    # -c puts the working directory first; it is not the repository's.\n" \
	"    if sys.path and sys.path[0] == '':\n" \
	"        del sys.path[0]\n" \
	"    sys.path.insert(0, repo_dir)\n" \
	"    spec = importlib.util.spec_from_file_location('hubconf', os.path.join(repo_dir, 'hubconf.py'))\n" \
	"    module = importlib.util.module_from_spec(spec)\n" \
	"    sys.modules['hubconf'] = module\n" \
	"    try:\n" \
	"        spec.loader.exec_module(module)\n" \
	"    except BaseException:\n" \
	"        del sys.modules['hubconf']\n" \
	"        raise\n" \
	"    return module\n" \
	"\n" \
	"\n" \
	"def _hub_entry(module, entry, command):\n" \
	"    # torch.hub._load_entry_from_hubconf, messages included.\n" \
	"    import importlib.util\n" \
	"    dependencies = getattr(module, 'dependencies') if 'dependencies' in dir(module) else None\n" \
	"    if dependencies is not None:\n" \
	"        missing = [name for name in dependencies if importlib.util.find_spec(name) is None]\n" \
	"        if missing:\n" \
	"            _hub_fail(1, '%s: Missing dependencies: %s' % (command, ', '.join(missing)))\n" \
	"    function = getattr(module, entry) if entry in dir(module) else None\n" \
	"    if function is None or not callable(function):\n" \
	"        _hub_fail(5, '%s: Cannot find callable %s in hubconf' % (command, entry))\n" \
	"    return function\n" \
	"\n" \
	"\n" \
	"def _hub_run(main, interactive):\n" \
	"    # Runs main and ends the process the way Python would, minus the\n" \
	"    # program's own frames; with interactive (python -i) a success leaves\n" \
	"    # the user in the REPL and a failure still ends with its status.\n" \
	"    import os\n" \
	"    try:\n" \
	"        status = main()\n" \
	"    except _HubExit as stop:\n" \
	"        status = stop.args[0]\n" \
	"    except KeyboardInterrupt:\n" \
	"        # Quietly, and killed by SIGINT as Python itself ends on Ctrl-C, so a\n" \
	"        # shell sees 130 and a calling script's loop stops.\n" \
	"        import signal\n" \
	"        try:\n" \
	"            sys.stdout.flush()\n" \
	"        except Exception:\n" \
	"            pass\n" \
	"        signal.signal(signal.SIGINT, signal.SIG_DFL)\n" \
	"        os.kill(os.getpid(), signal.SIGINT)\n" \
	"        status = 130\n" \
	"    except SystemExit as stop:\n" \
	"        if not interactive:\n" \
	"            raise\n" \
	"        status = stop.code\n" \
	"        if status is None:\n" \
	"            status = 0\n" \
	"        elif not isinstance(status, int):\n" \
	"            sys.stderr.write('%s\\n' % (status,))\n" \
	"            status = 1\n" \
	"    except BaseException as error:\n" \
	"        _hub_trim(error)\n" \
	"        sys.excepthook(type(error), error, error.__traceback__)\n" \
	"        status = 1\n" \
	"    if interactive and not status:\n" \
	"        for name in [name for name in globals() if name.startswith(('_hub', '_Hub'))]:\n" \
	"            del globals()[name]\n" \
	"        return\n" \
	"    try:\n" \
	"        sys.stdout.flush()\n" \
	"        sys.stderr.flush()\n" \
	"    except BrokenPipeError:\n" \
	"        _hub_reader_left()\n" \
	"    except Exception:\n" \
	"        pass\n" \
	"    if interactive:\n" \
	"        os._exit(status)\n" \
	"    sys.exit(status)\n"

static const char load_program[] = PROGRAM_COMMON
	"\n"
	"\n"
	"def _hub_literal(text):\n"
	"    import ast\n"
	"    try:\n"
	"        return ast.literal_eval(text)\n"
	"    except Exception:\n"
	"        return text\n"
	"\n"
	"\n"
	"def _hub_arguments(words):\n"
	"    # cmd_load.c applies these rules first; here they are applied again with\n"
	"    # Python's own idea of an identifier, which C only approximates beyond\n"
	"    # ASCII.\n"
	"    import ast\n"
	"    import keyword\n"
	"    args, kwargs = [], {}\n"
	"    for word in words:\n"
	"        key, equals, value = word.partition('=')\n"
	"        if equals and key.isidentifier() and not keyword.iskeyword(key):\n"
	"            if key in kwargs:\n"
	"                _hub_fail(2, 'load: keyword argument repeated: %s' % key)\n"
	"            kwargs[key] = _hub_literal(value)\n"
	"            continue\n"
	"        if equals:\n"
	"            try:\n"
	"                ast.literal_eval(word)\n"
	"            except Exception:\n"
	"                _hub_fail(2, \"load: '%s': not KEY=VALUE with KEY a Python identifier, \"\n"
	"                          \"nor a Python literal (quote a string holding '=': \\\"'%s'\\\")\"\n"
	"                          % (word, word))\n"
	"        if kwargs:\n"
	"            _hub_fail(2, \"load: '%s': positional argument follows keyword argument\" % word)\n"
	"        args.append(_hub_literal(word))\n"
	"    return args, kwargs\n"
	"\n"
	"\n"
	"def _hub_describe(result):\n"
	"    # What the one-line summary and --json say about the result.\n"
	"    torch = sys.modules.get('torch')\n"
	"    info = {'type': type(result).__name__, 'module': type(result).__module__}\n"
	"    if torch is not None and isinstance(result, torch.nn.Module):\n"
	"        parameters = list(result.parameters())\n"
	"        info['parameters'] = sum(p.numel() for p in parameters)\n"
	"        info['dtypes'] = sorted({str(p.dtype) for p in parameters})\n"
	"        info['devices'] = sorted({str(p.device) for p in parameters})\n"
	"    elif torch is not None and isinstance(result, torch.Tensor):\n"
	"        info['shape'] = list(result.shape)\n"
	"        info['dtypes'] = [str(result.dtype)]\n"
	"        info['devices'] = [str(result.device)]\n"
	"    return info\n"
	"\n"
	"\n"
	"def _hub_summary(result):\n"
	"    info = _hub_describe(result)\n"
	"    parts = [info['type']]\n"
	"    if 'parameters' in info:\n"
	"        parts[0] += ': %s parameters' % format(info['parameters'], ',')\n"
	"    elif 'shape' in info:\n"
	"        parts[0] += ': shape (%s)' % ', '.join(str(n) for n in info['shape'])\n"
	"    if info.get('dtypes'):\n"
	"        parts += ['/'.join(info['dtypes']), '/'.join(info['devices'])]\n"
	"    return ', '.join(parts)\n"
	"\n"
	"\n"
	"def _hub_save(option, value, path):\n"
	"    # Saved in a fresh folder beside FILE, under FILE's own name (torch\n"
	"    # names the archive's records after it), then renamed over FILE: FILE\n"
	"    # is whole or untouched.\n"
	"    import os\n"
	"    import tempfile\n"
	"    torch = sys.modules.get('torch')\n"
	"    if torch is None:\n"
	"        _hub_fail(1, 'load: %s needs torch, which %s cannot import' % (option, sys.executable))\n"
	"    folder = tempfile.mkdtemp(prefix='.hub-save-', dir=os.path.dirname(path))\n"
	"    temporary = os.path.join(folder, os.path.basename(path))\n"
	"    try:\n"
	"        torch.save(value, temporary)\n"
	"        os.replace(temporary, path)\n"
	"    finally:\n"
	"        if os.path.exists(temporary):\n"
	"            os.unlink(temporary)\n"
	"        os.rmdir(folder)\n"
	"\n"
	"\n"
	"def _hub_load():\n"
	"    hub_dir, repo_dir, entry, show, save, state_dict, device, interactive = sys.argv[1:9]\n"
	"    args, kwargs = _hub_arguments(sys.argv[9:])\n"
	"    del sys.argv[1:]\n"
	"    function = _hub_entry(_hub_import(hub_dir, repo_dir), entry, 'load')\n"
	"    result = function(*args, **kwargs)\n"
	"    if device:\n"
	"        if not callable(getattr(result, 'to', None)):\n"
	"            _hub_fail(1, 'load: --device: a %s has no .to()' % type(result).__name__)\n"
	"        moved = result.to(device)\n"
	"        if moved is not None:\n"
	"            result = moved\n"
	"    if save:\n"
	"        _hub_save('--save', result, save)\n"
	"    if state_dict:\n"
	"        if not callable(getattr(result, 'state_dict', None)):\n"
	"            _hub_fail(1, 'load: --state-dict: a %s has no state_dict()' % type(result).__name__)\n"
	"        _hub_save('--state-dict', result.state_dict(), state_dict)\n"
	"    if show == 'print':\n"
	"        _hub_print(repr(result))\n"
	"    elif show == 'json':\n"
	"        import json\n"
	"        _hub_print(json.dumps(_hub_describe(result)))\n"
	"    else:\n"
	"        _hub_print(_hub_summary(result))\n"
	"    if interactive == '1':\n"
	"        import __main__\n"
	"        __main__.model = result\n"
	"        if 'torch' in sys.modules:\n"
	"            __main__.torch = sys.modules['torch']\n"
	"        if sys.stdin.isatty():\n"
	"            sys.stderr.write(\"hub: 'model' is the loaded %s; Ctrl-D leaves\\n\" % type(result).__name__)\n"
	"    return 0\n"
	"\n"
	"\n"
	"_hub_run(_hub_load, sys.argv[8:9] == ['1'])\n"
	;

static const char list_program[] = PROGRAM_COMMON
	"\n"
	"\n"
	"def _hub_list():\n"
	"    hub_dir, repo_dir = sys.argv[1:3]\n"
	"    del sys.argv[1:]\n"
	"    module = _hub_import(hub_dir, repo_dir)\n"
	"    # torch.hub.list's expression: no dependency check, dir() order.\n"
	"    for name in [f for f in dir(module) if callable(getattr(module, f)) and not f.startswith('_')]:\n"
	"        _hub_print(name)\n"
	"    return 0\n"
	"\n"
	"\n"
	"_hub_run(_hub_list, False)\n"
	;

static const char help_program[] = PROGRAM_COMMON
	"\n"
	"\n"
	"def _hub_help():\n"
	"    import inspect\n"
	"    import json\n"
	"    hub_dir, repo_dir, entry = sys.argv[1:4]\n"
	"    del sys.argv[1:]\n"
	"    module = _hub_import(hub_dir, repo_dir)\n"
	"    if entry:\n"
	"        names = [entry]\n"
	"        _hub_entry(module, entry, 'help')\n"
	"    else:\n"
	"        names = [f for f in dir(module) if callable(getattr(module, f)) and not f.startswith('_')]\n"
	"    entries = []\n"
	"    for name in names:\n"
	"        function = getattr(module, name)\n"
	"        try:\n"
	"            signature = str(inspect.signature(function))\n"
	"        except (TypeError, ValueError):\n"
	"            signature = None\n"
	"        doc = function.__doc__\n"
	"        entries.append({'name': name, 'signature': signature,\n"
	"                        'doc': doc if isinstance(doc, str) else None})\n"
	"    _hub_print(json.dumps(entries, indent=1))\n"
	"    return 0\n"
	"\n"
	"\n"
	"_hub_run(_hub_help, False)\n"
	;

const char *bootstrap_load_program(void)
{
	return load_program;
}

const char *bootstrap_list_program(void)
{
	return list_program;
}

const char *bootstrap_help_program(void)
{
	return help_program;
}

/* keyword.kwlist of Python 3.7 and later (soft keywords such as match are
 * identifiers). */
static const char *const python_keywords[] = {
	"False", "None", "True", "and", "as", "assert", "async", "await", "break",
	"class", "continue", "def", "del", "elif", "else", "except", "finally",
	"for", "from", "global", "if", "import", "in", "is", "lambda", "nonlocal",
	"not", "or", "pass", "raise", "return", "try", "while", "with", "yield", NULL
};

/* str.isidentifier for ASCII; any byte beyond ASCII is let through, for
 * the program to judge with Python's Unicode tables. */
static int is_identifier(const char *s, size_t len)
{
	size_t i;

	if (!len)
		return 0;
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		int letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c >= 0x80;
		if (!letter && !(i > 0 && c >= '0' && c <= '9'))
			return 0;
	}
	return 1;
}

static int is_keyword(const char *s, size_t len)
{
	int i;

	for (i = 0; python_keywords[i]; i++)
		if (strlen(python_keywords[i]) == len && !memcmp(python_keywords[i], s, len))
			return 1;
	return 0;
}

/* Whether a word holding '=' may be a Python literal: only a string or a
 * container can hold '='. The program runs ast.literal_eval to be sure. */
static int may_be_literal(const char *word)
{
	const char *p = word;

	if (*p && strchr("([{", *p))
		return 1;
	while (p - word < 2 && *p && strchr("rRbBuU", *p))
		p++;
	return *p == '\'' || *p == '"';
}

int bootstrap_check_words(const char *command, char *const *words, int count)
{
	int i, j, keywords = 0;

	for (i = 0; i < count; i++) {
		const char *word = words[i], *equals = strchr(word, '=');
		size_t key_len = equals ? (size_t)(equals - word) : 0;

		if (equals && is_identifier(word, key_len) && !is_keyword(word, key_len)) {
			for (j = 0; j < i; j++)
				if (!strncmp(words[j], word, key_len + 1))
					return hub_error(HUB_EUSAGE, "%s: keyword argument repeated: %.*s",
							 command, (int)key_len, word);
			keywords++;
			continue;
		}
		if (equals && !may_be_literal(word))
			return hub_error(HUB_EUSAGE, "%s: '%s': not KEY=VALUE with KEY a Python identifier, "
					 "nor a Python literal (quote a string holding '=': \"'%s'\")",
					 command, word, word);
		if (keywords)
			return hub_error(HUB_EUSAGE, "%s: '%s': positional argument follows keyword argument",
					 command, word);
	}
	return HUB_OK;
}

char **bootstrap_load_argv(const char *python, const struct load_request *request)
{
	static const char *const shows[] = { "summary", "print", "json" };
	char **argv = xcalloc((size_t)request->word_count + 14, sizeof(*argv));
	int n = 0, i;

	argv[n++] = (char *)python;
	/* python -i runs the REPL after the program, reading commands from
	 * stdin even when it is not a terminal; the program ends the process
	 * itself when the load fails. */
	if (request->interactive)
		argv[n++] = "-i";
	argv[n++] = "-c";
	argv[n++] = (char *)load_program;
	argv[n++] = (char *)request->hub_dir;
	argv[n++] = (char *)request->repo_dir;
	argv[n++] = (char *)request->entry;
	argv[n++] = (char *)shows[request->show];
	argv[n++] = (char *)(request->save_path ? request->save_path : "");
	argv[n++] = (char *)(request->state_dict_path ? request->state_dict_path : "");
	argv[n++] = (char *)(request->device ? request->device : "");
	argv[n++] = request->interactive ? "1" : "0";
	for (i = 0; i < request->word_count; i++)
		argv[n++] = request->words[i];
	argv[n] = NULL;
	return argv;
}

char **bootstrap_list_argv(const char *python, const char *hub_dir, const char *repo_dir)
{
	char **argv = xcalloc(6, sizeof(*argv));

	argv[0] = (char *)python;
	argv[1] = "-c";
	argv[2] = (char *)list_program;
	argv[3] = (char *)hub_dir;
	argv[4] = (char *)repo_dir;
	return argv;
}

char **bootstrap_help_argv(const char *python, const char *hub_dir, const char *repo_dir,
			   const char *entry)
{
	char **argv = xcalloc(7, sizeof(*argv));

	argv[0] = (char *)python;
	argv[1] = "-c";
	argv[2] = (char *)help_program;
	argv[3] = (char *)hub_dir;
	argv[4] = (char *)repo_dir;
	argv[5] = (char *)(entry ? entry : "");
	return argv;
}

static int is_executable_file(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISREG(st.st_mode) && access(path, X_OK) == 0;
}

/* execvp's search: each PATH entry in turn, an empty one meaning the
 * working directory. */
static char *search_path(const char *name)
{
	const char *path = getenv("PATH"), *p, *end;

	if (!path)
		path = "/usr/local/bin:/usr/bin:/bin";
	for (p = path;; p = end + 1) {
		char *dir, *candidate;

		end = strchr(p, ':');
		if (!end)
			end = p + strlen(p);
		dir = end == p ? xstrdup(".") : xstrndup(p, (size_t)(end - p));
		candidate = path_join(dir, name);
		free(dir);
		if (is_executable_file(candidate))
			return candidate;
		free(candidate);
		if (!*end)
			return NULL;
	}
}

int python_find(const char *command, const char *option, char **path_out)
{
	const char *from = "--python", *value = option;

	*path_out = NULL;
	if (!value) {
		from = "HUB_PYTHON";
		value = getenv("HUB_PYTHON");
		if (value && !*value)
			value = NULL;
	}
	if (!value) {
		*path_out = search_path("python3");
		if (!*path_out)
			return hub_error(HUB_ENOTFOUND, "%s: no python3 on PATH (set HUB_PYTHON or --python)",
					 command);
		return HUB_OK;
	}
	if (strchr(value, '/')) {
		if (!is_executable_file(value)) {
			if (access(value, F_OK) == 0)
				errno = EACCES;
			return hub_error_errno(HUB_ENOTFOUND, "%s: %s: cannot run '%s'", command, from, value);
		}
		*path_out = xstrdup(value);
		return HUB_OK;
	}
	*path_out = search_path(value);
	if (!*path_out)
		return hub_error(HUB_ENOTFOUND, "%s: %s: no '%s' on PATH", command, from, value);
	return HUB_OK;
}

int python_exec(char *const *argv)
{
	fflush(stdout);
	fflush(stderr);
	execv(argv[0], argv);
	return hub_error_errno(errno == ENOENT ? HUB_ENOTFOUND : HUB_EFAIL,
			       "cannot run '%s'", argv[0]);
}

static ssize_t read_retrying(int fd, void *data, size_t len)
{
	ssize_t n;

	do
		n = read(fd, data, len);
	while (n < 0 && errno == EINTR);
	return n;
}

int python_run(char *const *argv, struct buf *out, int *exit_status)
{
	/* output carries the child's stdout; report carries its exec failure
	 * (an errno), and closes unread when exec succeeds (O_CLOEXEC). */
	int output[2] = { -1, -1 }, report[2] = { -1, -1 };
	int status = HUB_OK, child_errno = 0, wait_status;
	pid_t pid = -1;
	ssize_t n;
	char chunk[8192];

	*exit_status = -1;
	fflush(stdout);
	fflush(stderr);
	if (pipe2(output, O_CLOEXEC) || pipe2(report, O_CLOEXEC)) {
		status = hub_error_errno(HUB_EFAIL, "cannot run '%s'", argv[0]);
		goto done;
	}
	pid = fork();
	if (pid < 0) {
		status = hub_error_errno(HUB_EFAIL, "cannot run '%s'", argv[0]);
		goto done;
	}
	if (pid == 0) {
		int saved;
		ssize_t ignored;

		if (dup2(output[1], 1) >= 0)
			execv(argv[0], argv);
		saved = errno;
		ignored = write(report[1], &saved, sizeof(saved));
		(void)ignored;
		_exit(127);
	}
	close(output[1]);
	close(report[1]);
	output[1] = report[1] = -1;
	n = read_retrying(report[0], &child_errno, sizeof(child_errno));
	if (n == (ssize_t)sizeof(child_errno)) {
		errno = child_errno;
		status = hub_error_errno(child_errno == ENOENT ? HUB_ENOTFOUND : HUB_EFAIL,
					 "cannot run '%s'", argv[0]);
	}
	while (!status && (n = read_retrying(output[0], chunk, sizeof(chunk))) != 0) {
		if (n < 0) {
			status = hub_error_errno(HUB_EFAIL, "cannot read the output of '%s'", argv[0]);
			break;
		}
		if (buf_add(out, chunk, (size_t)n)) {
			status = hub_error(HUB_EFAIL, "the output of '%s' is larger than %zu bytes",
					   argv[0], out->max);
			break;
		}
	}
	if (status)
		kill(pid, SIGKILL);
	while (waitpid(pid, &wait_status, 0) < 0) {
		if (errno != EINTR) {
			if (!status)
				status = hub_error_errno(HUB_EFAIL, "cannot wait for '%s'", argv[0]);
			goto done;
		}
	}
	if (WIFEXITED(wait_status))
		*exit_status = WEXITSTATUS(wait_status);
	else if (WIFSIGNALED(wait_status))
		*exit_status = 128 + WTERMSIG(wait_status);
done:
	if (output[0] >= 0)
		close(output[0]);
	if (output[1] >= 0)
		close(output[1]);
	if (report[0] >= 0)
		close(report[0]);
	if (report[1] >= 0)
		close(report[1]);
	return status;
}

/* Runs a --exact program; a failing Python becomes hub's status. */
static int run_exact(const char *command, char **argv, struct buf *out)
{
	const char *python = argv[0];
	int exit_status, status = python_run(argv, out, &exit_status);

	free(argv);
	if (status)
		return status;
	if (exit_status == 0)
		return HUB_OK;
	if (exit_status > 128)
		return hub_error(exit_status, "%s: python was killed by signal %d", command,
				 exit_status - 128);
	/* The program's own "hub: ..." line or Python's traceback is on stderr;
	 * this names the interpreter that said it. */
	return hub_error(exit_status, "%s: '%s' exited with status %d", command,
			 python, exit_status);
}

int bootstrap_list_exact(const char *python, const char *hub_dir, const char *repo_dir,
			 struct buf *out)
{
	return run_exact("list", bootstrap_list_argv(python, hub_dir, repo_dir), out);
}

int bootstrap_help_exact(const char *python, const char *hub_dir, const char *repo_dir,
			 const char *entry, struct buf *out)
{
	return run_exact("help", bootstrap_help_argv(python, hub_dir, repo_dir, entry), out);
}
