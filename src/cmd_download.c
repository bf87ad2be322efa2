/*
 * hub download SPEC... | URL... | BUNDLE: fill the cache without running
 * any repository code.
 *
 * Each operand is classified first, so the kinds can grow independently:
 * SPEC (owner/name[:ref] or a local directory) goes to fetch_specs, all
 * SPECs in one batch so their archives download in parallel; URLs (weights)
 * go to weights_download, all in one batch too, into
 * <hub dir>/checkpoints/ as torch.hub's load_state_dict_from_url stores
 * them; --bundle FILE also writes what was fetched into one tar, and a
 * BUNDLE operand imports such a file (bundle.c), without network.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "bundle.h"
#include "err.h"
#include "fetch.h"
#include "http.h"
#include "hub.h"
#include "hubconf.h"
#include "hubconf_print.h"
#include "hubdir.h"
#include "lock.h"
#include "lockfile.h"
#include "opt.h"
#include "pyeval_reach.h"
#include "util.h"
#include "weights.h"

enum operand_kind { OPERAND_SPEC, OPERAND_URL, OPERAND_BUNDLE };

static int force_reload, skip_validation;
static const char *output_file, *file_name, *hash_prefix, *bundle_file, *weights_glob;
static const char *lock_file, *locked_file, *weights_all_glob;
static struct opt_list entries;
static int check_hash, force, jobs, verify, dry_run;

static const struct opt opts[] = {
	FETCH_OPTS(force_reload, skip_validation),
	{ 'o', "output", OPT_STRING, &output_file, 0, "FILE",
	  "write the one URL's file to FILE, not into checkpoints/" },
	{ 0, "file-name", OPT_STRING, &file_name, 0, "NAME",
	  "store the one URL as checkpoints/NAME" },
	{ 0, "hash-prefix", OPT_STRING, &hash_prefix, 0, "HEX",
	  "the SHA-256 of the one URL's file must start with HEX" },
	{ 0, "check-hash", OPT_FLAG, &check_hash, 0, NULL,
	  "check SHA-256 against the -<hex>. in the name (8+ hex digits)" },
	{ 0, "force", OPT_FLAG, &force, 0, NULL,
	  "download weights again even when checkpoints/ has them" },
	{ 'j', "jobs", OPT_INT, &jobs, 0, "N", "transfers at once (default 8)" },
	{ 0, "weights", OPT_OPTIONAL, &weights_glob, 0, "GLOB",
	  "also fetch the weights each SPEC's entrypoints use (matching GLOB)" },
	{ 0, "entry", OPT_MULTI, &entries, 0, "NAME",
	  "only the weights of entrypoint NAME (repeatable; implies --weights)" },
	{ 0, "weights-all", OPT_OPTIONAL, &weights_all_glob, 0, "GLOB",
	  "every weight URL literal in each SPEC's .py files (matching GLOB)" },
	{ 0, "dry-run", OPT_FLAG, &dry_run, 0, NULL,
	  "list the weight files and their sizes (HEAD); download none" },
	{ 0, "bundle", OPT_STRING, &bundle_file, 0, "FILE",
	  "also write what was fetched into FILE, a tar for offline machines" },
	{ 0, "verify", OPT_FLAG, &verify, 0, NULL,
	  "hash checkpoints/ again against the manifest and -<hex>. names" },
	{ 0, "lock", OPT_STRING, &lock_file, 0, "FILE",
	  "also write FILE: each SPEC's commit, each weight's size and SHA-256" },
	{ 0, "locked", OPT_STRING, &locked_file, 0, "FILE",
	  "fetch exactly what FILE pins (no API request), refusing any difference" },
	{ 0 }
};

static const struct usage usage = {
	"download", "SPEC... | URL... | BUNDLE",
	"Fetch each SPEC (owner/name[:ref], or a local directory holding hubconf.py)\n"
	"into the torch.hub cache, <hub dir>/<owner>_<name>_<ref>, exactly where\n"
	"torch.hub.load looks, and print each folder on stdout, one a line, in the\n"
	"order given. Cached SPECs need no network; missing ones download in\n"
	"parallel, each streamed from GitHub's archive straight into its folder.\n"
	"Without a ref, a cached main or master is used, else torch.hub's choice.\n"
	"Concurrent hubs fetching the same SPEC download it once.\n"
	"\n"
	"Each URL goes to <hub dir>/checkpoints/<basename of its path>, where\n"
	"torch.hub.load_state_dict_from_url finds it; its path is printed on stdout.\n"
	"The SHA-256 is computed as the bytes arrive; a file already there is not\n"
	"fetched again (--force does); a download cut short resumes where it\n"
	"stopped, in this run or the next. URLs download in parallel (-j); one\n"
	"failure does not stop the others, and the exit status is the first one's.\n"
	"\n"
	"--weights finds the weights each SPEC's entrypoints can download (every\n"
	"entrypoint, or those named by --entry): from each entrypoint's definition it\n"
	"follows what the code names through the repository, and takes the http(s)\n"
	"URLs ending in .pth, .pt, .ckpt, .safetensors, .bin ... that hub can compute\n"
	"there, without running any code; --dry-run only lists them. --weights-all\n"
	"takes every such URL literal in the SPEC's .py files instead, data sets too.\n"
	"\n"
	"--bundle FILE writes every repository and weight file named into FILE, with\n"
	"a manifest of SHA-256 hashes; on a machine without network, 'hub download\n"
	"FILE' checks every hash and publishes each entry into that hub dir, or\n"
	"refuses the whole bundle, naming the bad entry.\n"
	"\n"
	"--lock FILE records what was fetched: each SPEC with the commit it resolved\n"
	"to, each weight file with its size and SHA-256 (JSON, one entry a line).\n"
	"'hub download --locked FILE' fetches exactly that: each repository as the\n"
	"archive of its commit (no API request), into the SPEC's usual folder, each\n"
	"weight checked against its SHA-256; anything that differs fails with exit 6\n"
	"naming the entry, and nothing is published unless everything matched. What\n"
	"the cache already holds at the locked commit or hash needs no connection.\n"
	"\n"
	"--update asks GitHub whether each cached branch moved (a conditional\n"
	"request, answered 304 when it did not) and fetches only the ones that did;\n"
	"tags and commit ids are never fetched again.\n",
	opts
};

static enum operand_kind classify(const char *operand)
{
	struct stat st;
	size_t len = strlen(operand);

	if (!strncmp(operand, "http://", 7) || !strncmp(operand, "https://", 8))
		return OPERAND_URL;
	if (stat(operand, &st) == 0 && S_ISREG(st.st_mode))
		return OPERAND_BUNDLE;
	if ((len > 4 && !strcmp(operand + len - 4, ".tar")) ||
	    (len > 7 && !strcmp(operand + len - 7, ".tar.gz")) ||
	    (len > 4 && !strcmp(operand + len - 4, ".tgz")))
		return OPERAND_BUNDLE;
	return OPERAND_SPEC;
}

static void human_bytes(long long n, char *out, size_t size)
{
	if (n >= 1024LL * 1024 * 1024)
		snprintf(out, size, "%.2f GiB", (double)n / (1024.0 * 1024 * 1024));
	else if (n >= 1024 * 1024)
		snprintf(out, size, "%.1f MiB", (double)n / (1024.0 * 1024));
	else if (n >= 1024)
		snprintf(out, size, "%.0f KiB", (double)n / 1024.0);
	else
		snprintf(out, size, "%lld B", n);
}

static void show_progress(const struct http_progress *p)
{
	char bytes[32], rate[32];

	if (p->done) {
		fputs("\r\033[K", stderr);
		return;
	}
	if (p->bytes == 0)
		return;
	human_bytes(p->bytes, bytes, sizeof(bytes));
	human_bytes(p->seconds > 0 ? (long long)((double)p->bytes / p->seconds) : 0, rate, sizeof(rate));
	fprintf(stderr, "\r\033[Kdownloading: %s, %s/s (%d in flight)", bytes, rate, p->active);
	fflush(stderr);
}

/* The folders of the SPECs fetched, for --weights. */
static char **spec_dirs;
static size_t n_spec_dirs;

/* What this run fetched, for --bundle. */
static struct bundle_repo *bundle_repos;
static size_t n_bundle_repos;
static struct bundle_checkpoint *bundle_checkpoints;
static size_t n_bundle_checkpoints;

static void keep_for_bundle_repo(const char *dir)
{
	bundle_repos = xrealloc(bundle_repos, (n_bundle_repos + 1) * sizeof(*bundle_repos));
	bundle_repos[n_bundle_repos++].dir = xstrdup(dir);
}

static void keep_for_bundle_checkpoint(const struct weight_job *job)
{
	struct bundle_checkpoint *c;

	bundle_checkpoints = xrealloc(bundle_checkpoints,
				      (n_bundle_checkpoints + 1) * sizeof(*bundle_checkpoints));
	c = &bundle_checkpoints[n_bundle_checkpoints++];
	c->name = xstrdup(job->name);
	c->url = xstrdup(job->url);
	c->sha256 = job->sha256[0] ? xstrdup(job->sha256) : NULL;
}

static int write_bundle(void)
{
	struct hubdir hub = { 0 };
	size_t i;
	int status;

	if ((status = hubdir_resolve(hub_globals.dir, &hub)))
		goto done;
	status = bundle_write(bundle_file, hub.path, bundle_repos, n_bundle_repos,
			      bundle_checkpoints, n_bundle_checkpoints);
	if (!status && !hub_globals.quiet)
		fprintf(stderr, "bundle: %s (%zu repositories, %zu checkpoints)\n", bundle_file,
			n_bundle_repos, n_bundle_checkpoints);
done:
	for (i = 0; i < n_bundle_repos; i++)
		free((char *)bundle_repos[i].dir);
	for (i = 0; i < n_bundle_checkpoints; i++) {
		free((char *)bundle_checkpoints[i].name);
		free((char *)bundle_checkpoints[i].url);
		free((char *)bundle_checkpoints[i].sha256);
	}
	free(bundle_repos);
	free(bundle_checkpoints);
	hubdir_free(&hub);
	return status;
}

static int import_bundle(const char *file)
{
	struct hubdir hub = { 0 };
	struct bundle_import_result result;
	size_t i;
	int status;

	memset(&result, 0, sizeof(result));
	if ((status = hubdir_resolve(hub_globals.dir, &hub)))
		goto done;
	if ((status = bundle_import(file, hub.path, &result)))
		goto done;
	for (i = 0; i < result.n_repos; i++) {
		printf("%s\n", result.repos[i]);
		hubconf_keep_answers(result.repos[i]);
	}
	for (i = 0; i < result.n_checkpoints; i++)
		printf("%s\n", result.checkpoints[i]);
	if (!hub_globals.quiet)
		fprintf(stderr, "imported %zu repositories and %zu checkpoints into %s%s\n",
			result.n_repos, result.n_checkpoints, hub.path,
			result.n_unchanged ? " (some repositories were already there at that commit)" : "");
done:
	bundle_import_result_free(&result);
	hubdir_free(&hub);
	return status;
}

/* What this run fetched, for --lock. */
static struct lockfile lock_out;

static int keep_for_lock_checkpoint(const struct weight_job *job)
{
	char sha[65];
	long long size = job->size;
	int status;

	snprintf(sha, sizeof(sha), "%s", job->sha256);
	if (!sha[0] && (status = weights_hash_file(job->path, sha, &size)))
		return status;
	lockfile_add_checkpoint(&lock_out, job->name, job->url, size, sha);
	return HUB_OK;
}

/* One line per file in flight and a total, redrawn in place. */
static int progress_lines;

static void show_weights_progress(const struct http_progress *p)
{
	size_t count, i;
	struct weight_job *list = weights_active_jobs(&count);
	char got[32], total[32], rate[32];
	int lines = 0;

	if (progress_lines)
		fprintf(stderr, "\033[%dA", progress_lines);
	if (p->done || !list) {
		fputs("\r\033[J", stderr);
		progress_lines = 0;
		return;
	}
	for (i = 0; i < count && lines < 20; i++) {
		const struct weight_job *job = &list[i];
		if (job->state != WEIGHT_ACTIVE)
			continue;
		human_bytes(job->received, got, sizeof(got));
		if (job->total > 0) {
			human_bytes(job->total, total, sizeof(total));
			fprintf(stderr, "\r\033[K%-40.40s %10s of %-10s %3d%%\n", job->name, got, total,
				(int)(100 * job->received / job->total));
		} else {
			fprintf(stderr, "\r\033[K%-40.40s %10s\n", job->name, got);
		}
		lines++;
	}
	human_bytes(p->bytes, got, sizeof(got));
	human_bytes(p->seconds > 0 ? (long long)((double)p->bytes / p->seconds) : 0, rate, sizeof(rate));
	fprintf(stderr, "\r\033[Ktotal: %s, %s/s, %d in flight\n", got, rate, p->active);
	progress_lines = lines + 1;
	fflush(stderr);
}

static void print_weights_json(const struct weight_job *list, size_t count)
{
	cJSON *array = cJSON_CreateArray();
	char *text;
	size_t i;

	for (i = 0; i < count; i++) {
		const struct weight_job *job = &list[i];
		cJSON *item = cJSON_CreateObject();
		cJSON_AddStringToObject(item, "url", job->url);
		if (job->path)
			cJSON_AddStringToObject(item, "path", job->path);
		if (job->status) {
			cJSON_AddNumberToObject(item, "status", job->status);
			cJSON_AddStringToObject(item, "error", job->error ? job->error : "");
		} else {
			cJSON_AddNumberToObject(item, "size", (double)job->size);
			if (job->sha256[0])
				cJSON_AddStringToObject(item, "sha256", job->sha256);
			cJSON_AddBoolToObject(item, "cached", job->state == WEIGHT_PRESENT);
			if (job->resumed_from)
				cJSON_AddNumberToObject(item, "resumed_from", (double)job->resumed_from);
		}
		cJSON_AddItemToArray(array, item);
	}
	text = cJSON_Print(array);
	printf("%s\n", text);
	free(text);
	cJSON_Delete(array);
}

/* Prints each failure, then (for several) one line naming every failed
 * file; returns the first failure's status, the message already shown. */
static int report_weights(const struct weight_job *list, size_t count)
{
	struct buf failed = BUF_INIT(BUF_NOLIMIT, "summary");
	size_t i, n_failed = 0, n_fetched = 0;
	long long bytes = 0;
	int status = HUB_OK;

	for (i = 0; i < count; i++) {
		const struct weight_job *job = &list[i];
		if (job->status) {
			fprintf(stderr, "hub: %s\n", job->error ? job->error : "download failed");
			buf_addf(&failed, "%s%s", n_failed ? ", " : "", job->name ? job->name : job->url);
			n_failed++;
			if (!status)
				status = job->status;
			continue;
		}
		if (job->state == WEIGHT_DONE) {
			n_fetched++;
			bytes += job->size - job->resumed_from;
		}
		if (!hub_globals.json)
			printf("%s\n", job->path);
	}
	if (hub_globals.json)
		print_weights_json(list, count);
	if (n_failed && count > 1)
		fprintf(stderr, "hub: %zu of %zu downloads failed: %s\n", n_failed, count, buf_str(&failed));
	else if (!n_failed && count > 1 && !hub_globals.quiet) {
		char shown[32];
		human_bytes(bytes, shown, sizeof(shown));
		fprintf(stderr, "downloaded %zu of %zu files (%s), %zu already there\n", n_fetched,
			count, shown, count - n_fetched);
	}
	buf_free(&failed);
	hub_error_clear();
	return status;
}

static void print_dry_run(const struct weight_job *list, size_t count)
{
	cJSON *array = hub_globals.json ? cJSON_CreateArray() : NULL;
	long long total = 0;
	size_t i, unknown = 0, present = 0, listed = 0;
	char size[32];

	for (i = 0; i < count; i++) {
		const struct weight_job *job = &list[i];
		if (job->status)
			continue;
		listed++;
		if (job->state == WEIGHT_PRESENT)
			present++;
		else if (job->total >= 0)
			total += job->total;
		else
			unknown++;
		if (array) {
			cJSON *item = cJSON_CreateObject();
			cJSON_AddStringToObject(item, "url", job->url);
			cJSON_AddStringToObject(item, "path", job->path);
			if (job->total >= 0)
				cJSON_AddNumberToObject(item, "size", (double)job->total);
			cJSON_AddBoolToObject(item, "cached", job->state == WEIGHT_PRESENT);
			cJSON_AddItemToArray(array, item);
			continue;
		}
		if (job->total >= 0)
			human_bytes(job->total, size, sizeof(size));
		else
			snprintf(size, sizeof(size), "?");
		printf("%10s  %s%s  %s\n", size, job->name,
		       job->state == WEIGHT_PRESENT ? " (present)" : "", job->url);
	}
	if (array) {
		char *text = cJSON_Print(array);
		printf("%s\n", text);
		free(text);
		cJSON_Delete(array);
		return;
	}
	human_bytes(total, size, sizeof(size));
	printf("%10s  to download: %zu of %zu files%s\n", size, listed - present, listed,
	       unknown ? " (some sizes unknown)" : "");
}

static int download_urls(char **urls, int count)
{
	struct weights_options wopts;
	struct weight_job *list = xcalloc((size_t)count, sizeof(*list));
	struct hubdir hub = { 0 };
	int i, status;

	if (count > 1 && (output_file || file_name || hash_prefix)) {
		status = hub_error(HUB_EUSAGE, "download: %s takes one URL, got %d",
				   output_file ? "-o" : file_name ? "--file-name" : "--hash-prefix", count);
		goto done;
	}
	if ((status = hubdir_resolve(hub_globals.dir, &hub)))
		goto done;
	if (hub_globals.offline)
		http_set_offline(1);
	memset(&wopts, 0, sizeof(wopts));
	wopts.hub_dir = hub.path;
	wopts.force = force;
	wopts.jobs = jobs;
	wopts.head_only = dry_run;
	for (i = 0; i < count; i++) {
		list[i].url = urls[i];
		list[i].output = output_file;
		list[i].file_name = file_name;
		list[i].hash_prefix = hash_prefix;
		list[i].check_hash = check_hash;
	}
	if (!hub_globals.quiet && is_terminal(2) && !dry_run)
		http_set_progress(show_weights_progress);
	weights_download(list, (size_t)count, &wopts);
	http_set_progress(NULL);
	if (dry_run) {
		print_dry_run(list, (size_t)count);
		for (i = 0; i < count; i++)
			if (list[i].status) {
				fprintf(stderr, "hub: %s\n", list[i].error);
				if (!status)
					status = list[i].status;
			}
		hub_error_clear();
		goto done;
	}
	status = report_weights(list, (size_t)count);
	for (i = 0; i < count && bundle_file; i++)
		if (!list[i].status && !list[i].output)
			keep_for_bundle_checkpoint(&list[i]);
	for (i = 0; i < count && lock_file && !status; i++)
		if (!list[i].status && !list[i].output)
			status = keep_for_lock_checkpoint(&list[i]);
done:
	for (i = 0; i < count; i++)
		weight_job_free(&list[i]);
	free(list);
	hubdir_free(&hub);
	return status;
}

static const char *const verify_words[] = { "ok", "unchecked", "MISMATCH", "unreadable" };

static int verify_checkpoints(void)
{
	struct hubdir hub = { 0 };
	struct verify_list list = { NULL, 0 };
	cJSON *array = NULL;
	size_t i, bad = 0;
	int status;

	if ((status = hubdir_resolve(hub_globals.dir, &hub)))
		goto done;
	status = weights_verify(hub.path, &list);
	if (status && status != HUB_EINTEGRITY)
		goto done;
	if (hub_globals.json)
		array = cJSON_CreateArray();
	for (i = 0; i < list.count; i++) {
		const struct verify_entry *e = &list.entries[i];
		if (e->result == VERIFY_MISMATCH || e->result == VERIFY_UNREADABLE)
			bad++;
		if (array) {
			cJSON *item = cJSON_CreateObject();
			cJSON_AddStringToObject(item, "name", e->name);
			cJSON_AddStringToObject(item, "result", verify_words[e->result]);
			if (e->sha256[0])
				cJSON_AddStringToObject(item, "sha256", e->sha256);
			if (e->source)
				cJSON_AddStringToObject(item, "checked_against", e->source);
			if (e->expected)
				cJSON_AddStringToObject(item, "expected", e->expected);
			cJSON_AddItemToArray(array, item);
		} else if (e->result == VERIFY_MISMATCH) {
			printf("%-10s %s: expected %s (%s), got %s\n", verify_words[e->result], e->name,
			       e->expected, e->source, e->sha256);
		} else if (e->result == VERIFY_UNREADABLE) {
			printf("%-10s %s: %s\n", verify_words[e->result], e->name, e->expected);
		} else {
			printf("%-10s %s%s%s%s\n", verify_words[e->result], e->name,
			       e->source ? " (" : "", e->source ? e->source : "", e->source ? ")" : "");
		}
	}
	if (array) {
		char *text = cJSON_Print(array);
		printf("%s\n", text);
		free(text);
		cJSON_Delete(array);
	}
	if (bad > 1) {
		status = hub_error(HUB_EINTEGRITY, "%zu of %zu checkpoints failed verification "
				   "(download them again with --force)", bad, list.count);
	} else if (bad && !status) {
		for (i = 0; i < list.count && !status; i++)
			if (list.entries[i].result == VERIFY_UNREADABLE)
				status = hub_error(HUB_EFAIL, "%s", list.entries[i].expected);
	} else if (!bad && !hub_globals.quiet) {
		fprintf(stderr, "%zu checkpoints verified\n", list.count);
	}
done:
	verify_list_free(&list);
	hubdir_free(&hub);
	return status;
}

static void print_json(char **specs, const struct fetch_result *results, int count)
{
	cJSON *list = cJSON_CreateArray();
	char *text;
	int i;

	for (i = 0; i < count; i++) {
		cJSON *item = cJSON_CreateObject();
		cJSON_AddStringToObject(item, "spec", specs[i]);
		if (results[i].status) {
			cJSON_AddNumberToObject(item, "status", results[i].status);
			cJSON_AddStringToObject(item, "error", results[i].error);
		} else {
			cJSON_AddStringToObject(item, "dir", results[i].dir);
			cJSON_AddBoolToObject(item, "cached", results[i].cached);
			cJSON_AddBoolToObject(item, "local", results[i].is_local);
			if (results[i].commit)
				cJSON_AddStringToObject(item, "commit", results[i].commit);
			if (results[i].note)
				cJSON_AddStringToObject(item, "note", results[i].note);
		}
		cJSON_AddItemToArray(list, item);
	}
	text = cJSON_Print(list);
	printf("%s\n", text);
	free(text);
	cJSON_Delete(list);
}

static int download_specs(char **specs, int count)
{
	struct fetch_options fopts;
	struct fetch_result *results = xcalloc((size_t)count, sizeof(*results));
	int i, status = HUB_OK;

	fetch_options_init(&fopts);
	fopts.force_reload = force_reload;
	fopts.skip_validation = skip_validation;
	if (fopts.progress)
		http_set_progress(show_progress);
	fetch_specs((const char *const *)specs, (size_t)count, &fopts, results);
	if (hub_globals.json)
		print_json(specs, results, count);
	for (i = 0; i < count; i++) {
		if (results[i].status) {
			/* Every failure is told; the first one's status is the exit. */
			fprintf(stderr, "hub: %s\n", results[i].error);
			if (!status)
				status = results[i].status;
		} else if (!hub_globals.json) {
			printf("%s\n", results[i].dir);
		}
		if (!results[i].status && !results[i].is_local)
			hubconf_keep_answers(results[i].dir);
		if (bundle_file && !results[i].status && !results[i].is_local)
			keep_for_bundle_repo(results[i].dir);
		if (lock_file && !results[i].status && !status) {
			if (results[i].is_local)
				status = hub_error(HUB_EUSAGE, "download: --lock: '%s' is a local directory, "
						   "which has no commit to lock", specs[i]);
			else if (!results[i].commit)
				status = hub_error(HUB_EFAIL, "download: --lock: the commit of %s is not known "
						   "(fetched by torch.hub?); fetch it with --force-reload",
						   results[i].spec);
			else
				status = lockfile_add_repo(&lock_out, results[i].spec, results[i].commit);
			if (status) {
				fprintf(stderr, "hub: %s\n", hub_error_message());
				hub_error_clear();
			}
		}
		if ((weights_glob || weights_all_glob) && !results[i].status) {
			spec_dirs = xrealloc(spec_dirs, (n_spec_dirs + 1) * sizeof(*spec_dirs));
			spec_dirs[n_spec_dirs++] = xstrdup(results[i].dir);
		}
		fetch_result_free(&results[i]);
	}
	free(results);
	hub_error_clear();
	return status;
}

/* --weights: what the entrypoints of the repository in dir (those of
 * --entry, else every listed one) can download (pyeval_reach.h). An
 * --entry it does not have is HUB_ENOTFOUND, told here. */
static int reachable_weights(const char *dir, const char *glob, struct weight_urls *out)
{
	struct hubconf *hc = NULL;
	struct hubconf_entry *listed = NULL, entry;
	const char **names = NULL;
	size_t count = 0, listed_count = 0, i, k;
	int status;

	memset(out, 0, sizeof(*out));
	if ((status = hubconf_open_dir(dir, NULL, &hc)) ||
	    (status = hubconf_list(hc, &listed, &listed_count)))
		goto done;
	count = listed_count;
	names = xcalloc(count + 1, sizeof(*names));
	for (i = 0; i < count; i++)
		names[i] = listed[i].name;
	if (entries.count) {
		for (i = 0; i < (size_t)entries.count; i++) {
			if ((status = hubconf_find(hc, entries.items[i], &entry))) {
				if (status == HUB_ENOTFOUND) {
					hub_error_clear();
					status = hubconf_not_found("download", names, count, entries.items[i], dir);
				}
				goto done;
			}
			free(entry.name);
			free(entry.where);
			free(entry.outside);
		}
		names = xrealloc(names, ((size_t)entries.count + 1) * sizeof(*names));
		for (i = 0; i < (size_t)entries.count; i++)
			names[i] = entries.items[i];
		count = (size_t)entries.count;
	}
	for (i = 0; i < count; i++) {
		struct pyeval_reach reach;

		if ((status = hubconf_weights(hc, names[i], &reach))) {
			fprintf(stderr, "hub: warning: %s: %s\n", names[i], hub_error_message());
			hub_error_clear();
			status = HUB_OK;
			continue;
		}
		for (k = 0; k < reach.url_count; k++)
			weight_urls_add(out, reach.urls[k], glob);
		if (!hub_globals.quiet) {
			for (k = 0; k < reach.warning_count; k++)
				fprintf(stderr, "hub: warning: %s: %s\n", names[i], reach.warnings[k]);
			for (k = 0; k < reach.hub_id_count; k++)
				fprintf(stderr, "hub: %s: its weights come from a model hub by id, which hub "
					"does not download: %s (%s)\n", names[i], reach.hub_ids[k],
					reach.hub_id_sites[k]);
			if (entries.count && !reach.url_count && !reach.hub_id_count)
				fprintf(stderr, "hub: %s: no weight URLs found for it\n", names[i]);
		}
		pyeval_reach_free(&reach);
	}
	if (!out->count && !hub_globals.quiet && !entries.count)
		fprintf(stderr, "hub: %s: no weight URLs%s%s reachable from its entrypoints\n", dir,
			*glob ? " matching " : "", glob);
done:
	free(names);
	hubconf_entries_free(listed, listed_count);
	hubconf_free(hc);
	return status;
}

/* --locked's checkpoints: which ones the cache already holds at the locked
 * hash, and the others, fetched into a staging folder and checked there
 * before anything is published. */
struct locked_weights {
	const struct lockfile *lock;
	const char *hub_dir;
	int *present;            /* per checkpoint: the cache holds it already */
	struct weight_job *jobs; /* the ones to fetch, staged */
	size_t n_jobs;
	char *stage;             /* .hub/tmp/locked.XXXXXX, or NULL */
	int stage_fd;
	int status;
};

static int locked_plan(struct locked_weights *w)
{
	const struct lockfile *lock = w->lock;
	size_t i;

	w->present = xcalloc(lock->n_checkpoints + 1, sizeof(*w->present));
	w->jobs = xcalloc(lock->n_checkpoints + 1, sizeof(*w->jobs));
	w->stage_fd = -1;
	for (i = 0; i < lock->n_checkpoints; i++) {
		const struct lockfile_checkpoint *c = &lock->checkpoints[i];
		char *path = xasprintf("%s/checkpoints/%s", w->hub_dir, c->name), sha[65];
		long long size = -1;
		int exists = path_exists(path);

		if (exists && !weights_hash_file(path, sha, &size) && size == c->size &&
		    !strcmp(sha, c->sha256)) {
			w->present[i] = 1;
			free(path);
			continue;
		}
		hub_error_clear();
		free(path);
		if (!c->url)
			return hub_error(HUB_EINTEGRITY, "%s: checkpoint %s: %s, and the lock names no URL "
					 "to fetch it from", locked_file, c->name,
					 exists ? "its bytes differ" : "not in the cache");
		if (hub_globals.offline)
			return hub_error(HUB_EOFFLINE, "%s: checkpoint %s is not in the cache at the "
					 "locked hash, and hub is offline", locked_file, c->name);
		if (exists)
			hub_log("%s: its bytes are not the locked ones; fetching it again", c->name);
		w->jobs[w->n_jobs].url = c->url;
		w->jobs[w->n_jobs].hash_prefix = c->sha256;
		w->n_jobs++;
	}
	return HUB_OK;
}

/* fetch_pinned's before_publish: the weights, into the staging folder, each
 * checked against its SHA-256 as it streams. */
static int locked_stage(void *ctx)
{
	struct locked_weights *w = ctx;
	struct weights_options wopts;
	size_t i, j;
	int status;

	if (!w->n_jobs)
		return HUB_OK;
	if ((status = fetch_make_temp(w->hub_dir, "locked", &w->stage, &w->stage_fd)))
		return w->status = status;
	for (i = 0, j = 0; i < w->lock->n_checkpoints; i++)
		if (!w->present[i])
			w->jobs[j++].output = xasprintf("%s/%s", w->stage, w->lock->checkpoints[i].name);
	memset(&wopts, 0, sizeof(wopts));
	wopts.hub_dir = w->hub_dir;
	wopts.jobs = jobs;
	if (!hub_globals.quiet && is_terminal(2))
		http_set_progress(show_weights_progress);
	weights_download(w->jobs, w->n_jobs, &wopts);
	http_set_progress(NULL);
	for (i = 0; i < w->n_jobs; i++) {
		if (!w->jobs[i].status)
			continue;
		fprintf(stderr, "hub: %s\n", w->jobs[i].error ? w->jobs[i].error : "download failed");
		if (!w->status)
			w->status = w->jobs[i].status;
	}
	if (w->status)
		return hub_error(w->status, "a checkpoint differs from the lock");
	return HUB_OK;
}

/* Everything checked: the staged weights move into checkpoints/. */
static int locked_publish(struct locked_weights *w)
{
	char *folder = path_join(w->hub_dir, "checkpoints");
	size_t i, j;
	int status = mkdir_p(folder, 0777);

	for (i = 0, j = 0; i < w->lock->n_checkpoints && !status; i++) {
		const struct lockfile_checkpoint *c = &w->lock->checkpoints[i];
		char *dst = path_join(folder, c->name), *lock_name;
		struct lock lock = { -1, NULL };
		struct weight_record record;

		if (w->present[i]) {
			if (!hub_globals.json)
				printf("%s\n", dst);
			free(dst);
			continue;
		}
		lock_name = xasprintf("checkpoint-%s", c->name);
		status = lock_acquire(&lock, w->hub_dir, lock_name, c->name, NULL);
		if (!status && rename(w->jobs[j].output, dst))
			status = hub_error_errno(HUB_EFAIL, "cannot rename into '%s'", dst);
		if (!status) {
			memset(&record, 0, sizeof(record));
			record.name = c->name;
			record.url = c->url;
			record.size = c->size;
			snprintf(record.sha256, sizeof(record.sha256), "%s", c->sha256);
			if (weights_record_write(w->hub_dir, &record))
				hub_log("%s", hub_error_message());
			hub_error_clear();
			if (!hub_globals.json)
				printf("%s\n", dst);
		}
		lock_release(&lock);
		free(lock_name);
		free(dst);
		j++;
	}
	free(folder);
	return status;
}

static void locked_free(struct locked_weights *w)
{
	size_t i;

	for (i = 0; i < w->n_jobs; i++) {
		free((char *)w->jobs[i].output);
		weight_job_free(&w->jobs[i]);
	}
	if (w->stage) {
		/* Keeps the message a failure recorded, if any. */
		char *message = xstrdup(hub_error_message());
		remove_tree(w->stage);
		hub_error_clear();
		if (*message)
			hub_error(HUB_EFAIL, "%s", message);
		free(message);
	}
	if (w->stage_fd >= 0)
		close(w->stage_fd);
	free(w->stage);
	free(w->present);
	free(w->jobs);
}

/* hub download --locked FILE: the repositories (fetch_pinned) and the
 * weights are all checked before any of them is published. */
static int download_locked(void)
{
	struct lockfile lock;
	struct locked_weights weights;
	struct fetch_options fopts;
	struct fetch_result *results = NULL;
	struct hubdir hub = { 0 };
	const char **specs = NULL, **commits = NULL;
	size_t i;
	int status;

	memset(&weights, 0, sizeof(weights));
	weights.stage_fd = -1;
	if ((status = lockfile_read(locked_file, &lock)))
		return status;
	if ((status = hubdir_resolve(hub_globals.dir, &hub)) || (status = mkdir_p(hub.path, 0777)))
		goto done;
	weights.lock = &lock;
	weights.hub_dir = hub.path;
	if ((status = locked_plan(&weights)))
		goto done;
	specs = xcalloc(lock.n_repos + 1, sizeof(*specs));
	commits = xcalloc(lock.n_repos + 1, sizeof(*commits));
	results = xcalloc(lock.n_repos + 1, sizeof(*results));
	for (i = 0; i < lock.n_repos; i++) {
		specs[i] = lock.repos[i].spec;
		commits[i] = lock.repos[i].commit;
	}
	fetch_options_init(&fopts);
	fopts.before_publish = locked_stage;
	fopts.before_publish_ctx = &weights;
	if (fopts.progress)
		http_set_progress(show_progress);
	if (lock.n_repos)
		fetch_pinned(specs, commits, lock.n_repos, &fopts, results);
	else
		locked_stage(&weights);
	http_set_progress(NULL);
	if (hub_globals.json)
		print_json((char **)specs, results, (int)lock.n_repos);
	for (i = 0; i < lock.n_repos; i++) {
		if (results[i].status) {
			if (!weights.status)
				fprintf(stderr, "hub: %s\n", results[i].error);
			if (!status)
				status = results[i].status;
		} else if (!hub_globals.json) {
			printf("%s\n", results[i].dir);
		}
	}
	if (weights.status)
		status = weights.status;
	if (status) {
		status = hub_error(status, "%s: refused; the cache is as it was", locked_file);
		goto done;
	}
	status = locked_publish(&weights);
	for (i = 0; i < lock.n_repos && !status; i++)
		hubconf_keep_answers(results[i].dir);
done:
	for (i = 0; results && i < lock.n_repos; i++)
		fetch_result_free(&results[i]);
	free(results);
	free(specs);
	free(commits);
	locked_free(&weights);
	lockfile_free(&lock);
	hubdir_free(&hub);
	return status;
}

int cmd_download(int argc, char **argv)
{
	int n = opt_parse(&usage, argc, argv), i, specs = 0, urls = 0, status;
	char **url_list;
	struct weight_urls *found;
	size_t d, k;

	if (n < 0)
		return opt_status(n);
	if (verify) {
		if (n)
			return hub_error(HUB_EUSAGE, "download: --verify takes no operands");
		return verify_checkpoints();
	}
	if (locked_file) {
		if (n || lock_file || bundle_file || weights_glob || weights_all_glob || entries.count || dry_run || output_file || file_name ||
		    hash_prefix || force_reload)
			return hub_error(HUB_EUSAGE, "download: --locked FILE takes no operands and none of "
					 "--lock, --bundle, --weights, --dry-run, -o, --file-name, "
					 "--hash-prefix, --force-reload");
		return download_locked();
	}
	if (lock_file && (output_file || dry_run))
		return hub_error(HUB_EUSAGE, "download: --lock records checkpoints/, not %s",
				 output_file ? "-o FILE" : "a --dry-run");
	if (n == 0)
		return hub_error(HUB_EUSAGE, "download: nothing to download (expected SPEC..., URL... or BUNDLE)");
	for (i = 1; i <= n; i++) {
		switch (classify(argv[i])) {
		case OPERAND_URL:
			urls++;
			break;
		case OPERAND_BUNDLE:
			if (n > 1 || bundle_file || lock_file)
				return hub_error(HUB_EUSAGE, "download: a BUNDLE ('%s') is imported alone", argv[i]);
			return import_bundle(argv[i]);
		case OPERAND_SPEC:
			specs++;
			break;
		}
	}
	if (entries.count && !weights_glob)
		weights_glob = "";
	if (weights_all_glob && (weights_glob || entries.count))
		return hub_error(HUB_EUSAGE, "download: --weights-all takes every URL literal: not with --weights or --entry");
	if ((weights_glob || weights_all_glob) && !specs)
		return hub_error(HUB_EUSAGE, "download: --weights needs a SPEC whose code names the weights");
	if (dry_run && bundle_file)
		return hub_error(HUB_EUSAGE, "download: --dry-run writes no bundle");
	if (!urls && !bundle_file && !weights_glob && !weights_all_glob && !lock_file)
		return download_specs(argv + 1, specs);
	/* SPECs first, then URLs, each kind in the order given. */
	url_list = xcalloc((size_t)urls, sizeof(*url_list));
	for (i = 1, urls = 0, specs = 0; i <= n; i++) {
		if (classify(argv[i]) == OPERAND_URL)
			url_list[urls++] = argv[i];
		else
			argv[1 + specs++] = argv[i];
	}
	status = specs ? download_specs(argv + 1, specs) : HUB_OK;
	found = xcalloc(n_spec_dirs + 1, sizeof(*found));
	for (d = 0; d < n_spec_dirs; d++) {
		if (weights_all_glob) {
			if (weights_scan(spec_dirs[d], weights_all_glob, &found[d]) == HUB_OK &&
			    !found[d].count && !hub_globals.quiet)
				fprintf(stderr, "hub: %s: no weight URLs%s%s in its code\n", spec_dirs[d],
					*weights_all_glob ? " matching " : "", weights_all_glob);
		} else if ((i = reachable_weights(spec_dirs[d], weights_glob, &found[d])) && !status) {
			status = i;
		}
		url_list = xrealloc(url_list, ((size_t)urls + found[d].count + 1) * sizeof(*url_list));
		for (k = 0; k < found[d].count; k++)
			url_list[urls++] = found[d].urls[k];
		free(spec_dirs[d]);
	}
	free(spec_dirs);
	if (status) {
		/* an --entry SPEC does not have: nothing is downloaded */
		free(url_list);
		for (d = 0; d < n_spec_dirs; d++)
			weight_urls_free(&found[d]);
		free(found);
		return status;
	}
	i = urls ? download_urls(url_list, urls) : HUB_OK;
	free(url_list);
	for (d = 0; d < n_spec_dirs; d++)
		weight_urls_free(&found[d]);
	free(found);
	if (!status)
		status = i;
	if (lock_file) {
		if (status) {
			fprintf(stderr, "hub: %s: not written, as some downloads failed\n", lock_file);
		} else if (!(status = lockfile_write(lock_file, &lock_out)) && !hub_globals.quiet) {
			fprintf(stderr, "lock: %s (%zu repositories, %zu checkpoints)\n", lock_file,
				lock_out.n_repos, lock_out.n_checkpoints);
		}
		lockfile_free(&lock_out);
	}
	if (bundle_file) {
		if (status) {
			fprintf(stderr, "hub: %s: not written, as some downloads failed\n", bundle_file);
			return status;
		}
		status = write_bundle();
	}
	return status;
}
