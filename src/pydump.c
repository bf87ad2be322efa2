/*
 * pydump.c - a py_tree printed as ast.dump() of Python 3.11 prints it, and
 * the repr() of str, bytes and float that it needs.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "err.h"
#include "pyast.h"
#include "pyparse.h"
#include "util.h"

/* ---- repr ---- */

/* Decodes one UTF-8 sequence as the parser stores text (surrogates as
 * 3-byte forms); returns its length. */
static size_t utf8_next(const unsigned char *s, size_t left, unsigned long *cp)
{
	size_t n, i;

	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	if (s[0] >= 0xF0) {
		n = 4;
		*cp = s[0] & 0x07;
	} else if (s[0] >= 0xE0) {
		n = 3;
		*cp = s[0] & 0x0F;
	} else {
		n = 2;
		*cp = s[0] & 0x1F;
	}
	if (n > left) {
		*cp = s[0];
		return 1;
	}
	for (i = 1; i < n; i++)
		*cp = (*cp << 6) | (s[i] & 0x3F);
	return n;
}

static int choose_quote(const char *s, size_t len)
{
	return memchr(s, '\'', len) && !memchr(s, '"', len) ? '"' : '\'';
}

int py_repr_str(struct buf *out, const char *s, size_t len)
{
	int quote = choose_quote(s, len), status;
	size_t i = 0;

	if ((status = buf_addch(out, quote)))
		return status;
	while (i < len && !status) {
		unsigned long cp;
		size_t n = utf8_next((const unsigned char *)s + i, len - i, &cp);
		if (cp == (unsigned long)quote || cp == '\\')
			status = buf_addf(out, "\\%c", (int)cp);
		else if (cp == '\t')
			status = buf_addstr(out, "\\t");
		else if (cp == '\n')
			status = buf_addstr(out, "\\n");
		else if (cp == '\r')
			status = buf_addstr(out, "\\r");
		else if (cp < 0x20 || cp == 0x7F)
			status = buf_addf(out, "\\x%02lx", cp);
		else if (cp < 0x7F || py_is_printable(cp))
			status = buf_add(out, s + i, n);
		else if (cp <= 0xFF)
			status = buf_addf(out, "\\x%02lx", cp);
		else if (cp <= 0xFFFF)
			status = buf_addf(out, "\\u%04lx", cp);
		else
			status = buf_addf(out, "\\U%08lx", cp);
		i += n;
	}
	return status ? status : buf_addch(out, quote);
}

int py_repr_bytes(struct buf *out, const char *s, size_t len)
{
	int quote = choose_quote(s, len), status;
	size_t i;

	if ((status = buf_addch(out, 'b')) || (status = buf_addch(out, quote)))
		return status;
	for (i = 0; i < len && !status; i++) {
		int c = (unsigned char)s[i];
		if (c == quote || c == '\\')
			status = buf_addf(out, "\\%c", c);
		else if (c == '\t')
			status = buf_addstr(out, "\\t");
		else if (c == '\n')
			status = buf_addstr(out, "\\n");
		else if (c == '\r')
			status = buf_addstr(out, "\\r");
		else if (c < 0x20 || c >= 0x7F)
			status = buf_addf(out, "\\x%02x", c);
		else
			status = buf_addch(out, c);
	}
	return status ? status : buf_addch(out, quote);
}

/*
 * repr(float) without the ".0" that marks an integral float when add_dot_0
 * is 0 (complex's repr): the shortest digits that read back as v, in
 * exponent form when the exponent is below -4 or above 15.
 */
static int float_repr(struct buf *out, double v, int add_dot_0)
{
	char text[40], digits[20];
	int prec, ndigits = 0, exp10, decpt, status = HUB_OK, i;
	const char *e;

	if (v != v)
		return buf_addstr(out, "nan");
	if (v > 1.7976931348623157e308)
		return buf_addstr(out, "inf");
	if (v < -1.7976931348623157e308)
		return buf_addstr(out, "-inf");
	for (prec = 1; prec <= 17; prec++) {
		snprintf(text, sizeof(text), "%.*e", prec - 1, v);
		if (strtod(text, NULL) == v)
			break;
	}
	i = 0;
	if (text[0] == '-') {
		if ((status = buf_addch(out, '-')))
			return status;
		i = 1;
	}
	for (; text[i] && text[i] != 'e'; i++)
		if (text[i] != '.')
			digits[ndigits++] = text[i];
	e = text + i + 1;
	exp10 = atoi(e);
	while (ndigits > 1 && digits[ndigits - 1] == '0')
		ndigits--;
	digits[ndigits] = '\0';
	decpt = exp10 + 1;
	if (decpt <= -4 || decpt > 16) {
		status = buf_addch(out, digits[0]);
		if (!status && ndigits > 1)
			status = buf_addf(out, ".%s", digits + 1);
		if (!status)
			status = buf_addf(out, "e%c%02d", exp10 < 0 ? '-' : '+', abs(exp10));
		return status;
	}
	if (decpt <= 0) {
		status = buf_addstr(out, "0.");
		for (i = 0; i < -decpt && !status; i++)
			status = buf_addch(out, '0');
		return status ? status : buf_addstr(out, digits);
	}
	if (decpt >= ndigits) {
		status = buf_addstr(out, digits);
		for (i = ndigits; i < decpt && !status; i++)
			status = buf_addch(out, '0');
		return status || !add_dot_0 ? status : buf_addstr(out, ".0");
	}
	status = buf_add(out, digits, (size_t)decpt);
	return status ? status : buf_addf(out, ".%s", digits + decpt);
}

int py_repr_float(struct buf *out, double v)
{
	return float_repr(out, v, 1);
}

/* A number's source text without its underscores (and without a trailing
 * j), for strtod. */
static double number_value(const char *s, size_t len)
{
	char stack[64], *text = len < sizeof(stack) ? stack : xmalloc(len + 1);
	size_t i, n = 0;
	double v;

	for (i = 0; i < len; i++)
		if (s[i] != '_' && s[i] != 'j' && s[i] != 'J')
			text[n++] = s[i];
	text[n] = '\0';
	v = strtod(text, NULL);
	if (text != stack)
		free(text);
	return v;
}

/*
 * An int literal of any size in decimal: base 10^9 limbs. Beyond 4300
 * decimal digits, where Python's own repr() refuses (and so ast.dump), the
 * literal is printed as written: the conversion would cost quadratic time.
 */
static int int_repr(struct buf *out, const char *s, size_t len)
{
	uint32_t *limbs;
	size_t count = 0, i = 0, k;
	int base = 10, status;

	if (len >= 2 && s[0] == '0' && strchr("xXoObB", s[1])) {
		base = (s[1] | 0x20) == 'x' ? 16 : (s[1] | 0x20) == 'o' ? 8 : 2;
		i = 2;
	}
	/* decimal digits per digit of the base, rounded up: 1.21, 0.91, 0.31 */
	if ((len - i) * (base == 16 ? 121 : base == 8 ? 91 : base == 2 ? 31 : 100) > 430000)
		return buf_add(out, s, len);
	limbs = xmalloc((len / 2 + 2) * sizeof(*limbs));
	for (; i < len; i++) {
		int c = (unsigned char)s[i];
		uint64_t carry;
		if (c == '_')
			continue;
		carry = (uint64_t)(c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10);
		for (k = 0; k < count; k++) {
			uint64_t v = (uint64_t)limbs[k] * (uint64_t)base + carry;
			limbs[k] = (uint32_t)(v % 1000000000u);
			carry = v / 1000000000u;
		}
		if (carry)
			limbs[count++] = (uint32_t)carry;
	}
	if (count == 0) {
		status = buf_addch(out, '0');
	} else {
		status = buf_addf(out, "%u", limbs[count - 1]);
		for (k = count - 1; k-- > 0 && !status;)
			status = buf_addf(out, "%09u", limbs[k]);
	}
	free(limbs);
	return status;
}

/* ---- the tree ---- */

struct dump {
	const struct py_tree *t;
	struct buf *out;
	int status;
	int positions;          /* py_tree_dump_positions: 1, 2 inside an f-string */
};

static void put(struct dump *d, const char *s)
{
	if (!d->status)
		d->status = buf_addstr(d->out, s);
}

static void put_str(struct dump *d, uint32_t id)
{
	size_t len;
	const char *s = py_str_at(d->t, id, &len);
	if (!d->status)
		d->status = py_repr_str(d->out, s, len);
}

static void node(struct dump *d, uint32_t id);

static void node_list(struct dump *d, uint32_t list, int none_for_0)
{
	uint32_t i, n = py_list_len(d->t, list);

	put(d, "[");
	for (i = 0; i < n; i++) {
		uint32_t item = py_list_at(d->t, list, i);
		if (i)
			put(d, ", ");
		if (!item && none_for_0)
			put(d, "None");
		else
			node(d, item);
	}
	put(d, "]");
}

static const char *const binops[] = {
	"Add", "Sub", "Mult", "MatMult", "Div", "Mod", "Pow", "LShift", "RShift",
	"BitOr", "BitXor", "BitAnd", "FloorDiv"
};
static const char *const unaryops[] = { "Invert", "Not", "UAdd", "USub" };
static const char *const cmpops[] = {
	"Eq", "NotEq", "Lt", "LtE", "Gt", "GtE", "Is", "IsNot", "In", "NotIn"
};
static const char *const contexts[] = { "Load", "Store", "Del" };

/*
 * Each kind: its ast class and fields, "name=SLOT:TYPE" separated by
 * spaces. Slots: a b c d, s (str), o (op), n (num). Types: N node, O
 * optional node, L list, K list with None for 0, S identifier, T optional
 * identifier, G list of identifiers, X ctx, B binop, U unaryop, P boolop,
 * M list of cmpops, I integer.
 */
static const char *const layout[PN_KIND_COUNT][2] = {
	[PN_MODULE] = { "Module", "body=a:L" },
	[PN_FUNCTION_DEF] = { "FunctionDef", "name=s:S args=a:N body=b:L decorator_list=c:L returns=d:O" },
	[PN_ASYNC_FUNCTION_DEF] = { "AsyncFunctionDef", "name=s:S args=a:N body=b:L decorator_list=c:L returns=d:O" },
	[PN_CLASS_DEF] = { "ClassDef", "name=s:S bases=a:L keywords=b:L body=c:L decorator_list=d:L" },
	[PN_RETURN] = { "Return", "value=a:O" },
	[PN_DELETE] = { "Delete", "targets=a:L" },
	[PN_ASSIGN] = { "Assign", "targets=a:L value=b:N" },
	[PN_AUG_ASSIGN] = { "AugAssign", "target=a:N op=o:B value=b:N" },
	[PN_ANN_ASSIGN] = { "AnnAssign", "target=a:N annotation=b:N value=c:O simple=n:I" },
	[PN_FOR] = { "For", "target=a:N iter=b:N body=c:L orelse=d:L" },
	[PN_ASYNC_FOR] = { "AsyncFor", "target=a:N iter=b:N body=c:L orelse=d:L" },
	[PN_WHILE] = { "While", "test=a:N body=b:L orelse=c:L" },
	[PN_IF] = { "If", "test=a:N body=b:L orelse=c:L" },
	[PN_WITH] = { "With", "items=a:L body=b:L" },
	[PN_ASYNC_WITH] = { "AsyncWith", "items=a:L body=b:L" },
	[PN_MATCH] = { "Match", "subject=a:N cases=b:L" },
	[PN_RAISE] = { "Raise", "exc=a:O cause=b:O" },
	[PN_TRY] = { "Try", "body=a:L handlers=b:L orelse=c:L finalbody=d:L" },
	[PN_TRY_STAR] = { "TryStar", "body=a:L handlers=b:L orelse=c:L finalbody=d:L" },
	[PN_ASSERT] = { "Assert", "test=a:N msg=b:O" },
	[PN_IMPORT] = { "Import", "names=a:L" },
	[PN_IMPORT_FROM] = { "ImportFrom", "module=s:T names=a:L level=n:I" },
	[PN_GLOBAL] = { "Global", "names=a:G" },
	[PN_NONLOCAL] = { "Nonlocal", "names=a:G" },
	[PN_EXPR] = { "Expr", "value=a:N" },
	[PN_PASS] = { "Pass", "" },
	[PN_BREAK] = { "Break", "" },
	[PN_CONTINUE] = { "Continue", "" },
	[PN_BOOL_OP] = { "BoolOp", "op=o:P values=a:L" },
	[PN_NAMED_EXPR] = { "NamedExpr", "target=a:N value=b:N" },
	[PN_BIN_OP] = { "BinOp", "left=a:N op=o:B right=b:N" },
	[PN_UNARY_OP] = { "UnaryOp", "op=o:U operand=a:N" },
	[PN_LAMBDA] = { "Lambda", "args=a:N body=b:N" },
	[PN_IF_EXP] = { "IfExp", "test=a:N body=b:N orelse=c:N" },
	[PN_DICT] = { "Dict", "keys=a:K values=b:L" },
	[PN_SET] = { "Set", "elts=a:L" },
	[PN_LIST_COMP] = { "ListComp", "elt=a:N generators=b:L" },
	[PN_SET_COMP] = { "SetComp", "elt=a:N generators=b:L" },
	[PN_DICT_COMP] = { "DictComp", "key=a:N value=b:N generators=c:L" },
	[PN_GENERATOR_EXP] = { "GeneratorExp", "elt=a:N generators=b:L" },
	[PN_AWAIT] = { "Await", "value=a:N" },
	[PN_YIELD] = { "Yield", "value=a:O" },
	[PN_YIELD_FROM] = { "YieldFrom", "value=a:N" },
	[PN_COMPARE] = { "Compare", "left=a:N ops=b:M comparators=c:L" },
	[PN_CALL] = { "Call", "func=a:N args=b:L keywords=c:L" },
	[PN_FORMATTED_VALUE] = { "FormattedValue", "value=a:N conversion=n:I format_spec=b:O" },
	[PN_JOINED_STR] = { "JoinedStr", "values=a:L" },
	[PN_CONSTANT] = { "Constant", NULL },
	[PN_ATTRIBUTE] = { "Attribute", "value=a:N attr=s:S ctx=o:X" },
	[PN_SUBSCRIPT] = { "Subscript", "value=a:N slice=b:N ctx=o:X" },
	[PN_STARRED] = { "Starred", "value=a:N ctx=o:X" },
	[PN_NAME] = { "Name", "id=s:S ctx=o:X" },
	[PN_LIST] = { "List", "elts=a:L ctx=o:X" },
	[PN_TUPLE] = { "Tuple", "elts=a:L ctx=o:X" },
	[PN_SLICE] = { "Slice", "lower=a:O upper=b:O step=c:O" },
	[PN_COMPREHENSION] = { "comprehension", "target=a:N iter=b:N ifs=c:L is_async=n:I" },
	[PN_EXCEPT_HANDLER] = { "ExceptHandler", "type=a:O name=s:T body=b:L" },
	[PN_ARGUMENTS] = { "arguments", NULL },
	[PN_ARG] = { "arg", "arg=s:S annotation=a:O" },
	[PN_KEYWORD] = { "keyword", "arg=s:T value=a:N" },
	[PN_ALIAS] = { "alias", "name=s:S asname=n:T" },
	[PN_WITHITEM] = { "withitem", "context_expr=a:N optional_vars=b:O" },
	[PN_MATCH_CASE] = { "match_case", "pattern=a:N guard=b:O body=c:L" },
	[PN_MATCH_VALUE] = { "MatchValue", "value=a:N" },
	[PN_MATCH_SINGLETON] = { "MatchSingleton", NULL },
	[PN_MATCH_SEQUENCE] = { "MatchSequence", "patterns=a:L" },
	[PN_MATCH_MAPPING] = { "MatchMapping", "keys=a:L patterns=b:L rest=s:T" },
	[PN_MATCH_CLASS] = { "MatchClass", "cls=a:N patterns=b:L kwd_attrs=c:G kwd_patterns=d:L" },
	[PN_MATCH_STAR] = { "MatchStar", "name=s:T" },
	[PN_MATCH_AS] = { "MatchAs", "pattern=a:O name=s:T" },
	[PN_MATCH_OR] = { "MatchOr", "patterns=a:L" },
};

static const char *const singletons[] = { "None", "True", "False", "Ellipsis" };

static void constant(struct dump *d, const struct py_node *n)
{
	size_t len;
	const char *s = py_str_at(d->t, n->str, &len);

	put(d, "Constant(value=");
	if (d->status)
		return;
	switch (n->op) {
	case PY_CONST_NONE: case PY_CONST_TRUE: case PY_CONST_FALSE: case PY_CONST_ELLIPSIS:
		put(d, singletons[n->op]);
		break;
	case PY_CONST_INT:
		if (n->flags & PY_FLAG_BIGINT)
			d->status = int_repr(d->out, s, len);
		else
			d->status = buf_addf(d->out, "%lld", (long long)n->num);
		break;
	case PY_CONST_FLOAT:
		d->status = float_repr(d->out, number_value(s, len), 1);
		break;
	case PY_CONST_COMPLEX:
		d->status = float_repr(d->out, number_value(s, len), 0);
		put(d, "j");
		break;
	case PY_CONST_STR:
		d->status = py_repr_str(d->out, s, len);
		break;
	case PY_CONST_BYTES:
		d->status = py_repr_bytes(d->out, s, len);
		break;
	}
	if (n->flags & PY_FLAG_KIND_U)
		put(d, ", kind='u'");
	put(d, ")");
}

/* arguments(posonlyargs, args, vararg, kwonlyargs, kw_defaults, kwarg,
 * defaults) from the one list of PN_ARG in source order. */
static void arguments(struct dump *d, const struct py_node *n)
{
	static const char *const groups[] = { "posonlyargs=", ", args=", NULL, ", kwonlyargs=" };
	uint32_t i, count = py_list_len(d->t, n->a), first;
	int kind;

	put(d, "arguments(");
	for (kind = PY_ARG_POSONLY; kind <= PY_ARG_KWARG; kind++) {
		if (kind == PY_ARG_VARARG || kind == PY_ARG_KWARG) {
			for (i = 0; i < count; i++) {
				uint32_t a = py_list_at(d->t, n->a, i);
				if (py_node_at(d->t, a)->op == kind) {
					put(d, kind == PY_ARG_VARARG ? ", vararg=" : ", kwarg=");
					node(d, a);
				}
			}
			continue;
		}
		put(d, groups[kind]);
		put(d, "[");
		for (i = 0, first = 1; i < count; i++) {
			uint32_t a = py_list_at(d->t, n->a, i);
			if (py_node_at(d->t, a)->op != kind)
				continue;
			if (!first)
				put(d, ", ");
			first = 0;
			node(d, a);
		}
		put(d, "]");
		if (kind == PY_ARG_KWONLY) {
			put(d, ", kw_defaults=[");
			for (i = 0, first = 1; i < count; i++) {
				const struct py_node *a = py_node_at(d->t, py_list_at(d->t, n->a, i));
				if (a->op != PY_ARG_KWONLY)
					continue;
				if (!first)
					put(d, ", ");
				first = 0;
				if (a->b)
					node(d, a->b);
				else
					put(d, "None");
			}
			put(d, "]");
		}
	}
	put(d, ", defaults=[");
	for (i = 0, first = 1; i < count; i++) {
		const struct py_node *a = py_node_at(d->t, py_list_at(d->t, n->a, i));
		if ((a->op != PY_ARG_POSONLY && a->op != PY_ARG_NORMAL) || !a->b)
			continue;
		if (!first)
			put(d, ", ");
		first = 0;
		node(d, a->b);
	}
	put(d, "])");
}

/* The ast classes with lineno and end positions. */
static int has_position(int kind)
{
	return (kind >= PN_FUNCTION_DEF && kind <= PN_SLICE) || kind == PN_EXCEPT_HANDLER ||
	       kind == PN_ARG || kind == PN_KEYWORD || kind == PN_ALIAS ||
	       (kind >= PN_MATCH_VALUE && kind <= PN_MATCH_OR);
}

static uint32_t slot(const struct py_node *n, char c)
{
	switch (c) {
	case 'a': return n->a;
	case 'b': return n->b;
	case 'c': return n->c;
	case 'd': return n->d;
	case 's': return n->str;
	case 'o': return n->op;
	}
	return (uint32_t)n->num;
}

static void node(struct dump *d, uint32_t id)
{
	const struct py_node *n = py_node_at(d->t, id);
	const char *f;
	int first = 1;

	if (d->status)
		return;
	if (n->kind == PN_NONE || n->kind >= PN_KIND_COUNT) {
		put(d, "None");
		return;
	}
	if (n->kind == PN_CONSTANT) {
		if (d->positions == 1 && !d->status)
			d->status = buf_addf(d->out, "@%u:%u-%u:", n->line, n->start, n->end);
		constant(d, n);
		return;
	}
	if (n->kind == PN_ARGUMENTS) {
		arguments(d, n);
		return;
	}
	put(d, layout[n->kind][0]);
	if (d->positions == 1 && has_position(n->kind) && !d->status)
		d->status = buf_addf(d->out, "@%u:%u-%u", n->line, n->start, n->end);
	if (n->kind == PN_JOINED_STR && d->positions) {
		int saved = d->positions;
		d->positions = 2;
		put(d, "(values=");
		node_list(d, n->a, 0);
		put(d, ")");
		d->positions = saved;
		return;
	}
	put(d, "(");
	if (n->kind == PN_MATCH_SINGLETON) {
		put(d, "value=");
		put(d, singletons[n->op]);
	}
	for (f = layout[n->kind][1]; f && *f;) {
		const char *eq = strchr(f, '='), *end = strchr(f, ' ');
		char slot_name = eq[1], type = eq[3];
		uint32_t v = slot(n, slot_name), i, count;
		char name[32];

		snprintf(name, sizeof(name), "%.*s", (int)(eq - f + 1), f);
		f = end ? end + 1 : f + strlen(f);
		if ((type == 'O' || type == 'T') && v == 0)
			continue;
		if (!first)
			put(d, ", ");
		first = 0;
		put(d, name);
		switch (type) {
		case 'N': case 'O':
			node(d, v);
			break;
		case 'L': case 'K':
			node_list(d, v, type == 'K');
			break;
		case 'S': case 'T':
			put_str(d, v);
			break;
		case 'G':
			put(d, "[");
			count = py_list_len(d->t, v);
			for (i = 0; i < count; i++) {
				if (i)
					put(d, ", ");
				put_str(d, py_list_at(d->t, v, i));
			}
			put(d, "]");
			break;
		case 'M':
			put(d, "[");
			count = py_list_len(d->t, v);
			for (i = 0; i < count; i++) {
				uint32_t op = py_list_at(d->t, v, i);
				if (i)
					put(d, ", ");
				put(d, op < 10 ? cmpops[op] : "?");
				put(d, "()");
			}
			put(d, "]");
			break;
		case 'X':
			put(d, v < 3 ? contexts[v] : "?");
			put(d, "()");
			break;
		case 'B':
			put(d, v < 13 ? binops[v] : "?");
			put(d, "()");
			break;
		case 'U':
			put(d, v < 4 ? unaryops[v] : "?");
			put(d, "()");
			break;
		case 'P':
			put(d, v ? "Or()" : "And()");
			break;
		case 'I':
			if (!d->status)
				d->status = buf_addf(d->out, "%lld", (long long)n->num);
			break;
		}
	}
	if (n->kind == PN_MODULE)
		put(d, ", type_ignores=[]");
	put(d, ")");
}

int py_tree_dump(const struct py_tree *t, struct buf *out)
{
	struct dump d = { t, out, HUB_OK, 0 };

	node(&d, t->root);
	return d.status;
}

int py_tree_dump_positions(const struct py_tree *t, struct buf *out)
{
	struct dump d = { t, out, HUB_OK, 1 };

	node(&d, t->root);
	return d.status;
}
