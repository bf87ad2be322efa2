#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "buf.h"
#include "err.h"
#include "hubdir.h"
#include "util.h"

#define CONFIG_MAX_BYTES (64 * 1024)
#define CONFIG_MAX_LINE 4096

char *config_path(void)
{
	const char *xdg = getenv("XDG_CONFIG_HOME");
	char *base, *path;

	/* As the XDG spec says: an unset or empty variable means the default. */
	if (xdg && *xdg)
		base = path_expand_home(xdg);
	else
		base = path_expand_home("~/.config");
	path = path_join(base, "hub/config");
	free(base);
	return path;
}

static char *trim(char *s)
{
	char *end;
	while (*s == ' ' || *s == '\t')
		s++;
	end = s + strlen(s);
	while (end > s && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\r'))
		*--end = '\0';
	return s;
}

static int parse_line(const char *path, int lineno, char *line, struct config *cfg)
{
	char *eq, *key, *value, **slot;
	unsigned char *p;

	for (p = (unsigned char *)line; *p; p++)
		if (*p < 0x20 && *p != '\t' && *p != '\r')
			return hub_error(HUB_EFAIL, "%s:%d: control character in config", path, lineno);
	line = trim(line);
	if (!*line || *line == '#')
		return HUB_OK;
	eq = strchr(line, '=');
	if (!eq)
		return hub_error(HUB_EFAIL, "%s:%d: expected 'key = value'", path, lineno);
	*eq = '\0';
	key = trim(line);
	value = trim(eq + 1);
	if (!strcmp(key, "dir"))
		slot = &cfg->dir;
	else if (!strcmp(key, "url-rewrite"))
		slot = &cfg->url_rewrite;
	else
		return hub_error(HUB_EFAIL, "%s:%d: unknown key '%.64s'", path, lineno, key);
	if (!*value)
		return hub_error(HUB_EFAIL, "%s:%d: '%s' has no value", path, lineno, key);
	free(*slot);
	*slot = xstrdup(value);
	return HUB_OK;
}

int config_read(const char *path, struct config *out)
{
	struct buf text = BUF_INIT(CONFIG_MAX_BYTES, "config");
	char *line, *next;
	int status, lineno = 0;

	memset(out, 0, sizeof(*out));
	status = read_file(path, &text);
	if (status == HUB_ENOTFOUND) {
		status = HUB_OK;
		goto done;
	}
	if (status)
		goto done;
	if (memchr(text.data, '\0', text.len)) {
		status = hub_error(HUB_EFAIL, "%s: not a text file", path);
		goto done;
	}
	for (line = text.data; line && *line; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		lineno++;
		if (strlen(line) > CONFIG_MAX_LINE) {
			status = hub_error(HUB_EFAIL, "%s:%d: line longer than %d bytes",
					   path, lineno, CONFIG_MAX_LINE);
			goto done;
		}
		if ((status = parse_line(path, lineno, line, out)))
			goto done;
	}
done:
	buf_free(&text);
	if (status)
		config_free(out);
	return status;
}

int config_write(const char *path, const struct config *cfg)
{
	struct buf text = BUF_INIT(CONFIG_MAX_BYTES, "config");
	char *folder = xstrdup(path), *slash = strrchr(folder, '/');
	int status;

	if (slash)
		*slash = '\0';
	if (slash && (status = mkdir_p(folder, 0777)))
		goto done;
	buf_addstr(&text, "# hub's settings; see hub(1). Written by 'hub set-dir'.\n");
	if (cfg->dir)
		buf_addf(&text, "dir = %s\n", cfg->dir);
	if (cfg->url_rewrite)
		buf_addf(&text, "url-rewrite = %s\n", cfg->url_rewrite);
	status = write_file_atomic(path, text.data, text.len, 0666);
done:
	free(folder);
	buf_free(&text);
	return status;
}

void config_free(struct config *cfg)
{
	free(cfg->dir);
	free(cfg->url_rewrite);
	cfg->dir = cfg->url_rewrite = NULL;
}

int hubdir_resolve(const char *option_dir, struct hubdir *out)
{
	struct config cfg;
	const char *torch_home = getenv("TORCH_HOME"), *xdg = getenv("XDG_CACHE_HOME");
	char *raw;
	int status;

	memset(out, 0, sizeof(*out));
	out->config_path = config_path();
	if (option_dir) {
		out->source = HUBDIR_FROM_OPTION;
		out->path = path_absolute(option_dir);
		return HUB_OK;
	}
	if ((status = config_read(out->config_path, &cfg))) {
		hubdir_free(out);
		return status;
	}
	if (cfg.dir) {
		out->source = HUBDIR_FROM_CONFIG;
		out->path = path_absolute(cfg.dir);
		config_free(&cfg);
		return HUB_OK;
	}
	config_free(&cfg);
	/* torch.hub: expanduser(getenv('TORCH_HOME', join(getenv('XDG_CACHE_HOME',
	 * '~/.cache'), 'torch'))) + '/hub'. Set-but-empty values count. */
	if (torch_home) {
		out->source = HUBDIR_FROM_TORCH_HOME;
		raw = path_join(torch_home, "hub");
	} else if (xdg) {
		char *torch = path_join(xdg, "torch");
		out->source = HUBDIR_FROM_XDG_CACHE_HOME;
		raw = path_join(torch, "hub");
		free(torch);
	} else {
		out->source = HUBDIR_FROM_DEFAULT;
		raw = xstrdup("~/.cache/torch/hub");
	}
	out->path = path_absolute(raw);
	free(raw);
	return HUB_OK;
}

const char *hubdir_source_name(enum hubdir_source source)
{
	switch (source) {
	case HUBDIR_FROM_OPTION:
		return "--dir";
	case HUBDIR_FROM_CONFIG:
		return "hub set-dir";
	case HUBDIR_FROM_TORCH_HOME:
		return "TORCH_HOME";
	case HUBDIR_FROM_XDG_CACHE_HOME:
		return "XDG_CACHE_HOME";
	case HUBDIR_FROM_DEFAULT:
		break;
	}
	return "default";
}

void hubdir_free(struct hubdir *dir)
{
	free(dir->path);
	free(dir->config_path);
	dir->path = dir->config_path = NULL;
}

/* Python string literal of s, single-quoted. */
static char *python_quote(const char *s)
{
	struct buf out = BUF_INIT(BUF_NOLIMIT, "string");
	buf_addch(&out, '\'');
	for (; *s; s++) {
		if (*s == '\\' || *s == '\'')
			buf_addch(&out, '\\');
		buf_addch(&out, *s);
	}
	buf_addch(&out, '\'');
	return buf_detach(&out);
}

/* Shell word of s, single-quoted when needed. */
static char *shell_quote(const char *s)
{
	struct buf out = BUF_INIT(BUF_NOLIMIT, "string");
	const char *p;

	for (p = s; *p; p++)
		if (!isalnum((unsigned char)*p) && !strchr("/._-+=:,@%", *p))
			break;
	if (!*p && *s)
		return xstrdup(s);
	buf_addch(&out, '\'');
	for (p = s; *p; p++) {
		if (*p == '\'')
			buf_addstr(&out, "'\\''");
		else
			buf_addch(&out, *p);
	}
	buf_addch(&out, '\'');
	return buf_detach(&out);
}

char *hubdir_python_hint(const char *path)
{
	const char *slash = strrchr(path, '/');
	char *quoted, *hint;

	if (slash && !strcmp(slash + 1, "hub")) {
		char *parent = slash == path ? xstrdup("/") : xstrndup(path, (size_t)(slash - path));
		quoted = shell_quote(parent);
		hint = xasprintf("export TORCH_HOME=%s", quoted);
		free(parent);
	} else {
		quoted = python_quote(path);
		hint = xasprintf("torch.hub.set_dir(%s)", quoted);
	}
	free(quoted);
	return hint;
}
