// SPDX-License-Identifier: Apache-2.0
/*
 * From the parser's AST to the flat program (see filter_internal.h), the filter's lifecycle,
 * and the text dump of a program that the tests compare.
 *
 * Code generation gives every subtree a "true" and a "false" target.  A comparison jumps to
 * them; `not` swaps them; `a and b` sends a's true to b's first comparison and a's false to
 * the false target; `a or b` the other way round.  A subtree's first comparison is known from
 * the parse (comparisons are in text order), so one pass fills every jump.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "filter_internal.h"

const char *flt_op__name(enum flt_op op)
{
	static const char *const names[] = {
		[FLT_EQ] = "=",
		[FLT_NE] = "!=",
		[FLT_LT] = "<",
		[FLT_LE] = "<=",
		[FLT_GT] = ">",
		[FLT_GE] = ">=",
		[FLT_CONTAINS] = "contains",
		[FLT_ICONTAINS] = "icontains",
		[FLT_STARTSWITH] = "startswith",
		[FLT_ENDSWITH] = "endswith",
		[FLT_GLOB] = "glob",
		[FLT_IN] = "in",
		[FLT_EXISTS] = "exists",
	};

	return (unsigned int)op < sizeof(names) / sizeof(names[0]) ? names[op] : "?";
}

struct flt_insn *flt_prog__add(struct sr_filter *f)
{
	struct flt_insn *in;

	if (f->cnt == f->cap) {
		uint32_t cap = f->cap ? f->cap * 2 : 8;
		struct flt_insn *insns = realloc(f->insns, cap * sizeof(*insns));

		if (!insns)
			return NULL;
		f->insns = insns;
		f->cap = cap;
	}
	in = &f->insns[f->cnt++];
	memset(in, 0, sizeof(*in));
	return in;
}

/* Jumps of subtree @n: to @t when it is true, to @fl when false.  Recursion only goes into
 * the left side of and/or (an operand), whose depth the parser bounds; chains and `not` loop. */
static void _gen(struct sr_filter *f, const struct flt_node *nodes, uint32_t n, uint32_t t,
		 uint32_t fl)
{
	for (;;) {
		const struct flt_node *nd = &nodes[n];
		uint32_t tmp;

		switch (nd->kind) {
		case FLT_N_CMP:
			f->insns[nd->first].jt = t;
			f->insns[nd->first].jf = fl;
			return;
		case FLT_N_NOT:
			tmp = t;
			t = fl;
			fl = tmp;
			n = nd->a;
			break;
		case FLT_N_AND:
			_gen(f, nodes, nd->a, nodes[nd->b].first, fl);
			n = nd->b;
			break;
		case FLT_N_OR:
			_gen(f, nodes, nd->a, t, nodes[nd->b].first);
			n = nd->b;
			break;
		}
	}
}

int sr_filter__compile(const char *text, struct sr_filter **out, struct sr_filter_err *err)
{
	struct sr_filter_err dummy;
	struct flt_ast ast = {0};
	struct sr_filter *f;
	int ret;

	if (!err)
		err = &dummy;
	memset(err, 0, sizeof(*err));
	*out = NULL;
	f = calloc(1, sizeof(*f));
	if (!f) {
		snprintf(err->msg, sizeof(err->msg), "out of memory");
		return -ENOMEM;
	}
	ret = flt_parse(text ? text : "", f, &ast, err);
	if (ret)
		goto out_free;
	if (f->cnt)
		_gen(f, ast.nodes, ast.root, FLT_ACCEPT(f), FLT_REJECT(f));
	*out = f;
	f = NULL;
out_free:
	free(ast.nodes);
	sr_filter__free(f);
	return ret;
}

void sr_filter__free(struct sr_filter *f)
{
	if (!f)
		return;
	for (uint32_t i = 0; i < f->cnt; i++) {
		struct flt_insn *in = &f->insns[i];

		flt_const__release(&in->k);
		for (uint32_t j = 0; j < in->set_cnt; j++)
			flt_const__release(&in->set[j]);
		free(in->set);
	}
	free(f->insns);
	free(f);
}

/* ---- dump ---- */

struct out {
	char *buf;
	size_t sz, len;
};

static void __attribute__((format(printf, 2, 3))) _put(struct out *o, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(o->len < o->sz ? o->buf + o->len : NULL, o->len < o->sz ? o->sz - o->len : 0,
		      fmt, ap);
	va_end(ap);
	if (n > 0)
		o->len += (size_t)n;
}

static void _put_str(struct out *o, const char *s, size_t len)
{
	_put(o, "\"");
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '"' || c == '\\')
			_put(o, "\\%c", c);
		else if (c < 0x20 || c >= 0x7f)
			_put(o, "\\x%02x", c);
		else
			_put(o, "%c", c);
	}
	_put(o, "\"");
}

static void _put_const(struct out *o, const struct flt_const *k, enum sr_ftype type, enum flt_op op)
{
	char ip[INET6_ADDRSTRLEN];
	bool str_op = op >= FLT_CONTAINS && op <= FLT_GLOB;

	if (str_op || type == SR_FT_STR || type == SR_FT_BYTES || type == SR_FT_DYN) {
		_put_str(o, k->s, k->len);
		return;
	}
	switch (type) {
	case SR_FT_BOOL:
		_put(o, "%s", k->num ? "true" : "false");
		break;
	case SR_FT_DURATION:
		_put(o, "%" PRIu64 "ns", k->num);
		break;
	case SR_FT_IPADDR:
		if (!inet_ntop(k->family, k->addr, ip, sizeof(ip)))
			snprintf(ip, sizeof(ip), "?");
		_put(o, "%s", ip);
		if (k->prefix != (k->family == AF_INET ? 32 : 128))
			_put(o, "/%u", k->prefix);
		break;
	default:
		if (k->neg)
			_put(o, "%" PRId64, (int64_t)k->num);
		else
			_put(o, "%" PRIu64, k->num);
		break;
	}
}

static void _put_target(struct out *o, const struct sr_filter *f, uint32_t t)
{
	if (t == FLT_ACCEPT(f))
		_put(o, "accept");
	else if (t == FLT_REJECT(f))
		_put(o, "reject");
	else
		_put(o, "%" PRIu32, t);
}

size_t sr_filter__dump(const struct sr_filter *f, char *buf, size_t sz)
{
	struct out o = {.buf = buf, .sz = sz};

	if (sz)
		buf[0] = '\0';
	if (!f || !f->cnt) {
		_put(&o, "accept\n");
		return o.len;
	}
	for (uint32_t i = 0; i < f->cnt; i++) {
		const struct flt_insn *in = &f->insns[i];
		enum sr_ftype type = in->ref.def->type;

		_put(&o, "%" PRIu32 ": %s", i, in->ref.def->name);
		if (in->ref.idx >= 0)
			_put(&o, "[%" PRId32 "]", in->ref.idx);
		else if (in->ref.name[0])
			_put(&o, ".%s", in->ref.name);
		_put(&o, " %s", flt_op__name(in->op));
		if (in->op == FLT_IN) {
			_put(&o, " (");
			for (uint32_t j = 0; j < in->set_cnt; j++) {
				_put(&o, "%s", j ? ", " : "");
				_put_const(&o, &in->set[j], type, FLT_IN);
			}
			_put(&o, ")");
		} else if (in->op != FLT_EXISTS) {
			_put(&o, " ");
			_put_const(&o, &in->k, type, in->op);
		}
		_put(&o, " ? ");
		_put_target(&o, f, in->jt);
		_put(&o, " : ");
		_put_target(&o, f, in->jf);
		_put(&o, "\n");
	}
	return o.len;
}
