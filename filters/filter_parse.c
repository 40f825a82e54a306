// SPDX-License-Identifier: Apache-2.0
/*
 * The filter parser: recursive descent, one function per production of this grammar
 * (tokens in filter_lex.c; "and", "or", "not" are also written &&, ||, !):
 *
 *   filter     = [ or_expr ] EOF
 *   or_expr    = and_expr { "or" and_expr }
 *   and_expr   = unary { "and" unary }
 *   unary      = "not" unary | primary
 *   primary    = "(" or_expr ")" | comparison
 *   comparison = FIELD "exists"
 *              | BOOL_FIELD                     (= "true": evt.failed, evt.is_io, ...)
 *              | FIELD "in" "(" value { "," value } ")"
 *              | FIELD cmp_op value
 *   cmp_op     = "=" | "==" | "!=" | "<" | "<=" | ">" | ">=" | "contains" | "icontains"
 *              | "startswith" | "endswith" | "glob"
 *   value      = BARE | QUOTED
 *
 * So not binds tighter than and, and tighter than or; and/or chains are built leaning right
 * (a and (b and c)), which lets the code generator walk them in a loop.  Each comparison is
 * resolved and type-checked as soon as it is read, and appended to the program: a program's
 * instructions are its comparisons in text order.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "filter_internal.h"

#define NO_NODE UINT32_MAX

struct parser {
	struct flt_lex lex;
	struct flt_tok tok; /* the current token, read in FLT_LEX_EXPR mode */
	struct sr_filter *f;
	struct flt_ast *ast;
	struct sr_filter_err *err;
	unsigned int depth;
};

static int _or_expr(struct parser *p, uint32_t *out);

static int _nomem(struct parser *p)
{
	flt_err__set(p->err, p->lex.pos, "out of memory");
	return -ENOMEM;
}

/* @t as a message shows it: 'text' or "the end". */
static const char *_desc(const struct parser *p, const struct flt_tok *t, char *buf, size_t sz)
{
	if (t->kind == FLT_TOK_EOF)
		return "the end";
	snprintf(buf, sz, "'%.*s'%s", (int)(t->len > 40 ? 40 : t->len), p->lex.text + t->pos,
		 t->len > 40 ? "..." : "");
	return buf;
}

static int _advance(struct parser *p)
{
	return flt_lex__next(&p->lex, FLT_LEX_EXPR, &p->tok, p->err);
}

static int _node(struct parser *p, enum flt_node_kind kind, uint32_t a, uint32_t b, uint32_t first,
		 uint32_t *out)
{
	struct flt_ast *ast = p->ast;
	struct flt_node *n;

	if (ast->cnt == ast->cap) {
		uint32_t cap = ast->cap ? ast->cap * 2 : 16;
		struct flt_node *nodes = realloc(ast->nodes, cap * sizeof(*nodes));

		if (!nodes)
			return _nomem(p);
		ast->nodes = nodes;
		ast->cap = cap;
	}
	n = &ast->nodes[ast->cnt];
	n->kind = (uint8_t)kind;
	n->a = a;
	n->b = b;
	n->first = first;
	*out = ast->cnt++;
	return 0;
}

/* A constant for insn @idx (its set item @item, or its k when @item is NULL). */
static int _value(struct parser *p, uint32_t idx, struct flt_const *k, const struct flt_tok *t,
		  const char *field)
{
	const struct flt_insn *in = &p->f->insns[idx];
	char msg[sizeof(p->err->msg)];
	int ret;

	ret = flt_const__parse(k, in->ref.def->type, in->op, t->val, t->val_len, field, msg,
			       sizeof(msg));
	if (ret == -ENOMEM)
		return _nomem(p);
	if (ret)
		return flt_err__set(p->err, t->pos, "%s", msg);
	return 0;
}

static int _set_grow(struct parser *p, struct flt_insn *in, uint32_t *cap)
{
	struct flt_const *set;
	uint32_t n;

	if (in->set_cnt < *cap)
		return 0;
	n = *cap ? *cap * 2 : 4;
	set = realloc(in->set, n * sizeof(*set));
	if (!set)
		return _nomem(p);
	in->set = set;
	*cap = n;
	return 0;
}

static enum flt_set_kind _set_kind(enum sr_ftype type)
{
	switch (type) {
	case SR_FT_STR:
	case SR_FT_BYTES:
		return FLT_SET_STR;
	case SR_FT_UINT:
	case SR_FT_INT:
	case SR_FT_BOOL:
	case SR_FT_DURATION:
	case SR_FT_ABSTIME:
		return FLT_SET_NUM;
	default:
		return FLT_SET_LINEAR;
	}
}

/* "(" value { "," value } ")" after `in`, into insn @idx. */
static int _list(struct parser *p, uint32_t idx, const char *field)
{
	struct flt_insn *in = &p->f->insns[idx];
	struct flt_tok t;
	uint32_t cap = 0;
	size_t open;
	char d[64];
	int ret;

	ret = flt_lex__next(&p->lex, FLT_LEX_VALUE, &t, p->err);
	if (ret)
		return ret;
	if (t.kind != FLT_TOK_LPAREN)
		return flt_err__set(p->err, t.pos,
				    "expected '(' and a list of values after 'in', got %s",
				    _desc(p, &t, d, sizeof(d)));
	open = t.pos;
	for (;;) {
		ret = flt_lex__next(&p->lex, FLT_LEX_VALUE, &t, p->err);
		if (ret)
			return ret;
		if (t.kind != FLT_TOK_VALUE)
			return flt_err__set(p->err, t.pos, "expected a value in the list, got %s",
					    _desc(p, &t, d, sizeof(d)));
		ret = _set_grow(p, in, &cap);
		if (ret)
			return ret;
		ret = _value(p, idx, &in->set[in->set_cnt], &t, field);
		if (ret)
			return ret;
		in->set_cnt++;
		ret = flt_lex__next(&p->lex, FLT_LEX_VALUE, &t, p->err);
		if (ret)
			return ret;
		if (t.kind == FLT_TOK_RPAREN)
			break;
		if (t.kind == FLT_TOK_EOF)
			return flt_err__set(
				p->err, t.pos,
				"unbalanced '(': expected ')' to close the list opened at column %zu, got the end",
				open + 1);
		if (t.kind != FLT_TOK_COMMA)
			return flt_err__set(p->err, t.pos,
					    "expected ',' or ')' in the list, got %s",
					    _desc(p, &t, d, sizeof(d)));
	}
	in->set_kind = (uint8_t)_set_kind(in->ref.def->type);
	if (in->set_kind == FLT_SET_STR)
		qsort(in->set, in->set_cnt, sizeof(*in->set), flt_const__cmp_str);
	else if (in->set_kind == FLT_SET_NUM)
		qsort(in->set, in->set_cnt, sizeof(*in->set), flt_const__cmp_num);
	return 0;
}

static int _bare_bool(struct parser *p, const struct sr_field_ref *ref, const char *field,
		      uint32_t *out)
{
	char msg[sizeof(p->err->msg)];
	struct flt_insn *in = flt_prog__add(p->f);
	int ret;

	if (!in)
		return _nomem(p);
	in->op = FLT_EQ;
	in->ref = *ref;
	ret = flt_const__parse(&in->k, SR_FT_BOOL, FLT_EQ, "true", 4, field, msg, sizeof(msg));
	if (ret)
		return ret == -ENOMEM ? _nomem(p) : flt_err__set(p->err, p->tok.pos, "%s", msg);
	return _node(p, FLT_N_CMP, NO_NODE, NO_NODE, p->f->cnt - 1, out);
}

static int _comparison(struct parser *p, uint32_t *out)
{
	struct flt_tok ft = p->tok, op, t;
	char msg[sizeof(p->err->msg)], field[80], d[64];
	struct sr_field_ref ref;
	struct flt_insn *in;
	uint32_t idx;
	int ret;

	ret = sr_field__parse(p->lex.text + ft.pos, ft.len, &ref, msg, sizeof(msg));
	if (ret)
		return flt_err__set(p->err, ft.pos, "%s", msg);
	snprintf(field, sizeof(field), "%.*s", (int)ft.len, p->lex.text + ft.pos);

	ret = flt_lex__next(&p->lex, FLT_LEX_OP, &op, p->err);
	if (ret)
		return ret;
	if (op.kind != FLT_TOK_OP && ref.def->type == SR_FT_BOOL) {
		/* A bool field alone is a test of it: `evt.failed and ...` = `evt.failed=true`. */
		p->lex.pos = op.pos;
		ret = _advance(p);
		if (ret)
			return ret;
		if (p->tok.kind == FLT_TOK_EOF || p->tok.kind == FLT_TOK_AND ||
		    p->tok.kind == FLT_TOK_OR || p->tok.kind == FLT_TOK_RPAREN)
			return _bare_bool(p, &ref, field, out);
		op = p->tok;
	}
	if (op.kind != FLT_TOK_OP)
		return flt_err__set(p->err, op.pos, "expected an operator after '%s', got %s",
				    field, _desc(p, &op, d, sizeof(d)));
	if (!flt_op__valid(op.op, ref.def->type))
		return flt_err__set(p->err, op.pos, "operator '%.*s' does not apply to %s (%s)",
				    (int)op.len, p->lex.text + op.pos, field,
				    sr_ftype__name(ref.def->type));

	in = flt_prog__add(p->f);
	if (!in)
		return _nomem(p);
	idx = p->f->cnt - 1;
	in->op = (uint8_t)op.op;
	in->ref = ref;
	if (op.op == FLT_IN) {
		ret = _list(p, idx, field);
	} else if (op.op != FLT_EXISTS) {
		ret = flt_lex__next(&p->lex, FLT_LEX_VALUE, &t, p->err);
		if (!ret && t.kind != FLT_TOK_VALUE)
			ret = flt_err__set(p->err, t.pos, "expected a value after '%.*s', got %s",
					   (int)op.len, p->lex.text + op.pos,
					   _desc(p, &t, d, sizeof(d)));
		if (!ret)
			ret = _value(p, idx, &in->k, &t, field);
	}
	if (ret)
		return ret;
	ret = _advance(p);
	if (ret)
		return ret;
	return _node(p, FLT_N_CMP, NO_NODE, NO_NODE, idx, out);
}

static int _primary(struct parser *p, uint32_t *out)
{
	size_t open = p->tok.pos;
	char d[64];
	int ret;

	if (p->tok.kind == FLT_TOK_FIELD)
		return _comparison(p, out);
	if (p->tok.kind != FLT_TOK_LPAREN)
		return flt_err__set(p->err, p->tok.pos, "expected a field, 'not' or '(', got %s",
				    _desc(p, &p->tok, d, sizeof(d)));
	if (++p->depth > FLT_MAX_DEPTH)
		return flt_err__set(p->err, open, "too deeply nested (more than %d levels)",
				    FLT_MAX_DEPTH);
	ret = _advance(p);
	if (!ret)
		ret = _or_expr(p, out);
	if (ret)
		return ret;
	if (p->tok.kind == FLT_TOK_EOF)
		return flt_err__set(p->err, p->tok.pos,
				    "unbalanced '(': expected ')' to close the '(' of column %zu, got the end",
				    open + 1);
	if (p->tok.kind != FLT_TOK_RPAREN)
		return flt_err__set(p->err, p->tok.pos, "expected 'and', 'or' or ')', got %s",
				    _desc(p, &p->tok, d, sizeof(d)));
	p->depth--;
	return _advance(p);
}

static int _unary(struct parser *p, uint32_t *out)
{
	size_t pos = p->tok.pos;
	uint32_t a;
	int ret;

	if (p->tok.kind != FLT_TOK_NOT)
		return _primary(p, out);
	if (++p->depth > FLT_MAX_DEPTH)
		return flt_err__set(p->err, pos, "too deeply nested (more than %d levels)",
				    FLT_MAX_DEPTH);
	ret = _advance(p);
	if (!ret)
		ret = _unary(p, &a);
	if (ret)
		return ret;
	p->depth--;
	return _node(p, FLT_N_NOT, a, NO_NODE, p->ast->nodes[a].first, out);
}

/* sub { op sub }, leaning right: the new node replaces the right child of the last one. */
static int _chain(struct parser *p, enum flt_tok_kind op, enum flt_node_kind kind,
		  int (*sub)(struct parser *, uint32_t *), uint32_t *out)
{
	uint32_t last = NO_NODE, b, n;
	int ret;

	ret = sub(p, out);
	while (!ret && p->tok.kind == op) {
		uint32_t a = last == NO_NODE ? *out : p->ast->nodes[last].b;

		ret = _advance(p);
		if (!ret)
			ret = sub(p, &b);
		if (!ret)
			ret = _node(p, kind, a, b, p->ast->nodes[a].first, &n);
		if (ret)
			break;
		if (last == NO_NODE)
			*out = n;
		else
			p->ast->nodes[last].b = n;
		last = n;
	}
	return ret;
}

static int _and_expr(struct parser *p, uint32_t *out)
{
	return _chain(p, FLT_TOK_AND, FLT_N_AND, _unary, out);
}

static int _or_expr(struct parser *p, uint32_t *out)
{
	return _chain(p, FLT_TOK_OR, FLT_N_OR, _and_expr, out);
}

int flt_parse(const char *text, struct sr_filter *f, struct flt_ast *ast, struct sr_filter_err *err)
{
	struct parser p = {.f = f, .ast = ast, .err = err};
	char d[64];
	int ret;

	ret = flt_lex__init(&p.lex, text);
	if (ret) {
		flt_err__set(err, 0, "out of memory");
		return ret;
	}
	ret = _advance(&p);
	if (ret || p.tok.kind == FLT_TOK_EOF)
		goto out_release;
	ret = _or_expr(&p, &ast->root);
	if (ret)
		goto out_release;
	if (p.tok.kind == FLT_TOK_RPAREN)
		ret = flt_err__set(err, p.tok.pos, "unbalanced ')': no '(' to close");
	else if (p.tok.kind != FLT_TOK_EOF)
		ret = flt_err__set(err, p.tok.pos, "expected 'and', 'or' or the end, got %s",
				   _desc(&p, &p.tok, d, sizeof(d)));
out_release:
	flt_lex__release(&p.lex);
	return ret;
}
