/*
 * untar.c - streaming gzip + tar extraction (see untar.h for the contract).
 *
 * Two stacked push parsers: untar_push inflates into a 64 KiB buffer and
 * hands each piece to tar_feed, a state machine over 512-byte blocks that
 * writes file data straight from that buffer. The filesystem itself is the
 * memory of what was extracted: instead of remembering symlinks, every path
 * is walked one component at a time with O_NOFOLLOW, so a symlink anywhere
 * on the way stops the walk (and is reported), and a race cannot redirect a
 * write either.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* next_in as a const pointer: push takes const data. */
#define ZLIB_CONST
#include <zlib.h>

#include "buf.h"
#include "err.h"
#include "untar.h"
#include "util.h"

#define BLOCK 512
#define INFLATE_OUT (64 * 1024)
/* Names in messages are cut to this many bytes: a 4 KiB hostile name
 * would crowd out the reason. */
#define DISPLAY_MAX 200

/* Where the tar parser is between blocks. */
enum tar_state {
	TAR_HEADER, /* collecting a header block */
	TAR_DATA,   /* inside an entry's data */
	TAR_PAD,    /* skipping the padding to the next block */
	TAR_ZERO,   /* one zero block seen: the next must be zero too (or EOF) */
	TAR_END     /* two zero blocks seen: the rest is ignored */
};

/* Where an entry's data goes. */
enum sink { SINK_SKIP, SINK_FILE, SINK_META };

struct untar {
	struct untar_options opts;
	int status; /* first error; sticky */
	int root_fd;

	z_stream z;
	int z_ready;
	int gz_in_member; /* a member was begun and its trailer not yet checked */
	unsigned long gz_members;
	unsigned char *out;

	enum tar_state state;
	unsigned char block[BLOCK];
	size_t block_len;
	unsigned long long offset;    /* tar bytes consumed, for messages */
	unsigned long long header_at; /* offset of the current header */
	unsigned long long remaining; /* data bytes left in the entry */
	size_t pad;
	enum sink sink;
	char meta_type; /* 'x', 'g', 'L' or 'K' while collecting one */
	int fd;         /* the regular file being written, or -1 */
	struct buf meta;

	/* What extended headers said about the next entry. */
	struct buf long_name, long_link;
	int have_long_name, have_long_link, have_pax_size, pending_ext;
	unsigned long long pax_size;

	/* The current entry. */
	struct buf name;   /* as the archive spells it */
	struct buf link;   /* its link target */
	struct buf path;   /* normalized, top folder stripped */
	struct buf target; /* a hard link's target, normalized and stripped */
	char display[DISPLAY_MAX + 8];

	char *top;
	/* The last parent folder walked, kept open: consecutive entries mostly
	 * share one, and walking costs a syscall per component. */
	struct buf dir_path;
	int dir_fd;

	unsigned long entries;
	unsigned long long total;
	int commit_checked;
	char commit[65];
};

void untar_options_init(struct untar_options *opts)
{
	opts->max_entry_size = 2ULL << 30;
	opts->max_total_size = 4ULL << 30;
	opts->max_entries = 1000000;
	opts->max_path = 4096;
	opts->max_pax = 1 << 20;
	opts->strip_top = 1;
}

/* Copies s into out (size DISPLAY_MAX + 8) fit for a one-line message:
 * control bytes become '?', and a long name is cut with "...". */
static void sanitize(const char *s, size_t len, char *out)
{
	size_t i, n = len > DISPLAY_MAX ? DISPLAY_MAX : len;

	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		out[i] = c < 0x20 || c == 0x7f ? '?' : (char)c;
	}
	if (n < len) {
		memcpy(out + n, "...", 3);
		n += 3;
	}
	out[n] = '\0';
}

static int fail(struct untar *u, int status)
{
	if (status && !u->status)
		u->status = status;
	return status;
}

/* "archive: refusing entry 'NAME': <reason>", NAME being the current one. */
__attribute__((format(printf, 2, 3)))
static int refuse(struct untar *u, const char *fmt, ...)
{
	char reason[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(reason, sizeof(reason), fmt, ap);
	va_end(ap);
	return hub_error(HUB_EINTEGRITY, "archive: refusing entry '%s': %s",
			 u->display, reason);
}

static int damaged(struct untar *u, const char *why)
{
	return hub_error(HUB_EINTEGRITY, "archive: damaged tar header at byte %llu (%s)",
			 u->header_at, why);
}

static int write_error(struct untar *u)
{
	return hub_error_errno(HUB_EFAIL, "cannot write '%s'", u->display);
}

/* ---- numbers ---- */

/* A header's numeric field: octal digits, optionally led by spaces and
 * ended by a space or NUL; or GNU's base-256 (first byte's top bit set) for
 * values octal cannot hold. -1 when malformed. */
static int parse_number(const unsigned char *field, size_t len, unsigned long long *out)
{
	unsigned long long v = 0;
	size_t i = 0;

	if (field[0] & 0x80) {
		/* Base-256, big-endian; a negative number (0xff lead) is no size. */
		if (field[0] & 0x40)
			return -1;
		v = field[0] & 0x3f;
		for (i = 1; i < len; i++) {
			if (v >> 56)
				return -1;
			v = v << 8 | field[i];
		}
		*out = v;
		return 0;
	}
	while (i < len && field[i] == ' ')
		i++;
	if (i == len || field[i] < '0' || field[i] > '7')
		return i == len || field[i] == '\0' ? (*out = 0, 0) : -1;
	for (; i < len && field[i] >= '0' && field[i] <= '7'; i++) {
		if (v >> 61)
			return -1;
		v = v << 3 | (unsigned)(field[i] - '0');
	}
	for (; i < len; i++)
		if (field[i] != ' ' && field[i] != '\0')
			return -1;
	*out = v;
	return 0;
}

/* A pax decimal value: digits only, no overflow. */
static int parse_decimal(const char *s, size_t len, unsigned long long *out)
{
	unsigned long long v = 0;
	size_t i;

	if (!len)
		return -1;
	for (i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9' || v > (~0ULL - 9) / 10)
			return -1;
		v = v * 10 + (unsigned)(s[i] - '0');
	}
	*out = v;
	return 0;
}

/* ---- paths ---- */

/*
 * Folds name into out: components joined by single slashes, "." and empty
 * ones dropped. Returns NULL, or why the name is refused.
 */
static const char *normalize(const struct untar *u, const char *name, size_t len,
			     struct buf *out)
{
	size_t i = 0;

	buf_reset(out);
	if (!len)
		return "empty name";
	if (len > u->opts.max_path)
		return "name too long";
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)name[i];
		if (c < 0x20 || c == 0x7f)
			return c ? "control character in name" : "NUL byte in name";
	}
	if (name[0] == '/')
		return "absolute path";
	for (i = 0; i < len;) {
		size_t start = i, n;
		while (i < len && name[i] != '/')
			i++;
		n = i - start;
		while (i < len && name[i] == '/')
			i++;
		if (n == 0 || (n == 1 && name[start] == '.'))
			continue;
		if (n == 2 && name[start] == '.' && name[start + 1] == '.')
			return "'..' in path";
		if (n > NAME_MAX)
			return "name component too long";
		/* Cannot fail: len <= max_path and out has no smaller cap. */
		if (out->len)
			buf_addch(out, '/');
		buf_add(out, name + start, n);
	}
	if (!out->len)
		return "empty name";
	return NULL;
}

/* Length of the first component of a normalized path. */
static size_t first_component(const struct buf *path)
{
	const char *slash = memchr(path->data, '/', path->len);
	return slash ? (size_t)(slash - path->data) : path->len;
}

/* Removes the first component (and its slash) from path. */
static void drop_first(struct buf *path)
{
	size_t n = first_component(path);
	size_t skip = n < path->len ? n + 1 : n;

	memmove(path->data, path->data + skip, path->len - skip);
	buf_truncate(path, path->len - skip);
}

/*
 * Opens the folder dir (a normalized relative path of dirlen bytes, 0 for
 * the destination itself) without following any symlink, creating missing
 * components when create is set. *fd_out is root_fd itself for the root;
 * the caller closes anything else.
 */
static int walk(struct untar *u, const char *dir, size_t dirlen, int create, int *fd_out)
{
	char component[4096 + 1];
	size_t i = 0;
	int fd = u->root_fd, status = HUB_OK;

	while (i < dirlen) {
		size_t start = i, n;
		int next;

		while (i < dirlen && dir[i] != '/')
			i++;
		n = i - start;
		i++;
		if (n >= sizeof(component)) {
			status = refuse(u, "path component too long");
			goto done;
		}
		memcpy(component, dir + start, n);
		component[n] = '\0';
		next = openat(fd, component, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (next < 0 && errno == ENOENT && create) {
			if (mkdirat(fd, component, 0777) && errno != EEXIST) {
				status = write_error(u);
				goto done;
			}
			next = openat(fd, component, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		}
		if (next < 0) {
			struct stat st;
			int saved = errno;
			size_t shown = start + n;

			if (saved == ENOENT) {
				/* Only a hard link's target is walked without
				 * creating: its folder must already be there. */
				status = refuse(u, "hard link target is not an earlier regular file");
			} else if (saved != ELOOP && saved != ENOTDIR) {
				errno = saved;
				status = write_error(u);
			} else if (!fstatat(fd, component, &st, AT_SYMLINK_NOFOLLOW) &&
				   S_ISLNK(st.st_mode)) {
				status = refuse(u, "path goes through symlink '%.*s'",
						(int)shown, dir);
			} else {
				status = refuse(u, "'%.*s' is not a directory", (int)shown, dir);
			}
			goto done;
		}
		if (fd != u->root_fd)
			close(fd);
		fd = next;
	}
done:
	if (status && fd != u->root_fd) {
		close(fd);
		fd = -1;
	}
	*fd_out = fd;
	return status;
}

/* The folder holding u->path's last component, through the one-entry
 * cache. The fd belongs to the cache. */
static int open_parent(struct untar *u, const char **leaf, int *fd_out)
{
	const char *slash = memrchr(u->path.data, '/', u->path.len);
	size_t dirlen = slash ? (size_t)(slash - u->path.data) : 0;
	int status;

	*leaf = slash ? slash + 1 : u->path.data;
	if (u->dir_fd >= 0 && u->dir_path.len == dirlen &&
	    !memcmp(u->dir_path.data ? u->dir_path.data : "", u->path.data, dirlen)) {
		*fd_out = u->dir_fd;
		return HUB_OK;
	}
	if (u->dir_fd >= 0 && u->dir_fd != u->root_fd)
		close(u->dir_fd);
	u->dir_fd = -1;
	status = walk(u, u->path.data, dirlen, 1, &u->dir_fd);
	if (status)
		return status;
	buf_reset(&u->dir_path);
	buf_add(&u->dir_path, u->path.data, dirlen);
	*fd_out = u->dir_fd;
	return HUB_OK;
}

/*
 * Makes room for a new entry named leaf in dirfd: a later entry replaces an
 * earlier one, as tar does, by unlinking it (never by opening it, which
 * would follow a symlink or write into a hard link's other names). A folder
 * is not replaced: that would take recursive removal of what it holds.
 */
static int make_room(struct untar *u, int dirfd, const char *leaf)
{
	struct stat st;

	if (fstatat(dirfd, leaf, &st, AT_SYMLINK_NOFOLLOW))
		return errno == ENOENT ? HUB_OK : write_error(u);
	if (S_ISDIR(st.st_mode))
		return refuse(u, "would replace a directory");
	if (unlinkat(dirfd, leaf, 0) && errno != ENOENT)
		return write_error(u);
	return HUB_OK;
}

/* ---- entries ---- */

/*
 * A symlink's target must stay inside the tree. Resolved lexically from
 * the link's folder (depth components below the root), which is sound only
 * because every folder on the way up is a real one (entries never go
 * through symlinks) and, by requiring the ".." components to come first,
 * the way down never climbs back out of a symlink the lexical view cannot
 * see through: "x/.." where x is a link to elsewhere is not x's parent.
 */
static int check_symlink(struct untar *u, size_t depth)
{
	const char *t = u->link.data ? u->link.data : "";
	size_t len = u->link.len, i;
	int seen_name = 0;
	char shown[DISPLAY_MAX + 8];

	sanitize(t, len, shown);
	if (!len)
		return refuse(u, "empty symlink target");
	if (len > u->opts.max_path)
		return refuse(u, "symlink target too long");
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)t[i];
		if (c < 0x20 || c == 0x7f)
			return refuse(u, "control character in symlink target '%s'", shown);
	}
	if (t[0] == '/')
		return refuse(u, "symlink target '%s' is absolute", shown);
	for (i = 0; i < len;) {
		size_t start = i, n;
		while (i < len && t[i] != '/')
			i++;
		n = i - start;
		while (i < len && t[i] == '/')
			i++;
		if (n == 0 || (n == 1 && t[start] == '.'))
			continue;
		if (n == 2 && t[start] == '.' && t[start + 1] == '.') {
			if (seen_name)
				return refuse(u, "symlink target '%s' has '..' after a name", shown);
			if (depth == 0)
				return refuse(u, "symlink target '%s' leaves the tree", shown);
			depth--;
		} else {
			seen_name = 1;
		}
	}
	return HUB_OK;
}

static size_t count_components(const struct buf *path)
{
	size_t i, n = 1;
	for (i = 0; i < path->len; i++)
		n += path->data[i] == '/';
	return n;
}

/* Strips the top folder from a normalized path (u->path or u->target). For
 * the entry itself (is_entry), the first one names the top. */
static int strip_top(struct untar *u, struct buf *path, int is_dir, int is_entry)
{
	size_t n = first_component(path);

	if (!u->top) {
		if (n == path->len && !is_dir)
			return hub_error(HUB_EINTEGRITY,
					 "archive: not a single top folder ('%s' is a file)",
					 u->display);
		if (n > DISPLAY_MAX)
			return refuse(u, "top folder name too long");
		u->top = xstrndup(path->data, n);
	}
	if (n != strlen(u->top) || memcmp(path->data, u->top, n)) {
		char other[DISPLAY_MAX + 8];
		if (!is_entry)
			return refuse(u, "hard link target outside the tree");
		sanitize(path->data, n, other);
		return hub_error(HUB_EINTEGRITY, "archive: more than one top folder ('%s', '%s')",
				 u->top, other);
	}
	drop_first(path);
	return HUB_OK;
}

static int extract_dir(struct untar *u)
{
	const char *leaf;
	struct stat st;
	int dirfd, status = open_parent(u, &leaf, &dirfd);

	if (status)
		return status;
	if (!mkdirat(dirfd, leaf, 0777))
		return HUB_OK;
	if (errno != EEXIST)
		return write_error(u);
	if (fstatat(dirfd, leaf, &st, AT_SYMLINK_NOFOLLOW))
		return write_error(u);
	if (S_ISDIR(st.st_mode))
		return HUB_OK;
	/* A file or link of that name came earlier: the folder replaces it. */
	if (unlinkat(dirfd, leaf, 0) || mkdirat(dirfd, leaf, 0777))
		return write_error(u);
	return HUB_OK;
}

static int extract_file(struct untar *u, unsigned long long mode)
{
	const char *leaf;
	int dirfd, status = open_parent(u, &leaf, &dirfd);

	if (status)
		return status;
	status = make_room(u, dirfd, leaf);
	if (status)
		return status;
	/* Only the execute bits matter, as for git: umask does the rest. */
	u->fd = openat(dirfd, leaf, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
		       mode & 0111 ? 0777 : 0666);
	if (u->fd < 0)
		return write_error(u);
	return HUB_OK;
}

static int extract_symlink(struct untar *u)
{
	const char *leaf;
	int dirfd, status = check_symlink(u, count_components(&u->path) - 1);

	if (status)
		return status;
	status = open_parent(u, &leaf, &dirfd);
	if (status)
		return status;
	status = make_room(u, dirfd, leaf);
	if (status)
		return status;
	if (symlinkat(u->link.data, dirfd, leaf))
		return write_error(u);
	return HUB_OK;
}

static int extract_hardlink(struct untar *u)
{
	const char *reason, *leaf, *target_leaf, *slash;
	struct stat st;
	size_t dirlen;
	int dirfd, target_fd = -1, status;

	reason = normalize(u, u->link.data ? u->link.data : "", u->link.len, &u->target);
	if (reason)
		return refuse(u, "hard link target: %s", reason);
	if (u->opts.strip_top) {
		status = strip_top(u, &u->target, 0, 0);
		if (status)
			return status;
	}
	if (!u->target.len || (u->target.len == u->path.len &&
			       !memcmp(u->target.data, u->path.data, u->path.len)))
		return refuse(u, "hard link target is not an earlier regular file");
	slash = memrchr(u->target.data, '/', u->target.len);
	dirlen = slash ? (size_t)(slash - u->target.data) : 0;
	target_leaf = slash ? slash + 1 : u->target.data;
	status = walk(u, u->target.data, dirlen, 0, &target_fd);
	if (status)
		goto done;
	if (fstatat(target_fd, target_leaf, &st, AT_SYMLINK_NOFOLLOW) || !S_ISREG(st.st_mode)) {
		status = refuse(u, "hard link target is not an earlier regular file");
		goto done;
	}
	status = open_parent(u, &leaf, &dirfd);
	if (status)
		goto done;
	status = make_room(u, dirfd, leaf);
	if (status)
		goto done;
	/* No AT_SYMLINK_FOLLOW: even if the target turned into a symlink since
	 * the check, the link is to the symlink, not to what it points at. */
	if (linkat(target_fd, target_leaf, dirfd, leaf, 0))
		status = write_error(u);
done:
	if (target_fd >= 0 && target_fd != u->root_fd)
		close(target_fd);
	return status;
}

/* Takes the name, link target and size of a real entry from its header and
 * the extended headers before it. */
static void collect_names(struct untar *u, const unsigned char *h)
{
	size_t n;

	buf_reset(&u->name);
	if (u->have_long_name) {
		buf_add(&u->name, u->long_name.data, u->long_name.len);
	} else {
		/* POSIX ustar's prefix; GNU's "ustar  " keeps other fields there. */
		if (!memcmp(h + 257, "ustar\0", 6) && h[345]) {
			buf_add(&u->name, h + 345, strnlen((const char *)h + 345, 155));
			buf_addch(&u->name, '/');
		}
		buf_add(&u->name, h, strnlen((const char *)h, 100));
	}
	buf_reset(&u->link);
	if (u->have_long_link) {
		buf_add(&u->link, u->long_link.data, u->long_link.len);
	} else {
		n = strnlen((const char *)h + 157, 100);
		buf_add(&u->link, h + 157, n);
	}
	u->have_long_name = u->have_long_link = 0;
	u->pending_ext = 0;
}

/* A header block for an entry (not an extended header). */
static int start_entry(struct untar *u, const unsigned char *h, char type,
		       unsigned long long size)
{
	unsigned long long mode = 0;
	const char *reason;
	int is_dir, status;

	collect_names(u, h);
	sanitize(u->name.data ? u->name.data : "", u->name.len, u->display);
	/* A mode the checksum vouched for but that does not parse only
	 * loses the execute bit. */
	if (parse_number(h + 100, 8, &mode))
		mode = 0;
	if ((type == '0' || type == '\0') && u->name.len && u->name.data[u->name.len - 1] == '/')
		type = '5';
	is_dir = type == '5';

	reason = normalize(u, u->name.data ? u->name.data : "", u->name.len, &u->path);
	if (reason)
		return refuse(u, "%s", reason);
	switch (type) {
	case '0': case '\0': case '7': case '1': case '2': case '5':
		break;
	case '3': case '4':
		return refuse(u, "device file");
	case '6':
		return refuse(u, "fifo");
	default:
		if (type > 0x20 && type < 0x7f)
			return refuse(u, "unsupported entry type '%c'", type);
		return refuse(u, "unsupported entry type 0x%02x", (unsigned char)type);
	}
	if (size > u->opts.max_entry_size)
		return refuse(u, "size %llu over the limit of %llu bytes", size,
			      u->opts.max_entry_size);
	if (size > u->opts.max_total_size - u->total)
		return refuse(u, "total size over the limit of %llu bytes",
			      u->opts.max_total_size);
	u->total += size;
	if (++u->entries > u->opts.max_entries)
		return refuse(u, "more than %lu entries", u->opts.max_entries);

	if (u->opts.strip_top) {
		status = strip_top(u, &u->path, is_dir, 1);
		if (status)
			return status;
		if (!u->path.len) {
			if (is_dir)
				return HUB_OK; /* the top folder: the destination */
			return refuse(u, "nothing left once the top folder is stripped");
		}
	}

	switch (type) {
	case '5':
		return extract_dir(u);
	case '2':
		return extract_symlink(u);
	case '1':
		return extract_hardlink(u);
	default:
		status = extract_file(u, mode);
		if (!status && size)
			u->sink = SINK_FILE;
		return status;
	}
}

/* The value of a 'comment' record in a global header: git archive's commit. */
static void take_commit(struct untar *u, const char *value, size_t len)
{
	size_t i;

	if (u->commit[0] || (len != 40 && len != 64))
		return;
	for (i = 0; i < len; i++)
		if (!((value[i] >= '0' && value[i] <= '9') || (value[i] >= 'a' && value[i] <= 'f')))
			return;
	memcpy(u->commit, value, len);
	u->commit[len] = '\0';
}

/* Applies the records "LEN KEY=VALUE\n" of a pax 'x' or 'g' header. */
static int parse_pax(struct untar *u)
{
	const char *p = u->meta.data, *end = p + u->meta.len;

	while (p < end) {
		unsigned long long reclen;
		const char *space, *eq, *key, *value, *rec_end;
		size_t keylen, valuelen;

		space = memchr(p, ' ', (size_t)(end - p));
		if (!space || parse_decimal(p, (size_t)(space - p), &reclen) ||
		    reclen > (unsigned long long)(end - p) || reclen <= (size_t)(space - p) + 1)
			return damaged(u, "bad pax record length");
		rec_end = p + reclen;
		if (rec_end[-1] != '\n')
			return damaged(u, "pax record without newline");
		key = space + 1;
		eq = memchr(key, '=', (size_t)(rec_end - key));
		if (!eq || eq == key)
			return damaged(u, "pax record without key");
		keylen = (size_t)(eq - key);
		value = eq + 1;
		valuelen = (size_t)(rec_end - 1 - value);

#define KEY_IS(s) (keylen == sizeof(s) - 1 && !memcmp(key, s, keylen))
		if (u->meta_type == 'g') {
			if (KEY_IS("comment"))
				take_commit(u, value, valuelen);
		} else if (KEY_IS("path")) {
			buf_reset(&u->long_name);
			buf_add(&u->long_name, value, valuelen);
			u->have_long_name = valuelen > 0;
		} else if (KEY_IS("linkpath")) {
			buf_reset(&u->long_link);
			buf_add(&u->long_link, value, valuelen);
			u->have_long_link = valuelen > 0;
		} else if (KEY_IS("size")) {
			if (!valuelen) {
				u->have_pax_size = 0;
			} else if (parse_decimal(value, valuelen, &u->pax_size)) {
				return damaged(u, "bad pax size");
			} else {
				u->have_pax_size = 1;
			}
		}
#undef KEY_IS
		p = rec_end;
	}
	return HUB_OK;
}

/* An extended header's data is complete. */
static int finish_meta(struct untar *u)
{
	const char *data = u->meta.data ? u->meta.data : "";

	switch (u->meta_type) {
	case 'L':
		buf_reset(&u->long_name);
		buf_add(&u->long_name, data, strnlen(data, u->meta.len));
		u->have_long_name = u->long_name.len > 0;
		return HUB_OK;
	case 'K':
		buf_reset(&u->long_link);
		buf_add(&u->long_link, data, strnlen(data, u->meta.len));
		u->have_long_link = u->long_link.len > 0;
		return HUB_OK;
	default:
		return parse_pax(u);
	}
}

static int is_zero_block(const unsigned char *b)
{
	size_t i;
	for (i = 0; i < BLOCK; i++)
		if (b[i])
			return 0;
	return 1;
}

/* A whole header block is in u->block. */
static int header(struct untar *u)
{
	const unsigned char *h = u->block;
	unsigned long long stored, size;
	unsigned long sum = 0;
	long signed_sum = 0;
	char type;
	size_t i;

	u->header_at = u->offset - BLOCK;
	if (is_zero_block(h)) {
		if (u->pending_ext)
			return damaged(u, "extended header without an entry");
		u->state = u->state == TAR_ZERO ? TAR_END : TAR_ZERO;
		return HUB_OK;
	}
	if (u->state == TAR_ZERO)
		return damaged(u, "data after the end-of-archive block");
	/* The checksum covers the block with its own field read as spaces;
	 * some old tars summed signed chars, so either sum is accepted. */
	for (i = 0; i < BLOCK; i++) {
		unsigned char c = i >= 148 && i < 156 ? ' ' : h[i];
		sum += c;
		signed_sum += (signed char)c;
	}
	if (parse_number(h + 148, 8, &stored) ||
	    (stored != sum && (long long)stored != signed_sum))
		return damaged(u, "bad checksum");
	if (parse_number(h + 124, 12, &size))
		return damaged(u, "bad size field");
	type = (char)h[156];

	u->sink = SINK_SKIP;
	if (type == 'x' || type == 'g' || type == 'L' || type == 'K') {
		if (size > u->opts.max_pax)
			return hub_error(HUB_EINTEGRITY,
					 "archive: extended header at byte %llu larger than %zu bytes",
					 u->header_at, u->opts.max_pax);
		u->meta_type = type;
		u->sink = SINK_META;
		buf_reset(&u->meta);
		if (type != 'g')
			u->pending_ext = 1;
	} else {
		int status;
		if (u->have_pax_size)
			size = u->pax_size;
		u->have_pax_size = 0;
		status = start_entry(u, h, type, size);
		if (status)
			return status;
	}
	u->remaining = size;
	u->pad = (size_t)((BLOCK - size % BLOCK) % BLOCK);
	u->state = TAR_DATA;
	if (!size && u->sink == SINK_META)
		return finish_meta(u);
	if (!size)
		u->state = TAR_HEADER;
	return HUB_OK;
}

static int write_data(struct untar *u, const unsigned char *p, size_t len)
{
	return write_all(u->fd, p, len) ? write_error(u) : HUB_OK;
}

/* The entry's data is complete. */
static int end_entry(struct untar *u)
{
	int status = HUB_OK;

	if (u->sink == SINK_META)
		status = finish_meta(u);
	if (u->fd >= 0) {
		if (close(u->fd) && !status)
			status = write_error(u);
		u->fd = -1;
	}
	u->sink = SINK_SKIP;
	return status;
}

static int tar_feed(struct untar *u, const unsigned char *p, size_t n)
{
	int status;

	while (n) {
		size_t take;

		switch (u->state) {
		case TAR_HEADER:
		case TAR_ZERO:
			take = BLOCK - u->block_len;
			if (take > n)
				take = n;
			memcpy(u->block + u->block_len, p, take);
			u->block_len += take;
			u->offset += take;
			p += take;
			n -= take;
			if (u->block_len < BLOCK)
				break;
			u->block_len = 0;
			status = header(u);
			if (status)
				return status;
			break;
		case TAR_DATA:
			take = u->remaining < n ? (size_t)u->remaining : n;
			if (u->sink == SINK_FILE)
				status = write_data(u, p, take);
			else if (u->sink == SINK_META)
				status = buf_add(&u->meta, p, take);
			else
				status = HUB_OK;
			if (status)
				return status;
			u->remaining -= take;
			u->offset += take;
			p += take;
			n -= take;
			if (!u->remaining) {
				status = end_entry(u);
				if (status)
					return status;
				u->state = u->pad ? TAR_PAD : TAR_HEADER;
			}
			break;
		case TAR_PAD:
			take = u->pad < n ? u->pad : n;
			u->pad -= take;
			u->offset += take;
			p += take;
			n -= take;
			if (!u->pad)
				u->state = TAR_HEADER;
			break;
		case TAR_END:
			/* Whatever follows the end-of-archive blocks (record
			 * padding, usually zeros) is ignored, as GNU tar does. */
			u->offset += n;
			return HUB_OK;
		}
	}
	return HUB_OK;
}

/* ---- the public part ---- */

int untar_open(struct untar **out, int dirfd, const char *dest,
	       const struct untar_options *opts)
{
	struct untar *u;
	int fd, status = HUB_OK;

	*out = NULL;
	fd = openat(dirfd, dest, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return hub_error_errno(HUB_EFAIL, "cannot open '%s'", dest);
	u = xcalloc(1, sizeof(*u));
	if (opts)
		u->opts = *opts;
	else
		untar_options_init(&u->opts);
	if (u->opts.max_path > 4096)
		u->opts.max_path = 4096; /* PATH_MAX: the kernel would refuse more */
	u->root_fd = fd;
	u->fd = -1;
	u->dir_fd = -1;
	buf_init(&u->meta, u->opts.max_pax, "archive: extended header");
	buf_init(&u->long_name, BUF_NOLIMIT, "archive: name");
	buf_init(&u->long_link, BUF_NOLIMIT, "archive: link");
	buf_init(&u->name, BUF_NOLIMIT, "archive: name");
	buf_init(&u->link, BUF_NOLIMIT, "archive: link");
	buf_init(&u->path, BUF_NOLIMIT, "archive: path");
	buf_init(&u->target, BUF_NOLIMIT, "archive: path");
	buf_init(&u->dir_path, BUF_NOLIMIT, "archive: path");
	u->out = xmalloc(INFLATE_OUT);
	/* 16 + MAX_WBITS: gzip wrapper only (a zlib or raw stream is damage). */
	if (inflateInit2(&u->z, 16 + MAX_WBITS) != Z_OK) {
		status = hub_error(HUB_EFAIL, "archive: cannot start zlib");
		goto done;
	}
	u->z_ready = 1;
done:
	if (status) {
		untar_free(u);
		return status;
	}
	*out = u;
	return HUB_OK;
}

static int gzip_error(struct untar *u, int ret)
{
	const char *why = u->z.msg ? u->z.msg : ret == Z_MEM_ERROR ? "out of memory" : "error";

	if (ret == Z_MEM_ERROR)
		return hub_error(HUB_EFAIL, "archive: zlib: %s", why);
	if (!u->gz_members && u->z.total_in <= 2)
		return hub_error(HUB_EINTEGRITY, "archive: not gzip data");
	return hub_error(HUB_EINTEGRITY, "archive: corrupt gzip data (%s)", why);
}

int untar_push(struct untar *u, const void *data, size_t len)
{
	int status, more_output = 0;

	if (u->status)
		return u->status;
	u->z.next_in = data;
	u->z.avail_in = 0;
	/* A full output buffer may mean inflate holds more back: go round
	 * again even when all input was taken. */
	while (len || u->z.avail_in || more_output) {
		int ret;
		size_t produced;

		/* avail_in is a uInt: feed huge buffers in slices. */
		if (!u->z.avail_in && len) {
			u->z.avail_in = len > 1u << 30 ? 1u << 30 : (uInt)len;
			len -= u->z.avail_in;
		}
		if (!u->gz_in_member) {
			/* More bytes after a member: the next member of a
			 * multi-member gzip (anything else fails its header). */
			if (u->gz_members && inflateReset(&u->z) != Z_OK)
				return fail(u, gzip_error(u, Z_STREAM_ERROR));
			u->gz_in_member = 1;
		}
		u->z.next_out = u->out;
		u->z.avail_out = INFLATE_OUT;
		ret = inflate(&u->z, Z_NO_FLUSH);
		produced = INFLATE_OUT - u->z.avail_out;
		more_output = u->z.avail_out == 0;
		if (produced) {
			status = tar_feed(u, u->out, produced);
			if (status)
				return fail(u, status);
		}
		if (ret == Z_STREAM_END) {
			u->gz_in_member = 0;
			u->gz_members++;
			more_output = 0;
		} else if (ret == Z_BUF_ERROR && !u->z.avail_in) {
			more_output = 0; /* nothing held back after all */
		} else if (ret != Z_OK) {
			return fail(u, gzip_error(u, ret));
		}
	}
	return HUB_OK;
}

int untar_finish(struct untar *u)
{
	int status = HUB_OK;

	if (u->status)
		return u->status;
	if (u->gz_in_member || !u->gz_members) {
		status = hub_error(HUB_EINTEGRITY, u->gz_members || u->z.total_in
				   ? "archive: truncated gzip stream"
				   : "archive: empty stream");
		goto done;
	}
	if (u->state == TAR_DATA || u->state == TAR_PAD || u->block_len) {
		status = u->state == TAR_HEADER
			? hub_error(HUB_EINTEGRITY, "archive: truncated tar header at byte %llu",
				    u->offset - u->block_len)
			: hub_error(HUB_EINTEGRITY, "archive: truncated data in '%s'", u->display);
		goto done;
	}
	if (u->pending_ext) {
		status = hub_error(HUB_EINTEGRITY, "archive: truncated after an extended header");
		goto done;
	}
	if (u->opts.strip_top && !u->top) {
		status = hub_error(HUB_EINTEGRITY, "archive: no entries");
		goto done;
	}
	if (u->dir_fd >= 0 && u->dir_fd != u->root_fd)
		close(u->dir_fd);
	u->dir_fd = -1;
done:
	return fail(u, status);
}

const char *untar_commit(const struct untar *u)
{
	return u->commit[0] ? u->commit : NULL;
}

const char *untar_top(const struct untar *u)
{
	return u->top;
}

void untar_free(struct untar *u)
{
	if (!u)
		return;
	if (u->fd >= 0)
		close(u->fd);
	if (u->dir_fd >= 0 && u->dir_fd != u->root_fd)
		close(u->dir_fd);
	if (u->root_fd >= 0)
		close(u->root_fd);
	if (u->z_ready)
		inflateEnd(&u->z);
	free(u->out);
	buf_free(&u->meta);
	buf_free(&u->long_name);
	buf_free(&u->long_link);
	buf_free(&u->name);
	buf_free(&u->link);
	buf_free(&u->path);
	buf_free(&u->target);
	buf_free(&u->dir_path);
	free(u->top);
	free(u);
}

int untar_file(const char *path, const char *dest,
	       const struct untar_options *opts, char *commit_out)
{
	struct untar *u = NULL;
	unsigned char *chunk = NULL;
	int fd, status;
	ssize_t n;

	if (commit_out)
		commit_out[0] = '\0';
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return hub_error_errno(errno == ENOENT ? HUB_ENOTFOUND : HUB_EFAIL,
				       "cannot read '%s'", path);
	status = untar_open(&u, AT_FDCWD, dest, opts);
	if (status)
		goto done;
	chunk = xmalloc(INFLATE_OUT);
	while ((n = read(fd, chunk, INFLATE_OUT)) != 0) {
		if (n < 0) {
			if (errno == EINTR)
				continue;
			status = hub_error_errno(HUB_EFAIL, "cannot read '%s'", path);
			goto done;
		}
		status = untar_push(u, chunk, (size_t)n);
		if (status)
			goto done;
	}
	status = untar_finish(u);
	if (!status && commit_out && untar_commit(u))
		memcpy(commit_out, untar_commit(u), strlen(untar_commit(u)) + 1);
done:
	free(chunk);
	untar_free(u);
	close(fd);
	return status;
}
