/*
 * cache.c - the inventory of the hub dir, and safe removal. See cache.h.
 *
 * What other modules write under .hub/ (the refs records, lock names, temp
 * and partial folders) is read only through the functions in the "formats"
 * section below, so a change of format there is a change here in one place.
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "cache.h"
#include "err.h"
#include "lock.h"
#include "spec.h"
#include "util.h"

#define RECORD_MAX (64 * 1024)
#define TRUSTED_LIST_MAX (4 * 1024 * 1024)
#define DEPTH_MAX 512

/* ---- formats: names and files the other modules and torch.hub write ---- */

#define HUB_META ".hub"
#define REFS_DIR ".hub/refs"
#define LOCKS_DIR ".hub/locks"
#define TMP_DIR ".hub/tmp"
#define PARTIAL_DIR ".hub/partial"   /* weights.c: NAME.part + NAME.json */
#define WEIGHTS_DIR ".hub/weights"   /* weights.c's manifest: NAME.json */
#define CHECKPOINT_LOCK "checkpoint-" /* weights.c's lock: checkpoint-NAME */
#define TRASH_PREFIX "purge-"
/* fetch.c's protocol for .hub/tmp: a process takes this shared while it
 * creates and flocks a folder there, a cleaner takes it exclusive while it
 * removes folders whose flock it can take. */
#define TMP_GUARD ".hub/locks/tmp.lock"

static int ends_with(const char *s, const char *suffix)
{
	size_t ls = strlen(s), lx = strlen(suffix);
	return ls >= lx && !memcmp(s + ls - lx, suffix, lx);
}

/* Python's NamedTemporaryFile: "tmp" and 8 of [a-z0-9_]. */
static int is_torch_tmp(const char *name)
{
	size_t i;

	if (strlen(name) != 11 || memcmp(name, "tmp", 3))
		return 0;
	for (i = 3; i < 11; i++)
		if (!islower((unsigned char)name[i]) && !isdigit((unsigned char)name[i]) &&
		    name[i] != '_')
			return 0;
	return 1;
}

static int underscores(const char *s)
{
	int n = 0;
	for (; *s; s++)
		n += *s == '_';
	return n;
}

/*
 * GitHub's zipball top folder, "<owner>-<name>-<sha7>", which torch.hub
 * leaves at the top when killed between unzip and rename. torch.hub's own
 * folders always hold two '_' (owner_name_ref), so a name with fewer that
 * looks like this is a leftover.
 */
static int is_extracted_folder(const char *name)
{
	size_t len = strlen(name), i;
	const char *first_dash = strchr(name, '-');

	if (len < 11 || underscores(name) >= 2 || !first_dash || first_dash == name)
		return 0;
	if (name[len - 8] != '-' || first_dash >= name + len - 9)
		return 0;
	for (i = len - 7; i < len; i++)
		if (!isdigit((unsigned char)name[i]) && !(name[i] >= 'a' && name[i] <= 'f'))
			return 0;
	return 1;
}

/* name without suffix, when it ends with it; NULL otherwise. */
static char *strip_suffix(const char *name, const char *suffix)
{
	size_t len = strlen(name), lx = strlen(suffix);

	if (len <= lx || memcmp(name + len - lx, suffix, lx))
		return NULL;
	return xstrndup(name, len - lx);
}

/* The checkpoint a file under .hub/partial/ or .hub/weights/ belongs to. */
static char *checkpoint_of(const struct cache_entry *entry)
{
	char *name = strip_suffix(entry->name, ".json");
	return name ? name : strip_suffix(entry->name, ".part");
}

/* The lock (under .hub/locks/, without ".lock") that hub takes while it
 * writes an entry; NULL for entries only torch.hub writes. */
static char *entry_lock_name(const struct cache_entry *entry)
{
	char *checkpoint, *lock;

	switch (entry->kind) {
	case CACHE_REPOSITORY:
		return xstrdup(entry->name);
	case CACHE_CHECKPOINT:
		return xasprintf(CHECKPOINT_LOCK "%s", entry->name);
	case CACHE_LEFTOVER:
		if (entry->leftover == LEFTOVER_RECORD && !strncmp(entry->relpath, REFS_DIR "/",
								   strlen(REFS_DIR) + 1))
			return xstrdup(entry->name);
		if (entry->leftover != LEFTOVER_RECORD && entry->leftover != LEFTOVER_HUB_PARTIAL)
			break;
		checkpoint = checkpoint_of(entry);
		lock = checkpoint ? xasprintf(CHECKPOINT_LOCK "%s", checkpoint) : NULL;
		free(checkpoint);
		return lock;
	}
	return NULL;
}

/* The record hub keeps beside an entry (.hub/refs/X, .hub/weights/X.json),
 * removed with it; NULL when there is none. */
static char *entry_record_path(const char *hub_dir, const struct cache_entry *entry)
{
	if (entry->kind == CACHE_REPOSITORY)
		return xasprintf("%s/" REFS_DIR "/%s", hub_dir, entry->name);
	if (entry->kind == CACHE_CHECKPOINT)
		return xasprintf("%s/" WEIGHTS_DIR "/%s.json", hub_dir, entry->name);
	return NULL;
}

/* Parses a fetch time: seconds since the epoch or ISO 8601 UTC. */
static time_t parse_time(const char *text)
{
	struct tm tm;
	char *end;
	long long n;

	while (isspace((unsigned char)*text))
		text++;
	n = strtoll(text, &end, 10);
	if (end != text && (!*end || isspace((unsigned char)*end)))
		return (time_t)n;
	memset(&tm, 0, sizeof(tm));
	end = strptime(text, "%Y-%m-%dT%H:%M:%S", &tm);
	if (!end)
		return 0;
	return timegm(&tm);
}

static int is_sha(const char *s)
{
	size_t len = strlen(s), i;
	if (len != 40 && len != 64)
		return 0;
	for (i = 0; i < len; i++)
		if (!isxdigit((unsigned char)s[i]))
			return 0;
	return 1;
}

static void record_set(struct cache_entry *entry, const char *key, const char *value)
{
	struct spec spec;

	if (!strcmp(key, "commit") || !strcmp(key, "sha")) {
		if (is_sha(value)) {
			free(entry->commit);
			entry->commit = xstrdup(value);
		}
	} else if (!strcmp(key, "fetched") || !strcmp(key, "time") || !strcmp(key, "fetched_at")) {
		time_t t = parse_time(value);
		if (t)
			entry->fetched = t;
	} else if (!strcmp(key, "spec")) {
		if (spec_parse(value, &spec) == HUB_OK && spec.ref) {
			free(entry->owner);
			free(entry->repo);
			free(entry->ref);
			entry->owner = spec.owner;
			entry->repo = spec.name;
			entry->ref = spec.ref;
			entry->exact = 2;
			return;
		}
		spec_free(&spec);
		hub_error_clear();
	}
}

/*
 * A .hub/refs record. Read leniently: JSON, "key value" / "key=value" /
 * "key: value" lines, or bare lines (a SHA; a time). A record whose names
 * are missing or disagree with the folder name leaves the names guessed.
 */
static void read_record(const char *hub_dir, struct cache_entry *entry)
{
	char *path = xasprintf("%s/" REFS_DIR "/%s", hub_dir, entry->name);
	struct buf text = BUF_INIT(RECORD_MAX, "record");
	char *line, *next, *names = NULL;
	struct stat st;

	if (lstat(path, &st) || !S_ISREG(st.st_mode) || read_file(path, &text)) {
		hub_error_clear();
		goto done;
	}
	entry->by_hub = 1;
	entry->exact = 0;
	line = text.data ? text.data : "";
	while (isspace((unsigned char)*line))
		line++;
	if (*line == '{') {
		cJSON *root = cJSON_Parse(line), *item;
		const char *keys[] = { "commit", "sha", "fetched", "time", "fetched_at", "spec" };
		size_t i;

		for (i = 0; root && i < sizeof(keys) / sizeof(keys[0]); i++) {
			item = cJSON_GetObjectItemCaseSensitive(root, keys[i]);
			if (cJSON_IsString(item))
				record_set(entry, keys[i], item->valuestring);
			else if (cJSON_IsNumber(item) && keys[i][0] != 's' && keys[i][0] != 'c') {
				char number[32];
				snprintf(number, sizeof(number), "%.0f", item->valuedouble);
				record_set(entry, keys[i], number);
			}
		}
		if (root && !entry->exact) {
			cJSON *o = cJSON_GetObjectItemCaseSensitive(root, "owner");
			cJSON *n = cJSON_GetObjectItemCaseSensitive(root, "name");
			cJSON *r = cJSON_GetObjectItemCaseSensitive(root, "ref");
			if (cJSON_IsString(o) && cJSON_IsString(n) && cJSON_IsString(r))
				names = xasprintf("%s/%s:%s", o->valuestring, n->valuestring,
						  r->valuestring);
		}
		cJSON_Delete(root);
	} else {
		char *owner = NULL, *repo = NULL, *ref = NULL;

		for (; line && *line; line = next) {
			char *key = line, *value;

			next = strchr(line, '\n');
			if (next)
				*next++ = '\0';
			while (isspace((unsigned char)*key))
				key++;
			value = key + strcspn(key, " \t=:");
			if (*value) {
				*value++ = '\0';
				value += strspn(value, " \t=:");
			}
			value[strcspn(value, "\r")] = '\0';
			while (*value && isspace((unsigned char)value[strlen(value) - 1]))
				value[strlen(value) - 1] = '\0';
			if (!*value) {
				/* A bare line: a SHA, or a time. */
				if (is_sha(key))
					record_set(entry, "commit", key);
				else if (*key && parse_time(key))
					record_set(entry, "fetched", key);
			} else if (!strcmp(key, "owner")) {
				owner = value;
			} else if (!strcmp(key, "name") || !strcmp(key, "repo")) {
				repo = value;
			} else if (!strcmp(key, "ref")) {
				ref = value;
			} else {
				record_set(entry, key, value);
			}
		}
		if (!entry->exact && owner && repo && ref)
			names = xasprintf("%s/%s:%s", owner, repo, ref);
	}
	if (names)
		record_set(entry, "spec", names);
	if (entry->exact) {
		/* Trust the names only if they give this very folder back. */
		char *cache_name = spec_cache_name(entry->owner, entry->repo, entry->ref);
		entry->exact = !strcmp(cache_name, entry->name);
		free(cache_name);
	}
done:
	free(names);
	free(path);
	buf_free(&text);
}

/* owner up to the first '_', the name up to the next: torch.hub's key read
 * the likeliest way (GitHub owners hold no '_'; many names and refs do). */
static void guess_names(struct cache_entry *entry)
{
	const char *first = strchr(entry->name, '_'), *second;

	free(entry->owner);
	free(entry->repo);
	free(entry->ref);
	entry->owner = entry->repo = entry->ref = NULL;
	if (!first)
		return;
	second = strchr(first + 1, '_');
	if (!second)
		return;
	entry->owner = xstrndup(entry->name, (size_t)(first - entry->name));
	entry->repo = xstrndup(first + 1, (size_t)(second - first - 1));
	entry->ref = xstrdup(second + 1);
}

/* ---- the inventory ---- */

struct entry_list {
	struct cache_entry *items;
	size_t count, alloc;
};

static unsigned long long usage_at(int dirfd, const char *name, int depth)
{
	struct stat st;
	unsigned long long total;
	struct dirent *item;
	DIR *dir;
	int fd;

	if (fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW))
		return 0;
	total = (unsigned long long)st.st_blocks * 512;
	if (!S_ISDIR(st.st_mode) || depth > DEPTH_MAX)
		return total;
	fd = openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return total;
	dir = fdopendir(fd);
	if (!dir) {
		close(fd);
		return total;
	}
	while ((item = readdir(dir))) {
		if (!strcmp(item->d_name, ".") || !strcmp(item->d_name, ".."))
			continue;
		total += usage_at(fd, item->d_name, depth + 1);
	}
	closedir(dir);
	return total;
}

static struct cache_entry *add_entry(struct entry_list *list, const char *hub_dir,
				     const char *folder, const char *name,
				     enum cache_kind kind, enum cache_leftover leftover)
{
	struct cache_entry *entry;
	struct stat st;
	char *path;

	if (list->count == list->alloc) {
		list->alloc = list->alloc ? list->alloc * 2 : 32;
		list->items = xrealloc(list->items, list->alloc * sizeof(*list->items));
	}
	entry = &list->items[list->count++];
	memset(entry, 0, sizeof(*entry));
	entry->kind = kind;
	entry->leftover = leftover;
	entry->name = xstrdup(name);
	entry->relpath = folder ? xasprintf("%s/%s", folder, name) : xstrdup(name);
	path = path_join(hub_dir, entry->relpath);
	if (!lstat(path, &st)) {
		entry->is_link = S_ISLNK(st.st_mode);
		entry->is_dir = S_ISDIR(st.st_mode);
		entry->mtime = st.st_mtime;
		entry->bytes = usage_at(AT_FDCWD, path, 0);
	}
	free(path);
	return entry;
}

/* Lists a folder's names, or none when it is missing or a symlink (a link
 * could lead out of the hub dir). */
static char **list_folder(const char *path, size_t *count, int *is_link)
{
	struct stat st;
	struct dirent *item;
	char **names = NULL;
	size_t n = 0, alloc = 0;
	DIR *dir;
	int fd;

	*count = 0;
	if (is_link)
		*is_link = 0;
	if (lstat(path, &st))
		return NULL;
	if (S_ISLNK(st.st_mode)) {
		if (is_link)
			*is_link = 1;
		return NULL;
	}
	fd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0 || !(dir = fdopendir(fd))) {
		if (fd >= 0)
			close(fd);
		return NULL;
	}
	while ((item = readdir(dir))) {
		if (!strcmp(item->d_name, ".") || !strcmp(item->d_name, ".."))
			continue;
		if (n == alloc) {
			alloc = alloc ? alloc * 2 : 64;
			names = xrealloc(names, alloc * sizeof(*names));
		}
		names[n++] = xstrdup(item->d_name);
	}
	closedir(dir);
	*count = n;
	return names;
}

static void free_names(char **names, size_t count)
{
	size_t i;
	for (i = 0; i < count; i++)
		free(names[i]);
	free(names);
}

static void scan_top(struct cache *cache, struct entry_list *list)
{
	size_t count, i;
	char **names = list_folder(cache->hub_dir, &count, NULL);

	for (i = 0; i < count; i++) {
		const char *name = names[i];
		char *path = path_join(cache->hub_dir, name);
		struct stat st;
		struct cache_entry *entry;
		char *record;

		if (lstat(path, &st) || !strcmp(name, HUB_META) || !strcmp(name, "checkpoints") ||
		    !strcmp(name, "trusted_list")) {
			free(path);
			continue;
		}
		free(path);
		if (S_ISREG(st.st_mode)) {
			if (is_torch_tmp(name) || !strncmp(name, "trusted_list.tmp.", 17))
				add_entry(list, cache->hub_dir, NULL, name, CACHE_LEFTOVER, LEFTOVER_TMP);
			else if (ends_with(name, ".partial"))
				add_entry(list, cache->hub_dir, NULL, name, CACHE_LEFTOVER, LEFTOVER_PARTIAL);
			else if (ends_with(name, ".zip"))
				add_entry(list, cache->hub_dir, NULL, name, CACHE_LEFTOVER, LEFTOVER_ZIP);
			continue;
		}
		if (!S_ISDIR(st.st_mode) && !S_ISLNK(st.st_mode))
			continue;
		record = xasprintf("%s/" REFS_DIR "/%s", cache->hub_dir, name);
		if (underscores(name) >= 2 || path_exists(record)) {
			entry = add_entry(list, cache->hub_dir, NULL, name, CACHE_REPOSITORY,
					  LEFTOVER_NONE);
			guess_names(entry);
			entry->fetched = entry->mtime;
			read_record(cache->hub_dir, entry);
			if (!entry->exact)
				guess_names(entry);
		} else if (S_ISDIR(st.st_mode) && is_extracted_folder(name)) {
			add_entry(list, cache->hub_dir, NULL, name, CACHE_LEFTOVER, LEFTOVER_EXTRACTED);
		}
		free(record);
	}
	free_names(names, count);
}

static void scan_checkpoints(struct cache *cache, struct entry_list *list)
{
	char *folder = path_join(cache->hub_dir, "checkpoints");
	size_t count, i;
	char **names = list_folder(folder, &count, &cache->checkpoints_linked);

	for (i = 0; i < count; i++) {
		const char *name = names[i];
		if (is_torch_tmp(name))
			add_entry(list, cache->hub_dir, "checkpoints", name, CACHE_LEFTOVER, LEFTOVER_TMP);
		else if (ends_with(name, ".partial"))
			add_entry(list, cache->hub_dir, "checkpoints", name, CACHE_LEFTOVER, LEFTOVER_PARTIAL);
		else {
			struct cache_entry *entry = add_entry(list, cache->hub_dir, "checkpoints", name,
							      CACHE_CHECKPOINT, LEFTOVER_NONE);
			char *record = entry_record_path(cache->hub_dir, entry);
			entry->by_hub = path_exists(record);
			free(record);
		}
	}
	free_names(names, count);
	free(folder);
}

/* Whether the entry a record under folder_name describes still exists. */
static int record_has_entry(const char *hub_dir, const char *folder_name, const char *name)
{
	char *checkpoint = NULL, *path;
	int exists;

	if (!strcmp(folder_name, WEIGHTS_DIR)) {
		checkpoint = strip_suffix(name, ".json");
		if (!checkpoint)
			return 1; /* not a record: not ours to judge */
		path = xasprintf("%s/checkpoints/%s", hub_dir, checkpoint);
	} else {
		path = path_join(hub_dir, name);
	}
	exists = path_exists(path);
	free(checkpoint);
	free(path);
	return exists;
}

static void scan_meta(struct cache *cache, struct entry_list *list,
		      const char *folder_name, enum cache_leftover leftover)
{
	char *folder = path_join(cache->hub_dir, folder_name);
	size_t count, i;
	char **names = list_folder(folder, &count, NULL);

	for (i = 0; i < count; i++) {
		if (leftover == LEFTOVER_RECORD && record_has_entry(cache->hub_dir, folder_name, names[i]))
			continue;
		add_entry(list, cache->hub_dir, folder_name, names[i], CACHE_LEFTOVER, leftover);
	}
	free_names(names, count);
	free(folder);
}

static void read_trusted_list(struct cache *cache)
{
	char *path = path_join(cache->hub_dir, "trusted_list"), *line, *next;
	struct buf text = BUF_INIT(TRUSTED_LIST_MAX, "trusted_list");
	size_t alloc = 0;

	if (!path_exists(path) || read_file(path, &text)) {
		hub_error_clear();
		goto done;
	}
	cache->has_trusted_list = 1;
	for (line = text.data; line && *line; line = next) {
		char *end;

		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		while (isspace((unsigned char)*line))
			line++;
		end = line + strlen(line);
		while (end > line && isspace((unsigned char)end[-1]))
			*--end = '\0';
		if (!*line)
			continue;
		if (cache->trusted_count == alloc) {
			alloc = alloc ? alloc * 2 : 16;
			cache->trusted = xrealloc(cache->trusted, alloc * sizeof(*cache->trusted));
		}
		cache->trusted[cache->trusted_count++] = xstrdup(line);
	}
done:
	buf_free(&text);
	free(path);
}

static int compare_entries(const void *a, const void *b)
{
	const struct cache_entry *x = a, *y = b;
	if (x->kind != y->kind)
		return (int)x->kind - (int)y->kind;
	return strcmp(x->relpath, y->relpath);
}

int cache_scan(const char *hub_dir, struct cache *out)
{
	struct entry_list list = { NULL, 0, 0 };
	struct stat st;

	memset(out, 0, sizeof(*out));
	out->hub_dir = path_absolute(hub_dir);
	if (stat(out->hub_dir, &st)) {
		if (errno == ENOENT)
			return HUB_OK;
		return hub_error_errno(HUB_EFAIL, "cannot read the hub dir '%s'", out->hub_dir);
	}
	if (!S_ISDIR(st.st_mode))
		return hub_error(HUB_EFAIL, "the hub dir '%s' is not a directory", out->hub_dir);
	out->exists = 1;
	scan_top(out, &list);
	scan_checkpoints(out, &list);
	scan_meta(out, &list, TMP_DIR, LEFTOVER_HUB_TMP);
	scan_meta(out, &list, PARTIAL_DIR, LEFTOVER_HUB_PARTIAL);
	scan_meta(out, &list, REFS_DIR, LEFTOVER_RECORD);
	scan_meta(out, &list, WEIGHTS_DIR, LEFTOVER_RECORD);
	read_trusted_list(out);
	if (list.count)
		qsort(list.items, list.count, sizeof(*list.items), compare_entries);
	out->entries = list.items;
	out->count = list.count;
	return HUB_OK;
}

static void entry_free(struct cache_entry *entry)
{
	free(entry->relpath);
	free(entry->name);
	free(entry->owner);
	free(entry->repo);
	free(entry->ref);
	free(entry->commit);
}

void cache_free(struct cache *cache)
{
	size_t i;

	if (!cache)
		return;
	for (i = 0; i < cache->count; i++)
		entry_free(&cache->entries[i]);
	free(cache->entries);
	free_names(cache->trusted, cache->trusted_count);
	free(cache->hub_dir);
	memset(cache, 0, sizeof(*cache));
}

char *cache_entry_spec(const struct cache_entry *entry)
{
	if (entry->kind != CACHE_REPOSITORY || !entry->owner)
		return xstrdup(entry->name);
	return xasprintf("%s/%s:%s", entry->owner, entry->repo, entry->ref);
}

const char *cache_leftover_name(enum cache_leftover leftover)
{
	switch (leftover) {
	case LEFTOVER_NONE: return "";
	case LEFTOVER_ZIP: return "zip";
	case LEFTOVER_TMP: return "tmp";
	case LEFTOVER_PARTIAL: return "partial";
	case LEFTOVER_EXTRACTED: return "extracted";
	case LEFTOVER_HUB_TMP: return "hub-tmp";
	case LEFTOVER_HUB_PARTIAL: return "hub-partial";
	case LEFTOVER_RECORD: return "orphan-record";
	}
	return "";
}

int cache_entry_matches(const struct cache_entry *entry, const char *owner,
			const char *repo, const char *ref)
{
	char *prefix;
	int match;

	if (entry->kind != CACHE_REPOSITORY)
		return 0;
	if (entry->exact)
		return !strcmp(entry->owner, owner) && !strcmp(entry->repo, repo) &&
		       (!ref || !strcmp(entry->ref, ref));
	if (ref) {
		prefix = spec_cache_name(owner, repo, ref);
		match = !strcmp(prefix, entry->name);
	} else {
		prefix = xasprintf("%s_%s_", owner, repo);
		match = !strncmp(prefix, entry->name, strlen(prefix)) &&
			entry->name[strlen(prefix)];
	}
	free(prefix);
	return match;
}

void cache_human_size(unsigned long long bytes, char *out, size_t size)
{
	static const char *const units[] = { "KiB", "MiB", "GiB", "TiB", "PiB" };
	double value = (double)bytes;
	size_t unit = 0;

	if (bytes < 1024) {
		snprintf(out, size, "%llu B", bytes);
		return;
	}
	value /= 1024;
	while (value >= 1024 && unit + 1 < sizeof(units) / sizeof(units[0])) {
		value /= 1024;
		unit++;
	}
	snprintf(out, size, "%.1f %s", value, units[unit]);
}

int cache_entry_matches_glob(const struct cache_entry *entry, const char *pattern)
{
	char *spec;
	int match;

	if (entry->kind == CACHE_CHECKPOINT)
		return !fnmatch(pattern, entry->name, 0);
	if (entry->kind != CACHE_REPOSITORY)
		return 0;
	spec = cache_entry_spec(entry);
	match = !fnmatch(pattern, spec, 0) || !fnmatch(pattern, entry->name, 0);
	free(spec);
	return match;
}

int cache_parse_duration(const char *text, long long *seconds)
{
	static const struct { char unit; long long seconds; } units[] = {
		{ 's', 1 }, { 'm', 60 }, { 'h', 3600 }, { 'd', 86400 }, { 'w', 7 * 86400 }
	};
	const char *p = text;
	long long n = 0;
	size_t i;

	if (!isdigit((unsigned char)*p))
		goto bad;
	for (; isdigit((unsigned char)*p); p++) {
		if (n > 1000000000LL)
			goto bad;
		n = n * 10 + (*p - '0');
	}
	if (!p[0] || p[1])
		goto bad;
	for (i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
		if (*p == units[i].unit) {
			*seconds = n * units[i].seconds;
			return HUB_OK;
		}
	}
bad:
	return hub_error(HUB_EUSAGE, "'%s' is not a duration (a whole number and a unit: "
			 "30d, 12h, 45m, 2w, 90s)", text);
}

/* ---- locks, trash, removal ---- */

/* Opens what the entry's writer flocks: its .hub/locks file, or for hub's
 * temporary folders the folder itself. -1 with errno ENOENT when there is
 * none. create makes a missing lock file, as lock_acquire would. */
static int open_entry_lock(const struct cache *cache, const struct cache_entry *entry,
			   int create, char **path_out)
{
	char *name = entry_lock_name(entry), *path = NULL;
	int fd = -1;

	*path_out = NULL;
	if (name) {
		char *folder = path_join(cache->hub_dir, LOCKS_DIR);
		path = xasprintf("%s/%s.lock", folder, name);
		if (create && mkdir_p(folder, 0777))
			hub_error_clear();
		fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | (create ? O_CREAT : 0), 0666);
		free(folder);
	} else if (entry->leftover == LEFTOVER_HUB_TMP && entry->is_dir) {
		path = path_join(cache->hub_dir, entry->relpath);
		fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);
	} else {
		errno = ENOENT;
	}
	free(name);
	*path_out = path;
	return fd;
}

static int locked_error(const struct cache_entry *entry, const char *lock_path)
{
	return hub_error(HUB_ELOCKED, "%s: in use by another hub process (lock %s)",
			 entry->relpath, lock_path);
}

int cache_entry_check_lock(const struct cache *cache, const struct cache_entry *entry)
{
	char *path;
	int fd = open_entry_lock(cache, entry, 0, &path), status = HUB_OK;

	if (fd >= 0) {
		if (!lock_try_fd(fd))
			status = locked_error(entry, path);
		close(fd);
	}
	free(path);
	return status;
}

/* .hub and .hub/tmp must be real folders: a rename into a link would move
 * the entry out of the hub dir. */
static int check_real_folder(const char *path)
{
	struct stat st;

	if (lstat(path, &st))
		return hub_error_errno(HUB_EFAIL, "cannot use '%s'", path);
	if (!S_ISDIR(st.st_mode))
		return hub_error(HUB_EFAIL, "cannot use '%s': not a directory (a symlink?)", path);
	return HUB_OK;
}

/* Opens and flocks the .hub/tmp guard (LOCK_SH or LOCK_EX, waiting: its
 * holders keep it for a moment only). -1 when it cannot be had. */
static int take_tmp_guard(const char *hub_dir, int how)
{
	char *locks = path_join(hub_dir, LOCKS_DIR), *path = path_join(hub_dir, TMP_GUARD);
	int fd = -1;

	if (mkdir_p(locks, 0777)) {
		hub_error_clear();
		goto done;
	}
	fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0666);
	while (fd >= 0 && flock(fd, how)) {
		if (errno != EINTR) {
			close(fd);
			fd = -1;
		}
	}
done:
	free(locks);
	free(path);
	return fd;
}

int cache_trash_open(const char *hub_dir, struct cache_trash *trash)
{
	char *meta = path_join(hub_dir, HUB_META), *tmp = path_join(hub_dir, TMP_DIR);
	char *template = NULL;
	int status, guard = -1;

	memset(trash, 0, sizeof(*trash));
	trash->fd = -1;
	if ((status = mkdir_p(tmp, 0777)) || (status = check_real_folder(meta)) ||
	    (status = check_real_folder(tmp)))
		goto done;
	/* Between mkdtemp and flock the folder looks abandoned to a cleaner. */
	guard = take_tmp_guard(hub_dir, LOCK_SH);
	template = xasprintf("%s/" TRASH_PREFIX "XXXXXX", tmp);
	if (!mkdtemp(template)) {
		status = hub_error_errno(HUB_EFAIL, "cannot create a folder in '%s'", tmp);
		goto done;
	}
	trash->fd = open(template, O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);
	if (trash->fd < 0 || !lock_try_fd(trash->fd)) {
		status = hub_error_errno(HUB_EFAIL, "cannot lock '%s'", template);
		if (trash->fd >= 0)
			close(trash->fd);
		trash->fd = -1;
		rmdir(template);
		goto done;
	}
	trash->path = template;
	template = NULL;
done:
	if (guard >= 0)
		close(guard);
	free(template);
	free(meta);
	free(tmp);
	return status;
}

int cache_trash_close(struct cache_trash *trash)
{
	int status = HUB_OK;

	if (!trash || !trash->path)
		return HUB_OK;
	status = remove_tree(trash->path);
	if (trash->fd >= 0)
		close(trash->fd); /* drops the flock */
	trash->fd = -1;
	free(trash->path);
	trash->path = NULL;
	return status;
}

/* Renames path into the trash, then deletes it there: whoever looks at the
 * hub dir sees the entry whole or not at all. */
static int move_to_trash(struct cache_trash *trash, const char *path, const char *what,
			 char **moved)
{
	char *target = xasprintf("%s/%u", trash->path, trash->serial++);

	*moved = NULL;
	if (rename(path, target)) {
		int status = errno == ENOENT ? HUB_OK
			: hub_error_errno(HUB_EFAIL, "cannot remove '%s'", what);
		free(target);
		return status;
	}
	*moved = target;
	return HUB_OK;
}

int cache_remove(const struct cache *cache, struct cache_trash *trash,
		 const struct cache_entry *entry)
{
	char *path = path_join(cache->hub_dir, entry->relpath), *lock_path = NULL;
	char *moved = NULL, *record = NULL;
	int status = HUB_OK, fd, guard = -1;

	if (entry->leftover == LEFTOVER_HUB_TMP)
		guard = take_tmp_guard(cache->hub_dir, LOCK_EX);
	fd = open_entry_lock(cache, entry, entry->kind != CACHE_LEFTOVER, &lock_path);
	if (fd >= 0 && !lock_try_fd(fd)) {
		status = locked_error(entry, lock_path);
		goto done;
	}
	if (entry->is_dir) {
		if ((status = move_to_trash(trash, path, entry->relpath, &moved)))
			goto done;
	} else if (unlink(path) && errno != ENOENT) {
		status = hub_error_errno(HUB_EFAIL, "cannot remove '%s'", entry->relpath);
		goto done;
	}
	if ((record = entry_record_path(cache->hub_dir, entry))) {
		/* After the entry: a killed purge leaves at worst a record
		 * without its entry, which --partial removes. */
		if (unlink(record) && errno != ENOENT) {
			status = hub_error_errno(HUB_EFAIL, "cannot remove '%s'", record);
			goto done;
		}
	}
	if (fd >= 0) {
		close(fd);
		fd = -1;
	}
	if (guard >= 0) {
		close(guard);
		guard = -1;
	}
	if (moved)
		status = remove_tree(moved);
done:
	if (fd >= 0)
		close(fd);
	if (guard >= 0)
		close(guard);
	free(path);
	free(lock_path);
	free(moved);
	free(record);
	return status;
}

int cache_untrust(const struct cache *cache, const char *const *names, size_t count,
		  size_t *removed)
{
	char *path = path_join(cache->hub_dir, "trusted_list"), *line, *next;
	struct buf text = BUF_INIT(TRUSTED_LIST_MAX, "trusted_list");
	struct buf kept = BUF_INIT(TRUSTED_LIST_MAX, "trusted_list");
	struct stat st;
	size_t dropped = 0, i;
	int status = HUB_OK;

	if (removed)
		*removed = 0;
	if (lstat(path, &st)) {
		if (errno != ENOENT)
			status = hub_error_errno(HUB_EFAIL, "cannot read '%s'", path);
		goto done;
	}
	if (!names) {
		/* torch.hub touches a missing list back into being, empty. */
		if (unlink(path))
			status = hub_error_errno(HUB_EFAIL, "cannot remove '%s'", path);
		else
			dropped = cache->trusted_count;
		goto done;
	}
	if ((status = read_file(path, &text)))
		goto done;
	for (line = text.data; line && *line; line = next) {
		const char *start = line;
		char *end;
		int drop = 0;

		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		while (isspace((unsigned char)*start))
			start++;
		end = (char *)start + strlen(start);
		while (end > start && isspace((unsigned char)end[-1]))
			end--;
		for (i = 0; i < count && !drop; i++)
			drop = strlen(names[i]) == (size_t)(end - start) &&
			       !memcmp(names[i], start, (size_t)(end - start));
		if (drop) {
			dropped++;
			continue;
		}
		if ((status = buf_addstr(&kept, line)) || (status = buf_addch(&kept, '\n')))
			goto done;
	}
	if (dropped)
		status = write_file_atomic(path, kept.data ? kept.data : "", kept.len,
					   st.st_mode & 07777);
done:
	if (removed && !status)
		*removed = dropped;
	buf_free(&text);
	buf_free(&kept);
	free(path);
	return status;
}
