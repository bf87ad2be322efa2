/*
 * pyparse.h - Python 3.11 source to the syntax tree of pyast.h, and that
 * tree printed as Python's ast.dump() prints it.
 *
 * The parser is recursive descent over pyscan's tokens, one pass, and takes
 * what ast.parse() of Python 3.11 takes: the whole grammar, soft keywords,
 * f-strings (fields parsed as 3.11 parses them, literals joined). It checks
 * what the parser and tokenizer of 3.11 check and nothing more: errors that
 * come from CPython's symbol table or compiler ('return' outside function,
 * duplicate arguments, nonlocal at module level ...) are not reported.
 * Node positions (line, start, end) are ast's lineno and end positions as
 * byte offsets; tests compare them node by node.
 *
 * Memory: py_parse hands the caller a tree that owns all its memory (a few
 * arrays grown by doubling, nothing per node); py_tree_free releases it.
 * The tree keeps a pointer to `file` but not to `src`. Cost is linear in
 * the source; about 50 bytes a node, 10 to 20 nodes per 100 bytes of code.
 *
 * Limits, so hostile input is an error and never a crash or an OOM: the
 * source is at most PY_PARSE_MAX_SOURCE bytes, the tree at most
 * PY_PARSE_MAX_NODES nodes (about 200 MB at the worst), and the code nests
 * at most PY_PARSE_MAX_DEPTH deep, counting what makes the tree deeper:
 * nested expressions and brackets, each operand of a chain `a + b + c`,
 * each trailer of `f().x[0]`, each elif (Python 3.11 itself gives up near
 * 2990 of any of these). The tokenizer's 200 brackets, 100 indentation
 * levels and f-string nesting apply too. So a tree is at most a few times
 * PY_PARSE_MAX_DEPTH deep, and code that walks it recursively may rely on
 * that. Parsing and dumping the deepest input allowed takes under 1 MB of
 * C stack in an -O1 build, under 8 MB with sanitizers.
 *
 * Not exact (differences a caller can see):
 *  - error messages: the line is the line CPython reports (tested on 136
 *    cases, and on fuzzed input); the text is a SyntaxError-like reason,
 *    often plain "invalid syntax" where CPython has a more helpful one;
 *  - for broken f-strings the scanner (PEP 701 style) may find another
 *    extent than 3.11's tokenizer, and so another error and line;
 *  - where CPython's PEG parser backtracks into a shorter alternative to
 *    word an error ("cannot delete starred" for `del *a*[`), or reads a
 *    few tokens past the error and meets a tokenizer error there, hub
 *    reports the token where its own parse failed;
 *  - identifiers are not NFKC-normalised (ast turns U+2177 into "viii");
 *  - positions inside f-string fields are approximate.
 */
#ifndef HUB_PYPARSE_H
#define HUB_PYPARSE_H

#include <stddef.h>

#include "buf.h"
#include "pyast.h"

#define PY_PARSE_MAX_SOURCE ((size_t)16 << 20)
#define PY_PARSE_MAX_NODES (1u << 22)
#define PY_PARSE_MAX_DEPTH 4000

/*
 * Parses src[0..len), text already through py_source_prepare (pyscan.h).
 * On success *out is the tree (free it with py_tree_free) and HUB_OK is
 * returned. On failure *out is NULL and the status is HUB_EFAIL, with one
 * message "file:LINE: reason" (hub_error) at the line CPython 3.11 names,
 * the same status and shape as the tokenizer's errors.
 */
int py_parse(const char *file, const char *src, size_t len, struct py_tree **out);

void py_tree_free(struct py_tree *t);  /* accepts NULL */

/*
 * Appends the tree as ast.dump(ast.parse(source)) of Python 3.11 prints
 * it (default arguments), without a newline. Fails only when out is full.
 */
int py_tree_dump(const struct py_tree *t, struct buf *out);
/*
 * The same with each node's position after its class name, "@LINE:START-END"
 * (byte offsets; "@LINE:START-END:" before a Constant's), for the nodes
 * ast gives positions, except inside f-strings: what tests compare with
 * ast's lineno and end positions.
 */
int py_tree_dump_positions(const struct py_tree *t, struct buf *out);

/*
 * repr() of Python 3.11 for a str value given as UTF-8 (surrogates as
 * their 3-byte forms), for a bytes value, and for a float (shortest
 * round-trip digits). Appended to out.
 */
int py_repr_str(struct buf *out, const char *s, size_t len);
int py_repr_bytes(struct buf *out, const char *s, size_t len);
int py_repr_float(struct buf *out, double v);

/* Python 3.11's character classes (src/pychars.c, generated): whether
 * str.isprintable() holds for cp, and whether an identifier may start
 * with it (XID_Start or '_') or go on with it (XID_Continue). */
int py_is_printable(unsigned long cp);
int py_is_xid_start(unsigned long cp);
int py_is_xid_continue(unsigned long cp);

#endif
