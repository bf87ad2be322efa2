/*
 * util.h - memory, paths and files.
 *
 * x* allocators never return NULL: out of memory ends the program (the only
 * failure hub treats as fatal). Strings returned by the functions here are
 * the caller's to free. File helpers return a status (err.h) and leave a
 * message naming the path.
 */
#ifndef HUB_UTIL_H
#define HUB_UTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>
#include <sys/types.h>

#include "buf.h"

void *xmalloc(size_t size);
void *xcalloc(size_t count, size_t size);
void *xrealloc(void *ptr, size_t size);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Appends the formatted line to lines[0..*count) unless it is there
 * already (warnings are said once); the array is grown with xrealloc. */
void lines_add_unique_v(char ***lines, size_t *count, const char *fmt, va_list ap)
	__attribute__((format(printf, 3, 0)));

/* "a" + "/" + "b", without doubling a slash. */
char *path_join(const char *a, const char *b);
/* A leading "~" or "~/" becomes $HOME (as Python's expanduser does). */
char *path_expand_home(const char *path);
/* ~-expanded and made absolute against the working directory, with "." and
 * ".." components and repeated slashes folded (symlinks are not resolved). */
char *path_absolute(const char *path);

int path_exists(const char *path);   /* lstat succeeds */
/* Appends "<dev> <ino> <size> <mtime sec.nsec>" of path (stat follows
 * links), what a cache keyed on a file's identity compares; 0 when it
 * cannot be stat'ed. st, when not NULL, gets the stat data. */
int stat_stamp(const char *path, struct buf *out, struct stat *st);

/* A 32-bit hash of len bytes for in-memory tables (eight bytes a step:
 * the parser hashes every identifier it reads). */
uint32_t hash_bytes(const void *data, size_t len);
int path_is_dir(const char *path);   /* stat says directory */

/* mkdir -p; existing directories are fine. */
int mkdir_p(const char *path, mode_t mode);
/* write(2) until all of data is written (EINTR retried); 0, or -1 with errno. */
int write_all(int fd, const void *data, size_t len);
/* Reads the whole file into out (appending), honouring out->max. */
int read_file(const char *path, struct buf *out);
/* Writes a temporary file beside path, fsyncs it, renames it over path: the
 * old file stays whole if anything fails. mode is applied before umask. */
int write_file_atomic(const char *path, const void *data, size_t len, mode_t mode);
/* The same without the fsync: for caches whose reader refuses a file that
 * a crash left empty or short (the rename is still atomic). */
int write_file_replace(const char *path, const void *data, size_t len, mode_t mode);
/* rm -rf that never follows a symlink: a link is removed, not its target.
 * A missing path is not an error. */
int remove_tree(const char *path);

/* 1 when fd is a terminal and NO_COLOR-style plainness is not wanted. */
int is_terminal(int fd);

/* Last, so system headers are declared before the bans take effect:
 * include system headers before hub's own. */
#include "banned.h"

#endif
