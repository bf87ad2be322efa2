/*
 * hubconf.c - entrypoints and docs of a hubconf.py, following imports into
 * the repository.
 *
 * Each module read becomes a list of bindings in source order (def, class,
 * import, assignment, del, star import ...), made by walking its logical
 * lines at module scope, into if/try/with/for blocks but not into function
 * bodies. A name is resolved by walking that list backwards from a point,
 * as Python's namespace would hold it there: the last binding wins, a star
 * import answers for the names its module exports, an alias resolves its
 * target as of its own line. Modules are read only when a resolution needs
 * them.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "buf.h"
#include "err.h"
#include "hubconf.h"
#include "pyscan.h"
#include "util.h"

/* Caps: a hostile repository gets an error, not our memory. */
#define SOURCE_MAX ((size_t)8 << 20)
#define TOTAL_SOURCE_MAX ((size_t)256 << 20)
#define MODULES_MAX 4096
#define LINE_TOKENS_MAX ((size_t)1 << 20)
#define RESOLVE_DEPTH_MAX 48
#define DOC_MAX ((size_t)16 << 20)
#define WARNINGS_MAX 100
/* Tokens deeper than this inside a logical line's brackets are not kept:
 * statements are recognised from their outer layers. */
#define KEEP_DEPTH 2

enum binding_kind {
	B_DEF, B_CLASS, B_LAMBDA, B_PARTIAL, B_MODULE, B_IMPORT, B_STAR, B_ALIAS,
	B_VALUE, B_UNKNOWN, B_DELETED, B_DOC
};

struct range {
	size_t start, end;
	unsigned line;
	int set;
};

struct binding {
	char *name;             /* NULL for B_STAR */
	enum binding_kind kind;
	unsigned line;
	int chain, branch;      /* innermost if/try/match around it */
	int ignored;            /* a later alternative of a branch that bound it */
	char *target;           /* B_MODULE, B_IMPORT, B_STAR: module; B_ALIAS,
				 * B_DOC from a name: dotted name */
	char *attr;             /* B_IMPORT: the name imported */
	const char *why;        /* B_UNKNOWN, B_DOC: what hides the value */
	struct range params;    /* B_DEF, B_LAMBDA; B_CLASS: its __init__'s */
	struct range ret;       /* annotation after -> */
	struct range doc;       /* B_DEF, B_CLASS, B_DOC: string literal(s) */
	struct range bases;     /* B_CLASS */
	int init_chain, init_branch;
	size_t prev_same;       /* the binding of the same name before, or NONE */
};

#define NONE ((size_t)-1)

struct dynamic {
	unsigned line;
	char *what;
};

enum all_state { ALL_NONE, ALL_LITERAL, ALL_DYNAMIC };
enum module_state { MOD_NEW, MOD_SCANNING, MOD_DONE, MOD_FAILED };

struct module {
	char *name;             /* dotted; "hubconf.py" for the hubconf */
	char *path;             /* relative to the repository; NULL: namespace package */
	int is_package;
	enum module_state state;
	struct buf source;
	struct binding *b;
	size_t count, cap;
	/* name -> its latest binding, open addressing: every lookup is O(1)
	 * and a module of N names costs O(N), not O(N^2). */
	size_t *slots;          /* binding index + 1; 0: empty */
	size_t slot_count, slot_used;
	size_t *stars;          /* indexes of B_STAR bindings, in order */
	size_t star_count;
	char **all;
	char **all_sorted;      /* the same strings, for bsearch */
	size_t all_count;
	enum all_state all_state;
	unsigned all_line;
	struct dynamic *dyn;
	size_t dyn_count;
	int exporting;          /* cycle guard while listing exports */
};

/* An if/elif/else, try/except or match statement of hubconf.py. */
struct chain_info {
	int kind;               /* C_IF, C_TRY, C_MATCH */
	int branches;
	int has_else;           /* some branch always runs */
	int uncertain;          /* a condition hub did not evaluate */
};

struct hubconf {
	char *repo;
	struct module **mods;
	size_t mod_count;
	struct module *hub;
	char **warnings;
	size_t warn_count;
	size_t warn_dropped;
	char **deps;
	size_t dep_count;
	char **names;
	size_t name_count;
	size_t total_source;
	int chains;
	struct chain_info *chain_info;  /* by chain id, for hubconf.py */
	struct py_token *toks;          /* the walkers' line buffer */
	size_t toks_cap;
	size_t chain_cap;
	char **inputs;                  /* hubconf_inputs */
	size_t input_count;
};

/* ---- small helpers ---- */

static int is_public(const char *name)
{
	return name[0] != '_';
}

static void add_warning(struct hubconf *hc, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void add_warning(struct hubconf *hc, const char *fmt, ...)
{
	struct buf b = BUF_INIT(4096, "warning");
	va_list ap;
	char *text;
	size_t i;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0 || buf_grow(&b, (size_t)n))
		return;
	va_start(ap, fmt);
	vsnprintf(b.data, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b.len = (size_t)n;
	text = buf_detach(&b);
	for (i = 0; i < hc->warn_count && i < WARNINGS_MAX; i++)
		if (!strcmp(hc->warnings[i], text)) {
			free(text);
			return;
		}
	if (hc->warn_count >= WARNINGS_MAX) {
		/* The rest is counted in one last line. */
		free(text);
		hc->warn_dropped++;
		if (hc->warn_count == WARNINGS_MAX) {
			hc->warnings = xrealloc(hc->warnings, (hc->warn_count + 1) * sizeof(*hc->warnings));
			hc->warn_count++;
		} else {
			free(hc->warnings[WARNINGS_MAX]);
		}
		hc->warnings[WARNINGS_MAX] = xasprintf("and %zu more warnings like these",
						       hc->warn_dropped);
		return;
	}
	hc->warnings = xrealloc(hc->warnings, (hc->warn_count + 1) * sizeof(*hc->warnings));
	hc->warnings[hc->warn_count++] = text;
}

static void add_string(char ***list, size_t *count, char *s)
{
	*list = xrealloc(*list, (*count + 1) * sizeof(**list));
	(*list)[(*count)++] = s;
}

static int compare_strings(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* ---- modules ---- */

static struct module *new_module(struct hubconf *hc, const char *name, const char *path,
				 int is_package)
{
	struct module *m = xcalloc(1, sizeof(*m));

	m->name = xstrdup(name);
	m->path = path ? xstrdup(path) : NULL;
	m->is_package = is_package;
	buf_init(&m->source, SOURCE_MAX, "python source");
	hc->mods = xrealloc(hc->mods, (hc->mod_count + 1) * sizeof(*hc->mods));
	hc->mods[hc->mod_count++] = m;
	return m;
}

static void free_module(struct module *m)
{
	size_t i;

	if (!m)
		return;
	for (i = 0; i < m->count; i++) {
		free(m->b[i].name);
		free(m->b[i].target);
		free(m->b[i].attr);
	}
	for (i = 0; i < m->all_count; i++)
		free(m->all[i]);
	for (i = 0; i < m->dyn_count; i++)
		free(m->dyn[i].what);
	free(m->all);
	free(m->all_sorted);
	free(m->dyn);
	free(m->slots);
	free(m->stars);
	free(m->b);
	buf_free(&m->source);
	free(m->name);
	free(m->path);
	free(m);
}

static int valid_dotted(const char *name)
{
	const char *p = name;
	int start = 1;

	if (!*p)
		return 0;
	for (; *p; p++) {
		if (*p == '.') {
			if (start)
				return 0;
			start = 1;
			continue;
		}
		if (*p == '/' || *p == '\\')
			return 0;
		if (start && *p >= '0' && *p <= '9')
			return 0;
		start = 0;
	}
	return !start;
}

/* The module named `name` inside the repository, as Python's path finder
 * picks it with the repository first on sys.path (package, then module,
 * then namespace package); NULL when it is not there. */
static struct module *find_module(struct hubconf *hc, const char *name)
{
	struct module *m = NULL;
	char *rel = NULL, *init = NULL, *file = NULL, *full = NULL;
	size_t i;

	for (i = 0; i < hc->mod_count; i++)
		if (!strcmp(hc->mods[i]->name, name))
			return hc->mods[i]->state == MOD_FAILED && !hc->mods[i]->path &&
			       !hc->mods[i]->is_package ? NULL : hc->mods[i];
	if (!valid_dotted(name) || hc->mod_count >= MODULES_MAX)
		return NULL;
	rel = xstrdup(name);
	for (i = 0; rel[i]; i++)
		if (rel[i] == '.')
			rel[i] = '/';
	init = xasprintf("%s/__init__.py", rel);
	file = xasprintf("%s.py", rel);
	full = path_join(hc->repo, init);
	if (path_exists(full)) {
		m = new_module(hc, name, init, 1);
		goto done;
	}
	free(full);
	full = path_join(hc->repo, file);
	if (path_exists(full)) {
		m = new_module(hc, name, file, 0);
		goto done;
	}
	free(full);
	full = path_join(hc->repo, rel);
	if (path_is_dir(full)) {
		m = new_module(hc, name, NULL, 1);
		m->state = MOD_DONE;
		goto done;
	}
	/* Remembered as absent, so a name asked for again costs no stat. */
	m = new_module(hc, name, NULL, 0);
	m->state = MOD_FAILED;
	m = NULL;
done:
	free(rel);
	free(init);
	free(file);
	free(full);
	return m;
}

/* ---- the line reader ---- */

enum scope { SCOPE_MODULE, SCOPE_CLASS };

struct walker {
	struct hubconf *hc;
	struct module *m;
	const char *src;
	struct pyscan scan;
	struct py_token *toks;  /* the current logical line, depth <= KEEP_DEPTH */
	size_t count, cap;
	int level;              /* its indentation level */
	int have;               /* a line is loaded */
	int chain, branch;      /* the alternative block being walked */
	/* Watching every token for names made at run time. */
	struct py_token ring[6];    /* the last tokens, circular */
	int ring_len, ring_next;
	int subscript_depth;    /* globals()[ opened at this depth, or -1 */
	const char *subscript_what;
	int expect_assign;
	struct buf scratch;     /* decoded strings, checked and dropped */
};

static size_t tok_len(const struct py_token *t)
{
	return t->end - t->start;
}

static int text_is(const struct walker *w, const struct py_token *t, const char *text)
{
	/* The first byte, here, settles most calls without leaving the file. */
	return w->src[t->start] == text[0] && py_token_is(w->src, t, text);
}

static int at_is(const struct walker *w, size_t i, size_t end, const char *text)
{
	return i < end && text_is(w, &w->toks[i], text);
}

static char *tok_dup(const struct walker *w, const struct py_token *t)
{
	return xstrndup(w->src + t->start, tok_len(t));
}

static void add_dynamic(struct walker *w, unsigned line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void add_dynamic(struct walker *w, unsigned line, const char *fmt, ...)
{
	struct module *m = w->m;
	char text[256];
	va_list ap;
	size_t i;

	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	for (i = 0; i < m->dyn_count; i++)
		if (m->dyn[i].line == line && !strcmp(m->dyn[i].what, text))
			return;
	m->dyn = xrealloc(m->dyn, (m->dyn_count + 1) * sizeof(*m->dyn));
	m->dyn[m->dyn_count].line = line;
	m->dyn[m->dyn_count].what = xstrdup(text);
	m->dyn_count++;
}

static const struct py_token *ring_back(const struct walker *w, int back)
{
	return back < w->ring_len ? &w->ring[(w->ring_next + 6 - 1 - back) % 6] : NULL;
}

static int ring_is(const struct walker *w, int back, const char *text)
{
	const struct py_token *t = ring_back(w, back);
	return t && text_is(w, t, text);
}

/* Patterns that change the module's names while it runs, seen at any
 * depth and in any scope (a function doing it may be called at import). */
static void watch_dynamic(struct walker *w, const struct py_token *tok)
{
	static const char *const mutators[] = {
		"update", "setdefault", "__setitem__", "pop", "popitem", "clear",
		"__delitem__", NULL
	};
	char first = w->src[tok->start];
	int i;

	if (w->expect_assign) {
		w->expect_assign = 0;
		if (text_is(w, tok, "="))
			add_dynamic(w, tok->line, "%s", w->subscript_what);
	}
	if (tok->kind == PY_STRING || tok->kind == PY_NUMBER ||
	    (tok->kind == PY_OP && first != '[' && first != ']' && first != '(')) {
		/* Nothing here ends a pattern: only remember the token. */
		w->ring[w->ring_next] = *tok;
		w->ring_next = (w->ring_next + 1) % 6;
		if (w->ring_len < 6)
			w->ring_len++;
		return;
	}
	w->ring[w->ring_next] = *tok;
	w->ring_next = (w->ring_next + 1) % 6;
	if (w->ring_len < 6)
		w->ring_len++;
	if (text_is(w, tok, "[") && ring_is(w, 1, ")") && ring_is(w, 2, "(")) {
		if (ring_is(w, 3, "globals")) {
			w->subscript_depth = tok->depth;
			w->subscript_what = "globals()[...] = ...";
		} else if ((ring_is(w, 3, "vars") || ring_is(w, 3, "locals")) && w->level == 0) {
			w->subscript_depth = tok->depth;
			w->subscript_what = "vars()[...] = ...";
		}
	} else if (text_is(w, tok, "]") && w->subscript_depth == tok->depth) {
		w->subscript_depth = -1;
		w->expect_assign = 1;
	} else if (tok->kind == PY_NAME && ring_is(w, 1, ".") && ring_is(w, 2, ")") &&
		   ring_is(w, 3, "(") && ring_is(w, 4, "globals")) {
		for (i = 0; mutators[i]; i++)
			if (text_is(w, tok, mutators[i]))
				add_dynamic(w, tok->line, "globals().%s(...)", mutators[i]);
	} else if (text_is(w, tok, "]") && ring_is(w, 1, "__name__") && ring_is(w, 2, "[") &&
		   ring_is(w, 3, "modules") && ring_is(w, 4, ".") && ring_is(w, 5, "sys")) {
		add_dynamic(w, tok->line, "sys.modules[__name__]");
	} else if (text_is(w, tok, "(") && ring_is(w, 1, "exec") && !ring_is(w, 2, ".") &&
		   !ring_is(w, 2, "def")) {
		add_dynamic(w, tok->line, "exec(...)");
	}
}

/* Loads the next logical line; w->have is 0 at the end. */
static int next_line(struct walker *w)
{
	struct py_token tok;
	int status;

	w->count = 0;
	w->have = 0;
	for (;;) {
		if ((status = pyscan_next(&w->scan, &tok)))
			return status;
		switch (tok.kind) {
		case PY_END:
			return HUB_OK;
		case PY_INDENT:
			w->level++;
			continue;
		case PY_DEDENT:
			w->level--;
			continue;
		case PY_NEWLINE:
			if (!w->count)
				continue;
			w->have = 1;
			return HUB_OK;
		default:
			break;
		}
		watch_dynamic(w, &tok);
		/* Python refuses the whole file over one bad escape: so do we. */
		if (tok.kind == PY_STRING && !(tok.flags & (PY_STR_RAW | PY_STR_BYTES | PY_STR_FORMAT)) &&
		    memchr(w->src + tok.body_start, '\\', tok.body_end - tok.body_start)) {
			buf_reset(&w->scratch);
			if ((status = py_string_value(w->scan.file, w->src, &tok, &w->scratch)))
				return status;
		}
		if (tok.depth > KEEP_DEPTH)
			continue;
		if (w->count == w->cap) {
			if (w->cap >= LINE_TOKENS_MAX)
				return hub_error(HUB_EFAIL, "%s:%u: logical line too long",
						 w->scan.file, tok.line);
			w->cap = w->cap ? w->cap * 2 : 256;
			w->toks = xrealloc(w->toks, w->cap * sizeof(*w->toks));
		}
		w->toks[w->count++] = tok;
	}
}

/* The token closing the bracket at i (same depth); end when unclosed. */
static size_t matching(const struct walker *w, size_t i, size_t end)
{
	int depth = w->toks[i].depth;
	size_t j;

	for (j = i + 1; j < end; j++)
		if (w->toks[j].depth == depth)
			return j;
	return end;
}

/* ---- bindings ---- */

static size_t hash_name(const char *name)
{
	size_t h = 5381;
	while (*name)
		h = h * 33 + (unsigned char)*name++;
	return h;
}

/* The slot holding name, or the empty slot where it would go. */
static size_t *name_slot(const struct module *m, const char *name)
{
	size_t mask = m->slot_count - 1, at = hash_name(name) & mask;

	while (m->slots[at] && strcmp(m->b[m->slots[at] - 1].name, name))
		at = (at + 1) & mask;
	return &m->slots[at];
}

/* The latest binding of name in m, or NONE. */
static size_t latest(const struct module *m, const char *name)
{
	size_t *slot;

	if (!m->slot_count)
		return NONE;
	slot = name_slot(m, name);
	return *slot ? *slot - 1 : NONE;
}

static void index_binding(struct module *m, size_t at)
{
	size_t *slot;

	if (2 * (m->slot_used + 1) > m->slot_count) {
		size_t *old = m->slots, old_count = m->slot_count, k;
		m->slot_count = m->slot_count ? m->slot_count * 2 : 64;
		m->slots = xcalloc(m->slot_count, sizeof(*m->slots));
		for (k = 0; k < old_count; k++)
			if (old[k])
				*name_slot(m, m->b[old[k] - 1].name) = old[k];
		free(old);
	}
	slot = name_slot(m, m->b[at].name);
	if (*slot) {
		m->b[at].prev_same = *slot - 1;
	} else {
		m->b[at].prev_same = NONE;
		m->slot_used++;
	}
	*slot = at + 1;
}

static size_t add_binding(struct walker *w, char *name, enum binding_kind kind, unsigned line)
{
	struct module *m = w->m;
	struct binding *b;
	size_t i;

	if (m->count == m->cap) {
		m->cap = m->cap ? m->cap * 2 : 32;
		m->b = xrealloc(m->b, m->cap * sizeof(*m->b));
	}
	b = &m->b[m->count];
	memset(b, 0, sizeof(*b));
	b->name = name;
	b->kind = kind;
	b->line = line;
	b->chain = w->chain;
	b->branch = w->branch;
	b->prev_same = NONE;
	/* In if/elif/else and try/except, Python runs one branch: the first
	 * one that binds a name decides (the usual case runs first). */
	if (name && w->chain)
		for (i = latest(m, name); i != NONE; i = m->b[i].prev_same)
			if (!m->b[i].ignored && m->b[i].chain == w->chain &&
			    m->b[i].branch < w->branch)
				b->ignored = 1;
	if (name) {
		index_binding(m, m->count);
	} else {
		m->stars = xrealloc(m->stars, (m->star_count + 1) * sizeof(*m->stars));
		m->stars[m->star_count++] = m->count;
	}
	return m->count++;
}

/* A name whose value hub cannot see: the binding, and why. */
static void unknown_binding(struct walker *w, char *name, unsigned line, const char *why)
{
	size_t at = add_binding(w, name, B_UNKNOWN, line);
	w->m->b[at].why = why;
}

static struct range range_of(const struct walker *w, size_t first, size_t last)
{
	struct range r;

	r.start = w->toks[first].start;
	r.end = w->toks[last].end;
	r.line = w->toks[first].line;
	r.set = 1;
	return r;
}

/* A docstring: the statement toks[i..end) is only str literals (no bytes,
 * no f-strings), inside any number of parentheses. */
static struct range docstring_at(const struct walker *w, size_t i, size_t end)
{
	struct range none = { 0, 0, 0, 0 };
	size_t open = 0, first, last;

	while (i < end && text_is(w, &w->toks[i], "(")) {
		open++;
		i++;
	}
	first = i;
	while (i < end && w->toks[i].kind == PY_STRING) {
		if (w->toks[i].flags & (PY_STR_BYTES | PY_STR_FORMAT))
			return none;
		i++;
	}
	if (i == first)
		return none;
	last = i - 1;
	while (open && i < end && text_is(w, &w->toks[i], ")")) {
		open--;
		i++;
	}
	if (open || i != end)
		return none;
	return range_of(w, first, last);
}

/* The end of the simple statement starting at i: the next ';' at depth 0. */
static size_t statement_end(const struct walker *w, size_t i)
{
	for (; i < w->count; i++)
		if (w->toks[i].depth == 0 && text_is(w, &w->toks[i], ";"))
			return i;
	return w->count;
}

/* A dotted name NAME(.NAME)* at i; its text and where it ends. */
static char *dotted_at(const struct walker *w, size_t i, size_t end, size_t *after)
{
	struct buf b = BUF_INIT(BUF_NOLIMIT, "name");

	if (i >= end || w->toks[i].kind != PY_NAME)
		return NULL;
	buf_add(&b, w->src + w->toks[i].start, tok_len(&w->toks[i]));
	i++;
	while (i + 1 < end && text_is(w, &w->toks[i], ".") && w->toks[i + 1].kind == PY_NAME) {
		buf_addch(&b, '.');
		buf_add(&b, w->src + w->toks[i + 1].start, tok_len(&w->toks[i + 1]));
		i += 2;
	}
	*after = i;
	return buf_detach(&b);
}

/* String literals in a list or tuple display at toks[i..end): appended to
 * out; 0 when the value is anything else. */
static int string_list(struct walker *w, size_t i, size_t end, char ***out, size_t *count)
{
	size_t close, j;

	if (i >= end || !(text_is(w, &w->toks[i], "[") || text_is(w, &w->toks[i], "(")))
		return 0;
	close = matching(w, i, end);
	if (close + 1 != end)
		return 0;
	for (j = i + 1; j < close; j++) {
		struct buf value = BUF_INIT(1 << 20, "string");
		const struct py_token *t = &w->toks[j];

		if (text_is(w, t, ",") && t->depth == w->toks[i].depth + 1)
			continue;
		if (t->kind != PY_STRING || t->depth != w->toks[i].depth + 1 ||
		    (t->flags & (PY_STR_BYTES | PY_STR_FORMAT)))
			return 0;
		/* Adjacent literals concatenate into one name. */
		while (j < close && w->toks[j].kind == PY_STRING &&
		       !(w->toks[j].flags & (PY_STR_BYTES | PY_STR_FORMAT))) {
			if (py_string_value(w->scan.file, w->src, &w->toks[j], &value)) {
				buf_free(&value);
				return 0;
			}
			j++;
		}
		j--;
		add_string(out, count, buf_detach(&value));
	}
	return 1;
}

/* ---- values ---- */

struct value {
	enum binding_kind kind;
	char *target;           /* B_ALIAS */
	const char *why;        /* B_UNKNOWN */
	struct range params;    /* B_LAMBDA */
};

static int bound_here(const struct walker *w, const char *name)
{
	return latest(w->m, name) != NONE;
}

/* functools.partial, or a name imported from functools as partial. */
static int is_partial(const struct walker *w, const char *callee)
{
	size_t i = latest(w->m, callee);
	const struct binding *b;

	if (!strcmp(callee, "functools.partial"))
		return 1;
	if (i == NONE)
		return 0;
	b = &w->m->b[i];
	return b->kind == B_IMPORT && !strcmp(b->target, "functools") && !strcmp(b->attr, "partial");
}

/* Builtins whose result is never callable, unless the module rebinds them. */
static int returns_value(const struct walker *w, const char *callee)
{
	static const char *const builtins[] = {
		"dict", "list", "tuple", "set", "frozenset", "str", "int", "float", "bool",
		"bytes", "bytearray", "complex", "len", "sorted", "range", "repr", "format",
		"hash", "id", "ord", "chr", "hex", "oct", "bin", "abs", "round", "sum",
		"min", "max", "any", "all", "isinstance", "issubclass", "hasattr", NULL
	};
	size_t i;

	for (i = 0; builtins[i]; i++)
		if (!strcmp(callee, builtins[i]))
			return !bound_here(w, callee);
	return 0;
}

static int is_literal_start(const struct walker *w, const struct py_token *t)
{
	return t->kind == PY_STRING || t->kind == PY_NUMBER || text_is(w, t, "[") ||
	       text_is(w, t, "{") || text_is(w, t, "(") || text_is(w, t, "...") ||
	       text_is(w, t, "True") || text_is(w, t, "False") || text_is(w, t, "None");
}

static void classify(struct walker *w, size_t i, size_t end, struct value *v)
{
	const struct py_token *t;
	size_t after, j;
	char *name;

	memset(v, 0, sizeof(*v));
	v->kind = B_UNKNOWN;
	v->why = "an expression";
	if (i >= end)
		return;
	t = &w->toks[i];
	if (text_is(w, t, "lambda")) {
		for (j = i + 1; j < end; j++)
			if (w->toks[j].depth == t->depth && text_is(w, &w->toks[j], ":"))
				break;
		if (j >= end)
			return;
		v->kind = B_LAMBDA;
		v->params.start = t->end;
		v->params.end = w->toks[j].start;
		v->params.line = t->line;
		v->params.set = 1;
		return;
	}
	for (j = i; j < end; j++)
		if (w->toks[j].depth == t->depth && text_is(w, &w->toks[j], ",")) {
			v->kind = B_VALUE; /* a tuple */
			return;
		}
	if (text_is(w, t, "(")) {
		size_t close = matching(w, i, end);
		if (close + 1 == end) {
			for (j = i + 1; j < close; j++)
				if (w->toks[j].depth == t->depth + 1 && text_is(w, &w->toks[j], ","))
					break;
			if (j == close && close > i + 1 && t->depth < KEEP_DEPTH) {
				/* A parenthesised expression: what is inside. */
				classify(w, i + 1, close, v);
				return;
			}
			v->kind = B_VALUE;
			return;
		}
	}
	if ((text_is(w, t, "-") || text_is(w, t, "+") || text_is(w, t, "~") ||
	     text_is(w, t, "not")) && i + 1 < end && is_literal_start(w, &w->toks[i + 1])) {
		v->kind = B_VALUE;
		return;
	}
	if (t->kind == PY_NAME && !text_is(w, t, "True") && !text_is(w, t, "False") &&
	    !text_is(w, t, "None")) {
		name = dotted_at(w, i, end, &after);
		if (after == end) {
			if (!strcmp(name, "NotImplemented") || !strcmp(name, "Ellipsis") ||
			    !strcmp(name, "__debug__")) {
				free(name);
				v->kind = B_VALUE;
				return;
			}
			v->kind = B_ALIAS;
			v->target = name;
			return;
		}
		if (text_is(w, &w->toks[after], "(") && matching(w, after, end) + 1 == end) {
			if (is_partial(w, name))
				v->kind = B_PARTIAL;
			else if (returns_value(w, name))
				v->kind = B_VALUE;
			else
				v->why = "the result of a call";
			free(name);
			return;
		}
		free(name);
		return;
	}
	if (is_literal_start(w, t)) {
		/* The literal atom, then nothing or a binary operator: the
		 * result is a str, a number, a container: not callable. */
		j = i;
		if (t->kind == PY_STRING) {
			while (j < end && w->toks[j].kind == PY_STRING)
				j++;
		} else if (text_is(w, t, "[") || text_is(w, t, "{") || text_is(w, t, "(")) {
			j = matching(w, i, end) + 1;
		} else {
			j = i + 1;
		}
		if (j >= end) {
			v->kind = B_VALUE;
			return;
		}
		t = &w->toks[j];
		if (t->kind == PY_OP && !text_is(w, t, "(") && !text_is(w, t, "[") &&
		    !text_is(w, t, ".") && !text_is(w, t, ","))
			v->kind = B_VALUE;
		else if (text_is(w, t, ","))
			v->kind = B_VALUE; /* a tuple */
	}
}

/* ---- statements ---- */

static char *absolute_module(struct walker *w, int dots, const char *name, unsigned line)
{
	struct module *m = w->m;
	char *package;
	int k;

	if (!dots)
		return name ? xstrdup(name) : NULL; /* "from import x": not Python */
	if (m == w->hc->hub) {
		add_warning(w->hc, "%s:%u: relative import: Python cannot import hubconf.py (attempted relative import with no known parent package)",
			    m->path, line);
		return NULL;
	}
	if (m->is_package) {
		package = xstrdup(m->name);
	} else {
		char *dot = strrchr(m->name, '.');
		if (!dot)
			return NULL;
		package = xstrndup(m->name, (size_t)(dot - m->name));
	}
	for (k = 1; k < dots; k++) {
		char *dot = strrchr(package, '.');
		if (!dot) {
			free(package);
			return NULL;
		}
		*dot = '\0';
	}
	if (name) {
		char *full = xasprintf("%s.%s", package, name);
		free(package);
		return full;
	}
	return package;
}

/* Importing pkg.sub sets attribute `sub` on pkg: when pkg is the module
 * being read, that is a binding of its own. */
static void submodule_binding(struct walker *w, const char *absolute, unsigned line)
{
	struct module *m = w->m;
	size_t len = strlen(m->name);
	const char *rest, *dot;

	if (!m->is_package || strncmp(absolute, m->name, len) || absolute[len] != '.')
		return;
	rest = absolute + len + 1;
	dot = strchr(rest, '.');
	{
		size_t at = add_binding(w, xstrndup(rest, dot ? (size_t)(dot - rest) : strlen(rest)),
					B_MODULE, line);
		m->b[at].target = xstrndup(absolute, dot ? (size_t)(dot - absolute) : strlen(absolute));
	}
}

static void import_statement(struct walker *w, size_t i, size_t end)
{
	size_t k = i + 1, after;

	while (k < end) {
		char *name = dotted_at(w, k, end, &after);
		unsigned line = w->toks[k].line;
		size_t at;

		if (!name)
			return;
		k = after;
		submodule_binding(w, name, line);
		if (at_is(w, k, end, "as") && k + 1 < end && w->toks[k + 1].kind == PY_NAME) {
			at = add_binding(w, tok_dup(w, &w->toks[k + 1]), B_MODULE, line);
			w->m->b[at].target = name;
			k += 2;
		} else {
			char *dot = strchr(name, '.');
			at = add_binding(w, xstrndup(name, dot ? (size_t)(dot - name) : strlen(name)),
					 B_MODULE, line);
			if (dot)
				*dot = '\0';
			w->m->b[at].target = name;
		}
		if (!at_is(w, k, end, ","))
			return;
		k++;
	}
}

static void from_statement(struct walker *w, size_t i, size_t end)
{
	size_t k = i + 1, after = i + 1;
	int dots = 0;
	char *name = NULL, *absolute = NULL;
	unsigned line = w->toks[i].line;

	for (; k < end; k++) {
		if (text_is(w, &w->toks[k], "."))
			dots++;
		else if (text_is(w, &w->toks[k], "..."))
			dots += 3;
		else
			break;
	}
	if (k < end && !text_is(w, &w->toks[k], "import")) {
		name = dotted_at(w, k, end, &after);
		k = after;
	}
	if (!at_is(w, k, end, "import"))
		goto done;
	k++;
	absolute = absolute_module(w, dots, name, line);
	if (!absolute) {
		/* Names Python would not bind: hide what they shadow. */
		for (; k < end; k++)
			if (w->toks[k].kind == PY_NAME && !text_is(w, &w->toks[k], "as"))
				unknown_binding(w, tok_dup(w, &w->toks[k]), line, "a failed relative import");
		goto done;
	}
	submodule_binding(w, absolute, line);
	if (at_is(w, k, end, "*")) {
		size_t at = add_binding(w, NULL, B_STAR, line);
		w->m->b[at].target = xstrdup(absolute);
		if (!find_module(w->hc, absolute))
			add_dynamic(w, line, "from %s import * (outside the repository)", absolute);
		goto done;
	}
	if (at_is(w, k, end, "("))
		k++;
	while (k < end && w->toks[k].kind == PY_NAME) {
		size_t at;
		const struct py_token *imported = &w->toks[k], *bound = imported;

		if (at_is(w, k + 1, end, "as") && k + 2 < end && w->toks[k + 2].kind == PY_NAME) {
			bound = &w->toks[k + 2];
			k += 2;
		}
		at = add_binding(w, tok_dup(w, bound), B_IMPORT, imported->line);
		w->m->b[at].target = xstrdup(absolute);
		w->m->b[at].attr = tok_dup(w, imported);
		k++;
		if (!at_is(w, k, end, ","))
			break;
		k++;
	}
done:
	free(name);
	free(absolute);
}

static void set_all(struct walker *w, size_t vs, size_t end, int extend, unsigned line)
{
	struct module *m = w->m;
	char **names = NULL;
	size_t count = 0, k;

	if (m->all_state == ALL_DYNAMIC)
		return;
	if (!string_list(w, vs, end, &names, &count)) {
		for (k = 0; k < count; k++)
			free(names[k]);
		free(names);
		m->all_state = ALL_DYNAMIC;
		m->all_line = line;
		return;
	}
	if (!extend) {
		for (k = 0; k < m->all_count; k++)
			free(m->all[k]);
		m->all_count = 0;
	}
	for (k = 0; k < count; k++)
		add_string(&m->all, &m->all_count, names[k]);
	free(names);
	m->all_state = ALL_LITERAL;
	m->all_line = line;
}

/* One target of an assignment, toks[ts..te), bound to value v made of
 * toks[vs..end). */
static void bind_target(struct walker *w, size_t ts, size_t te, const struct value *v,
			size_t vs, size_t end)
{
	struct module *m = w->m;
	size_t k, at;

	for (k = ts; k < te; k++)
		if (w->toks[k].depth == 0 && text_is(w, &w->toks[k], ":"))
			te = k; /* an annotation follows the name */
	if (te == ts + 1 && w->toks[ts].kind == PY_NAME) {
		char *name = tok_dup(w, &w->toks[ts]);
		if (m == w->hc->hub && !strcmp(name, "dependencies")) {
			char **deps = NULL;
			size_t n = 0;
			if (string_list(w, vs, end, &deps, &n)) {
				for (k = 0; k < w->hc->dep_count; k++)
					free(w->hc->deps[k]);
				free(w->hc->deps);
				w->hc->deps = deps;
				w->hc->dep_count = n;
			} else {
				for (k = 0; k < n; k++)
					free(deps[k]);
				free(deps);
				add_warning(w->hc, "%s:%u: dependencies is not a list of string literals",
					    m->path, w->toks[ts].line);
			}
		}
		if (m != w->hc->hub && !strcmp(name, "__all__"))
			set_all(w, vs, end, 0, w->toks[ts].line);
		at = add_binding(w, name, v->kind, w->toks[ts].line);
		m->b[at].why = v->why;
		m->b[at].target = v->target ? xstrdup(v->target) : NULL;
		m->b[at].params = v->params;
		return;
	}
	if (te == ts + 3 && w->toks[ts].kind == PY_NAME && text_is(w, &w->toks[ts + 1], ".") &&
	    text_is(w, &w->toks[ts + 2], "__doc__")) {
		struct range doc = docstring_at(w, vs, end);
		size_t after;
		char *other = NULL;

		at = add_binding(w, tok_dup(w, &w->toks[ts]), B_DOC, w->toks[ts].line);
		other = dotted_at(w, vs, end, &after);
		if (doc.set) {
			m->b[at].doc = doc;
		} else if (other && after == end && strlen(other) > 8 &&
			   !strcmp(other + strlen(other) - 8, ".__doc__")) {
			other[strlen(other) - 8] = '\0';
			m->b[at].target = other;
			other = NULL;
		} else {
			m->b[at].why = "a __doc__ assigned at run time";
		}
		free(other);
		return;
	}
	/* Unpacking: each plain name in the target gets a value hub cannot see. */
	for (k = ts; k < te; k++) {
		const struct py_token *t = &w->toks[k];
		int before_ok = k == ts || text_is(w, &w->toks[k - 1], ",") ||
			text_is(w, &w->toks[k - 1], "(") || text_is(w, &w->toks[k - 1], "[") ||
			text_is(w, &w->toks[k - 1], "*");
		int after_ok = k + 1 == te || text_is(w, &w->toks[k + 1], ",") ||
			text_is(w, &w->toks[k + 1], ")") || text_is(w, &w->toks[k + 1], "]");
		if (t->kind == PY_NAME && before_ok && after_ok && t->depth <= 1) {
			at = add_binding(w, tok_dup(w, t), B_UNKNOWN, t->line);
			m->b[at].why = "unpacking";
		}
	}
}

static void simple_statement(struct walker *w, size_t i, size_t end)
{
	size_t k, last_eq = end, vs;
	struct value v;

	if (i >= end)
		return;
	if (text_is(w, &w->toks[i], "import")) {
		import_statement(w, i, end);
		return;
	}
	if (text_is(w, &w->toks[i], "from")) {
		from_statement(w, i, end);
		return;
	}
	if (text_is(w, &w->toks[i], "del")) {
		for (k = i + 1; k < end; k++)
			if (w->toks[k].kind == PY_NAME && w->toks[k].depth <= 1 &&
			    (k + 1 == end || text_is(w, &w->toks[k + 1], ",") ||
			     text_is(w, &w->toks[k + 1], ")") || text_is(w, &w->toks[k + 1], "]")))
				add_binding(w, tok_dup(w, &w->toks[k]), B_DELETED, w->toks[k].line);
		return;
	}
	if (w->m != w->hc->hub && text_is(w, &w->toks[i], "__all__")) {
		if (at_is(w, i + 1, end, "+="))
			set_all(w, i + 2, end, 1, w->toks[i].line);
		else if (at_is(w, i + 1, end, ".") && at_is(w, i + 3, end, "(") &&
			 (at_is(w, i + 2, end, "extend") || at_is(w, i + 2, end, "append"))) {
			if (at_is(w, i + 2, end, "extend") && matching(w, i + 3, end) + 1 == end)
				set_all(w, i + 4, end - 1, 1, w->toks[i].line);
			else if (end == i + 6 && w->toks[i + 4].kind == PY_STRING &&
				 w->m->all_state != ALL_DYNAMIC) {
				struct buf value = BUF_INIT(1 << 20, "string");
				if (!py_string_value(w->scan.file, w->src, &w->toks[i + 4], &value)) {
					add_string(&w->m->all, &w->m->all_count, buf_detach(&value));
					w->m->all_state = ALL_LITERAL;
				}
				buf_free(&value);
			} else {
				w->m->all_state = ALL_DYNAMIC;
				w->m->all_line = w->toks[i].line;
			}
		}
	}
	/* After a lambda, '=' is a default value's, not an assignment. */
	for (k = i; k < end && !(w->toks[k].depth == 0 && text_is(w, &w->toks[k], "lambda")); k++)
		if (w->toks[k].depth == 0 && text_is(w, &w->toks[k], "="))
			last_eq = k;
	if (last_eq == end)
		return;
	vs = last_eq + 1;
	classify(w, vs, end, &v);
	for (k = i; k <= last_eq; k++) {
		size_t ts = k;
		while (k < last_eq && !(w->toks[k].depth == 0 && text_is(w, &w->toks[k], "=")))
			k++;
		bind_target(w, ts, k, &v, vs, end);
	}
	free(v.target);
}

static void simple_statements(struct walker *w, size_t i)
{
	while (i < w->count) {
		size_t end = statement_end(w, i);
		simple_statement(w, i, end);
		i = end + 1;
	}
}

/* The ':' ending a compound statement's header (not a lambda's, not a
 * slice's, not a dict's); count when there is none. */
static size_t header_colon(const struct walker *w, size_t i)
{
	int lambdas = 0;

	for (; i < w->count; i++) {
		const struct py_token *t = &w->toks[i];
		if (t->depth)
			continue;
		if (text_is(w, t, "lambda"))
			lambdas++;
		else if (text_is(w, t, ":")) {
			if (!lambdas)
				return i;
			lambdas--;
		}
	}
	return w->count;
}

/* Consumes the lines of a block deeper than `level`. In a function body,
 * `global NAME` of a public name means a call may rebind it. */
static int skip_block(struct walker *w, int level, int function_body)
{
	int status;

	while (w->have && w->level > level) {
		if (function_body && w->m == w->hc->hub && text_is(w, &w->toks[0], "global")) {
			size_t k;
			for (k = 1; k < w->count; k++)
				if (w->toks[k].kind == PY_NAME && is_public(w->src + w->toks[k].start))
					add_dynamic(w, w->toks[k].line, "global %.*s in a function",
						    (int)tok_len(&w->toks[k]), w->src + w->toks[k].start);
		}
		if ((status = next_line(w)))
			return status;
	}
	return HUB_OK;
}

static int walk_block(struct walker *w, int level, enum scope scope, size_t cls);

/* The body after a header's colon: inline statements, or the indented
 * block below, walked or skipped. */
static int body(struct walker *w, int level, size_t colon, int walk, enum scope scope, size_t cls)
{
	int status;

	if (colon + 1 < w->count) {
		if (walk && scope == SCOPE_MODULE)
			simple_statements(w, colon + 1);
		return next_line(w);
	}
	if ((status = next_line(w)))
		return status;
	if (!w->have || w->level <= level)
		return HUB_OK;
	if (walk)
		return walk_block(w, level + 1, scope, cls);
	return skip_block(w, level, 0);
}

/* def NAME(params) [-> ret]: at module scope a binding, in a class body
 * possibly its __init__. */
static int def_statement(struct walker *w, int level, size_t i, size_t colon, enum scope scope,
			 size_t cls)
{
	struct module *m = w->m;
	struct range params = { 0, 0, 0, 0 }, ret = { 0, 0, 0, 0 }, doc;
	size_t name_at = i + 1, rparen, at = (size_t)-1;
	char *name;
	int status, is_init;

	if (name_at >= colon || w->toks[name_at].kind != PY_NAME ||
	    !at_is(w, name_at + 1, colon, "("))
		return body(w, level, colon, 0, scope, cls);
	rparen = matching(w, name_at + 1, colon);
	if (rparen < colon) {
		params.start = w->toks[name_at + 1].end;
		params.end = w->toks[rparen].start;
		params.line = w->toks[name_at + 1].line;
		params.set = 1;
		if (at_is(w, rparen + 1, colon, "->") && rparen + 2 < colon)
			ret = range_of(w, rparen + 2, colon - 1);
	}
	name = tok_dup(w, &w->toks[name_at]);
	is_init = !strcmp(name, "__init__");
	if (scope == SCOPE_MODULE) {
		if (!strcmp(name, "__getattr__") || !strcmp(name, "__dir__"))
			add_dynamic(w, w->toks[name_at].line, "a module %s", name);
		at = add_binding(w, name, B_DEF, w->toks[name_at].line);
		m->b[at].params = params;
		m->b[at].ret = ret;
		name = NULL;
	} else if (is_init && cls != (size_t)-1) {
		struct binding *c = &m->b[cls];
		if (!(c->params.set && c->init_chain && c->init_chain == w->chain &&
		      c->init_branch < w->branch)) {
			c->params = params;
			c->ret = ret;
			c->init_chain = w->chain;
			c->init_branch = w->branch;
		}
	}
	free(name);
	if (colon + 1 < w->count) {
		doc = docstring_at(w, colon + 1, statement_end(w, colon + 1));
		if (at != (size_t)-1)
			m->b[at].doc = doc;
		return next_line(w);
	}
	if ((status = next_line(w)))
		return status;
	if (w->have && w->level > level && at != (size_t)-1)
		m->b[at].doc = docstring_at(w, 0, statement_end(w, 0));
	return skip_block(w, level, 1);
}

static int class_statement(struct walker *w, int level, size_t i, size_t colon, enum scope scope)
{
	struct module *m = w->m;
	size_t name_at = i + 1, at;
	int status;

	if (name_at >= colon || w->toks[name_at].kind != PY_NAME || scope != SCOPE_MODULE)
		return body(w, level, colon, 0, scope, (size_t)-1);
	at = add_binding(w, tok_dup(w, &w->toks[name_at]), B_CLASS, w->toks[name_at].line);
	if (at_is(w, name_at + 1, colon, "(")) {
		size_t close = matching(w, name_at + 1, colon);
		if (close > name_at + 2 && close < colon)
			m->b[at].bases = range_of(w, name_at + 2, close - 1);
	}
	if (colon + 1 < w->count) {
		m->b[at].doc = docstring_at(w, colon + 1, statement_end(w, colon + 1));
		return next_line(w);
	}
	if ((status = next_line(w)))
		return status;
	if (!w->have || w->level <= level)
		return HUB_OK;
	m->b[at].doc = docstring_at(w, 0, statement_end(w, 0));
	return walk_block(w, level + 1, SCOPE_CLASS, at);
}

enum truth { T_UNKNOWN, T_NEVER, T_ALWAYS };

/* Conditions whose value is known without running anything. */
static enum truth condition(const struct walker *w, size_t i, size_t colon)
{
	size_t n = colon - i;
	int negate = 0;
	enum truth t = T_UNKNOWN;

	if (n && text_is(w, &w->toks[i], "not")) {
		negate = 1;
		i++;
		n--;
	}
	if (n == 1) {
		const struct py_token *c = &w->toks[i];
		if (text_is(w, c, "TYPE_CHECKING") || text_is(w, c, "False") ||
		    text_is(w, c, "None") || (c->kind == PY_NUMBER && tok_len(c) == 1 &&
					      w->src[c->start] == '0'))
			t = T_NEVER;
		else if (text_is(w, c, "True") || (c->kind == PY_NUMBER && tok_len(c) == 1 &&
						    w->src[c->start] == '1'))
			t = T_ALWAYS;
	} else if (n == 3 && text_is(w, &w->toks[i], "typing") &&
		   text_is(w, &w->toks[i + 1], ".") && text_is(w, &w->toks[i + 2], "TYPE_CHECKING")) {
		t = T_NEVER;
	} else if (n == 3 && text_is(w, &w->toks[i + 1], "==")) {
		/* __name__ == "__main__": a module imported is never __main__. */
		const struct py_token *a = &w->toks[i], *b = &w->toks[i + 2];
		if (b->kind == PY_NAME) {
			const struct py_token *swap = a;
			a = b;
			b = swap;
		}
		if (text_is(w, a, "__name__") && b->kind == PY_STRING &&
		    b->body_end - b->body_start == 8 &&
		    !memcmp(w->src + b->body_start, "__main__", 8))
			t = T_NEVER;
	}
	if (negate && t != T_UNKNOWN)
		t = t == T_NEVER ? T_ALWAYS : T_NEVER;
	return t;
}

/* What the last compound statement at a level was, for elif/else/except. */
struct chain_state {
	enum { C_NONE, C_IF, C_TRY, C_LOOP, C_MATCH } kind;
	int id, branch;
	int taken;              /* an earlier branch always runs */
	int try_chain, try_branch;
};

/* What hubconf.py's alternatives were, to say which names exist only when
 * a branch hub did not evaluate runs. */
static void note_chain(struct hubconf *hc, const struct chain_state *cs,
		       const struct py_token *kw, int walked, size_t i, size_t colon,
		       const struct walker *w)
{
	struct chain_info *info;

	if ((size_t)cs->id >= hc->chain_cap) {
		size_t cap = (size_t)cs->id * 2 + 8;
		hc->chain_info = xrealloc(hc->chain_info, cap * sizeof(*hc->chain_info));
		memset(hc->chain_info + hc->chain_cap, 0,
		       (cap - hc->chain_cap) * sizeof(*hc->chain_info));
		hc->chain_cap = cap;
	}
	info = &hc->chain_info[cs->id];
	info->kind = cs->kind;
	if (cs->branch + 1 > info->branches)
		info->branches = cs->branch + 1;
	if (text_is(w, kw, "else") || (text_is(w, kw, "case") && colon == i + 2 &&
				       text_is(w, &w->toks[i + 1], "_")))
		info->has_else = 1;
	if (cs->kind == C_MATCH ||
	    ((text_is(w, kw, "if") || text_is(w, kw, "elif")) && walked &&
	     condition(w, i + 1, colon) == T_UNKNOWN))
		info->uncertain = 1;
}

static int compound(struct walker *w, int level, size_t i, enum scope scope, size_t cls,
		    struct chain_state *cs)
{
	size_t colon = header_colon(w, i);
	const struct py_token *kw = &w->toks[i];
	int saved_chain = w->chain, saved_branch = w->branch, walk = 1, status;
	enum truth t;

	if (colon >= w->count)
		return next_line(w); /* not a header Python would accept */
	if (text_is(w, kw, "def")) {
		cs->kind = C_NONE;
		return def_statement(w, level, i, colon, scope, cls);
	}
	if (text_is(w, kw, "class")) {
		cs->kind = C_NONE;
		return class_statement(w, level, i, colon, scope);
	}
	if (text_is(w, kw, "if")) {
		cs->kind = C_IF;
		cs->id = ++w->hc->chains;
		cs->branch = 0;
		t = condition(w, i + 1, colon);
		cs->taken = t == T_ALWAYS;
		walk = t != T_NEVER;
	} else if (text_is(w, kw, "elif") || (text_is(w, kw, "else") && cs->kind == C_IF)) {
		if (cs->kind != C_IF) {
			cs->kind = C_IF;
			cs->id = ++w->hc->chains;
			cs->branch = 0;
			cs->taken = 0;
		}
		cs->branch++;
		walk = !cs->taken;
		if (text_is(w, kw, "elif") && walk) {
			t = condition(w, i + 1, colon);
			walk = t != T_NEVER;
			if (t == T_ALWAYS)
				cs->taken = 1;
		}
	} else if (text_is(w, kw, "try")) {
		cs->kind = C_TRY;
		cs->id = ++w->hc->chains;
		cs->branch = 0;
	} else if (text_is(w, kw, "except")) {
		if (cs->kind != C_TRY) {
			cs->kind = C_TRY;
			cs->id = ++w->hc->chains;
			cs->branch = 0;
		}
		cs->branch++;
	} else if (text_is(w, kw, "else") && cs->kind == C_TRY) {
		/* try's else runs with its body, as the usual case. */
		cs->branch = 0;
	} else if (text_is(w, kw, "case")) {
		if (cs->kind != C_MATCH) {
			cs->kind = C_MATCH;
			cs->id = ++w->hc->chains;
			cs->branch = 0;
		} else {
			cs->branch++;
		}
	} else if (text_is(w, kw, "for") || text_is(w, kw, "while")) {
		cs->kind = C_LOOP;
		if (text_is(w, kw, "for") && scope == SCOPE_MODULE) {
			size_t k;
			for (k = i + 1; k < colon && !text_is(w, &w->toks[k], "in"); k++)
				if (w->toks[k].kind == PY_NAME)
					unknown_binding(w, tok_dup(w, &w->toks[k]), w->toks[k].line, "a for loop");
		}
	} else if (text_is(w, kw, "with") && scope == SCOPE_MODULE) {
		size_t k;
		cs->kind = C_NONE;
		for (k = i + 1; k + 1 < colon; k++)
			if (text_is(w, &w->toks[k], "as") && w->toks[k + 1].kind == PY_NAME &&
			    w->toks[k].depth == 0)
				unknown_binding(w, tok_dup(w, &w->toks[k + 1]), w->toks[k + 1].line, "a with statement");
	} else if (text_is(w, kw, "finally") || (text_is(w, kw, "else") && cs->kind == C_LOOP)) {
		cs->kind = C_NONE;
		w->chain = 0;
		w->branch = 0;
		status = body(w, level, colon, 1, scope, cls);
		w->chain = saved_chain;
		w->branch = saved_branch;
		return status;
	} else {
		cs->kind = C_NONE;
	}
	if (cs->kind == C_IF || cs->kind == C_TRY || cs->kind == C_MATCH) {
		w->chain = cs->id;
		w->branch = cs->branch;
		if (w->m == w->hc->hub)
			note_chain(w->hc, cs, kw, walk, i, colon, w);
	}
	status = body(w, level, colon, walk, scope, cls);
	w->chain = saved_chain;
	w->branch = saved_branch;
	return status;
}

static int is_compound_keyword(const struct walker *w, const struct py_token *t)
{
	static const char *const keywords[] = {
		"def", "class", "if", "elif", "else", "while", "for", "try", "except",
		"finally", "with", NULL
	};
	size_t k;

	for (k = 0; keywords[k]; k++)
		if (text_is(w, t, keywords[k]))
			return 1;
	return 0;
}

static int walk_block(struct walker *w, int level, enum scope scope, size_t cls)
{
	struct chain_state cs;
	int status;

	memset(&cs, 0, sizeof(cs));
	while (w->have && w->level >= level) {
		size_t i = 0;
		const struct py_token *last = &w->toks[w->count - 1];

		if (w->level > level || text_is(w, &w->toks[0], "@")) {
			/* Decorators, and lines Python would call unexpected
			 * indents, bind nothing. */
			if ((status = next_line(w)))
				return status;
			continue;
		}
		if (text_is(w, &w->toks[0], "async") && w->count > 1)
			i = 1;
		if (is_compound_keyword(w, &w->toks[i]) ||
		    ((text_is(w, &w->toks[i], "match") || text_is(w, &w->toks[i], "case")) &&
		     last->depth == 0 && text_is(w, last, ":"))) {
			if ((status = compound(w, level, i, scope, cls, &cs)))
				return status;
			continue;
		}
		cs.kind = C_NONE;
		if (scope == SCOPE_MODULE)
			simple_statements(w, 0);
		if ((status = next_line(w)))
			return status;
	}
	return HUB_OK;
}

static int scan_module(struct hubconf *hc, struct module *m)
{
	struct walker w;
	struct stat st;
	char *full = NULL;
	int status = HUB_OK;

	if (m->state != MOD_NEW)
		return HUB_OK;
	m->state = MOD_SCANNING;
	memset(&w, 0, sizeof(w));
	w.hc = hc;
	w.m = m;
	w.subscript_depth = -1;
	/* Modules are read one at a time: they share one line buffer. */
	w.toks = hc->toks;
	w.cap = hc->toks_cap;
	buf_init(&w.scratch, DOC_MAX, "string literal");
	full = path_join(hc->repo, m->path);
	/* One allocation of the file's size: growing while reading would
	 * touch (and fault in) every page two or three times. */
	if (!stat(full, &st) && st.st_size > 0 &&
	    (status = buf_grow(&m->source, (size_t)st.st_size))) {
		status = hub_error(HUB_EFAIL, "%s: larger than %zu bytes", m->path, SOURCE_MAX);
		goto done;
	}
	if ((status = read_file(full, &m->source)))
		goto done;
	if (hc->total_source + m->source.len > TOTAL_SOURCE_MAX) {
		status = hub_error(HUB_EFAIL, "%s: the modules read add up to more than %zu bytes",
				   m->path, TOTAL_SOURCE_MAX);
		goto done;
	}
	hc->total_source += m->source.len;
	if ((status = py_source_prepare(m->path, &m->source)))
		goto done;
	w.src = buf_str(&m->source);
	pyscan_init(&w.scan, m->path, w.src, m->source.len);
	if ((status = next_line(&w)))
		goto done;
	status = walk_block(&w, 0, SCOPE_MODULE, (size_t)-1);
done:
	m->state = status ? MOD_FAILED : MOD_DONE;
	buf_free(&w.scratch);
	hc->toks = w.toks;
	hc->toks_cap = w.cap;
	free(full);
	return status;
}

/* Reads a module the first time it matters. A helper module hub cannot
 * read makes Python fail too; hub says so and goes on with what it has. */
static int ready(struct hubconf *hc, struct module *m)
{
	if (m->state == MOD_NEW && scan_module(hc, m))
		add_warning(hc, "%s", hub_error_message());
	return m->state == MOD_DONE;
}

/* ---- resolution ---- */

enum status {
	R_CALLABLE,     /* mod->b[index]: def, class, lambda, partial */
	R_EXTERNAL,     /* imported from outside the repository */
	R_MODULE,       /* a module: not callable */
	R_VALUE,        /* not callable */
	R_UNKNOWN,      /* decided at run time */
	R_MISSING       /* not bound */
};

struct target {
	enum status status;
	struct module *mod;
	size_t index;
	char module_name[256];      /* R_MODULE (when known), R_EXTERNAL */
	const char *why;            /* R_UNKNOWN */
	struct module *why_mod;
	unsigned why_line;
	enum binding_kind via;      /* the first binding found */
	int via_star;
	size_t via_index;
};

static void resolve_name(struct hubconf *hc, struct module *m, const char *name, size_t upto,
			 int depth, struct target *out);

static void unknown(struct target *out, const char *why, struct module *m, unsigned line)
{
	out->status = R_UNKNOWN;
	out->why = why;
	out->why_mod = m;
	out->why_line = line;
}

static int is_submodule(struct hubconf *hc, const char *module, const char *attr)
{
	char *full = xasprintf("%s.%s", module, attr);
	struct module *sub = find_module(hc, full);
	free(full);
	return sub != NULL;
}

/*
 * Names from outside the repository that hubconf files import often and
 * that are not callable: constants, and modules (Python lists neither).
 * Any other name from outside is assumed callable, with a warning.
 */
static const char *const outside_values[][2] = {
	{ "typing", "TYPE_CHECKING" }, { "os", "path" }, { "os", "sep" }, { "os", "pathsep" },
	{ "os", "linesep" }, { "os", "environ" }, { "os", "name" }, { "os", "curdir" },
	{ "os", "pardir" }, { "os.path", "sep" }, { "sys", "argv" }, { "sys", "path" },
	{ "sys", "version_info" }, { "sys", "version" }, { "sys", "platform" },
	{ "sys", "modules" }, { "sys", "stdout" }, { "sys", "stderr" }, { "math", "pi" },
	{ "math", "e" }, { "math", "inf" }, { "math", "nan" }, { "math", "tau" },
	{ "collections", "abc" }, { "importlib", "util" }, { "urllib", "request" },
	{ "urllib", "parse" }, { "concurrent", "futures" }, { "torch", "nn" },
	{ "torch", "optim" }, { "torch", "hub" }, { "torch", "utils" }, { "torch", "jit" },
	{ "torch", "cuda" }, { "torch", "distributed" }, { "torch", "autograd" },
	{ "torch", "onnx" }, { "torch", "fx" }, { "torch", "backends" }, { "torch", "linalg" },
	{ "torch", "fft" }, { "torch", "special" }, { "torch", "ao" },
	{ "torch", "multiprocessing" }, { "torch", "quantization" },
	{ "torch.nn", "functional" }, { "torch.nn", "init" }, { "torch.nn", "modules" },
	{ "torch.nn", "parallel" }, { "torch.nn", "utils" }, { "torch.utils", "data" },
	{ "torch.utils", "model_zoo" }, { "torch.utils", "checkpoint" },
	{ "torchvision", "models" }, { "torchvision", "transforms" },
	{ "torchvision", "datasets" }, { "torchvision", "ops" }, { "torchvision", "io" },
	{ "torchvision", "utils" }
};

static int outside_value(const char *module, const char *attr)
{
	size_t k;

	for (k = 0; k < sizeof(outside_values) / sizeof(outside_values[0]); k++)
		if (!strcmp(outside_values[k][0], module) && !strcmp(outside_values[k][1], attr))
			return 1;
	return 0;
}

/* from `module` import `attr`; self/upto when module is the importer. */
static void resolve_attr(struct hubconf *hc, const char *module, const char *attr,
			 struct module *self, size_t upto, int depth, struct target *out)
{
	struct module *m = find_module(hc, module);
	if (!m) {
		out->status = outside_value(module, attr) ? R_VALUE : R_EXTERNAL;
		snprintf(out->module_name, sizeof(out->module_name), "%s", module);
		return;
	}
	if (m == self) {
		resolve_name(hc, m, attr, upto, depth + 1, out);
	} else {
		if (!ready(hc, m)) {
			unknown(out, "a module hub cannot read", m, 0);
			return;
		}
		resolve_name(hc, m, attr, m->count, depth + 1, out);
	}
	if (out->status != R_MISSING)
		return;
	if (is_submodule(hc, module, attr)) {
		out->status = R_MODULE;
		snprintf(out->module_name, sizeof(out->module_name), "%s.%s", module, attr);
		return;
	}
	if (m->dyn_count)
		unknown(out, m->dyn[0].what, m, m->dyn[0].line);
}

static void resolve_dotted(struct hubconf *hc, struct module *m, const char *dotted,
			   size_t upto, int depth, struct target *out)
{
	const char *dot = strchr(dotted, '.');
	char *head = xstrndup(dotted, dot ? (size_t)(dot - dotted) : strlen(dotted));

	resolve_name(hc, m, head, upto, depth + 1, out);
	while (dot && out->status != R_UNKNOWN) {
		const char *attr = dot + 1;
		char *part, module[sizeof(out->module_name)];

		dot = strchr(attr, '.');
		part = xstrndup(attr, dot ? (size_t)(dot - attr) : strlen(attr));
		if (out->status == R_MODULE && out->module_name[0]) {
			memcpy(module, out->module_name, sizeof(module));
			resolve_attr(hc, module, part, NULL, 0, depth + 1, out);
		} else if (out->status == R_EXTERNAL) {
			/* An attribute of something outside: still outside. */
		} else if (out->status == R_MISSING || out->status == R_VALUE ||
			   out->status == R_MODULE) {
			free(part);
			break;
		} else {
			unknown(out, "an attribute of an object", m, 0);
		}
		free(part);
	}
	free(head);
}

enum export { EXPORT_NO, EXPORT_YES, EXPORT_MAYBE };

static enum export exports(struct hubconf *hc, struct module *m, const char *name, int depth)
{
	struct target t;

	if (!ready(hc, m))
		return EXPORT_MAYBE;
	if (m->all_state == ALL_LITERAL) {
		if (!m->all_sorted) {
			/* Sorted once, searched per name: listing stays linear. */
			m->all_sorted = xmalloc((m->all_count + 1) * sizeof(*m->all_sorted));
			memcpy(m->all_sorted, m->all, m->all_count * sizeof(*m->all));
			qsort(m->all_sorted, m->all_count, sizeof(*m->all_sorted), compare_strings);
		}
		return bsearch(&name, m->all_sorted, m->all_count, sizeof(*m->all_sorted),
			       compare_strings) ? EXPORT_YES : EXPORT_NO;
	}
	if (m->all_state == ALL_DYNAMIC)
		return EXPORT_MAYBE;
	if (!is_public(name))
		return EXPORT_NO;
	memset(&t, 0, sizeof(t));
	resolve_name(hc, m, name, m->count, depth + 1, &t);
	if (t.status == R_MISSING)
		return EXPORT_NO;
	return t.status == R_UNKNOWN ? EXPORT_MAYBE : EXPORT_YES;
}

static void resolve_name(struct hubconf *hc, struct module *m, const char *name, size_t upto,
			 int depth, struct target *out)
{
	const struct binding *outside_star = NULL, *b;
	size_t i, found = NONE, k;

	memset(out, 0, sizeof(*out));
	out->status = R_MISSING;
	if (depth > RESOLVE_DEPTH_MAX) {
		unknown(out, "an import cycle", m, 0);
		return;
	}
	/* The latest binding of the name before upto ... */
	for (i = latest(m, name); i != NONE; i = m->b[i].prev_same)
		if (i < upto && !m->b[i].ignored && m->b[i].kind != B_DOC) {
			found = i;
			break;
		}
	/* ... unless a star import after it brings the name in. */
	for (k = m->star_count; k-- > 0;) {
		struct module *from;
		enum export e;

		i = m->stars[k];
		if (i >= upto || m->b[i].ignored)
			continue;
		if (found != NONE && i < found)
			break;
		b = &m->b[i];
		from = find_module(hc, b->target);
		if (!from) {
			if (!outside_star)
				outside_star = b;
			continue;
		}
		if (from->exporting)
			continue;
		from->exporting = 1;
		e = exports(hc, from, name, depth);
		from->exporting = 0;
		if (e == EXPORT_NO)
			continue;
		if (e == EXPORT_MAYBE) {
			unknown(out, "a star import hub cannot follow", m, b->line);
			return;
		}
		resolve_attr(hc, b->target, name, NULL, 0, depth, out);
		out->via = B_STAR;
		out->via_star = 1;
		out->via_index = i;
		return;
	}
	if (found == NONE) {
		if (outside_star)
			unknown(out, "a star import from outside the repository", m, outside_star->line);
		return;
	}
	b = &m->b[found];
	out->via = b->kind;
	out->via_index = found;
	switch (b->kind) {
	case B_DEF:
	case B_CLASS:
	case B_LAMBDA:
	case B_PARTIAL:
		out->status = R_CALLABLE;
		out->mod = m;
		out->index = found;
		return;
	case B_VALUE:
		out->status = R_VALUE;
		return;
	case B_MODULE:
		out->status = R_MODULE;
		snprintf(out->module_name, sizeof(out->module_name), "%s", b->target);
		return;
	case B_IMPORT:
	case B_ALIAS:
		if (b->kind == B_IMPORT)
			resolve_attr(hc, b->target, b->attr, m, found, depth, out);
		else
			resolve_dotted(hc, m, b->target, found, depth, out);
		out->via = b->kind;
		out->via_index = found;
		if (out->status == R_EXTERNAL) {
			out->mod = m;
			out->index = found;
		}
		return;
	case B_UNKNOWN:
		unknown(out, b->why, m, b->line);
		return;
	default:
		out->status = R_MISSING;
		return;
	}
}

/* ---- the public side ---- */

int hubconf_open(const char *repo_dir, struct hubconf **out)
{
	struct hubconf *hc = xcalloc(1, sizeof(*hc));
	char *full = NULL;
	int status;

	hc->repo = xstrdup(repo_dir);
	full = path_join(repo_dir, "hubconf.py");
	if (!path_exists(full)) {
		status = hub_error(HUB_ENOTFOUND, "%s: no hubconf.py in this directory", repo_dir);
		goto done;
	}
	hc->hub = new_module(hc, "hubconf.py", "hubconf.py", 0);
	status = scan_module(hc, hc->hub);
done:
	free(full);
	if (status) {
		hubconf_free(hc);
		hc = NULL;
	}
	*out = hc;
	return status;
}

void hubconf_free(struct hubconf *hc)
{
	size_t i;

	if (!hc)
		return;
	for (i = 0; i < hc->mod_count; i++)
		free_module(hc->mods[i]);
	for (i = 0; i < hc->warn_count; i++)
		free(hc->warnings[i]);
	for (i = 0; i < hc->dep_count; i++)
		free(hc->deps[i]);
	for (i = 0; i < hc->name_count; i++)
		free(hc->names[i]);
	free(hc->mods);
	free(hc->warnings);
	free(hc->deps);
	free(hc->names);
	for (i = 0; i < hc->input_count; i++)
		free(hc->inputs[i]);
	free(hc->inputs);
	free(hc->chain_info);
	free(hc->toks);
	free(hc->repo);
	free(hc);
}

/* Public names a star import of m brings in. */
static void export_names(struct hubconf *hc, struct module *m, char ***names, size_t *count)
{
	size_t k;

	if (m->exporting || !ready(hc, m))
		return;
	if (m->all_state == ALL_LITERAL) {
		for (k = 0; k < m->all_count; k++)
			add_string(names, count, xstrdup(m->all[k]));
		return;
	}
	if (m->all_state == ALL_DYNAMIC)
		add_warning(hc, "%s:%u: __all__ is built at run time: hub lists the module's public names instead",
			    m->path, m->all_line);
	m->exporting = 1;
	for (k = 0; k < m->count; k++) {
		const struct binding *b = &m->b[k];
		if (b->kind == B_STAR) {
			struct module *from = find_module(hc, b->target);
			if (from)
				export_names(hc, from, names, count);
		} else if (b->name && b->kind != B_DOC && is_public(b->name)) {
			add_string(names, count, xstrdup(b->name));
		}
	}
	m->exporting = 0;
}

/* Warnings about m's run-time names, once, for modules whose names make
 * up hubconf's. */
static void dynamic_warnings(struct hubconf *hc, struct module *m, int depth)
{
	size_t k;

	if (m->exporting || depth > RESOLVE_DEPTH_MAX || !ready(hc, m))
		return;
	for (k = 0; k < m->dyn_count; k++)
		add_warning(hc, "%s:%u: names are made at run time (%s): the list may be incomplete; --exact asks Python",
			    m->path, m->dyn[k].line, m->dyn[k].what);
	m->exporting = 1;
	for (k = 0; k < m->count; k++)
		if (m->b[k].kind == B_STAR) {
			struct module *from = find_module(hc, m->b[k].target);
			if (from && from->all_state != ALL_LITERAL)
				dynamic_warnings(hc, from, depth + 1);
		}
	m->exporting = 0;
}

static void collect_names(struct hubconf *hc)
{
	struct module *hub = hc->hub;
	size_t k, out = 0;

	if (hc->names)
		return;
	for (k = 0; k < hub->count; k++) {
		const struct binding *b = &hub->b[k];
		if (b->kind == B_STAR) {
			struct module *from = find_module(hc, b->target);
			if (from)
				export_names(hc, from, &hc->names, &hc->name_count);
		} else if (b->name && b->kind != B_DOC) {
			add_string(&hc->names, &hc->name_count, xstrdup(b->name));
		}
	}
	if (!hc->name_count)
		return;
	/* dir() order: sorted by code point, which is UTF-8 byte order. */
	qsort(hc->names, hc->name_count, sizeof(*hc->names), compare_strings);
	for (k = 0; k < hc->name_count; k++) {
		if (out && !strcmp(hc->names[out - 1], hc->names[k])) {
			free(hc->names[k]);
			continue;
		}
		hc->names[out++] = hc->names[k];
	}
	hc->name_count = out;
}

static char *where(const struct module *m, unsigned line)
{
	return xasprintf("%s:%u", m->path ? m->path : m->name, line);
}

static void fill_entry(struct hubconf *hc, const char *name, const struct target *t,
		       struct hubconf_entry *e)
{
	memset(e, 0, sizeof(*e));
	e->name = xstrdup(name);
	e->where = t->mod ? where(t->mod, t->mod->b[t->index].line) : xstrdup("?");
	if (t->status == R_EXTERNAL)
		e->outside = xstrdup(t->module_name);
	switch (t->via) {
	case B_DEF:
	case B_LAMBDA:
		e->kind = HUBCONF_FUNCTION;
		break;
	case B_CLASS:
		e->kind = HUBCONF_CLASS;
		break;
	case B_ALIAS:
	case B_PARTIAL:
		e->kind = HUBCONF_ALIAS;
		break;
	default:
		e->kind = HUBCONF_IMPORTED;
		break;
	}
}

/* Whether hubconf.py binds name only on some paths through alternatives
 * hub did not decide: then the list says what the usual path gives. */
static const char *conditional(const struct hubconf *hc, const char *name, size_t via)
{
	const struct module *hub = hc->hub;
	const struct binding *b = &hub->b[via];
	const struct chain_info *info;
	int branch, covered;
	size_t k;

	if (!b->chain || (size_t)b->chain >= hc->chain_cap)
		return NULL;
	info = &hc->chain_info[b->chain];
	if (info->kind == C_TRY)
		return b->branch > 0 ? "in an except block" : NULL;
	if (!info->uncertain)
		return NULL;
	if (info->has_else) {
		for (branch = 0; branch < info->branches; branch++) {
			covered = 0;
			for (k = latest(hub, name); k != NONE && !covered; k = hub->b[k].prev_same)
				covered = hub->b[k].chain == b->chain && hub->b[k].branch == branch;
			if (!covered)
				break;
		}
		if (branch == info->branches)
			return NULL;
	}
	return "under a condition hub does not evaluate";
}

int hubconf_list(struct hubconf *hc, struct hubconf_entry **entries, size_t *count)
{
	struct hubconf_entry *list = NULL;
	struct buf outside = BUF_INIT(BUF_NOLIMIT, "warning");
	size_t n = 0, k;
	unsigned outside_line = 0;
	char outside_module[sizeof(((struct target *)0)->module_name)] = "";

	collect_names(hc);
	dynamic_warnings(hc, hc->hub, 0);
	for (k = 0; k < hc->name_count; k++) {
		const char *name = hc->names[k];
		struct target t;

		if (!is_public(name))
			continue;
		resolve_name(hc, hc->hub, name, hc->hub->count, 0, &t);
		if (t.status == R_UNKNOWN) {
			add_warning(hc, "%s:%u: '%s' is bound to %s: hub cannot tell whether it is callable (not listed); --exact asks Python",
				    t.why_mod && t.why_mod->path ? t.why_mod->path : "hubconf.py",
				    t.why_line, name, t.why);
			continue;
		}
		if (t.status != R_CALLABLE && t.status != R_EXTERNAL)
			continue;
		list = xrealloc(list, (n + 1) * sizeof(*list));
		fill_entry(hc, name, &t, &list[n++]);
		if (!t.via_star) {
			const char *why = conditional(hc, name, t.via_index);
			if (why)
				add_warning(hc, "hubconf.py:%u: '%s' is defined %s: listed as if it runs; --exact asks Python",
					    hc->hub->b[t.via_index].line, name, why);
		}
		if (t.status == R_EXTERNAL && t.mod) {
			unsigned line = t.mod->b[t.index].line;
			if (outside.len && (line != outside_line || strcmp(outside_module, t.module_name))) {
				add_warning(hc, "%s", buf_str(&outside));
				buf_reset(&outside);
			}
			if (!outside.len)
				buf_addf(&outside, "%s:%u: assumed callable, imported from '%s' outside the repository: %s",
					 t.mod->path, line, t.module_name, name);
			else
				buf_addf(&outside, ", %s", name);
			outside_line = line;
			memcpy(outside_module, t.module_name, sizeof(outside_module));
		}
	}
	if (outside.len)
		add_warning(hc, "%s", buf_str(&outside));
	buf_free(&outside);
	*entries = list;
	*count = n;
	return HUB_OK;
}

void hubconf_entries_free(struct hubconf_entry *entries, size_t count)
{
	size_t k;

	for (k = 0; k < count && entries; k++) {
		free(entries[k].name);
		free(entries[k].where);
		free(entries[k].outside);
	}
	free(entries);
}

int hubconf_find(struct hubconf *hc, const char *name, struct hubconf_entry *entry)
{
	struct target t;

	resolve_name(hc, hc->hub, name, hc->hub->count, 0, &t);
	if (t.status == R_CALLABLE || t.status == R_EXTERNAL) {
		fill_entry(hc, name, &t, entry);
		return HUB_OK;
	}
	if (t.status == R_UNKNOWN)
		add_warning(hc, "%s:%u: '%s' is bound to %s: hub cannot tell whether it is callable; --exact asks Python",
			    t.why_mod && t.why_mod->path ? t.why_mod->path : "hubconf.py",
			    t.why_line, name, t.why);
	return hub_error(HUB_ENOTFOUND, "'%s' is not a callable entrypoint of %s/hubconf.py",
			 name, hc->repo);
}

size_t hubconf_names(struct hubconf *hc, const char *const **names)
{
	collect_names(hc);
	*names = (const char *const *)hc->names;
	return hc->name_count;
}

size_t hubconf_inputs(struct hubconf *hc, const char *const **paths)
{
	size_t i;

	for (i = 0; i < hc->input_count; i++)
		free(hc->inputs[i]);
	free(hc->inputs);
	hc->inputs = xcalloc(2 * hc->mod_count + 2, sizeof(*hc->inputs));
	hc->input_count = 0;
	hc->inputs[hc->input_count++] = xasprintf("%s/", hc->repo);
	for (i = 0; i < hc->mod_count; i++) {
		const struct module *m = hc->mods[i];
		char *rel = xstrdup(m->name), *slash;
		size_t j;

		if (m->path)
			hc->inputs[hc->input_count++] = path_join(hc->repo, m->path);
		/* The folder the module was looked up in: its package's. */
		for (j = 0; rel[j]; j++)
			if (rel[j] == '.')
				rel[j] = '/';
		slash = strrchr(rel, '/');
		if (slash && m != hc->hub) {
			*slash = '\0';
			hc->inputs[hc->input_count++] = xasprintf("%s/%s/", hc->repo, rel);
		}
		free(rel);
	}
	*paths = (const char *const *)hc->inputs;
	return hc->input_count;
}

size_t hubconf_dependencies(const struct hubconf *hc, const char *const **deps)
{
	*deps = (const char *const *)hc->deps;
	return hc->dep_count;
}

size_t hubconf_warnings(const struct hubconf *hc, const char *const **warnings)
{
	*warnings = (const char *const *)hc->warnings;
	return hc->warn_count;
}

/* ---- signatures and docstrings ---- */

/*
 * Source text of a range on one line: what lies between tokens is kept
 * as written unless it holds a line break (or a comment, which runs to
 * one), which becomes one space, or nothing next to a bracket. A trailing
 * comma is dropped; with drop_first, so is the first parameter (self).
 */
static int one_line(const struct module *m, const struct range *r, int drop_first,
		    struct buf *out)
{
	struct pyscan s;
	struct py_token tok, prev;
	const char *src = buf_str(&m->source);
	size_t gap_start = r->start, mark = out->len;
	int have_prev = 0, skipping = drop_first, status = HUB_OK, saw_any = 0;

	memset(&prev, 0, sizeof(prev));
	pyscan_init_range(&s, m->path, src, r->start, r->end, r->line, 1);
	for (;;) {
		if ((status = pyscan_next(&s, &tok)))
			goto done;
		if (tok.kind == PY_END)
			break;
		if (skipping) {
			if (tok.depth == 1 && py_token_is(src, &tok, ","))
				skipping = 0;
			gap_start = tok.end;
			if (!skipping) {
				/* The space after "self," goes too. */
				while (gap_start < r->end && (src[gap_start] == ' ' ||
							      src[gap_start] == '\t'))
					gap_start++;
			}
			continue;
		}
		{
			const char *gap = src + gap_start;
			size_t gap_len = tok.start - gap_start;
			int broken = memchr(gap, '\n', gap_len) != NULL;

			if (!broken) {
				if ((status = buf_add(out, gap, gap_len)))
					goto done;
			} else if (have_prev && !(prev.kind == PY_OP && strchr("([{", src[prev.start]) &&
						    tok_len(&prev) == 1) &&
				   !(tok.kind == PY_OP && tok_len(&tok) == 1 &&
				     strchr(")]},", src[tok.start]))) {
				if ((status = buf_addch(out, ' ')))
					goto done;
			}
		}
		if ((status = buf_add(out, src + tok.start, tok_len(&tok))))
			goto done;
		saw_any = 1;
		prev = tok;
		have_prev = 1;
		gap_start = tok.end;
	}
	if (have_prev && prev.depth == 1 && py_token_is(src, &prev, ",")) {
		/* The trailing comma, and nothing after it. */
		size_t at = out->len;
		while (at > mark && out->data[at - 1] != ',')
			at--;
		buf_truncate(out, at ? at - 1 : 0);
	} else if (saw_any) {
		const char *gap = src + gap_start;
		size_t gap_len = r->end - gap_start;
		if (!memchr(gap, '\n', gap_len))
			status = buf_add(out, gap, gap_len);
	}
done:
	return status;
}

static void trim(struct buf *b, size_t from)
{
	size_t start = from, end = b->len;

	while (start < end && (b->data[start] == ' ' || b->data[start] == '\t'))
		start++;
	while (end > start && (b->data[end - 1] == ' ' || b->data[end - 1] == '\t'))
		end--;
	memmove(b->data + from, b->data + start, end - start);
	buf_truncate(b, from + (end - start));
}

static int signature(struct hubconf *hc, const char *name, struct module *m, size_t index,
		     int depth, struct buf *out)
{
	const struct binding *b = &m->b[index];
	size_t mark;
	int status;

	if (depth > 8)
		return HUB_ENOTFOUND;
	if (b->kind == B_CLASS && !b->params.set) {
		struct target t;
		char *base;
		struct range r = b->bases;

		if (!b->bases.set) {
			return buf_addf(out, "%s()", name);
		}
		/* No __init__ of its own: the first base's, when in the repo. */
		{
			const char *src = buf_str(&m->source);
			size_t at = r.start;
			while (at < r.end && (src[at] == '_' || src[at] == '.' ||
					      (src[at] >= 'a' && src[at] <= 'z') ||
					      (src[at] >= 'A' && src[at] <= 'Z') ||
					      (src[at] >= '0' && src[at] <= '9')))
				at++;
			base = xstrndup(src + r.start, at - r.start);
		}
		if (!strcmp(base, "object")) {
			free(base);
			return buf_addf(out, "%s()", name);
		}
		resolve_dotted(hc, m, base, index, 0, &t);
		free(base);
		if (t.status != R_CALLABLE || t.mod->b[t.index].kind != B_CLASS)
			return HUB_ENOTFOUND;
		return signature(hc, name, t.mod, t.index, depth + 1, out);
	}
	if (!b->params.set)
		return HUB_ENOTFOUND;
	if ((status = buf_addf(out, "%s(", name)))
		return status;
	mark = out->len;
	if ((status = one_line(m, &b->params, b->kind == B_CLASS, out)))
		return status;
	if (b->kind == B_LAMBDA)
		trim(out, mark);
	if ((status = buf_addch(out, ')')))
		return status;
	if (b->ret.set) {
		if ((status = buf_addstr(out, " -> ")))
			return status;
		mark = out->len;
		if ((status = one_line(m, &b->ret, 0, out)))
			return status;
		trim(out, mark);
	}
	return HUB_OK;
}

static int decode_doc(const struct module *m, const struct range *r, struct buf *out)
{
	struct pyscan s;
	struct py_token tok;
	const char *src = buf_str(&m->source);
	int status;

	pyscan_init_range(&s, m->path, src, r->start, r->end, r->line, 1);
	for (;;) {
		if ((status = pyscan_next(&s, &tok)))
			return status;
		if (tok.kind == PY_END)
			return HUB_OK;
		if (tok.kind == PY_STRING &&
		    (status = py_string_value(m->path, src, &tok, out)))
			return status;
	}
}

/* functools.partial objects carry the class's docstring (Python 3.11). */
static const char partial_doc[] =
	"partial(func, *args, **keywords) - new function with partial application\n"
	"    of the given arguments and keywords.\n";

/* `name.__doc__ = ...` later in a module changes what help shows. */
static const struct binding *doc_override(const struct module *m, const char *name)
{
	size_t k;

	for (k = latest(m, name); k != NONE; k = m->b[k].prev_same)
		if (m->b[k].kind == B_DOC)
			return &m->b[k];
	return NULL;
}

static int describe(struct hubconf *hc, const char *name, struct module *in, size_t upto,
		    int depth, struct hubconf_doc *doc)
{
	struct target t;
	const struct binding *b, *over;
	struct module *over_mod;
	int status = HUB_OK;

	if (depth > 8) {
		doc->doc_known = 0;
		return HUB_OK;
	}
	resolve_name(hc, in, name, upto, 0, &t);
	if (t.status != R_CALLABLE && t.status != R_EXTERNAL)
		return hub_error(HUB_ENOTFOUND, "'%s' is not a callable entrypoint of %s/hubconf.py",
				 name, hc->repo);
	if (t.status == R_EXTERNAL) {
		doc->doc_known = 0;
		return HUB_OK;
	}
	b = &t.mod->b[t.index];
	doc->doc_known = 1;
	over_mod = in;
	over = doc_override(in, name);
	if (!over && b->name) {
		over_mod = t.mod;
		over = doc_override(t.mod, b->name);
	}
	if (over) {
		if (over->doc.set) {
			doc->has_doc = 1;
			return decode_doc(over_mod, &over->doc, &doc->doc);
		}
		if (over->target) {
			struct hubconf_doc other;
			memset(&other, 0, sizeof(other));
			buf_init(&other.doc, DOC_MAX, "docstring");
			status = describe(hc, over->target, in, in->count, depth + 1, &other);
			doc->has_doc = other.has_doc;
			doc->doc_known = other.doc_known;
			if (!status && other.has_doc)
				status = buf_add(&doc->doc, other.doc.data, other.doc.len);
			hubconf_doc_release(&other);
			return status;
		}
		doc->doc_known = 0;
		return HUB_OK;
	}
	if (b->kind == B_PARTIAL) {
		doc->has_doc = 1;
		return buf_addstr(&doc->doc, partial_doc);
	}
	if ((b->kind == B_DEF || b->kind == B_CLASS) && b->doc.set) {
		doc->has_doc = 1;
		return decode_doc(t.mod, &b->doc, &doc->doc);
	}
	return HUB_OK;
}

int hubconf_describe(struct hubconf *hc, const char *name, struct hubconf_doc *doc)
{
	struct target t;
	struct buf sig = BUF_INIT(1 << 20, "signature");
	int status;

	memset(doc, 0, sizeof(*doc));
	buf_init(&doc->doc, DOC_MAX, "docstring");
	if ((status = describe(hc, name, hc->hub, hc->hub->count, 0, doc)))
		goto done;
	resolve_name(hc, hc->hub, name, hc->hub->count, 0, &t);
	if (t.status == R_CALLABLE && !signature(hc, name, t.mod, t.index, 0, &sig))
		doc->signature = buf_detach(&sig);
	hub_error_clear();
done:
	buf_free(&sig);
	return status;
}

void hubconf_doc_release(struct hubconf_doc *doc)
{
	if (!doc)
		return;
	free(doc->signature);
	doc->signature = NULL;
	buf_free(&doc->doc);
}

int hubconf_summary(const struct hubconf_doc *doc, struct buf *out)
{
	struct buf clean = BUF_INIT(DOC_MAX, "docstring");
	const char *nl;
	int status = HUB_OK;

	if (!doc->has_doc)
		goto done;
	if ((status = py_cleandoc(buf_str(&doc->doc), doc->doc.len, &clean)))
		goto done;
	nl = memchr(buf_str(&clean), '\n', clean.len);
	status = buf_add(out, buf_str(&clean), nl ? (size_t)(nl - buf_str(&clean)) : clean.len);
done:
	buf_free(&clean);
	return status;
}

const char *hubconf_kind_name(enum hubconf_kind kind)
{
	switch (kind) {
	case HUBCONF_FUNCTION: return "function";
	case HUBCONF_CLASS: return "class";
	case HUBCONF_IMPORTED: return "imported";
	case HUBCONF_ALIAS: return "alias";
	}
	return "?";
}
