#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "err.h"
#include "util.h"

static void out_of_memory(size_t size)
{
	fprintf(stderr, "hub: out of memory (asked for %zu bytes)\n", size);
	exit(HUB_EFAIL);
}

void *xmalloc(size_t size)
{
	void *p = malloc(size ? size : 1);
	if (!p)
		out_of_memory(size);
	return p;
}

void *xcalloc(size_t count, size_t size)
{
	void *p = calloc(count ? count : 1, size ? size : 1);
	if (!p)
		out_of_memory(count * size);
	return p;
}

void *xrealloc(void *ptr, size_t size)
{
	void *p = realloc(ptr, size ? size : 1);
	if (!p)
		out_of_memory(size);
	return p;
}

char *xstrdup(const char *s)
{
	return xstrndup(s, strlen(s));
}

char *xstrndup(const char *s, size_t n)
{
	size_t len = strnlen(s, n);
	char *p = xmalloc(len + 1);
	memcpy(p, s, len);
	p[len] = '\0';
	return p;
}

char *xasprintf(const char *fmt, ...)
{
	va_list ap;
	int n;
	char *p;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		out_of_memory(0);
	p = xmalloc((size_t)n + 1);
	va_start(ap, fmt);
	vsnprintf(p, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return p;
}

void lines_add_unique_v(char ***lines, size_t *count, const char *fmt, va_list ap)
{
	char *s;
	size_t k;

	if (vasprintf(&s, fmt, ap) < 0)
		return;
	for (k = 0; k < *count; k++)
		if (!strcmp((*lines)[k], s)) {
			free(s);
			return;
		}
	*lines = xrealloc(*lines, (*count + 1) * sizeof(**lines));
	(*lines)[(*count)++] = s;
}

uint32_t hash_bytes(const void *data, size_t len)
{
	const uint64_t k = 0x9E3779B97F4A7C15u;
	const unsigned char *s = data;
	uint64_t h = len * k, v;

	for (; len >= 8; s += 8, len -= 8) {
		memcpy(&v, s, 8);
		h = (h ^ v) * k;
		h ^= h >> 29;
	}
	v = 0;
	memcpy(&v, s, len);
	h = (h ^ v) * k;
	return (uint32_t)(h >> 32);
}

int stat_stamp(const char *path, struct buf *out, struct stat *st_out)
{
	struct stat st;

	if (stat(path, &st))
		return 0;
	buf_addf(out, "%llu %llu %llu %lld.%09ld", (unsigned long long)st.st_dev,
		 (unsigned long long)st.st_ino, (unsigned long long)st.st_size,
		 (long long)st.st_mtim.tv_sec, st.st_mtim.tv_nsec);
	if (st_out)
		*st_out = st;
	return 1;
}

char *path_join(const char *a, const char *b)
{
	size_t la = strlen(a);
	if (!la)
		return xstrdup(b);
	if (a[la - 1] == '/')
		return xasprintf("%s%s", a, b[0] == '/' ? b + 1 : b);
	return xasprintf("%s/%s", a, b[0] == '/' ? b + 1 : b);
}

char *path_expand_home(const char *path)
{
	const char *home;

	if (path[0] != '~' || (path[1] != '\0' && path[1] != '/'))
		return xstrdup(path);
	home = getenv("HOME");
	if (!home || !*home)
		return xstrdup(path);
	return xasprintf("%s%s", home, path + 1);
}

char *path_absolute(const char *path)
{
	char *expanded = path_expand_home(path), *joined, *out, *cwd;
	const char *p;
	size_t len = 0;

	if (expanded[0] == '/') {
		joined = expanded;
	} else {
		cwd = getcwd(NULL, 0);
		if (!cwd)
			cwd = xstrdup(".");
		joined = path_join(cwd, expanded);
		free(cwd);
		free(expanded);
	}
	/* Fold the components in place of a fresh copy. */
	out = xmalloc(strlen(joined) + 2);
	for (p = joined; *p;) {
		const char *end;
		size_t n;

		while (*p == '/')
			p++;
		if (!*p)
			break;
		end = strchr(p, '/');
		n = end ? (size_t)(end - p) : strlen(p);
		if (n == 1 && p[0] == '.') {
			/* nothing */
		} else if (n == 2 && p[0] == '.' && p[1] == '.') {
			while (len > 0 && out[len - 1] != '/')
				len--;
			if (len > 0)
				len--;
		} else {
			out[len++] = '/';
			memcpy(out + len, p, n);
			len += n;
		}
		p += n;
	}
	if (len == 0)
		out[len++] = '/';
	out[len] = '\0';
	free(joined);
	return out;
}

int path_exists(const char *path)
{
	struct stat st;
	return lstat(path, &st) == 0;
}

int path_is_dir(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

int mkdir_p(const char *path, mode_t mode)
{
	char *copy = xstrdup(path), *p;
	int status = HUB_OK;

	for (p = copy + 1;; p++) {
		if (*p != '/' && *p != '\0')
			continue;
		char saved = *p;
		*p = '\0';
		if (mkdir(copy, mode) != 0 && errno != EEXIST) {
			status = hub_error_errno(HUB_EFAIL, "cannot create '%s'", copy);
			break;
		}
		if (saved == '\0')
			break;
		*p = saved;
	}
	if (!status && !path_is_dir(path))
		status = hub_error(HUB_EFAIL, "cannot create '%s': not a directory", path);
	free(copy);
	return status;
}

int read_file(const char *path, struct buf *out)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC), status = HUB_OK;
	struct stat st;
	ssize_t n;

	if (fd < 0)
		return hub_error_errno(errno == ENOENT || errno == ENOTDIR ? HUB_ENOTFOUND : HUB_EFAIL,
				       "cannot read '%s'", path);
	/* Room for the whole file (and one byte more, to see the end) at
	 * once, read in place: no chunk copied, no buffer grown. */
	if (!fstat(fd, &st) && S_ISREG(st.st_mode) && (size_t)st.st_size < out->max - out->len)
		buf_grow(out, (size_t)st.st_size + 1);
	for (;;) {
		size_t room = out->cap > out->len + 1 ? out->cap - out->len - 1 : 0;
		size_t left = out->max - out->len;
		char probe;

		if (room > left)
			room = left;
		if (!room) {
			if (left) {
				buf_grow(out, left < 16384 ? left : 16384);  /* within max: cannot fail */
				continue;
			}
			/* at the cap: one byte more is too many */
			if ((n = read(fd, &probe, 1)) < 0 && errno == EINTR)
				continue;
			if (n > 0)
				status = hub_error(HUB_EFAIL, "cannot read '%s': larger than %zu bytes",
						   path, out->max);
			else if (n < 0)
				status = hub_error_errno(HUB_EFAIL, "cannot read '%s'", path);
			break;
		}
		n = read(fd, out->data + out->len, room);
		if (n == 0)
			break;
		if (n < 0) {
			if (errno == EINTR)
				continue;
			status = hub_error_errno(HUB_EFAIL, "cannot read '%s'", path);
			break;
		}
		out->len += (size_t)n;
		out->data[out->len] = '\0';
	}
	close(fd);
	return status;
}

int write_all(int fd, const void *data, size_t len)
{
	const char *p = data;
	while (len) {
		ssize_t n = write(fd, p, len);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

static int write_replacing(const char *path, const void *data, size_t len, mode_t mode,
			   int durable)
{
	char *tmp = xasprintf("%s.tmp.%ld", path, (long)getpid());
	int fd, status = HUB_OK;

	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, mode);
	if (fd < 0) {
		status = hub_error_errno(HUB_EFAIL, "cannot write '%s'", path);
		goto done;
	}
	if (write_all(fd, data, len) || (durable && fsync(fd))) {
		status = hub_error_errno(HUB_EFAIL, "cannot write '%s'", path);
		close(fd);
		unlink(tmp);
		goto done;
	}
	if (close(fd) || rename(tmp, path)) {
		status = hub_error_errno(HUB_EFAIL, "cannot write '%s'", path);
		unlink(tmp);
	}
done:
	free(tmp);
	return status;
}

int write_file_atomic(const char *path, const void *data, size_t len, mode_t mode)
{
	return write_replacing(path, data, len, mode, 1);
}

int write_file_replace(const char *path, const void *data, size_t len, mode_t mode)
{
	return write_replacing(path, data, len, mode, 0);
}

/* Removes the entry name inside the directory dirfd, depth first. */
static int remove_at(int dirfd, const char *name, const char *display)
{
	struct stat st;
	int fd, status = HUB_OK;
	DIR *dir;
	struct dirent *entry;

	if (fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW)) {
		if (errno == ENOENT)
			return HUB_OK;
		return hub_error_errno(HUB_EFAIL, "cannot remove '%s'", display);
	}
	if (!S_ISDIR(st.st_mode)) {
		if (unlinkat(dirfd, name, 0) && errno != ENOENT)
			return hub_error_errno(HUB_EFAIL, "cannot remove '%s'", display);
		return HUB_OK;
	}
	fd = openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return hub_error_errno(HUB_EFAIL, "cannot remove '%s'", display);
	dir = fdopendir(fd);
	if (!dir) {
		close(fd);
		return hub_error_errno(HUB_EFAIL, "cannot remove '%s'", display);
	}
	while (!status && (entry = readdir(dir))) {
		if (!strcmp(entry->d_name, ".") || !strcmp(entry->d_name, ".."))
			continue;
		status = remove_at(fd, entry->d_name, display);
	}
	closedir(dir);
	if (!status && unlinkat(dirfd, name, AT_REMOVEDIR) && errno != ENOENT)
		status = hub_error_errno(HUB_EFAIL, "cannot remove '%s'", display);
	return status;
}

int remove_tree(const char *path)
{
	return remove_at(AT_FDCWD, path, path);
}

int is_terminal(int fd)
{
	return isatty(fd);
}
