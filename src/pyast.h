/*
 * pyast.h - the syntax tree of one Python 3.11 module, as pyparse.c builds
 * it and pyeval.c walks it.
 *
 * The tree mirrors Python's own `ast` module (Parser/Python.asdl of 3.11):
 * one node kind per ast class, fields in ast's order, so `ast.dump()` of
 * Debian's Python is the oracle the tests compare against (py_tree_dump
 * prints hub's tree in that shape). Where ast has a field, the node below
 * says which slot holds it.
 *
 * Layout: every node, list and string lives in arrays owned by the tree and
 * is named by a 32-bit index; index 0 means "absent" for all three (an
 * optional child that is missing, an empty list, no identifier). Nothing
 * points into the tree from outside but indexes, so a tree is one block of
 * memory that can be freed (or kept) at once.
 *
 *   slots a, b, c, d   child nodes, lists or strings, as each kind documents
 *   str                an identifier or a constant's value (a string id)
 *   op                 operator, expr_context, constant type, arg kind ...
 *   num                an int constant's value when it fits, a level ...
 *   line, start, end   the node's first line (from 1) and its extent as byte
 *                      offsets [start, end) in the prepared source, as
 *                      CPython's lineno and end positions give it
 *
 * A list id names tree->lists[id] = {first, count} over tree->items[]: the
 * items are node ids, except where a kind says "ints" (Compare's operators)
 * or "names" (string ids: Global, Nonlocal, MatchClass's kwd_attrs).
 *
 * Strings: tree->strs[id] = {off, len} into tree->chars. Identifiers are
 * interned within a tree (equal names, equal ids) and NFKC-normalisation is
 * not done (see hub(1)). A str constant holds its value decoded as UTF-8
 * (escapes resolved, adjacent literals joined; it may contain NUL bytes);
 * bytes hold their bytes; numbers hold their source text (so a float or an
 * int too big for num can be read again).
 */
#ifndef HUB_PYAST_H
#define HUB_PYAST_H

#include <stddef.h>
#include <stdint.h>

enum py_node_kind {
	PN_NONE = 0,

	PN_MODULE,              /* a: body (list of statements) */

	/* statements */
	PN_FUNCTION_DEF,        /* str: name, a: arguments node, b: body,
				 * c: decorator_list, d: returns */
	PN_ASYNC_FUNCTION_DEF,  /* same as PN_FUNCTION_DEF */
	PN_CLASS_DEF,           /* str: name, a: bases, b: keywords, c: body,
				 * d: decorator_list */
	PN_RETURN,              /* a: value */
	PN_DELETE,              /* a: targets */
	PN_ASSIGN,              /* a: targets, b: value */
	PN_AUG_ASSIGN,          /* a: target, op: operator, b: value */
	PN_ANN_ASSIGN,          /* a: target, b: annotation, c: value,
				 * num: simple (0 or 1) */
	PN_FOR,                 /* a: target, b: iter, c: body, d: orelse */
	PN_ASYNC_FOR,           /* same as PN_FOR */
	PN_WHILE,               /* a: test, b: body, c: orelse */
	PN_IF,                  /* a: test, b: body, c: orelse */
	PN_WITH,                /* a: items (withitem), b: body */
	PN_ASYNC_WITH,          /* same as PN_WITH */
	PN_MATCH,               /* a: subject, b: cases (match_case) */
	PN_RAISE,               /* a: exc, b: cause */
	PN_TRY,                 /* a: body, b: handlers, c: orelse, d: finalbody */
	PN_TRY_STAR,            /* same as PN_TRY */
	PN_ASSERT,              /* a: test, b: msg */
	PN_IMPORT,              /* a: names (alias) */
	PN_IMPORT_FROM,         /* str: module (0: none), a: names (alias),
				 * num: level (the leading dots) */
	PN_GLOBAL,              /* a: names (string ids) */
	PN_NONLOCAL,            /* a: names (string ids) */
	PN_EXPR,                /* a: value */
	PN_PASS,
	PN_BREAK,
	PN_CONTINUE,

	/* expressions */
	PN_BOOL_OP,             /* op: PY_AND/PY_OR, a: values */
	PN_NAMED_EXPR,          /* a: target, b: value */
	PN_BIN_OP,              /* a: left, op: operator, b: right */
	PN_UNARY_OP,            /* op: unary operator, a: operand */
	PN_LAMBDA,              /* a: arguments node, b: body (an expression) */
	PN_IF_EXP,              /* a: test, b: body, c: orelse */
	PN_DICT,                /* a: keys, b: values; a key item 0 is `**value` */
	PN_SET,                 /* a: elts */
	PN_LIST_COMP,           /* a: elt, b: generators (comprehension) */
	PN_SET_COMP,            /* a: elt, b: generators */
	PN_DICT_COMP,           /* a: key, b: value, c: generators */
	PN_GENERATOR_EXP,       /* a: elt, b: generators */
	PN_AWAIT,               /* a: value */
	PN_YIELD,               /* a: value */
	PN_YIELD_FROM,          /* a: value */
	PN_COMPARE,             /* a: left, b: ops (ints, enum py_cmpop),
				 * c: comparators */
	PN_CALL,                /* a: func, b: args, c: keywords */
	PN_FORMATTED_VALUE,     /* a: value, num: conversion (-1, 's', 'r', 'a'),
				 * b: format_spec (a PN_JOINED_STR) */
	PN_JOINED_STR,          /* a: values (PN_CONSTANT str, PN_FORMATTED_VALUE) */
	PN_CONSTANT,            /* op: enum py_const, str: value as above,
				 * num: an int's value when it fits (flags
				 * PY_FLAG_BIGINT when it does not),
				 * flags PY_FLAG_KIND_U for a u"" string */
	PN_ATTRIBUTE,           /* a: value, str: attr, op: ctx */
	PN_SUBSCRIPT,           /* a: value, b: slice, op: ctx */
	PN_STARRED,             /* a: value, op: ctx */
	PN_NAME,                /* str: id, op: ctx */
	PN_LIST,                /* a: elts, op: ctx */
	PN_TUPLE,               /* a: elts, op: ctx */
	PN_SLICE,               /* a: lower, b: upper, c: step */

	/* the other ast classes */
	PN_COMPREHENSION,       /* a: target, b: iter, c: ifs, num: is_async */
	PN_EXCEPT_HANDLER,      /* a: type, str: name, b: body */
	PN_ARGUMENTS,           /* a: every parameter (PN_ARG) in source order:
				 * posonly, normal, vararg, kwonly, kwarg, each
				 * with op = enum py_arg_kind; start/end: the
				 * text between the parentheses (def) or between
				 * `lambda` and `:` */
	PN_ARG,                 /* str: arg, a: annotation, b: its default
				 * value (ast keeps these in arguments.defaults
				 * and kw_defaults), op: enum py_arg_kind */
	PN_KEYWORD,             /* str: arg (0 for `**value`), a: value */
	PN_ALIAS,               /* str: name (dotted, as written), num: asname
				 * (a string id, 0 for none) */
	PN_WITHITEM,            /* a: context_expr, b: optional_vars */
	PN_MATCH_CASE,          /* a: pattern, b: guard, c: body */

	/* patterns */
	PN_MATCH_VALUE,         /* a: value */
	PN_MATCH_SINGLETON,     /* op: PY_CONST_NONE, _TRUE or _FALSE */
	PN_MATCH_SEQUENCE,      /* a: patterns */
	PN_MATCH_MAPPING,       /* a: keys, b: patterns, str: rest */
	PN_MATCH_CLASS,         /* a: cls, b: patterns, c: kwd_attrs (names),
				 * d: kwd_patterns */
	PN_MATCH_STAR,          /* str: name */
	PN_MATCH_AS,            /* a: pattern, str: name */
	PN_MATCH_OR,            /* a: patterns */

	PN_KIND_COUNT
};

enum py_ctx { PY_LOAD = 0, PY_STORE, PY_DEL };

enum py_const {
	PY_CONST_NONE = 0, PY_CONST_TRUE, PY_CONST_FALSE, PY_CONST_ELLIPSIS,
	PY_CONST_INT, PY_CONST_FLOAT, PY_CONST_COMPLEX, PY_CONST_STR,
	PY_CONST_BYTES
};

/* operator, in ast's order */
enum py_binop {
	PY_ADD = 0, PY_SUB, PY_MULT, PY_MATMULT, PY_DIV, PY_MOD, PY_POW,
	PY_LSHIFT, PY_RSHIFT, PY_BITOR, PY_BITXOR, PY_BITAND, PY_FLOORDIV
};
enum py_boolop { PY_AND = 0, PY_OR };
enum py_unaryop { PY_INVERT = 0, PY_NOT, PY_UADD, PY_USUB };
enum py_cmpop {
	PY_EQ = 0, PY_NOTEQ, PY_LT, PY_LTE, PY_GT, PY_GTE, PY_IS, PY_ISNOT,
	PY_IN, PY_NOTIN
};
enum py_arg_kind {
	PY_ARG_POSONLY = 0, PY_ARG_NORMAL, PY_ARG_VARARG, PY_ARG_KWONLY,
	PY_ARG_KWARG
};

#define PY_FLAG_BIGINT  1u
#define PY_FLAG_KIND_U  2u

struct py_node {
	uint8_t kind;           /* enum py_node_kind */
	uint8_t op;
	uint16_t flags;
	uint32_t line;
	uint32_t start, end;
	uint32_t str;
	uint32_t a, b, c, d;
	int64_t num;
};

struct py_span { uint32_t first, count; };
struct py_strref { uint32_t off, len; };

struct py_tree {
	const char *file;       /* as given to py_parse (not copied) */
	struct py_node *nodes;  /* nodes[0] is the absent node */
	uint32_t node_count;
	struct py_span *lists;  /* lists[0] is the empty list */
	uint32_t list_count;
	uint32_t *items;
	uint32_t item_count;
	struct py_strref *strs; /* strs[0] is "" */
	uint32_t str_count;
	char *chars;
	size_t chars_len;
	uint32_t root;          /* the PN_MODULE node */
	/* the parser's private bookkeeping (the intern table) follows */
	uint32_t *intern;
	uint32_t intern_cap;
};

static inline const struct py_node *py_node_at(const struct py_tree *t, uint32_t id)
{
	return &t->nodes[id];
}

static inline uint32_t py_list_len(const struct py_tree *t, uint32_t list)
{
	return t->lists[list].count;
}

static inline uint32_t py_list_at(const struct py_tree *t, uint32_t list, uint32_t i)
{
	return t->items[t->lists[list].first + i];
}

static inline const char *py_str_at(const struct py_tree *t, uint32_t id, size_t *len)
{
	if (len)
		*len = t->strs[id].len;
	return t->chars + t->strs[id].off;
}

#endif
