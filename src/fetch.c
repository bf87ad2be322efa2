/*
 * fetch.c - get-or-download repositories into the torch.hub cache,
 * atomically, under a lock per cache entry. See fetch.h.
 *
 * A batch runs in phases so the big transfers overlap: resolve every SPEC
 * and check the cache (no lock: a published folder is always complete);
 * under --update, ask whether each cached branch moved (one conditional
 * request each); lock what is missing, in cache-name order so two hubs
 * with the same SPECs in another order cannot deadlock; validate the refs
 * that may be commit ids (small API requests, one after the other; a name
 * needs none); stream every archive at once through curl multi into its
 * own extraction; publish each with one rename.
 *
 * What hub knows of a folder it fetched is in .hub/refs/<cache name>, one
 * "key value" a line (cache.c and bundle.c read it too):
 *   commit <40 hex>      from the archive's pax header
 *   fetched <UTC time>
 *   spec <owner>/<name>:<ref>
 *   kind branch|tag|commit|name   what the ref is, as far as hub knows
 *                        (name: a branch or a tag, not known which)
 *   archive <ref>        the ref the archive was asked for, when not the
 *                        SPEC's (refs/heads/x for a branch-and-tag name)
 *   etag <value>         the commits API's ETag for the branch head
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
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

/* A .hub/refs record (see the top); strings owned, NULL when absent. */
struct record {
	char *commit, *fetched, *kind, *archive, *etag;
};

struct job {
	const char *text;
	const char *pin;         /* fetch_pinned: the commit required */
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
	int replace;             /* the folder may exist: swap the new one in */
	int check_update;        /* --update: ask whether the branch moved */
	int held;                /* all_or_nothing: extracted, not yet published */
	struct lock lock;
	char *sha;               /* from validation, or the head --update saw */
	struct record old;       /* the folder's record, when it has one */
	char *kind;              /* the ref's kind, for the new record */
	char *etag;              /* the ETag --update got for sha */
	char *commit;            /* the published folder's commit */
	char *note;              /* --update's news */
	/* the download */
	char *tmp;               /* <hub dir>/.hub/tmp/<cache name>.XXXXXX */
	int tmp_fd;              /* open and flocked while this process lives */
	struct untar *untar;
	char *archive_ref;
	char *url;
	struct http_request req;
};

int fetch_update_option;

void fetch_options_init(struct fetch_options *opts)
{
	const char *offline = getenv("HUB_OFFLINE");

	memset(opts, 0, sizeof(*opts));
	opts->offline = hub_globals.offline || (offline && *offline && strcmp(offline, "0"));
	opts->progress = !hub_globals.quiet && is_terminal(2);
	opts->update = fetch_update_option;
	opts->notice = hub_globals.quiet ? NULL : hub_notice;
}

static void record_free(struct record *record)
{
	free(record->commit);
	free(record->fetched);
	free(record->kind);
	free(record->archive);
	free(record->etag);
	memset(record, 0, sizeof(*record));
}

static void record_read(const char *hub_dir, const char *cache_name, struct record *out)
{
	char *path = xasprintf("%s/.hub/refs/%s", hub_dir, cache_name);
	struct buf text = BUF_INIT(64 * 1024, "ref record");
	char *line, *next;

	memset(out, 0, sizeof(*out));
	if (!read_file(path, &text)) {
		for (line = text.data; line && *line; line = next) {
			char **field = NULL, *value = strchr(line, ' ');
			next = strchr(line, '\n');
			if (next)
				*next++ = '\0';
			if (!value)
				continue;
			*value++ = '\0';
			if (!strcmp(line, "commit"))
				field = &out->commit;
			else if (!strcmp(line, "fetched"))
				field = &out->fetched;
			else if (!strcmp(line, "kind"))
				field = &out->kind;
			else if (!strcmp(line, "archive"))
				field = &out->archive;
			else if (!strcmp(line, "etag"))
				field = &out->etag;
			if (field && !*field)
				*field = xstrdup(value);
		}
	}
	if (out->commit && (strlen(out->commit) != 40 || !spec_ref_is_sha_like(out->commit))) {
		free(out->commit); /* "unknown" */
		out->commit = NULL;
	}
	hub_error_clear();
	buf_free(&text);
	free(path);
}

static int same_commit(const char *a, const char *b)
{
	return a && b && !strcasecmp(a, b);
}

static void short_sha(const char *sha, char out[16])
{
	snprintf(out, 16, "%.7s", sha ? sha : "unknown");
}

static void set_note(struct job *job, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void set_note(struct job *job, const char *fmt, ...)
{
	char line[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	free(job->note);
	job->note = xasprintf("%s: %s", job->display, line);
}

/* What the ref is, from its spelling (name: a branch or a tag). */
static const char *ref_kind(const char *ref)
{
	if (!strncmp(ref, "refs/heads/", 11))
		return "branch";
	if (!strncmp(ref, "refs/tags/", 10))
		return "tag";
	return spec_ref_is_sha_like(ref) ? "commit" : "name";
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
	record_read(hub_dir, job->cache_name, &job->old);
	job->kind = xstrdup(job->old.kind ? job->old.kind : ref_kind(job->ref));
	if (job->pin) {
		/* A lock: the folder must hold exactly that commit. */
		if (path_is_dir(job->dir) && same_commit(job->old.commit, job->pin)) {
			hub_log("%s: the cache holds the locked commit %s", job->display, job->pin);
			job->cached = 1;
			return HUB_OK;
		}
		job->replace = 1;
		if (opts->offline)
			return fail(job, hub_error(HUB_EOFFLINE, "%s: commit %s is not in the cache (%s) "
						   "and hub is offline", job->display, job->pin, job->dir));
		return HUB_OK;
	}
	if (!opts->force_reload && path_is_dir(job->dir)) {
		hub_log("using cache found in %s", job->dir);
		job->cached = 1;
		if (opts->update && opts->offline)
			return fail(job, hub_error(HUB_EOFFLINE, "%s: --update needs the network, and hub "
						   "is offline", job->display));
		if (opts->update) {
			char sha7[16];
			short_sha(job->old.commit, sha7);
			/* Tags and commits do not move: nothing to ask. */
			if (!strcmp(job->kind, "commit"))
				set_note(job, "a commit id, never fetched again (%s)", sha7);
			else if (!strcmp(job->kind, "tag"))
				set_note(job, "a tag, never fetched again (%s)", sha7);
			else
				job->check_update = 1;
		}
		return HUB_OK;
	}
	job->replace = opts->force_reload;
	if (opts->offline && opts->force_reload)
		return fail(job, hub_error(HUB_EOFFLINE, "%s: --force-reload needs the network, and hub is "
					   "offline", job->display));
	if (opts->offline)
		return fail(job, hub_error(HUB_EOFFLINE, "%s: not in the cache (%s missing) and offline",
					   job->display, job->dir));
	return HUB_OK;
}

/* The branch --update asks about: the ref without refs/heads/, or the one
 * the archive was fetched as (a branch-and-tag name is the branch). */
static const char *branch_of(const struct job *job)
{
	const char *ref = job->old.archive ? job->old.archive : job->ref;
	return !strncmp(ref, "refs/heads/", 11) ? ref + 11 : ref;
}

static void write_record(struct job *job, const char *hub_dir, const char *commit, const char *etag,
			 int fetched_now);

/* --update on a cached branch: one conditional request. A moved head sends
 * the job to download; an unchanged one only refreshes the record. */
static int check_update(struct job *job, const char *hub_dir)
{
	struct github_branch_head head;
	char was[16], now[16];
	int status;

	status = github_branch_check(job->spec.owner, job->spec.name, branch_of(job),
				     job->old.commit ? job->old.commit : "", job->old.etag, &head);
	if (status)
		return fail(job, status);
	short_sha(job->old.commit, was);
	short_sha(head.sha, now);
	switch (head.state) {
	case GITHUB_BRANCH_UNCHANGED:
		set_note(job, "up to date (%s)", now);
		if (strcmp(job->kind, "branch") || (head.etag && (!job->old.etag || strcmp(head.etag, job->old.etag)))) {
			free(job->kind);
			job->kind = xstrdup("branch");
			write_record(job, hub_dir, job->old.commit, head.etag ? head.etag : job->old.etag, 0);
		}
		break;
	case GITHUB_BRANCH_ABSENT:
		if (!strcmp(job->kind, "branch")) {
			set_note(job, "the branch is gone from GitHub; keeping %s", was);
		} else {
			/* Not a branch, so a tag: never asked about again. */
			set_note(job, "a tag, never fetched again (%s)", was);
			free(job->kind);
			job->kind = xstrdup("tag");
			write_record(job, hub_dir, job->old.commit, NULL, 0);
		}
		break;
	case GITHUB_BRANCH_MOVED:
		hub_log("%s: the branch moved from %s to %s", job->display, was, now);
		free(job->kind);
		job->kind = xstrdup("branch");
		free(job->sha);
		job->sha = head.sha;
		head.sha = NULL;
		free(job->etag);
		job->etag = head.etag;
		head.etag = NULL;
		job->cached = 0;
		job->replace = 1;
		break;
	}
	github_branch_head_free(&head);
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

int fetch_make_temp(const char *hub_dir, const char *prefix, char **path_out, int *fd_out)
{
	char *guard_path = path_join(hub_dir, ".hub/locks/tmp.lock");
	char *root = path_join(hub_dir, ".hub/tmp"), *locks = path_join(hub_dir, ".hub/locks");
	char *tmp = NULL;
	int guard = -1, fd = -1, status;

	*path_out = NULL;
	*fd_out = -1;
	if ((status = mkdir_p(root, 0777)) || (status = mkdir_p(locks, 0777)))
		goto done;
	/* Shared while the folder is made and locked: remove_stale_temps
	 * takes it exclusively, so it never sees a folder not yet locked. */
	guard = open(guard_path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0666);
	if (guard >= 0)
		flock(guard, LOCK_SH);
	tmp = xasprintf("%s/%s.XXXXXX", root, prefix);
	if (!mkdtemp(tmp)) {
		status = hub_error_errno(HUB_EFAIL, "cannot create a folder in '%s'", root);
		goto done;
	}
	fd = open(tmp, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0 || !lock_try_fd(fd)) {
		status = hub_error_errno(HUB_EFAIL, "cannot open '%s'", tmp);
		goto done;
	}
	*path_out = tmp;
	*fd_out = fd;
	tmp = NULL;
	fd = -1;
done:
	if (guard >= 0)
		close(guard); /* drops the shared lock */
	if (fd >= 0)
		close(fd);
	if (tmp) {
		rmdir(tmp);
		free(tmp);
	}
	free(guard_path);
	free(root);
	free(locks);
	return status;
}

static int make_temp(struct job *job, const char *hub_dir)
{
	return fetch_make_temp(hub_dir, job->cache_name, &job->tmp, &job->tmp_fd);
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
	/* A pin is fetched by its commit id; a branch hub once took from a
	 * branch-and-tag name, as that branch again. */
	job->archive_ref = xstrdup(job->pin ? job->pin : job->old.archive ? job->old.archive : job->ref);
	setup_request(job);
	return HUB_OK;
}

static void write_record(struct job *job, const char *hub_dir, const char *commit, const char *etag,
			 int fetched_now)
{
	char *folder = path_join(hub_dir, ".hub/refs"), *path = NULL;
	char when[32];
	struct buf text = BUF_INIT(BUF_NOLIMIT, "ref record");
	time_t now = time(NULL);
	struct tm tm;

	gmtime_r(&now, &tm);
	strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", &tm);
	buf_addf(&text, "commit %s\nfetched %s\nspec %s/%s:%s\n", commit ? commit : "unknown",
		 !fetched_now && job->old.fetched ? job->old.fetched : when, job->spec.owner, job->spec.name, job->ref);
	if (job->kind)
		buf_addf(&text, "kind %s\n", job->kind);
	if (job->archive_ref && strcmp(job->archive_ref, job->ref) && !job->pin)
		buf_addf(&text, "archive %s\n", job->archive_ref);
	else if (!job->archive_ref && job->old.archive)
		buf_addf(&text, "archive %s\n", job->old.archive);
	if (etag && *etag && !strchr(etag, '\n'))
		buf_addf(&text, "etag %s\n", etag);
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

/* After the download is published: its record, and --update's news. */
static void record_commit(struct job *job, const char *hub_dir)
{
	const char *commit = untar_commit(job->untar);
	const char *etag = NULL;

	if (!commit || !*commit)
		commit = job->sha;
	/* The ETag belongs to the head --update saw; keep it only when the
	 * archive is that commit (the branch may have moved once more). */
	if (job->etag && same_commit(commit, job->sha))
		etag = job->etag;
	write_record(job, hub_dir, commit, etag, 1);
	free(job->commit);
	job->commit = commit ? xstrdup(commit) : NULL;
	if (job->check_update) {
		char was[16], now[16];
		short_sha(job->old.commit, was);
		short_sha(commit, now);
		set_note(job, "updated from %s to %s", was, now);
	}
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

/* Publishes an extracted job and records it. */
static int finish(struct job *job, const char *hub_dir)
{
	int status;

	job->held = 0;
	if ((status = publish(job, job->replace)))
		return fail(job, status);
	record_commit(job, hub_dir);
	hub_log("%s: %lld bytes in %.2f s into %s", job->display, job->req.resp.bytes,
		job->req.resp.seconds, job->dir);
	return HUB_OK;
}

/* A pinned archive must be the commit the lock names, whole SHA. */
static int check_pin(struct job *job)
{
	const char *commit = untar_commit(job->untar);

	if (same_commit(commit, job->pin))
		return HUB_OK;
	return hub_error(HUB_EINTEGRITY, "%s: the archive of commit %s is %s%s, not what the lock "
			 "names", job->display, job->pin, commit && *commit ? "commit " : "",
			 commit && *commit ? commit : "of an unknown commit (no pax header)");
}

/* After the transfer: 300 asks for a retry as a branch; else finish, and
 * publish unless the batch holds everything until all succeeded. */
static int complete(struct job *job, int http_status, const char *hub_dir, int hold, int *again)
{
	int status;

	*again = 0;
	if (http_status)
		return fail(job, http_status);
	if (job->req.resp.status == 300 && strncmp(job->archive_ref, "refs/", 5) && !job->pin) {
		/* As torch.hub: an ambiguous name is taken to be the branch. */
		char *branch = xasprintf("refs/heads/%s", job->ref);
		hub_log("%s: the ref is both a branch and a tag; taking the branch (%s)", job->display, branch);
		free(job->archive_ref);
		job->archive_ref = branch;
		free(job->kind);
		job->kind = xstrdup("branch");
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
	if (job->req.resp.status == 404 && job->pin)
		return fail(job, hub_error(HUB_EINTEGRITY, "%s: commit %s, which the lock names, is not "
					   "on %s/%s/%s (rewritten history, or a private repository "
					   "without GITHUB_TOKEN)", job->display, job->pin,
					   github_web_url(), job->spec.owner, job->spec.name));
	if (job->req.resp.status == 404)
		return fail(job, github_archive_not_found(job->spec.owner, job->spec.name, job->ref));
	if (job->req.resp.status < 200 || job->req.resp.status >= 300)
		return fail(job, github_answer_error(&job->req, job->spec.owner, job->spec.name, job->ref));
	if ((status = untar_finish(job->untar)))
		return fail(job, status);
	if (job->pin && (status = check_pin(job)))
		return fail(job, status);
	if (hold) {
		job->held = 1;
		return HUB_OK;
	}
	return finish(job, hub_dir);
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
	record_free(&job->old);
	free(job->kind);
	free(job->etag);
	free(job->commit);
	free(job->note);
}

static int needs_download(const struct job *job)
{
	return !job->status && !job->is_local && !job->cached && job->same_as < 0;
}

static int run_batch(const char *const *specs, const char *const *pins, size_t count,
		     const struct fetch_options *opts, struct fetch_result *results)
{
	struct job *jobs = xcalloc(count ? count : 1, sizeof(*jobs));
	size_t *order = xcalloc(count ? count : 1, sizeof(*order));
	struct http_request **reqs = xcalloc(count ? count : 1, sizeof(*reqs));
	int *statuses = xcalloc(count ? count : 1, sizeof(*statuses));
	struct hubdir hub = { NULL, 0, NULL };
	size_t i, j, n_order = 0, n_reqs;
	int status = HUB_OK, have_hub = 0, cleaned = 0, failed = 0;
	int hold = opts->all_or_nothing;
	char *refusal = NULL;

	if (opts->offline)
		http_set_offline(1);
	for (i = 0; i < count; i++) {
		struct job *job = &jobs[i];
		char *local = NULL;

		job->text = specs[i];
		job->pin = pins ? pins[i] : NULL;
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
		if (j < i && job->pin && !same_commit(jobs[j].pin, job->pin)) {
			fail(job, hub_error(HUB_EINTEGRITY, "%s: the lock names two commits (%s, %s) for "
					    "one folder, %s", job->display, jobs[j].pin, job->pin,
					    job->cache_name));
			continue;
		}
		if (j < i)
			job->same_as = (int)j;
		else if (job->check_update && check_update(job, hub.path))
			continue;
		if (j == i && !job->cached)
			order[n_order++] = i;
	}
	for (i = 0; i < count && hold; i++)
		failed |= jobs[i].status != 0;

	/* Lock, in cache-name order; who waited may find the work done. */
	qsort_r(order, n_order, sizeof(*order), compare_jobs, jobs);
	for (i = 0; i < n_order && !failed; i++) {
		struct job *job = &jobs[order[i]];
		int waited = 0;

		if (!cleaned) {
			remove_stale_temps(hub.path);
			cleaned = 1;
		}
		if ((status = lock_acquire(&job->lock, hub.path, job->cache_name, job->display, &waited))) {
			fail(job, status);
			failed = hold;
			continue;
		}
		if (waited || job->pin || job->check_update) {
			/* Another hub may have done it while this one waited. */
			struct record now;
			const char *want = job->pin ? job->pin : job->sha;
			record_read(hub.path, job->cache_name, &now);
			if (path_is_dir(job->dir) && (job->pin || job->check_update) &&
			    same_commit(now.commit, want)) {
				hub_log("%s: fetched meanwhile by another hub; using %s", job->display, job->dir);
				if (job->check_update) {
					char was[16], sha7[16];
					short_sha(job->old.commit, was);
					short_sha(now.commit, sha7);
					set_note(job, "updated from %s to %s (by another hub)", was, sha7);
				}
				job->cached = 1;
			}
			record_free(&now);
		}
		if (!job->cached && !job->replace && path_is_dir(job->dir)) {
			hub_log("%s: fetched meanwhile by another hub; using %s", job->display, job->dir);
			job->cached = 1;
		}
		if (job->cached) {
			lock_release(&job->lock);
			continue;
		}
		/* Only a ref that may be a commit id costs API requests here. */
		if (!opts->skip_validation && !job->pin && !job->check_update &&
		    (status = github_validate_ref(job->spec.owner, job->spec.name, job->ref, &job->sha))) {
			fail(job, status);
			lock_release(&job->lock);
			failed = hold;
			continue;
		}
		if (prepare_download(job, hub.path))
			failed = hold;
	}

	/* Every archive at once; a 300 sends its job round once more. */
	for (;;) {
		n_reqs = 0;
		for (i = 0; i < count && !failed; i++)
			if (needs_download(&jobs[i]) && jobs[i].untar && !jobs[i].held)
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
			if (complete(job, statuses[j], hub.path, hold, &again) && hold)
				failed = 1;
			if (!again && !job->held) {
				drop_temp(job);
				lock_release(&job->lock);
			}
		}
	}
	/* All or nothing: everything extracted and checked (and whatever the
	 * caller must check with it), or nothing moves. */
	if (hold && !failed && opts->before_publish && opts->before_publish(opts->before_publish_ctx)) {
		failed = 1;
		refusal = xstrdup(hub_error_message());
	}
	for (i = 0; i < count; i++) {
		struct job *job = &jobs[i];
		if (!job->held)
			continue;
		if (!failed && finish(job, hub.path))
			failed = 1; /* a rename failed: the rest stay as they were */
		else if (failed)
			job->held = 0;
		drop_temp(job);
		lock_release(&job->lock);
	}
	if (failed) {
		/* Say why each SPEC that did not fail itself was not published. */
		for (i = 0; i < count; i++) {
			struct job *job = &jobs[i];
			if (!job->status && !job->cached && !job->is_local && job->same_as < 0 && !job->commit) {
				hub_error(HUB_EFAIL, "%s: not fetched, as %s", job->display,
					  refusal ? refusal : "another entry failed");
				fail(job, HUB_EFAIL);
			}
		}
	}

	status = HUB_OK;
	for (i = 0; i < count; i++) {
		struct job *job = &jobs[i];
		struct fetch_result *r = &results[i];

		if (job->same_as >= 0) {
			struct job *first = &jobs[job->same_as];
			if (!job->status) {
				job->status = first->status;
				free(job->error);
				job->error = first->error ? xstrdup(first->error) : NULL;
			}
			job->cached = first->cached;
			free(job->commit);
			job->commit = first->commit ? xstrdup(first->commit) : NULL;
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
			if (!job->is_local)
				r->spec = xasprintf("%s/%s:%s", job->spec.owner, job->spec.name, job->ref);
			if (job->commit)
				r->commit = xstrdup(job->commit);
			else if (job->cached && job->old.commit)
				r->commit = xstrdup(job->old.commit);
			else if (job->cached && job->pin)
				r->commit = xstrdup(job->pin);
			if (job->note) {
				r->note = xstrdup(job->note);
				if (opts->notice)
					opts->notice(job->note);
			}
		}
		job_free(job);
	}
	if (have_hub)
		hubdir_free(&hub);
	free(refusal);
	free(jobs);
	free(order);
	free(reqs);
	free(statuses);
	return status;
}

int fetch_specs(const char *const *specs, size_t count, const struct fetch_options *opts,
		struct fetch_result *results)
{
	return run_batch(specs, NULL, count, opts, results);
}

int fetch_pinned(const char *const *specs, const char *const *commits, size_t count,
		 const struct fetch_options *opts, struct fetch_result *results)
{
	struct fetch_options pinned = *opts;

	pinned.force_reload = 0;
	pinned.update = 0;
	pinned.skip_validation = 1;
	pinned.all_or_nothing = 1;
	return run_batch(specs, commits, count, &pinned, results);
}

void fetch_result_free(struct fetch_result *result)
{
	if (!result)
		return;
	free(result->dir);
	free(result->error);
	free(result->spec);
	free(result->commit);
	free(result->note);
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
