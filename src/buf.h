/*
 * buf.h - a growable byte buffer with a size cap.
 *
 * Invariants: data is NULL or holds len bytes followed by a NUL (so it can be
 * used as a C string when it holds text); len < cap when data is set; len
 * never exceeds max. A buffer that would grow past max refuses with
 * HUB_EFAIL ("<what>: larger than N bytes") and is left unchanged, so a
 * parser fed hostile input fails cleanly instead of eating memory.
 *
 * The buffer owns data; buf_free releases it, buf_detach hands it over.
 * Out of memory is fatal.
 */
#ifndef HUB_BUF_H
#define HUB_BUF_H

#include <stddef.h>

struct buf {
	char *data;
	size_t len;
	size_t cap;
	size_t max;       /* the cap on len */
	const char *what; /* names the buffer in the too-large message */
};

#define BUF_NOLIMIT ((size_t)1 << 40)
#define BUF_INIT(max, what) { NULL, 0, 0, (max), (what) }

void buf_init(struct buf *b, size_t max, const char *what);
int buf_grow(struct buf *b, size_t extra);
int buf_add(struct buf *b, const void *data, size_t len);
int buf_addstr(struct buf *b, const char *s);
int buf_addch(struct buf *b, int c);
int buf_addf(struct buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void buf_truncate(struct buf *b, size_t len);
void buf_reset(struct buf *b);   /* len = 0, memory kept */
void buf_free(struct buf *b);    /* accepts a zeroed or freed buffer */
/* Returns data (never NULL: "" for an empty buffer) and resets b. */
char *buf_detach(struct buf *b);
/* data, or "" while nothing was added. */
const char *buf_str(const struct buf *b);

#endif
