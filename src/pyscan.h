/*
 * pyscan.h - the lexical layer of Python 3 (as Python 3.11 reads it), for
 * reading hubconf.py and the modules it imports without running them.
 *
 * The tokenizer is exact where it matters for finding statements and their
 * extent: string prefixes (r b u f, any case and order Python accepts),
 * single, double and triple quotes, escapes, f-strings with nested fields
 * and strings, comments, backslash continuation, brackets across lines,
 * indentation with tabs and spaces (TabError included), ';' and CR, CRLF and
 * LF line ends. It does not parse expressions; callers read the token stream.
 *
 * Memory: the scanner is a caller-owned struct of fixed size; tokens are
 * offsets into the caller's source, which must outlive them. Nothing is
 * allocated. Cost is linear in the source size. Broken input gives a status
 * (err.h) and "file:line: what" through hub_error, never a crash or a hang.
 */
#ifndef HUB_PYSCAN_H
#define HUB_PYSCAN_H

#include <stddef.h>

#include "buf.h"

enum py_kind {
	PY_END = 0,
	PY_NAME,        /* identifiers and keywords */
	PY_NUMBER,
	PY_STRING,      /* one literal; adjacent literals are separate tokens */
	PY_OP,          /* operators and brackets, longest match */
	PY_NEWLINE,     /* end of a logical line */
	PY_INDENT,
	PY_DEDENT
};

/* String token flags. */
#define PY_STR_RAW    1u
#define PY_STR_BYTES  2u
#define PY_STR_FORMAT 4u
#define PY_STR_TRIPLE 8u

struct py_token {
	enum py_kind kind;
	size_t start, end;      /* [start, end) in the source */
	size_t body_start;      /* strings: what lies between the quotes */
	size_t body_end;
	unsigned line;          /* line of start, from 1 */
	int depth;              /* bracket depth outside the token: an opening
				 * bracket and its closing one share it */
	unsigned flags;         /* PY_STR_* */
};

/* Python's own limits, so what Python rejects as too deep is rejected. */
#define PY_MAX_INDENT 100
#define PY_MAX_DEPTH 200
#define PY_MAX_FSTRING_NESTING 16

struct pyscan {
	const char *file;       /* names the source in messages */
	const char *src;
	size_t pos, end;
	unsigned line;
	int depth;
	char brackets[PY_MAX_DEPTH];
	unsigned bracket_lines[PY_MAX_DEPTH];
	int indents[PY_MAX_INDENT + 1];     /* columns, tabs to multiples of 8 */
	int alt_indents[PY_MAX_INDENT + 1]; /* columns, tabs as 1: TabError */
	int indent_count;
	int pending;            /* > 0: INDENTs due, < 0: DEDENTs due */
	int at_line_start;
	int line_has_tokens;
	int done;
	int in_range;           /* pyscan_init_range: brackets may stay open */
};

/*
 * Makes raw file bytes into what Python's tokenizer reads: drops a UTF-8
 * BOM, turns CRLF and CR into LF (in place: src->len shrinks), and refuses
 * NUL bytes and bytes that are not UTF-8, naming file and line. Strings and
 * docstrings see LF only, as in Python.
 */
int py_source_prepare(const char *file, struct buf *src);

/* Scans prepared source src[0..len). */
void pyscan_init(struct pyscan *s, const char *file, const char *src, size_t len);
/*
 * Scans src[start..end) as text found at `line` inside `depth` open
 * brackets (no NEWLINE or INDENT tokens then): re-reads a range that a
 * first pass found, such as a parameter list or a docstring.
 */
void pyscan_init_range(struct pyscan *s, const char *file, const char *src,
		       size_t start, size_t end, unsigned line, int depth);
/* The next token. After PY_END, keeps returning PY_END. */
int pyscan_next(struct pyscan *s, struct py_token *tok);

/* Whether the token is the NAME or OP spelled text. */
int py_token_is(const char *src, const struct py_token *tok, const char *text);

/*
 * Appends the value of a str literal token (not bytes, not an f-string) as
 * UTF-8: escapes decoded as Python decodes them (\N{...} included, through
 * the Unicode name table when hub has one), raw strings kept. Fails with
 * "file:line: ..." on an escape Python rejects.
 */
int py_string_value(const char *file, const char *src, const struct py_token *tok,
		    struct buf *out);

/* inspect.cleandoc(doc) of Python 3.11, appended to out (UTF-8). */
int py_cleandoc(const char *doc, size_t len, struct buf *out);

/*
 * \N{NAME} as Python 3.11 (Unicode 14.0) resolves it: names, aliases, Hangul
 * syllables and CJK unified ideographs; 1 and *cp when known, else 0.
 */
int py_unicode_lookup(const char *name, size_t len, unsigned long *cp);
/* The stored part of that table (pyunicode.c, generated). */
int py_unicode_table_lookup(const char *name, size_t len, unsigned long *cp);

/* Appends the UTF-8 encoding of code point cp (surrogates too, as Python's
 * str holds them). */
int py_utf8_append(struct buf *out, unsigned long cp);

#endif
