/*
 * pyscan.c - Python 3 tokenizer, string literal values, inspect.cleandoc.
 *
 * Follows CPython 3.11's Parser/tokenizer.c where the two could differ on
 * valid code; f-strings are scanned with their fields (PEP 701 style), which
 * finds the same extent as 3.11 for everything 3.11 accepts.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <zlib.h>

#include "buf.h"
#include "err.h"
#include "pyscan.h"
#include "util.h"

/* The line of offset at in text, counted only when a message needs it. */
static unsigned line_at(const unsigned char *p, size_t at)
{
	unsigned line = 1;
	size_t i;

	for (i = 0; i < at; i++)
		if (p[i] == '\n' || (p[i] == '\r' && (i + 1 >= at || p[i + 1] != '\n')))
			line++;
	return line;
}

/* Whether any of 8 bytes is >= 0x80, NUL or CR: the bytes the loop below
 * must look at one by one. */
static int plain_word(const unsigned char *p)
{
	const uint64_t ones = 0x0101010101010101u, highs = 0x8080808080808080u;
	uint64_t v, cr;

	memcpy(&v, p, 8);
	cr = v ^ (ones * '\r');
	return !(v & highs) && !((v - ones) & ~v & highs) && !((cr - ones) & ~cr & highs);
}

int py_source_prepare(const char *file, struct buf *src)
{
	unsigned char *p;
	size_t in = 0, out = 0, len = src->len;

	if (!src->data)
		return HUB_OK;
	p = (unsigned char *)src->data;
	if (len >= 3 && p[0] == 0xEF && p[1] == 0xBB && p[2] == 0xBF)
		in = 3;
	while (in < len) {
		unsigned char c = p[in];
		size_t need, k;
		uint32_t cp;

		/* ASCII text, eight bytes at a time, unmoved until a CR or the
		 * BOM shortens it. */
		if (in + 8 <= len && plain_word(p + in)) {
			if (out != in)
				memmove(p + out, p + in, 8);
			in += 8;
			out += 8;
			continue;
		}
		if (c == '\r') {
			p[out++] = '\n';
			in += (in + 1 < len && p[in + 1] == '\n') ? 2 : 1;
			continue;
		}
		if (c == 0)
			return hub_error(HUB_EFAIL, "%s:%u: source code cannot contain null bytes",
					 file, line_at(p, out));
		if (c < 0x80) {
			if (out != in)
				p[out] = c;
			out++;
			in++;
			continue;
		}
		/* UTF-8 as Python's decoder accepts it: shortest form, no
		 * surrogates, nothing above U+10FFFF. */
		if (c >= 0xC2 && c <= 0xDF) {
			need = 1;
			cp = c & 0x1F;
		} else if (c >= 0xE0 && c <= 0xEF) {
			need = 2;
			cp = c & 0x0F;
		} else if (c >= 0xF0 && c <= 0xF4) {
			need = 3;
			cp = c & 0x07;
		} else {
			goto bad;
		}
		if (in + need >= len)
			goto bad;
		for (k = 1; k <= need; k++) {
			if ((p[in + k] & 0xC0) != 0x80)
				goto bad;
			cp = (cp << 6) | (p[in + k] & 0x3F);
		}
		if ((need == 2 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))) ||
		    (need == 3 && (cp < 0x10000 || cp > 0x10FFFF)))
			goto bad;
		if (out != in)
			memmove(p + out, p + in, need + 1);
		out += need + 1;
		in += need + 1;
	}
	src->len = out;
	src->data[out] = '\0';
	return HUB_OK;
bad:
	/* The text before out is already LF-only: count its lines. */
	return hub_error(HUB_EFAIL, "%s:%u: the source is not valid UTF-8", file, line_at(p, out));
}

static void init_common(struct pyscan *s, const char *file, const char *src)
{
	memset(s, 0, sizeof(*s));
	s->file = file;
	s->src = src;
	s->line = 1;
}

void pyscan_init(struct pyscan *s, const char *file, const char *src, size_t len)
{
	init_common(s, file, src);
	s->end = len;
	s->at_line_start = 1;
}

void pyscan_init_range(struct pyscan *s, const char *file, const char *src,
		       size_t start, size_t end, unsigned line, int depth)
{
	int i;

	init_common(s, file, src);
	s->pos = start;
	s->end = end;
	s->line = line;
	if (depth > PY_MAX_DEPTH)
		depth = PY_MAX_DEPTH;
	for (i = 0; i < depth; i++) {
		s->brackets[i] = '(';
		s->bracket_lines[i] = line;
	}
	s->depth = depth;
	s->in_range = 1;
}

static int peek(const struct pyscan *s, size_t ahead)
{
	size_t at = s->pos + ahead;
	return at < s->end ? (unsigned char)s->src[at] : -1;
}

/* At a quote character: whether it ends the string (one quote, or three
 * for a triple-quoted one); if so, steps past it. */
static int closes(struct pyscan *s, int quote, int triple)
{
	if (!triple) {
		s->pos++;
		return 1;
	}
	if (peek(s, 1) == quote && peek(s, 2) == quote) {
		s->pos += 3;
		return 1;
	}
	return 0;
}

/* The bytes a name continues with: letters, digits, '_' and every byte of
 * a UTF-8 sequence (check_identifier in the parser judges those). */
static const unsigned char name_chars[256] = {
	['0' ... '9'] = 1, ['A' ... 'Z'] = 1, ['_'] = 1, ['a' ... 'z'] = 1, [0x80 ... 0xFF] = 1,
};

static int is_name_start(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c >= 0x80;
}

static int is_name_char(int c)
{
	return is_name_start(c) || (c >= '0' && c <= '9');
}

static int is_digit(int c)
{
	return c >= '0' && c <= '9';
}

static int is_quote(int c)
{
	return c == '\'' || c == '"';
}

/* Prefix letters Python accepts before a quote, and what they mean; 0 for
 * a name that is not a prefix. */
static unsigned string_prefix(const char *p, size_t len)
{
	unsigned flags = 0, seen_u = 0;
	size_t i;

	if (len == 0 || len > 2)
		return 0;
	for (i = 0; i < len; i++) {
		switch (p[i] | 0x20) {
		case 'r':
			if (flags & PY_STR_RAW)
				return 0;
			flags |= PY_STR_RAW;
			break;
		case 'b':
			if (flags & (PY_STR_BYTES | PY_STR_FORMAT))
				return 0;
			flags |= PY_STR_BYTES;
			break;
		case 'f':
			if (flags & (PY_STR_BYTES | PY_STR_FORMAT))
				return 0;
			flags |= PY_STR_FORMAT;
			break;
		case 'u':
			if (len != 1)
				return 0;
			seen_u = 1;
			break;
		default:
			return 0;
		}
	}
	return flags | (seen_u ? 0x100u : 0) | 0x200u;
}

static int unterminated(struct pyscan *s, unsigned start_line, int triple)
{
	if (triple)
		return hub_error(HUB_EFAIL, "%s:%u: unterminated triple-quoted string literal",
				 s->file, start_line);
	return hub_error(HUB_EFAIL, "%s:%u: unterminated string literal", s->file, start_line);
}

/* At the opening quote; leaves pos after the closing one. */
static int scan_plain_string(struct pyscan *s, int quote, int triple, unsigned start_line)
{
	s->pos += triple ? 3 : 1;
	for (;;) {
		int c = peek(s, 0);
		if (c < 0)
			return unterminated(s, start_line, triple);
		if (c == '\\') {
			/* Raw or not, a backslash keeps the next character
			 * (a quote, a newline) inside the literal. */
			if (peek(s, 1) == '\n')
				s->line++;
			if (peek(s, 1) < 0)
				return unterminated(s, start_line, triple);
			s->pos += 2;
			continue;
		}
		if (c == '\n') {
			if (!triple)
				return unterminated(s, start_line, 0);
			s->line++;
			s->pos++;
			continue;
		}
		if (c == quote && closes(s, quote, triple))
			return HUB_OK;
		s->pos++;
	}
}

static int scan_string_at(struct pyscan *s, unsigned flags, unsigned start_line, int nesting);

/*
 * Inside an f-string, after '{' (or in a format spec's nested '{'): scans
 * the expression, an optional !conversion and :format spec, through the
 * closing '}'.
 */
static int scan_fstring_field(struct pyscan *s, int quote, int triple, unsigned start_line,
			      int nesting)
{
	int depth = 0, status;

	if (nesting > PY_MAX_FSTRING_NESTING)
		return hub_error(HUB_EFAIL, "%s:%u: f-string: expressions nested too deeply",
				 s->file, s->line);
	for (;;) {
		int c = peek(s, 0);
		if (c < 0)
			return unterminated(s, start_line, triple);
		if (c == '\n') {
			if (!triple)
				return unterminated(s, start_line, 0);
			s->line++;
			s->pos++;
			continue;
		}
		if (c == '\\')
			return hub_error(HUB_EFAIL, "%s:%u: f-string expression part cannot include a backslash",
					 s->file, s->line);
		if (c == '#')
			return hub_error(HUB_EFAIL, "%s:%u: f-string expression part cannot include '#'",
					 s->file, s->line);
		if (is_name_start(c)) {
			size_t start = s->pos;
			unsigned prefix;
			while (is_name_char(peek(s, 0)))
				s->pos++;
			prefix = string_prefix(s->src + start, s->pos - start);
			if (prefix && is_quote(peek(s, 0))) {
				if ((status = scan_string_at(s, prefix, s->line, nesting + 1)))
					return status;
			}
			continue;
		}
		if (is_quote(c)) {
			if (c == quote && (!triple || (peek(s, 1) == quote && peek(s, 2) == quote)))
				return hub_error(HUB_EFAIL, "%s:%u: f-string: expecting '}'",
						 s->file, s->line);
			if ((status = scan_string_at(s, 0x200u, s->line, nesting + 1)))
				return status;
			continue;
		}
		if (c == '(' || c == '[' || c == '{') {
			depth++;
			s->pos++;
			continue;
		}
		if ((c == ')' || c == ']') && depth > 0) {
			depth--;
			s->pos++;
			continue;
		}
		if (c == '}') {
			s->pos++;
			if (depth == 0)
				return HUB_OK;
			depth--;
			continue;
		}
		if (depth == 0 && c == '!' && peek(s, 1) != '=') {
			s->pos++;
			continue;
		}
		if (depth == 0 && c == ':') {
			/* The format spec: text with nested fields, to '}'. */
			s->pos++;
			for (;;) {
				c = peek(s, 0);
				if (c < 0)
					return unterminated(s, start_line, triple);
				if (c == '\n') {
					if (!triple)
						return unterminated(s, start_line, 0);
					s->line++;
				} else if (c == quote && (!triple || (peek(s, 1) == quote &&
								      peek(s, 2) == quote))) {
					return hub_error(HUB_EFAIL, "%s:%u: f-string: expecting '}'",
							 s->file, s->line);
				} else if (c == '{') {
					s->pos++;
					if ((status = scan_fstring_field(s, quote, triple, start_line,
									 nesting + 1)))
						return status;
					continue;
				} else if (c == '}') {
					s->pos++;
					return HUB_OK;
				}
				s->pos++;
			}
		}
		s->pos++;
	}
}

static int scan_fstring(struct pyscan *s, int quote, int triple, int raw, unsigned start_line,
			int nesting)
{
	int status;

	s->pos += triple ? 3 : 1;
	for (;;) {
		int c = peek(s, 0);
		if (c < 0)
			return unterminated(s, start_line, triple);
		if (c == '\\') {
			int next = peek(s, 1);
			if (next < 0)
				return unterminated(s, start_line, triple);
			if (!raw && next == 'N' && peek(s, 2) == '{') {
				/* \N{NAME}: its braces are not a field. */
				s->pos += 3;
				while (peek(s, 0) >= 0 && peek(s, 0) != '}' && peek(s, 0) != quote &&
				       peek(s, 0) != '\n')
					s->pos++;
				if (peek(s, 0) == '}')
					s->pos++;
				continue;
			}
			if (next == '\n')
				s->line++;
			/* The backslash protects a quote, a backslash or a
			 * newline; '{' after it still opens a field. */
			s->pos += (next == '{' || next == '}') ? 1 : 2;
			continue;
		}
		if (c == '\n') {
			if (!triple)
				return unterminated(s, start_line, 0);
			s->line++;
			s->pos++;
			continue;
		}
		if (c == '{') {
			if (peek(s, 1) == '{') {
				s->pos += 2;
				continue;
			}
			s->pos++;
			if ((status = scan_fstring_field(s, quote, triple, start_line, nesting)))
				return status;
			continue;
		}
		if (c == '}') {
			if (peek(s, 1) == '}') {
				s->pos += 2;
				continue;
			}
			return hub_error(HUB_EFAIL, "%s:%u: f-string: single '}' is not allowed",
					 s->file, s->line);
		}
		if (c == quote && closes(s, quote, triple))
			return HUB_OK;
		s->pos++;
	}
}

/* At the opening quote, the prefix already read. */
static int scan_string_at(struct pyscan *s, unsigned flags, unsigned start_line, int nesting)
{
	int quote = peek(s, 0);
	int triple = peek(s, 1) == quote && peek(s, 2) == quote;

	if (nesting > PY_MAX_FSTRING_NESTING)
		return hub_error(HUB_EFAIL, "%s:%u: f-string: expressions nested too deeply",
				 s->file, s->line);
	if (flags & PY_STR_FORMAT)
		return scan_fstring(s, quote, triple, (flags & PY_STR_RAW) != 0, start_line, nesting);
	return scan_plain_string(s, quote, triple, start_line);
}

static int scan_string(struct pyscan *s, struct py_token *tok, size_t start, unsigned flags)
{
	int quote = peek(s, 0);
	int triple = peek(s, 1) == quote && peek(s, 2) == quote;
	int status;

	tok->kind = PY_STRING;
	tok->flags = (flags & (PY_STR_RAW | PY_STR_BYTES | PY_STR_FORMAT)) |
		     (triple ? PY_STR_TRIPLE : 0);
	tok->body_start = s->pos + (triple ? 3 : 1);
	if ((status = scan_string_at(s, flags, tok->line, 0)))
		return status;
	tok->body_end = s->pos - (triple ? 3 : 1);
	tok->start = start;
	return HUB_OK;
}

static void scan_number(struct pyscan *s)
{
	int c = peek(s, 0), next = peek(s, 1);

	if (c == '0' && (next == 'x' || next == 'X' || next == 'o' || next == 'O' ||
			 next == 'b' || next == 'B')) {
		s->pos += 2;
		while (is_name_char(peek(s, 0)) && peek(s, 0) < 0x80)
			s->pos++;
		return;
	}
	while (is_digit(peek(s, 0)) || peek(s, 0) == '_')
		s->pos++;
	if (peek(s, 0) == '.') {
		s->pos++;
		while (is_digit(peek(s, 0)) || peek(s, 0) == '_')
			s->pos++;
	}
	c = peek(s, 0);
	if (c == 'e' || c == 'E') {
		next = peek(s, 1);
		if (is_digit(next) || ((next == '+' || next == '-') && is_digit(peek(s, 2)))) {
			s->pos += 2;
			while (is_digit(peek(s, 0)) || peek(s, 0) == '_')
				s->pos++;
		}
	}
	c = peek(s, 0);
	if (c == 'j' || c == 'J')
		s->pos++;
}

/* The length of Python 3.11's operator at the scanner's position (the
 * longest that matches), 0 when none starts there. */
static size_t operator_length(const struct pyscan *s)
{
	const char *p = s->src + s->pos;
	size_t left = s->end - s->pos;
	char c = p[0], next = left > 1 ? p[1] : 0, third = left > 2 ? p[2] : 0;

	switch (c) {
	case '(': case ')': case '[': case ']': case '{': case '}': case ',': case ';': case '~':
		return 1;
	case '.':
		return next == '.' && third == '.' ? 3 : 1;
	case '*': case '/': case '<': case '>':        /* ** **= // //= << <<= >> >>= */
		if (next == c)
			return third == '=' ? 3 : 2;
		return next == '=' ? 2 : 1;
	case '-':
		return next == '>' || next == '=' ? 2 : 1;
	case '!':
		return next == '=' ? 2 : 0;
	case '+': case '%': case '&': case '|': case '^': case '@': case ':': case '=':
		return next == '=' ? 2 : 1;
	}
	return 0;
}

static int bracket(struct pyscan *s, struct py_token *tok, int c)
{
	if (c == '(' || c == '[' || c == '{') {
		if (s->depth >= PY_MAX_DEPTH)
			return hub_error(HUB_EFAIL, "%s:%u: too many nested parentheses",
					 s->file, s->line);
		tok->depth = s->depth;
		s->brackets[s->depth] = (char)c;
		s->bracket_lines[s->depth] = s->line;
		s->depth++;
		return HUB_OK;
	}
	if (c == ')' || c == ']' || c == '}') {
		int open = c == ')' ? '(' : c == ']' ? '[' : '{';
		if (s->depth == 0)
			return hub_error(HUB_EFAIL, "%s:%u: unmatched '%c'", s->file, s->line, c);
		if (s->brackets[s->depth - 1] != open)
			return hub_error(HUB_EFAIL, "%s:%u: closing parenthesis '%c' does not match opening parenthesis '%c'",
					 s->file, s->line, c, s->brackets[s->depth - 1]);
		s->depth--;
		tok->depth = s->depth;
	}
	return HUB_OK;
}

/* At the start of a line outside brackets: measures the indentation and
 * queues INDENT or DEDENT tokens. Returns 1 when the line is blank or a
 * comment (consumed whole), 0 when it holds code. */
static int indentation(struct pyscan *s, int *status)
{
	int col = 0, altcol = 0, c, top;

	*status = HUB_OK;
	for (;;) {
		c = peek(s, 0);
		if (c == ' ') {
			col++;
			altcol++;
		} else if (c == '\t') {
			col = (col / 8 + 1) * 8;
			altcol++;
		} else if (c == '\f') {
			col = altcol = 0;
		} else {
			break;
		}
		s->pos++;
	}
	if (c == '#') {
		while (peek(s, 0) >= 0 && peek(s, 0) != '\n')
			s->pos++;
		c = peek(s, 0);
	}
	if (c == '\n') {
		s->pos++;
		s->line++;
		return 1;
	}
	if (c < 0)
		return 1;
	if (c == '\\' && peek(s, 1) == '\n') {
		/* A continuation on a blank line: the line goes on below. */
		return 0;
	}
	top = s->indents[s->indent_count];
	if (col == top) {
		if (altcol != s->alt_indents[s->indent_count])
			goto tab_error;
	} else if (col > top) {
		if (s->indent_count + 1 >= PY_MAX_INDENT) {
			*status = hub_error(HUB_EFAIL, "%s:%u: too many levels of indentation",
					    s->file, s->line);
			return 0;
		}
		if (altcol <= s->alt_indents[s->indent_count])
			goto tab_error;
		s->indent_count++;
		s->indents[s->indent_count] = col;
		s->alt_indents[s->indent_count] = altcol;
		s->pending = 1;
	} else {
		while (s->indent_count > 0 && col < s->indents[s->indent_count]) {
			s->indent_count--;
			s->pending--;
		}
		if (col != s->indents[s->indent_count]) {
			*status = hub_error(HUB_EFAIL, "%s:%u: unindent does not match any outer indentation level",
					    s->file, s->line);
			return 0;
		}
		if (altcol != s->alt_indents[s->indent_count])
			goto tab_error;
	}
	return 0;
tab_error:
	*status = hub_error(HUB_EFAIL, "%s:%u: inconsistent use of tabs and spaces in indentation",
			    s->file, s->line);
	return 0;
}

/* End of input: NEWLINE for an unfinished line, then a DEDENT per open
 * block, then PY_END. Returns 1 when tok was filled. */
static int at_end(struct pyscan *s, struct py_token *tok, int *status)
{
	*status = HUB_OK;
	if (s->depth > 0 && !s->in_range) {
		*status = hub_error(HUB_EFAIL, "%s:%u: '%c' was never closed", s->file,
				    s->bracket_lines[s->depth - 1], s->brackets[s->depth - 1]);
		return 1;
	}
	if (s->line_has_tokens && s->depth == 0) {
		tok->kind = PY_NEWLINE;
		s->line_has_tokens = 0;
		return 1;
	}
	if (s->indent_count > 0) {
		s->pending = -s->indent_count;
		s->indent_count = 0;
		return 0;
	}
	s->done = 1;
	tok->kind = PY_END;
	return 1;
}

int pyscan_next(struct pyscan *s, struct py_token *tok)
{
	int c, status;

	memset(tok, 0, sizeof(*tok));
	for (;;) {
		if (s->pending > 0) {
			s->pending--;
			tok->kind = PY_INDENT;
			goto emit_empty;
		}
		if (s->pending < 0) {
			s->pending++;
			tok->kind = PY_DEDENT;
			goto emit_empty;
		}
		if (s->done) {
			tok->kind = PY_END;
			goto emit_empty;
		}
		if (s->at_line_start && s->depth == 0) {
			if (s->pos >= s->end) {
				if (at_end(s, tok, &status))
					goto emit_status;
				continue;
			}
			if (indentation(s, &status))
				continue;
			if (status)
				return status;
			s->at_line_start = 0;
			continue;
		}
		c = peek(s, 0);
		if (c == ' ' || c == '\t' || c == '\f') {
			while (++s->pos < s->end && s->src[s->pos] == ' ')
				;
			continue;
		}
		if (c == '#') {
			const char *newline = memchr(s->src + s->pos, '\n', s->end - s->pos);
			s->pos = newline ? (size_t)(newline - s->src) : s->end;
			continue;
		}
		if (c == '\\') {
			if (peek(s, 1) == '\n') {
				s->pos += 2;
				s->line++;
				/* Python reads on after a continuation; the end of
				 * the file there is an error (an open bracket's
				 * error wins, at the end). */
				if (s->pos >= s->end && s->depth == 0 && !s->in_range)
					return hub_error(HUB_EFAIL, "%s:%u: unexpected EOF while parsing",
							 s->file, s->line - 1);
				continue;
			}
			if (peek(s, 1) < 0)
				return hub_error(HUB_EFAIL, "%s:%u: unexpected end of file after line continuation character",
						 s->file, s->line);
			return hub_error(HUB_EFAIL, "%s:%u: unexpected character after line continuation character",
					 s->file, s->line);
		}
		if (c == '\n') {
			s->pos++;
			if (s->depth > 0 || !s->line_has_tokens) {
				s->line++;
				continue;
			}
			tok->kind = PY_NEWLINE;
			tok->start = s->pos - 1;
			tok->end = s->pos;
			tok->line = s->line++;
			s->at_line_start = 1;
			s->line_has_tokens = 0;
			return HUB_OK;
		}
		if (c < 0) {
			if (at_end(s, tok, &status))
				goto emit_status;
			continue;
		}
		break;
	}

	tok->start = s->pos;
	tok->line = s->line;
	tok->depth = s->depth;
	s->line_has_tokens = 1;
	if (is_name_start(c)) {
		const unsigned char *at = (const unsigned char *)s->src + s->pos + 1,
				    *end = (const unsigned char *)s->src + s->end;
		unsigned prefix, high = (unsigned)c;
		while (at < end && name_chars[*at])
			high |= *at++;
		s->pos = (size_t)(at - (const unsigned char *)s->src);
		if (high & 0x80)
			tok->flags = PY_NAME_WIDE;
		prefix = string_prefix(s->src + tok->start, s->pos - tok->start);
		if (prefix && is_quote(peek(s, 0))) {
			if ((status = scan_string(s, tok, tok->start, prefix)))
				return status;
		} else {
			tok->kind = PY_NAME;
		}
		tok->end = s->pos;
		return HUB_OK;
	}
	if (is_quote(c)) {
		if ((status = scan_string(s, tok, tok->start, 0)))
			return status;
		tok->end = s->pos;
		return HUB_OK;
	}
	if (is_digit(c) || (c == '.' && is_digit(peek(s, 1)))) {
		scan_number(s);
		tok->kind = PY_NUMBER;
		tok->end = s->pos;
		return HUB_OK;
	}
	{
		size_t n = operator_length(s);
		if (!n) {
			if (c == '!')
				return hub_error(HUB_EFAIL, "%s:%u: invalid syntax: '!'", s->file, s->line);
			if (c < 0x20 || c == 0x7F)
				return hub_error(HUB_EFAIL, "%s:%u: invalid non-printable character U+%04X",
						 s->file, s->line, (unsigned)c);
			return hub_error(HUB_EFAIL, "%s:%u: invalid character '%c' (U+%04X)",
					 s->file, s->line, c, (unsigned)c);
		}
		tok->kind = PY_OP;
		if (n == 1 && (status = bracket(s, tok, c)))
			return status;
		s->pos += n;
		tok->end = s->pos;
		return HUB_OK;
	}

emit_status:
	if (status)
		return status;
emit_empty:
	tok->start = tok->end = s->pos;
	tok->line = s->line;
	tok->depth = s->depth;
	return HUB_OK;
}

static const char *const hangul_l[] = {
	"G", "GG", "N", "D", "DD", "R", "M", "B", "BB", "S", "SS", "", "J", "JJ",
	"C", "K", "T", "P", "H"
};
static const char *const hangul_v[] = {
	"A", "AE", "YA", "YAE", "EO", "E", "YEO", "YE", "O", "WA", "WAE", "OE", "YO",
	"U", "WEO", "WE", "WI", "YU", "EU", "YI", "I"
};
static const char *const hangul_t[] = {
	"", "G", "GG", "GS", "N", "NJ", "NH", "D", "L", "LG", "LM", "LB", "LS", "LT",
	"LP", "LH", "M", "B", "BS", "S", "SS", "NG", "J", "C", "K", "T", "P", "H"
};

/* The longest jamo name at p, as CPython's find_syllable picks it. */
static size_t jamo(const char *p, size_t left, const char *const *names, int count, int *index)
{
	size_t best = 0;
	int i;

	*index = -1;
	for (i = 0; i < count; i++) {
		size_t n = strlen(names[i]);
		if (n <= left && (*index < 0 || n > best) && !memcmp(p, names[i], n)) {
			best = n;
			*index = i;
		}
	}
	return best;
}

/* Names CPython computes instead of storing: Hangul syllables and CJK
 * unified ideographs, matched case-sensitively as CPython does. */
static int algorithmic_name(const char *name, size_t len, unsigned long *cp)
{
	static const unsigned long cjk[][2] = {
		{ 0x3400, 0x4DBF }, { 0x4E00, 0x9FFF }, { 0x20000, 0x2A6DF },
		{ 0x2A700, 0x2B738 }, { 0x2B740, 0x2B81D }, { 0x2B820, 0x2CEA1 },
		{ 0x2CEB0, 0x2EBE0 }, { 0x30000, 0x3134A }
	};
	size_t i;

	if (len > 16 && !memcmp(name, "HANGUL SYLLABLE ", 16)) {
		const char *p = name + 16;
		size_t left = len - 16, n;
		int l, v, t;
		n = jamo(p, left, hangul_l, 19, &l);
		p += n, left -= n;
		n = jamo(p, left, hangul_v, 21, &v);
		p += n, left -= n;
		n = jamo(p, left, hangul_t, 28, &t);
		left -= n;
		if (l < 0 || v < 0 || t < 0 || left)
			return 0;
		*cp = 0xAC00 + (unsigned long)((l * 21 + v) * 28 + t);
		return 1;
	}
	if (len > 22 && !memcmp(name, "CJK UNIFIED IDEOGRAPH-", 22)) {
		unsigned long v = 0;
		if (len != 26 && len != 27)
			return 0;
		for (i = 22; i < len; i++) {
			char c = name[i];
			if (c >= '0' && c <= '9')
				v = v * 16 + (unsigned long)(c - '0');
			else if (c >= 'A' && c <= 'F')
				v = v * 16 + (unsigned long)(c - 'A' + 10);
			else
				return 0;
		}
		for (i = 0; i < sizeof(cjk) / sizeof(cjk[0]); i++)
			if (v >= cjk[i][0] && v <= cjk[i][1]) {
				*cp = v;
				return 1;
			}
	}
	return 0;
}

/*
 * The stored names, inflated on the first \N{...} a docstring holds (few
 * do, so most runs never pay): about 380 KB, read-only once built, kept for
 * the life of the process, with the offset of every restart record for a
 * binary search. A failure to inflate leaves the table empty.
 */
static struct {
	unsigned char *names;
	size_t *blocks;
	size_t block_count;
	int state;              /* 0: not loaded, 1: ready, -1: unusable */
} names_table;

static void names_table_load(void)
{
	z_stream z;
	size_t at = 0, index = 0, size = py_unicode_names_size;
	unsigned char *names = xmalloc(size + 1);
	int ok;

	memset(&z, 0, sizeof(z));
	names_table.state = -1;
	if (inflateInit(&z) != Z_OK) {
		free(names);
		return;
	}
	z.next_in = (unsigned char *)py_unicode_names_packed;
	z.avail_in = (uInt)py_unicode_names_packed_size;
	z.next_out = names;
	z.avail_out = (uInt)size;
	ok = inflate(&z, Z_FINISH) == Z_STREAM_END && z.total_out == size;
	inflateEnd(&z);
	if (!ok) {
		free(names);
		return;
	}
	names[size] = '\0';
	names_table.blocks = xmalloc((py_unicode_names_count / py_unicode_names_restart + 1) *
				     sizeof(size_t));
	while (at < size) {
		const unsigned char *end = memchr(names + at + 1, '\0', size - at - 1);
		if (!end || (size_t)(end - names) + 4 > size)
			break;
		if (index++ % py_unicode_names_restart == 0)
			names_table.blocks[names_table.block_count++] = at;
		at = (size_t)(end - names) + 4;
	}
	names_table.names = names;
	names_table.state = 1;
}

static int py_unicode_table_lookup(const char *name, size_t len, unsigned long *cp)
{
	char key[256], current[256];
	size_t lo = 0, hi, i, at;
	unsigned k;

	if (names_table.state == 0)
		names_table_load();
	if (names_table.state != 1 || len == 0 || len >= sizeof(key))
		return 0;
	/* CPython matches stored names without regard to ASCII case. */
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)name[i];
		if (c >= 0x80 || c == 0)
			return 0;
		key[i] = (char)(c >= 'a' && c <= 'z' ? c - 32 : c);
	}
	key[len] = '\0';
	/* The last block whose first (whole) name is <= key. */
	hi = names_table.block_count;
	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;
		if (strcmp((const char *)names_table.names + names_table.blocks[mid] + 1, key) <= 0)
			lo = mid;
		else
			hi = mid;
	}
	at = names_table.blocks[lo];
	for (k = 0; k < py_unicode_names_restart && at < py_unicode_names_size; k++) {
		const unsigned char *record = names_table.names + at;
		size_t shared = record[0], suffix = strlen((const char *)record + 1);
		int order;

		if (shared + suffix >= sizeof(current))
			return 0;
		memcpy(current + shared, record + 1, suffix + 1);
		at += 1 + suffix + 1;
		order = strcmp(current, key);
		if (order == 0) {
			const unsigned char *p = names_table.names + at;
			*cp = ((unsigned long)p[0] << 16) | ((unsigned long)p[1] << 8) | p[2];
			return 1;
		}
		if (order > 0)
			return 0;
		at += 3;
	}
	return 0;
}

int py_unicode_lookup(const char *name, size_t len, unsigned long *cp)
{
	if (algorithmic_name(name, len, cp))
		return 1;
	return py_unicode_table_lookup(name, len, cp);
}

int py_token_is(const char *src, const struct py_token *tok, const char *text)
{
	size_t len;

	/* The first byte settles most calls: no strlen for them. */
	if ((tok->kind != PY_NAME && tok->kind != PY_OP) || src[tok->start] != text[0])
		return 0;
	len = strlen(text);
	return tok->end - tok->start == len && !memcmp(src + tok->start, text, len);
}

int py_utf8_append(struct buf *out, unsigned long cp)
{
	char b[4];
	size_t n;

	if (cp < 0x80) {
		b[0] = (char)cp;
		n = 1;
	} else if (cp < 0x800) {
		b[0] = (char)(0xC0 | (cp >> 6));
		b[1] = (char)(0x80 | (cp & 0x3F));
		n = 2;
	} else if (cp < 0x10000) {
		b[0] = (char)(0xE0 | (cp >> 12));
		b[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		b[2] = (char)(0x80 | (cp & 0x3F));
		n = 3;
	} else {
		b[0] = (char)(0xF0 | (cp >> 18));
		b[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
		b[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
		b[3] = (char)(0x80 | (cp & 0x3F));
		n = 4;
	}
	return buf_add(out, b, n);
}

int py_hex_value(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int py_string_value(const char *file, const char *src, const struct py_token *tok,
		    struct buf *out)
{
	const char *p = src + tok->body_start, *end = src + tok->body_end;
	unsigned line = tok->line;
	int status = HUB_OK;

	if (tok->flags & PY_STR_RAW)
		return buf_add(out, p, (size_t)(end - p));
	while (p < end) {
		const char *run = p;
		unsigned long cp;
		int digits, i;

		while (p < end && *p != '\\') {
			if (*p == '\n')
				line++;
			p++;
		}
		if ((status = buf_add(out, run, (size_t)(p - run))))
			goto done;
		if (p >= end)
			break;
		/* p is at a backslash; the tokenizer guarantees a next byte. */
		p++;
		switch (*p) {
		case '\n': p++; line++; continue;
		case '\\': cp = '\\'; break;
		case '\'': cp = '\''; break;
		case '"': cp = '"'; break;
		case 'a': cp = 7; break;
		case 'b': cp = 8; break;
		case 'f': cp = 12; break;
		case 'n': cp = 10; break;
		case 'r': cp = 13; break;
		case 't': cp = 9; break;
		case 'v': cp = 11; break;
		case '0': case '1': case '2': case '3':
		case '4': case '5': case '6': case '7':
			cp = 0;
			for (i = 0; i < 3 && p < end && *p >= '0' && *p <= '7'; i++)
				cp = cp * 8 + (unsigned long)(*p++ - '0');
			if ((status = py_utf8_append(out, cp)))
				goto done;
			continue;
		case 'x': digits = 2; goto hex;
		case 'u': digits = 4; goto hex;
		case 'U': digits = 8;
		hex:
			cp = 0;
			for (i = 1; i <= digits; i++) {
				int v = p + i < end ? py_hex_value((unsigned char)p[i]) : -1;
				if (v < 0) {
					status = hub_error(HUB_EFAIL, "%s:%u: (unicode error) truncated \\%c escape",
							   file, line, *p);
					goto done;
				}
				cp = cp * 16 + (unsigned long)v;
			}
			if (cp > 0x10FFFF) {
				status = hub_error(HUB_EFAIL, "%s:%u: (unicode error) illegal Unicode character",
						   file, line);
				goto done;
			}
			p += digits + 1;
			if ((status = py_utf8_append(out, cp)))
				goto done;
			continue;
		case 'N': {
			const char *name = p + 2, *close = name;
			if (p + 1 >= end || p[1] != '{') {
				status = hub_error(HUB_EFAIL, "%s:%u: (unicode error) malformed \\N character escape",
						   file, line);
				goto done;
			}
			while (close < end && *close != '}')
				close++;
			if (close >= end || close == name) {
				status = hub_error(HUB_EFAIL, "%s:%u: (unicode error) malformed \\N character escape",
						   file, line);
				goto done;
			}
			if (!py_unicode_lookup(name, (size_t)(close - name), &cp)) {
				/* a name across lines is not quoted: messages are one line */
				if (memchr(name, '\n', (size_t)(close - name)))
					status = hub_error(HUB_EFAIL, "%s:%u: (unicode error) unknown Unicode character name",
							   file, line);
				else
					status = hub_error(HUB_EFAIL, "%s:%u: (unicode error) unknown Unicode character name '%.*s'",
							   file, line, (int)(close - name), name);
				goto done;
			}
			p = close + 1;
			if ((status = py_utf8_append(out, cp)))
				goto done;
			continue;
		}
		default:
			/* An unknown escape stays as written (Python warns). */
			if ((status = buf_addch(out, '\\')))
				goto done;
			continue;
		}
		p++;
		if ((status = buf_addch(out, (int)cp)))
			goto done;
	}
done:
	return status;
}

/* Decodes one UTF-8 sequence (input already validated or produced by us);
 * returns its length. */
static size_t utf8_decode(const unsigned char *p, size_t left, unsigned long *cp)
{
	if (p[0] < 0x80 || left < 2) {
		*cp = p[0];
		return 1;
	}
	if (p[0] < 0xE0) {
		*cp = ((unsigned long)(p[0] & 0x1F) << 6) | (p[1] & 0x3F);
		return 2;
	}
	if (p[0] < 0xF0 || left < 4) {
		if (left < 3) {
			*cp = p[0];
			return 1;
		}
		*cp = ((unsigned long)(p[0] & 0x0F) << 12) | ((unsigned long)(p[1] & 0x3F) << 6) |
		      (p[2] & 0x3F);
		return 3;
	}
	*cp = ((unsigned long)(p[0] & 0x07) << 18) | ((unsigned long)(p[1] & 0x3F) << 12) |
	      ((unsigned long)(p[2] & 0x3F) << 6) | (p[3] & 0x3F);
	return 4;
}

/* str.isspace() of Python 3.11 (Py_UNICODE_ISSPACE). */
static int py_isspace(unsigned long cp)
{
	return (cp >= 9 && cp <= 13) || (cp >= 0x1C && cp <= 0x20) || cp == 0x85 ||
	       cp == 0xA0 || cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200A) ||
	       cp == 0x2028 || cp == 0x2029 || cp == 0x202F || cp == 0x205F || cp == 0x3000;
}

/* One line of the tab-expanded text: [start, end) bytes, its leading
 * whitespace in code points and bytes, and whether anything follows it. */
struct doc_line {
	size_t start, end;
	size_t indent_chars, indent_bytes;
	int blank;
};

static void measure_line(const char *text, struct doc_line *l)
{
	size_t at = l->start;

	l->indent_chars = 0;
	while (at < l->end) {
		unsigned long cp;
		size_t n = utf8_decode((const unsigned char *)text + at, l->end - at, &cp);
		if (!py_isspace(cp))
			break;
		at += n;
		l->indent_chars++;
	}
	l->indent_bytes = at - l->start;
	l->blank = at == l->end;
}

/* The byte length of the first `chars` code points of [start, end). */
static size_t skip_chars(const char *text, size_t start, size_t end, size_t chars)
{
	size_t at = start;
	while (at < end && chars--) {
		unsigned long cp;
		at += utf8_decode((const unsigned char *)text + at, end - at, &cp);
	}
	return at - start;
}

int py_cleandoc(const char *doc, size_t len, struct buf *out)
{
	struct buf expanded = BUF_INIT(BUF_NOLIMIT, "docstring");
	size_t at = 0, col = 0, margin = SIZE_MAX, first = 1, line_start;
	size_t lines = 0, i, first_kept, last_kept;
	struct doc_line l;
	int status = HUB_OK, pass;

	/* str.expandtabs(): columns in code points, reset by \n and \r. */
	while (at < len) {
		unsigned long cp;
		size_t n = utf8_decode((const unsigned char *)doc + at, len - at, &cp);
		if (cp == '\t') {
			size_t spaces = 8 - col % 8;
			col += spaces;
			while (spaces--)
				if ((status = buf_addch(&expanded, ' ')))
					goto done;
		} else {
			if ((status = buf_add(&expanded, doc + at, n)))
				goto done;
			col = (cp == '\n' || cp == '\r') ? 0 : col + 1;
		}
		at += n;
	}
	/* Two passes over the lines: the margin, then the output. Leading and
	 * trailing lines that end up empty are dropped, as cleandoc does. */
	for (pass = 0; pass < 2; pass++) {
		const char *text = buf_str(&expanded);
		size_t text_len = expanded.len;

		lines = 0;
		first_kept = SIZE_MAX;
		last_kept = 0;
		for (line_start = 0, first = 1;; first = 0) {
			const char *nl = memchr(text + line_start, '\n', text_len - line_start);
			size_t kept_start, kept_len;

			l.start = line_start;
			l.end = nl ? (size_t)(nl - text) : text_len;
			measure_line(text, &l);
			if (first) {
				kept_start = l.start + l.indent_bytes;
			} else {
				if (pass == 0 && !l.blank && l.indent_chars < margin)
					margin = l.indent_chars;
				kept_start = l.start + (margin == SIZE_MAX ? 0 :
					skip_chars(text, l.start, l.end, margin));
			}
			kept_len = l.end - kept_start;
			if (pass == 1 && kept_len) {
				if (first_kept == SIZE_MAX)
					first_kept = lines;
				last_kept = lines;
			}
			lines++;
			if (!nl)
				break;
			line_start = l.end + 1;
		}
		if (pass == 1 && first_kept != SIZE_MAX) {
			/* Output lines first_kept..last_kept, joined by \n. */
			for (line_start = 0, i = 0, first = 1;; i++, first = 0) {
				const char *nl = memchr(text + line_start, '\n', text_len - line_start);
				size_t kept_start;

				l.start = line_start;
				l.end = nl ? (size_t)(nl - text) : text_len;
				measure_line(text, &l);
				kept_start = first ? l.start + l.indent_bytes :
					l.start + (margin == SIZE_MAX ? 0 :
						   skip_chars(text, l.start, l.end, margin));
				if (i >= first_kept && i <= last_kept) {
					if (i > first_kept && (status = buf_addch(out, '\n')))
						goto done;
					if ((status = buf_add(out, text + kept_start, l.end - kept_start)))
						goto done;
				}
				if (!nl || i >= last_kept)
					break;
				line_start = l.end + 1;
			}
		}
	}
done:
	buf_free(&expanded);
	return status;
}
