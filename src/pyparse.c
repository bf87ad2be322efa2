/*
 * pyparse.c - Python 3.11 source to the tree of pyast.h.
 *
 * Recursive descent over pyscan's tokens in one pass, in the manner of
 * Lua's lparser.c: one function per rule of Python's grammar
 * (Grammar/python.gram of 3.11 is the reference of what must parse), one
 * token of lookahead and a second one where the grammar needs it (keyword
 * arguments, walrus, keyword patterns). Two places where Python's PEG
 * parser tries an alternative and falls back (a `match` statement, and
 * `with (` ... `):` items) save the scanner and the tree's sizes and
 * restore them; both attempts end within one logical line.
 *
 * Errors are thrown with longjmp to py_parse, which frees what was built:
 * the parser allocates nothing that is not in the tree or in its own
 * struct, so nothing leaks.
 */
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "err.h"
#include "pyast.h"
#include "pyparse.h"
#include "pyscan.h"
#include "util.h"

/* Token codes: the scanner's kinds, keywords, then operators. */
enum {
	T_END, T_NAME, T_NUMBER, T_STRING, T_NEWLINE, T_INDENT, T_DEDENT,
	K_FALSE, K_NONE, K_TRUE, K_AND, K_AS, K_ASSERT, K_ASYNC, K_AWAIT,
	K_BREAK, K_CLASS, K_CONTINUE, K_DEF, K_DEL, K_ELIF, K_ELSE, K_EXCEPT,
	K_FINALLY, K_FOR, K_FROM, K_GLOBAL, K_IF, K_IMPORT, K_IN, K_IS,
	K_LAMBDA, K_NONLOCAL, K_NOT, K_OR, K_PASS, K_RAISE, K_RETURN, K_TRY,
	K_WHILE, K_WITH, K_YIELD,
	O_LPAR, O_RPAR, O_LSQB, O_RSQB, O_LBRACE, O_RBRACE, O_COLON, O_COMMA,
	O_SEMI, O_PLUS, O_MINUS, O_STAR, O_SLASH, O_VBAR, O_AMPER, O_LESS,
	O_GREATER, O_EQUAL, O_DOT, O_PERCENT, O_TILDE, O_CIRCUMFLEX, O_AT,
	O_EQEQUAL, O_NOTEQUAL, O_LESSEQUAL, O_GREATEREQUAL, O_LEFTSHIFT,
	O_RIGHTSHIFT, O_DOUBLESTAR, O_DOUBLESLASH, O_RARROW, O_COLONEQUAL,
	O_PLUSEQUAL, O_MINEQUAL, O_STAREQUAL, O_SLASHEQUAL, O_PERCENTEQUAL,
	O_AMPEREQUAL, O_VBAREQUAL, O_CIRCUMFLEXEQUAL, O_ATEQUAL,
	O_LEFTSHIFTEQUAL, O_RIGHTSHIFTEQUAL, O_DOUBLESTAREQUAL,
	O_DOUBLESLASHEQUAL, O_ELLIPSIS,
	T_COUNT
};

#define K_FIRST K_FALSE
#define K_LAST K_YIELD

static const char *const spelling[T_COUNT] = {
	[K_FALSE] = "False", [K_NONE] = "None", [K_TRUE] = "True", [K_AND] = "and",
	[K_AS] = "as", [K_ASSERT] = "assert", [K_ASYNC] = "async", [K_AWAIT] = "await",
	[K_BREAK] = "break", [K_CLASS] = "class", [K_CONTINUE] = "continue",
	[K_DEF] = "def", [K_DEL] = "del", [K_ELIF] = "elif", [K_ELSE] = "else",
	[K_EXCEPT] = "except", [K_FINALLY] = "finally", [K_FOR] = "for",
	[K_FROM] = "from", [K_GLOBAL] = "global", [K_IF] = "if", [K_IMPORT] = "import",
	[K_IN] = "in", [K_IS] = "is", [K_LAMBDA] = "lambda", [K_NONLOCAL] = "nonlocal",
	[K_NOT] = "not", [K_OR] = "or", [K_PASS] = "pass", [K_RAISE] = "raise",
	[K_RETURN] = "return", [K_TRY] = "try", [K_WHILE] = "while", [K_WITH] = "with",
	[K_YIELD] = "yield",
	[O_LPAR] = "(", [O_RPAR] = ")", [O_LSQB] = "[", [O_RSQB] = "]", [O_LBRACE] = "{",
	[O_RBRACE] = "}", [O_COLON] = ":", [O_COMMA] = ",", [O_SEMI] = ";", [O_PLUS] = "+",
	[O_MINUS] = "-", [O_STAR] = "*", [O_SLASH] = "/", [O_VBAR] = "|", [O_AMPER] = "&",
	[O_LESS] = "<", [O_GREATER] = ">", [O_EQUAL] = "=", [O_DOT] = ".",
	[O_PERCENT] = "%", [O_TILDE] = "~", [O_CIRCUMFLEX] = "^", [O_AT] = "@",
	[O_EQEQUAL] = "==", [O_NOTEQUAL] = "!=", [O_LESSEQUAL] = "<=",
	[O_GREATEREQUAL] = ">=", [O_LEFTSHIFT] = "<<", [O_RIGHTSHIFT] = ">>",
	[O_DOUBLESTAR] = "**", [O_DOUBLESLASH] = "//", [O_RARROW] = "->",
	[O_COLONEQUAL] = ":=", [O_PLUSEQUAL] = "+=", [O_MINEQUAL] = "-=",
	[O_STAREQUAL] = "*=", [O_SLASHEQUAL] = "/=", [O_PERCENTEQUAL] = "%=",
	[O_AMPEREQUAL] = "&=", [O_VBAREQUAL] = "|=", [O_CIRCUMFLEXEQUAL] = "^=",
	[O_ATEQUAL] = "@=", [O_LEFTSHIFTEQUAL] = "<<=", [O_RIGHTSHIFTEQUAL] = ">>=",
	[O_DOUBLESTAREQUAL] = "**=", [O_DOUBLESLASHEQUAL] = "//=", [O_ELLIPSIS] = "...",
};

struct pos {
	uint32_t line, start;
};

struct parser {
	const char *file;
	const char *src;
	size_t len;
	struct py_tree *t;
	struct pyscan scan;
	struct py_token tok, next_tok;
	int code, next_code, have_next;
	uint32_t prev_end;              /* end of the last token consumed */
	uint32_t node_cap, list_cap, item_cap, str_cap;
	size_t chars_cap;
	uint32_t *stack;                /* items of the lists being built */
	size_t sp, stack_cap;
	int depth;
	int fstring;                    /* > 0 inside an f-string's field */
	int attempts;                   /* > 0 inside an attempt (struct mark) */
	size_t line_token, line_at;     /* line_in's last answer: token, */
	unsigned line_of_at;            /* offset and line */
	uint32_t disjunction_line;      /* the last disjunction parsed: */
	uint32_t disjunction_end;       /* its line and end, and */
	uint32_t disjunction_node;      /* its node */
	jmp_buf *jump;
	struct buf text;                /* string values being joined */
};

/* What a backtracking attempt restores. */
struct mark {
	struct pyscan scan;
	struct py_token tok, next_tok;
	int code, next_code, have_next;
	uint32_t prev_end, nodes, lists, items;
	size_t sp, text_len;
	int depth, fstring;
};

static void save(const struct parser *p, struct mark *m)
{
	m->scan = p->scan;
	m->tok = p->tok;
	m->next_tok = p->next_tok;
	m->code = p->code;
	m->next_code = p->next_code;
	m->have_next = p->have_next;
	m->prev_end = p->prev_end;
	m->nodes = p->t->node_count;
	m->lists = p->t->list_count;
	m->items = p->t->item_count;
	m->sp = p->sp;
	m->text_len = p->text.len;
	m->depth = p->depth;
	m->fstring = p->fstring;
}

static void restore(struct parser *p, const struct mark *m)
{
	p->scan = m->scan;
	p->tok = m->tok;
	p->next_tok = m->next_tok;
	p->code = m->code;
	p->next_code = m->next_code;
	p->have_next = m->have_next;
	p->prev_end = m->prev_end;
	p->t->node_count = m->nodes;
	p->t->list_count = m->lists;
	p->t->item_count = m->items;
	p->sp = m->sp;
	buf_truncate(&p->text, m->text_len);
	p->depth = m->depth;
	p->fstring = m->fstring;
}

/* ---- errors ---- */

static _Noreturn void throw(struct parser *p)
{
	longjmp(*p->jump, 1);
}

/* The line CPython gives a token: at the end of the file, the last line. */
static unsigned token_line(const struct parser *p, const struct py_token *t)
{
	if ((t->kind == PY_END || t->kind == PY_DEDENT) && t->start >= p->len && !p->fstring &&
	    p->len > 0 && p->src[p->len - 1] == '\n' && t->line > 1)
		return t->line - 1;
	return t->line;
}

static void check_number(struct parser *p, struct py_token *t, struct pyscan *scan);
static void check_identifier(struct parser *p, const struct py_token *t);
static int beyond_ascii(const struct py_token *t);

/*
 * The tokenizer errors that CPython's tokenizer leaves for its parser to
 * raise (indentation, line continuation, and ASCII characters that are no
 * token, which are one more "invalid syntax" to CPython): found after a
 * parser error, they do not replace it.
 */
/* The reason of a "file:LINE: reason" message (the whole if not so). */
static const char *reason_of(const struct parser *p, const char *msg)
{
	size_t skip = strlen(p->file) + 1;
	const char *r;

	if (strncmp(msg, p->file, skip - 1) || msg[skip - 1] != ':')
		return msg;
	for (r = msg + skip; *r >= '0' && *r <= '9'; r++)
		;
	return r[0] == ':' && r[1] == ' ' ? r + 2 : msg;
}

/* 1: CPython stops there quietly, 2: CPython reads on (a token to it). */
static int quiet_tokenizer_error(const struct parser *p, const char *msg)
{
	static const char *const quiet[] = {
		"unindent does not match any outer indentation level",
		"inconsistent use of tabs and spaces in indentation",
		"too many levels of indentation",
		"unexpected character after line continuation character",
		"unexpected end of file after line continuation character",
	};
	size_t i;

	msg = reason_of(p, msg);
	if (!strncmp(msg, "invalid character '", 19) || !strcmp(msg, "invalid syntax: '!'"))
		return 2;
	for (i = 0; i < sizeof(quiet) / sizeof(quiet[0]); i++)
		if (!strcmp(msg, quiet[i]))
			return 1;
	return 0;
}

/* The scanner's error for a bracket still open at the end of the file. */
static int unclosed_error(const struct parser *p, const char *msg)
{
	const char *r = reason_of(p, msg);
	size_t len = strlen(r);

	return len == 20 && r[0] == '\'' && !strcmp(r + 2, "' was never closed");
}

/*
 * Before a parser error is reported, as CPython does: the rest of the file
 * is tokenized and a tokenizer error there wins; a bracket left open at
 * the end wins when it opened before the line of the furthest token read.
 * Not inside an attempt that may be undone, nor in an f-string's field.
 */
static void tokenizer_errors_first(struct parser *p)
{
	unsigned furthest = p->have_next ? p->next_tok.line : p->tok.line;
	struct py_token t;

	if (p->fstring || p->attempts)
		return;
	for (;;) {
		if (pyscan_next(&p->scan, &t)) {
			int quiet = quiet_tokenizer_error(p, hub_error_message());
			if (quiet == 2) {
				/* the scanner stopped at the character */
				p->scan.pos++;
				continue;
			}
			if (!quiet && !unclosed_error(p, hub_error_message()))
				throw(p);
			/* where CPython's tokenizer stops, a bracket still open
			 * wins if it opened before the furthest token */
			if (p->scan.depth > 0 && furthest > p->scan.bracket_lines[p->scan.depth - 1]) {
				hub_error(HUB_EFAIL, "%s:%u: '%c' was never closed", p->file,
					  p->scan.bracket_lines[p->scan.depth - 1],
					  p->scan.brackets[p->scan.depth - 1]);
				throw(p);
			}
			return;
		}
		if (t.kind == PY_NUMBER)
			check_number(p, &t, &p->scan);
		else if (t.kind == PY_NAME && beyond_ascii(&t))
			check_identifier(p, &t);
		if (t.kind == PY_END)
			return;
	}
}

/* An error CPython reports without looking further (indentation). */
static _Noreturn void error_here(struct parser *p, unsigned line, const char *msg)
{
	hub_error(HUB_EFAIL, "%s:%u: %s", p->file, line, msg);
	throw(p);
}

static _Noreturn void error_at(struct parser *p, unsigned line, const char *msg)
{
	tokenizer_errors_first(p);
	error_here(p, line, msg);
}

/* The message before + what + after. */
static _Noreturn void error_name(struct parser *p, unsigned line, const char *before,
				 const char *what, const char *after)
{
	tokenizer_errors_first(p);
	hub_error(HUB_EFAIL, "%s:%u: %s%s%s", p->file, line, before, what, after);
	throw(p);
}

static int starts_expression(int code);

static int is_str(const struct parser *p, uint32_t id, const char *text)
{
	size_t len;
	const char *s = py_str_at(p->t, id, &len);
	return len == strlen(text) && !memcmp(s, text, len);
}

/* The generic error at the current token. */
static _Noreturn void invalid(struct parser *p)
{
	unsigned line = token_line(p, &p->tok);
	const struct py_node *last = &p->t->nodes[p->disjunction_node];

	if (p->code == T_INDENT)
		error_here(p, line, "unexpected indent");
	if (p->code == T_DEDENT)
		error_here(p, line, "unexpected unindent");
	/* Two expressions side by side inside brackets (CPython's
	 * invalid_expression rule), unless the first is print or exec. */
	if (p->tok.depth > 0 && p->disjunction_end == p->prev_end && p->prev_end &&
	    starts_expression(p->code) && p->code != O_STAR && p->code != O_MINUS &&
	    p->code != O_PLUS && p->code != O_LPAR && p->code != O_LSQB &&
	    !(last->kind == PN_NAME && (is_str(p, last->str, "print") || is_str(p, last->str, "exec"))))
		error_at(p, p->disjunction_line, p->fstring ?
			 "f-string: invalid syntax. Perhaps you forgot a comma?" :
			 "invalid syntax. Perhaps you forgot a comma?");
	error_at(p, line, p->fstring ? "f-string: invalid syntax" : "invalid syntax");
}

/* ---- tokens ---- */

/* The keyword spelled s[0..len), or T_NAME. */
static int keyword(const char *s, size_t len)
{
	static const unsigned char by_letter[][8] = {
		['F' - 'A'] = { K_FALSE }, ['N' - 'A'] = { K_NONE }, ['T' - 'A'] = { K_TRUE },
		['a' - 'A'] = { K_AND, K_AS, K_ASSERT, K_ASYNC, K_AWAIT },
		['b' - 'A'] = { K_BREAK }, ['c' - 'A'] = { K_CLASS, K_CONTINUE },
		['d' - 'A'] = { K_DEF, K_DEL }, ['e' - 'A'] = { K_ELIF, K_ELSE, K_EXCEPT },
		['f' - 'A'] = { K_FINALLY, K_FOR, K_FROM }, ['g' - 'A'] = { K_GLOBAL },
		['i' - 'A'] = { K_IF, K_IMPORT, K_IN, K_IS }, ['l' - 'A'] = { K_LAMBDA },
		['n' - 'A'] = { K_NONLOCAL, K_NOT }, ['o' - 'A'] = { K_OR },
		['p' - 'A'] = { K_PASS }, ['r' - 'A'] = { K_RAISE, K_RETURN },
		['t' - 'A'] = { K_TRY }, ['w' - 'A'] = { K_WHILE, K_WITH }, ['y' - 'A'] = { K_YIELD },
	};
	const unsigned char *candidates;
	int i;

	if (len < 2 || len > 8 || s[0] < 'A' || s[0] > 'y')
		return T_NAME;
	candidates = by_letter[s[0] - 'A'];
	for (i = 0; i < 8 && candidates[i]; i++) {
		const char *k = spelling[candidates[i]];
		/* keywords have two letters or more: k[1] settles most names */
		if (k[1] == s[1] && !strncmp(k, s, len) && k[len] == '\0')
			return candidates[i];
	}
	return T_NAME;
}

/* The operator spelled s[0..len), as the scanner cut it (pyscan.c). */
static int operator(const char *s, size_t len)
{
	static const unsigned char one[128] = {
		['('] = O_LPAR, [')'] = O_RPAR, ['['] = O_LSQB, [']'] = O_RSQB, ['{'] = O_LBRACE,
		['}'] = O_RBRACE, [':'] = O_COLON, [','] = O_COMMA, [';'] = O_SEMI, ['+'] = O_PLUS,
		['-'] = O_MINUS, ['*'] = O_STAR, ['/'] = O_SLASH, ['|'] = O_VBAR, ['&'] = O_AMPER,
		['<'] = O_LESS, ['>'] = O_GREATER, ['='] = O_EQUAL, ['.'] = O_DOT, ['%'] = O_PERCENT,
		['~'] = O_TILDE, ['^'] = O_CIRCUMFLEX, ['@'] = O_AT,
	};
	/* c= for each c that takes one: the augmented assignments and comparisons */
	static const unsigned char with_equal[128] = {
		['='] = O_EQEQUAL, ['!'] = O_NOTEQUAL, ['<'] = O_LESSEQUAL, ['>'] = O_GREATEREQUAL,
		[':'] = O_COLONEQUAL, ['+'] = O_PLUSEQUAL, ['-'] = O_MINEQUAL, ['*'] = O_STAREQUAL,
		['/'] = O_SLASHEQUAL, ['%'] = O_PERCENTEQUAL, ['&'] = O_AMPEREQUAL,
		['|'] = O_VBAREQUAL, ['^'] = O_CIRCUMFLEXEQUAL, ['@'] = O_ATEQUAL,
	};
	unsigned char c = (unsigned char)s[0];

	if (c >= 128)
		return T_END;
	if (len == 1)
		return one[c] ? one[c] : T_END;
	if (len == 2) {
		if (s[1] == '=')
			return with_equal[c] ? with_equal[c] : T_END;
		switch (c) {
		case '<': return O_LEFTSHIFT;
		case '>': return O_RIGHTSHIFT;
		case '*': return O_DOUBLESTAR;
		case '/': return O_DOUBLESLASH;
		case '-': return O_RARROW;
		}
		return T_END;
	}
	switch (c) {
	case '<': return O_LEFTSHIFTEQUAL;
	case '>': return O_RIGHTSHIFTEQUAL;
	case '*': return O_DOUBLESTAREQUAL;
	case '/': return O_DOUBLESLASHEQUAL;
	case '.': return O_ELLIPSIS;
	}
	return T_END;
}

static int classify(const struct parser *p, const struct py_token *t)
{
	const char *s = p->src + t->start;
	size_t len = t->end - t->start;

	switch (t->kind) {
	case PY_END: return T_END;
	case PY_NUMBER: return T_NUMBER;
	case PY_STRING: return T_STRING;
	case PY_NEWLINE: return T_NEWLINE;
	case PY_INDENT: return T_INDENT;
	case PY_DEDENT: return T_DEDENT;
	case PY_NAME: return keyword(s, len);
	case PY_OP:
		return operator(s, len);
	}
	return T_END;
}

/* ---- numbers ---- */

static int is_name_char(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
	       (c >= '0' && c <= '9') || c >= 0x80;
}

/* Digits of the base with single '_' between them: how many characters. */
static size_t digits(const char *s, size_t len, int base)
{
	size_t i = 0;

	while (i < len) {
		int c = (unsigned char)s[i], v;
		if (c >= '0' && c <= '9')
			v = c - '0';
		else if (c >= 'a' && c <= 'f')
			v = c - 'a' + 10;
		else if (c >= 'A' && c <= 'F')
			v = c - 'A' + 10;
		else if (c == '_' && i > 0 && s[i - 1] != '_')
			v = 0;
		else
			break;
		if (c != '_' && v >= base)
			break;
		i++;
	}
	if (i > 0 && s[i - 1] == '_')
		i--;
	return i;
}

/* Whether the text at `at` is one of the keywords that 3.11 lets follow
 * a number with no space between (it only warns about those). */
static int keyword_follows(const struct parser *p, size_t at)
{
	const char *s = p->src + at;
	size_t left = p->len - at;

	const char *word;
	size_t n;

	switch (left ? *s : 0) {
	case 'a': word = "and"; break;
	case 'e': word = "else"; break;
	case 'f': word = "for"; break;
	case 'o': word = "or"; break;
	case 'n': word = "not"; break;
	case 'i':
		/* "if", "in", "is": 3.11 looks no further */
		return left >= 2 && (s[1] == 'f' || s[1] == 'n' || s[1] == 's');
	default:
		return 0;
	}
	n = strlen(word);
	return left >= n && !memcmp(s, word, n) && (left == n || !is_name_char((unsigned char)s[n]));
}

/*
 * A number token as CPython's tokenizer checks it, when it is read: digits
 * and underscores, and a name character right after a number is an error
 * except a keyword that may follow. The scanner takes letters after 0x,
 * 0o, 0b into the token; the token is cut where the digits end then.
 */
static void check_number(struct parser *p, struct py_token *t, struct pyscan *scan)
{
	const char *s = p->src + t->start, *kind = "decimal";
	size_t len = t->end - t->start, i = 0, n, at;
	char msg[100];
	int base;

	if (len >= 2 && s[0] == '0' && strchr("xXoObB", s[1])) {
		base = (s[1] | 0x20) == 'x' ? 16 : (s[1] | 0x20) == 'o' ? 8 : 2;
		kind = base == 16 ? "hexadecimal" : base == 8 ? "octal" : "binary";
		i = 2;
		if (i < len && s[i] == '_')
			i++;
		n = digits(s + i, len - i, base);
		if (i + n < len && s[i + n] >= '0' && s[i + n] <= '9') {
			snprintf(msg, sizeof(msg), "invalid digit '%c' in %s literal", s[i + n], kind);
			error_here(p, t->line, msg);
		}
		if (n == 0 || (i + n < len && s[i + n] == '_'))
			goto invalid;
		i += n;
	} else {
		size_t int_digits, k;
		int is_int = 1;
		i = int_digits = digits(s, len, 10);
		if (i < len && s[i] == '.') {
			is_int = 0;
			i++;
			i += digits(s + i, len - i, 10);
		}
		if (i < len && (s[i] | 0x20) == 'e') {
			is_int = 0;
			i++;
			if (i < len && (s[i] == '+' || s[i] == '-'))
				i++;
			n = digits(s + i, len - i, 10);
			if (!n)
				goto invalid;
			i += n;
		}
		if (i < len && (s[i] | 0x20) == 'j') {
			is_int = 0;
			kind = "imaginary";
			i++;
		}
		if (i < len)
			goto invalid;
		if (is_int && int_digits > 1 && s[0] == '0')
			for (k = 0; k < int_digits; k++)
				if (s[k] != '0' && s[k] != '_')
					error_here(p, t->line, "leading zeros in decimal integer literals are not permitted; use an 0o prefix for octal integers");
	}
	at = t->start + i;
	if (at < t->end) {
		if (!keyword_follows(p, at))
			goto invalid;
		t->end = at;
		scan->pos = at;
		return;
	}
	if (at >= p->len || !is_name_char((unsigned char)p->src[at]) || keyword_follows(p, at))
		return;
invalid:
	snprintf(msg, sizeof(msg), "invalid %s literal", kind);
	error_here(p, t->line, msg);
}

/* Decodes one UTF-8 sequence of prepared (valid) source; its length. */
static size_t utf8_char(const unsigned char *s, unsigned long *cp)
{
	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	if (s[0] < 0xE0) {
		*cp = ((unsigned long)(s[0] & 0x1F) << 6) | (s[1] & 0x3F);
		return 2;
	}
	if (s[0] < 0xF0) {
		*cp = ((unsigned long)(s[0] & 0x0F) << 12) | ((unsigned long)(s[1] & 0x3F) << 6) |
		      (s[2] & 0x3F);
		return 3;
	}
	*cp = ((unsigned long)(s[0] & 0x07) << 18) | ((unsigned long)(s[1] & 0x3F) << 12) |
	      ((unsigned long)(s[2] & 0x3F) << 6) | (s[3] & 0x3F);
	return 4;
}

/*
 * A name with characters beyond ASCII, as CPython's tokenizer checks it:
 * XID_Start then XID_Continue, else the first character that is not.
 */
static void check_identifier(struct parser *p, const struct py_token *t)
{
	const unsigned char *s = (const unsigned char *)p->src + t->start;
	size_t at = 0, len = t->end - t->start, n;
	unsigned long cp;
	char msg[64];

	while (at < len) {
		n = utf8_char(s + at, &cp);
		if (at == 0 ? !py_is_xid_start(cp) : !py_is_xid_continue(cp)) {
			if (py_is_printable(cp))
				snprintf(msg, sizeof(msg), "invalid character '%.*s' (U+%04lX)",
					 (int)n, (const char *)s + at, cp);
			else
				snprintf(msg, sizeof(msg), "invalid non-printable character U+%04lX", cp);
			error_here(p, t->line, msg);
		}
		at += n;
	}
}

/* Whether a name token holds a byte beyond ASCII (the scanner saw). */
static int beyond_ascii(const struct py_token *t)
{
	return (t->flags & PY_NAME_WIDE) != 0;
}

static void scan_into(struct parser *p, struct py_token *t, int *code)
{
	if (pyscan_next(&p->scan, t))
		throw(p);
	if (t->kind == PY_NUMBER)
		check_number(p, t, &p->scan);
	else if (t->kind == PY_NAME && beyond_ascii(t))
		check_identifier(p, t);
	*code = classify(p, t);
}

static void advance(struct parser *p)
{
	if (p->code != T_NEWLINE && p->code != T_INDENT && p->code != T_DEDENT)
		p->prev_end = (uint32_t)p->tok.end;
	if (p->have_next) {
		p->tok = p->next_tok;
		p->code = p->next_code;
		p->have_next = 0;
		return;
	}
	scan_into(p, &p->tok, &p->code);
}

static int peek(struct parser *p)
{
	if (!p->have_next) {
		scan_into(p, &p->next_tok, &p->next_code);
		p->have_next = 1;
	}
	return p->next_code;
}

static int accept(struct parser *p, int code)
{
	if (p->code != code)
		return 0;
	advance(p);
	return 1;
}

static void expect(struct parser *p, int code)
{
	if (p->code != code) {
		if (code == O_COLON)
			error_at(p, token_line(p, &p->tok), "expected ':'");
		invalid(p);
	}
	advance(p);
}

/* A soft keyword: a NAME spelled so. */
static int soft(const struct parser *p, const char *word)
{
	return p->code == T_NAME && py_token_is(p->src, &p->tok, word);
}

static struct pos here(const struct parser *p)
{
	struct pos at = { p->tok.line, (uint32_t)p->tok.start };
	return at;
}

/* ---- the tree's arrays ---- */

#define NODE(id) (&p->t->nodes[id])

static void *grow(void *array, uint32_t *cap, size_t size)
{
	*cap = *cap ? *cap * 2 : 64;
	return xrealloc(array, (size_t)*cap * size);
}

static uint32_t mk(struct parser *p, int kind, struct pos at)
{
	struct py_tree *t = p->t;
	struct py_node *n;

	if (t->node_count >= PY_PARSE_MAX_NODES) {
		hub_error(HUB_EFAIL, "%s:%u: the module is too large (over %u syntax nodes)",
			  p->file, at.line, PY_PARSE_MAX_NODES);
		throw(p);
	}
	if (t->node_count == p->node_cap)
		t->nodes = grow(t->nodes, &p->node_cap, sizeof(*t->nodes));
	n = &t->nodes[t->node_count];
	memset(n, 0, sizeof(*n));
	n->kind = (uint8_t)kind;
	n->line = at.line;
	n->start = at.start;
	n->end = p->prev_end > at.start ? p->prev_end : at.start;
	return t->node_count++;
}

static uint32_t mk2(struct parser *p, int kind, struct pos at, uint32_t a, uint32_t b)
{
	uint32_t id = mk(p, kind, at);
	NODE(id)->a = a;
	NODE(id)->b = b;
	return id;
}

static void push(struct parser *p, uint32_t item)
{
	if (p->sp == p->stack_cap) {
		p->stack_cap = p->stack_cap ? p->stack_cap * 2 : 256;
		p->stack = xrealloc(p->stack, p->stack_cap * sizeof(*p->stack));
	}
	p->stack[p->sp++] = item;
}

/* The items pushed since base, as a list (0 when none); pops them. */
static uint32_t list_from(struct parser *p, size_t base)
{
	struct py_tree *t = p->t;
	uint32_t count = (uint32_t)(p->sp - base), id;

	if (!count)
		return 0;
	while (t->item_count + count > p->item_cap)
		t->items = grow(t->items, &p->item_cap, sizeof(*t->items));
	if (t->list_count == p->list_cap)
		t->lists = grow(t->lists, &p->list_cap, sizeof(*t->lists));
	memcpy(t->items + t->item_count, p->stack + base, count * sizeof(*p->stack));
	id = t->list_count++;
	t->lists[id].first = t->item_count;
	t->lists[id].count = count;
	t->item_count += count;
	p->sp = base;
	return id;
}

static uint32_t list1(struct parser *p, uint32_t item)
{
	size_t base = p->sp;
	push(p, item);
	return list_from(p, base);
}

/*
 * Pairs pushed since base (x0, y0, x1, y1 ...): the xs as one list, the
 * ys as another; pops them.
 */
static void split_pairs(struct parser *p, size_t base, uint32_t *xs, uint32_t *ys)
{
	size_t n = (p->sp - base) / 2, i, top = p->sp;

	for (i = 0; i < n; i++)
		push(p, p->stack[base + 2 * i + 1]);
	for (i = 0; i < n; i++)
		p->stack[base + i] = p->stack[base + 2 * i];
	if (n)
		memmove(p->stack + base + n, p->stack + top, n * sizeof(*p->stack));
	p->sp = base + 2 * n;
	*ys = list_from(p, base + n);
	*xs = list_from(p, base);
}

static uint32_t add_str(struct parser *p, const char *s, size_t len)
{
	struct py_tree *t = p->t;
	uint32_t id;

	if (t->str_count == p->str_cap)
		t->strs = grow(t->strs, &p->str_cap, sizeof(*t->strs));
	while (t->chars_len + len + 1 > p->chars_cap) {
		p->chars_cap = p->chars_cap ? p->chars_cap * 2 : 4096;
		t->chars = xrealloc(t->chars, p->chars_cap);
	}
	if (len)
		memcpy(t->chars + t->chars_len, s, len);
	t->chars[t->chars_len + len] = '\0';
	id = t->str_count++;
	t->strs[id].off = (uint32_t)t->chars_len;
	t->strs[id].len = (uint32_t)len;
	t->chars_len += len + 1;
	return id;
}

/* Equal identifiers, equal ids. */
static uint32_t intern(struct parser *p, const char *s, size_t len)
{
	struct py_tree *t = p->t;
	uint32_t mask, i, id;

	if (len == 0)
		return 0;
	if ((t->str_count + 1) * 2 > t->intern_cap) {
		uint32_t cap = t->intern_cap ? t->intern_cap * 2 : 1024, *table, k;
		while ((t->str_count + 1) * 2 > cap)
			cap *= 2;
		table = xcalloc(cap, sizeof(*table));
		for (k = 0; k < t->intern_cap; k++) {
			uint32_t e = t->intern[k];
			if (!e)
				continue;
			i = hash_bytes(t->chars + t->strs[e].off, t->strs[e].len) & (cap - 1);
			while (table[i])
				i = (i + 1) & (cap - 1);
			table[i] = e;
		}
		free(t->intern);
		t->intern = table;
		t->intern_cap = cap;
	}
	mask = t->intern_cap - 1;
	for (i = hash_bytes(s, len) & mask; (id = t->intern[i]); i = (i + 1) & mask)
		if (t->strs[id].len == len && !memcmp(t->chars + t->strs[id].off, s, len))
			return id;
	id = add_str(p, s, len);
	t->intern[i] = id;
	return id;
}

static void enter(struct parser *p)
{
	if (++p->depth > PY_PARSE_MAX_DEPTH)
		error_at(p, p->tok.line, "too complex: the code nests too deeply");
}

static void leave(struct parser *p)
{
	p->depth--;
}

/* ---- expressions ---- */

static uint32_t expression(struct parser *p);
static uint32_t named_expression(struct parser *p);
static uint32_t star_expressions(struct parser *p);
static uint32_t star_named_expression(struct parser *p);
static uint32_t bitwise_or(struct parser *p);
static uint32_t disjunction(struct parser *p);
static uint32_t yield_expr(struct parser *p);
static uint32_t strings(struct parser *p);
static uint32_t number(struct parser *p);
static uint32_t parameters(struct parser *p, int close, int annotations, struct pos at);
static void set_ctx(struct parser *p, uint32_t id, int ctx);

/* What ast calls an expression in messages like "cannot assign to ...". */
static const char *expression_name(const struct py_node *n)
{
	switch (n->kind) {
	case PN_CALL: return "function call";
	case PN_CONSTANT:
		switch (n->op) {
		case PY_CONST_NONE: return "None";
		case PY_CONST_TRUE: return "True";
		case PY_CONST_FALSE: return "False";
		case PY_CONST_ELLIPSIS: return "ellipsis";
		}
		return "literal";
	case PN_COMPARE: return "comparison";
	case PN_LAMBDA: return "lambda";
	case PN_IF_EXP: return "conditional expression";
	case PN_NAMED_EXPR: return "named expression";
	case PN_YIELD: case PN_YIELD_FROM: return "yield expression";
	case PN_AWAIT: return "await expression";
	case PN_LIST_COMP: return "list comprehension";
	case PN_SET_COMP: return "set comprehension";
	case PN_DICT_COMP: return "dict comprehension";
	case PN_GENERATOR_EXP: return "generator expression";
	case PN_DICT: return "dict literal";
	case PN_SET: return "set display";
	case PN_JOINED_STR: case PN_FORMATTED_VALUE: return "f-string expression";
	case PN_TUPLE: return "tuple";
	case PN_LIST: return "list";
	case PN_STARRED: return "starred";
	case PN_ATTRIBUTE: return "attribute";
	case PN_SUBSCRIPT: return "subscript";
	case PN_NAME: return "name";
	}
	return "expression";
}

static uint32_t name_node(struct parser *p, int ctx)
{
	struct pos at = here(p);
	uint32_t id, s;

	if (p->code != T_NAME)
		invalid(p);
	s = intern(p, p->src + p->tok.start, p->tok.end - p->tok.start);
	advance(p);
	id = mk(p, PN_NAME, at);
	NODE(id)->str = s;
	NODE(id)->op = (uint8_t)ctx;
	return id;
}

static uint32_t identifier(struct parser *p)
{
	uint32_t s;

	if (p->code != T_NAME)
		invalid(p);
	s = intern(p, p->src + p->tok.start, p->tok.end - p->tok.start);
	advance(p);
	return s;
}

static uint32_t constant(struct parser *p, int type)
{
	struct pos at = here(p);
	uint32_t id;

	advance(p);
	id = mk(p, PN_CONSTANT, at);
	NODE(id)->op = (uint8_t)type;
	return id;
}

static uint32_t starred(struct parser *p, uint32_t (*sub)(struct parser *))
{
	struct pos at = here(p);
	uint32_t e;

	advance(p);
	e = sub(p);
	return mk2(p, PN_STARRED, at, e, 0);
}

/*
 * Targets of `for` (statement or comprehension) up to `in`: star_targets,
 * read as bitwise_or items so that `in` ends them; Store context.
 */
static uint32_t for_targets(struct parser *p)
{
	struct pos at = here(p);
	size_t base = p->sp;
	uint32_t first, target, l;

	first = p->code == O_STAR ? starred(p, bitwise_or) : bitwise_or(p);
	if (p->code == O_COMMA) {
		push(p, first);
		while (accept(p, O_COMMA)) {
			uint32_t e;
			if (p->code == K_IN)
				break;
			e = p->code == O_STAR ? starred(p, bitwise_or) : bitwise_or(p);
			push(p, e);
		}
		target = mk(p, PN_TUPLE, at);
		l = list_from(p, base);
		NODE(target)->a = l;
	} else {
		target = first;
	}
	set_ctx(p, target, PY_STORE);
	return target;
}

/* for_if_clauses: one or more `[async] for targets in disjunction (if disjunction)*`. */
static uint32_t comprehensions(struct parser *p)
{
	size_t base = p->sp;

	while (p->code == K_FOR || (p->code == K_ASYNC && peek(p) == K_FOR)) {
		struct pos at = here(p);
		int is_async = accept(p, K_ASYNC);
		uint32_t target, iter, ifs, id;
		size_t ifs_base;

		advance(p);
		target = for_targets(p);
		if (p->code != K_IN)
			invalid(p);
		advance(p);
		iter = disjunction(p);
		ifs_base = p->sp;
		while (accept(p, K_IF)) {
			uint32_t cond = disjunction(p);
			push(p, cond);
		}
		ifs = list_from(p, ifs_base);
		id = mk(p, PN_COMPREHENSION, at);
		NODE(id)->a = target;
		NODE(id)->b = iter;
		NODE(id)->c = ifs;
		NODE(id)->num = is_async;
		push(p, id);
	}
	return list_from(p, base);
}

static void no_starred_comprehension(struct parser *p, uint32_t e)
{
	if (NODE(e)->kind == PN_STARRED)
		error_at(p, NODE(e)->line, "iterable unpacking cannot be used in comprehension");
}

/* After '(': a tuple, a group, a generator expression, yield, through
 * `close` (')', or the end of an f-string field's text). */
static uint32_t paren_contents(struct parser *p, struct pos at, int close)
{
	size_t base = p->sp;
	uint32_t first, id, l;

	if (p->code == close) {
		advance(p);
		return mk(p, PN_TUPLE, at);
	}
	if (p->code == K_YIELD) {
		first = yield_expr(p);
		expect(p, close);
		return first;
	}
	first = star_named_expression(p);
	if (p->code == K_FOR || p->code == K_ASYNC) {
		uint32_t gens;
		no_starred_comprehension(p, first);
		gens = comprehensions(p);
		expect(p, close);
		return mk2(p, PN_GENERATOR_EXP, at, first, gens);
	}
	if (p->code == close) {
		if (NODE(first)->kind == PN_STARRED)
			error_at(p, NODE(first)->line, "cannot use starred expression here");
		advance(p);
		return first;
	}
	if (p->code != O_COMMA)
		invalid(p);
	push(p, first);
	while (accept(p, O_COMMA)) {
		uint32_t e;
		if (p->code == close)
			break;
		e = star_named_expression(p);
		push(p, e);
	}
	expect(p, close);
	id = mk(p, PN_TUPLE, at);
	l = list_from(p, base);
	NODE(id)->a = l;
	return id;
}

static uint32_t list_display(struct parser *p)
{
	struct pos at = here(p);
	size_t base = p->sp;
	uint32_t first, id, l;

	advance(p);
	if (p->code == O_RSQB) {
		advance(p);
		return mk(p, PN_LIST, at);
	}
	first = star_named_expression(p);
	if (p->code == K_FOR || p->code == K_ASYNC) {
		uint32_t gens;
		no_starred_comprehension(p, first);
		gens = comprehensions(p);
		expect(p, O_RSQB);
		return mk2(p, PN_LIST_COMP, at, first, gens);
	}
	push(p, first);
	while (accept(p, O_COMMA)) {
		uint32_t e;
		if (p->code == O_RSQB)
			break;
		e = star_named_expression(p);
		push(p, e);
	}
	expect(p, O_RSQB);
	id = mk(p, PN_LIST, at);
	l = list_from(p, base);
	NODE(id)->a = l;
	return id;
}

static uint32_t brace_display(struct parser *p)
{
	struct pos at = here(p);
	size_t base = p->sp;
	uint32_t key, value, id, l;

	advance(p);
	if (p->code == O_RBRACE) {
		advance(p);
		return mk(p, PN_DICT, at);
	}
	if (p->code == O_DOUBLESTAR) {
		advance(p);
		key = 0;
		value = bitwise_or(p);
	} else {
		/* a walrus may be a key only in parentheses */
		int bare_walrus = p->code == T_NAME && peek(p) == O_COLONEQUAL;
		key = star_named_expression(p);
		if (p->code != O_COLON) {
			/* a set, or a set comprehension */
			if (p->code == K_FOR || p->code == K_ASYNC) {
				uint32_t gens;
				no_starred_comprehension(p, key);
				gens = comprehensions(p);
				expect(p, O_RBRACE);
				return mk2(p, PN_SET_COMP, at, key, gens);
			}
			push(p, key);
			while (accept(p, O_COMMA)) {
				uint32_t e;
				if (p->code == O_RBRACE)
					break;
				e = star_named_expression(p);
				push(p, e);
			}
			expect(p, O_RBRACE);
			id = mk(p, PN_SET, at);
			l = list_from(p, base);
			NODE(id)->a = l;
			return id;
		}
		if (NODE(key)->kind == PN_STARRED || bare_walrus)
			invalid(p);
		advance(p);
		value = expression(p);
		if (p->code == K_FOR || p->code == K_ASYNC) {
			uint32_t gens = comprehensions(p);
			expect(p, O_RBRACE);
			id = mk2(p, PN_DICT_COMP, at, key, value);
			NODE(id)->c = gens;
			return id;
		}
	}
	push(p, key);
	push(p, value);
	while (accept(p, O_COMMA)) {
		if (p->code == O_RBRACE)
			break;
		if (accept(p, O_DOUBLESTAR)) {
			key = 0;
			value = bitwise_or(p);
		} else {
			key = expression(p);
			expect(p, O_COLON);
			value = expression(p);
		}
		push(p, key);
		push(p, value);
	}
	expect(p, O_RBRACE);
	split_pairs(p, base, &key, &value);
	return mk2(p, PN_DICT, at, key, value);
}

static uint32_t atom(struct parser *p)
{
	struct pos at = here(p);
	uint32_t id;

	switch (p->code) {
	case T_NAME:
		return name_node(p, PY_LOAD);
	case K_TRUE:
		return constant(p, PY_CONST_TRUE);
	case K_FALSE:
		return constant(p, PY_CONST_FALSE);
	case K_NONE:
		return constant(p, PY_CONST_NONE);
	case O_ELLIPSIS:
		return constant(p, PY_CONST_ELLIPSIS);
	case T_NUMBER:
		return number(p);
	case T_STRING:
		return strings(p);
	case O_LPAR:
		advance(p);
		enter(p);
		id = paren_contents(p, at, O_RPAR);
		leave(p);
		return id;
	case O_LSQB:
		return list_display(p);
	case O_LBRACE:
		return brace_display(p);
	}
	invalid(p);
}

/* slice: [expression] ':' [expression] [':' [expression]] | named_expression */
static uint32_t slice(struct parser *p)
{
	struct pos at = here(p);
	uint32_t lower = 0, upper = 0, step = 0, id;

	if (p->code == O_STAR)
		return starred(p, bitwise_or);
	if (p->code != O_COLON) {
		lower = named_expression(p);
		if (p->code != O_COLON)
			return lower;
	}
	advance(p);
	if (p->code != O_COLON && p->code != O_COMMA && p->code != O_RSQB)
		upper = expression(p);
	if (accept(p, O_COLON))
		if (p->code != O_COMMA && p->code != O_RSQB)
			step = expression(p);
	id = mk2(p, PN_SLICE, at, lower, upper);
	NODE(id)->c = step;
	return id;
}

static uint32_t slices(struct parser *p)
{
	struct pos at = here(p);
	size_t base = p->sp;
	uint32_t first = slice(p), id, l;

	if (p->code != O_COMMA && NODE(first)->kind != PN_STARRED)
		return first;
	push(p, first);
	while (accept(p, O_COMMA)) {
		uint32_t e;
		if (p->code == O_RSQB)
			break;
		e = slice(p);
		push(p, e);
	}
	id = mk(p, PN_TUPLE, at);
	l = list_from(p, base);
	NODE(id)->a = l;
	return id;
}

/* Call arguments after '(' through ')': positional ones to *args,
 * keyword ones and `**` to *keywords. */
static void call_args(struct parser *p, struct pos open, uint32_t *args, uint32_t *keywords,
		      int genexp)
{
	uint32_t genexp_node = 0;
	size_t base = p->sp, count = 0;
	int seen_keyword = 0, seen_double = 0;
	unsigned genexp_line = 0, first_line = p->tok.line;
	const char *misplaced = NULL;   /* CPython names the token after the arguments */

	/* (item, is_keyword) pairs, split at the end */
	while (p->code != O_RPAR) {
		struct pos at = here(p);
		uint32_t e;
		int keyword = 1;

		if (p->code == O_STAR) {
			e = starred(p, expression);
			if (seen_double)
				error_at(p, first_line, "iterable argument unpacking follows keyword argument unpacking");
			keyword = 0;
		} else if (p->code == O_DOUBLESTAR) {
			advance(p);
			e = expression(p);
			e = mk2(p, PN_KEYWORD, at, e, 0);
			seen_double = 1;
		} else if (p->code == T_NAME && peek(p) == O_EQUAL) {
			uint32_t s = identifier(p), v;
			advance(p);
			v = expression(p);
			e = mk2(p, PN_KEYWORD, at, v, 0);
			NODE(e)->str = s;
			seen_keyword = 1;
		} else {
			if (p->code == T_NAME && peek(p) == O_COLONEQUAL) {
				e = named_expression(p);
			} else {
				e = expression(p);
				if (p->code == O_EQUAL) {
					const struct py_node *n = NODE(e);
					if (n->kind == PN_CONSTANT && n->op <= PY_CONST_FALSE)
						error_name(p, n->line, "cannot assign to ",
							   expression_name(n), "");
					error_at(p, n->line, "expression cannot contain assignment, perhaps you meant \"==\"?");
				}
			}
			if (p->code == K_FOR || p->code == K_ASYNC) {
				uint32_t gens;
				if (!genexp)
					invalid(p);
				gens = comprehensions(p);
				/* ast's generator spans the call's parentheses */
				e = mk2(p, PN_GENERATOR_EXP, open, e, gens);
				genexp_line = at.line;
				genexp_node = e;
			}
			if (seen_double && !misplaced)
				misplaced = "positional argument follows keyword argument unpacking";
			if (seen_keyword && !misplaced)
				misplaced = "positional argument follows keyword argument";
			keyword = 0;
		}
		push(p, e);
		push(p, (uint32_t)keyword);
		count++;
		if (!accept(p, O_COMMA))
			break;
	}
	if (genexp_line && count > 1)
		error_at(p, genexp_line, "Generator expression must be parenthesized");
	if (misplaced)
		error_at(p, p->tok.line, misplaced);
	expect(p, O_RPAR);
	if (genexp_node)
		NODE(genexp_node)->end = p->prev_end;
	{
		size_t n = (p->sp - base) / 2, i, k = 0, top = p->sp, nk;
		for (i = 0; i < n; i++)
			if (p->stack[base + 2 * i + 1])
				push(p, p->stack[base + 2 * i]);
		nk = p->sp - top;
		for (i = 0; i < n; i++)
			if (!p->stack[base + 2 * i + 1])
				p->stack[base + k++] = p->stack[base + 2 * i];
		if (nk)
			memmove(p->stack + base + k, p->stack + top, nk * sizeof(*p->stack));
		p->sp = base + k + nk;
		*keywords = list_from(p, base + k);
		*args = list_from(p, base);
	}
}

static uint32_t primary(struct parser *p)
{
	struct pos at = here(p);
	uint32_t e = atom(p), id;
	int chain = 0;

	for (;;) {
		/* each trailer nests the tree one deeper */
		if (p->code == O_DOT || p->code == O_LPAR || p->code == O_LSQB) {
			enter(p);
			chain++;
		}
		if (p->code == O_DOT) {
			uint32_t s;
			advance(p);
			s = identifier(p);
			id = mk(p, PN_ATTRIBUTE, at);
			NODE(id)->a = e;
			NODE(id)->str = s;
			e = id;
		} else if (p->code == O_LPAR) {
			uint32_t args, keywords;
			struct pos open = here(p);
			advance(p);
			enter(p);
			call_args(p, open, &args, &keywords, 1);
			leave(p);
			id = mk2(p, PN_CALL, at, e, args);
			NODE(id)->c = keywords;
			e = id;
		} else if (p->code == O_LSQB) {
			uint32_t s;
			advance(p);
			enter(p);
			s = slices(p);
			leave(p);
			expect(p, O_RSQB);
			e = mk2(p, PN_SUBSCRIPT, at, e, s);
		} else {
			p->depth -= chain;
			return e;
		}
	}
}

static uint32_t factor(struct parser *p);

static uint32_t power(struct parser *p)
{
	struct pos at = here(p);
	uint32_t e, right, id;

	if (p->code == K_AWAIT) {
		advance(p);
		e = primary(p);
		e = mk2(p, PN_AWAIT, at, e, 0);
	} else {
		e = primary(p);
	}
	if (p->code != O_DOUBLESTAR)
		return e;
	advance(p);
	enter(p);
	right = factor(p);
	leave(p);
	id = mk2(p, PN_BIN_OP, at, e, right);
	NODE(id)->op = PY_POW;
	return id;
}

static uint32_t factor(struct parser *p)
{
	struct pos at = here(p);
	int op;
	uint32_t e, id;

	switch (p->code) {
	case O_PLUS: op = PY_UADD; break;
	case O_MINUS: op = PY_USUB; break;
	case O_TILDE: op = PY_INVERT; break;
	default:
		return power(p);
	}
	advance(p);
	enter(p);
	e = factor(p);
	leave(p);
	id = mk2(p, PN_UNARY_OP, at, e, 0);
	NODE(id)->op = (uint8_t)op;
	return id;
}

/* The binary operators: their level, from '|' (0) to '*' (5), and op. */
static int binary_op(int code, int *op)
{
	switch (code) {
	case O_VBAR: *op = PY_BITOR; return 0;
	case O_CIRCUMFLEX: *op = PY_BITXOR; return 1;
	case O_AMPER: *op = PY_BITAND; return 2;
	case O_LEFTSHIFT: *op = PY_LSHIFT; return 3;
	case O_RIGHTSHIFT: *op = PY_RSHIFT; return 3;
	case O_PLUS: *op = PY_ADD; return 4;
	case O_MINUS: *op = PY_SUB; return 4;
	case O_STAR: *op = PY_MULT; return 5;
	case O_SLASH: *op = PY_DIV; return 5;
	case O_DOUBLESLASH: *op = PY_FLOORDIV; return 5;
	case O_PERCENT: *op = PY_MOD; return 5;
	case O_AT: *op = PY_MATMULT; return 5;
	}
	return -1;
}

/* Operators of `level` and above, left-associative, by precedence
 * climbing: one call per operand, not one per level. */
static uint32_t binary(struct parser *p, int level)
{
	struct pos at = here(p);
	uint32_t left = factor(p), right, id;
	int op = 0, op_level, chain = 0;

	while ((op_level = binary_op(p->code, &op)) >= level) {
		/* each operand more nests the tree one deeper on the left */
		enter(p);
		chain++;
		advance(p);
		right = op_level < 5 ? binary(p, op_level + 1) : factor(p);
		id = mk2(p, PN_BIN_OP, at, left, right);
		NODE(id)->op = (uint8_t)op;
		left = id;
	}
	p->depth -= chain;
	return left;
}

static uint32_t bitwise_or(struct parser *p)
{
	return binary(p, 0);
}

static int compare_op(struct parser *p)
{
	switch (p->code) {
	case O_EQEQUAL: advance(p); return PY_EQ;
	case O_NOTEQUAL: advance(p); return PY_NOTEQ;
	case O_LESS: advance(p); return PY_LT;
	case O_LESSEQUAL: advance(p); return PY_LTE;
	case O_GREATER: advance(p); return PY_GT;
	case O_GREATEREQUAL: advance(p); return PY_GTE;
	case K_IN: advance(p); return PY_IN;
	case K_IS:
		advance(p);
		return accept(p, K_NOT) ? PY_ISNOT : PY_IS;
	case K_NOT:
		if (peek(p) != K_IN)
			return -1;
		advance(p);
		advance(p);
		return PY_NOTIN;
	}
	return -1;
}

static uint32_t comparison(struct parser *p)
{
	struct pos at = here(p);
	uint32_t left = bitwise_or(p), ops, comps, id;
	size_t base = p->sp;
	int op;

	if ((op = compare_op(p)) < 0)
		return left;
	for (;;) {
		uint32_t right = bitwise_or(p);
		push(p, (uint32_t)op);
		push(p, right);
		if ((op = compare_op(p)) < 0)
			break;
	}
	split_pairs(p, base, &ops, &comps);
	id = mk2(p, PN_COMPARE, at, left, ops);
	NODE(id)->c = comps;
	return id;
}

static uint32_t inversion(struct parser *p)
{
	struct pos at = here(p);
	uint32_t e, id;

	if (p->code != K_NOT)
		return comparison(p);
	advance(p);
	enter(p);
	e = inversion(p);
	leave(p);
	id = mk2(p, PN_UNARY_OP, at, e, 0);
	NODE(id)->op = PY_NOT;
	return id;
}

static uint32_t bool_chain(struct parser *p, int code, int op, uint32_t (*sub)(struct parser *))
{
	struct pos at = here(p);
	size_t base = p->sp;
	uint32_t first = sub(p), id, l;

	if (p->code != code)
		return first;
	push(p, first);
	while (accept(p, code)) {
		uint32_t e = sub(p);
		push(p, e);
	}
	id = mk(p, PN_BOOL_OP, at);
	l = list_from(p, base);
	NODE(id)->a = l;
	NODE(id)->op = (uint8_t)op;
	return id;
}

static uint32_t conjunction(struct parser *p)
{
	return bool_chain(p, K_AND, PY_AND, inversion);
}

static uint32_t disjunction(struct parser *p)
{
	uint32_t line = p->tok.line, e = bool_chain(p, K_OR, PY_OR, conjunction);

	p->disjunction_line = line;
	p->disjunction_end = p->prev_end;
	p->disjunction_node = e;
	return e;
}

static uint32_t lambdef(struct parser *p)
{
	struct pos at = here(p), from;
	uint32_t args, body;

	advance(p);
	from.line = p->tok.line;
	from.start = p->prev_end;
	args = parameters(p, O_COLON, 0, from);
	expect(p, O_COLON);
	body = expression(p);
	return mk2(p, PN_LAMBDA, at, args, body);
}

static uint32_t expression(struct parser *p)
{
	struct pos at = here(p);
	uint32_t body, test, orelse, id;

	enter(p);
	if (p->code == K_LAMBDA) {
		id = lambdef(p);
		leave(p);
		return id;
	}
	body = disjunction(p);
	if (p->code == K_IF) {
		advance(p);
		test = disjunction(p);
		if (p->code != K_ELSE)
			error_at(p, token_line(p, &p->tok), "expected 'else' after 'if' expression");
		advance(p);
		orelse = expression(p);
		id = mk2(p, PN_IF_EXP, at, test, body);
		NODE(id)->c = orelse;
		body = id;
	}
	leave(p);
	return body;
}

static uint32_t named_expression(struct parser *p)
{
	struct pos at = here(p);
	uint32_t target, value;

	if (p->code == T_NAME && peek(p) == O_COLONEQUAL) {
		target = name_node(p, PY_STORE);
		advance(p);
		value = expression(p);
		return mk2(p, PN_NAMED_EXPR, at, target, value);
	}
	target = expression(p);
	if (p->code == O_COLONEQUAL)
		error_name(p, NODE(target)->line, "cannot use assignment expressions with ",
			   expression_name(NODE(target)), "");
	return target;
}

static uint32_t star_named_expression(struct parser *p)
{
	return p->code == O_STAR ? starred(p, bitwise_or) : named_expression(p);
}

static uint32_t star_expression(struct parser *p)
{
	return p->code == O_STAR ? starred(p, bitwise_or) : expression(p);
}

/* Whether a token of this code can start an expression. */
static int starts_expression(int code)
{
	switch (code) {
	case T_NAME: case T_NUMBER: case T_STRING: case K_FALSE: case K_NONE:
	case K_TRUE: case K_AWAIT: case K_LAMBDA: case K_NOT: case O_LPAR:
	case O_LSQB: case O_LBRACE: case O_PLUS: case O_MINUS: case O_TILDE:
	case O_ELLIPSIS: case O_STAR:
		return 1;
	}
	return 0;
}

/* star_expressions: one, or a tuple of them with commas. */
static uint32_t star_expressions(struct parser *p)
{
	struct pos at = here(p);
	size_t base = p->sp;
	uint32_t first = star_expression(p), id, l;

	if (p->code != O_COMMA)
		return first;
	push(p, first);
	while (accept(p, O_COMMA)) {
		uint32_t e;
		if (!starts_expression(p->code))
			break;
		e = star_expression(p);
		push(p, e);
	}
	id = mk(p, PN_TUPLE, at);
	l = list_from(p, base);
	NODE(id)->a = l;
	return id;
}

static uint32_t yield_expr(struct parser *p)
{
	struct pos at = here(p);
	uint32_t value = 0;

	advance(p);
	if (accept(p, K_FROM)) {
		value = expression(p);
		return mk2(p, PN_YIELD_FROM, at, value, 0);
	}
	if (starts_expression(p->code))
		value = star_expressions(p);
	return mk2(p, PN_YIELD, at, value, 0);
}

/* Makes an expression an assignment (or del) target, as ast sets ctx. */
static void set_ctx(struct parser *p, uint32_t id, int ctx)
{
	struct py_node *n = NODE(id);
	uint32_t i, count, list;

	switch (n->kind) {
	case PN_NAME:
	case PN_ATTRIBUTE:
	case PN_SUBSCRIPT:
		n->op = (uint8_t)ctx;
		return;
	case PN_STARRED:
		if (ctx == PY_DEL)
			error_at(p, n->line, "cannot delete starred");
		n->op = (uint8_t)ctx;
		set_ctx(p, n->a, ctx);
		return;
	case PN_TUPLE:
	case PN_LIST:
		n->op = (uint8_t)ctx;
		list = n->a;
		count = py_list_len(p->t, list);
		for (i = 0; i < count; i++)
			set_ctx(p, py_list_at(p->t, list, i), ctx);
		return;
	}
	error_name(p, n->line, ctx == PY_DEL ? "cannot delete " : "cannot assign to ",
		   expression_name(n), "");
}

/* ---- parameters ---- */

/*
 * Parameters of def (annotations allowed) or lambda, up to `close` (')'
 * or ':'). Returns the PN_ARGUMENTS node, which spans from at.start to
 * the closing token.
 */
static uint32_t parameters(struct parser *p, int close, int annotations, struct pos at)
{
	size_t base = p->sp;
	int kind = PY_ARG_NORMAL, seen_default = 0, seen_star = 0, seen_slash = 0;
	uint32_t id, l;

	while (p->code != close) {
		struct pos aat = here(p), nat;
		uint32_t arg, name, annotation = 0, value = 0, arg_end;
		int this_kind;

		if (p->code == O_SLASH) {
			size_t i;
			if (seen_slash)
				error_at(p, aat.line, "/ may appear only once");
			if (seen_star)
				error_at(p, aat.line, "/ must be ahead of *");
			if (p->sp == base)
				error_at(p, aat.line, "at least one argument must precede /");
			advance(p);
			seen_slash = 1;
			for (i = base; i < p->sp; i++)
				NODE(p->stack[i])->op = PY_ARG_POSONLY;
			if (!accept(p, O_COMMA))
				break;
			continue;
		}
		if (p->code == O_DOUBLESTAR) {
			advance(p);
			this_kind = PY_ARG_KWARG;
		} else if (p->code == O_STAR) {
			if (seen_star)
				error_at(p, aat.line, "* argument may appear only once");
			advance(p);
			seen_star = 1;
			if (p->code == O_COMMA || p->code == close) {
				if (p->code == close || peek(p) == close || peek(p) == O_DOUBLESTAR)
					error_at(p, aat.line, "named arguments must follow bare *");
				advance(p);
				kind = PY_ARG_KWONLY;
				continue;
			}
			this_kind = PY_ARG_VARARG;
		} else {
			this_kind = kind;
		}
		/* ast's arg spans the name and its annotation */
		nat = here(p);
		name = identifier(p);
		if (annotations && accept(p, O_COLON))
			annotation = this_kind == PY_ARG_VARARG ? star_expression(p) : expression(p);
		arg_end = p->prev_end;
		if (p->code == O_EQUAL) {
			if (this_kind == PY_ARG_VARARG || this_kind == PY_ARG_KWARG)
				error_at(p, p->tok.line, this_kind == PY_ARG_VARARG ?
					 "var-positional argument cannot have default value" :
					 "var-keyword argument cannot have default value");
			advance(p);
			value = expression(p);
			if (this_kind != PY_ARG_KWONLY)
				seen_default = 1;
		} else if (seen_default && this_kind == PY_ARG_NORMAL) {
			error_at(p, aat.line, "non-default argument follows default argument");
		}
		arg = mk(p, PN_ARG, nat);
		NODE(arg)->end = arg_end;
		NODE(arg)->str = name;
		NODE(arg)->a = annotation;
		NODE(arg)->b = value;
		NODE(arg)->op = (uint8_t)this_kind;
		push(p, arg);
		if (this_kind == PY_ARG_VARARG)
			kind = PY_ARG_KWONLY;
		if (this_kind == PY_ARG_KWARG) {
			accept(p, O_COMMA);
			if (p->code != close)
				error_at(p, p->tok.line, "arguments cannot follow var-keyword argument");
			break;
		}
		if (!accept(p, O_COMMA))
			break;
	}
	id = mk(p, PN_ARGUMENTS, at);
	l = list_from(p, base);
	NODE(id)->a = l;
	NODE(id)->end = (uint32_t)p->tok.start;
	return id;
}

/* A number token, already checked by check_number. */
static uint32_t number(struct parser *p)
{
	struct pos at = here(p);
	const char *s = p->src + p->tok.start;
	size_t len = p->tok.end - p->tok.start, i = 0, k, count = 0;
	int type = PY_CONST_INT, base = 10, big = 0;
	uint64_t value = 0;
	uint32_t id, text;
	char msg[300];

	if (len >= 2 && s[0] == '0' && strchr("xXoObB", s[1])) {
		base = (s[1] | 0x20) == 'x' ? 16 : (s[1] | 0x20) == 'o' ? 8 : 2;
		i = 2;
	} else if ((s[len - 1] | 0x20) == 'j') {
		type = PY_CONST_COMPLEX;
	} else if (memchr(s, '.', len) || memchr(s, 'e', len) || memchr(s, 'E', len)) {
		type = PY_CONST_FLOAT;
	} else {
		for (k = 0; k < len; k++)
			count += s[k] != '_';
		if (count > 4300) {
			snprintf(msg, sizeof(msg), "Exceeds the limit (4300 digits) for integer string conversion: value has %zu digits; use sys.set_int_max_str_digits() to increase the limit - Consider hexadecimal for huge integer literals to avoid decimal conversion limits.", count);
			error_at(p, at.line, msg);
		}
	}
	if (type == PY_CONST_INT) {
		for (; i < len; i++) {
			int c = (unsigned char)s[i], v;
			if (c == '_')
				continue;
			v = c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;
			if (value > (UINT64_MAX - (uint64_t)v) / (uint64_t)base) {
				big = 1;
				break;
			}
			value = value * (uint64_t)base + (uint64_t)v;
		}
		if (value > INT64_MAX)
			big = 1;
	}
	text = add_str(p, s, len);
	advance(p);
	id = mk(p, PN_CONSTANT, at);
	NODE(id)->op = (uint8_t)type;
	NODE(id)->str = text;
	if (big)
		NODE(id)->flags |= PY_FLAG_BIGINT;
	else
		NODE(id)->num = (int64_t)value;
	return id;
}

/* ---- strings ---- */

/*
 * The line of offset at within token t (t starts at t->line). Offsets
 * asked for in order within one token are counted from the last one, so
 * the fields of one long f-string cost linear time, not quadratic.
 */
static unsigned line_in(struct parser *p, const struct py_token *t, size_t at)
{
	size_t i = t->start;
	unsigned line = t->line;

	if (p->line_token == t->start && p->line_at <= at && p->line_at >= t->start) {
		i = p->line_at;
		line = p->line_of_at;
	}
	for (; i < at; i++)
		line += p->src[i] == '\n';
	p->line_token = t->start;
	p->line_at = at;
	p->line_of_at = line;
	return line;
}

/*
 * A literal's value that cannot be decoded: CPython finds it in the
 * parser, after it has read the token that follows the literals, and
 * names that token's line; a tokenizer error further on wins.
 */
static _Noreturn void literal_error(struct parser *p, const char *reason)
{
	char msg[1024];

	/* the scans below may record messages of their own */
	snprintf(msg, sizeof(msg), "%s", reason);
	if (!p->fstring)
		while (p->code == T_STRING)
			advance(p);
	tokenizer_errors_first(p);
	hub_error(HUB_EFAIL, "%s:%u: %s", p->file, token_line(p, &p->tok), msg);
	throw(p);
}

/* The same for an escape py_string_value refused (its message set). */
static _Noreturn void string_error(struct parser *p)
{
	char reason[1024];

	snprintf(reason, sizeof(reason), "%s", reason_of(p, hub_error_message()));
	literal_error(p, reason);
}

/* A bytes literal's value, appended to p->text. */
static void bytes_value(struct parser *p, const struct py_token *t)
{
	const char *s = p->src + t->body_start, *end = p->src + t->body_end;
	int raw = (t->flags & PY_STR_RAW) != 0;

	for (; s < end; s++) {
		int c = (unsigned char)*s;
		if (c >= 0x80)
			literal_error(p, "bytes can only contain ASCII literal characters");
		if (c != '\\' || raw) {
			buf_addch(&p->text, c);
			continue;
		}
		c = (unsigned char)*++s;
		switch (c) {
		case '\n': continue;
		case '\\': case '\'': case '"': break;
		case 'a': c = 7; break;
		case 'b': c = 8; break;
		case 'f': c = 12; break;
		case 'n': c = 10; break;
		case 'r': c = 13; break;
		case 't': c = 9; break;
		case 'v': c = 11; break;
		case '0': case '1': case '2': case '3': case '4': case '5': case '6': case '7': {
			int v = 0, i;
			for (i = 0; i < 3 && s < end && *s >= '0' && *s <= '7'; i++)
				v = v * 8 + (*s++ - '0');
			s--;
			c = v & 0xFF;
			break;
		}
		case 'x': {
			int hi = s + 1 < end ? py_hex_value((unsigned char)s[1]) : -1;
			int lo = s + 2 < end ? py_hex_value((unsigned char)s[2]) : -1;
			if (hi < 0 || lo < 0) {
				char msg[80];
				snprintf(msg, sizeof(msg), "(value error) invalid \\x escape at position %zu",
					 (size_t)(s - 1 - (p->src + t->body_start)));
				literal_error(p, msg);
			}
			c = hi * 16 + lo;
			s += 2;
			break;
		}
		default:
			/* kept as written (Python warns) */
			buf_addch(&p->text, '\\');
			break;
		}
		buf_addch(&p->text, c);
	}
}

static void decode_run(struct parser *p, const struct py_token *t, size_t from, size_t to, int raw)
{
	struct py_token run = *t;

	if (from >= to)
		return;
	run.body_start = from;
	run.body_end = to;
	run.flags = raw ? PY_STR_RAW : 0;
	run.line = line_in(p, t, from);
	if (py_string_value(p->file, p->src, &run, &p->text))
		string_error(p);
}

/* Pushes the pending literal text[mark..] as a str Constant. */
static void flush_literal(struct parser *p, size_t mark, struct pos at, int kind_u)
{
	uint32_t s, id;

	if (p->text.len <= mark)
		return;
	s = add_str(p, p->text.data + mark, p->text.len - mark);
	buf_truncate(&p->text, mark);
	id = mk(p, PN_CONSTANT, at);
	NODE(id)->op = PY_CONST_STR;
	NODE(id)->str = s;
	if (kind_u)
		NODE(id)->flags |= PY_FLAG_KIND_U;
	push(p, id);
}

static size_t fstring_part(struct parser *p, const struct py_token *t, size_t from, size_t to,
			   size_t mark, int level, int kind_u);

static int f_space(int c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

static _Noreturn void f_error(struct parser *p, const struct py_token *t, size_t at, const char *msg)
{
	error_at(p, line_in(p, t, at), msg);
}

/* The expression of a field [from, to) parsed as 3.11 does: as if written
 * between parentheses, with a scanner of its own. */
static uint32_t field_expression(struct parser *p, const struct py_token *t, size_t from, size_t to)
{
	struct pyscan outer = p->scan;
	struct py_token tok = p->tok, next_tok = p->next_tok;
	int code = p->code, next_code = p->next_code, have_next = p->have_next;
	uint32_t prev_end = p->prev_end, e;
	size_t i;
	struct pos at;

	for (i = from; i < to && f_space((unsigned char)p->src[i]); i++)
		;
	if (i == to)
		f_error(p, t, from, "f-string: empty expression not allowed");
	pyscan_init_range(&p->scan, p->file, p->src, from, to, line_in(p, t, from), 1);
	p->have_next = 0;
	p->fstring++;
	advance(p);
	at = here(p);
	e = paren_contents(p, at, T_END);
	p->fstring--;
	p->scan = outer;
	p->tok = tok;
	p->next_tok = next_tok;
	p->code = code;
	p->next_code = next_code;
	p->have_next = have_next;
	p->prev_end = prev_end;
	return e;
}

/*
 * A field after '{' at i: expression, '=', '!conversion', ':spec', '}'.
 * Pushes the FormattedValue (after the pending literal, which a '=' text
 * joins). Returns the offset after '}'.
 */
static size_t fstring_field(struct parser *p, const struct py_token *t, size_t i, size_t to,
			    size_t mark, int level, int kind_u)
{
	const char *src = p->src;
	size_t expr_start = i, expr_end;
	int depth = 0, quote = 0, triple = 0, conversion = -1, debug = 0;
	char stack[200];
	uint32_t value, spec = 0, id;
	struct pos at = { t->line, (uint32_t)t->start };

	if (level >= 2)
		f_error(p, t, i, "f-string: expressions nested too deeply");
	for (; i < to; i++) {
		int c = (unsigned char)src[i];
		if (quote) {
			if (c == quote) {
				if (!triple) {
					quote = 0;
				} else if (i + 2 < to && src[i + 1] == c && src[i + 2] == c) {
					i += 2;
					quote = 0;
				}
			}
			continue;
		}
		if (c == '\'' || c == '"') {
			triple = i + 2 < to && src[i + 1] == c && src[i + 2] == c;
			if (triple)
				i += 2;
			quote = c;
		} else if (c == '[' || c == '{' || c == '(') {
			if (depth >= (int)sizeof(stack))
				f_error(p, t, i, "f-string: too many nested parenthesis");
			stack[depth++] = (char)c;
		} else if (depth == 0 && (c == '!' || c == ':' || c == '}' || c == '=' ||
					  c == '<' || c == '>')) {
			int next = i + 1 < to ? (unsigned char)src[i + 1] : 0;
			if (next == '=' && c != ':' && c != '}') {
				i++;
				continue;
			}
			if (c == '<' || c == '>')
				continue;
			break;
		} else if (c == ']' || c == '}' || c == ')') {
			int open = c == ']' ? '[' : c == '}' ? '{' : '(';
			char msg[100];
			if (!depth) {
				snprintf(msg, sizeof(msg), "f-string: unmatched '%c'", c);
				f_error(p, t, i, msg);
			}
			if (stack[depth - 1] != open) {
				snprintf(msg, sizeof(msg),
					 "f-string: closing parenthesis '%c' does not match opening parenthesis '%c'",
					 c, stack[depth - 1]);
				f_error(p, t, i, msg);
			}
			depth--;
		}
	}
	expr_end = i;
	if (quote)
		f_error(p, t, i, "f-string: unterminated string");
	if (depth) {
		char msg[60];
		snprintf(msg, sizeof(msg), "f-string: unmatched '%c'", stack[depth - 1]);
		f_error(p, t, i, msg);
	}
	if (i >= to)
		f_error(p, t, i, "f-string: expecting '}'");
	value = field_expression(p, t, expr_start, expr_end);
	if (src[i] == '=') {
		i++;
		while (i < to && f_space((unsigned char)src[i]))
			i++;
		debug = 1;
		buf_add(&p->text, src + expr_start, i - expr_start);
	}
	if (i < to && src[i] == '!') {
		i++;
		if (i >= to)
			f_error(p, t, i, "f-string: expecting '}'");
		conversion = (unsigned char)src[i++];
		if (conversion != 's' && conversion != 'r' && conversion != 'a')
			f_error(p, t, i, "f-string: invalid conversion character: expected 's', 'r', or 'a'");
	}
	if (i >= to)
		f_error(p, t, i, "f-string: expecting '}'");
	flush_literal(p, mark, at, kind_u);
	if (src[i] == ':') {
		size_t base = p->sp, smark = p->text.len;
		uint32_t l;
		i = fstring_part(p, t, i + 1, to, smark, level + 1, 0);
		flush_literal(p, smark, at, 0);
		l = list_from(p, base);
		spec = mk(p, PN_JOINED_STR, at);
		NODE(spec)->a = l;
	}
	if (i >= to || src[i] != '}')
		f_error(p, t, i, "f-string: expecting '}'");
	if (debug && conversion < 0 && !spec)
		conversion = 'r';
	id = mk2(p, PN_FORMATTED_VALUE, at, value, spec);
	NODE(id)->num = conversion;
	push(p, id);
	return i + 1;
}

/*
 * Literal text and fields of an f-string body from `from`: literals to
 * p->text, fields pushed. At level 0 runs to `to`; in a format spec
 * (level > 0) stops at its closing '}', whose offset it returns.
 */
static size_t fstring_part(struct parser *p, const struct py_token *t, size_t from, size_t to,
			   size_t mark, int level, int kind_u)
{
	const char *src = p->src;
	int raw = (t->flags & PY_STR_RAW) != 0;
	size_t i = from, run = from;

	while (i < to) {
		int c = (unsigned char)src[i];
		if (c == '\\' && !raw) {
			if (i + 2 < to && src[i + 1] == 'N' && src[i + 2] == '{') {
				i += 3;
				while (i < to && src[i] != '}')
					i++;
				i++;
				continue;
			}
			if (i + 1 < to && (src[i + 1] == '{' || src[i + 1] == '}')) {
				decode_run(p, t, run, i, raw);
				buf_addch(&p->text, '\\');
				run = ++i;
				continue;
			}
			i += 2;
			continue;
		}
		if (c == '{' || c == '}') {
			if (level == 0 && i + 1 < to && src[i + 1] == c) {
				decode_run(p, t, run, i + 1, raw);
				i += 2;
				run = i;
				continue;
			}
			decode_run(p, t, run, i, raw);
			if (c == '}') {
				if (level == 0)
					f_error(p, t, i, "f-string: single '}' is not allowed");
				return i;
			}
			i = fstring_field(p, t, i + 1, to, mark, level, kind_u);
			run = i;
			continue;
		}
		i++;
	}
	decode_run(p, t, run, i < to ? i : to, raw);
	if (level > 0)
		f_error(p, t, to, "f-string: expecting '}'");
	return to;
}

/* Adjacent string literals: one Constant, or a JoinedStr when any of
 * them is an f-string. */
static uint32_t strings(struct parser *p)
{
	struct pos at = here(p);
	size_t mark = p->text.len, base = p->sp;
	int bytes = -1, joined = 0, mixed = 0;
	int kind_u = p->src[p->tok.start] == 'u' || p->src[p->tok.start] == 'U';
	uint32_t id, s, l;

	while (p->code == T_STRING) {
		struct py_token t = p->tok;
		int is_bytes = (t.flags & PY_STR_BYTES) != 0;
		if (bytes >= 0 && is_bytes != bytes)
			mixed = 1;
		bytes = is_bytes;
		if (is_bytes) {
			bytes_value(p, &t);
		} else if (t.flags & PY_STR_FORMAT) {
			joined = 1;
			fstring_part(p, &t, t.body_start, t.body_end, mark, 0, kind_u);
		} else if (py_string_value(p->file, p->src, &t, &p->text)) {
			string_error(p);
		}
		advance(p);
	}
	/* CPython names the token after the literals */
	if (mixed)
		error_at(p, p->tok.line, "cannot mix bytes and nonbytes literals");
	if (joined) {
		flush_literal(p, mark, at, kind_u);
		l = list_from(p, base);
		id = mk(p, PN_JOINED_STR, at);
		NODE(id)->a = l;
		return id;
	}
	s = add_str(p, p->text.data + mark, p->text.len - mark);
	buf_truncate(&p->text, mark);
	id = mk(p, PN_CONSTANT, at);
	NODE(id)->op = bytes ? PY_CONST_BYTES : PY_CONST_STR;
	NODE(id)->str = s;
	if (kind_u)
		NODE(id)->flags |= PY_FLAG_KIND_U;
	return id;
}

/* ---- statements ---- */

static void statement(struct parser *p);
static void simple_statements(struct parser *p);

/*
 * A block after ':': an indented suite, or simple statements on the same
 * line. `what` and `line` name the statement in CPython's message.
 */
static uint32_t block(struct parser *p, const char *what, unsigned line)
{
	size_t base = p->sp;

	if (p->code == T_NEWLINE) {
		advance(p);
		if (p->code != T_INDENT) {
			char msg[160];
			snprintf(msg, sizeof(msg), "expected an indented block after %s on line %u",
				 what, line);
			error_at(p, token_line(p, &p->tok), msg);
		}
		advance(p);
		while (p->code != T_DEDENT && p->code != T_END)
			statement(p);
		accept(p, T_DEDENT);
	} else {
		simple_statements(p);
	}
	return list_from(p, base);
}

static int augmented_op(int code)
{
	switch (code) {
	case O_PLUSEQUAL: return PY_ADD;
	case O_MINEQUAL: return PY_SUB;
	case O_STAREQUAL: return PY_MULT;
	case O_ATEQUAL: return PY_MATMULT;
	case O_SLASHEQUAL: return PY_DIV;
	case O_PERCENTEQUAL: return PY_MOD;
	case O_DOUBLESTAREQUAL: return PY_POW;
	case O_LEFTSHIFTEQUAL: return PY_LSHIFT;
	case O_RIGHTSHIFTEQUAL: return PY_RSHIFT;
	case O_VBAREQUAL: return PY_BITOR;
	case O_CIRCUMFLEXEQUAL: return PY_BITXOR;
	case O_AMPEREQUAL: return PY_BITAND;
	case O_DOUBLESLASHEQUAL: return PY_FLOORDIV;
	}
	return -1;
}

static uint32_t assignment_value(struct parser *p)
{
	return p->code == K_YIELD ? yield_expr(p) : star_expressions(p);
}

/* An expression statement, or an assignment of any kind. */
static uint32_t expression_statement(struct parser *p)
{
	struct pos at = here(p);
	int first = p->code, op;
	uint32_t e = assignment_value(p), id, value;

	if (p->code == O_COLON) {
		uint32_t annotation;
		int kind = NODE(e)->kind;
		if (kind == PN_TUPLE)
			error_at(p, NODE(e)->line, "only single target (not tuple) can be annotated");
		if (kind == PN_LIST)
			error_at(p, NODE(e)->line, "only single target (not list) can be annotated");
		if (kind != PN_NAME && kind != PN_ATTRIBUTE && kind != PN_SUBSCRIPT)
			error_at(p, NODE(e)->line, "illegal target for annotation");
		set_ctx(p, e, PY_STORE);
		advance(p);
		annotation = expression(p);
		value = accept(p, O_EQUAL) ? assignment_value(p) : 0;
		id = mk2(p, PN_ANN_ASSIGN, at, e, annotation);
		NODE(id)->c = value;
		NODE(id)->num = kind == PN_NAME && first != O_LPAR;
		return id;
	}
	if (p->code == O_EQUAL) {
		size_t base = p->sp;
		uint32_t targets;
		push(p, e);
		advance(p);
		value = assignment_value(p);
		while (p->code == O_EQUAL) {
			push(p, value);
			advance(p);
			value = assignment_value(p);
		}
		{
			size_t i;
			for (i = base; i < p->sp; i++) {
				uint32_t t = p->stack[i];
				int kind = NODE(t)->kind;
				if (kind == PN_YIELD || kind == PN_YIELD_FROM)
					error_at(p, NODE(t)->line, "assignment to yield expression not possible");
				set_ctx(p, t, PY_STORE);
			}
		}
		targets = list_from(p, base);
		return mk2(p, PN_ASSIGN, at, targets, value);
	}
	if ((op = augmented_op(p->code)) >= 0) {
		int kind = NODE(e)->kind;
		if (kind != PN_NAME && kind != PN_ATTRIBUTE && kind != PN_SUBSCRIPT)
			error_name(p, NODE(e)->line, "'", expression_name(NODE(e)),
				   "' is an illegal expression for augmented assignment");
		set_ctx(p, e, PY_STORE);
		advance(p);
		value = assignment_value(p);
		id = mk2(p, PN_AUG_ASSIGN, at, e, value);
		NODE(id)->op = (uint8_t)op;
		return id;
	}
	return mk2(p, PN_EXPR, at, e, 0);
}

/* A dotted name as written, interned: "a.b.c". */
static uint32_t dotted_name(struct parser *p)
{
	size_t mark = p->text.len;
	uint32_t s;

	for (;;) {
		if (p->code != T_NAME)
			invalid(p);
		buf_add(&p->text, p->src + p->tok.start, p->tok.end - p->tok.start);
		advance(p);
		if (p->code != O_DOT)
			break;
		advance(p);
		buf_addch(&p->text, '.');
	}
	s = intern(p, p->text.data + mark, p->text.len - mark);
	buf_truncate(&p->text, mark);
	return s;
}

static uint32_t alias(struct parser *p, int dotted)
{
	struct pos at = here(p);
	uint32_t name = dotted ? dotted_name(p) : identifier(p), id;

	id = mk(p, PN_ALIAS, at);
	NODE(id)->str = name;
	if (accept(p, K_AS)) {
		uint32_t as = identifier(p);
		NODE(id)->num = as;
		NODE(id)->end = p->prev_end;
	}
	return id;
}

static uint32_t import_statement(struct parser *p)
{
	struct pos at = here(p);
	size_t base = p->sp;
	uint32_t names;

	advance(p);
	do {
		uint32_t a = alias(p, 1);
		push(p, a);
	} while (accept(p, O_COMMA));
	names = list_from(p, base);
	return mk2(p, PN_IMPORT, at, names, 0);
}

static uint32_t from_statement(struct parser *p)
{
	struct pos at = here(p);
	size_t base = p->sp;
	uint32_t module = 0, names, id;
	int level = 0;

	advance(p);
	for (;;) {
		if (p->code == O_DOT)
			level++;
		else if (p->code == O_ELLIPSIS)
			level += 3;
		else
			break;
		advance(p);
	}
	if (p->code != K_IMPORT || level == 0)
		module = dotted_name(p);
	if (p->code != K_IMPORT)
		invalid(p);
	advance(p);
	if (p->code == O_STAR) {
		struct pos sat = here(p);
		uint32_t a;
		advance(p);
		a = mk(p, PN_ALIAS, sat);
		NODE(a)->str = intern(p, "*", 1);
		push(p, a);
	} else if (accept(p, O_LPAR)) {
		do {
			uint32_t a;
			if (p->code == O_RPAR && p->sp > base)
				break;
			a = alias(p, 0);
			push(p, a);
		} while (accept(p, O_COMMA));
		expect(p, O_RPAR);
	} else {
		do {
			uint32_t a = alias(p, 0);
			push(p, a);
		} while (accept(p, O_COMMA));
		if (p->code == O_COMMA)
			invalid(p);
	}
	names = list_from(p, base);
	id = mk2(p, PN_IMPORT_FROM, at, names, 0);
	NODE(id)->str = module;
	NODE(id)->num = level;
	return id;
}

static uint32_t simple_statement(struct parser *p)
{
	struct pos at = here(p);
	size_t base = p->sp;
	uint32_t a = 0, b = 0, l;
	int kind;

	switch (p->code) {
	case K_PASS:
		advance(p);
		return mk(p, PN_PASS, at);
	case K_BREAK:
		advance(p);
		return mk(p, PN_BREAK, at);
	case K_CONTINUE:
		advance(p);
		return mk(p, PN_CONTINUE, at);
	case K_RETURN:
		advance(p);
		if (starts_expression(p->code))
			a = star_expressions(p);
		return mk2(p, PN_RETURN, at, a, 0);
	case K_RAISE:
		advance(p);
		if (starts_expression(p->code)) {
			a = expression(p);
			if (accept(p, K_FROM))
				b = expression(p);
		}
		return mk2(p, PN_RAISE, at, a, b);
	case K_GLOBAL:
	case K_NONLOCAL:
		kind = p->code == K_GLOBAL ? PN_GLOBAL : PN_NONLOCAL;
		advance(p);
		do {
			uint32_t s = identifier(p);
			push(p, s);
		} while (accept(p, O_COMMA));
		l = list_from(p, base);
		return mk2(p, kind, at, l, 0);
	case K_DEL:
		advance(p);
		do {
			uint32_t e;
			if (p->sp > base && !starts_expression(p->code))
				break;
			e = p->code == O_STAR ? starred(p, bitwise_or) : bitwise_or(p);
			set_ctx(p, e, PY_DEL);
			push(p, e);
		} while (accept(p, O_COMMA));
		l = list_from(p, base);
		return mk2(p, PN_DELETE, at, l, 0);
	case K_ASSERT:
		advance(p);
		a = expression(p);
		if (accept(p, O_COMMA))
			b = expression(p);
		return mk2(p, PN_ASSERT, at, a, b);
	case K_IMPORT:
		return import_statement(p);
	case K_FROM:
		return from_statement(p);
	}
	if (!starts_expression(p->code) && p->code != K_YIELD)
		invalid(p);
	return expression_statement(p);
}

static void simple_statements(struct parser *p)
{
	for (;;) {
		uint32_t s = simple_statement(p);
		push(p, s);
		if (!accept(p, O_SEMI))
			break;
		if (p->code == T_NEWLINE)
			break;
	}
	if (p->code != T_NEWLINE)
		invalid(p);
	advance(p);
}

static uint32_t function_def(struct parser *p, struct pos at, uint32_t decorators, int is_async)
{
	unsigned line = at.line;
	uint32_t name, args, returns = 0, body, id;
	struct pos from;

	advance(p);
	name = identifier(p);
	if (p->code != O_LPAR)
		error_at(p, p->tok.line, "expected '('");
	advance(p);
	from.line = p->tok.line;
	from.start = p->prev_end;
	args = parameters(p, O_RPAR, 1, from);
	expect(p, O_RPAR);
	if (accept(p, O_RARROW))
		returns = expression(p);
	expect(p, O_COLON);
	body = block(p, "function definition", line);
	id = mk2(p, is_async ? PN_ASYNC_FUNCTION_DEF : PN_FUNCTION_DEF, at, args, body);
	NODE(id)->str = name;
	NODE(id)->c = decorators;
	NODE(id)->d = returns;
	return id;
}

static uint32_t class_def(struct parser *p, struct pos at, uint32_t decorators)
{
	uint32_t name, bases = 0, keywords = 0, body, id;

	advance(p);
	name = identifier(p);
	if (p->code == O_LPAR) {
		struct pos open = here(p);
		advance(p);
		enter(p);
		call_args(p, open, &bases, &keywords, 0);
		leave(p);
	}
	expect(p, O_COLON);
	body = block(p, "class definition", at.line);
	id = mk2(p, PN_CLASS_DEF, at, bases, keywords);
	NODE(id)->str = name;
	NODE(id)->c = body;
	NODE(id)->d = decorators;
	return id;
}

static uint32_t if_statement(struct parser *p, const char *what)
{
	struct pos at = here(p);
	uint32_t test, body, orelse = 0, id;

	advance(p);
	test = named_expression(p);
	expect(p, O_COLON);
	body = block(p, what, at.line);
	if (p->code == K_ELIF) {
		/* an elif is an If nested in the orelse */
		uint32_t e;
		enter(p);
		e = if_statement(p, "'elif' statement");
		leave(p);
		orelse = list1(p, e);
	} else if (p->code == K_ELSE) {
		unsigned line = p->tok.line;
		advance(p);
		expect(p, O_COLON);
		orelse = block(p, "'else' statement", line);
	}
	id = mk2(p, PN_IF, at, test, body);
	NODE(id)->c = orelse;
	return id;
}

static uint32_t else_block(struct parser *p)
{
	unsigned line = p->tok.line;

	if (p->code != K_ELSE)
		return 0;
	advance(p);
	expect(p, O_COLON);
	return block(p, "'else' statement", line);
}

static uint32_t while_statement(struct parser *p)
{
	struct pos at = here(p);
	uint32_t test, body, orelse, id;

	advance(p);
	test = named_expression(p);
	expect(p, O_COLON);
	body = block(p, "'while' statement", at.line);
	orelse = else_block(p);
	id = mk2(p, PN_WHILE, at, test, body);
	NODE(id)->c = orelse;
	return id;
}

static uint32_t for_statement(struct parser *p, struct pos at, int is_async)
{
	uint32_t target, iter, body, orelse, id;

	advance(p);
	target = for_targets(p);
	if (p->code != K_IN)
		invalid(p);
	advance(p);
	iter = star_expressions(p);
	expect(p, O_COLON);
	body = block(p, "'for' statement", at.line);
	orelse = else_block(p);
	id = mk2(p, is_async ? PN_ASYNC_FOR : PN_FOR, at, target, iter);
	NODE(id)->c = body;
	NODE(id)->d = orelse;
	return id;
}

static uint32_t with_item(struct parser *p)
{
	struct pos at = here(p);
	uint32_t e = expression(p), target = 0;

	if (accept(p, K_AS)) {
		target = p->code == O_STAR ? starred(p, bitwise_or) : bitwise_or(p);
		if (p->code != O_COMMA && p->code != O_RPAR && p->code != O_COLON)
			invalid(p);
		set_ctx(p, target, PY_STORE);
	}
	return mk2(p, PN_WITHITEM, at, e, target);
}

/* `with (` items `):`, tried first as CPython does; 0 when not that. */
static uint32_t parenthesized_with_items(struct parser *p, int *ok)
{
	struct mark m;
	jmp_buf jump, *outer = p->jump;
	size_t base;
	uint32_t items;

	save(p, &m);
	*ok = 0;
	if (setjmp(jump)) {
		p->jump = outer;
		p->attempts--;
		restore(p, &m);
		return 0;
	}
	p->jump = &jump;
	p->attempts++;
	base = p->sp;
	advance(p);
	do {
		uint32_t item;
		if (p->code == O_RPAR && p->sp > base)
			break;
		item = with_item(p);
		push(p, item);
	} while (accept(p, O_COMMA));
	if (p->code != O_RPAR)
		throw(p);
	advance(p);
	if (p->code != O_COLON)
		throw(p);
	p->jump = outer;
	p->attempts--;
	items = list_from(p, base);
	*ok = 1;
	return items;
}

static uint32_t with_statement(struct parser *p, struct pos at, int is_async)
{
	uint32_t items = 0, body, id;
	int ok = 0;

	advance(p);
	if (p->code == O_LPAR)
		items = parenthesized_with_items(p, &ok);
	if (!ok) {
		size_t base = p->sp;
		do {
			uint32_t item = with_item(p);
			push(p, item);
		} while (accept(p, O_COMMA));
		items = list_from(p, base);
	}
	expect(p, O_COLON);
	body = block(p, "'with' statement", at.line);
	id = mk2(p, is_async ? PN_ASYNC_WITH : PN_WITH, at, items, body);
	return id;
}

static uint32_t try_statement(struct parser *p)
{
	struct pos at = here(p);
	uint32_t body, handlers, orelse = 0, finalbody = 0, id;
	size_t base;
	int star = -1;

	advance(p);
	expect(p, O_COLON);
	body = block(p, "'try' statement", at.line);
	base = p->sp;
	while (p->code == K_EXCEPT) {
		struct pos hat = here(p);
		uint32_t type = 0, name = 0, hbody, h;
		int is_star;
		advance(p);
		is_star = accept(p, O_STAR);
		if (star >= 0 && star != is_star)
			error_at(p, hat.line, "cannot have both 'except' and 'except*' on the same 'try'");
		star = is_star;
		if (p->code != O_COLON) {
			type = expression(p);
			if (p->code == O_COMMA)
				error_at(p, NODE(type)->line, "multiple exception types must be parenthesized");
			if (accept(p, K_AS))
				name = identifier(p);
		} else if (is_star) {
			error_at(p, p->tok.line, "expected one or more exception types");
		}
		expect(p, O_COLON);
		hbody = block(p, is_star ? "'except*' statement" : "'except' statement", hat.line);
		h = mk2(p, PN_EXCEPT_HANDLER, hat, type, hbody);
		NODE(h)->str = name;
		push(p, h);
	}
	handlers = list_from(p, base);
	if (handlers)
		orelse = else_block(p);
	if (p->code == K_FINALLY) {
		unsigned line = p->tok.line;
		advance(p);
		expect(p, O_COLON);
		finalbody = block(p, "'finally' statement", line);
	}
	if (!handlers && !finalbody)
		error_at(p, token_line(p, &p->tok), "expected 'except' or 'finally' block");
	id = mk2(p, star > 0 ? PN_TRY_STAR : PN_TRY, at, body, handlers);
	NODE(id)->c = orelse;
	NODE(id)->d = finalbody;
	return id;
}

/* ---- patterns ---- */

static uint32_t pattern(struct parser *p);

static int is_wildcard(const struct parser *p)
{
	return soft(p, "_");
}

/* pattern_capture_target: a NAME, not '_', not followed by . ( = */
static uint32_t capture_name(struct parser *p)
{
	int next;

	if (p->code != T_NAME)
		invalid(p);
	if (is_wildcard(p))
		error_at(p, p->tok.line, "cannot use '_' as a target");
	next = peek(p);
	if (next == O_DOT || next == O_LPAR || next == O_EQUAL)
		invalid(p);
	return identifier(p);
}

/* A number, or a negative one, or a complex literal `a + bj`. */
static uint32_t signed_number(struct parser *p)
{
	struct pos at = here(p);
	uint32_t e;

	if (accept(p, O_MINUS)) {
		if (p->code != T_NUMBER)
			invalid(p);
		e = number(p);
		e = mk2(p, PN_UNARY_OP, at, e, 0);
		NODE(e)->op = PY_USUB;
	} else {
		e = number(p);
	}
	if (p->code == O_PLUS || p->code == O_MINUS) {
		int op = p->code == O_PLUS ? PY_ADD : PY_SUB;
		uint32_t right, id;
		const struct py_node *left = NODE(e);
		if (left->kind == PN_CONSTANT ? left->op == PY_CONST_COMPLEX :
		    NODE(left->a)->op == PY_CONST_COMPLEX)
			error_at(p, at.line, "real number required in complex literal");
		advance(p);
		if (p->code != T_NUMBER)
			invalid(p);
		right = number(p);
		if (NODE(right)->op != PY_CONST_COMPLEX)
			error_at(p, at.line, "imaginary number required in complex literal");
		id = mk2(p, PN_BIN_OP, at, e, right);
		NODE(id)->op = (uint8_t)op;
		e = id;
	}
	return e;
}

/* name_or_attr: NAME ('.' NAME)*, Load context. */
static uint32_t name_or_attr(struct parser *p)
{
	struct pos at = here(p);
	uint32_t e = name_node(p, PY_LOAD);
	int chain = 0;

	while (accept(p, O_DOT)) {
		uint32_t s, id;
		enter(p);
		chain++;
		s = identifier(p);
		id = mk(p, PN_ATTRIBUTE, at);
		NODE(id)->a = e;
		NODE(id)->str = s;
		e = id;
	}
	p->depth -= chain;
	return e;
}

static uint32_t maybe_star_pattern(struct parser *p)
{
	struct pos at = here(p);
	uint32_t id, name = 0;

	if (p->code != O_STAR)
		return pattern(p);
	advance(p);
	if (is_wildcard(p))
		advance(p);
	else
		name = capture_name(p);
	id = mk(p, PN_MATCH_STAR, at);
	NODE(id)->str = name;
	return id;
}

/* Sequence items up to `close`; returns the list. */
static uint32_t sequence_items(struct parser *p, int close, int *commas)
{
	size_t base = p->sp;

	*commas = 0;
	while (p->code != close) {
		uint32_t e = maybe_star_pattern(p);
		push(p, e);
		if (!accept(p, O_COMMA))
			break;
		(*commas)++;
	}
	expect(p, close);
	return list_from(p, base);
}

static uint32_t mapping_pattern(struct parser *p, struct pos at)
{
	size_t base = p->sp;
	uint32_t keys, patterns, rest = 0, id;

	while (p->code != O_RBRACE) {
		uint32_t key, value;
		if (accept(p, O_DOUBLESTAR)) {
			rest = capture_name(p);
			accept(p, O_COMMA);
			break;
		}
		if (p->code == T_NUMBER || p->code == O_MINUS) {
			key = signed_number(p);
		} else if (p->code == T_STRING) {
			key = strings(p);
		} else if (p->code == K_NONE || p->code == K_TRUE || p->code == K_FALSE) {
			key = constant(p, p->code == K_NONE ? PY_CONST_NONE :
				       p->code == K_TRUE ? PY_CONST_TRUE : PY_CONST_FALSE);
		} else if (p->code == T_NAME) {
			key = name_or_attr(p);
			if (NODE(key)->kind != PN_ATTRIBUTE)
				invalid(p);
		} else {
			invalid(p);
		}
		expect(p, O_COLON);
		value = pattern(p);
		push(p, key);
		push(p, value);
		if (!accept(p, O_COMMA))
			break;
	}
	expect(p, O_RBRACE);
	split_pairs(p, base, &keys, &patterns);
	id = mk2(p, PN_MATCH_MAPPING, at, keys, patterns);
	NODE(id)->str = rest;
	return id;
}

static uint32_t class_pattern(struct parser *p, struct pos at, uint32_t cls)
{
	size_t base = p->sp, kbase;
	uint32_t patterns, names, kpatterns, id;

	advance(p);
	/* positional patterns, then (name, pattern) pairs */
	while (p->code != O_RPAR && !(p->code == T_NAME && peek(p) == O_EQUAL)) {
		uint32_t e = pattern(p);
		push(p, e);
		if (!accept(p, O_COMMA))
			break;
	}
	kbase = p->sp;
	while (p->code != O_RPAR) {
		uint32_t name, e;
		if (!(p->code == T_NAME && peek(p) == O_EQUAL)) {
			if (p->sp > kbase)
				error_at(p, p->tok.line, "positional patterns follow keyword patterns");
			invalid(p);
		}
		name = identifier(p);
		advance(p);
		e = pattern(p);
		push(p, name);
		push(p, e);
		if (!accept(p, O_COMMA))
			break;
	}
	expect(p, O_RPAR);
	split_pairs(p, kbase, &names, &kpatterns);
	patterns = list_from(p, base);
	id = mk2(p, PN_MATCH_CLASS, at, cls, patterns);
	NODE(id)->c = names;
	NODE(id)->d = kpatterns;
	return id;
}

static uint32_t closed_pattern(struct parser *p)
{
	struct pos at = here(p);
	uint32_t e, id, l;
	int commas;

	switch (p->code) {
	case T_NUMBER:
	case O_MINUS:
		e = signed_number(p);
		return mk2(p, PN_MATCH_VALUE, at, e, 0);
	case T_STRING:
		e = strings(p);
		return mk2(p, PN_MATCH_VALUE, at, e, 0);
	case K_NONE:
	case K_TRUE:
	case K_FALSE:
		id = mk(p, PN_MATCH_SINGLETON, at);
		NODE(id)->op = p->code == K_NONE ? PY_CONST_NONE :
			       p->code == K_TRUE ? PY_CONST_TRUE : PY_CONST_FALSE;
		advance(p);
		NODE(id)->end = p->prev_end;
		return id;
	case T_NAME:
		if (peek(p) != O_DOT && peek(p) != O_LPAR) {
			uint32_t name = 0;
			if (is_wildcard(p))
				advance(p);
			else
				name = capture_name(p);
			id = mk(p, PN_MATCH_AS, at);
			NODE(id)->str = name;
			return id;
		}
		e = name_or_attr(p);
		if (p->code == O_LPAR)
			return class_pattern(p, at, e);
		return mk2(p, PN_MATCH_VALUE, at, e, 0);
	case O_LPAR:
		advance(p);
		enter(p);
		if (p->code == O_RPAR) {
			advance(p);
			leave(p);
			return mk(p, PN_MATCH_SEQUENCE, at);
		}
		e = maybe_star_pattern(p);
		if (p->code == O_RPAR) {
			/* a group holds a pattern; (*x) is no sequence */
			if (NODE(e)->kind == PN_MATCH_STAR)
				invalid(p);
			advance(p);
			leave(p);
			return e;
		}
		if (p->code != O_COMMA)
			invalid(p);
		{
			size_t base = p->sp;
			push(p, e);
			while (accept(p, O_COMMA)) {
				uint32_t item;
				if (p->code == O_RPAR)
					break;
				item = maybe_star_pattern(p);
				push(p, item);
			}
			expect(p, O_RPAR);
			leave(p);
			l = list_from(p, base);
		}
		return mk2(p, PN_MATCH_SEQUENCE, at, l, 0);
	case O_LSQB:
		advance(p);
		enter(p);
		l = sequence_items(p, O_RSQB, &commas);
		leave(p);
		return mk2(p, PN_MATCH_SEQUENCE, at, l, 0);
	case O_LBRACE:
		advance(p);
		enter(p);
		e = mapping_pattern(p, at);
		leave(p);
		return e;
	}
	invalid(p);
}

/* or_pattern ['as' NAME] */
static uint32_t pattern(struct parser *p)
{
	struct pos at = here(p);
	size_t base = p->sp;
	uint32_t first, id, l;

	enter(p);
	first = closed_pattern(p);
	if (p->code == O_VBAR) {
		push(p, first);
		while (accept(p, O_VBAR)) {
			uint32_t e = closed_pattern(p);
			push(p, e);
		}
		l = list_from(p, base);
		first = mk2(p, PN_MATCH_OR, at, l, 0);
	}
	if (accept(p, K_AS)) {
		uint32_t name = capture_name(p);
		id = mk2(p, PN_MATCH_AS, at, first, 0);
		NODE(id)->str = name;
		first = id;
	}
	leave(p);
	return first;
}

/* patterns: open_sequence_pattern | pattern */
static uint32_t top_patterns(struct parser *p)
{
	struct pos at = here(p);
	size_t base = p->sp;
	uint32_t first = maybe_star_pattern(p), l;

	if (p->code != O_COMMA) {
		if (NODE(first)->kind == PN_MATCH_STAR)
			invalid(p);
		return first;
	}
	push(p, first);
	while (accept(p, O_COMMA)) {
		uint32_t e;
		if (p->code == O_COLON || p->code == K_IF)
			break;
		e = maybe_star_pattern(p);
		push(p, e);
	}
	l = list_from(p, base);
	return mk2(p, PN_MATCH_SEQUENCE, at, l, 0);
}

/*
 * `match subject:` NEWLINE, tried as CPython does before taking the line
 * as an expression; 0 when it is not a match statement (state restored).
 */
static uint32_t match_statement(struct parser *p)
{
	struct pos at = here(p);
	struct mark m;
	jmp_buf jump, *outer = p->jump;
	uint32_t subject, cases, id;
	size_t base;

	save(p, &m);
	if (setjmp(jump)) {
		p->jump = outer;
		p->attempts--;
		restore(p, &m);
		return 0;
	}
	p->jump = &jump;
	p->attempts++;
	advance(p);
	{
		struct pos sat = here(p);
		size_t sbase = p->sp;
		subject = star_named_expression(p);
		if (p->code == O_COMMA) {
			uint32_t l;
			push(p, subject);
			while (accept(p, O_COMMA)) {
				uint32_t e;
				if (p->code == O_COLON)
					break;
				e = star_named_expression(p);
				push(p, e);
			}
			l = list_from(p, sbase);
			subject = mk2(p, PN_TUPLE, sat, l, 0);
		} else if (NODE(subject)->kind == PN_STARRED) {
			throw(p);
		}
	}
	if (p->code != O_COLON)
		throw(p);
	advance(p);
	if (p->code != T_NEWLINE)
		throw(p);
	p->jump = outer;
	p->attempts--;
	advance(p);
	if (p->code != T_INDENT) {
		char msg[100];
		snprintf(msg, sizeof(msg), "expected an indented block after 'match' statement on line %u",
			 at.line);
		error_at(p, token_line(p, &p->tok), msg);
	}
	advance(p);
	base = p->sp;
	while (p->code != T_DEDENT && p->code != T_END) {
		struct pos cat = here(p);
		uint32_t pat, guard = 0, body, c;
		if (!soft(p, "case"))
			invalid(p);
		advance(p);
		pat = top_patterns(p);
		if (accept(p, K_IF))
			guard = named_expression(p);
		expect(p, O_COLON);
		body = block(p, "'case' statement", cat.line);
		c = mk2(p, PN_MATCH_CASE, cat, pat, guard);
		NODE(c)->c = body;
		push(p, c);
	}
	accept(p, T_DEDENT);
	cases = list_from(p, base);
	id = mk2(p, PN_MATCH, at, subject, cases);
	return id;
}

static void statement(struct parser *p)
{
	struct pos at = here(p);
	uint32_t s;

	switch (p->code) {
	case O_AT: {
		size_t base = p->sp;
		uint32_t decorators;
		while (accept(p, O_AT)) {
			uint32_t d = named_expression(p);
			push(p, d);
			if (p->code != T_NEWLINE)
				invalid(p);
			advance(p);
		}
		decorators = list_from(p, base);
		at = here(p);
		if (p->code == K_DEF) {
			s = function_def(p, at, decorators, 0);
		} else if (p->code == K_ASYNC && peek(p) == K_DEF) {
			advance(p);
			s = function_def(p, at, decorators, 1);
		} else if (p->code == K_CLASS) {
			s = class_def(p, at, decorators);
		} else {
			invalid(p);
		}
		break;
	}
	case K_DEF:
		s = function_def(p, at, 0, 0);
		break;
	case K_CLASS:
		s = class_def(p, at, 0);
		break;
	case K_IF:
		s = if_statement(p, "'if' statement");
		break;
	case K_WHILE:
		s = while_statement(p);
		break;
	case K_FOR:
		s = for_statement(p, at, 0);
		break;
	case K_WITH:
		s = with_statement(p, at, 0);
		break;
	case K_TRY:
		s = try_statement(p);
		break;
	case K_ASYNC:
		switch (peek(p)) {
		case K_DEF:
			advance(p);
			s = function_def(p, at, 0, 1);
			break;
		case K_FOR:
			advance(p);
			s = for_statement(p, at, 1);
			break;
		case K_WITH:
			advance(p);
			s = with_statement(p, at, 1);
			break;
		default:
			advance(p);
			invalid(p);
		}
		break;
	default:
		if (soft(p, "match") && starts_expression(peek(p)) && (s = match_statement(p)))
			break;
		simple_statements(p);
		return;
	}
	push(p, s);
}

/* ---- the tree ---- */

void py_tree_free(struct py_tree *t)
{
	if (!t)
		return;
	free(t->nodes);
	free(t->lists);
	free(t->items);
	free(t->strs);
	free(t->chars);
	free(t->intern);
	free(t);
}

int py_parse(const char *file, const char *src, size_t len, struct py_tree **out)
{
	struct parser *p;
	struct py_tree *t;
	jmp_buf jump;
	size_t base;
	uint32_t body;
	volatile int status = HUB_OK;

	*out = NULL;
	if (len > PY_PARSE_MAX_SOURCE)
		return hub_error(HUB_EFAIL, "%s:1: the module is too large (over %zu bytes)",
				 file, PY_PARSE_MAX_SOURCE);
	p = xcalloc(1, sizeof(*p));
	t = xcalloc(1, sizeof(*t));
	t->file = file;
	p->file = file;
	p->src = src;
	p->len = len;
	p->t = t;
	buf_init(&p->text, BUF_NOLIMIT, "string");
	p->line_at = SIZE_MAX;          /* line_in: nothing cached */
	p->jump = &jump;
	if (setjmp(jump)) {
		status = HUB_EFAIL;
		py_tree_free(t);
		goto done;
	}
	/* Room for what a module of this size usually needs (vision: a node
	 * per 13 bytes), so the arrays are seldom grown and copied; what is
	 * not used of a large block is never touched, so costs no memory. */
	p->node_cap = (uint32_t)(len / 8 + 64);
	p->list_cap = (uint32_t)(len / 16 + 64);
	p->item_cap = (uint32_t)(len / 6 + 64);
	p->str_cap = (uint32_t)(len / 12 + 64);
	p->chars_cap = len + 4096;
	t->nodes = xmalloc(p->node_cap * sizeof(*t->nodes));
	t->lists = xmalloc(p->list_cap * sizeof(*t->lists));
	t->items = xmalloc(p->item_cap * sizeof(*t->items));
	t->strs = xmalloc(p->str_cap * sizeof(*t->strs));
	t->chars = xmalloc(p->chars_cap);
	/* index 0 of each array: the absent node, the empty list, "" */
	mk(p, PN_NONE, here(p));
	t->lists[0].first = t->lists[0].count = 0;
	t->list_count = 1;
	add_str(p, "", 0);
	pyscan_init(&p->scan, file, src, len);
	advance(p);
	base = p->sp;
	while (p->code != T_END)
		statement(p);
	body = list_from(p, base);
	{
		struct pos at = { 1, 0 };
		t->root = mk2(p, PN_MODULE, at, body, 0);
		t->nodes[t->root].end = (uint32_t)len;
	}
	*out = t;
done:
	free(p->stack);
	buf_free(&p->text);
	free(p);
	return status;
}
