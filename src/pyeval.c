/*
 * pyeval.c - the evaluator's memory, values, dicts and errors (see
 * pyeval.h; statements and expressions are in pyeval_exec.c, modules and
 * imports in pyeval_import.c, builtins in pyeval_lib.c).
 *
 * Everything lives in one arena of chunks counted against the byte cap;
 * nothing is freed before pyeval_free.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "pyeval_impl.h"
#include "pyparse.h"
#include "util.h"

#define CHUNK_SIZE ((size_t)64 << 10)
#define WARN_MAX 200

void *ev_alloc(struct pyeval *ev, size_t size)
{
	void *p;

	size = (size + 15) & ~(size_t)15;
	ev->bytes += size;
	if (ev->bytes > ev->opt.max_bytes && !ev->over_bytes) {
		ev->over_bytes = 1;
		ev_fatal(ev, "evaluation exceeded %zu MiB of memory", ev->opt.max_bytes >> 20);
	}
	if (size > CHUNK_SIZE / 4) {
		p = xcalloc(1, size);
		ev->chunks = xrealloc(ev->chunks, (ev->chunk_count + 1) * sizeof(*ev->chunks));
		ev->chunks[ev->chunk_count++] = p;
		return p;
	}
	if (!ev->chunk || ev->chunk_used + size > ev->chunk_size) {
		/* chunks grow to 1 MiB: fewer mappings for a big repository */
		size_t chunk = ev->chunk_size ? ev->chunk_size * 2 : CHUNK_SIZE;
		if (chunk > ((size_t)1 << 20))
			chunk = (size_t)1 << 20;
		ev->chunk = xcalloc(1, chunk);
		ev->chunk_size = chunk;
		ev->chunk_used = 0;
		ev->chunks = xrealloc(ev->chunks, (ev->chunk_count + 1) * sizeof(*ev->chunks));
		ev->chunks[ev->chunk_count++] = ev->chunk;
	}
	p = ev->chunk + ev->chunk_used;
	ev->chunk_used += size;
	return p;
}

char *ev_strndup(struct pyeval *ev, const char *s, size_t len)
{
	char *p = ev_alloc(ev, len + 1);

	memcpy(p, s, len);
	p[len] = 0;
	return p;
}

char *ev_printf(struct pyeval *ev, const char *fmt, ...)
{
	va_list ap;
	char *s, *p;

	va_start(ap, fmt);
	if (vasprintf(&s, fmt, ap) < 0)
		s = NULL;
	va_end(ap);
	if (!s)
		return ev_strndup(ev, "?", 1);
	p = ev_strndup(ev, s, strlen(s));
	free(s);
	return p;
}

void ev_warn(struct pyeval *ev, const char *fmt, ...)
{
	va_list ap;

	if (ev->lenient)
		return;
	if (ev->warn_count >= WARN_MAX) {
		ev->warn_dropped++;
		return;
	}
	va_start(ap, fmt);
	lines_add_unique_v(&ev->warnings, &ev->warn_count, fmt, ap);
	va_end(ap);
}

const char *ev_where(struct pyeval *ev, unsigned *line)
{
	*line = ev->cur_line;
	return ev->cur_mod ? ev->cur_mod->path : "?";
}

int ev_step(struct pyeval *ev)
{
	if (ev->flow == F_FATAL)
		return -1;
	if (++ev->steps > ev->opt.max_steps) {
		ev_fatal(ev, "evaluation exceeded %llu steps", (unsigned long long)ev->opt.max_steps);
		return -1;
	}
	return 0;
}

struct pv *ev_fatal(struct pyeval *ev, const char *fmt, ...)
{
	va_list ap;
	char msg[512];
	unsigned line;
	const char *file = ev_where(ev, &line);

	if (ev->flow != F_FATAL) {
		va_start(ap, fmt);
		vsnprintf(msg, sizeof(msg), fmt, ap);
		va_end(ap);
		hub_error(HUB_EFAIL, "%s at %s:%u", msg, file, line);
		ev->fatal_msg = ev_printf(ev, "%s at %s:%u", msg, file, line);
	}
	ev->flow = F_FATAL;
	return NULL;
}

/* ---- values ---- */

struct pv *pv_new(struct pyeval *ev, enum pv_kind kind)
{
	struct pv *v = ev_alloc(ev, sizeof(*v));

	v->kind = (uint8_t)kind;
	v->line = ev->cur_line;
	return v;
}

struct pv *pv_int(struct pyeval *ev, int64_t i)
{
	struct pv *v;

	if (i >= -5 && i <= 256 && ev->small_ints[i + 5])
		return ev->small_ints[i + 5];
	v = pv_new(ev, K_INT);
	v->u.i = i;
	if (i >= -5 && i <= 256)
		ev->small_ints[i + 5] = v;
	return v;
}

struct pv *pv_float(struct pyeval *ev, double f)
{
	struct pv *v = pv_new(ev, K_FLOAT);

	v->u.f = f;
	return v;
}

struct pv *pv_bool(struct pyeval *ev, int b)
{
	return b ? ev->true_ : ev->false_;
}

/* A value's hash; 0 is kept for "not computed". */
static uint32_t value_hash(const void *s, size_t len)
{
	uint32_t h = hash_bytes(s, len);
	return h ? h : 1;
}

struct pv *pv_instance(struct pyeval *ev, struct pv *cls)
{
	struct pv *inst = pv_new(ev, K_INSTANCE);

	inst->u.inst.cls = cls;
	inst->u.inst.dict = pv_dict_new(ev);
	return inst;
}

struct pv *pv_str(struct pyeval *ev, const char *s, size_t len)
{
	struct pv *v = pv_new(ev, K_STR);

	v->u.str.s = ev_strndup(ev, s, len);
	v->u.str.len = len;
	v->u.str.hash = value_hash(s, len);
	return v;
}

struct pv *pv_strz(struct pyeval *ev, const char *s)
{
	return pv_str(ev, s, strlen(s));
}

struct pv *pv_intern(struct pyeval *ev, const char *s, size_t len)
{
	struct pv key, *v;

	key.kind = K_STR;
	key.u.str.s = s;
	key.u.str.len = len;
	key.u.str.hash = value_hash(s, len);
	if ((v = dict_get(ev->interned, &key)))
		return v;
	v = pv_str(ev, s, len);
	dict_set(ev, ev->interned, v, v);
	return v;
}

struct pv *pv_unknown(struct pyeval *ev, const char *what)
{
	struct pv *v = pv_new(ev, K_UNKNOWN);

	v->u.unknown.what = what;
	v->u.unknown.file = ev->cur_mod ? ev->cur_mod->path : "?";
	return v;
}

struct pv *pv_unknownf(struct pyeval *ev, const char *fmt, ...)
{
	va_list ap;
	char msg[256];

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return pv_unknown(ev, ev_strndup(ev, msg, strlen(msg)));
}

struct pv *pv_opaque(struct pyeval *ev, const char *module, const char *attr)
{
	struct pv *v = pv_new(ev, K_OPAQUE);

	v->u.opaque.module = module;
	v->u.opaque.attr = attr;
	v->u.opaque.file = ev->cur_mod ? ev->cur_mod->path : "?";
	return v;
}

struct pv *pv_seq_new(struct pyeval *ev, enum pv_kind kind, size_t cap)
{
	struct pv *v = pv_new(ev, kind);

	v->u.seq = ev_alloc(ev, sizeof(*v->u.seq));
	if (cap) {
		v->u.seq->items = ev_alloc(ev, cap * sizeof(struct pv *));
		v->u.seq->cap = cap;
	}
	return v;
}

void seq_append(struct pyeval *ev, struct pv *seq, struct pv *item)
{
	struct pv_seq *s = seq->u.seq;

	if (s->count == s->cap) {
		size_t cap = s->cap ? 2 * s->cap : 4;
		struct pv **items = ev_alloc(ev, cap * sizeof(*items));

		if (s->count)
			memcpy(items, s->items, s->count * sizeof(*items));
		s->items = items;
		s->cap = cap;
	}
	s->items[s->count++] = item;
}

struct pv *pv_builtin(struct pyeval *ev, enum builtin_id id, struct pv *self)
{
	struct pv *v = pv_new(ev, K_BUILTIN);

	v->id = (uint16_t)id;
	v->u.bi.self = self;
	return v;
}

/* ---- hashing and equality ---- */

int pv_hash(const struct pv *v, uint32_t *hash)
{
	size_t k;
	uint32_t h;

	switch (v->kind) {
	case K_STR:
		*hash = v->u.str.hash;
		return 0;
	case K_INT:
		*hash = (uint32_t)(v->u.i ^ (v->u.i >> 32)) * 2654435761u;
		return 0;
	case K_BOOL:
		*hash = (uint32_t)v->u.i * 2654435761u;
		return 0;
	case K_FLOAT:
		if (v->u.f == (double)(int64_t)v->u.f) {
			int64_t i = (int64_t)v->u.f;
			*hash = (uint32_t)(i ^ (i >> 32)) * 2654435761u;
		} else {
			*hash = value_hash(&v->u.f, sizeof(v->u.f));
		}
		return 0;
	case K_NONE:
		*hash = 7;
		return 0;
	case K_TUPLE:
		h = 31;
		for (k = 0; k < v->u.seq->count; k++) {
			uint32_t e;
			if (pv_hash(v->u.seq->items[k], &e))
				return -1;
			h = h * 1000003u ^ e;
		}
		*hash = h;
		return 0;
	case K_BYTES:
		*hash = v->u.str.hash ^ 0x5bd1e995u;
		return 0;
	case K_UNKNOWN:
	case K_OPAQUE:
	case K_LIST:
	case K_DICT:
	case K_SET:
		return -1;
	default:
		*hash = (uint32_t)((uintptr_t)v >> 4) * 2654435761u;
		return 0;
	}
}

static int numeric(const struct pv *v, double *f, int64_t *i)
{
	if (v->kind == K_INT || v->kind == K_BOOL) {
		*i = v->u.i;
		*f = (double)v->u.i;
		return 1;
	}
	if (v->kind == K_FLOAT) {
		*f = v->u.f;
		*i = (int64_t)v->u.f;
		return 2;
	}
	return 0;
}

int pv_equal(const struct pv *a, const struct pv *b)
{
	double fa = 0, fb = 0;
	int64_t ia = 0, ib = 0;
	int na, nb;
	size_t k;

	if (a == b && a->kind != K_FLOAT)
		return a->kind == K_UNKNOWN || a->kind == K_OPAQUE ? -1 : 1;
	if (a->kind == K_UNKNOWN || b->kind == K_UNKNOWN || a->kind == K_OPAQUE ||
	    b->kind == K_OPAQUE)
		return -1;
	na = numeric(a, &fa, &ia);
	nb = numeric(b, &fb, &ib);
	if (na && nb)
		return na == 1 && nb == 1 ? ia == ib : fa == fb;
	if (a->kind == K_INSTANCE || b->kind == K_INSTANCE)
		return a == b ? 1 : -1;         /* __eq__ may say otherwise */
	if (a->kind != b->kind) {
		if ((a->kind == K_LIST || a->kind == K_TUPLE || a->kind == K_DICT ||
		     a->kind == K_SET || a->kind == K_STR || a->kind == K_NONE) &&
		    (b->kind == K_LIST || b->kind == K_TUPLE || b->kind == K_DICT ||
		     b->kind == K_SET || b->kind == K_STR || b->kind == K_NONE || na || nb))
			return 0;
		return a->kind == K_OPAQUE || b->kind == K_OPAQUE ? -1 : 0;
	}
	switch (a->kind) {
	case K_STR:
	case K_BYTES:
		return a->u.str.len == b->u.str.len &&
		       !memcmp(a->u.str.s, b->u.str.s, a->u.str.len);
	case K_NONE:
	case K_ELLIPSIS:
		return 1;
	case K_TUPLE:
	case K_LIST:
		if (a->u.seq->count != b->u.seq->count)
			return 0;
		for (k = 0; k < a->u.seq->count; k++) {
			int e = pv_equal(a->u.seq->items[k], b->u.seq->items[k]);
			if (e != 1)
				return e;
		}
		return 1;
	case K_DICT:
	case K_SET:
		return -1;
	default:
		return a == b;
	}
}

int pv_truth(const struct pv *v)
{
	switch (v->kind) {
	case K_NONE:
		return 0;
	case K_BOOL:
	case K_INT:
		return v->u.i != 0;
	case K_FLOAT:
		return v->u.f != 0;
	case K_STR:
	case K_BYTES:
		return v->u.str.len != 0;
	case K_TUPLE:
	case K_LIST:
		return v->u.seq->count != 0;
	case K_SET:
	case K_DICT:
		if (v->u.dict->live)
			return 1;
		return v->u.dict->incomplete ? -1 : 0;
	case K_UNKNOWN:
	case K_OPAQUE:
	case K_INSTANCE:
		return -1;
	default:
		return 1;
	}
}

/* ---- dicts (and sets: a dict whose values are the keys) ---- */

struct pv *pv_dict_new(struct pyeval *ev)
{
	struct pv *v = pv_new(ev, K_DICT);

	v->u.dict = ev_alloc(ev, sizeof(*v->u.dict));
	return v;
}

static size_t dict_find(const struct pv_dict *d, const struct pv *key, uint32_t hash, int *found)
{
	size_t mask = d->index_cap - 1, at = hash & mask;

	*found = 0;
	while (d->index[at]) {
		size_t e = d->index[at] - 1;
		if (d->keys[e] && d->hashes[e] == hash && pv_equal(d->keys[e], key) == 1) {
			*found = 1;
			return at;
		}
		at = (at + 1) & mask;
	}
	return at;
}

static void dict_reindex(struct pyeval *ev, struct pv_dict *d, size_t cap)
{
	size_t k, n = 0;
	int found;

	/* compact the entries first */
	for (k = 0; k < d->count; k++)
		if (d->keys[k]) {
			d->keys[n] = d->keys[k];
			d->vals[n] = d->vals[k];
			d->hashes[n] = d->hashes[k];
			n++;
		}
	d->count = n;
	d->index = ev_alloc(ev, cap * sizeof(*d->index));
	d->index_cap = cap;
	for (k = 0; k < n; k++) {
		size_t at = dict_find(d, d->keys[k], d->hashes[k], &found);
		d->index[at] = (uint32_t)k + 1;
	}
}

struct pv *dict_get(struct pv *dict, const struct pv *key)
{
	struct pv_dict *d = dict->u.dict;
	uint32_t hash;
	int found;
	size_t at;

	if (!d->index_cap || pv_hash(key, &hash))
		return NULL;
	at = dict_find(d, key, hash, &found);
	return found ? d->vals[d->index[at] - 1] : NULL;
}

struct pv *dict_get_str(struct pv *dict, const char *key)
{
	struct pv k;

	k.kind = K_STR;
	k.u.str.s = key;
	k.u.str.len = strlen(key);
	k.u.str.hash = value_hash(key, k.u.str.len);
	return dict_get(dict, &k);
}

void dict_set(struct pyeval *ev, struct pv *dict, struct pv *key, struct pv *val)
{
	struct pv_dict *d = dict->u.dict;
	uint32_t hash;
	int found;
	size_t at;

	if (pv_hash(key, &hash)) {
		d->incomplete = 1;
		return;
	}
	if (d->count + 1 > d->index_cap / 2)
		dict_reindex(ev, d, d->index_cap ? 2 * d->index_cap : 8);
	at = dict_find(d, key, hash, &found);
	if (found) {
		d->vals[d->index[at] - 1] = val;
		return;
	}
	if (d->count == d->cap) {
		size_t cap = d->cap ? 2 * d->cap : 4;
		struct pv **keys = ev_alloc(ev, cap * sizeof(*keys));
		struct pv **vals = ev_alloc(ev, cap * sizeof(*vals));
		uint32_t *hashes = ev_alloc(ev, cap * sizeof(*hashes));

		if (d->count) {
			memcpy(keys, d->keys, d->count * sizeof(*keys));
			memcpy(vals, d->vals, d->count * sizeof(*vals));
			memcpy(hashes, d->hashes, d->count * sizeof(*hashes));
		}
		d->keys = keys;
		d->vals = vals;
		d->hashes = hashes;
		d->cap = cap;
	}
	d->keys[d->count] = key;
	d->vals[d->count] = val;
	d->hashes[d->count] = hash;
	d->index[at] = (uint32_t)d->count + 1;
	d->count++;
	d->live++;
}

int dict_del(struct pv *dict, const struct pv *key)
{
	struct pv_dict *d = dict->u.dict;
	uint32_t hash;
	int found;
	size_t at, e;

	if (!d->index_cap || pv_hash(key, &hash))
		return 0;
	at = dict_find(d, key, hash, &found);
	if (!found)
		return 0;
	e = d->index[at] - 1;
	d->keys[e] = NULL;
	d->vals[e] = NULL;
	d->live--;
	/* keep the probe chain: the slot still points at a dead entry */
	return 1;
}

void dict_set_str(struct pyeval *ev, struct pv *dict, const char *key, struct pv *val)
{
	dict_set(ev, dict, pv_intern(ev, key, strlen(key)), val);
}

/* ---- exceptions ---- */

struct pv *ev_raise(struct pyeval *ev, struct pv *cls, const char *fmt, ...)
{
	va_list ap;
	char msg[256];
	struct pv *inst;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (ev->flow == F_FATAL)
		return NULL;
	if (hub_log_enabled()) {
		unsigned line;
		const char *file = ev_where(ev, &line);
		hub_log("pyeval: %s:%u: %s: %s", file, line, cls->u.cls->name->u.str.s, msg);
	}
	inst = pv_instance(ev, cls);
	dict_set_str(ev, inst->u.inst.dict, "args", pv_strz(ev, msg));
	ev->exc_file = ev_where(ev, &ev->exc_line);
	ev->exc = inst;
	ev->flow = F_RAISE;
	return NULL;
}

/* ---- results ---- */

void pyeval_free(struct pyeval *ev)
{
	size_t k;
	struct evmod *m;

	if (!ev)
		return;
	for (m = ev->mods; m; m = m->next) {
		py_tree_free(m->tree);
		buf_free(&m->source);
	}
	for (k = 0; k < ev->chunk_count; k++)
		free(ev->chunks[k]);
	free(ev->chunks);
	for (k = 0; k < ev->warn_count; k++)
		free(ev->warnings[k]);
	free(ev->warnings);
	for (k = 0; k < ev->file_count; k++)
		free(ev->files[k]);
	free(ev->files);
	for (k = 0; k < ev->dir_count; k++)
		free(ev->dirs[k]);
	free(ev->dirs);
	buf_free(&ev->scratch);
	for (k = 0; k < ev->opt.library_count; k++)
		free((char *)ev->opt.library[k]);
	free((void *)ev->opt.library);
	free((char *)ev->opt.repo);
	free(ev);
}

size_t pyeval_files(const struct pyeval *ev, const char *const **paths)
{
	*paths = (const char *const *)ev->files;
	return ev->file_count;
}

size_t pyeval_dirs(const struct pyeval *ev, const char *const **dirs)
{
	*dirs = (const char *const *)ev->dirs;
	return ev->dir_count;
}

size_t pyeval_warnings(const struct pyeval *ev, const char *const **warnings)
{
	*warnings = (const char *const *)ev->warnings;
	return ev->warn_count;
}
