/*
 * hub purge [SPEC|GLOB...] [--checkpoints[=GLOB]] [--partial] [--all]
 *           [--older-than DURATION] [--untrust] [--dry-run]
 *
 * Chooses entries from cache.c's inventory and removes them with
 * cache_remove(), one at a time, each atomically. Every operand is checked
 * before anything is removed, so a typo removes nothing.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cjson/cJSON.h>

#include "cache.h"
#include "err.h"
#include "hub.h"
#include "hubdir.h"
#include "opt.h"
#include "spec.h"
#include "scan.h"
#include "util.h"

static const char *checkpoints;
static const char *older_than;
static int partial, all, untrust, dry_run;

static const struct opt opts[] = {
	{ 0, "checkpoints", OPT_OPTIONAL, &checkpoints, 0, "GLOB", "remove weights in checkpoints/ (all, or those matching GLOB)" },
	{ 0, "partial", OPT_FLAG, &partial, 0, NULL, "remove leftovers of interrupted work (hub's and torch.hub's)" },
	{ 0, "older-than", OPT_STRING, &older_than, 0, "DURATION", "only entries older than DURATION (30d, 12h, 45m, 2w)" },
	{ 0, "all", OPT_FLAG, &all, 0, NULL, "remove every repository, checkpoint and leftover" },
	{ 0, "untrust", OPT_FLAG, &untrust, 0, NULL, "also drop the repositories from trusted_list (with --all: remove it)" },
	{ 'n', "dry-run", OPT_FLAG, &dry_run, 0, NULL, "show what would be removed and the bytes, remove nothing" },
	{ 0 }
};

static const struct usage usage = {
	"purge", "[SPEC|GLOB...]",
	"Remove cached repositories, weights and leftovers from the hub dir.\n"
	"SPEC owner/name:ref removes that ref, owner/name every cached ref of it;\n"
	"a GLOB ('pytorch/*', '*:v1.*') is matched against owner/name:ref and the\n"
	"folder name. --checkpoints=GLOB matches weight file names (a GLOB after a\n"
	"bare --checkpoints is taken as a repository GLOB). --older-than alone\n"
	"applies to everything. trusted_list changes only with --untrust.\n"
	"Entries another hub holds locked are skipped (exit 9). A SPEC or GLOB that\n"
	"matches nothing is an error (exit 5) and nothing is removed.\n",
	opts
};

struct operand {
	const char *text;
	struct spec spec;   /* when not a glob */
	int is_glob;
	int matched;
};

struct report {
	cJSON *json;        /* NULL for text */
	cJSON *removed, *skipped, *untrusted;
	unsigned long long bytes;
	size_t entries, skipped_count, failed;
};

static int is_glob(const char *text)
{
	return strpbrk(text, "*?[") != NULL;
}

static const char *kind_name(const struct cache_entry *entry)
{
	switch (entry->kind) {
	case CACHE_REPOSITORY: return "repository";
	case CACHE_CHECKPOINT: return "checkpoint";
	case CACHE_LEFTOVER: break;
	}
	return cache_leftover_name(entry->leftover);
}

static void report_removed(struct report *report, const struct cache *cache,
			   const struct cache_entry *entry)
{
	char size[32], *spec = NULL;

	report->bytes += entry->bytes;
	report->entries++;
	if (entry->kind == CACHE_REPOSITORY)
		spec = cache_entry_spec(entry);
	if (report->json) {
		cJSON *item = cJSON_CreateObject();
		char *path = path_join(cache->hub_dir, entry->relpath);

		cJSON_AddStringToObject(item, "name", entry->relpath);
		cJSON_AddStringToObject(item, "path", path);
		cJSON_AddStringToObject(item, "kind", kind_name(entry));
		if (spec)
			cJSON_AddStringToObject(item, "spec", spec);
		cJSON_AddNumberToObject(item, "bytes", (double)entry->bytes);
		cJSON_AddItemToArray(report->removed, item);
		free(path);
	} else if (!hub_globals.quiet) {
		cache_human_size(entry->bytes, size, sizeof(size));
		if (spec)
			printf("%s %s (%s, %s)\n", dry_run ? "would remove" : "removed",
			       entry->relpath, spec, size);
		else
			printf("%s %s (%s)\n", dry_run ? "would remove" : "removed",
			       entry->relpath, size);
		fflush(stdout);
	}
	free(spec);
}

/* Skips are messages (stderr, even with -q): the entry stays. */
static void report_skipped(struct report *report, const struct cache_entry *entry)
{
	report->skipped_count++;
	fprintf(stderr, "hub: purge: %s %s\n", dry_run ? "would skip" : "skipped",
		hub_error_message());
	if (report->json) {
		cJSON *item = cJSON_CreateObject();
		cJSON_AddStringToObject(item, "name", entry->relpath);
		cJSON_AddStringToObject(item, "reason", hub_error_message());
		cJSON_AddItemToArray(report->skipped, item);
	}
	hub_error_clear();
}

static void report_untrusted(struct report *report, const char *name)
{
	if (report->json)
		cJSON_AddItemToArray(report->untrusted, cJSON_CreateString(name));
	else if (!hub_globals.quiet)
		printf("%s %s\n", dry_run ? "would untrust" : "untrusted", name);
}

static void report_total(struct report *report)
{
	char size[32], *text;

	if (report->json) {
		cJSON_AddNumberToObject(report->json, "bytes", (double)report->bytes);
		cJSON_AddNumberToObject(report->json, "entries", (double)report->entries);
		text = cJSON_Print(report->json);
		printf("%s\n", text);
		free(text);
		return;
	}
	if (hub_globals.quiet)
		return;
	cache_human_size(report->bytes, size, sizeof(size));
	printf("%s %s (%llu bytes) in %zu entr%s\n", dry_run ? "would free" : "freed",
	       size, report->bytes, report->entries, report->entries == 1 ? "y" : "ies");
}

static int parse_operands(int count, char **argv, struct operand *ops)
{
	int i, status;

	for (i = 0; i < count; i++) {
		ops[i].text = argv[i + 1];
		ops[i].is_glob = is_glob(argv[i + 1]);
		if (ops[i].is_glob)
			continue;
		if ((status = spec_parse(argv[i + 1], &ops[i].spec)))
			return status;
	}
	return HUB_OK;
}

/* The time an entry's age is counted from. */
static time_t entry_time(const struct cache_entry *entry)
{
	return entry->kind == CACHE_REPOSITORY ? entry->fetched : entry->mtime;
}

static void select_entries(const struct cache *cache, struct operand *ops, int count,
			   long long max_age, char *selected, size_t *checkpoint_matches)
{
	int everything = all || (max_age >= 0 && !count && !checkpoints && !partial);
	time_t now = time(NULL);
	size_t i;
	int j;

	*checkpoint_matches = 0;
	for (i = 0; i < cache->count; i++) {
		const struct cache_entry *entry = &cache->entries[i];
		int pick = everything;

		if (entry->kind == CACHE_CHECKPOINT && checkpoints &&
		    (!*checkpoints || cache_entry_matches_glob(entry, checkpoints))) {
			pick = 1;
			++*checkpoint_matches;
		}
		if (entry->kind == CACHE_LEFTOVER && partial)
			pick = 1;
		for (j = 0; j < count && entry->kind == CACHE_REPOSITORY; j++) {
			int match = ops[j].is_glob
				? cache_entry_matches_glob(entry, ops[j].text)
				: cache_entry_matches(entry, ops[j].spec.owner, ops[j].spec.name,
						      ops[j].spec.ref);
			if (match) {
				ops[j].matched = 1;
				pick = 1;
			}
		}
		if (pick && max_age >= 0 && (long long)(now - entry_time(entry)) < max_age)
			pick = 0;
		selected[i] = (char)pick;
	}
}

/* The owner_name lines --untrust drops for the operands. */
static char **untrust_names(const struct cache *cache, const struct operand *ops, int count,
			    const char *selected, size_t *n_out)
{
	char **names = xcalloc(cache->count + (size_t)count + 1, sizeof(*names));
	size_t n = 0, i, k;
	int j;

	for (j = 0; j < count; j++)
		if (!ops[j].is_glob)
			names[n++] = xasprintf("%s_%s", ops[j].spec.owner, ops[j].spec.name);
	for (i = 0; i < cache->count; i++) {
		const struct cache_entry *entry = &cache->entries[i];
		char *name;
		int seen = 0;

		if (!selected[i] || entry->kind != CACHE_REPOSITORY || !entry->owner)
			continue;
		name = xasprintf("%s_%s", entry->owner, entry->repo);
		for (k = 0; k < n && !seen; k++)
			seen = !strcmp(names[k], name);
		if (seen)
			free(name);
		else
			names[n++] = name;
	}
	*n_out = n;
	return names;
}

static int is_trusted(const struct cache *cache, const char *name)
{
	size_t i;
	for (i = 0; i < cache->trusted_count; i++)
		if (!strcmp(cache->trusted[i], name))
			return 1;
	return 0;
}

/* An operand that matched nothing: an error unless --untrust finds its
 * line in trusted_list. Every miss is reported; the status of the last
 * one is returned. */
static int check_operands(const struct cache *cache, const struct operand *ops, int count,
			  size_t checkpoint_matches)
{
	int j, status = HUB_OK;

	for (j = 0; j < count; j++) {
		if (ops[j].matched)
			continue;
		if (untrust && !ops[j].is_glob) {
			char *name = xasprintf("%s_%s", ops[j].spec.owner, ops[j].spec.name);
			int trusted = is_trusted(cache, name);
			free(name);
			if (trusted)
				continue;
		}
		if (status)
			fprintf(stderr, "hub: %s\n", hub_error_message());
		status = hub_error(HUB_ENOTFOUND, "purge: '%s' matches nothing in the cache (%s)%s",
				   ops[j].text, cache->hub_dir,
				   ops[j].is_glob && checkpoints && !*checkpoints
				   ? "; for weights write --checkpoints=GLOB" : "");
	}
	if (!status && checkpoints && *checkpoints && !checkpoint_matches)
		status = hub_error(HUB_ENOTFOUND, "purge: --checkpoints='%s' matches nothing in %s/checkpoints",
				   checkpoints, cache->hub_dir);
	return status;
}

static int run(const char *hub_dir, struct operand *ops, int count, long long max_age)
{
	struct cache cache;
	struct cache_trash trash = { NULL, -1, 0 };
	struct report report;
	char *selected = NULL, **names = NULL;
	size_t i, checkpoint_matches, name_count = 0, dropped;
	int status, failed = HUB_OK;

	memset(&report, 0, sizeof(report));
	if ((status = cache_scan(hub_dir, &cache)))
		goto done;
	selected = xcalloc(cache.count + 1, 1);
	select_entries(&cache, ops, count, max_age, selected, &checkpoint_matches);
	if ((status = check_operands(&cache, ops, count, checkpoint_matches)))
		goto done;
	if (hub_globals.json) {
		report.json = cJSON_CreateObject();
		cJSON_AddStringToObject(report.json, "hub_dir", cache.hub_dir);
		cJSON_AddBoolToObject(report.json, "dry_run", dry_run);
		report.removed = cJSON_AddArrayToObject(report.json, "removed");
		report.skipped = cJSON_AddArrayToObject(report.json, "skipped");
		report.untrusted = cJSON_AddArrayToObject(report.json, "untrusted");
	}
	for (i = 0; i < cache.count; i++) {
		const struct cache_entry *entry = &cache.entries[i];

		if (!selected[i])
			continue;
		if (dry_run) {
			status = cache_entry_check_lock(&cache, entry);
		} else {
			if (!trash.path && (status = cache_trash_open(cache.hub_dir, &trash)))
				goto done;
			status = cache_remove(&cache, &trash, entry);
		}
		if (status == HUB_ELOCKED) {
			report_skipped(&report, entry);
		} else if (status) {
			report.failed++;
			fprintf(stderr, "hub: purge: %s\n", hub_error_message());
			failed = status;
		} else {
			report_removed(&report, &cache, entry);
		}
	}
	status = HUB_OK;
	if (!dry_run && (report.entries || partial))
		scan_prune(cache.hub_dir);
	if (untrust && all && !count) {
		if (cache.has_trusted_list) {
			if (!dry_run && (status = cache_untrust(&cache, NULL, 0, NULL)))
				goto done;
			report_untrusted(&report, "trusted_list");
		}
	} else if (untrust) {
		names = untrust_names(&cache, ops, count, selected, &name_count);
		if (!dry_run && (status = cache_untrust(&cache, (const char *const *)names,
							 name_count, &dropped)))
			goto done;
		for (i = 0; i < name_count; i++)
			if (is_trusted(&cache, names[i]))
				report_untrusted(&report, names[i]);
	}
	report_total(&report);
done:
	if (trash.path) {
		int closed = cache_trash_close(&trash);
		if (closed && !status)
			status = closed;
	}
	if (!status && failed)
		status = hub_error(failed, "purge: %zu entr%s could not be removed", report.failed,
				   report.failed == 1 ? "y" : "ies");
	if (!status && report.skipped_count)
		status = hub_error(HUB_ELOCKED, "purge: %zu entr%s in use by another hub %s left alone",
				   report.skipped_count, report.skipped_count == 1 ? "y" : "ies",
				   report.skipped_count == 1 ? "was" : "were");
	for (i = 0; names && i < name_count; i++)
		free(names[i]);
	free(names);
	cJSON_Delete(report.json);
	free(selected);
	cache_free(&cache);
	return status;
}

int cmd_purge(int argc, char **argv)
{
	struct operand *ops = NULL;
	struct hubdir dir = { NULL, HUBDIR_FROM_DEFAULT, NULL };
	long long max_age = -1;
	int n = opt_parse(&usage, argc, argv), status, i;

	if (n < 0)
		return opt_status(n);
	if (!n && !checkpoints && !partial && !all && !older_than)
		return hub_error(HUB_EUSAGE, "purge: say what to remove: SPEC or GLOB, --checkpoints, "
				 "--partial, --older-than or --all (see 'hub purge --help')");
	if (all && n)
		return hub_error(HUB_EUSAGE, "purge: --all takes no SPEC");
	if (untrust && !n && !all)
		return hub_error(HUB_EUSAGE, "purge: --untrust needs a SPEC or --all");
	if (older_than && (status = cache_parse_duration(older_than, &max_age))) {
		char *why = xstrdup(hub_error_message());
		status = hub_error(status, "purge: --older-than: %s", why);
		free(why);
		return status;
	}
	ops = xcalloc((size_t)n + 1, sizeof(*ops));
	if ((status = parse_operands(n, argv, ops)) ||
	    (status = hubdir_resolve(hub_globals.dir, &dir)))
		goto done;
	status = run(dir.path, ops, n, max_age);
done:
	for (i = 0; i < n; i++)
		spec_free(&ops[i].spec);
	free(ops);
	hubdir_free(&dir);
	return status;
}
