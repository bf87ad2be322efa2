/*
 * test_pyscan.c - the Python tokenizer, string literal values, cleandoc and
 * the \N{...} table, where the shell cannot reach: token kinds and extents,
 * indentation tokens, the exact bytes of decoded values.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "buf.h"
#include "err.h"
#include "pyscan.h"
#include "util.h"

/* The token stream of src as one line of text: kinds as letters (N name,
 * 1 number, S string, O op, L newline, > indent, < dedent), each with its
 * text for N, S, O, separated by spaces. */
static char *tokens(const char *text)
{
	struct buf src = BUF_INIT(1 << 20, "src"), out = BUF_INIT(1 << 20, "out");
	struct pyscan s;
	struct py_token t;
	static const char kinds[] = "EN1SOL><";

	buf_addstr(&src, text);
	assert_int_equal(py_source_prepare("t.py", &src), HUB_OK);
	pyscan_init(&s, "t.py", buf_str(&src), src.len);
	for (;;) {
		assert_int_equal(pyscan_next(&s, &t), HUB_OK);
		if (t.kind == PY_END)
			break;
		if (out.len)
			buf_addch(&out, ' ');
		buf_addch(&out, kinds[t.kind]);
		if (t.kind == PY_NAME || t.kind == PY_STRING || t.kind == PY_OP ||
		    t.kind == PY_NUMBER)
			buf_add(&out, src.data + t.start, t.end - t.start);
	}
	buf_free(&src);
	return buf_detach(&out);
}

static void check_tokens(const char *text, const char *want)
{
	char *got = tokens(text);
	if (strcmp(got, want))
		fail_msg("tokens of [%s]:\n got  %s\n want %s", text, got, want);
	free(got);
}

/* The status and message of tokenizing text to the end. */
static void check_error(const char *text, const char *message)
{
	struct buf src = BUF_INIT(1 << 20, "src");
	struct pyscan s;
	struct py_token t;
	int status;

	hub_error_clear();
	buf_add(&src, text, strlen(text));
	status = py_source_prepare("t.py", &src);
	if (!status) {
		pyscan_init(&s, "t.py", buf_str(&src), src.len);
		do
			status = pyscan_next(&s, &t);
		while (!status && t.kind != PY_END);
	}
	buf_free(&src);
	assert_int_equal(status, HUB_EFAIL);
	if (strcmp(hub_error_message(), message))
		fail_msg("[%s]: message '%s', wanted '%s'", text, hub_error_message(), message);
}

/* The value of the first string token of text. */
static void check_value(const char *text, const char *want, size_t want_len)
{
	struct buf src = BUF_INIT(1 << 20, "src"), value = BUF_INIT(1 << 20, "value");
	struct pyscan s;
	struct py_token t;

	buf_addstr(&src, text);
	assert_int_equal(py_source_prepare("t.py", &src), HUB_OK);
	pyscan_init(&s, "t.py", buf_str(&src), src.len);
	do
		assert_int_equal(pyscan_next(&s, &t), HUB_OK);
	while (t.kind != PY_STRING && t.kind != PY_END);
	assert_int_equal(t.kind, PY_STRING);
	assert_int_equal(py_string_value("t.py", src.data, &t, &value), HUB_OK);
	if (value.len != want_len || memcmp(buf_str(&value), want, want_len))
		fail_msg("value of [%s]: got [%s] (%zu bytes)", text, buf_str(&value), value.len);
	buf_free(&src);
	buf_free(&value);
}

static void check_cleandoc(const char *doc, const char *want)
{
	struct buf out = BUF_INIT(1 << 20, "out");

	assert_int_equal(py_cleandoc(doc, strlen(doc), &out), HUB_OK);
	if (strcmp(buf_str(&out), want))
		fail_msg("cleandoc of [%s]: got [%s], wanted [%s]", doc, buf_str(&out), want);
	buf_free(&out);
}

static void names_and_operators(void **state)
{
	check_tokens("x = a.b(c, *d, **e)\n", "Nx O= Na O. Nb O( Nc O, O* Nd O, O** Ne O) L");
	check_tokens("a **= b // c -> d := e ... != f\n",
		      "Na O**= Nb O// Nc O-> Nd O:= Ne O... O!= Nf L");
	check_tokens("x = 0x_1f + 1_000.5e-3j + .5 + 1if y else 2\n",
		      "Nx O= 10x_1f O+ 11_000.5e-3j O+ 1.5 O+ 11 Nif Ny Nelse 12 L");
	check_tokens("caf\xc3\xa9 = 1\n", "Ncaf\xc3\xa9 O= 11 L");
	check_tokens("@decorator\ndef f(): pass\n", "O@ Ndecorator L Ndef Nf O( O) O: Npass L");
}

static void string_prefixes(void **state)
{
	check_tokens("r'a' R\"b\" u'c' U'd' b'e' B'f' br'g' Rb'h' bR'i' rB'j'\n",
		      "Sr'a' SR\"b\" Su'c' SU'd' Sb'e' SB'f' Sbr'g' SRb'h' SbR'i' SrB'j' L");
	check_tokens("f'a' F'b' fr'c' rf'd' Rf'e' fR'f' FR'g'\n",
		      "Sf'a' SF'b' Sfr'c' Srf'd' SRf'e' SfR'f' SFR'g' L");
	/* Not prefixes: names followed by a string. */
	check_tokens("ur'a' bu'b' rr'c' x'd'\n", "Nur S'a' Nbu S'b' Nrr S'c' Nx S'd' L");
	check_tokens("'''a\nb''' \"\"\"c\"\"\" 'it''s'\n",
		      "S'''a\nb''' S\"\"\"c\"\"\" S'it' S's' L");
	check_tokens("'\\'' \"\\\"\" r'\\'' '\\\\'\n", "S'\\'' S\"\\\"\" Sr'\\'' S'\\\\' L");
	check_tokens("'a\\\nb'\n", "S'a\\\nb' L");
}

static void fstrings(void **state)
{
	check_tokens("f'{x}' f'{{}}' f'{x!r:>{w}}' f\"{d['k']}\"\n",
		      "Sf'{x}' Sf'{{}}' Sf'{x!r:>{w}}' Sf\"{d['k']}\" L");
	check_tokens("f'{\"}\"}' f'''{x\n}''' f'{f\"{y}\"}' f'{a:{b}{c}}'\n",
		      "Sf'{\"}\"}' Sf'''{x\n}''' Sf'{f\"{y}\"}' Sf'{a:{b}{c}}' L");
	check_tokens("f'{ {1: 2}[1] }' f'{x[1:2]}' f'{x!=y}' f'\\N{BULLET}{x}'\n",
		      "Sf'{ {1: 2}[1] }' Sf'{x[1:2]}' Sf'{x!=y}' Sf'\\N{BULLET}{x}' L");
	check_tokens("rf'\\{x}' f'{(lambda: 1)()}'\n", "Srf'\\{x}' Sf'{(lambda: 1)()}' L");
	check_error("f'a}'\n", "t.py:1: f-string: single '}' is not allowed");
	check_error("f'{a'\n", "t.py:1: f-string: expecting '}'");
	check_error("f'{a#}'\n", "t.py:1: f-string expression part cannot include '#'");
	check_error("f'{a\\n}'\n", "t.py:1: f-string expression part cannot include a backslash");
	check_error("f'{a\n}'\n", "t.py:1: unterminated string literal");
}

static void lines_and_indentation(void **state)
{
	check_tokens("if a:\n    b\n    c\nd\n", "Nif Na O: L > Nb L Nc L < Nd L");
	check_tokens("if a:\n  if b:\n    c\nd", "Nif Na O: L > Nif Nb O: L > Nc L < < Nd L");
	/* Blank lines, comment lines and brackets make no tokens. */
	check_tokens("a = (1,\n\n  # c\n 2)  # c\n\n   # c\nb\n", "Na O= O( 11 O, 12 O) L Nb L");
	check_tokens("a = 1 + \\\n    2\n", "Na O= 11 O+ 12 L");
	check_tokens("a = 1; b = 2\n", "Na O= 11 O; Nb O= 12 L");
	/* CRLF, CR and a BOM read as Python reads them. */
	check_tokens("\xef\xbb\xbfif a:\r\n    b\r\nc\rd", "Nif Na O: L > Nb L < Nc L Nd L");
	/* A tab is eight columns, and must be so with tabs as one column too. */
	check_tokens("if a:\n\tb\n\tc\n", "Nif Na O: L > Nb L Nc L <");
	check_tokens("if a:\n\f    b\n", "Nif Na O: L > Nb L <");
	check_tokens("", "");
	check_tokens("# only a comment", "");
	check_tokens("x", "Nx L");
}

static void tokenizer_errors(void **state)
{
	check_error("x = 'abc\n", "t.py:1: unterminated string literal");
	check_error("x = 1\ny = '''abc\n\n", "t.py:2: unterminated triple-quoted string literal");
	check_error("x = (1,\n2\n", "t.py:1: '(' was never closed");
	check_error("x = 1)\n", "t.py:1: unmatched ')'");
	check_error("x = (1]\n",
		     "t.py:1: closing parenthesis ']' does not match opening parenthesis '('");
	check_error("if a:\n        b\n\tc\n",
		     "t.py:3: inconsistent use of tabs and spaces in indentation");
	check_error("if a:\n        b\n    c\n",
		     "t.py:3: unindent does not match any outer indentation level");
	check_error("x = $\n", "t.py:1: invalid character '$' (U+0024)");
	check_error("x = a ! b\n", "t.py:1: invalid syntax: '!'");
	check_error("x = 1 \\ 2\n", "t.py:1: unexpected character after line continuation character");
	check_error("x = 1 \\", "t.py:1: unexpected end of file after line continuation character");
	check_error("x = '\xff'\n", "t.py:1: the source is not valid UTF-8");
	check_error("x = '\xc0\xaf'\n", "t.py:1: the source is not valid UTF-8");
	check_error("x = '\xed\xa0\x80'\n", "t.py:1: the source is not valid UTF-8");
	check_error("x = '\xf4\x90\x80\x80'\n", "t.py:1: the source is not valid UTF-8");
	check_error("x = '\xe2\x82'", "t.py:1: the source is not valid UTF-8");
	check_error("\n\x01\n", "t.py:2: invalid non-printable character U+0001");
}

static void absurd_nesting(void **state)
{
	struct buf deep = BUF_INIT(1 << 20, "deep");
	int i;

	for (i = 0; i < 250; i++)
		buf_addch(&deep, '(');
	check_error(buf_str(&deep), "t.py:1: too many nested parentheses");
	buf_reset(&deep);
	for (i = 0; i < 120; i++)
		buf_addf(&deep, "%*sif x:\n", i, "");
	check_error(buf_str(&deep), "t.py:101: too many levels of indentation");
	buf_reset(&deep);
	buf_addstr(&deep, "x = ");
	for (i = 0; i < 40; i++)
		buf_addstr(&deep, i % 2 ? "f\"{" : "f'{");
	check_error(buf_str(&deep), "t.py:1: f-string: expressions nested too deeply");
	buf_free(&deep);
}

static void nul_bytes(void **state)
{
	struct buf src = BUF_INIT(1 << 20, "src");

	buf_add(&src, "x = 1\ny = '\0'\n", 14);
	hub_error_clear();
	assert_int_equal(py_source_prepare("t.py", &src), HUB_EFAIL);
	assert_string_equal(hub_error_message(), "t.py:2: source code cannot contain null bytes");
	buf_free(&src);
}

static void string_values(void **state)
{
	check_value("'a\\tb\\nc\\\\d\\'e\\\"f'", "a\tb\nc\\d'e\"f", 11);
	check_value("'\\a\\b\\f\\r\\v'", "\a\b\f\r\v", 5);
	check_value("'\\x41\\u00e9\\U0001F600'", "A\xc3\xa9\xf0\x9f\x98\x80", 7);
	check_value("'\\101\\0\\7777'", "A\0\xc7\xbf" "7", 5);
	check_value("'\\d\\q\\8'", "\\d\\q\\8", 6);
	check_value("'a\\\nb'", "ab", 2);
	check_value("r'\\n\\x41\\''", "\\n\\x41\\'", 8);
	check_value("'''a\r\nb'''", "a\nb", 3);
	check_value("u'\\N{BULLET}\\N{latin small letter e with acute}'", "\xe2\x80\xa2\xc3\xa9", 5);
	check_value("'\\N{HANGUL SYLLABLE GAG}\\N{CJK UNIFIED IDEOGRAPH-4E00}'",
		     "\xea\xb0\x81\xe4\xb8\x80", 6);
	/* Aliases, and the first and last stored names. */
	check_value("'\\N{LATIN CAPITAL LETTER GHA}\\N{NUL}\\N{BEL}'", "\xc6\xa2\0\a", 4);
	check_value("'\\N{ABACUS}\\N{ZOMBIE}\\N{ZWSP}\\N{BYTE ORDER MARK}'",
		     "\xf0\x9f\xa7\xae\xf0\x9f\xa7\x9f\xe2\x80\x8b\xef\xbb\xbf", 14);
}

static void bad_escapes(void **state)
{
	struct buf src = BUF_INIT(1 << 20, "src"), value = BUF_INIT(1 << 20, "value");
	static const char *const cases[][2] = {
		{ "'\\x4'", "t.py:1: (unicode error) truncated \\x escape" },
		{ "'\\u12'", "t.py:1: (unicode error) truncated \\u escape" },
		{ "'\\U00110000'", "t.py:1: (unicode error) illegal Unicode character" },
		{ "'\\N{NOT A NAME}'", "t.py:1: (unicode error) unknown Unicode character name 'NOT A NAME'" },
		{ "'\\N'", "t.py:1: (unicode error) malformed \\N character escape" },
		{ "'\\N{}'", "t.py:1: (unicode error) malformed \\N character escape" },
		{ "'\\N{hangul syllable GAG}'", "t.py:1: (unicode error) unknown Unicode character name 'hangul syllable GAG'" },
		{ "'''\n\n\\x'''", "t.py:3: (unicode error) truncated \\x escape" },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct pyscan s;
		struct py_token t;

		buf_reset(&src);
		buf_reset(&value);
		buf_addstr(&src, cases[i][0]);
		pyscan_init(&s, "t.py", src.data, src.len);
		assert_int_equal(pyscan_next(&s, &t), HUB_OK);
		assert_int_equal(t.kind, PY_STRING);
		hub_error_clear();
		assert_int_equal(py_string_value("t.py", src.data, &t, &value), HUB_EFAIL);
		if (strcmp(hub_error_message(), cases[i][1]))
			fail_msg("[%s]: '%s'", cases[i][0], hub_error_message());
	}
	buf_free(&src);
	buf_free(&value);
}

static void cleandoc(void **state)
{
	check_cleandoc("Summary.\n\n    Body\n      indented\n    ", "Summary.\n\nBody\n  indented");
	check_cleandoc("\n\n    First.\n    Second.\n\n", "First.\nSecond.");
	check_cleandoc("   Leading spaces go.", "Leading spaces go.");
	check_cleandoc("", "");
	check_cleandoc("   ", "");
	check_cleandoc("a\n\tb\n\t\tc", "a\nb\n        c");
	check_cleandoc("a\n  \t b", "a\nb");
	/* Blank lines do not count for the margin, and keep what is past it. */
	check_cleandoc("a\n        \n    b\n    ", "a\n    \nb");
	/* Unicode spaces are whitespace; the margin is in code points. */
	check_cleandoc("a\n\xc2\xa0\xc2\xa0" "b\n\xc2\xa0\xc2\xa0\xc2\xa0" "c", "a\nb\n\xc2\xa0" "c");
	check_cleandoc("a\r\n    b", "a\r\nb");
}

static void ranges(void **state)
{
	const char *src = "x = f(a,\n      b)";
	struct pyscan s;
	struct py_token t;
	int count = 0;

	/* Inside brackets a range has no NEWLINE and may end unclosed. */
	pyscan_init_range(&s, "t.py", src, 6, strlen(src) - 1, 1, 1);
	for (;;) {
		assert_int_equal(pyscan_next(&s, &t), HUB_OK);
		if (t.kind == PY_END)
			break;
		assert_int_not_equal(t.kind, PY_NEWLINE);
		count++;
	}
	assert_int_equal(count, 3);
	assert_int_equal(t.line, 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(names_and_operators),
		cmocka_unit_test(string_prefixes),
		cmocka_unit_test(fstrings),
		cmocka_unit_test(lines_and_indentation),
		cmocka_unit_test(tokenizer_errors),
		cmocka_unit_test(absurd_nesting),
		cmocka_unit_test(nul_bytes),
		cmocka_unit_test(string_values),
		cmocka_unit_test(bad_escapes),
		cmocka_unit_test(cleandoc),
		cmocka_unit_test(ranges),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
