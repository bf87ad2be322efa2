/*
 * spec.c - SPEC parsing and torch.hub cache names.
 */
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "spec.h"
#include "util.h"

/* GitHub's own limits: 39 for a user, 100 for a repository; an Enterprise
 * Managed User adds "_shortcode", so owners get some room. */
#define OWNER_MAX 100
#define NAME_MAX_LEN 100
#define REF_MAX 255

static int is_alnum(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

static int is_hex(int c)
{
	return (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F') || (c >= '0' && c <= '9');
}

static int check_owner(const char *spec, const char *owner)
{
	size_t len = strlen(owner), i;

	if (!len)
		return hub_error(HUB_EUSAGE, "'%s': the owner is empty (expected owner/name[:ref])", spec);
	if (len > OWNER_MAX)
		return hub_error(HUB_EUSAGE, "'%.80s...': the owner is longer than %d characters",
				 spec, OWNER_MAX);
	if (owner[0] == '-')
		return hub_error(HUB_EUSAGE, "'%s': an owner cannot start with '-'", spec);
	for (i = 0; i < len; i++)
		if (!is_alnum(owner[i]) && owner[i] != '-' && owner[i] != '_')
			return hub_error(HUB_EUSAGE, "'%s': '%c' cannot appear in an owner "
					 "(letters, digits, '-', '_' only)", spec, owner[i]);
	return HUB_OK;
}

static int check_name(const char *spec, const char *name)
{
	size_t len = strlen(name), i;

	if (!len)
		return hub_error(HUB_EUSAGE, "'%s': the repository name is empty (expected owner/name[:ref])", spec);
	if (len > NAME_MAX_LEN)
		return hub_error(HUB_EUSAGE, "'%.80s...': the repository name is longer than %d characters",
				 spec, NAME_MAX_LEN);
	if (!strcmp(name, ".") || !strcmp(name, ".."))
		return hub_error(HUB_EUSAGE, "'%s': '%s' is not a repository name", spec, name);
	for (i = 0; i < len; i++)
		if (!is_alnum(name[i]) && name[i] != '-' && name[i] != '_' && name[i] != '.')
			return hub_error(HUB_EUSAGE, "'%s': '%c' cannot appear in a repository name "
					 "(letters, digits, '-', '_', '.' only)", spec, name[i]);
	return HUB_OK;
}

int spec_check_ref(const char *what, const char *ref)
{
	size_t len = strlen(ref), i;
	const char *component;

	if (!len)
		return hub_error(HUB_EUSAGE, "'%s': the ref after ':' is empty", what);
	if (len > REF_MAX)
		return hub_error(HUB_EUSAGE, "'%.80s...': the ref is longer than %d characters",
				 what, REF_MAX);
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)ref[i];
		if (c < 0x20 || c == 0x7f)
			return hub_error(HUB_EUSAGE, "'%s': control character in the ref", what);
		if (strchr(" ~^:?*[\\", c))
			return hub_error(HUB_EUSAGE, "'%s': a git ref cannot contain '%c'", what, c);
	}
	if (strstr(ref, ".."))
		return hub_error(HUB_EUSAGE, "'%s': a git ref cannot contain '..'", what);
	if (strstr(ref, "@{") || !strcmp(ref, "@"))
		return hub_error(HUB_EUSAGE, "'%s': a git ref cannot be '@' or contain '@{'", what);
	if (ref[0] == '/' || ref[len - 1] == '/' || strstr(ref, "//"))
		return hub_error(HUB_EUSAGE, "'%s': a git ref cannot start or end with '/' or hold '//'", what);
	if (ref[0] == '-')
		return hub_error(HUB_EUSAGE, "'%s': a git ref cannot start with '-'", what);
	if (ref[len - 1] == '.')
		return hub_error(HUB_EUSAGE, "'%s': a git ref cannot end with '.'", what);
	for (component = ref; component; component = strchr(component, '/')) {
		const char *end;
		size_t n;

		if (*component == '/')
			component++;
		end = strchr(component, '/');
		n = end ? (size_t)(end - component) : strlen(component);
		if (component[0] == '.')
			return hub_error(HUB_EUSAGE, "'%s': a git ref component cannot start with '.'", what);
		if (n >= 5 && !memcmp(component + n - 5, ".lock", 5))
			return hub_error(HUB_EUSAGE, "'%s': a git ref component cannot end with '.lock'", what);
	}
	return HUB_OK;
}

int spec_parse(const char *text, struct spec *out)
{
	const char *colon, *slash, *p;
	char *owner = NULL, *name = NULL, *ref = NULL;
	int status = HUB_OK;

	memset(out, 0, sizeof(*out));
	for (p = text; *p; p++) {
		unsigned char c = (unsigned char)*p;
		if (c == ' ' || c == '\t')
			return hub_error(HUB_EUSAGE, "'%s': a SPEC cannot contain spaces", text);
		if (c < 0x20 || c == 0x7f)
			return hub_error(HUB_EUSAGE, "a SPEC cannot contain control characters");
	}
	if (!*text)
		return hub_error(HUB_EUSAGE, "the SPEC is empty (expected owner/name[:ref])");
	colon = strchr(text, ':');
	if (colon && strchr(colon + 1, ':'))
		return hub_error(HUB_EUSAGE, "'%s': more than one ':' (expected owner/name[:ref])", text);
	slash = strchr(text, '/');
	if (!slash || (colon && slash > colon))
		return hub_error(HUB_EUSAGE, "'%s': expected owner/name[:ref] (no '/' in the repository part, "
				 "and no such local directory)", text);
	p = strchr(slash + 1, '/');
	if (p && (!colon || p < colon))
		return hub_error(HUB_EUSAGE, "'%s': expected owner/name[:ref] (too many '/' before the ref, "
				 "and no such local directory)", text);
	owner = xstrndup(text, (size_t)(slash - text));
	name = colon ? xstrndup(slash + 1, (size_t)(colon - slash - 1)) : xstrdup(slash + 1);
	if ((status = check_owner(text, owner)) || (status = check_name(text, name)))
		goto done;
	if (colon) {
		ref = xstrdup(colon + 1);
		if ((status = spec_check_ref(text, ref)))
			goto done;
	}
	out->owner = owner;
	out->name = name;
	out->ref = ref;
	owner = name = ref = NULL;
done:
	free(owner);
	free(name);
	free(ref);
	return status;
}

void spec_free(struct spec *spec)
{
	if (!spec)
		return;
	free(spec->owner);
	free(spec->name);
	free(spec->ref);
	memset(spec, 0, sizeof(*spec));
}

char *spec_cache_name(const char *owner, const char *name, const char *ref)
{
	char *out = xasprintf("%s_%s_%s", owner, name, ref), *p;

	/* torch.hub's ref.replace('/', '_'), and nothing else. */
	for (p = out + strlen(owner) + strlen(name) + 2; *p; p++)
		if (*p == '/')
			*p = '_';
	return out;
}

char *spec_display(const struct spec *spec)
{
	if (spec->ref)
		return xasprintf("%s/%s:%s", spec->owner, spec->name, spec->ref);
	return xasprintf("%s/%s", spec->owner, spec->name);
}

int spec_ref_is_sha_like(const char *ref)
{
	size_t len = strlen(ref), i;

	if (len < 7 || len > 40)
		return 0;
	for (i = 0; i < len; i++)
		if (!is_hex(ref[i]))
			return 0;
	return 1;
}

int spec_is_local(const char *text)
{
	char *dir, *hubconf;
	int local;

	if (text[0] == '/' || text[0] == '.' || text[0] == '~')
		return 1;
	dir = path_absolute(text);
	hubconf = path_join(dir, "hubconf.py");
	local = path_is_dir(dir) && path_exists(hubconf);
	free(dir);
	free(hubconf);
	return local;
}
