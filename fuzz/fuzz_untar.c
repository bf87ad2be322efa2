/*
 * fuzz_untar.c - libFuzzer target for untar.
 *
 * An input that starts with the gzip magic (1f 8b) is pushed as it is. Any
 * other input is a flags byte followed by tar bytes, which the harness
 * gzips itself so mutations reach the tar parser instead of dying on a CRC:
 *   bits 0-2  how the stream is cut into pushes (whole, 1 byte, 7, 512, ...)
 *   bit 3     strip_top off
 *   bit 4     split the gzip into two members
 *
 * Each run extracts into a fresh folder and then checks what no archive
 * may achieve: nothing outside that folder, and no symlink inside it that
 * resolves to a place outside it. Limits are small so a run stays fast.
 *
 * Linked with fuzz/replay.c, it is a plain program that replays
 * fuzz/corpus/untar/ in `make test`.
 */
#include <dirent.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "buf.h"
#include "err.h"
#include "untar.h"
#include "util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char base[256];         /* a private folder for all runs */
static char dest[sizeof(base) + 2]; /* base/d, recreated each run */
static char real_dest[PATH_MAX];

static void remove_base(void)
{
	remove_tree(base);
}

static void setup_once(void)
{
	const char *tmp = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp";

	if (base[0])
		return;
	snprintf(base, sizeof(base), "%s/fuzz_untar.%ld.XXXXXX", tmp, (long)getpid());
	if (!mkdtemp(base))
		abort();
	snprintf(dest, sizeof(dest), "%s/d", base);
	atexit(remove_base);
}

static void gzip_into(const uint8_t *data, size_t size, struct buf *out, int members)
{
	size_t half = members > 1 ? size / 2 : size, done = 0;
	int m;

	for (m = 0; m < members; m++) {
		z_stream z;
		unsigned char chunk[16384];
		size_t n = m == members - 1 ? size - done : half;
		int ret;

		memset(&z, 0, sizeof(z));
		if (deflateInit2(&z, 1, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY) != Z_OK)
			abort();
		z.next_in = (unsigned char *)(uintptr_t)(data + done);
		z.avail_in = (uInt)n;
		do {
			z.next_out = chunk;
			z.avail_out = sizeof(chunk);
			ret = deflate(&z, Z_FINISH);
			buf_add(out, chunk, sizeof(chunk) - z.avail_out);
		} while (ret == Z_OK);
		if (ret != Z_STREAM_END)
			abort();
		deflateEnd(&z);
		done += n;
	}
}

/* Nothing but d may appear in base: untar wrote outside its folder. */
static void check_base(void)
{
	DIR *dir = opendir(base);
	struct dirent *e;

	if (!dir)
		abort();
	while ((e = readdir(dir))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..") || !strcmp(e->d_name, "d"))
			continue;
		fprintf(stderr, "fuzz_untar: '%s' written outside the destination\n", e->d_name);
		abort();
	}
	closedir(dir);
}

/* A symlink that resolves outside the destination got through. */
static int check_entry(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	char resolved[PATH_MAX];
	size_t n = strlen(real_dest);

	(void)st;
	(void)ftw;
	if (type != FTW_SL && type != FTW_SLN)
		return 0;
	if (!realpath(path, resolved))
		return 0; /* dangling or a loop: points nowhere */
	if (strncmp(resolved, real_dest, n) || (resolved[n] != '/' && resolved[n] != '\0')) {
		fprintf(stderr, "fuzz_untar: symlink '%s' resolves to '%s'\n", path, resolved);
		abort();
	}
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const size_t cuts[] = { 0, 1, 7, 512, 4093, 65536, 3, 0 };
	struct untar_options opts;
	struct buf gz = BUF_INIT(BUF_NOLIMIT, "gz");
	struct untar *u = NULL;
	const uint8_t *stream = data;
	size_t stream_len = size, cut = 0, off = 0;
	int status;

	setup_once();
	untar_options_init(&opts);
	opts.max_entry_size = 1 << 20;
	opts.max_total_size = 4 << 20;
	opts.max_entries = 200;
	opts.max_pax = 64 << 10;
	if (size >= 2 && data[0] == 0x1f && data[1] == 0x8b) {
		cut = cuts[size % 8];
	} else if (size >= 1) {
		cut = cuts[data[0] & 7];
		opts.strip_top = !(data[0] & 8);
		gzip_into(data + 1, size - 1, &gz, data[0] & 16 ? 2 : 1);
		stream = (const uint8_t *)gz.data;
		stream_len = gz.len;
	}
	if (mkdir(dest, 0700))
		abort();
	if (!realpath(dest, real_dest))
		abort();

	status = untar_open(&u, AT_FDCWD, dest, &opts);
	if (status)
		abort();
	while (!status && off < stream_len) {
		size_t n = cut && cut < stream_len - off ? cut : stream_len - off;
		status = untar_push(u, stream + off, n);
		off += n;
	}
	if (!status)
		status = untar_finish(u);
	/* Every failure leaves a one-line message. */
	if (status && (!*hub_error_message() || strchr(hub_error_message(), '\n')))
		abort();
	if (!status && opts.strip_top && !untar_top(u))
		abort();
	untar_free(u);

	check_base();
	if (nftw(dest, check_entry, 16, FTW_PHYS))
		abort();
	if (remove_tree(dest))
		abort();
	hub_error_clear();
	buf_free(&gz);
	return 0;
}
