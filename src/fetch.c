/*
 * fetch.c - get-or-download repositories into the torch.hub cache,
 * atomically, under a lock per cache entry. See fetch.h.
 *
 * A batch runs in phases so the big transfers overlap: resolve every SPEC
 * and check the cache (no lock: a published folder is always complete);
 * lock what is missing, in cache-name order so two hubs with the same
 * SPECs in another order cannot deadlock; validate refs (small API
 * requests, one after the other); stream every archive at once through
 * curl multi into its own extraction; publish each with one rename.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "err.h"
#include "fetch.h"
#include "github.h"
#include "http.h"
#include "hub.h"
#include "hubdir.h"
#include "lock.h"
#include "opt.h"
#include "spec.h"
#include "untar.h"
#include "util.h"

#ifndef RENAME_EXCHANGE
#define RENAME_EXCHANGE (1 << 1)
#endif

struct job {
	const char *text;
	struct spec spec;
	char *display;
	char *ref;               /* the ref in use (given, or the default branch) */
	char *cache_name;
	char *dir;               /* <hub dir>/<cache name> */
	int status;
	char *error;
	int is_local;
	int cached;
	int same_as;             /* index of an earlier job for the same entry, or -1 */
	int anonymous;           /* the token was refused: fetch without it */
	struct lock lock;
	char *sha;               /* from validation */
	/* the download */
	char *tmp;               /* <hub dir>/.hub/tmp/<cache name>.XXXXXX */
	int tmp_fd;              /* open and flocked while this process lives */
	struct untar *untar;
	char *archive_ref;
	char *url;
	struct http_request req;
};

void fetch_options_init(struct fetch_options *opts)
{
	const char *offline = getenv("HUB_OFFLINE");

	memset(opts, 0, sizeof(*opts));
	opts->offline = hub_globals.offline || (offline && *offline && strcmp(offline, "0"));
	opts->progress = !hub_globals.quiet && is_terminal(2);
}

/* HUB_ENOTFOUND without a message: not a local directory SPEC at all. */
static int local_dir(const char *spec, char **dir_out)
{
	char *dir, *hubconf;
	int status;

	if (!spec_is_local(spec))
		return HUB_ENOTFOUND;
	dir = path_absolute(spec);
	hubconf = path_join(dir, "hubconf.py");
	if (path_is_dir(dir) && path_exists(hubconf)) {
		*dir_out = dir;
		dir = NULL;
		status = HUB_OK;
	} else if (path_is_dir(dir)) {
		status = hub_error(HUB_ENOTFOUND, "%s: no hubconf.py in this directory", spec);
	} else {
		status = hub_error(HUB_ENOTFOUND, "%s: no such directory", spec);
	}
	free(hubconf);
	free(dir);
	return status;
}

static int fail(struct job *job, int status)
{
	job->status = status;
	free(job->error);
	job->error = xstrdup(hub_error_message());
	return status;
}

static char *cache_dir(const char *hub_dir, const char *owner, const char *name, const char *ref)
{
	char *cache_name = spec_cache_name(owner, name, ref);
	char *dir = path_join(hub_dir, cache_name);
	free(cache_name);
	return dir;
}

/* Phase 1: what folder, and is it there already? No lock, no API. */
static int resolve(struct job *job, const char *hub_dir, const struct fetch_options *opts)
{
	static const char *const defaults[] = { "main", "master" };
	int status;
	size_t i;

	if ((status = spec_parse(job->text, &job->spec)))
		return fail(job, status);
	job->display = spec_display(&job->spec);
	if (job->spec.ref) {
		job->ref = xstrdup(job->spec.ref);
	} else {
		/* torch.hub 2.x's offline fallback, taken first: a warm cache
		 * answers with no network at all. */
		for (i = 0; i < 2 && !job->ref; i++) {
			char *dir = cache_dir(hub_dir, job->spec.owner, job->spec.name, defaults[i]);
			if (path_is_dir(dir))
				job->ref = xstrdup(defaults[i]);
			free(dir);
		}
		if (!job->ref && opts->offline)
			return fail(job, hub_error(HUB_EOFFLINE, "%s: no ref given and neither %s_%s_main "
						   "nor %s_%s_master is cached in %s (offline)",
						   job->display, job->spec.owner, job->spec.name,
						   job->spec.owner, job->spec.name, hub_dir));
		if (!job->ref &&
		    (status = github_default_branch(job->spec.owner, job->spec.name, &job->ref)))
			return fail(job, status);
	}
	job->cache_name = spec_cache_name(job->spec.owner, job->spec.name, job->ref);
	job->dir = path_join(hub_dir, job->cache_name);
	if (!opts->force_reload && path_is_dir(job->dir)) {
		hub_log("using cache found in %s", job->dir);
		job->cached = 1;
		return HUB_OK;
	}
	if (opts->offline && opts->force_reload)
		return fail(job, hub_error(HUB_EOFFLINE, "%s: --force-reload needs the network, and hub is "
					   "offline", job->display));
	if (opts->offline)
		return fail(job, hub_error(HUB_EOFFLINE, "%s: not in the cache (%s missing) and offline",
					   job->display, job->dir));
	return HUB_OK;
}

/* Removes temporary folders under .hub/tmp whose process is gone: a live
 * hub holds a flock on its folder. The tmp.lock guards the moment between
 * creating a folder and locking it. */
static void remove_stale_temps(const char *hub_dir)
{
	char *tmp_root = path_join(hub_dir, ".hub/tmp");
	char *locks = path_join(hub_dir, ".hub/locks");
	char *guard_path = path_join(hub_dir, ".hub/locks/tmp.lock");
	int guard = -1;
	DIR *dir = NULL;
	struct dirent *entry;

	if (mkdir_p(tmp_root, 0777) || mkdir_p(locks, 0777))
		goto done;
	guard = open(guard_path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0666);
	if (guard < 0 || flock(guard, LOCK_EX | LOCK_NB))
		goto done; /* someone is creating one right now: next time */
	dir = opendir(tmp_root);
	while (dir && (entry = readdir(dir))) {
		char *path;
		int fd;

		if (entry->d_name[0] == '.')
			continue;
		path = path_join(tmp_root, entry->d_name);
		fd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (fd >= 0 && lock_try_fd(fd)) {
			hub_log("removing %s, left by a hub that died", path);
			remove_tree(path);
		}
		if (fd >= 0)
			close(fd);
		free(path);
	}
done:
	if (dir)
		closedir(dir);
	if (guard >= 0)
		close(guard);
	hub_error_clear();
	free(tmp_root);
	free(locks);
	free(guard_path);
}

static int make_temp(struct job *job, const char *hub_dir)
{
	char *guard_path = path_join(hub_dir, ".hub/locks/tmp.lock");
	char *root = path_join(hub_dir, ".hub/tmp");
	int guard = -1, status = HUB_OK;

	if ((status = mkdir_p(root, 0777)))
		goto done;
	guard = open(guard_path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0666);
	if (guard >= 0)
		flock(guard, LOCK_SH);
	job->tmp = xasprintf("%s/%s.XXXXXX", root, job->cache_name);
	if (!mkdtemp(job->tmp)) {
		status = hub_error_errno(HUB_EFAIL, "cannot create a folder in '%s'", root);
		goto done;
	}
	job->tmp_fd = open(job->tmp, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (job->tmp_fd < 0 || !lock_try_fd(job->tmp_fd)) {
		status = hub_error_errno(HUB_EFAIL, "cannot open '%s'", job->tmp);
		goto done;
	}
done:
	if (guard >= 0)
		close(guard); /* drops the shared lock */
	free(guard_path);
	free(root);
	return status;
}

/* A fresh extraction into <tmp>/repo. */
static int open_extraction(struct job *job)
{
	char *repo = path_join(job->tmp, "repo");
	int status;

	untar_free(job->untar);
	job->untar = NULL;
	if ((status = remove_tree(repo)))
		goto done;
	if (mkdir(repo, 0777)) {
		status = hub_error_errno(HUB_EFAIL, "cannot create '%s'", repo);
		goto done;
	}
	status = untar_open(&job->untar, job->tmp_fd, "repo", NULL);
done:
	free(repo);
	return status;
}

static int push_archive(void *ctx, const void *data, size_t len)
{
	struct job *job = ctx;
	return untar_push(job->untar, data, len);
}

static int restart_archive(void *ctx)
{
	struct job *job = ctx;
	hub_log("%s: the archive starts over", job->display);
	return open_extraction(job);
}

static void setup_request(struct job *job)
{
	free(job->url);
	job->url = github_archive_url(job->spec.owner, job->spec.name, job->archive_ref, !job->anonymous);
	http_request_free(&job->req);
	memset(&job->req, 0, sizeof(job->req));
	job->req.url = job->url;
	job->req.what = job->display;
	job->req.github_auth = !job->anonymous;
	job->req.write = push_archive;
	job->req.restart = restart_archive;
	job->req.ctx = job;
}

static int prepare_download(struct job *job, const char *hub_dir)
{
	int status;

	if ((status = make_temp(job, hub_dir)) || (status = open_extraction(job)))
		return fail(job, status);
	job->archive_ref = xstrdup(job->ref);
	setup_request(job);
	return HUB_OK;
}

static void record_commit(struct job *job, const char *hub_dir)
{
	const char *commit = untar_commit(job->untar);
	char *folder = path_join(hub_dir, ".hub/refs"), *path = NULL;
	char when[32];
	struct buf text = BUF_INIT(BUF_NOLIMIT, "ref record");
	time_t now = time(NULL);
	struct tm tm;

	if (!commit || !*commit)
		commit = job->sha;
	gmtime_r(&now, &tm);
	strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", &tm);
	buf_addf(&text, "commit %s\nfetched %s\nspec %s/%s:%s\n", commit ? commit : "unknown",
		 when, job->spec.owner, job->spec.name, job->ref);
	if (!mkdir_p(folder, 0777)) {
		path = path_join(folder, job->cache_name);
		if (write_file_atomic(path, text.data, text.len, 0666))
			hub_log("cannot record the commit of %s: %s", job->display, hub_error_message());
	}
	hub_error_clear();
	buf_free(&text);
	free(folder);
	free(path);
}

static int exchange(const char *a, const char *b)
{
#ifdef SYS_renameat2
	return (int)syscall(SYS_renameat2, AT_FDCWD, a, AT_FDCWD, b, RENAME_EXCHANGE);
#else
	errno = ENOSYS;
	return -1;
#endif
}

/* One rename makes the folder appear whole. Under --force-reload the old
 * folder is swapped out in the same step (or, where the kernel cannot
 * exchange, moved aside just before), so it stays usable until then. */
static int publish(struct job *job, int force)
{
	char *repo = path_join(job->tmp, "repo"), *old = path_join(job->tmp, "old");
	int status = HUB_OK;

	if (force && path_is_dir(job->dir)) {
		if (exchange(repo, job->dir) == 0)
			goto done; /* the old one is now <tmp>/repo, removed with tmp */
		if (rename(job->dir, old)) {
			status = hub_error_errno(HUB_EFAIL, "cannot move '%s' aside", job->dir);
			goto done;
		}
	}
	if (rename(repo, job->dir)) {
		if ((errno == EEXIST || errno == ENOTEMPTY) && !force) {
			/* torch.hub (which takes no lock) published it first. */
			hub_log("%s appeared meanwhile; using it", job->dir);
			goto done;
		}
		status = hub_error_errno(HUB_EFAIL, "cannot rename into '%s'", job->dir);
	}
done:
	free(repo);
	free(old);
	return status;
}

static void drop_temp(struct job *job)
{
	untar_free(job->untar);
	job->untar = NULL;
	if (job->tmp) {
		remove_tree(job->tmp);
		hub_error_clear();
	}
	if (job->tmp_fd >= 0)
		close(job->tmp_fd);
	job->tmp_fd = -1;
	free(job->tmp);
	job->tmp = NULL;
}

/* After the transfer: 300 asks for a retry as a branch; else finish. */
static int complete(struct job *job, int http_status, const char *hub_dir, int force, int *again)
{
	int status;

	*again = 0;
	if (http_status)
		return fail(job, http_status);
	if (job->req.resp.status == 300 && strncmp(job->archive_ref, "refs/", 5)) {
		/* As torch.hub: an ambiguous name is taken to be the branch. */
		char *branch = xasprintf("refs/heads/%s", job->ref);
		hub_log("%s: the ref is both a branch and a tag; taking the branch (%s)", job->display, branch);
		free(job->archive_ref);
		job->archive_ref = branch;
		if ((status = open_extraction(job)))
			return fail(job, status);
		setup_request(job);
		*again = 1;
		return HUB_OK;
	}
	if (job->req.resp.status == 401 && !job->anonymous && http_github_token()) {
		/* A stale token must not break a public fetch. */
		hub_log("%s: the token was refused (401); going on without it", job->display);
		http_drop_github_token();
		job->anonymous = 1;
		if ((status = open_extraction(job)))
			return fail(job, status);
		setup_request(job);
		*again = 1;
		return HUB_OK;
	}
	if (job->req.resp.status < 200 || job->req.resp.status >= 300)
		return fail(job, github_answer_error(&job->req, job->spec.owner, job->spec.name, job->ref));
	if ((status = untar_finish(job->untar)))
		return fail(job, status);
	if ((status = publish(job, force)))
		return fail(job, status);
	record_commit(job, hub_dir);
	hub_log("%s: %lld bytes in %.2f s into %s", job->display, job->req.resp.bytes,
		job->req.resp.seconds, job->dir);
	return HUB_OK;
}

static int compare_jobs(const void *a, const void *b, void *ctx)
{
	const struct job *jobs = ctx;
	const struct job *x = &jobs[*(const size_t *)a], *y = &jobs[*(const size_t *)b];
	return strcmp(x->cache_name, y->cache_name);
}

static void job_free(struct job *job)
{
	drop_temp(job);
	lock_release(&job->lock);
	http_request_free(&job->req);
	spec_free(&job->spec);
	free(job->display);
	free(job->ref);
	free(job->cache_name);
	free(job->dir);
	free(job->error);
	free(job->sha);
	free(job->archive_ref);
	free(job->url);
}

static int needs_download(const struct job *job)
{
	return !job->status && !job->is_local && !job->cached && job->same_as < 0;
}

int fetch_specs(const char *const *specs, size_t count, const struct fetch_options *opts,
		struct fetch_result *results)
{
	struct job *jobs = xcalloc(count ? count : 1, sizeof(*jobs));
	size_t *order = xcalloc(count ? count : 1, sizeof(*order));
	struct http_request **reqs = xcalloc(count ? count : 1, sizeof(*reqs));
	int *statuses = xcalloc(count ? count : 1, sizeof(*statuses));
	struct hubdir hub = { NULL, 0, NULL };
	size_t i, j, n_order = 0, n_reqs;
	int status = HUB_OK, have_hub = 0, cleaned = 0;

	if (opts->offline)
		http_set_offline(1);
	for (i = 0; i < count; i++) {
		struct job *job = &jobs[i];
		char *local = NULL;

		job->text = specs[i];
		job->same_as = -1;
		job->tmp_fd = -1;
		job->lock.fd = -1;
		hub_error_clear();
		status = local_dir(specs[i], &local);
		if (status == HUB_OK) {
			job->is_local = 1;
			job->dir = local;
			continue;
		}
		if (status != HUB_ENOTFOUND || *hub_error_message()) {
			fail(job, status);
			continue;
		}
		if (!have_hub) {
			if ((status = hubdir_resolve(hub_globals.dir, &hub)) ||
			    (status = mkdir_p(hub.path, 0777))) {
				fail(job, status);
				continue;
			}
			have_hub = 1;
		}
		if (resolve(job, hub.path, opts))
			continue;
		for (j = 0; j < i; j++)
			if (jobs[j].cache_name && !strcmp(jobs[j].cache_name, job->cache_name))
				break;
		if (j < i)
			job->same_as = (int)j;
		else if (!job->cached)
			order[n_order++] = i;
	}

	/* Lock, in cache-name order; who waited may find the work done. */
	qsort_r(order, n_order, sizeof(*order), compare_jobs, jobs);
	for (i = 0; i < n_order; i++) {
		struct job *job = &jobs[order[i]];
		int waited = 0;

		if (!cleaned) {
			remove_stale_temps(hub.path);
			cleaned = 1;
		}
		if ((status = lock_acquire(&job->lock, hub.path, job->cache_name, job->display, &waited))) {
			fail(job, status);
			continue;
		}
		if (!opts->force_reload && path_is_dir(job->dir)) {
			hub_log("%s: fetched meanwhile by another hub; using %s", job->display, job->dir);
			job->cached = 1;
			lock_release(&job->lock);
			continue;
		}
		if (!opts->skip_validation &&
		    (status = github_validate_ref(job->spec.owner, job->spec.name, job->ref, &job->sha))) {
			fail(job, status);
			lock_release(&job->lock);
			continue;
		}
		prepare_download(job, hub.path);
	}

	/* Every archive at once; a 300 sends its job round once more. */
	for (;;) {
		n_reqs = 0;
		for (i = 0; i < count; i++)
			if (needs_download(&jobs[i]) && jobs[i].untar)
				reqs[n_reqs++] = &jobs[i].req;
		if (!n_reqs)
			break;
		http_perform_many(reqs, n_reqs, statuses, 0);
		for (j = 0; j < n_reqs; j++) {
			struct job *job = reqs[j]->ctx;
			int again;

			hub_error_clear();
			if (statuses[j])
				hub_error(statuses[j], "%s", job->req.resp.error);
			complete(job, statuses[j], hub.path, opts->force_reload, &again);
			if (!again) {
				drop_temp(job);
				lock_release(&job->lock);
			}
		}
	}

	status = HUB_OK;
	for (i = 0; i < count; i++) {
		struct job *job = &jobs[i];
		struct fetch_result *r = &results[i];

		if (job->same_as >= 0) {
			struct job *first = &jobs[job->same_as];
			job->status = first->status;
			free(job->error);
			job->error = first->error ? xstrdup(first->error) : NULL;
			job->cached = first->cached;
		}
		memset(r, 0, sizeof(*r));
		r->status = job->status;
		r->is_local = job->is_local;
		r->cached = job->cached;
		if (job->status) {
			r->error = job->error ? xstrdup(job->error) : xstrdup("failed");
			if (!status)
				status = hub_error(job->status, "%s", r->error);
		} else {
			r->dir = xstrdup(job->dir);
		}
		job_free(job);
	}
	if (have_hub)
		hubdir_free(&hub);
	free(jobs);
	free(order);
	free(reqs);
	free(statuses);
	return status;
}

void fetch_result_free(struct fetch_result *result)
{
	if (!result)
		return;
	free(result->dir);
	free(result->error);
	memset(result, 0, sizeof(*result));
}

int fetch_spec_dir(const char *spec, const struct fetch_options *opts,
		   char **dir_out, int *is_local)
{
	struct fetch_result result;
	int status = fetch_specs(&spec, 1, opts, &result);

	*dir_out = result.dir;
	result.dir = NULL;
	if (is_local)
		*is_local = result.is_local;
	fetch_result_free(&result);
	return status;
}
