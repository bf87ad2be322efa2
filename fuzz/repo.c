/*
 * repo.c - what the fuzz targets that read a whole repository share
 * (fuzz_pyscan, fuzz_pyeval): the input as a small repository written to a
 * temporary folder, and reading it as `hub list` and `hub help` do.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "err.h"
#include "hubconf.h"
#include "pyeval_reach.h"
#include "repo.h"
#include "util.h"

static char *repo;

static void remove_repo(void)
{
	if (repo)
		remove_tree(repo);
	free(repo);
	repo = NULL;
}

static int valid_path(const char *p, size_t len)
{
	size_t i, slashes = 0;

	if (len < 4 || len > 40 || memcmp(p + len - 3, ".py", 3) || p[0] == '/')
		return 0;
	for (i = 0; i < len - 3; i++) {
		char c = p[i];
		if (c == '/') {
			if (++slashes > 3 || i == 0 || p[i - 1] == '/')
				return 0;
		} else if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
			     (c >= '0' && c <= '9') || c == '_')) {
			return 0;
		}
	}
	return p[len - 4] != '/';
}

static int write_repo_file(const char *path, size_t path_len, const char *data, size_t size,
			   fuzz_repo_file_fn each_file)
{
	char *rel = xstrndup(path, path_len), *full = path_join(repo, rel), *slash;
	FILE *f;
	int status;

	slash = strrchr(full, '/');
	*slash = '\0';
	status = mkdir_p(full, 0700);
	*slash = '/';
	/* Plain writes: an fsync per input would slow fuzzing to a crawl. */
	if (!status && (f = fopen(full, "wb"))) {
		if (size)
			fwrite(data, 1, size, f);
		fclose(f);
	}
	if (each_file)
		each_file(rel, data, size);
	free(rel);
	free(full);
	return status;
}

void fuzz_repo_read(const struct hubconf_options *options, int weights)
{
	struct hubconf *hc = NULL;
	struct hubconf_entry *entries = NULL, entry;
	const char *const *names;
	size_t count = 0, i, n;
	if (hubconf_open(repo, options, &hc)) {
		if (!*hub_error_message())
			abort();
		goto done;
	}
	if (hubconf_list(hc, &entries, &count))
		abort(); /* listing never fails once open */
	for (i = 0; i < count; i++) {
		struct hubconf_doc doc;
		struct buf summary = BUF_INIT(1 << 24, "summary");

		struct pyeval_reach reach;

		if (hubconf_describe(hc, entries[i].name, &doc) == HUB_OK)
			hubconf_summary(&doc, &summary);
		hubconf_doc_release(&doc);
		buf_free(&summary);
		/* the weights each entry reaches (pyeval_reach.c), after the rest */
		if (weights && i < 16 && hubconf_weights(hc, entries[i].name, &reach) == HUB_OK)
			pyeval_reach_free(&reach);
	}
	n = hubconf_names(hc, &names);
	for (i = 0; i < n && i < 64; i++) {
		memset(&entry, 0, sizeof(entry));
		if (hubconf_find(hc, names[i], &entry) == HUB_OK) {
			free(entry.name);
			free(entry.where);
			free(entry.outside);
		}
	}
	memset(&entry, 0, sizeof(entry));
	if (hubconf_find(hc, "no such entry", &entry) != HUB_ENOTFOUND)
		abort();
done:
	hub_error_clear();
	hubconf_entries_free(entries, count);
	hubconf_free(hc);
}

int fuzz_repo_write(const uint8_t *data, size_t size, fuzz_repo_file_fn each_file)
{
	const char *p = (const char *)data, *end = p + size, *file = p;
	const char *path = "hubconf.py";
	size_t path_len = strlen(path);
	char template[] = "/tmp/hub-fuzz-repo.XXXXXX";

	if (size > (1 << 20))
		return 0;
	if (!repo) {
		if (!mkdtemp(template))
			abort();
		repo = xstrdup(template);
		atexit(remove_repo);
	}
	remove_tree(repo);
	if (mkdir_p(repo, 0700))
		abort();
	while (file <= end) {
		const char *mark = NULL, *q;

		/* The next "#==> PATH" line, at a line start. */
		for (q = file; q + 5 <= end; q++)
			if ((q == (const char *)data || q[-1] == '\n') && !memcmp(q, "#==> ", 5)) {
				mark = q;
				break;
			}
		write_repo_file(path, path_len, file, (size_t)((mark ? mark : end) - file), each_file);
		if (!mark)
			break;
		path = mark + 5;
		q = memchr(path, '\n', (size_t)(end - path));
		path_len = (size_t)((q ? q : end) - path);
		file = q ? q + 1 : end;
		if (!valid_path(path, path_len))
			break;
	}
	return 1;
}
