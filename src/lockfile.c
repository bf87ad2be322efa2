/*
 * lockfile.c - read and write hub's lock file. See lockfile.h.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "buf.h"
#include "err.h"
#include "lockfile.h"
#include "spec.h"
#include "util.h"

#define LOCKFILE_MAX ((size_t)64 << 20)

static int compare_names(const void *a, const void *b)
{
	const cJSON *x = *(const cJSON *const *)a, *y = *(const cJSON *const *)b;
	return strcmp(x->string ? x->string : "", y->string ? y->string : "");
}

/* Sorts the members of every object under item by key, in place. */
static void sort_keys(cJSON *item)
{
	cJSON **members, *child;
	size_t count = 0, i;

	if (!cJSON_IsObject(item) && !cJSON_IsArray(item))
		return;
	for (child = item->child; child; child = child->next) {
		sort_keys(child);
		count++;
	}
	if (!cJSON_IsObject(item) || count < 2)
		return;
	members = xcalloc(count, sizeof(*members));
	for (i = 0, child = item->child; child; child = child->next)
		members[i++] = child;
	qsort(members, count, sizeof(*members), compare_names);
	for (i = 0; i < count; i++) {
		members[i]->prev = i ? members[i - 1] : members[count - 1];
		members[i]->next = i + 1 < count ? members[i + 1] : NULL;
	}
	item->child = members[0];
	free(members);
}

char *lockfile_print_json(cJSON *root)
{
	struct buf out = BUF_INIT(BUF_NOLIMIT, "json");
	cJSON *member, *element;
	char *text;

	buf_addstr(&out, "{\n");
	for (member = root->child; member; member = member->next) {
		cJSON *key = cJSON_CreateStringReference(member->string);
		text = cJSON_PrintUnformatted(key);
		cJSON_Delete(key);
		buf_addf(&out, "%s: ", text);
		free(text);
		if (cJSON_IsArray(member)) {
			buf_addstr(&out, "[");
			for (element = member->child; element; element = element->next) {
				sort_keys(element);
				text = cJSON_PrintUnformatted(element);
				buf_addf(&out, "\n  %s%s", text, element->next ? "," : "");
				free(text);
			}
			buf_addstr(&out, member->child ? "\n]" : "]");
		} else {
			sort_keys(member);
			text = cJSON_PrintUnformatted(member);
			buf_addstr(&out, text);
			free(text);
		}
		buf_addstr(&out, member->next ? ",\n" : "\n");
	}
	buf_addstr(&out, "}\n");
	return buf_detach(&out);
}

int lockfile_add_repo(struct lockfile *lock, const char *spec_text, const char *commit)
{
	struct spec spec;
	struct lockfile_repo *r;
	int status;

	if ((status = spec_parse(spec_text, &spec)))
		return status;
	if (!spec.ref) {
		spec_free(&spec);
		return hub_error(HUB_EUSAGE, "%s: a lock entry needs a ref", spec_text);
	}
	lock->repos = xrealloc(lock->repos, (lock->n_repos + 1) * sizeof(*lock->repos));
	r = &lock->repos[lock->n_repos++];
	r->spec = spec_display(&spec);
	r->cache_name = spec_cache_name(spec.owner, spec.name, spec.ref);
	r->owner = spec.owner;
	r->name = spec.name;
	r->ref = spec.ref;
	r->commit = xstrdup(commit);
	for (char *p = r->commit; *p; p++)
		if (*p >= 'A' && *p <= 'F')
			*p = (char)(*p - 'A' + 'a');
	return HUB_OK;
}

void lockfile_add_checkpoint(struct lockfile *lock, const char *name, const char *url,
			     long long size, const char *sha256)
{
	struct lockfile_checkpoint *c;

	lock->checkpoints = xrealloc(lock->checkpoints,
				     (lock->n_checkpoints + 1) * sizeof(*lock->checkpoints));
	c = &lock->checkpoints[lock->n_checkpoints++];
	c->name = xstrdup(name);
	c->url = url ? xstrdup(url) : NULL;
	c->size = size;
	snprintf(c->sha256, sizeof(c->sha256), "%s", sha256);
}

static int compare_repos(const void *a, const void *b)
{
	const struct lockfile_repo *x = a, *y = b;
	int c = strcmp(x->spec, y->spec);
	return c ? c : strcmp(x->commit, y->commit);
}

static int compare_checkpoints(const void *a, const void *b)
{
	const struct lockfile_checkpoint *x = a, *y = b;
	return strcmp(x->name, y->name);
}

int lockfile_write(const char *path, struct lockfile *lock)
{
	char *text = lockfile_format(lock);
	int status = write_file_atomic(path, text, strlen(text), 0666);

	free(text);
	return status;
}

char *lockfile_format(struct lockfile *lock)
{
	cJSON *root = cJSON_CreateObject(), *list;
	char *text;
	size_t i;

	qsort(lock->repos, lock->n_repos, sizeof(*lock->repos), compare_repos);
	qsort(lock->checkpoints, lock->n_checkpoints, sizeof(*lock->checkpoints), compare_checkpoints);
	cJSON_AddStringToObject(root, "format", "hub-lock");
	cJSON_AddNumberToObject(root, "version", 1);
	list = cJSON_AddArrayToObject(root, "repositories");
	for (i = 0; i < lock->n_repos; i++) {
		const struct lockfile_repo *r = &lock->repos[i];
		cJSON *item = cJSON_CreateObject();
		cJSON_AddStringToObject(item, "spec", r->spec);
		cJSON_AddStringToObject(item, "owner", r->owner);
		cJSON_AddStringToObject(item, "name", r->name);
		cJSON_AddStringToObject(item, "ref", r->ref);
		cJSON_AddStringToObject(item, "cache_name", r->cache_name);
		cJSON_AddStringToObject(item, "commit", r->commit);
		cJSON_AddItemToArray(list, item);
	}
	list = cJSON_AddArrayToObject(root, "checkpoints");
	for (i = 0; i < lock->n_checkpoints; i++) {
		const struct lockfile_checkpoint *c = &lock->checkpoints[i];
		cJSON *item = cJSON_CreateObject();
		cJSON_AddStringToObject(item, "name", c->name);
		if (c->url)
			cJSON_AddStringToObject(item, "url", c->url);
		cJSON_AddNumberToObject(item, "size", (double)c->size);
		cJSON_AddStringToObject(item, "sha256", c->sha256);
		cJSON_AddItemToArray(list, item);
	}
	text = lockfile_print_json(root);
	cJSON_Delete(root);
	return text;
}

static int all_hex(const char *s, size_t len)
{
	return s && strlen(s) == len && strspn(s, "0123456789abcdefABCDEF") == len;
}

static int bad_entry(const char *path, const char *what, int index, const char *why)
{
	return hub_error(HUB_EINTEGRITY, "%s: %s entry %d: %s", path, what, index + 1, why);
}

static int read_repo(const char *path, int index, const cJSON *item, struct lockfile *out)
{
	const char *spec = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(item, "spec"));
	const char *commit = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(item, "commit"));
	const char *cache_name = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(item, "cache_name"));
	const struct lockfile_repo *r;
	char *message;
	int status;

	if (!spec)
		return bad_entry(path, "repository", index, "no spec");
	if (!all_hex(commit, 40))
		return hub_error(HUB_EINTEGRITY, "%s: %s: the commit is not 40 hex digits ('%s')", path,
				 spec, commit ? commit : "");
	if ((status = lockfile_add_repo(out, spec, commit))) {
		message = xstrdup(hub_error_message());
		hub_error(HUB_EINTEGRITY, "%s: %s", path, message);
		free(message);
		return HUB_EINTEGRITY;
	}
	r = &out->repos[out->n_repos - 1];
	if (cache_name && strcmp(cache_name, r->cache_name))
		return hub_error(HUB_EINTEGRITY, "%s: %s: cache_name '%s' is not the SPEC's folder '%s'",
				 path, spec, cache_name, r->cache_name);
	return HUB_OK;
}

static int read_checkpoint(const char *path, int index, const cJSON *item, struct lockfile *out)
{
	const char *name = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(item, "name"));
	const char *url = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(item, "url"));
	const char *sha = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(item, "sha256"));
	const cJSON *size = cJSON_GetObjectItemCaseSensitive(item, "size");
	char lower[65];
	size_t i;

	if (!name || !*name || strchr(name, '/') || name[0] == '.')
		return bad_entry(path, "checkpoint", index, "no plain file name");
	if (!all_hex(sha, 64))
		return hub_error(HUB_EINTEGRITY, "%s: checkpoint %s: sha256 is not 64 hex digits", path, name);
	if (!cJSON_IsNumber(size) || size->valuedouble < 0)
		return hub_error(HUB_EINTEGRITY, "%s: checkpoint %s: no size", path, name);
	if (url && strncmp(url, "https://", 8) && strncmp(url, "http://", 7))
		return hub_error(HUB_EINTEGRITY, "%s: checkpoint %s: '%s' is not an http(s) URL", path,
				 name, url);
	for (i = 0; i < 64; i++)
		lower[i] = (char)(sha[i] >= 'A' && sha[i] <= 'F' ? sha[i] - 'A' + 'a' : sha[i]);
	lower[64] = '\0';
	lockfile_add_checkpoint(out, name, url, (long long)size->valuedouble, lower);
	return HUB_OK;
}

int lockfile_read(const char *path, struct lockfile *out)
{
	struct buf text = BUF_INIT(LOCKFILE_MAX, "lock file");
	int status;

	memset(out, 0, sizeof(*out));
	if (!(status = read_file(path, &text)))
		status = lockfile_parse(buf_str(&text), text.len, path, out);
	buf_free(&text);
	return status;
}

int lockfile_parse(const char *text, size_t len, const char *path, struct lockfile *out)
{
	cJSON *root = NULL;
	const cJSON *repos, *checkpoints, *item;
	const char *format;
	int status = HUB_OK, index;
	size_t i, j;

	memset(out, 0, sizeof(*out));
	root = cJSON_ParseWithLength(text, len);
	format = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(root, "format"));
	if (!cJSON_IsObject(root) || !format || (strcmp(format, "hub-lock") && strcmp(format, "hub-bundle"))) {
		status = hub_error(HUB_EINTEGRITY, "%s: not a hub lock file (nor a bundle's manifest.json)",
				   path);
		goto done;
	}
	if (cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(root, "version")) != 1) {
		status = hub_error(HUB_EINTEGRITY, "%s: format version %g is not one this hub reads (1)",
				   path, cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(root, "version")));
		goto done;
	}
	repos = cJSON_GetObjectItemCaseSensitive(root, "repositories");
	checkpoints = cJSON_GetObjectItemCaseSensitive(root, "checkpoints");
	if ((repos && !cJSON_IsArray(repos)) || (checkpoints && !cJSON_IsArray(checkpoints))) {
		status = hub_error(HUB_EINTEGRITY, "%s: repositories and checkpoints must be lists", path);
		goto done;
	}
	index = 0;
	cJSON_ArrayForEach(item, repos) {
		if ((status = read_repo(path, index++, item, out)))
			goto done;
	}
	index = 0;
	cJSON_ArrayForEach(item, checkpoints) {
		if ((status = read_checkpoint(path, index++, item, out)))
			goto done;
	}
	for (i = 0; i < out->n_checkpoints; i++)
		for (j = 0; j < i; j++)
			if (!strcmp(out->checkpoints[i].name, out->checkpoints[j].name) &&
			    strcmp(out->checkpoints[i].sha256, out->checkpoints[j].sha256)) {
				status = hub_error(HUB_EINTEGRITY, "%s: checkpoint %s is named twice, with "
						   "two hashes", path, out->checkpoints[i].name);
				goto done;
			}
done:
	if (status)
		lockfile_free(out);
	cJSON_Delete(root);
	return status;
}

void lockfile_free(struct lockfile *lock)
{
	size_t i;

	if (!lock)
		return;
	for (i = 0; i < lock->n_repos; i++) {
		struct lockfile_repo *r = &lock->repos[i];
		free(r->spec);
		free(r->owner);
		free(r->name);
		free(r->ref);
		free(r->cache_name);
		free(r->commit);
	}
	for (i = 0; i < lock->n_checkpoints; i++) {
		free(lock->checkpoints[i].name);
		free(lock->checkpoints[i].url);
	}
	free(lock->repos);
	free(lock->checkpoints);
	memset(lock, 0, sizeof(*lock));
}
