/*
 * cmd_list_cache.c - `hub list` without a SPEC: print cache.c's inventory.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cjson/cJSON.h>

#include "cache.h"
#include "cmd_list_cache.h"
#include "err.h"
#include "hubdir.h"
#include "opt.h"
#include "util.h"

static void local_time(time_t t, char *out, size_t size)
{
	struct tm tm;

	if (!t || !localtime_r(&t, &tm) || !strftime(out, size, "%Y-%m-%d %H:%M", &tm))
		snprintf(out, size, "-");
}

static void utc_time(time_t t, char *out, size_t size)
{
	struct tm tm;

	if (!t || !gmtime_r(&t, &tm) || !strftime(out, size, "%Y-%m-%dT%H:%M:%SZ", &tm))
		snprintf(out, size, "-");
}

struct group {
	size_t count;
	unsigned long long bytes;
	int width;      /* of the first column */
};

static void tally(const struct cache *cache, struct group groups[3])
{
	size_t i;

	memset(groups, 0, 3 * sizeof(*groups));
	for (i = 0; i < cache->count; i++) {
		const struct cache_entry *entry = &cache->entries[i];
		struct group *group = &groups[entry->kind];
		char *label = entry->kind == CACHE_REPOSITORY ? cache_entry_spec(entry)
			: xstrdup(entry->kind == CACHE_CHECKPOINT ? entry->name : entry->relpath);
		int len = (int)strlen(label);

		group->count++;
		group->bytes += entry->bytes;
		if (len > group->width)
			group->width = len;
		free(label);
	}
}

static void print_heading(const char *title, const struct group *group)
{
	char size[32];

	cache_human_size(group->bytes, size, sizeof(size));
	printf("%s (%zu, %s):\n", title, group->count, size);
}

static void print_text(const struct cache *cache)
{
	struct group groups[3];
	enum cache_kind shown = CACHE_LEFTOVER;
	unsigned long long total;
	char size[32], when[32];
	size_t i;
	int first = 1;

	tally(cache, groups);
	for (i = 0; i < cache->count; i++) {
		const struct cache_entry *entry = &cache->entries[i];
		const struct group *group = &groups[entry->kind];
		char *spec;

		if (first || entry->kind != shown) {
			static const char *const titles[] = {
				"repositories", "checkpoints", "partial downloads and leftovers"
			};
			print_heading(titles[entry->kind], group);
			shown = entry->kind;
			first = 0;
		}
		cache_human_size(entry->bytes, size, sizeof(size));
		switch (entry->kind) {
		case CACHE_REPOSITORY:
			spec = cache_entry_spec(entry);
			local_time(entry->fetched, when, sizeof(when));
			printf("  %-*s  %-12.12s  %10s  %s  %s\n", group->width, spec,
			       entry->commit ? entry->commit : "-", size, when,
			       entry->by_hub ? "hub" : "torch.hub");
			free(spec);
			break;
		case CACHE_CHECKPOINT:
			local_time(entry->mtime, when, sizeof(when));
			printf("  %-*s  %10s  %s  %s\n", group->width, entry->name, size, when,
			       entry->by_hub ? "hub" : "torch.hub");
			break;
		case CACHE_LEFTOVER:
			local_time(entry->mtime, when, sizeof(when));
			printf("  %-*s  %10s  %s  %s\n", group->width, entry->relpath, size, when,
			       cache_leftover_name(entry->leftover));
			break;
		}
	}
	total = groups[0].bytes + groups[1].bytes + groups[2].bytes;
	cache_human_size(total, size, sizeof(size));
	printf("total: %s (%llu bytes) in %zu repositor%s, %zu checkpoint%s, %zu leftover%s\n",
	       size, total, groups[0].count, groups[0].count == 1 ? "y" : "ies",
	       groups[1].count, groups[1].count == 1 ? "" : "s",
	       groups[2].count, groups[2].count == 1 ? "" : "s");
}

static void add_string_or_null(cJSON *object, const char *key, const char *value)
{
	if (value)
		cJSON_AddStringToObject(object, key, value);
	else
		cJSON_AddNullToObject(object, key);
}

static void add_time(cJSON *object, const char *key, time_t t)
{
	char text[32];

	if (!t) {
		cJSON_AddNullToObject(object, key);
		return;
	}
	utc_time(t, text, sizeof(text));
	cJSON_AddStringToObject(object, key, text);
}

static cJSON *entry_json(const struct cache *cache, const struct cache_entry *entry)
{
	cJSON *item = cJSON_CreateObject();
	char *path = path_join(cache->hub_dir, entry->relpath), *spec;

	if (entry->kind == CACHE_REPOSITORY) {
		spec = cache_entry_spec(entry);
		cJSON_AddStringToObject(item, "spec", spec);
		cJSON_AddBoolToObject(item, "exact", entry->exact);
		add_string_or_null(item, "owner", entry->owner);
		add_string_or_null(item, "name", entry->repo);
		add_string_or_null(item, "ref", entry->ref);
		cJSON_AddStringToObject(item, "folder", entry->name);
		add_string_or_null(item, "commit", entry->commit);
		add_time(item, "fetched", entry->fetched);
		cJSON_AddStringToObject(item, "fetched_by", entry->by_hub ? "hub" : "torch.hub");
		free(spec);
	} else {
		cJSON_AddStringToObject(item, "name", entry->kind == CACHE_CHECKPOINT
					? entry->name : entry->relpath);
		if (entry->kind == CACHE_LEFTOVER)
			cJSON_AddStringToObject(item, "kind", cache_leftover_name(entry->leftover));
		else
			cJSON_AddStringToObject(item, "fetched_by", entry->by_hub ? "hub" : "torch.hub");
	}
	cJSON_AddStringToObject(item, "path", path);
	cJSON_AddNumberToObject(item, "bytes", (double)entry->bytes);
	add_time(item, "modified", entry->mtime);
	cJSON_AddBoolToObject(item, "symlink", entry->is_link);
	free(path);
	return item;
}

static cJSON *total_json(const struct group *group)
{
	cJSON *item = cJSON_CreateObject();
	cJSON_AddNumberToObject(item, "count", (double)group->count);
	cJSON_AddNumberToObject(item, "bytes", (double)group->bytes);
	return item;
}

static int print_json(const struct cache *cache)
{
	cJSON *root = cJSON_CreateObject(), *lists[3], *totals, *trusted;
	static const char *const keys[] = { "repositories", "checkpoints", "partial" };
	struct group groups[3];
	char *text;
	size_t i;

	tally(cache, groups);
	cJSON_AddStringToObject(root, "hub_dir", cache->hub_dir);
	for (i = 0; i < 3; i++)
		lists[i] = cJSON_AddArrayToObject(root, keys[i]);
	for (i = 0; i < cache->count; i++)
		cJSON_AddItemToArray(lists[cache->entries[i].kind],
				     entry_json(cache, &cache->entries[i]));
	trusted = cJSON_AddArrayToObject(root, "trusted");
	for (i = 0; i < cache->trusted_count; i++)
		cJSON_AddItemToArray(trusted, cJSON_CreateString(cache->trusted[i]));
	totals = cJSON_AddObjectToObject(root, "totals");
	for (i = 0; i < 3; i++)
		cJSON_AddItemToObject(totals, keys[i], total_json(&groups[i]));
	cJSON_AddNumberToObject(totals, "bytes",
				(double)(groups[0].bytes + groups[1].bytes + groups[2].bytes));
	text = cJSON_Print(root);
	printf("%s\n", text);
	free(text);
	cJSON_Delete(root);
	return HUB_OK;
}

int cache_print_listing(const char *hub_dir, int json)
{
	struct cache cache;
	int status = cache_scan(hub_dir, &cache);

	if (status)
		goto done;
	if (json)
		print_json(&cache);
	else
		print_text(&cache);
	if (cache.checkpoints_linked && !hub_globals.quiet)
		fprintf(stderr, "hub: note: %s/checkpoints is a symlink; hub does not look "
			"behind it\n", cache.hub_dir);
done:
	cache_free(&cache);
	return status;
}

int cache_list_command(void)
{
	struct hubdir dir;
	int status = hubdir_resolve(hub_globals.dir, &dir);

	if (!status)
		status = cache_print_listing(dir.path, hub_globals.json);
	hubdir_free(&dir);
	return status;
}
