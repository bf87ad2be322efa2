/*
 * test_untar.c - untar against archives built here, in memory: a tiny tar
 * writer that can also write what no honest tar would, and zlib's deflate
 * for the gzip layer. Every good archive is fed whole, byte by byte, in 7-
 * and 4096-byte chunks and in random ones, and must give the same tree.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>
#include <cmocka.h>

#include "buf.h"
#include "err.h"
#include "untar.h"
#include "util.h"

#define TOP "owner-repo-abc1234"
#define COMMIT "0123456789abcdef0123456789abcdef01234567"

/* ---- a tar writer ---- */

/* len - 1 octal digits and a NUL, as GNU tar writes them (the top digits
 * are lost if v does not fit, which no caller wants). */
static void octal(unsigned char *field, size_t len, unsigned long long v)
{
	size_t i = len - 1;

	field[i] = '\0';
	while (i--) {
		field[i] = (unsigned char)('0' + (v & 7));
		v >>= 3;
	}
}

static void header_checksum(unsigned char *h)
{
	unsigned sum = 0;
	size_t i;

	memset(h + 148, ' ', 8);
	for (i = 0; i < 512; i++)
		sum += h[i];
	octal(h + 148, 7, sum);
	h[155] = ' ';
}

/* A ustar header without its checksum, for tests that tamper with it. */
static void header_raw(unsigned char *h, const char *name, char type, const char *link,
		       unsigned long long size, unsigned mode)
{
	size_t len = strlen(name);

	memset(h, 0, 512);
	if (len > 100) {
		/* Split at a slash into prefix and name, as ustar does. */
		const char *slash = name + len - 101;
		while (*slash != '/')
			slash++;
		memcpy(h + 345, name, (size_t)(slash - name));
		memcpy(h, slash + 1, strlen(slash + 1));
	} else {
		memcpy(h, name, len);
	}
	octal(h + 100, 8, mode);
	octal(h + 108, 8, 1000);
	octal(h + 116, 8, 1000);
	octal(h + 124, 12, size);
	octal(h + 136, 12, 1700000000);
	h[156] = (unsigned char)type;
	if (link)
		memcpy(h + 157, link, strlen(link));
	memcpy(h + 257, "ustar\0" "00", 8);
	memcpy(h + 265, "user", 4);
	memcpy(h + 297, "group", 5);
}

static void add_header(struct buf *t, const char *name, char type, const char *link,
		       unsigned long long size, unsigned mode)
{
	unsigned char h[512];

	header_raw(h, name, type, link, size, mode);
	header_checksum(h);
	buf_add(t, h, 512);
}

static void add_data(struct buf *t, const void *data, size_t len)
{
	static const char zeros[512];

	buf_add(t, data, len);
	if (len % 512)
		buf_add(t, zeros, 512 - len % 512);
}

static void add_file(struct buf *t, const char *name, const char *content, unsigned mode)
{
	add_header(t, name, '0', NULL, strlen(content), mode);
	add_data(t, content, strlen(content));
}

static void add_dir(struct buf *t, const char *name)
{
	add_header(t, name, '5', NULL, 0, 0755);
}

static void add_symlink(struct buf *t, const char *name, const char *target)
{
	add_header(t, name, '2', target, 0, 0777);
}

/* An extended header ('x', 'g', 'L', 'K') holding data. */
static void add_ext(struct buf *t, char type, const char *data, size_t len)
{
	add_header(t, type == 'g' ? "pax_global_header" : "././@LongLink", type, NULL, len, 0644);
	add_data(t, data, len);
}

/* One pax record "LEN key=value\n", LEN counting itself. */
static void pax_record(struct buf *out, const char *key, const char *value, size_t vlen)
{
	size_t body = strlen(key) + vlen + 3, len = body + 1;
	char digits[32];

	while ((size_t)snprintf(digits, sizeof(digits), "%zu", len) + body != len)
		len++;
	buf_addf(out, "%zu %s=", len, key);
	buf_add(out, value, vlen);
	buf_addch(out, '\n');
}

static void add_pax(struct buf *t, char type, const char *key, const char *value)
{
	struct buf rec = BUF_INIT(BUF_NOLIMIT, "pax");
	pax_record(&rec, key, value, strlen(value));
	add_ext(t, type, rec.data, rec.len);
	buf_free(&rec);
}

static void add_end(struct buf *t)
{
	static const char zeros[1024];
	buf_add(t, zeros, sizeof(zeros));
}

/* The start of a GitHub archive: the global header and the top folder. */
static void add_github_start(struct buf *t)
{
	add_pax(t, 'g', "comment", COMMIT);
	add_dir(t, TOP "/");
}

/* gzip of in, in `members` members. */
static void gzip_members(const struct buf *in, struct buf *out, int members)
{
	size_t per = in->len / (size_t)members + 1, done = 0;
	int m;

	buf_reset(out);
	for (m = 0; m < members; m++) {
		z_stream z;
		size_t n = in->len - done < per ? in->len - done : per;
		unsigned char chunk[4096];
		int ret;

		memset(&z, 0, sizeof(z));
		assert_int_equal(deflateInit2(&z, 6, Z_DEFLATED, 16 + MAX_WBITS, 8,
					      Z_DEFAULT_STRATEGY), Z_OK);
		z.next_in = (unsigned char *)in->data + done;
		z.avail_in = (uInt)n;
		do {
			z.next_out = chunk;
			z.avail_out = sizeof(chunk);
			ret = deflate(&z, Z_FINISH);
			buf_add(out, chunk, sizeof(chunk) - z.avail_out);
		} while (ret == Z_OK);
		assert_int_equal(ret, Z_STREAM_END);
		deflateEnd(&z);
		done += n;
	}
}

static void gzip(const struct buf *in, struct buf *out)
{
	gzip_members(in, out, 1);
}

/* ---- running untar ---- */

struct scratch {
	char dir[64];
};

static int setup(void **state)
{
	struct scratch *s = xcalloc(1, sizeof(*s));
	const char *tmp = getenv("TMPDIR");

	snprintf(s->dir, sizeof(s->dir), "%s/untar.XXXXXX", tmp && *tmp && strlen(tmp) < 40 ? tmp : "/tmp");
	assert_non_null(mkdtemp(s->dir));
	*state = s;
	return 0;
}

static int teardown(void **state)
{
	struct scratch *s = *state;
	remove_tree(s->dir);
	free(s);
	return 0;
}

/* A fresh destination folder inside the scratch folder. */
static char *fresh_dest(struct scratch *s)
{
	static int counter;
	char *dest = xasprintf("%s/d%d", s->dir, counter++);
	assert_int_equal(mkdir(dest, 0755), 0);
	return dest;
}

/*
 * Feeds gz to a new untar in chunks of `chunk` bytes (0: random sizes
 * from 1 to 10000) and finishes. Returns the status; commit and top (may
 * be NULL) receive what untar found.
 */
static int run_untar(const struct buf *gz, size_t chunk, const char *dest,
		     const struct untar_options *opts, char *commit, char *top)
{
	struct untar *u = NULL;
	size_t off = 0;
	int status;

	hub_error_clear();
	status = untar_open(&u, AT_FDCWD, dest, opts);
	if (status)
		return status;
	while (off < gz->len) {
		size_t n = chunk ? chunk : (size_t)(rand() % 10000) + 1;
		if (n > gz->len - off)
			n = gz->len - off;
		status = untar_push(u, gz->data + off, n);
		if (status)
			goto done;
		off += n;
	}
	status = untar_finish(u);
done:
	if (commit)
		snprintf(commit, 65, "%s", untar_commit(u) ? untar_commit(u) : "");
	if (top)
		snprintf(top, 256, "%s", untar_top(u) ? untar_top(u) : "");
	/* After an error the struct stays failed. */
	if (status)
		assert_int_equal(untar_push(u, "x", 1), status);
	untar_free(u);
	return status;
}

/* A text picture of a tree: one line per entry, sorted, with the kind,
 * the execute bit, and the content or link target. */
static void describe_at(int dirfd, const char *prefix, struct buf *out)
{
	struct dirent **names;
	int n, i;
	int fd = openat(dirfd, ".", O_RDONLY | O_DIRECTORY);

	assert_true(fd >= 0);
	n = scandirat(fd, ".", &names, NULL, alphasort);
	assert_true(n >= 0);
	for (i = 0; i < n; i++) {
		const char *name = names[i]->d_name;
		char *path;
		struct stat st;

		if (!strcmp(name, ".") || !strcmp(name, "..")) {
			free(names[i]);
			continue;
		}
		path = xasprintf("%s%s", prefix, name);
		assert_int_equal(fstatat(fd, name, &st, AT_SYMLINK_NOFOLLOW), 0);
		if (S_ISDIR(st.st_mode)) {
			int sub = openat(fd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW);
			char *subprefix = xasprintf("%s/", path);
			buf_addf(out, "%s/\n", path);
			describe_at(sub, subprefix, out);
			free(subprefix);
			close(sub);
		} else if (S_ISLNK(st.st_mode)) {
			char target[4096];
			ssize_t len = readlinkat(fd, name, target, sizeof(target));
			assert_true(len >= 0);
			buf_addf(out, "%s -> %.*s\n", path, (int)len, target);
		} else {
			/* Short contents as they are, long ones by size and CRC. */
			unsigned char data[8192];
			int file = openat(fd, name, O_RDONLY);
			unsigned long crc = crc32(0, NULL, 0);
			size_t total = 0;
			ssize_t len;

			assert_true(S_ISREG(st.st_mode));
			buf_addf(out, "%s%s = ", path, st.st_mode & 0100 ? " (x)" : "");
			while ((len = read(file, data, sizeof(data))) > 0) {
				if (total == 0 && st.st_size <= 64)
					buf_add(out, data, (size_t)len);
				crc = crc32(crc, data, (uInt)len);
				total += (size_t)len;
			}
			assert_true(len == 0);
			close(file);
			if (st.st_size > 64)
				buf_addf(out, "<%zu bytes, crc %08lx>", total, crc);
			buf_addch(out, '\n');
		}
		free(path);
		free(names[i]);
	}
	free(names);
	close(fd);
}

static char *describe(const char *dir)
{
	struct buf out = BUF_INIT(BUF_NOLIMIT, "tree");
	int fd = open(dir, O_RDONLY | O_DIRECTORY);

	assert_true(fd >= 0);
	describe_at(fd, "", &out);
	close(fd);
	return buf_detach(&out);
}

/* Extracts tar (gzipped here) with every chunking; each must succeed and
 * give the tree `expected`. */
static void expect_tree(struct scratch *s, const struct buf *tar,
			const struct untar_options *opts, const char *expected)
{
	static const size_t chunks[] = { 0, 1, 7, 4096, 1 << 20, 0 };
	struct buf gz = BUF_INIT(BUF_NOLIMIT, "gz");
	size_t i;

	gzip(tar, &gz);
	for (i = 0; i < sizeof(chunks) / sizeof(chunks[0]); i++) {
		char *dest = fresh_dest(s), *tree;
		int status = run_untar(&gz, chunks[i], dest, opts, NULL, NULL);
		if (status)
			fail_msg("chunk %zu: status %d: %s", chunks[i], status, hub_error_message());
		tree = describe(dest);
		if (strcmp(tree, expected))
			fprintf(stderr, "tree:\n%s\nwanted:\n%s\n", tree, expected);
		if (strcmp(tree, expected))
			fail_msg("chunk %zu: tree\n%s\nwanted\n%s", chunks[i], tree, expected);
		free(tree);
		free(dest);
	}
	buf_free(&gz);
}

/* Extraction must fail with status and a message containing want. */
static void expect_failure(struct scratch *s, const struct buf *tar,
			   const struct untar_options *opts, int status, const char *want)
{
	static const size_t chunks[] = { 1, 4096, 0 };
	struct buf gz = BUF_INIT(BUF_NOLIMIT, "gz");
	size_t i;

	gzip(tar, &gz);
	for (i = 0; i < sizeof(chunks) / sizeof(chunks[0]); i++) {
		char *dest = fresh_dest(s);
		int got = run_untar(&gz, chunks[i], dest, opts, NULL, NULL);
		if (got != status || !strstr(hub_error_message(), want))
			fail_msg("chunk %zu: status %d '%s', wanted %d '%s'", chunks[i], got,
				 hub_error_message(), status, want);
		free(dest);
	}
	buf_free(&gz);
}

/* ---- good archives ---- */

static void test_ustar(void **state)
{
	struct buf t = BUF_INIT(BUF_NOLIMIT, "tar");
	char big[20000], *expected;
	size_t i;

	for (i = 0; i < sizeof(big) - 1; i++)
		big[i] = (char)('a' + i % 26);
	big[sizeof(big) - 1] = '\0';
	add_dir(&t, TOP "/");
	add_file(&t, TOP "/hubconf.py", "dependencies = ['torch']\n", 0644);
	add_dir(&t, TOP "/sub/");
	add_file(&t, TOP "/sub/run.sh", "#!/bin/sh\n", 0755);
	add_file(&t, TOP "/sub/empty", "", 0644);
	/* Any execute bit is enough. */
	add_file(&t, TOP "/sub/other-x", "o", 0601);
	/* No folder entry: created on the way. */
	add_file(&t, TOP "/implicit/deeper/f", "f", 0600);
	add_file(&t, TOP "/big", big, 0644);
	/* Old tars: a regular-type entry named with a slash is a folder. */
	add_header(&t, TOP "/olddir/", '\0', NULL, 0, 0755);
	add_end(&t);
	expected = xasprintf("big = <19999 bytes, crc %08lx>\n"
			     "hubconf.py = dependencies = ['torch']\n\n"
			     "implicit/\nimplicit/deeper/\nimplicit/deeper/f = f\n"
			     "olddir/\n"
			     "sub/\nsub/empty = \nsub/other-x (x) = o\nsub/run.sh (x) = #!/bin/sh\n\n",
			     crc32(crc32(0, NULL, 0), (const unsigned char *)big, sizeof(big) - 1));
	expect_tree(*state, &t, NULL, expected);
	free(expected);
	buf_free(&t);
}

static void test_big_file_chunked(void **state)
{
	/* A file larger than the inflate buffer, checked byte for byte. */
	struct buf t = BUF_INIT(BUF_NOLIMIT, "tar"), gz = BUF_INIT(BUF_NOLIMIT, "gz");
	struct buf content = BUF_INIT(BUF_NOLIMIT, "content"), back = BUF_INIT(BUF_NOLIMIT, "back");
	size_t i, sizes[] = { 1, 7, 4096, 0 };
	char *dest, *path;

	for (i = 0; i < 300000; i++)
		buf_addch(&content, (int)((i * 7919) % 251));
	add_dir(&t, TOP "/");
	add_header(&t, TOP "/blob", '0', NULL, content.len, 0644);
	add_data(&t, content.data, content.len);
	add_end(&t);
	gzip(&t, &gz);
	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		dest = fresh_dest(*state);
		assert_int_equal(run_untar(&gz, sizes[i], dest, NULL, NULL, NULL), HUB_OK);
		path = path_join(dest, "blob");
		buf_reset(&back);
		assert_int_equal(read_file(path, &back), HUB_OK);
		assert_int_equal(back.len, content.len);
		assert_memory_equal(back.data, content.data, content.len);
		free(path);
		free(dest);
	}
	buf_free(&back);
	buf_free(&content);
	buf_free(&gz);
	buf_free(&t);
}

static const char long_dir[] =
	"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/"
	"bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb";

static void test_long_names(void **state)
{
	struct buf t = BUF_INIT(BUF_NOLIMIT, "tar"), expected = BUF_INIT(BUF_NOLIMIT, "e");
	char *name;

	add_github_start(&t);
	/* ustar prefix + name. */
	add_file(&t, TOP "/prefix/" "cccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc/x.py",
		 "prefix", 0644);
	/* pax path. */
	name = xasprintf(TOP "/%s/pax.py", long_dir);
	add_pax(&t, 'x', "path", name);
	add_file(&t, "PaxHeaders/ignored", "pax", 0644);
	free(name);
	/* GNU long name and long link. */
	name = xasprintf(TOP "/%s/gnu.py", long_dir);
	add_ext(&t, 'L', name, strlen(name) + 1);
	add_file(&t, "././@LongLink-ignored", "gnu", 0644);
	free(name);
	name = xasprintf("../%s/gnu.py", long_dir);
	add_ext(&t, 'K', name, strlen(name) + 1);
	add_symlink(&t, TOP "/prefix/gnulink", "ignored");
	free(name);
	add_end(&t);

	buf_addf(&expected, "%.*s/\n%s/\n%s/gnu.py = gnu\n%s/pax.py = pax\n",
		 (int)(strchr(long_dir, '/') - long_dir), long_dir, long_dir, long_dir, long_dir);
	buf_addf(&expected, "prefix/\nprefix/cccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc/\n"
		 "prefix/cccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc/x.py = prefix\n"
		 "prefix/gnulink -> ../%s/gnu.py\n", long_dir);
	expect_tree(*state, &t, NULL, expected.data);
	buf_free(&expected);
	buf_free(&t);
}

static void test_commit_and_top(void **state)
{
	struct buf t = BUF_INIT(BUF_NOLIMIT, "tar"), gz = BUF_INIT(BUF_NOLIMIT, "gz");
	char commit[65], top[256], *dest = fresh_dest(*state);

	add_github_start(&t);
	add_file(&t, TOP "/a", "a", 0644);
	add_end(&t);
	gzip(&t, &gz);
	assert_int_equal(run_untar(&gz, 3, dest, NULL, commit, top), HUB_OK);
	assert_string_equal(commit, COMMIT);
	assert_string_equal(top, TOP);
	free(dest);

	/* Without a global header: no commit. A comment that is not a commit
	 * id is not taken for one. */
	buf_reset(&t);
	add_pax(&t, 'g', "comment", "hello");
	add_dir(&t, TOP "/");
	add_end(&t);
	gzip(&t, &gz);
	dest = fresh_dest(*state);
	assert_int_equal(run_untar(&gz, 0, dest, NULL, commit, top), HUB_OK);
	assert_string_equal(commit, "");
	free(dest);
	buf_free(&gz);
	buf_free(&t);
}

static void test_links_inside(void **state)
{
	struct buf t = BUF_INIT(BUF_NOLIMIT, "tar");
	struct stat a, h;
	char *dest;
	struct buf gz = BUF_INIT(BUF_NOLIMIT, "gz");

	add_github_start(&t);
	add_file(&t, TOP "/a.txt", "A", 0644);
	add_symlink(&t, TOP "/link", "a.txt");
	add_symlink(&t, TOP "/dot", ".");
	add_dir(&t, TOP "/sub/");
	add_symlink(&t, TOP "/sub/up", "../a.txt");
	add_symlink(&t, TOP "/sub/root", "..");
	add_symlink(&t, TOP "/sub/dangling", "../nowhere/x");
	add_header(&t, TOP "/sub/hard", '1', TOP "/a.txt", 0, 0644);
	add_end(&t);
	expect_tree(*state, &t, NULL,
		    "a.txt = A\ndot -> .\nlink -> a.txt\nsub/\nsub/dangling -> ../nowhere/x\n"
		    "sub/hard = A\nsub/root -> ..\nsub/up -> ../a.txt\n");

	gzip(&t, &gz);
	dest = fresh_dest(*state);
	assert_int_equal(run_untar(&gz, 0, dest, NULL, NULL, NULL), HUB_OK);
	{
		char *pa = path_join(dest, "a.txt"), *ph = path_join(dest, "sub/hard");
		assert_int_equal(stat(pa, &a), 0);
		assert_int_equal(stat(ph, &h), 0);
		assert_true(a.st_ino == h.st_ino);
		free(pa);
		free(ph);
	}
	free(dest);
	buf_free(&gz);
	buf_free(&t);
}

static void test_duplicates(void **state)
{
	struct buf t = BUF_INIT(BUF_NOLIMIT, "tar");

	add_github_start(&t);
	add_file(&t, TOP "/f", "first", 0644);
	add_file(&t, TOP "/f", "second", 0755);
	/* A file over a symlink replaces the link; the target is untouched. */
	add_file(&t, TOP "/target", "target", 0644);
	add_symlink(&t, TOP "/l", "target");
	add_file(&t, TOP "/l", "replaced", 0644);
	/* A file over a hard link does not write into the other name. */
	add_header(&t, TOP "/h", '1', TOP "/target", 0, 0644);
	add_file(&t, TOP "/h", "not target", 0644);
	/* A folder over a file, a symlink over a file. */
	add_file(&t, TOP "/d", "file", 0644);
	add_dir(&t, TOP "/d/");
	add_file(&t, TOP "/s", "file", 0644);
	add_symlink(&t, TOP "/s", "target");
	add_end(&t);
	expect_tree(*state, &t, NULL,
		    "d/\nf (x) = second\nh = not target\nl = replaced\ns -> target\ntarget = target\n");
	buf_free(&t);
}

static void test_end_variants(void **state)
{
	struct buf t = BUF_INIT(BUF_NOLIMIT, "tar");
	static const char zeros[512];

	/* No end blocks at all: GNU tar accepts it, the gzip trailer vouches
	 * that nothing is missing. */
	add_github_start(&t);
	add_file(&t, TOP "/a", "a", 0644);
	expect_tree(*state, &t, NULL, "a = a\n");
	/* One zero block then EOF. */
	buf_add(&t, zeros, 512);
	expect_tree(*state, &t, NULL, "a = a\n");
	/* Two zero blocks then anything: ignored. */
	buf_add(&t, zeros, 512);
	add_file(&t, TOP "/ignored", "x", 0644);
	buf_add(&t, "junk", 4);
	expect_tree(*state, &t, NULL, "a = a\n");
	buf_free(&t);
}

static void test_multi_member(void **state)
{
	struct buf t = BUF_INIT(BUF_NOLIMIT, "tar"), gz = BUF_INIT(BUF_NOLIMIT, "gz");
	size_t chunks[] = { 1, 5, 100, 0 }, i;

	add_github_start(&t);
	add_file(&t, TOP "/a", "aaaa", 0644);
	add_file(&t, TOP "/b", "bbbb", 0644);
	add_end(&t);
	gzip_members(&t, &gz, 3);
	for (i = 0; i < sizeof(chunks) / sizeof(chunks[0]); i++) {
		char *dest = fresh_dest(*state), *tree;
		assert_int_equal(run_untar(&gz, chunks[i], dest, NULL, NULL, NULL), HUB_OK);
		tree = describe(dest);
		assert_string_equal(tree, "a = aaaa\nb = bbbb\n");
		free(tree);
		free(dest);
	}
	buf_free(&gz);
	buf_free(&t);
}

static void test_keep_top(void **state)
{
	struct buf t = BUF_INIT(BUF_NOLIMIT, "tar");
	struct untar_options opts;

	untar_options_init(&opts);
	opts.strip_top = 0;
	add_file(&t, "README", "r", 0644);
	add_file(&t, "one/a", "a", 0644);
	add_file(&t, "two/b", "b", 0644);
	add_end(&t);
	expect_tree(*state, &t, &opts, "README = r\none/\none/a = a\ntwo/\ntwo/b = b\n");
	buf_free(&t);
}

static void test_untar_file(void **state)
{
	struct scratch *s = *state;
	struct buf t = BUF_INIT(BUF_NOLIMIT, "tar"), gz = BUF_INIT(BUF_NOLIMIT, "gz");
	char *path = path_join(s->dir, "a.tar.gz"), *dest = fresh_dest(s), *tree, commit[65];

	add_github_start(&t);
	add_file(&t, TOP "/a", "a", 0644);
	add_end(&t);
	gzip(&t, &gz);
	assert_int_equal(write_file_atomic(path, gz.data, gz.len, 0644), HUB_OK);
	assert_int_equal(untar_file(path, dest, NULL, commit), HUB_OK);
	assert_string_equal(commit, COMMIT);
	tree = describe(dest);
	assert_string_equal(tree, "a = a\n");
	free(tree);
	free(dest);
	dest = fresh_dest(s);
	free(path);
	path = path_join(s->dir, "missing.tar.gz");
	assert_int_equal(untar_file(path, dest, NULL, NULL), HUB_ENOTFOUND);
	free(path);
	free(dest);
	buf_free(&gz);
	buf_free(&t);
}

/* ---- hostile archives ---- */

/* An archive with the usual start, then the entries `add` writes. */
static void expect_refused(void **state, void (*add)(struct buf *), const char *want)
{
	struct buf t = BUF_INIT(BUF_NOLIMIT, "tar");

	add_github_start(&t);
	add(&t);
	add_end(&t);
	expect_failure(*state, &t, NULL, HUB_EINTEGRITY, want);
	buf_free(&t);
}

static void add_absolute(struct buf *t) { add_file(t, "/etc/evil", "x", 0644); }
static void add_dotdot(struct buf *t) { add_file(t, TOP "/../evil", "x", 0644); }
static void add_dotdot_late(struct buf *t) { add_file(t, TOP "/a/b/../../../evil", "x", 0644); }
static void add_link_absolute(struct buf *t) { add_symlink(t, TOP "/l", "/etc/passwd"); }
static void add_link_up(struct buf *t) { add_symlink(t, TOP "/l", ".."); }
static void add_link_up_deep(struct buf *t) { add_symlink(t, TOP "/a/b/l", "../../../x"); }
static void add_link_name_dotdot(struct buf *t) { add_symlink(t, TOP "/a/l", "b/../.."); }
static void add_link_empty(struct buf *t) { add_symlink(t, TOP "/l", ""); }
static void add_through_link(struct buf *t)
{
	add_dir(t, TOP "/sub/");
	add_symlink(t, TOP "/sub/a", "..");
	add_file(t, TOP "/sub/a/evil", "x", 0644);
}
static void add_through_dir_link(struct buf *t)
{
	add_dir(t, TOP "/b/");
	add_symlink(t, TOP "/a", "b/");
	add_file(t, TOP "/a/x", "x", 0644);
}
static void add_dir_through_link(struct buf *t)
{
	add_symlink(t, TOP "/a", ".");
	add_dir(t, TOP "/a/d/");
}
static void add_hard_absolute(struct buf *t) { add_header(t, TOP "/h", '1', "/etc/passwd", 0, 0644); }
static void add_hard_outside(struct buf *t) { add_header(t, TOP "/h", '1', "other/x", 0, 0644); }
static void add_hard_dotdot(struct buf *t) { add_header(t, TOP "/h", '1', TOP "/../x", 0, 0644); }
static void add_hard_missing(struct buf *t) { add_header(t, TOP "/h", '1', TOP "/nothing", 0, 0644); }
static void add_hard_missing_dir(struct buf *t) { add_header(t, TOP "/h", '1', TOP "/no/thing", 0, 0644); }
static void add_hard_dir(struct buf *t)
{
	add_dir(t, TOP "/d/");
	add_header(t, TOP "/h", '1', TOP "/d", 0, 0644);
}
static void add_hard_symlink(struct buf *t)
{
	add_symlink(t, TOP "/s", "a");
	add_header(t, TOP "/h", '1', TOP "/s", 0, 0644);
}
static void add_hard_through_symlink(struct buf *t)
{
	add_dir(t, TOP "/d/");
	add_file(t, TOP "/d/f", "f", 0644);
	add_symlink(t, TOP "/s", "d");
	add_header(t, TOP "/h", '1', TOP "/s/f", 0, 0644);
}
static void add_hard_self(struct buf *t) { add_header(t, TOP "/h", '1', TOP "/h", 0, 0644); }
static void add_chardev(struct buf *t) { add_header(t, TOP "/dev", '3', NULL, 0, 0644); }
static void add_blockdev(struct buf *t) { add_header(t, TOP "/dev", '4', NULL, 0, 0644); }
static void add_fifo(struct buf *t) { add_header(t, TOP "/fifo", '6', NULL, 0, 0644); }
static void add_sparse(struct buf *t) { add_header(t, TOP "/sparse", 'S', NULL, 0, 0644); }
static void add_control(struct buf *t) { add_file(t, TOP "/bad\nname", "x", 0644); }
static void add_pax_nul(struct buf *t)
{
	struct buf rec = BUF_INIT(BUF_NOLIMIT, "pax");
	pax_record(&rec, "path", TOP "/a\0b", sizeof(TOP "/a\0b") - 1);
	add_ext(t, 'x', rec.data, rec.len);
	add_file(t, "x", "x", 0644);
	buf_free(&rec);
}
static void add_top_file(struct buf *t) { add_file(t, TOP, "x", 0644); }
static void add_two_tops(struct buf *t) { add_file(t, "other-top/x", "x", 0644); }
static void add_top_level_file(struct buf *t) { add_file(t, "README", "x", 0644); }
static void add_file_over_dir(struct buf *t)
{
	add_dir(t, TOP "/d/");
	add_file(t, TOP "/d", "x", 0644);
}
static void add_file_under_file(struct buf *t)
{
	add_file(t, TOP "/f", "x", 0644);
	add_file(t, TOP "/f/g", "x", 0644);
}
static void add_huge_octal(struct buf *t)
{
	add_header(t, TOP "/huge", '0', NULL, 077777777777ULL, 0644);
}
static void add_huge_base256(struct buf *t)
{
	unsigned char h[512];

	header_raw(h, TOP "/huge256", '0', NULL, 0, 0644);
	memset(h + 124, 0, 12);
	h[124] = 0x80;
	h[128] = 0x7f; /* 2^63-ish */
	header_checksum(h);
	buf_add(t, h, 512);
}
static void add_huge_link(struct buf *t)
{
	/* Data on a symlink still counts: skipping it costs inflating it. */
	add_header(t, TOP "/l", '2', "a", 077777777777ULL, 0644);
}

static void test_refused(void **state)
{
	static const struct {
		void (*add)(struct buf *);
		const char *want;
	} cases[] = {
		{ add_absolute, "refusing entry '/etc/evil': absolute path" },
		{ add_dotdot, "refusing entry '" TOP "/../evil': '..' in path" },
		{ add_dotdot_late, "refusing entry '" TOP "/a/b/../../../evil': '..' in path" },
		{ add_link_absolute, "refusing entry '" TOP "/l': symlink target '/etc/passwd' is absolute" },
		{ add_link_up, "refusing entry '" TOP "/l': symlink target '..' leaves the tree" },
		{ add_link_up_deep, "refusing entry '" TOP "/a/b/l': symlink target '../../../x' leaves the tree" },
		{ add_link_name_dotdot, "refusing entry '" TOP "/a/l': symlink target 'b/../..' has '..' after a name" },
		{ add_link_empty, "refusing entry '" TOP "/l': empty symlink target" },
		{ add_through_link, "refusing entry '" TOP "/sub/a/evil': path goes through symlink 'sub/a'" },
		{ add_through_dir_link, "refusing entry '" TOP "/a/x': path goes through symlink 'a'" },
		{ add_dir_through_link, "refusing entry '" TOP "/a/d/': path goes through symlink 'a'" },
		{ add_hard_absolute, "refusing entry '" TOP "/h': hard link target: absolute path" },
		{ add_hard_outside, "refusing entry '" TOP "/h': hard link target outside the tree" },
		{ add_hard_dotdot, "refusing entry '" TOP "/h': hard link target: '..' in path" },
		{ add_hard_missing, "refusing entry '" TOP "/h': hard link target is not an earlier regular file" },
		{ add_hard_missing_dir, "refusing entry '" TOP "/h': hard link target is not an earlier regular file" },
		{ add_hard_dir, "refusing entry '" TOP "/h': hard link target is not an earlier regular file" },
		{ add_hard_symlink, "refusing entry '" TOP "/h': hard link target is not an earlier regular file" },
		{ add_hard_through_symlink, "refusing entry '" TOP "/h': path goes through symlink 's'" },
		{ add_hard_self, "refusing entry '" TOP "/h': hard link target is not an earlier regular file" },
		{ add_chardev, "refusing entry '" TOP "/dev': device file" },
		{ add_blockdev, "refusing entry '" TOP "/dev': device file" },
		{ add_fifo, "refusing entry '" TOP "/fifo': fifo" },
		{ add_sparse, "refusing entry '" TOP "/sparse': unsupported entry type 'S'" },
		{ add_control, "refusing entry '" TOP "/bad?name': control character in name" },
		{ add_pax_nul, "refusing entry '" TOP "/a?b': NUL byte in name" },
		{ add_top_file, "refusing entry '" TOP "': nothing left once the top folder is stripped" },
		{ add_two_tops, "archive: more than one top folder ('" TOP "', 'other-top')" },
		{ add_top_level_file, "archive: more than one top folder ('" TOP "', 'README')" },
		{ add_file_over_dir, "refusing entry '" TOP "/d': would replace a directory" },
		{ add_file_under_file, "refusing entry '" TOP "/f/g': 'f' is not a directory" },
		{ add_huge_octal, "refusing entry '" TOP "/huge': size 8589934591 over the limit of 2147483648 bytes" },
		{ add_huge_base256, "refusing entry '" TOP "/huge256': size" },
		{ add_huge_link, "refusing entry '" TOP "/l': size 8589934591 over the limit" },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		expect_refused(state, cases[i].add, cases[i].want);
}

/* Nothing lands outside the destination, whatever was refused. */
static void test_nothing_outside(void **state)
{
	struct scratch *s = *state;
	struct buf t = BUF_INIT(BUF_NOLIMIT, "tar"), gz = BUF_INIT(BUF_NOLIMIT, "gz");
	char *dest = fresh_dest(s), *evil = path_join(s->dir, "evil");

	add_github_start(&t);
	add_dir(&t, TOP "/sub/");
	add_symlink(&t, TOP "/sub/a", "..");
	add_file(&t, TOP "/sub/a/evil", "x", 0644);
	add_end(&t);
	gzip(&t, &gz);
	assert_int_equal(run_untar(&gz, 0, dest, NULL, NULL, NULL), HUB_EINTEGRITY);
	assert_false(path_exists(evil));
	free(evil);
	free(dest);
	buf_free(&gz);
	buf_free(&t);
}

static void test_first_entry_file(void **state)
{
	struct buf t = BUF_INIT(BUF_NOLIMIT, "tar");

	add_file(&t, "README", "x", 0644);
	add_end(&t);
	expect_failure(*state, &t, NULL, HUB_EINTEGRITY,
		       "archive: not a single top folder ('README' is a file)");
	buf_free(&t);
}

static void test_limits(void **state)
{
	struct buf t = BUF_INIT(BUF_NOLIMIT, "tar");
	struct untar_options opts;
	char *name;

	untar_options_init(&opts);
	opts.max_entry_size = 10;
	add_github_start(&t);
	add_file(&t, TOP "/small", "0123456789", 0644);
	add_file(&t, TOP "/large", "0123456789a", 0644);
	add_end(&t);
	expect_failure(*state, &t, &opts, HUB_EINTEGRITY,
		       "refusing entry '" TOP "/large': size 11 over the limit of 10 bytes");

	untar_options_init(&opts);
	opts.max_total_size = 15;
	expect_failure(*state, &t, &opts, HUB_EINTEGRITY,
		       "refusing entry '" TOP "/large': total size over the limit of 15 bytes");

	untar_options_init(&opts);
	opts.max_entries = 2;
	expect_failure(*state, &t, &opts, HUB_EINTEGRITY,
		       "refusing entry '" TOP "/large': more than 2 entries");

	untar_options_init(&opts);
	opts.max_path = 30;
	buf_reset(&t);
	add_github_start(&t);
	name = xasprintf(TOP "/%s", "0123456789012345");
	add_file(&t, name, "x", 0644);
	add_end(&t);
	expect_failure(*state, &t, &opts, HUB_EINTEGRITY, "': name too long");
	free(name);

	/* A component the kernel would not take is the archive's fault. */
	buf_reset(&t);
	add_github_start(&t);
	name = xasprintf(TOP "/%0256d", 0);
	add_pax(&t, 'x', "path", name);
	add_file(&t, "x", "x", 0644);
	add_end(&t);
	expect_failure(*state, &t, NULL, HUB_EINTEGRITY, "': name component too long");
	free(name);

	/* An extended header over max_pax is refused before it is read. */
	buf_reset(&t);
	add_github_start(&t);
	add_header(&t, "PaxHeaders/x", 'x', NULL, (1 << 20) + 1, 0644);
	expect_failure(*state, &t, NULL, HUB_EINTEGRITY,
		       "archive: extended header at byte 1536 larger than 1048576 bytes");
	buf_free(&t);
}

/* ---- damaged archives ---- */

static void good_archive(struct buf *t)
{
	char content[3000];

	memset(content, 'z', sizeof(content) - 1);
	content[sizeof(content) - 1] = '\0';
	add_github_start(t);
	add_file(t, TOP "/a", content, 0644);
	add_file(t, TOP "/b", "bbb", 0644);
	add_end(t);
}

static void expect_gz_failure(struct scratch *s, const struct buf *gz, const char *want)
{
	static const size_t chunks[] = { 1, 7, 4096, 0 };
	size_t i;

	for (i = 0; i < sizeof(chunks) / sizeof(chunks[0]); i++) {
		char *dest = fresh_dest(s);
		int got = run_untar(gz, chunks[i], dest, NULL, NULL, NULL);
		if (got != HUB_EINTEGRITY || !strstr(hub_error_message(), want))
			fail_msg("chunk %zu: status %d '%s', wanted '%s'", chunks[i], got,
				 hub_error_message(), want);
		free(dest);
	}
}

static void test_truncated_gzip(void **state)
{
	struct buf t = BUF_INIT(BUF_NOLIMIT, "tar"), gz = BUF_INIT(BUF_NOLIMIT, "gz");
	size_t full;

	good_archive(&t);
	gzip(&t, &gz);
	full = gz.len;
	buf_truncate(&gz, full - 1); /* in the trailer */
	expect_gz_failure(*state, &gz, "archive: truncated gzip stream");
	buf_truncate(&gz, full / 2);
	expect_gz_failure(*state, &gz, "archive: truncated gzip stream");
	buf_truncate(&gz, 5); /* in the gzip header */
	expect_gz_failure(*state, &gz, "archive: truncated gzip stream");
	buf_truncate(&gz, 0);
	expect_gz_failure(*state, &gz, "archive: empty stream");
	buf_free(&gz);
	buf_free(&t);
}

static void test_corrupt_gzip(void **state)
{
	struct buf t = BUF_INIT(BUF_NOLIMIT, "tar"), gz = BUF_INIT(BUF_NOLIMIT, "gz");

	good_archive(&t);
	gzip(&t, &gz);
	gz.data[gz.len - 6] ^= 0x55; /* the CRC */
	expect_gz_failure(*state, &gz, "archive: corrupt gzip data (incorrect data check)");
	gzip(&t, &gz);
	gz.data[gz.len - 2] ^= 0x55; /* the length */
	expect_gz_failure(*state, &gz, "archive: corrupt gzip data (incorrect length check)");
	gzip(&t, &gz);
	gz.data[20] ^= 0xff; /* the deflate data */
	expect_gz_failure(*state, &gz, "archive: ");
	gzip(&t, &gz);
	buf_add(&gz, "garbage after", 13);
	expect_gz_failure(*state, &gz, "archive: corrupt gzip data (incorrect header check)");
	buf_reset(&gz);
	buf_addstr(&gz, "<html>not found</html>");
	expect_gz_failure(*state, &gz, "archive: not gzip data");
	buf_free(&gz);
	buf_free(&t);
}

static void test_damaged_tar(void **state)
{
	struct buf t = BUF_INIT(BUF_NOLIMIT, "tar");
	static const char zeros[512];

	/* A flipped byte in a header. */
	good_archive(&t);
	t.data[1024 + 10] ^= 1;
	expect_failure(*state, &t, NULL, HUB_EINTEGRITY,
		       "archive: damaged tar header at byte 1024 (bad checksum)");

	/* A tar cut inside an entry, in a whole gzip stream. */
	buf_reset(&t);
	good_archive(&t);
	buf_truncate(&t, 1024 + 512 + 1000);
	expect_failure(*state, &t, NULL, HUB_EINTEGRITY,
		       "archive: truncated data in '" TOP "/a'");
	buf_truncate(&t, 1024 + 100);
	expect_failure(*state, &t, NULL, HUB_EINTEGRITY,
		       "archive: truncated tar header at byte 1024");

	/* A lone zero block before more entries. */
	buf_reset(&t);
	add_github_start(&t);
	buf_add(&t, zeros, 512);
	add_file(&t, TOP "/a", "a", 0644);
	add_end(&t);
	expect_failure(*state, &t, NULL, HUB_EINTEGRITY,
		       "archive: damaged tar header at byte 2048 (data after the end-of-archive block)");

	/* Bad pax records. */
	buf_reset(&t);
	add_dir(&t, TOP "/");
	add_ext(&t, 'x', "99 path=x\n", 10);
	add_file(&t, TOP "/a", "a", 0644);
	add_end(&t);
	expect_failure(*state, &t, NULL, HUB_EINTEGRITY, "(bad pax record length)");
	buf_reset(&t);
	add_dir(&t, TOP "/");
	add_ext(&t, 'x', "10 path=xy", 10);
	add_file(&t, TOP "/a", "a", 0644);
	add_end(&t);
	expect_failure(*state, &t, NULL, HUB_EINTEGRITY, "(pax record without newline)");
	buf_reset(&t);
	add_dir(&t, TOP "/");
	add_ext(&t, 'x', "13 size=12a4\n", 13);
	add_file(&t, TOP "/a", "a", 0644);
	add_end(&t);
	expect_failure(*state, &t, NULL, HUB_EINTEGRITY, "(bad pax size)");

	/* An extended header and then the end. */
	buf_reset(&t);
	add_dir(&t, TOP "/");
	add_pax(&t, 'x', "path", TOP "/x");
	add_end(&t);
	expect_failure(*state, &t, NULL, HUB_EINTEGRITY, "extended header without an entry");
	buf_free(&t);
}

static void test_odd_but_fine(void **state)
{
	struct buf t = BUF_INIT(BUF_NOLIMIT, "tar");
	struct buf gz = BUF_INIT(BUF_NOLIMIT, "gz");
	char *dest;

	add_github_start(&t);
	add_file(&t, TOP "/d/e/f", "f", 0644);
	/* A hard link to a file in a folder, from another folder. */
	add_header(&t, TOP "/g/h", '1', TOP "/d/e/f", 0, 0644);
	/* A pax linkpath beats the header's. */
	add_pax(&t, 'x', "linkpath", "d/e/f");
	add_symlink(&t, TOP "/l", "ignored");
	/* Data on a symlink is skipped. */
	add_header(&t, TOP "/m", '2', "d", 3, 0777);
	add_data(&t, "abc", 3);
	/* An empty extended header changes nothing. */
	add_ext(&t, 'x', "", 0);
	add_file(&t, TOP "/z", "z", 0644);
	add_end(&t);
	expect_tree(*state, &t, NULL,
		    "d/\nd/e/\nd/e/f = f\ng/\ng/h = f\nl -> d/e/f\nm -> d\nz = z\n");

	/* The destination must exist. */
	gzip(&t, &gz);
	dest = path_join(((struct scratch *)*state)->dir, "missing");
	assert_int_equal(run_untar(&gz, 0, dest, NULL, NULL, NULL), HUB_EFAIL);
	assert_non_null(strstr(hub_error_message(), "cannot open '"));
	free(dest);
	buf_free(&gz);
	buf_free(&t);
}

static void add_link_control(struct buf *t) { add_symlink(t, TOP "/l", "a\tb"); }
static void add_type_binary(struct buf *t) { add_header(t, TOP "/b", '\x01', NULL, 0, 0644); }
static void add_bad_size(struct buf *t)
{
	unsigned char h[512];

	header_raw(h, TOP "/s", '0', NULL, 0, 0644);
	memcpy(h + 124, "0000000009x", 12);
	header_checksum(h);
	buf_add(t, h, 512);
}

static void test_refused_more(void **state)
{
	expect_refused(state, add_link_control,
		       "refusing entry '" TOP "/l': control character in symlink target 'a?b'");
	expect_refused(state, add_type_binary,
		       "refusing entry '" TOP "/b': unsupported entry type 0x01");
	expect_refused(state, add_bad_size,
		       "archive: damaged tar header at byte 1536 (bad size field)");
}

static void test_pax_size(void **state)
{
	/* A pax size overrides the header's (which octal could not hold). */
	struct buf t = BUF_INIT(BUF_NOLIMIT, "tar");

	add_github_start(&t);
	add_pax(&t, 'x', "size", "5");
	add_header(&t, TOP "/f", '0', NULL, 0, 0644);
	add_data(&t, "12345", 5);
	add_file(&t, TOP "/g", "g", 0644);
	add_end(&t);
	expect_tree(*state, &t, NULL, "f = 12345\ng = g\n");
	buf_free(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_ustar, setup, teardown),
		cmocka_unit_test_setup_teardown(test_big_file_chunked, setup, teardown),
		cmocka_unit_test_setup_teardown(test_long_names, setup, teardown),
		cmocka_unit_test_setup_teardown(test_commit_and_top, setup, teardown),
		cmocka_unit_test_setup_teardown(test_links_inside, setup, teardown),
		cmocka_unit_test_setup_teardown(test_duplicates, setup, teardown),
		cmocka_unit_test_setup_teardown(test_end_variants, setup, teardown),
		cmocka_unit_test_setup_teardown(test_multi_member, setup, teardown),
		cmocka_unit_test_setup_teardown(test_keep_top, setup, teardown),
		cmocka_unit_test_setup_teardown(test_untar_file, setup, teardown),
		cmocka_unit_test_setup_teardown(test_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_nothing_outside, setup, teardown),
		cmocka_unit_test_setup_teardown(test_first_entry_file, setup, teardown),
		cmocka_unit_test_setup_teardown(test_limits, setup, teardown),
		cmocka_unit_test_setup_teardown(test_truncated_gzip, setup, teardown),
		cmocka_unit_test_setup_teardown(test_corrupt_gzip, setup, teardown),
		cmocka_unit_test_setup_teardown(test_damaged_tar, setup, teardown),
		cmocka_unit_test_setup_teardown(test_pax_size, setup, teardown),
		cmocka_unit_test_setup_teardown(test_odd_but_fine, setup, teardown),
		cmocka_unit_test_setup_teardown(test_refused_more, setup, teardown),
	};

	umask(022);
	srand(42);
	return cmocka_run_group_tests_name("untar", tests, NULL, NULL);
}
