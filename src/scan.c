/*
 * scan.c - list and help answers, computed once and kept in .hub/scan
 * (see scan.h).
 *
 * The kept file is text of records, one a line, fields separated by one
 * blank; a string field is <length>:<bytes>, so names, paths and
 * docstrings need no escaping (they may hold newlines and NUL bytes):
 *
 *   hub-scan 2 <hub version> <dev ino size mtime of the hub binary, or ->
 *   key <repo real path> <library dir count> <dir>...
 *   file|dir <dev> <ino> <size> <mtime> <path>     (what it depends on)
 *   dependency <text>
 *   warning <text>
 *   name <name> <listed> <found> <kind> <where> <outside|-> <signature|->
 *        <has_doc> <doc_known> <doc> <warning count> <warning>...
 *        <weights known> <url count> <url>... <hub id count> (<id> <where>)...
 *        <weight warning count> <weight warning>...
 *   end
 *
 * A file that does not read back exactly as written (cut short, another
 * version, another key, anything changed) is ignored and replaced.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "err.h"
#include "hubconf.h"
#include "scan.h"
#include "sha256.h"
#include "util.h"

#define SCAN_FORMAT 2
#define SCAN_MAX_BYTES ((size_t)256 << 20)

/* ---- building the answers ---- */

static int compare_names(const void *a, const void *b)
{
	return strcmp(((const struct scan_name *)a)->name, ((const struct scan_name *)b)->name);
}

static char **copy_strings(const char *const *strings, size_t count)
{
	char **copy = xcalloc(count + 1, sizeof(*copy));
	size_t i;

	for (i = 0; i < count; i++)
		copy[i] = xstrdup(strings[i]);
	return copy;
}

static void free_strings(char **strings, size_t count)
{
	size_t i;

	if (!strings)
		return;
	for (i = 0; i < count; i++)
		free(strings[i]);
	free(strings);
}

const struct scan_name *scan_lookup(const struct scan *scan, const char *name)
{
	struct scan_name key;

	key.name = (char *)name;
	return bsearch(&key, scan->names, scan->count, sizeof(*scan->names), compare_names);
}

static struct scan_name *lookup_mutable(struct scan *scan, const char *name)
{
	return (struct scan_name *)scan_lookup(scan, name);
}

static void add_name(struct scan *scan, size_t *cap, const char *name)
{
	struct scan_name *n;

	if (scan->count == *cap) {
		*cap = *cap ? *cap * 2 : 64;
		scan->names = xrealloc(scan->names, *cap * sizeof(*scan->names));
	}
	n = &scan->names[scan->count++];
	memset(n, 0, sizeof(*n));
	n->name = xstrdup(name);
}

/* Sorted, each name once. */
static void sort_names(struct scan *scan)
{
	size_t i, kept = 0;

	qsort(scan->names, scan->count, sizeof(*scan->names), compare_names);
	for (i = 0; i < scan->count; i++) {
		if (kept && !strcmp(scan->names[kept - 1].name, scan->names[i].name)) {
			free(scan->names[i].name);
			continue;
		}
		scan->names[kept++] = scan->names[i];
	}
	scan->count = kept;
}

/* Asks hubconf everything list and help can ask, in the order the
 * commands ask it, so that the warnings each question adds are known. */
static int evaluate(struct hubconf *hc, struct scan *scan)
{
	struct hubconf_entry *entries = NULL;
	const char *const *names, *const *strings;
	size_t entry_count = 0, count, cap = 0, i, before;
	int status;

	if ((status = hubconf_list(hc, &entries, &entry_count)))
		goto done;
	count = hubconf_names(hc, &names);
	for (i = 0; i < count; i++)
		add_name(scan, &cap, names[i]);
	for (i = 0; i < entry_count; i++)
		add_name(scan, &cap, entries[i].name);
	sort_names(scan);
	scan->listed = xcalloc(entry_count + 1, sizeof(*scan->listed));
	for (i = 0; i < entry_count; i++) {
		struct scan_name *n = lookup_mutable(scan, entries[i].name);

		n->listed = 1;
		scan->listed[scan->listed_count++] = (size_t)(n - scan->names);
	}
	count = hubconf_dependencies(hc, &strings);
	scan->dependencies = copy_strings(strings, count);
	scan->dependency_count = count;
	before = hubconf_warnings(hc, &strings);
	scan->warnings = copy_strings(strings, before);
	scan->warning_count = before;
	for (i = 0; i < scan->count; i++) {
		struct scan_name *n = &scan->names[i];
		size_t after;

		if (hubconf_find(hc, n->name, &n->entry) == HUB_OK) {
			n->found = 1;
			if ((status = hubconf_describe(hc, n->name, &n->doc)))
				goto done;
		}
		hub_error_clear();
		after = hubconf_warnings(hc, &strings);
		if (after > before) {
			n->warnings = copy_strings(strings + before, after - before);
			n->warning_count = after - before;
		}
		before = after;
	}
done:
	hubconf_entries_free(entries, entry_count);
	return status;
}

void scan_free(struct scan *scan)
{
	size_t i;

	if (!scan)
		return;
	for (i = 0; i < scan->count; i++) {
		struct scan_name *n = &scan->names[i];

		free(n->name);
		free(n->entry.name);
		free(n->entry.where);
		free(n->entry.outside);
		hubconf_doc_release(&n->doc);
		pyeval_reach_free(&n->weights);
		free_strings(n->warnings, n->warning_count);
	}
	free(scan->names);
	free(scan->listed);
	free(scan->repo_dir);
	free(scan->file);
	free(scan->key);
	pypath_free(&scan->library);
	free_strings(scan->dependencies, scan->dependency_count);
	free_strings(scan->warnings, scan->warning_count);
	free(scan);
}

/* ---- what the answers depend on ---- */

/* stat_stamp of path, which must be a directory when is_dir says so, else
 * a file. *mtime_out: its modification time. */
static int stat_fields(const char *path, int is_dir, struct buf *out, struct timespec *mtime_out)
{
	struct stat st;
	size_t len = out->len;

	if (!stat_stamp(path, out, &st))
		return 0;
	if (!!S_ISDIR(st.st_mode) != !!is_dir) {
		buf_truncate(out, len);
		return 0;
	}
	if (mtime_out)
		*mtime_out = st.st_mtim;
	return 1;
}

/* A time stamp is set from the kernel's coarse clock, which ticks every
 * few milliseconds: a file written in the same tick after hub read it
 * could keep the time stamp recorded. Inputs modified within 50 ms of the
 * start are taken as such (git's "racy clean" rule). */
static int too_recent(const struct timespec *mtime, const struct timespec *started)
{
	int64_t m = (int64_t)mtime->tv_sec * 1000000000 + mtime->tv_nsec;
	int64_t s = (int64_t)started->tv_sec * 1000000000 + started->tv_nsec;

	return m >= s - 50000000;
}

/* ---- the kept file ---- */

static void put_string(struct buf *out, const char *s, size_t len)
{
	buf_addf(out, " %zu:", len);
	buf_add(out, s, len);
}

static void put_cstring(struct buf *out, const char *s)
{
	if (s)
		put_string(out, s, strlen(s));
	else
		buf_addstr(out, " -");
}

static void put_key(struct buf *out, const char *repo_real, const struct pypath *library)
{
	size_t i;

	buf_addf(out, "hub-scan %d %s ", SCAN_FORMAT, HUB_VERSION);
	/* the binary itself: a hub rebuilt with other rules (a development
	 * build, a distribution's patch) does not read another's answers */
	if (!stat_stamp("/proc/self/exe", out, NULL))
		buf_addch(out, '-');
	buf_addstr(out, "\nkey");
	put_cstring(out, repo_real);
	buf_addf(out, " %zu", library ? library->count : 0);
	for (i = 0; library && i < library->count; i++)
		put_cstring(out, library->dirs[i]);
	buf_addch(out, '\n');
}

/* The inputs as "file|dir STAT path" lines. 0 when one of them is gone, or
 * was modified too recently to be trusted (see scan.h). */
static int put_inputs(struct buf *out, struct hubconf *hc, const struct timespec *started)
{
	const char *const *paths;
	size_t count = hubconf_inputs(hc, &paths), i;

	for (i = 0; i < count; i++) {
		size_t len = strlen(paths[i]);
		int is_dir = len > 1 && paths[i][len - 1] == '/';
		char *path = xstrndup(paths[i], is_dir ? len - 1 : len);
		struct timespec mtime;

		buf_addstr(out, is_dir ? "dir " : "file ");
		if (!stat_fields(path, is_dir, out, &mtime)) {
			free(path);
			if (!is_dir)
				return 0;
			/* A directory that is not there is recorded as absent:
			 * creating it is a change. */
			buf_addstr(out, "absent");
			put_cstring(out, paths[i]);
			buf_addch(out, '\n');
			continue;
		}
		free(path);
		if (too_recent(&mtime, started))
			return 0;
		put_cstring(out, paths[i]);
		buf_addch(out, '\n');
	}
	return 1;
}

static void put_answers(struct buf *out, const struct scan *scan)
{
	size_t i, j;

	for (i = 0; i < scan->dependency_count; i++) {
		buf_addstr(out, "dependency");
		put_cstring(out, scan->dependencies[i]);
		buf_addch(out, '\n');
	}
	for (i = 0; i < scan->warning_count; i++) {
		buf_addstr(out, "warning");
		put_cstring(out, scan->warnings[i]);
		buf_addch(out, '\n');
	}
	for (i = 0; i < scan->count; i++) {
		const struct scan_name *n = &scan->names[i];

		buf_addstr(out, "name");
		put_cstring(out, n->name);
		buf_addf(out, " %d %d %d", n->listed, n->found, (int)n->entry.kind);
		put_cstring(out, n->entry.where);
		put_cstring(out, n->entry.outside);
		put_cstring(out, n->doc.signature);
		buf_addf(out, " %d %d", n->doc.has_doc, n->doc.doc_known);
		put_string(out, buf_str(&n->doc.doc), n->doc.doc.len);
		buf_addf(out, " %zu", n->warning_count);
		for (j = 0; j < n->warning_count; j++)
			put_cstring(out, n->warnings[j]);
		buf_addf(out, " %d %zu", n->weights_known, n->weights.url_count);
		for (j = 0; j < n->weights.url_count; j++)
			put_cstring(out, n->weights.urls[j]);
		buf_addf(out, " %zu", n->weights.hub_id_count);
		for (j = 0; j < n->weights.hub_id_count; j++) {
			put_cstring(out, n->weights.hub_ids[j]);
			put_cstring(out, n->weights.hub_id_sites[j]);
		}
		buf_addf(out, " %zu", n->weights.warning_count);
		for (j = 0; j < n->weights.warning_count; j++)
			put_cstring(out, n->weights.warnings[j]);
		buf_addch(out, '\n');
	}
	buf_addstr(out, "end\n");
}

/* A reader over the kept file: every get_* fails (returns 0) on anything
 * but exactly what put_* writes. */
struct reader {
	const char *p, *end;
};

static int get_word(struct reader *r, const char *word)
{
	size_t len = strlen(word);

	if ((size_t)(r->end - r->p) < len + 1 || memcmp(r->p, word, len) ||
	    (r->p[len] != ' ' && r->p[len] != '\n'))
		return 0;
	r->p += len;
	return 1;
}

static int get_char(struct reader *r, char c)
{
	if (r->p >= r->end || *r->p != c)
		return 0;
	r->p++;
	return 1;
}

static int get_size(struct reader *r, size_t *out)
{
	size_t v = 0;
	const char *start;

	if (!get_char(r, ' '))
		return 0;
	start = r->p;
	while (r->p < r->end && *r->p >= '0' && *r->p <= '9' && r->p - start < 12)
		v = v * 10 + (size_t)(*r->p++ - '0');
	if (r->p == start)
		return 0;
	*out = v;
	return 1;
}

/* " <len>:<bytes>" or " -" (NULL). *out is allocated, NUL-terminated. */
static int get_string(struct reader *r, char **out, size_t *len_out)
{
	size_t len;

	*out = NULL;
	if (r->p + 2 <= r->end && r->p[0] == ' ' && r->p[1] == '-') {
		r->p += 2;
		if (len_out)
			*len_out = 0;
		return 1;
	}
	if (!get_size(r, &len) || !get_char(r, ':') || (size_t)(r->end - r->p) < len)
		return 0;
	/* Not xstrndup: a docstring may hold NUL bytes. */
	*out = xmalloc(len + 1);
	memcpy(*out, r->p, len);
	(*out)[len] = '\0';
	if (len_out)
		*len_out = len;
	r->p += len;
	return 1;
}

static int get_int(struct reader *r, int *out)
{
	size_t v;

	if (!get_size(r, &v) || v > 1000)
		return 0;
	*out = (int)v;
	return 1;
}

/* "file|dir STAT path" lines: each must stat as recorded. */
static int inputs_unchanged(struct reader *r, struct buf *scratch)
{
	while (get_word(r, "file") || get_word(r, "dir")) {
		int is_dir = r->p[-1] == 'r';
		const char *stat_start = r->p + 1, *stat_end;
		char *path = NULL, *real = NULL;
		size_t len;
		int ok;

		stat_end = memchr(stat_start, ' ', (size_t)(r->end - stat_start));
		for (int fields = 1; stat_end && fields < 4 && strncmp(stat_start, "absent ", 7); fields++)
			stat_end = memchr(stat_end + 1, ' ', (size_t)(r->end - stat_end - 1));
		if (!stat_end)
			return 0;
		r->p = stat_end;
		if (!get_string(r, &path, &len) || !path || !get_char(r, '\n')) {
			free(path);
			return 0;
		}
		real = is_dir ? xstrndup(path, len - 1) : xstrdup(path);
		buf_reset(scratch);
		if (!strncmp(stat_start, "absent ", 7))
			ok = !path_exists(real);
		else
			ok = stat_fields(real, is_dir, scratch, NULL) &&
			     scratch->len == (size_t)(stat_end - stat_start) &&
			     !memcmp(scratch->data, stat_start, scratch->len);
		free(path);
		free(real);
		if (!ok)
			return 0;
	}
	return 1;
}

static int get_strings(struct reader *r, const char *word, char ***out, size_t *count)
{
	size_t cap = 0;

	while (get_word(r, word)) {
		char *s;

		if (!get_string(r, &s, NULL) || !s || !get_char(r, '\n')) {
			free(s);
			return 0;
		}
		if (*count == cap) {
			cap = cap ? cap * 2 : 8;
			*out = xrealloc(*out, cap * sizeof(**out));
		}
		(*out)[(*count)++] = s;
	}
	return 1;
}

/* " <count> <string>..." into a new array (pairs into a second array
 * when second is not NULL). */
static int get_counted(struct reader *r, char ***out, size_t *count, char ***second)
{
	size_t n, i;

	if (!get_size(r, &n) || n > 100000)
		return 0;
	*out = xcalloc(n + 1, sizeof(**out));
	if (second)
		*second = xcalloc(n + 1, sizeof(**second));
	for (i = 0; i < n; i++) {
		*count = i;
		if (!get_string(r, &(*out)[i], NULL) || !(*out)[i])
			return 0;
		if (second && (!get_string(r, &(*second)[i], NULL) || !(*second)[i])) {
			free((*out)[i]);
			return 0;
		}
	}
	*count = n;
	return 1;
}

static int get_names(struct reader *r, struct scan *scan)
{
	size_t cap = 0, listed_cap = 0;

	while (get_word(r, "name")) {
		struct scan_name *n;
		char *doc = NULL;
		size_t doc_len, i;
		int kind;

		if (scan->count == cap) {
			cap = cap ? cap * 2 : 64;
			scan->names = xrealloc(scan->names, cap * sizeof(*scan->names));
		}
		n = &scan->names[scan->count++];
		memset(n, 0, sizeof(*n));
		buf_init(&n->doc.doc, SCAN_MAX_BYTES, "docstring");
		if (!get_string(r, &n->name, NULL) || !n->name || !get_int(r, &n->listed) ||
		    !get_int(r, &n->found) || !get_int(r, &kind) ||
		    !get_string(r, &n->entry.where, NULL) || !get_string(r, &n->entry.outside, NULL) ||
		    !get_string(r, &n->doc.signature, NULL) || !get_int(r, &n->doc.has_doc) ||
		    !get_int(r, &n->doc.doc_known) || !get_string(r, &doc, &doc_len) ||
		    !get_size(r, &n->warning_count) || n->warning_count > 10000)
			goto bad;
		n->entry.kind = (enum hubconf_kind)kind;
		if (n->found)
			n->entry.name = xstrdup(n->name);
		if (doc)
			buf_add(&n->doc.doc, doc, doc_len);
		free(doc);
		doc = NULL;
		n->warnings = xcalloc(n->warning_count + 1, sizeof(*n->warnings));
		for (i = 0; i < n->warning_count; i++)
			if (!get_string(r, &n->warnings[i], NULL) || !n->warnings[i]) {
				n->warning_count = i;
				goto bad;
			}
		if (!get_int(r, &n->weights_known) ||
		    !get_counted(r, &n->weights.urls, &n->weights.url_count, NULL) ||
		    !get_counted(r, &n->weights.hub_ids, &n->weights.hub_id_count,
				 &n->weights.hub_id_sites) ||
		    !get_counted(r, &n->weights.warnings, &n->weights.warning_count, NULL) ||
		    !get_char(r, '\n'))
			goto bad;
		if (scan->count > 1 && strcmp(scan->names[scan->count - 2].name, n->name) >= 0)
			return 0;
		if (n->listed) {
			if (scan->listed_count == listed_cap) {
				listed_cap = listed_cap ? listed_cap * 2 : 64;
				scan->listed = xrealloc(scan->listed, listed_cap * sizeof(*scan->listed));
			}
			scan->listed[scan->listed_count++] = scan->count - 1;
		}
		continue;
bad:
		free(doc);
		return 0;
	}
	return 1;
}

/* The kept answers, when they are still the answers. */
static struct scan *reuse(const char *file, const char *key)
{
	struct buf text = BUF_INIT(SCAN_MAX_BYTES, "scan"), scratch = BUF_INIT(4096, "scan");
	struct scan *scan = xcalloc(1, sizeof(*scan));
	struct reader r;
	size_t key_len = strlen(key);
	int ok = 0;

	if (read_file(file, &text) || text.len < key_len || memcmp(text.data, key, key_len))
		goto done;
	r.p = text.data + key_len;
	r.end = text.data + text.len;
	ok = inputs_unchanged(&r, &scratch) &&
	     get_strings(&r, "dependency", &scan->dependencies, &scan->dependency_count) &&
	     get_strings(&r, "warning", &scan->warnings, &scan->warning_count) &&
	     get_names(&r, scan) && get_word(&r, "end") && get_char(&r, '\n') && r.p == r.end;
done:
	hub_error_clear();
	buf_free(&text);
	buf_free(&scratch);
	if (!ok) {
		scan_free(scan);
		return NULL;
	}
	scan->reused = 1;
	return scan;
}

/* The file of a key: named by the repository and library path alone (the
 * key's lines after the first), so another hub's answers are replaced, not
 * kept beside. */
static char *kept_file(const char *hub_dir, const char *key)
{
	unsigned char digest[32];
	char hex[65], *name, *path;
	const char *named = strchr(key, '\n');
	struct sha256 ctx;

	named = named ? named + 1 : key;
	sha256_init(&ctx);
	sha256_update(&ctx, named, strlen(named));
	sha256_final(&ctx, digest);
	sha256_hex(digest, hex);
	hex[32] = '\0';
	name = xasprintf(".hub/scan/%s", hex);
	path = path_join(hub_dir, name);
	free(name);
	return path;
}

static void library_options(const struct pypath *library, struct hubconf_options *options)
{
	memset(options, 0, sizeof(*options));
	if (library) {
		options->library = (const char *const *)library->dirs;
		options->library_count = library->count;
	}
}

/* Writes the answers with what hc read, unless an input is too recent. */
static void keep(const struct scan *scan, struct hubconf *hc, const struct timespec *started)
{
	struct buf text = BUF_INIT(SCAN_MAX_BYTES, "scan");
	char *dir;

	if (!scan->file)
		return;
	dir = xstrdup(scan->file);
	*strrchr(dir, '/') = '\0';
	buf_addstr(&text, scan->key);
	if (put_inputs(&text, hc, started)) {
		put_answers(&text, scan);
		if (mkdir_p(dir, 0755) || write_file_replace(scan->file, text.data, text.len, 0644))
			hub_log("scan: cannot keep the answers: %s", hub_error_message());
		hub_error_clear();
	} else {
		hub_log("scan: %s: not kept (an input changed just now)", scan->repo_dir);
	}
	buf_free(&text);
	free(dir);
}

int scan_open(const char *hub_dir, const char *repo_dir, const struct pypath *library,
	      struct scan **out)
{
	struct buf key = BUF_INIT(1 << 20, "scan key");
	struct hubconf *hc = NULL;
	struct hubconf_options options;
	struct scan *scan = NULL;
	struct timespec started;
	char *real = realpath(repo_dir, NULL), *file = NULL;
	int status = HUB_OK;
	size_t i;

	*out = NULL;
	clock_gettime(CLOCK_REALTIME, &started);
	put_key(&key, real ? real : repo_dir, library);
	if (hub_dir && real) {
		file = kept_file(hub_dir, key.data);
		if ((scan = reuse(file, key.data))) {
			hub_log("scan: %s: reused %s", repo_dir, file);
			goto done;
		}
	}
	scan = xcalloc(1, sizeof(*scan));
	library_options(library, &options);
	if (!(status = hubconf_open(repo_dir, &options, &hc)))
		status = evaluate(hc, scan);
done:
	if (status) {
		scan_free(scan);
		scan = NULL;
	} else {
		scan->repo_dir = xstrdup(repo_dir);
		scan->file = file;
		file = NULL;
		scan->key = buf_detach(&key);
		for (i = 0; library && i < library->count; i++) {
			scan->library.dirs = xrealloc(scan->library.dirs,
						      (i + 1) * sizeof(*scan->library.dirs));
			scan->library.dirs[i] = xstrdup(library->dirs[i]);
			scan->library.count = i + 1;
		}
		if (hc)
			keep(scan, hc, &started);
	}
	*out = scan;
	hubconf_free(hc);
	buf_free(&key);
	free(real);
	free(file);
	return status;
}

int scan_weights(struct scan *scan, const char *name, const struct pyeval_reach **out)
{
	struct scan_name *n = lookup_mutable(scan, name);
	struct hubconf_options options;
	struct hubconf *hc = NULL;
	struct timespec started;
	int status;

	*out = NULL;
	if (!n || !n->found)
		return hub_error(HUB_ENOTFOUND, "'%s' is not a callable entrypoint of %s/hubconf.py",
				 name, scan->repo_dir);
	if (n->weights_known) {
		*out = &n->weights;
		return HUB_OK;
	}
	clock_gettime(CLOCK_REALTIME, &started);
	library_options(&scan->library, &options);
	pyeval_reach_free(&n->weights);       /* the empty record read back */
	if ((status = hubconf_open(scan->repo_dir, &options, &hc)) ||
	    (status = hubconf_weights(hc, name, &n->weights))) {
		pyeval_reach_free(&n->weights);
		goto done;
	}
	n->weights_known = 1;
	*out = &n->weights;
	/* What this evaluation read includes what the abstract call read. */
	keep(scan, hc, &started);
done:
	hubconf_free(hc);
	return status;
}

/* The repository folder a kept file answers for, from its key line, or
 * NULL when the file is not one (the first 4 KiB hold the key: paths are
 * at most PATH_MAX). */
static char *kept_repo(const char *path)
{
	char head[4096 + 64], *repo = NULL;
	struct reader r;
	ssize_t n;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return NULL;
	n = read(fd, head, sizeof(head));
	close(fd);
	if (n <= 0)
		return NULL;
	r.p = memchr(head, '\n', (size_t)n);
	r.end = head + n;
	if (!r.p || strncmp(head, "hub-scan ", 9))
		return NULL;
	r.p++;
	if (!get_word(&r, "key") || !get_string(&r, &repo, NULL)) {
		free(repo);
		return NULL;
	}
	return repo;
}

void scan_prune(const char *hub_dir)
{
	char *dir = path_join(hub_dir, ".hub/scan");
	DIR *d = opendir(dir);
	struct dirent *e;

	while (d && (e = readdir(d))) {
		char *file, *repo;
		struct stat st;

		if (e->d_name[0] == '.')
			continue;
		file = path_join(dir, e->d_name);
		repo = kept_repo(file);
		if (repo && stat(repo, &st) && errno == ENOENT)
			unlink(file);
		free(repo);
		free(file);
	}
	if (d)
		closedir(d);
	free(dir);
}
