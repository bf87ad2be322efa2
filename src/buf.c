#include <stdarg.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "buf.h"
#include "err.h"
#include "util.h"

void buf_init(struct buf *b, size_t max, const char *what)
{
	b->data = NULL;
	b->len = b->cap = 0;
	b->max = max;
	b->what = what;
}

int buf_grow(struct buf *b, size_t extra)
{
	size_t need, cap;

	if (extra > b->max || b->len > b->max - extra)
		return hub_error(HUB_EFAIL, "%s: larger than %zu bytes",
				 b->what ? b->what : "buffer", b->max);
	need = b->len + extra + 1;
	if (need <= b->cap)
		return HUB_OK;
	cap = b->cap ? b->cap : 64;
	while (cap < need)
		cap = cap / 2 * 3 + 16;
	b->data = xrealloc(b->data, cap);
	b->cap = cap;
	b->data[b->len] = '\0';
	return HUB_OK;
}

int buf_add(struct buf *b, const void *data, size_t len)
{
	int err = buf_grow(b, len);
	if (err)
		return err;
	if (len)
		memcpy(b->data + b->len, data, len);
	b->len += len;
	b->data[b->len] = '\0';
	return HUB_OK;
}

int buf_addstr(struct buf *b, const char *s)
{
	return buf_add(b, s, strlen(s));
}

int buf_addch(struct buf *b, int c)
{
	char ch = (char)c;
	return buf_add(b, &ch, 1);
}

int buf_addf(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	int n, err;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return hub_error(HUB_EFAIL, "%s: bad format", b->what ? b->what : "buffer");
	err = buf_grow(b, (size_t)n);
	if (err)
		return err;
	va_start(ap, fmt);
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
	return HUB_OK;
}

void buf_truncate(struct buf *b, size_t len)
{
	if (b->data && len < b->len) {
		b->len = len;
		b->data[len] = '\0';
	}
}

void buf_reset(struct buf *b)
{
	buf_truncate(b, 0);
}

void buf_free(struct buf *b)
{
	free(b->data);
	b->data = NULL;
	b->len = b->cap = 0;
}

char *buf_detach(struct buf *b)
{
	char *data = b->data ? b->data : xstrdup("");
	b->data = NULL;
	b->len = b->cap = 0;
	return data;
}

const char *buf_str(const struct buf *b)
{
	return b->data ? b->data : "";
}
