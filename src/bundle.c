/*
 * bundle.c - write and import air-gapped bundles. See bundle.h.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cjson/cJSON.h>
#include <zlib.h>

#include "bundle.h"
#include "err.h"
#include "fetch.h"
#include "hub.h"
#include "lock.h"
#include "lockfile.h"
#include "sha256.h"
#include "untar.h"
#include "util.h"
#include "weights.h"

#define TOP "hub-bundle"
#define MANIFEST_MAX ((size_t)256 << 20)
#define OUT_BUFFER (256 * 1024)
#define COPY_CHUNK (128 * 1024)

/* ---- a streaming tar writer (ustar, pax records for long names) ---- */

struct tar_out {
	int fd;
	const char *path;        /* for messages */
	unsigned char *buf;
	size_t len;
	int status;
};

static void tar_flush(struct tar_out *t)
{
	size_t done = 0;

	while (!t->status && done < t->len) {
		ssize_t n = write(t->fd, t->buf + done, t->len - done);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			t->status = hub_error_errno(HUB_EFAIL, "cannot write '%s'", t->path);
			break;
		}
		done += (size_t)n;
	}
	t->len = 0;
}

static void tar_put(struct tar_out *t, const void *data, size_t len)
{
	const unsigned char *p = data;

	while (len && !t->status) {
		size_t room = OUT_BUFFER - t->len, take = len < room ? len : room;
		memcpy(t->buf + t->len, p, take);
		t->len += take;
		p += take;
		len -= take;
		if (t->len == OUT_BUFFER)
			tar_flush(t);
	}
}

static void tar_pad(struct tar_out *t, unsigned long long size)
{
	static const unsigned char zeros[512];
	size_t rest = (size_t)(size % 512);

	if (rest)
		tar_put(t, zeros, 512 - rest);
}

/* width - 1 octal digits and a NUL; callers keep value in range. */
static void octal(char *field, size_t width, unsigned long long value)
{
	size_t i = width - 1;

	field[i] = '\0';
	while (i--) {
		field[i] = (char)('0' + (value & 7));
		value >>= 3;
	}
}

/* One header block (type: '0' file, '5' dir, '2' symlink, 'x' pax). */
static void tar_block(struct tar_out *t, const char *name, char type, unsigned mode,
		      unsigned long long size, long long mtime, const char *link)
{
	unsigned char block[512];
	unsigned sum = 0;
	size_t i;

	memset(block, 0, sizeof(block));
	memcpy(block, name, strnlen(name, 99));
	octal((char *)block + 100, 8, mode);
	octal((char *)block + 108, 8, 0);
	octal((char *)block + 116, 8, 0);
	octal((char *)block + 124, 12, size);
	octal((char *)block + 136, 12, (unsigned long long)(mtime > 0 ? mtime : 0));
	memset(block + 148, ' ', 8);
	block[156] = (unsigned char)type;
	if (link)
		memcpy(block + 157, link, strnlen(link, 99));
	memcpy(block + 257, "ustar", 6);
	memcpy(block + 263, "00", 2);
	for (i = 0; i < sizeof(block); i++)
		sum += block[i];
	snprintf((char *)block + 148, 8, "%06o", sum);
	block[155] = ' ';
	tar_put(t, block, sizeof(block));
}

/* "LEN key=value\n", LEN counting itself. */
static void pax_record(struct buf *out, const char *key, const char *value)
{
	size_t body = strlen(key) + strlen(value) + 3, len = body + 1, digits;

	for (;;) {
		digits = (size_t)snprintf(NULL, 0, "%zu", len);
		if (body + digits == len)
			break;
		len = body + digits;
	}
	buf_addf(out, "%zu %s=%s\n", len, key, value);
}

static void tar_header(struct tar_out *t, const char *name, char type, unsigned mode,
		       unsigned long long size, long long mtime, const char *link)
{
	struct buf pax = BUF_INIT(BUF_NOLIMIT, "pax header");

	if (strlen(name) > 99)
		pax_record(&pax, "path", name);
	if (link && strlen(link) > 99)
		pax_record(&pax, "linkpath", link);
	if (size >= 077777777777ULL) {
		char text[32];
		snprintf(text, sizeof(text), "%llu", size);
		pax_record(&pax, "size", text);
	}
	if (pax.len) {
		tar_block(t, "././@PaxHeader", 'x', 0644, pax.len, mtime, NULL);
		tar_put(t, pax.data, pax.len);
		tar_pad(t, pax.len);
	}
	buf_free(&pax);
	tar_block(t, name, type, mode, size >= 077777777777ULL ? 0 : size, mtime, link);
}

/* ---- writing ---- */

struct writer {
	struct tar_out tar;
	cJSON *entries;
	unsigned char *chunk;
};

static void add_entry(struct writer *w, const char *path, const char *type)
{
	cJSON *entry = cJSON_CreateObject();
	cJSON_AddStringToObject(entry, "path", path);
	cJSON_AddStringToObject(entry, "type", type);
	cJSON_AddItemToArray(w->entries, entry);
}

/* Copies the regular file at src into the tar as TOP/rel, hashing it. */
static int write_file_entry(struct writer *w, const char *src, const char *rel,
			    const struct stat *st, char *sha_out)
{
	char *name = xasprintf(TOP "/%s", rel);
	struct sha256 sha;
	unsigned char digest[32];
	unsigned long long left = (unsigned long long)st->st_size;
	int fd = open(src, O_RDONLY | O_CLOEXEC | O_NOFOLLOW), status = HUB_OK, executable;
	cJSON *entry;

	if (fd < 0) {
		status = hub_error_errno(HUB_EFAIL, "cannot read '%s'", src);
		goto done;
	}
	executable = (st->st_mode & 0111) != 0;
	tar_header(&w->tar, name, '0', executable ? 0755 : 0644, left, (long long)st->st_mtime, NULL);
	sha256_init(&sha);
	while (left && !w->tar.status) {
		ssize_t n = read(fd, w->chunk, left < COPY_CHUNK ? (size_t)left : COPY_CHUNK);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			/* A file that shrank under us would make a torn tar. */
			status = n < 0 ? hub_error_errno(HUB_EFAIL, "cannot read '%s'", src)
				       : hub_error(HUB_EFAIL, "'%s' changed while it was bundled", src);
			goto done;
		}
		sha256_update(&sha, w->chunk, (size_t)n);
		tar_put(&w->tar, w->chunk, (size_t)n);
		left -= (unsigned long long)n;
	}
	tar_pad(&w->tar, (unsigned long long)st->st_size);
	if ((status = w->tar.status))
		goto done;
	sha256_final(&sha, digest);
	sha256_hex(digest, sha_out);
	entry = cJSON_CreateObject();
	cJSON_AddStringToObject(entry, "path", rel);
	cJSON_AddStringToObject(entry, "type", "file");
	cJSON_AddNumberToObject(entry, "size", (double)st->st_size);
	cJSON_AddStringToObject(entry, "sha256", sha_out);
	if (executable)
		cJSON_AddBoolToObject(entry, "executable", 1);
	cJSON_AddItemToArray(w->entries, entry);
done:
	if (fd >= 0)
		close(fd);
	free(name);
	return status;
}

/* The folder src as TOP/rel, depth first, in name order (a bundle of the
 * same cache is the same bytes, bar mtimes). */
static int write_tree(struct writer *w, const char *src, const char *rel)
{
	struct dirent **names = NULL;
	int count, i, status = HUB_OK;
	char *name = xasprintf(TOP "/%s/", rel);
	struct stat st;

	if (lstat(src, &st) || !S_ISDIR(st.st_mode)) {
		status = hub_error_errno(HUB_EFAIL, "cannot read '%s'", src);
		free(name);
		return status;
	}
	tar_header(&w->tar, name, '5', 0755, 0, (long long)st.st_mtime, NULL);
	add_entry(w, rel, "dir");
	free(name);
	count = scandir(src, &names, NULL, alphasort);
	if (count < 0)
		return hub_error_errno(HUB_EFAIL, "cannot read '%s'", src);
	for (i = 0; i < count; i++) {
		const char *base = names[i]->d_name;
		char *path, *child, sha[65];

		if (status || !strcmp(base, ".") || !strcmp(base, ".."))
			continue;
		path = path_join(src, base);
		child = xasprintf("%s/%s", rel, base);
		if (lstat(path, &st)) {
			status = hub_error_errno(HUB_EFAIL, "cannot read '%s'", path);
		} else if (S_ISDIR(st.st_mode)) {
			status = write_tree(w, path, child);
		} else if (S_ISREG(st.st_mode)) {
			status = write_file_entry(w, path, child, &st, sha);
		} else if (S_ISLNK(st.st_mode)) {
			char target[4096];
			ssize_t n = readlink(path, target, sizeof(target) - 1);
			if (n < 0) {
				status = hub_error_errno(HUB_EFAIL, "cannot read '%s'", path);
			} else {
				char *full = xasprintf(TOP "/%s", child);
				cJSON *entry = cJSON_CreateObject();
				target[n] = '\0';
				tar_header(&w->tar, full, '2', 0777, 0, (long long)st.st_mtime, target);
				cJSON_AddStringToObject(entry, "path", child);
				cJSON_AddStringToObject(entry, "type", "symlink");
				cJSON_AddStringToObject(entry, "target", target);
				cJSON_AddItemToArray(w->entries, entry);
				free(full);
			}
		} else {
			hub_log("bundle: skipping '%s' (not a file, folder or link)", path);
		}
		free(path);
		free(child);
	}
	for (i = 0; i < count; i++)
		free(names[i]);
	free(names);
	return status ? status : w->tar.status;
}

/* .hub/refs/<cache name>: "commit X\nfetched T\nspec o/n:ref\n" (fetch.c). */
static void read_ref_record(const char *hub_dir, const char *cache_name, char **commit, char **spec)
{
	char *path = xasprintf("%s/.hub/refs/%s", hub_dir, cache_name);
	struct buf text = BUF_INIT(64 * 1024, "ref record");
	char *line, *next;

	*commit = *spec = NULL;
	if (!read_file(path, &text)) {
		for (line = text.data; line && *line; line = next) {
			next = strchr(line, '\n');
			if (next)
				*next++ = '\0';
			if (!strncmp(line, "commit ", 7) && !*commit)
				*commit = xstrdup(line + 7);
			else if (!strncmp(line, "spec ", 5) && !*spec)
				*spec = xstrdup(line + 5);
		}
	}
	hub_error_clear();
	buf_free(&text);
	free(path);
}

int bundle_write(const char *file, const char *hub_dir,
		 const struct bundle_repo *repos, size_t n_repos,
		 const struct bundle_checkpoint *checkpoints, size_t n_checkpoints)
{
	struct writer w;
	cJSON *root = cJSON_CreateObject(), *list;
	char *tmp = xasprintf("%s.hub-%ld.tmp", file, (long)getpid()), *text = NULL, when[32];
	time_t now = time(NULL);
	struct tm tm;
	size_t i;
	int status = HUB_OK;

	memset(&w, 0, sizeof(w));
	w.tar.fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0666);
	w.tar.path = file;
	w.tar.buf = xmalloc(OUT_BUFFER);
	w.chunk = xmalloc(COPY_CHUNK);
	w.entries = cJSON_CreateArray();
	if (w.tar.fd < 0) {
		status = hub_error_errno(HUB_EFAIL, "cannot write '%s'", file);
		goto done;
	}
	gmtime_r(&now, &tm);
	strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", &tm);
	cJSON_AddStringToObject(root, "format", "hub-bundle");
	cJSON_AddNumberToObject(root, "version", 1);
	cJSON_AddStringToObject(root, "hub_version", HUB_VERSION);
	cJSON_AddStringToObject(root, "created", when);
	tar_header(&w.tar, TOP "/", '5', 0755, 0, (long long)now, NULL);

	list = cJSON_AddArrayToObject(root, "repositories");
	if (n_repos) {
		tar_header(&w.tar, TOP "/repos/", '5', 0755, 0, (long long)now, NULL);
		add_entry(&w, "repos", "dir");
	}
	for (i = 0; i < n_repos && !status; i++) {
		const char *slash = strrchr(repos[i].dir, '/');
		const char *cache_name = slash ? slash + 1 : repos[i].dir;
		char *rel = xasprintf("repos/%s", cache_name), *commit, *spec;
		cJSON *item = cJSON_CreateObject();

		read_ref_record(hub_dir, cache_name, &commit, &spec);
		cJSON_AddStringToObject(item, "cache_name", cache_name);
		if (spec) {
			char *colon = strchr(spec, ':'), *sl = strchr(spec, '/');
			cJSON_AddStringToObject(item, "spec", spec);
			if (colon && sl && sl < colon) {
				cJSON_AddStringToObject(item, "ref", colon + 1);
				*colon = '\0';
				cJSON_AddStringToObject(item, "name", sl + 1);
				*sl = '\0';
				cJSON_AddStringToObject(item, "owner", spec);
			}
		}
		cJSON_AddStringToObject(item, "commit", commit ? commit : "unknown");
		cJSON_AddItemToArray(list, item);
		status = write_tree(&w, repos[i].dir, rel);
		free(rel);
		free(commit);
		free(spec);
	}

	list = cJSON_AddArrayToObject(root, "checkpoints");
	if (n_checkpoints && !status) {
		tar_header(&w.tar, TOP "/checkpoints/", '5', 0755, 0, (long long)now, NULL);
		add_entry(&w, "checkpoints", "dir");
	}
	for (i = 0; i < n_checkpoints && !status; i++) {
		char *src = xasprintf("%s/checkpoints/%s", hub_dir, checkpoints[i].name);
		char *rel = xasprintf("checkpoints/%s", checkpoints[i].name), sha[65];
		struct stat st;
		cJSON *item;

		if (stat(src, &st) || !S_ISREG(st.st_mode)) {
			status = hub_error_errno(HUB_EFAIL, "cannot read '%s'", src);
		} else if (!(status = write_file_entry(&w, src, rel, &st, sha)) &&
			   checkpoints[i].sha256 && *checkpoints[i].sha256 &&
			   strcmp(sha, checkpoints[i].sha256)) {
			/* Never ship a copy that differs from what was checked. */
			status = hub_error(HUB_EINTEGRITY, "%s: changed since it was downloaded "
					   "(expected %s, got %s)", src, checkpoints[i].sha256, sha);
		}
		if (!status) {
			item = cJSON_CreateObject();
			cJSON_AddStringToObject(item, "name", checkpoints[i].name);
			if (checkpoints[i].url)
				cJSON_AddStringToObject(item, "url", checkpoints[i].url);
			cJSON_AddNumberToObject(item, "size", (double)st.st_size);
			cJSON_AddStringToObject(item, "sha256", sha);
			cJSON_AddItemToArray(list, item);
		}
		free(src);
		free(rel);
	}
	if (status)
		goto done;

	cJSON_AddItemToObject(root, "entries", w.entries);
	w.entries = NULL;
	/* The lock file's layout: the manifest reads as one (lockfile.h). */
	text = lockfile_print_json(root);
	{
		size_t len = strlen(text);
		tar_header(&w.tar, TOP "/manifest.json", '0', 0644, len, (long long)now, NULL);
		tar_put(&w.tar, text, len);
		tar_pad(&w.tar, len);
	}
	{
		static const unsigned char end[1024];
		tar_put(&w.tar, end, sizeof(end));
	}
	tar_flush(&w.tar);
	if ((status = w.tar.status))
		goto done;
	if (fsync(w.tar.fd) || close(w.tar.fd)) {
		w.tar.fd = -1;
		status = hub_error_errno(HUB_EFAIL, "cannot write '%s'", file);
		goto done;
	}
	w.tar.fd = -1;
	if (rename(tmp, file))
		status = hub_error_errno(HUB_EFAIL, "cannot write '%s'", file);
done:
	if (w.tar.fd >= 0)
		close(w.tar.fd);
	if (status)
		unlink(tmp);
	cJSON_Delete(w.entries);
	cJSON_Delete(root);
	free(w.tar.buf);
	free(w.chunk);
	free(text);
	free(tmp);
	return status;
}

/* ---- importing ---- */

int bundle_sniff(const char *path)
{
	unsigned char head[512];
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return 0;
	n = read(fd, head, sizeof(head));
	close(fd);
	if (n >= 2 && head[0] == 0x1f && head[1] == 0x8b)
		return 1;
	return n == 512 && !memcmp(head + 257, "ustar", 5);
}

/* Feeds a plain tar to untar, which reads gzip only, as a gzip member of
 * stored (uncompressed) deflate blocks: a few bytes of framing per 64 KiB,
 * and untar's CRC-32 check comes for free. */
struct stored_gzip {
	struct untar *u;
	uLong crc;
	unsigned long long size;
};

static int stored_push(struct stored_gzip *g, const unsigned char *data, size_t len)
{
	int status;

	while (len) {
		size_t take = len < 65535 ? len : 65535;
		unsigned char head[5] = { 0, (unsigned char)(take & 0xff), (unsigned char)(take >> 8),
					  (unsigned char)(~take & 0xff), (unsigned char)((~take >> 8) & 0xff) };
		if ((status = untar_push(g->u, head, sizeof(head))) ||
		    (status = untar_push(g->u, data, take)))
			return status;
		g->crc = crc32(g->crc, data, (uInt)take);
		g->size += take;
		data += take;
		len -= take;
	}
	return HUB_OK;
}

static int stored_finish(struct stored_gzip *g)
{
	unsigned char tail[13] = { 1, 0, 0, 0xff, 0xff };
	uint32_t crc = (uint32_t)g->crc, size = (uint32_t)g->size;
	int i;

	for (i = 0; i < 4; i++) {
		tail[5 + i] = (unsigned char)(crc >> (8 * i));
		tail[9 + i] = (unsigned char)(size >> (8 * i));
	}
	return untar_push(g->u, tail, sizeof(tail));
}

static int extract(const char *file, int tmp_fd)
{
	static const unsigned char gzip_head[10] = { 0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff };
	struct untar_options opts;
	struct stored_gzip g;
	unsigned char *chunk = xmalloc(COPY_CHUNK);
	int fd = open(file, O_RDONLY | O_CLOEXEC), status, gzipped = -1;
	ssize_t n;

	memset(&g, 0, sizeof(g));
	if (fd < 0) {
		status = hub_error_errno(errno == ENOENT ? HUB_ENOTFOUND : HUB_EFAIL,
					 "cannot read '%s'", file);
		goto done;
	}
	untar_options_init(&opts);
	/* Checkpoints are big; the manifest check bounds what is kept. */
	opts.max_entry_size = 1ULL << 40;
	opts.max_total_size = 1ULL << 42;
	if ((status = untar_open(&g.u, tmp_fd, "x", &opts)))
		goto done;
	g.crc = crc32(0L, Z_NULL, 0);
	while ((n = read(fd, chunk, COPY_CHUNK)) != 0) {
		if (n < 0) {
			if (errno == EINTR)
				continue;
			status = hub_error_errno(HUB_EFAIL, "cannot read '%s'", file);
			goto done;
		}
		if (gzipped < 0) {
			gzipped = n >= 2 && chunk[0] == 0x1f && chunk[1] == 0x8b;
			if (!gzipped && (status = untar_push(g.u, gzip_head, sizeof(gzip_head))))
				goto done;
		}
		status = gzipped ? untar_push(g.u, chunk, (size_t)n) : stored_push(&g, chunk, (size_t)n);
		if (status)
			goto done;
	}
	if (gzipped == 0 && (status = stored_finish(&g)))
		goto done;
	if ((status = untar_finish(g.u)))
		goto done;
	if (!untar_top(g.u) || strcmp(untar_top(g.u), TOP))
		status = hub_error(HUB_EINTEGRITY, "%s: not a hub bundle (its top folder is '%s', not '"
				   TOP "')", file, untar_top(g.u) ? untar_top(g.u) : "");
done:
	if (status == HUB_EFAIL && gzipped < 0)
		status = hub_error(HUB_EINTEGRITY, "%s: empty, not a hub bundle", file);
	untar_free(g.u);
	if (fd >= 0)
		close(fd);
	free(chunk);
	return status;
}

struct expected {
	const char *path;
	const cJSON *entry;
	int seen;
};

static int compare_expected(const void *a, const void *b)
{
	return strcmp(((const struct expected *)a)->path, ((const struct expected *)b)->path);
}

/* A manifest path: relative, no empty, "." or ".." component. */
static int clean_path(const char *path)
{
	const char *p = path;

	if (!*p || *p == '/')
		return 0;
	while (*p) {
		size_t n = strcspn(p, "/");
		if (!n || (n == 1 && p[0] == '.') || (n == 2 && p[0] == '.' && p[1] == '.'))
			return 0;
		p += n;
		if (*p == '/')
			p++;
		else
			break;
	}
	return path[strlen(path) - 1] != '/';
}

static int check_entry(const char *file, const char *root, struct expected *e)
{
	char *path = path_join(root, e->path);
	const char *type = cJSON_GetStringValue(cJSON_GetObjectItem(e->entry, "type"));
	struct stat st;
	int status = HUB_OK;

	if (lstat(path, &st)) {
		status = hub_error(HUB_EINTEGRITY, "%s: entry '%s' is missing", file, e->path);
		goto done;
	}
	if (!strcmp(type, "dir")) {
		if (!S_ISDIR(st.st_mode))
			status = hub_error(HUB_EINTEGRITY, "%s: entry '%s' is not a folder", file, e->path);
	} else if (!strcmp(type, "symlink")) {
		const char *want = cJSON_GetStringValue(cJSON_GetObjectItem(e->entry, "target"));
		char target[4096];
		ssize_t n = S_ISLNK(st.st_mode) ? readlink(path, target, sizeof(target) - 1) : -1;
		if (n >= 0)
			target[n] = '\0';
		if (n < 0 || !want || strcmp(target, want))
			status = hub_error(HUB_EINTEGRITY, "%s: entry '%s' is not the link the "
					   "manifest names", file, e->path);
	} else if (!strcmp(type, "file")) {
		const cJSON *size = cJSON_GetObjectItem(e->entry, "size");
		const char *want = cJSON_GetStringValue(cJSON_GetObjectItem(e->entry, "sha256"));
		char sha[65];
		long long got = -1;

		if (!S_ISREG(st.st_mode) || !cJSON_IsNumber(size) || !want) {
			status = hub_error(HUB_EINTEGRITY, "%s: entry '%s' does not match the manifest",
					   file, e->path);
		} else if ((long long)size->valuedouble != (long long)st.st_size) {
			status = hub_error(HUB_EINTEGRITY, "%s: entry '%s' has %lld bytes, the manifest "
					   "says %lld", file, e->path, (long long)st.st_size,
					   (long long)size->valuedouble);
		} else if ((status = weights_hash_file(path, sha, &got))) {
			status = HUB_EFAIL;
		} else if (strcmp(sha, want)) {
			status = hub_error(HUB_EINTEGRITY, "%s: entry '%s' is damaged or was changed: "
					   "SHA-256 %s, the manifest says %s", file, e->path, sha, want);
		}
	} else {
		status = hub_error(HUB_EINTEGRITY, "%s: entry '%s' has an unknown type in the manifest",
				   file, e->path);
	}
done:
	free(path);
	return status;
}

/* Every file, link and folder under dir must be expected. */
static int find_extra(const char *file, const char *root, const char *rel,
		      struct expected *list, size_t count)
{
	char *dir_path = rel ? path_join(root, rel) : xstrdup(root);
	DIR *dir = opendir(dir_path);
	struct dirent *entry;
	int status = HUB_OK;

	if (!dir) {
		status = hub_error_errno(HUB_EFAIL, "cannot read '%s'", dir_path);
		goto done;
	}
	while (!status && (entry = readdir(dir))) {
		struct expected key, *found;
		char *child;
		struct stat st;

		if (!strcmp(entry->d_name, ".") || !strcmp(entry->d_name, ".."))
			continue;
		if (!rel && !strcmp(entry->d_name, "manifest.json"))
			continue;
		child = rel ? xasprintf("%s/%s", rel, entry->d_name) : xstrdup(entry->d_name);
		key.path = child;
		found = bsearch(&key, list, count, sizeof(*list), compare_expected);
		if (!found) {
			status = hub_error(HUB_EINTEGRITY, "%s: entry '%s' is not in the manifest",
					   file, child);
		} else {
			char *full = path_join(root, child);
			found->seen = 1;
			if (!lstat(full, &st) && S_ISDIR(st.st_mode))
				status = find_extra(file, root, child, list, count);
			free(full);
		}
		free(child);
	}
	closedir(dir);
done:
	free(dir_path);
	return status;
}

/* What a manifest path may be: under repos/<a listed cache name> or
 * checkpoints/<a listed name>, so nothing lands anywhere else. */
static int path_allowed(const char *path, const cJSON *repos, const cJSON *checkpoints)
{
	const cJSON *item;

	if (!strcmp(path, "repos") || !strcmp(path, "checkpoints"))
		return 1;
	if (!strncmp(path, "repos/", 6)) {
		const char *rest = path + 6;
		size_t n = strcspn(rest, "/");
		cJSON_ArrayForEach(item, repos) {
			const char *name = cJSON_GetStringValue(cJSON_GetObjectItem(item, "cache_name"));
			if (name && strlen(name) == n && !strncmp(rest, name, n))
				return 1;
		}
		return 0;
	}
	if (!strncmp(path, "checkpoints/", 12)) {
		cJSON_ArrayForEach(item, checkpoints) {
			const char *name = cJSON_GetStringValue(cJSON_GetObjectItem(item, "name"));
			if (name && !strcmp(path + 12, name))
				return 1;
		}
	}
	return 0;
}

static int plain_name(const char *name)
{
	return name && *name && !strchr(name, '/') && strcmp(name, ".") && strcmp(name, "..") &&
	       name[0] != '.';
}

static int verify_manifest(const char *file, const char *root, cJSON *manifest)
{
	const cJSON *repos = cJSON_GetObjectItem(manifest, "repositories");
	const cJSON *checkpoints = cJSON_GetObjectItem(manifest, "checkpoints");
	const cJSON *entries = cJSON_GetObjectItem(manifest, "entries"), *item;
	struct expected *list = NULL;
	size_t count = 0, i;
	int status = HUB_OK;

	if (!cJSON_IsArray(repos) || !cJSON_IsArray(checkpoints) || !cJSON_IsArray(entries))
		return hub_error(HUB_EINTEGRITY, "%s: the manifest lacks repositories, checkpoints "
				 "or entries", file);
	cJSON_ArrayForEach(item, repos) {
		const char *name = cJSON_GetStringValue(cJSON_GetObjectItem(item, "cache_name"));
		if (!plain_name(name))
			return hub_error(HUB_EINTEGRITY, "%s: the manifest names a bad repository "
					 "folder '%s'", file, name ? name : "");
	}
	cJSON_ArrayForEach(item, checkpoints) {
		const char *name = cJSON_GetStringValue(cJSON_GetObjectItem(item, "name"));
		if (!plain_name(name))
			return hub_error(HUB_EINTEGRITY, "%s: the manifest names a bad checkpoint '%s'",
					 file, name ? name : "");
	}
	list = xcalloc((size_t)cJSON_GetArraySize(entries) + 1, sizeof(*list));
	cJSON_ArrayForEach(item, entries) {
		const char *path = cJSON_GetStringValue(cJSON_GetObjectItem(item, "path"));
		if (!path || !clean_path(path) || !path_allowed(path, repos, checkpoints)) {
			status = hub_error(HUB_EINTEGRITY, "%s: the manifest names a bad entry '%s'",
					   file, path ? path : "");
			goto done;
		}
		list[count].path = path;
		list[count].entry = item;
		count++;
	}
	qsort(list, count, sizeof(*list), compare_expected);
	for (i = 1; i < count; i++) {
		if (!strcmp(list[i].path, list[i - 1].path)) {
			status = hub_error(HUB_EINTEGRITY, "%s: the manifest names '%s' twice", file,
					   list[i].path);
			goto done;
		}
	}
	if ((status = find_extra(file, root, NULL, list, count)))
		goto done;
	for (i = 0; i < count && !status; i++)
		status = check_entry(file, root, &list[i]);
	/* Each listed repository and checkpoint must be there itself. */
	cJSON_ArrayForEach(item, repos) {
		char *path;
		if (status)
			break;
		path = xasprintf("%s/repos/%s", root,
				 cJSON_GetStringValue(cJSON_GetObjectItem(item, "cache_name")));
		if (!path_is_dir(path))
			status = hub_error(HUB_EINTEGRITY, "%s: repository '%s' is missing", file,
					   cJSON_GetStringValue(cJSON_GetObjectItem(item, "cache_name")));
		free(path);
	}
	cJSON_ArrayForEach(item, checkpoints) {
		const char *name = cJSON_GetStringValue(cJSON_GetObjectItem(item, "name"));
		const char *sha = cJSON_GetStringValue(cJSON_GetObjectItem(item, "sha256"));
		char *rel;
		struct expected key, *found;
		const char *entry_sha;

		if (status)
			break;
		rel = xasprintf("checkpoints/%s", name);
		key.path = rel;
		found = bsearch(&key, list, count, sizeof(*list), compare_expected);
		entry_sha = found ? cJSON_GetStringValue(cJSON_GetObjectItem(found->entry, "sha256")) : NULL;
		if (!found || !sha || !entry_sha || strcmp(sha, entry_sha))
			status = hub_error(HUB_EINTEGRITY, "%s: checkpoint '%s' does not match the manifest",
					   file, name);
		free(rel);
	}
done:
	free(list);
	return status;
}

/* A temporary folder under .hub/tmp, flocked as fetch.c's are, so its
 * sweep of dead hubs' leftovers never takes a live import. */
static int make_temp(const char *hub_dir, char **tmp_out, int *fd_out)
{
	int status = fetch_make_temp(hub_dir, "bundle", tmp_out, fd_out);

	if (!status && mkdirat(*fd_out, "x", 0777)) {
		status = hub_error_errno(HUB_EFAIL, "cannot use '%s'", *tmp_out);
		remove_tree(*tmp_out);
		close(*fd_out);
		free(*tmp_out);
		*tmp_out = NULL;
		*fd_out = -1;
	}
	return status;
}

static void push_name(char ***list, size_t *count, char *name)
{
	*list = xrealloc(*list, (*count + 1) * sizeof(**list));
	(*list)[(*count)++] = name;
}

static int publish_repo(const char *hub_dir, const char *tmp, const cJSON *item,
			struct bundle_import_result *out)
{
	const char *cache_name = cJSON_GetStringValue(cJSON_GetObjectItem(item, "cache_name"));
	const char *commit = cJSON_GetStringValue(cJSON_GetObjectItem(item, "commit"));
	const char *spec = cJSON_GetStringValue(cJSON_GetObjectItem(item, "spec"));
	char *src = xasprintf("%s/x/repos/%s", tmp, cache_name);
	char *dst = path_join(hub_dir, cache_name), *old = xasprintf("%s/old-%s", tmp, cache_name);
	char *have_commit = NULL, *have_spec = NULL, *refs = path_join(hub_dir, ".hub/refs");
	struct lock lock = { -1, NULL };
	int status;

	if ((status = lock_acquire(&lock, hub_dir, cache_name, cache_name, NULL)))
		goto done;
	read_ref_record(hub_dir, cache_name, &have_commit, &have_spec);
	if (path_is_dir(dst) && have_commit && commit && !strcmp(have_commit, commit)) {
		out->n_unchanged++;
		goto done;
	}
	/* Another commit (or an unknown one) is there: the bundle's wins,
	 * swapped in with one rename after the old one moves aside. */
	if (path_exists(dst) && rename(dst, old)) {
		status = hub_error_errno(HUB_EFAIL, "cannot move '%s' aside", dst);
		goto done;
	}
	if (rename(src, dst)) {
		status = hub_error_errno(HUB_EFAIL, "cannot rename into '%s'", dst);
		goto done;
	}
	if (!mkdir_p(refs, 0777)) {
		char when[32], *path = path_join(refs, cache_name);
		time_t now = time(NULL);
		struct tm tm;
		struct buf text = BUF_INIT(BUF_NOLIMIT, "ref record");

		gmtime_r(&now, &tm);
		strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", &tm);
		buf_addf(&text, "commit %s\nfetched %s\n", commit ? commit : "unknown", when);
		if (spec)
			buf_addf(&text, "spec %s\n", spec);
		if (write_file_atomic(path, text.data, text.len, 0666))
			hub_log("%s", hub_error_message());
		buf_free(&text);
		free(path);
	}
	hub_error_clear();
	push_name(&out->repos, &out->n_repos, xstrdup(dst));
done:
	lock_release(&lock);
	free(src);
	free(dst);
	free(old);
	free(refs);
	free(have_commit);
	free(have_spec);
	return status;
}

static int publish_checkpoint(const char *hub_dir, const char *tmp, const cJSON *item,
			      struct bundle_import_result *out)
{
	const char *name = cJSON_GetStringValue(cJSON_GetObjectItem(item, "name"));
	const char *sha = cJSON_GetStringValue(cJSON_GetObjectItem(item, "sha256"));
	const cJSON *size = cJSON_GetObjectItem(item, "size");
	char *src = xasprintf("%s/x/checkpoints/%s", tmp, name);
	char *folder = path_join(hub_dir, "checkpoints"), *dst = path_join(folder, name);
	char *lock_name = xasprintf("checkpoint-%s", name);
	struct lock lock = { -1, NULL };
	struct weight_record record;
	int status;

	if ((status = mkdir_p(folder, 0777)) ||
	    (status = lock_acquire(&lock, hub_dir, lock_name, name, NULL)))
		goto done;
	if (rename(src, dst)) {
		status = hub_error_errno(HUB_EFAIL, "cannot rename into '%s'", dst);
		goto done;
	}
	memset(&record, 0, sizeof(record));
	record.name = (char *)name;
	record.url = cJSON_GetStringValue(cJSON_GetObjectItem(item, "url"));
	record.size = cJSON_IsNumber(size) ? (long long)size->valuedouble : -1;
	snprintf(record.sha256, sizeof(record.sha256), "%s", sha ? sha : "");
	if (weights_record_write(hub_dir, &record))
		hub_log("%s", hub_error_message());
	hub_error_clear();
	push_name(&out->checkpoints, &out->n_checkpoints, xstrdup(dst));
done:
	lock_release(&lock);
	free(src);
	free(folder);
	free(dst);
	free(lock_name);
	return status;
}

int bundle_import(const char *file, const char *hub_dir, struct bundle_import_result *out)
{
	char *tmp = NULL, *manifest_path = NULL;
	struct buf text = BUF_INIT(MANIFEST_MAX, "bundle manifest");
	cJSON *manifest = NULL;
	const cJSON *item, *format;
	int tmp_fd = -1, status;

	memset(out, 0, sizeof(*out));
	if ((status = mkdir_p(hub_dir, 0777)) || (status = make_temp(hub_dir, &tmp, &tmp_fd)))
		goto done;
	if ((status = extract(file, tmp_fd))) {
		/* untar's messages name the entry, not the file it came from. */
		if (!strncmp(hub_error_message(), "archive: ", 9)) {
			char message[1024];
			snprintf(message, sizeof(message), "%s", hub_error_message() + 9);
			status = hub_error(HUB_EINTEGRITY, "%s: %s", file, message);
		}
		goto done;
	}
	manifest_path = xasprintf("%s/x/manifest.json", tmp);
	if ((status = read_file(manifest_path, &text))) {
		status = hub_error(HUB_EINTEGRITY, "%s: the bundle has no readable manifest.json", file);
		goto done;
	}
	manifest = cJSON_Parse(buf_str(&text));
	format = cJSON_GetObjectItem(manifest, "format");
	if (!cJSON_IsObject(manifest) || !cJSON_IsString(format) ||
	    strcmp(format->valuestring, "hub-bundle")) {
		status = hub_error(HUB_EINTEGRITY, "%s: manifest.json is not a hub bundle manifest", file);
		goto done;
	}
	if (cJSON_GetNumberValue(cJSON_GetObjectItem(manifest, "version")) != 1) {
		status = hub_error(HUB_EINTEGRITY, "%s: bundle format version %g is not one this hub "
				   "reads (1)", file, cJSON_GetNumberValue(cJSON_GetObjectItem(manifest, "version")));
		goto done;
	}
	{
		char *root = xasprintf("%s/x", tmp);
		status = verify_manifest(file, root, manifest);
		free(root);
		if (status)
			goto done;
	}
	/* Everything checked: only now does anything reach the cache. */
	cJSON_ArrayForEach(item, cJSON_GetObjectItem(manifest, "repositories")) {
		if ((status = publish_repo(hub_dir, tmp, item, out)))
			goto done;
	}
	cJSON_ArrayForEach(item, cJSON_GetObjectItem(manifest, "checkpoints")) {
		if ((status = publish_checkpoint(hub_dir, tmp, item, out)))
			goto done;
	}
done:
	if (tmp) {
		int saved = status;
		char message[1024];
		snprintf(message, sizeof(message), "%s", hub_error_message());
		remove_tree(tmp);
		if (saved)
			hub_error(saved, "%s", message);
		else
			hub_error_clear();
		status = saved;
	}
	if (tmp_fd >= 0)
		close(tmp_fd);
	cJSON_Delete(manifest);
	buf_free(&text);
	free(manifest_path);
	free(tmp);
	return status;
}

void bundle_import_result_free(struct bundle_import_result *result)
{
	size_t i;

	if (!result)
		return;
	for (i = 0; i < result->n_repos; i++)
		free(result->repos[i]);
	for (i = 0; i < result->n_checkpoints; i++)
		free(result->checkpoints[i]);
	free(result->repos);
	free(result->checkpoints);
	memset(result, 0, sizeof(*result));
}
