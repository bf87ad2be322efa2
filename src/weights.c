/*
 * weights.c - checkpoint downloads with SHA-256 on the fly, resume across
 * runs, parallel transfers and the checkpoint manifest. See weights.h.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "err.h"
#include "http.h"
#include "lock.h"
#include "pyscan.h"
#include "sha256.h"
#include "util.h"
#include "weights.h"

#define RECORD_MAX (64 * 1024)
#define WRITEBACK_STEP (8LL << 20)

/* What a job needs while its transfer runs. */
struct job_state {
	struct http_request req;
	struct lock lock;
	struct sha256_pipe *sha;  /* hashes on its own thread */
	int fd;
	char *tmp_path;          /* the bytes as they arrive */
	char *meta_path;         /* .hub/partial/NAME.json; NULL for -o */
	char *display_url;       /* the URL without query, for messages */
	char prefix[65];         /* expected hash prefix; "" when none */
	char *validator;         /* If-Range of a resumed download */
	long long recorded_size; /* the size the partial's record announced */
	long long written_back;  /* bytes handed to the kernel's writeback */
	int meta_written;
	int start_over;          /* a resume the server refused: run again fresh */
	int duplicate_of;        /* index of the job with the same path, or -1 */
};

static struct weight_job *active_jobs;
static size_t active_count;

struct weight_job *weights_active_jobs(size_t *count)
{
	*count = active_count;
	return active_jobs;
}

static void hex_digest(struct sha256 *sha, char *out)
{
	unsigned char digest[32];

	sha256_final(sha, digest);
	sha256_hex(digest, out);
}

static void pipe_hex_digest(struct sha256_pipe *sha, char *out)
{
	unsigned char digest[32];

	sha256_pipe_final(sha, digest);
	sha256_hex(digest, out);
}

int weights_hash_file(const char *path, char *hex_out, long long *size_out)
{
	static char chunk[1 << 17];
	struct sha256 sha;
	long long size = 0;
	int fd = open(path, O_RDONLY | O_CLOEXEC), status = HUB_OK;
	ssize_t n;

	if (fd < 0)
		return hub_error_errno(errno == ENOENT ? HUB_ENOTFOUND : HUB_EFAIL,
				       "cannot read '%s'", path);
	sha256_init(&sha);
	while ((n = read(fd, chunk, sizeof(chunk))) != 0) {
		if (n < 0) {
			if (errno == EINTR)
				continue;
			status = hub_error_errno(HUB_EFAIL, "cannot read '%s'", path);
			goto done;
		}
		sha256_update(&sha, chunk, (size_t)n);
		size += n;
	}
	hex_digest(&sha, hex_out);
	if (size_out)
		*size_out = size;
done:
	close(fd);
	return status;
}

int weights_url_name(const char *url, char **name_out)
{
	const char *scheme = strstr(url, "://"), *path, *end, *slash;
	size_t len;

	*name_out = NULL;
	if (!scheme)
		return hub_error(HUB_EUSAGE, "'%s': not a URL", url);
	end = url + strcspn(url, "?#");
	path = memchr(scheme + 3, '/', (size_t)(end - scheme - 3));
	if (!path)
		return hub_error(HUB_EUSAGE, "'%s': the URL names no file (use --file-name)", url);
	for (slash = end; slash > path && slash[-1] != '/'; slash--)
		;
	len = (size_t)(end - slash);
	if (!len || (len == 1 && slash[0] == '.') || (len == 2 && slash[0] == '.' && slash[1] == '.'))
		return hub_error(HUB_EUSAGE, "'%s': the URL names no file (use --file-name)", url);
	*name_out = xstrndup(slash, len);
	return HUB_OK;
}

static int is_lower_hex(int c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
}

int weights_name_hash_prefix(const char *name, char *out)
{
	const char *p;

	/* re.search(r'-([a-f0-9]*)\.', name): at each '-', the longest run
	 * of hex digits must be followed by '.'; the first such '-' wins. */
	for (p = name; (p = strchr(p, '-')); p++) {
		size_t n = 0;
		while (is_lower_hex((unsigned char)p[1 + n]))
			n++;
		if (p[1 + n] != '.')
			continue;
		if (n < 8)
			return hub_error(HUB_EUSAGE, "%s: --check-hash needs at least 8 hex digits "
					 "in the name (-<hex>.), found %zu", name, n);
		if (n > 64)
			n = 64;
		memcpy(out, p + 1, n);
		out[n] = '\0';
		return HUB_OK;
	}
	return hub_error(HUB_EUSAGE, "%s: --check-hash needs a hash in the name "
			 "(-<8 or more hex digits>.), found none", name);
}

/* A --hash-prefix value, lower-cased into out. */
static int parse_hash_prefix(const char *text, char *out)
{
	size_t i, n = strlen(text);

	if (!n || n > 64)
		return hub_error(HUB_EUSAGE, "--hash-prefix: expected 1 to 64 hex digits, got '%s'", text);
	for (i = 0; i < n; i++) {
		int c = (unsigned char)text[i];
		if (c >= 'A' && c <= 'F')
			c = c - 'A' + 'a';
		if (!is_lower_hex(c))
			return hub_error(HUB_EUSAGE, "--hash-prefix: '%s' is not hexadecimal", text);
		out[i] = (char)c;
	}
	out[n] = '\0';
	return HUB_OK;
}

/* ---- the manifest: .hub/weights/NAME.json ---- */

static char *record_path(const char *hub_dir, const char *name)
{
	return xasprintf("%s/.hub/weights/%s.json", hub_dir, name);
}

void weight_record_free(struct weight_record *record)
{
	if (!record)
		return;
	free(record->name);
	free(record->url);
	memset(record, 0, sizeof(*record));
}

int weights_record_read(const char *hub_dir, const char *name, struct weight_record *out)
{
	char *path = record_path(hub_dir, name);
	struct buf text = BUF_INIT(RECORD_MAX, "manifest record");
	cJSON *root = NULL, *item;
	int status;

	memset(out, 0, sizeof(*out));
	out->size = -1;
	out->name = xstrdup(name);
	status = read_file(path, &text);
	if (status == HUB_ENOTFOUND) {
		hub_error_clear();
		goto done;
	}
	if (status)
		goto done;
	root = cJSON_Parse(buf_str(&text));
	if (!cJSON_IsObject(root)) {
		/* A damaged record says nothing: verify treats it as absent. */
		status = HUB_ENOTFOUND;
		goto done;
	}
	if (cJSON_IsString(item = cJSON_GetObjectItem(root, "url")))
		out->url = xstrdup(item->valuestring);
	if (cJSON_IsNumber(item = cJSON_GetObjectItem(root, "size")))
		out->size = (long long)item->valuedouble;
	item = cJSON_GetObjectItem(root, "sha256");
	if (cJSON_IsString(item) && strlen(item->valuestring) == 64)
		memcpy(out->sha256, item->valuestring, 65);
done:
	cJSON_Delete(root);
	buf_free(&text);
	free(path);
	return status;
}

int weights_record_write(const char *hub_dir, const struct weight_record *record)
{
	char *folder = path_join(hub_dir, ".hub/weights");
	char *path = record_path(hub_dir, record->name), *text = NULL;
	cJSON *root = cJSON_CreateObject();
	int status;

	if ((status = mkdir_p(folder, 0777)))
		goto done;
	cJSON_AddStringToObject(root, "name", record->name);
	if (record->url)
		cJSON_AddStringToObject(root, "url", record->url);
	cJSON_AddNumberToObject(root, "size", (double)record->size);
	cJSON_AddStringToObject(root, "sha256", record->sha256);
	cJSON_AddNumberToObject(root, "time", (double)time(NULL));
	text = cJSON_PrintUnformatted(root);
	status = write_file_atomic(path, text, strlen(text), 0666);
done:
	cJSON_Delete(root);
	free(text);
	free(folder);
	free(path);
	return status;
}

/* ---- one transfer ---- */

/* .hub/partial/NAME.json: what a later run needs to ask for the rest. A
 * weak ETag cannot be used in If-Range, so Last-Modified stands in. */
static void write_partial_record(struct weight_job *job)
{
	struct job_state *st = job->internal;
	const struct http_response *r = &st->req.resp;
	const char *validator = r->etag && strncmp(r->etag, "W/", 2) ? r->etag : r->last_modified;
	cJSON *root;
	char *text;

	st->meta_written = 1;
	job->total = r->size;
	if (!st->meta_path || !validator)
		return;
	root = cJSON_CreateObject();
	cJSON_AddStringToObject(root, "url", job->url);
	cJSON_AddStringToObject(root, "validator", validator);
	cJSON_AddNumberToObject(root, "size", (double)r->size);
	text = cJSON_PrintUnformatted(root);
	if (write_file_atomic(st->meta_path, text, strlen(text), 0666))
		hub_log("%s", hub_error_message());
	free(text);
	cJSON_Delete(root);
}

/* The record of an earlier run's partial download of this job's URL. */
static int read_partial_record(struct weight_job *job)
{
	struct job_state *st = job->internal;
	struct buf text = BUF_INIT(RECORD_MAX, "partial record");
	cJSON *root = NULL, *url, *validator, *size;
	int found = 0;

	if (read_file(st->meta_path, &text)) {
		hub_error_clear();
		goto done;
	}
	root = cJSON_Parse(buf_str(&text));
	url = cJSON_GetObjectItem(root, "url");
	validator = cJSON_GetObjectItem(root, "validator");
	size = cJSON_GetObjectItem(root, "size");
	if (cJSON_IsString(url) && !strcmp(url->valuestring, job->url) &&
	    cJSON_IsString(validator) && *validator->valuestring) {
		free(st->validator);
		st->validator = xstrdup(validator->valuestring);
		st->recorded_size = cJSON_IsNumber(size) ? (long long)size->valuedouble : -1;
		found = 1;
	}
done:
	cJSON_Delete(root);
	buf_free(&text);
	return found;
}

/* Hashes what the partial file holds, and leaves the offset at its end. */
static int take_partial(struct weight_job *job)
{
	static char chunk[1 << 17];
	struct job_state *st = job->internal;
	long long size = 0;
	ssize_t n;

	while ((n = read(st->fd, chunk, sizeof(chunk))) != 0) {
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return hub_error_errno(HUB_EFAIL, "cannot read '%s'", st->tmp_path);
		}
		sha256_pipe_update(st->sha, chunk, (size_t)n);
		size += n;
	}
	job->received = job->resumed_from = size;
	st->written_back = size;
	st->req.resume_from = size;
	st->req.if_range = st->validator;
	job->total = st->recorded_size;
	return HUB_OK;
}

static int on_write(void *ctx, const void *data, size_t len)
{
	struct weight_job *job = ctx;
	struct job_state *st = job->internal;

	if (!st->meta_written)
		write_partial_record(job);
	if (write_all(st->fd, data, len))
		return hub_error_errno(HUB_EFAIL, "cannot write '%s'", st->tmp_path);
	sha256_pipe_update(st->sha, data, len);
	job->received += (long long)len;
	/* The file is fsynced before it is published; starting the writeback
	 * as the bytes arrive leaves that fsync only the tail to wait for. */
	if (job->received - st->written_back >= WRITEBACK_STEP) {
		sync_file_range(st->fd, st->written_back, job->received - st->written_back,
				SYNC_FILE_RANGE_WRITE);
		st->written_back = job->received;
	}
	job->state = WEIGHT_ACTIVE;
	return HUB_OK;
}

static int on_restart(void *ctx)
{
	struct weight_job *job = ctx;
	struct job_state *st = job->internal;

	if (ftruncate(st->fd, 0) || lseek(st->fd, 0, SEEK_SET) < 0)
		return hub_error_errno(HUB_EFAIL, "cannot write '%s'", st->tmp_path);
	sha256_pipe_reset(st->sha);
	job->received = 0;
	st->written_back = 0;
	job->resumed_from = 0;
	/* A changed file: its validators are the new answer's. */
	st->meta_written = 0;
	return HUB_OK;
}

static void job_fail(struct weight_job *job, int status)
{
	job->state = WEIGHT_FAILED;
	job->status = status;
	free(job->error);
	job->error = xstrdup(hub_error_message());
}

static void state_free(struct job_state *st)
{
	if (!st)
		return;
	if (st->fd >= 0)
		close(st->fd);
	lock_release(&st->lock);
	sha256_pipe_free(st->sha);
	http_request_free(&st->req);
	free(st->tmp_path);
	free(st->meta_path);
	free(st->display_url);
	free(st->validator);
	free(st);
}

void weight_job_free(struct weight_job *job)
{
	if (!job)
		return;
	state_free(job->internal);
	job->internal = NULL;
	free(job->name);
	free(job->path);
	free(job->error);
	job->name = job->path = job->error = NULL;
}

/* Works out name, path and expected prefix; no file is touched. */
static int job_prepare(struct weight_job *job, const struct weights_options *opts)
{
	struct job_state *st = xcalloc(1, sizeof(*st));
	int status;

	st->fd = -1;
	st->lock.fd = -1;
	st->duplicate_of = -1;
	job->internal = st;
	job->size = job->total = -1;
	job->sha256[0] = '\0';
	st->display_url = http_display_url(job->url);
	if (strncmp(job->url, "https://", 8) && strncmp(job->url, "http://", 7))
		return hub_error(HUB_EUSAGE, "'%s': not an http or https URL", st->display_url);
	if (job->output) {
		const char *slash = strrchr(job->output, '/');
		job->path = path_absolute(job->output);
		job->name = xstrdup(slash ? slash + 1 : job->output);
		if (!*job->name)
			return hub_error(HUB_EUSAGE, "-o '%s': names a folder, not a file", job->output);
	} else {
		if (job->file_name) {
			if (!*job->file_name || strchr(job->file_name, '/') ||
			    !strcmp(job->file_name, ".") || !strcmp(job->file_name, ".."))
				return hub_error(HUB_EUSAGE, "--file-name '%s': expected a plain file name",
						 job->file_name);
			job->name = xstrdup(job->file_name);
		} else if ((status = weights_url_name(job->url, &job->name))) {
			return status;
		}
		job->path = xasprintf("%s/checkpoints/%s", opts->hub_dir, job->name);
	}
	if (job->hash_prefix && (status = parse_hash_prefix(job->hash_prefix, st->prefix)))
		return status;
	/* torch.hub takes the prefix from the local name: file_name matters. */
	if (job->check_hash && !st->prefix[0] &&
	    (status = weights_name_hash_prefix(job->name, st->prefix)))
		return status;
	return HUB_OK;
}

/* Opens the file the bytes go to; for checkpoints, resumes what an earlier
 * run left in .hub/partial/ when the server can be asked for the rest. */
static int job_open(struct weight_job *job, const struct weights_options *opts, int fresh)
{
	struct job_state *st = job->internal;
	char *folder = NULL;
	int status = HUB_OK;

	/* The hashing thread is started for a transfer, not for every job:
	 * most jobs of a warm cache never transfer anything. */
	if (!st->sha)
		st->sha = sha256_pipe_new();
	else
		sha256_pipe_reset(st->sha);
	job->received = job->resumed_from = 0;
	st->written_back = 0;
	st->req.resume_from = 0;
	st->req.if_range = NULL;
	st->meta_written = 0;
	st->start_over = 0;
	if (job->output) {
		char *slash;
		folder = xstrdup(job->path);
		slash = strrchr(folder, '/');
		*slash = '\0';
		/* Beside the destination, so the rename cannot cross a mount;
		 * a dot name so globs in that folder do not see it. */
		st->tmp_path = xasprintf("%s/.%s.hub-%ld.partial", *folder ? folder : "/", job->name,
					 (long)getpid());
	} else {
		folder = path_join(opts->hub_dir, ".hub/partial");
		if ((status = mkdir_p(folder, 0777)))
			goto done;
		free(st->tmp_path);
		free(st->meta_path);
		st->tmp_path = xasprintf("%s/%s.part", folder, job->name);
		st->meta_path = xasprintf("%s/%s.json", folder, job->name);
		/* Under the lock, an existing partial is a dead run's: resume
		 * it when its record says how to ask for the rest. */
		if (!fresh && read_partial_record(job)) {
			st->fd = open(st->tmp_path, O_RDWR | O_CLOEXEC | O_NOFOLLOW);
			if (st->fd >= 0) {
				if ((status = take_partial(job)))
					goto done;
				if (job->resumed_from > 0) {
					/* Its record stays: a run killed now resumes too. */
					st->meta_written = 1;
					goto done;
				}
				close(st->fd);
				st->fd = -1;
			}
		}
		unlink(st->meta_path);
	}
	st->fd = open(st->tmp_path, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0666);
	if (st->fd < 0)
		status = hub_error_errno(HUB_EFAIL, "cannot write '%s'", st->tmp_path);
done:
	free(folder);
	return status;
}

static void job_discard(struct job_state *st)
{
	if (st->fd >= 0)
		close(st->fd);
	st->fd = -1;
	if (st->tmp_path)
		unlink(st->tmp_path);
	if (st->meta_path)
		unlink(st->meta_path);
}

/* The transfer is over: check, publish, record. */
static int job_finish(struct weight_job *job, int http_status, const struct weights_options *opts)
{
	struct job_state *st = job->internal;
	struct http_request *req = &st->req;
	char *folder = NULL;
	int status = http_status;

	if (status) {
		/* A lost link keeps the partial for the next run; anything
		 * else (offline, a write error) leaves nothing. */
		hub_error(status, "%s", req->resp.error ? req->resp.error : "request failed");
		if (status != HUB_ENETWORK || !st->meta_path)
			job_discard(st);
		goto done;
	}
	if (req->resp.status == 416 && job->resumed_from > 0) {
		/* If-Range matched and nothing is left to send: the dead run
		 * had everything. Otherwise the partial is no use. */
		if (job->received != st->recorded_size) {
			job_discard(st);
			st->start_over = 1;
			goto done;
		}
	} else if (req->resp.status < 200 || req->resp.status >= 300) {
		status = http_status_error(req);
		job_discard(st);
		goto done;
	}
	pipe_hex_digest(st->sha, job->sha256);
	job->size = job->received;
	if (st->prefix[0] && strncmp(job->sha256, st->prefix, strlen(st->prefix))) {
		status = hub_error(HUB_EINTEGRITY, "%s: hash mismatch: expected %s, got %s "
				   "(from %s; nothing was kept)", job->name, st->prefix,
				   job->sha256, st->display_url);
		job_discard(st);
		goto done;
	}
	if (fsync(st->fd) || close(st->fd)) {
		st->fd = -1;
		status = hub_error_errno(HUB_EFAIL, "cannot write '%s'", st->tmp_path);
		job_discard(st);
		goto done;
	}
	st->fd = -1;
	if (!job->output) {
		folder = path_join(opts->hub_dir, "checkpoints");
		if ((status = mkdir_p(folder, 0777))) {
			job_discard(st);
			goto done;
		}
	}
	if (rename(st->tmp_path, job->path)) {
		status = hub_error_errno(HUB_EFAIL, "cannot move the download to '%s'", job->path);
		job_discard(st);
		goto done;
	}
	if (st->meta_path)
		unlink(st->meta_path);
	if (!job->output) {
		struct weight_record record = { job->name, (char *)job->url, job->size, "" };
		memcpy(record.sha256, job->sha256, sizeof(record.sha256));
		/* The checkpoint is in place; a record that cannot be written
		 * costs --verify its full hash, not the download. */
		if (weights_record_write(opts->hub_dir, &record))
			hub_log("%s", hub_error_message());
	}
	job->state = WEIGHT_DONE;
done:
	free(folder);
	if (status)
		job_fail(job, status);
	return status;
}

static int compare_names(const void *a, const void *b)
{
	const struct weight_job *const *x = a, *const *y = b;
	return strcmp((*x)->name, (*y)->name);
}

/* --dry-run: HEAD requests for the sizes; files already in checkpoints/
 * need none. */
static int probe(struct weight_job *jobs, size_t count, const struct weights_options *opts)
{
	struct http_request **reqs = xcalloc(count ? count : 1, sizeof(*reqs));
	int *statuses = xcalloc(count ? count : 1, sizeof(*statuses));
	size_t i, n = 0;
	int status = HUB_OK;

	for (i = 0; i < count; i++) {
		struct weight_job *job = &jobs[i];
		struct job_state *st;
		struct stat sb;
		int s;

		job->state = WEIGHT_QUEUED;
		job->status = 0;
		if ((s = job_prepare(job, opts))) {
			job_fail(job, s);
			continue;
		}
		st = job->internal;
		if (!job->output && !opts->force && !stat(job->path, &sb)) {
			job->state = WEIGHT_PRESENT;
			job->size = job->total = (long long)sb.st_size;
			continue;
		}
		st->req.url = job->url;
		st->req.what = job->name;
		st->req.head = 1;
		st->req.ctx = job;
		reqs[n++] = &st->req;
	}
	if (n)
		http_perform_many(reqs, n, statuses, opts->jobs > 0 ? opts->jobs : WEIGHTS_DEFAULT_JOBS);
	for (i = 0; i < n; i++) {
		struct weight_job *job = reqs[i]->ctx;
		int s = statuses[i];

		if (!s && (reqs[i]->resp.status < 200 || reqs[i]->resp.status >= 300))
			s = http_status_error(reqs[i]);
		else if (s)
			hub_error(s, "%s", reqs[i]->resp.error ? reqs[i]->resp.error : "request failed");
		if (s) {
			job_fail(job, s);
			continue;
		}
		job->state = WEIGHT_QUEUED;
		job->total = reqs[i]->resp.size;
	}
	for (i = 0; i < count; i++)
		if (jobs[i].status && status == HUB_OK)
			status = hub_error(jobs[i].status, "%s", jobs[i].error);
	free(reqs);
	free(statuses);
	return status;
}

int weights_download(struct weight_job *jobs, size_t count, const struct weights_options *opts)
{
	struct http_request **reqs = xcalloc(count ? count : 1, sizeof(*reqs));
	struct weight_job **order = xcalloc(count ? count : 1, sizeof(*order));
	int *statuses = xcalloc(count ? count : 1, sizeof(*statuses));
	size_t i, j, n_order = 0, n_reqs = 0;
	int status = HUB_OK, round;

	if (opts->head_only) {
		free(reqs);
		free(order);
		free(statuses);
		return probe(jobs, count, opts);
	}

	for (i = 0; i < count; i++) {
		struct weight_job *job = &jobs[i];
		struct job_state *st;
		int s;

		job->state = WEIGHT_QUEUED;
		job->status = 0;
		if ((s = job_prepare(job, opts))) {
			job_fail(job, s);
			continue;
		}
		st = job->internal;
		for (j = 0; j < i; j++) {
			if (jobs[j].path && !strcmp(jobs[j].path, job->path)) {
				if (strcmp(jobs[j].url, job->url)) {
					job_fail(job, hub_error(HUB_EUSAGE, "%s: two URLs would write it "
								"(%s and %s; use --file-name)", job->name,
								((struct job_state *)jobs[j].internal)->display_url,
								st->display_url));
				} else {
					st->duplicate_of = (int)j;
				}
				break;
			}
		}
		if (job->state != WEIGHT_FAILED && st->duplicate_of < 0)
			order[n_order++] = job;
	}
	/* Locks in name order: two hubs fetching overlapping sets never wait
	 * on each other in a circle. */
	qsort(order, n_order, sizeof(*order), compare_names);
	for (i = 0; i < n_order; i++) {
		struct weight_job *job = order[i];
		struct job_state *st = job->internal;
		char *lock_name;
		int s;

		if (!job->output) {
			lock_name = xasprintf("checkpoint-%s", job->name);
			s = lock_acquire(&st->lock, opts->hub_dir, lock_name, job->name, NULL);
			free(lock_name);
			if (s) {
				job_fail(job, s);
				continue;
			}
			if (!opts->force && path_exists(job->path)) {
				struct weight_record record;
				struct stat sb;
				job->state = WEIGHT_PRESENT;
				if (!stat(job->path, &sb))
					job->size = job->total = job->received = (long long)sb.st_size;
				if (!weights_record_read(opts->hub_dir, job->name, &record) &&
				    record.size == job->size)
					memcpy(job->sha256, record.sha256, sizeof(job->sha256));
				weight_record_free(&record);
				lock_release(&st->lock);
				continue;
			}
		}
		if ((s = job_open(job, opts, opts->force))) {
			job_fail(job, s);
			continue;
		}
		st->req.url = job->url;
		st->req.what = job->name;
		st->req.write = on_write;
		st->req.restart = on_restart;
		st->req.ctx = job;
		reqs[n_reqs++] = &st->req;
	}

	active_jobs = jobs;
	active_count = count;
	/* A second round only for resumes the server could not continue. */
	for (round = 0; n_reqs && round < 2; round++) {
		size_t again = 0;

		http_perform_many(reqs, n_reqs, statuses, opts->jobs > 0 ? opts->jobs : WEIGHTS_DEFAULT_JOBS);
		for (i = 0; i < n_reqs; i++) {
			struct weight_job *job = reqs[i]->ctx;
			struct job_state *st = job->internal;
			int s;

			job_finish(job, statuses[i], opts);
			if (!st->start_over || round == 1) {
				if (st->start_over)
					job_fail(job, hub_error(HUB_ENETWORK, "%s: the server refused to resume "
								"or restart the download", job->name));
				lock_release(&st->lock);
				continue;
			}
			hub_log("%s: the partial download cannot be resumed, starting over", job->name);
			if ((s = job_open(job, opts, 1))) {
				job_fail(job, s);
				lock_release(&st->lock);
				continue;
			}
			reqs[again++] = reqs[i];
		}
		n_reqs = again;
	}
	active_jobs = NULL;
	active_count = 0;

	for (i = 0; i < count; i++) {
		struct job_state *st = jobs[i].internal;
		if (st && st->duplicate_of >= 0) {
			struct weight_job *first = &jobs[st->duplicate_of];
			jobs[i].state = first->state == WEIGHT_FAILED ? WEIGHT_FAILED : WEIGHT_PRESENT;
			jobs[i].status = first->status;
			jobs[i].error = first->error ? xstrdup(first->error) : NULL;
			jobs[i].size = first->size;
			memcpy(jobs[i].sha256, first->sha256, sizeof(jobs[i].sha256));
		}
		if (jobs[i].status && status == HUB_OK)
			status = hub_error(jobs[i].status, "%s", jobs[i].error);
	}
	free(reqs);
	free(order);
	free(statuses);
	return status;
}

/* ---- --verify ---- */

void verify_list_free(struct verify_list *list)
{
	size_t i;

	if (!list)
		return;
	for (i = 0; i < list->count; i++) {
		free(list->entries[i].name);
		free(list->entries[i].expected);
	}
	free(list->entries);
	list->entries = NULL;
	list->count = 0;
}

static int compare_entries(const void *a, const void *b)
{
	const struct verify_entry *x = a, *y = b;
	return strcmp(x->name, y->name);
}

static void verify_one(const char *hub_dir, const char *folder, struct verify_entry *entry)
{
	char *path = path_join(folder, entry->name);
	struct weight_record record;
	char prefix[65];
	long long size = -1;

	entry->result = VERIFY_UNCHECKED;
	if (weights_hash_file(path, entry->sha256, &size)) {
		entry->result = VERIFY_UNREADABLE;
		entry->expected = xstrdup(hub_error_message());
		goto done;
	}
	if (!weights_record_read(hub_dir, entry->name, &record) && record.sha256[0]) {
		entry->source = "manifest";
		entry->result = VERIFY_OK;
		if (strcmp(record.sha256, entry->sha256) || (record.size >= 0 && record.size != size)) {
			entry->result = VERIFY_MISMATCH;
			entry->expected = xstrdup(record.sha256);
		}
	}
	weight_record_free(&record);
	/* The name's own prefix, as --check-hash reads it, is a second
	 * witness that holds even for files torch.hub downloaded. */
	if (entry->result != VERIFY_MISMATCH && !weights_name_hash_prefix(entry->name, prefix)) {
		if (strncmp(entry->sha256, prefix, strlen(prefix))) {
			entry->result = VERIFY_MISMATCH;
			entry->expected = xstrdup(prefix);
			entry->source = "file name";
		} else if (entry->result == VERIFY_UNCHECKED) {
			entry->result = VERIFY_OK;
			entry->source = "file name";
		}
	}
done:
	hub_error_clear();
	free(path);
}

int weights_verify(const char *hub_dir, struct verify_list *out)
{
	char *folder = path_join(hub_dir, "checkpoints");
	DIR *dir;
	struct dirent *entry;
	size_t i, cap = 0;
	int status = HUB_OK;

	out->entries = NULL;
	out->count = 0;
	dir = opendir(folder);
	if (!dir) {
		if (errno != ENOENT)
			status = hub_error_errno(HUB_EFAIL, "cannot read '%s'", folder);
		goto done;
	}
	while ((entry = readdir(dir))) {
		char *path;
		struct stat sb;
		int regular;

		if (entry->d_name[0] == '.')
			continue;
		path = path_join(folder, entry->d_name);
		regular = !stat(path, &sb) && S_ISREG(sb.st_mode);
		free(path);
		if (!regular)
			continue;
		if (out->count == cap) {
			cap = cap ? 2 * cap : 16;
			out->entries = xrealloc(out->entries, cap * sizeof(*out->entries));
		}
		memset(&out->entries[out->count], 0, sizeof(out->entries[0]));
		out->entries[out->count++].name = xstrdup(entry->d_name);
	}
	closedir(dir);
	qsort(out->entries, out->count, sizeof(*out->entries), compare_entries);
	for (i = 0; i < out->count; i++)
		verify_one(hub_dir, folder, &out->entries[i]);
	for (i = 0; i < out->count; i++) {
		struct verify_entry *e = &out->entries[i];
		if (e->result == VERIFY_MISMATCH) {
			status = hub_error(HUB_EINTEGRITY, "%s: hash mismatch: expected %s (%s), got %s",
					   e->name, e->expected, e->source, e->sha256);
			break;
		}
	}
done:
	free(folder);
	return status;
}

/* ---- --weights: URLs named by the repository's Python code ---- */

int weights_is_weight_url(const char *text)
{
	static const char *const extensions[] = {
		".pth", ".pt", ".pth.tar", ".tar", ".ckpt", ".bin", ".safetensors", ".onnx",
		".zip", ".npz", ".npy", ".h5", ".hdf5", ".pkl", ".pickle", ".pb", ".tflite",
		".params", ".gguf", ".msgpack",
	};
	const char *host, *end;
	size_t i, len;

	if (!strncmp(text, "https://", 8))
		host = text + 8;
	else if (!strncmp(text, "http://", 7))
		host = text + 7;
	else
		return 0;
	/* A URL in code is one token: spaces or braces mean a template or
	 * prose, not a file hub could fetch as is. */
	if (text[strcspn(text, " \t\r\n{}<>\"'\\")])
		return 0;
	end = text + strcspn(text, "?#");
	if (!memchr(host, '/', (size_t)(end - host)))
		return 0;
	len = (size_t)(end - text);
	for (i = 0; i < sizeof(extensions) / sizeof(extensions[0]); i++) {
		size_t n = strlen(extensions[i]);
		if (len > n && !strncasecmp(end - n, extensions[i], n) && end[-(long)n - 1] != '/')
			return 1;
	}
	return 0;
}

void weight_urls_free(struct weight_urls *list)
{
	size_t i;

	if (!list)
		return;
	for (i = 0; i < list->count; i++)
		free(list->urls[i]);
	free(list->urls);
	list->urls = NULL;
	list->count = 0;
}

void weight_urls_add(struct weight_urls *out, const char *url, const char *glob)
{
	char *name = NULL;
	size_t i;

	for (i = 0; i < out->count; i++)
		if (!strcmp(out->urls[i], url))
			return;
	if (glob && *glob) {
		int matched = !fnmatch(glob, url, 0);
		if (!matched && !weights_url_name(url, &name))
			matched = !fnmatch(glob, name, 0);
		free(name);
		hub_error_clear();
		if (!matched)
			return;
	}
	out->urls = xrealloc(out->urls, (out->count + 1) * sizeof(*out->urls));
	out->urls[out->count++] = xstrdup(url);
}

/* String literals of one .py file; a file Python could not read either is
 * skipped (with a -v line), not an error. */
static void scan_file(const char *path, const char *glob, struct weight_urls *out)
{
	struct buf source = BUF_INIT(16 << 20, "python source");
	struct buf value = BUF_INIT(1 << 20, "string literal");
	struct pyscan scanner;
	struct py_token token;

	if (read_file(path, &source) || py_source_prepare(path, &source)) {
		hub_log("--weights: skipping %s", hub_error_message());
		goto done;
	}
	pyscan_init(&scanner, path, buf_str(&source), source.len);
	for (;;) {
		if (pyscan_next(&scanner, &token)) {
			hub_log("--weights: %s (the rest of the file is not read)", hub_error_message());
			break;
		}
		if (token.kind == PY_END)
			break;
		if (token.kind != PY_STRING || (token.flags & (PY_STR_BYTES | PY_STR_FORMAT)))
			continue;
		buf_reset(&value);
		if (py_string_value(path, buf_str(&source), &token, &value))
			continue;
		if (weights_is_weight_url(buf_str(&value)))
			weight_urls_add(out, buf_str(&value), glob);
	}
done:
	hub_error_clear();
	buf_free(&source);
	buf_free(&value);
}

/* hubconf.py first (its URLs are the ones entrypoints name), then the
 * rest in name order, folders depth first; hidden folders and links are
 * not followed. */
static void scan_tree(const char *dir, const char *glob, struct weight_urls *out, int depth)
{
	struct dirent **names = NULL;
	int count, i;

	if (depth > 32)
		return;
	if (depth == 0) {
		char *hubconf = path_join(dir, "hubconf.py");
		if (path_exists(hubconf))
			scan_file(hubconf, glob, out);
		free(hubconf);
	}
	count = scandir(dir, &names, NULL, alphasort);
	for (i = 0; i < count; i++) {
		const char *base = names[i]->d_name;
		size_t len = strlen(base);
		char *path;
		struct stat sb;

		if (base[0] == '.' || !strcmp(base, "__pycache__") ||
		    (depth == 0 && !strcmp(base, "hubconf.py")))
			continue;
		path = path_join(dir, base);
		if (!lstat(path, &sb)) {
			if (S_ISDIR(sb.st_mode))
				scan_tree(path, glob, out, depth + 1);
			else if (S_ISREG(sb.st_mode) && len > 3 && !strcmp(base + len - 3, ".py"))
				scan_file(path, glob, out);
		}
		free(path);
	}
	for (i = 0; i < count; i++)
		free(names[i]);
	free(names);
}

int weights_scan(const char *dir, const char *glob, struct weight_urls *out)
{
	out->urls = NULL;
	out->count = 0;
	if (!path_is_dir(dir))
		return hub_error(HUB_ENOTFOUND, "'%s': no such folder", dir);
	scan_tree(dir, glob, out, 0);
	return HUB_OK;
}
