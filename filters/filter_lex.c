// SPDX-License-Identifier: Apache-2.0
/*
 * The filter lexer: turns the text into tokens and tracks their position for error columns.
 * The parser says what it expects (enum flt_lex_mode), because the same bytes mean different
 * things in different places: in `proc.name=a=b` the field ends at '=', the operator is '=',
 * and the value is everything up to the next blank: "a=b".
 *
 *   field  = [A-Za-z_] [A-Za-z0-9_.]* [ "[" (any but "]" and blanks)+ "]" ]
 *   bare   = (any but blanks and "(" ")" ",")+
 *   quoted = "'" ... "'" | '"' ... '"', with \\ \' \" \n \r \t \xNN
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "filter_internal.h"

#define ESCAPES "\\\\ \\' \\\" \\n \\r \\t or \\xNN"

static bool _is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

static bool _is_alpha(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

static bool _is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* Ends a bare word. */
static bool _is_stop(char c)
{
	return _is_blank(c) || c == '(' || c == ')' || c == ',';
}

static int _hex(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int flt_err__set(struct sr_filter_err *err, size_t pos, const char *fmt, ...)
{
	va_list ap;

	err->column = pos + 1;
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
	return -EINVAL;
}

int flt_lex__init(struct flt_lex *l, const char *text)
{
	memset(l, 0, sizeof(*l));
	l->text = text;
	l->len = strlen(text);
	l->buf = malloc(l->len + 1);
	if (!l->buf)
		return -ENOMEM;
	return 0;
}

void flt_lex__release(struct flt_lex *l)
{
	free(l->buf);
	l->buf = NULL;
}

static size_t _bare_end(const struct flt_lex *l, size_t pos)
{
	while (pos < l->len && !_is_stop(l->text[pos]))
		pos++;
	return pos;
}

static size_t _ident_end(const struct flt_lex *l, size_t pos)
{
	while (pos < l->len &&
	       (_is_alpha(l->text[pos]) || _is_digit(l->text[pos]) || l->text[pos] == '.'))
		pos++;
	return pos;
}

/* A token of @kind from l->pos to @end. */
static void _take(struct flt_lex *l, struct flt_tok *t, enum flt_tok_kind kind, size_t end)
{
	t->kind = kind;
	t->pos = l->pos;
	t->len = end - l->pos;
	t->val = l->text + l->pos;
	t->val_len = t->len;
	l->pos = end;
}

static bool _word_is(const struct flt_lex *l, size_t end, const char *w)
{
	size_t n = strlen(w);

	return end - l->pos == n && !memcmp(l->text + l->pos, w, n);
}

static int _field(struct flt_lex *l, struct flt_tok *t, struct sr_filter_err *err)
{
	size_t end = _ident_end(l, l->pos);

	if (_word_is(l, end, "and")) {
		_take(l, t, FLT_TOK_AND, end);
		return 0;
	}
	if (_word_is(l, end, "or")) {
		_take(l, t, FLT_TOK_OR, end);
		return 0;
	}
	if (_word_is(l, end, "not")) {
		_take(l, t, FLT_TOK_NOT, end);
		return 0;
	}
	if (end < l->len && l->text[end] == '[') {
		size_t open = end++;

		while (end < l->len && l->text[end] != ']' && !_is_blank(l->text[end]))
			end++;
		if (end == l->len || l->text[end] != ']')
			return flt_err__set(err, open, "'[' without ']' in field name '%.*s'",
					    (int)(end - l->pos > 100 ? 100 : end - l->pos),
					    l->text + l->pos);
		end++;
	}
	_take(l, t, FLT_TOK_FIELD, end);
	return 0;
}

static void _expr(struct flt_lex *l, struct flt_tok *t)
{
	const char *p = l->text + l->pos;
	size_t left = l->len - l->pos;

	if (left >= 2 && p[0] == '&' && p[1] == '&')
		_take(l, t, FLT_TOK_AND, l->pos + 2);
	else if (left >= 2 && p[0] == '|' && p[1] == '|')
		_take(l, t, FLT_TOK_OR, l->pos + 2);
	else if (p[0] == '!' && (left < 2 || p[1] != '='))
		_take(l, t, FLT_TOK_NOT, l->pos + 1);
	else
		_take(l, t, FLT_TOK_OTHER, _bare_end(l, l->pos + 1));
}

static const struct {
	const char *text;
	enum flt_op op;
} _ops[] = {
	/* longest first, so "<=" is not read as "<" */
	{"==", FLT_EQ},
	{"!=", FLT_NE},
	{"<=", FLT_LE},
	{">=", FLT_GE},
	{"=", FLT_EQ},
	{"<", FLT_LT},
	{">", FLT_GT},
	{"contains", FLT_CONTAINS},
	{"icontains", FLT_ICONTAINS},
	{"startswith", FLT_STARTSWITH},
	{"endswith", FLT_ENDSWITH},
	{"glob", FLT_GLOB},
	{"in", FLT_IN},
	{"exists", FLT_EXISTS},
};

static void _op(struct flt_lex *l, struct flt_tok *t)
{
	const char *p = l->text + l->pos;
	size_t left = l->len - l->pos;
	size_t word = _ident_end(l, l->pos) - l->pos;

	for (size_t i = 0; i < sizeof(_ops) / sizeof(_ops[0]); i++) {
		size_t n = strlen(_ops[i].text);

		if (n > left || memcmp(p, _ops[i].text, n))
			continue;
		/* a word operator is a whole word: "inode" is not "in" */
		if (_is_alpha(p[0]) && n != word)
			continue;
		_take(l, t, FLT_TOK_OP, l->pos + n);
		t->op = _ops[i].op;
		return;
	}
	_take(l, t, FLT_TOK_OTHER, _bare_end(l, l->pos + 1));
}

/* Decode the quoted string at l->pos into l->buf. */
static int _quoted(struct flt_lex *l, struct flt_tok *t, struct sr_filter_err *err)
{
	char q = l->text[l->pos];
	size_t pos = l->pos + 1, n = 0;

	for (;;) {
		char c;

		if (pos >= l->len)
			return flt_err__set(err, l->pos, "unterminated string: missing closing %c",
					    q);
		c = l->text[pos];
		if (c == q)
			break;
		if (c != '\\') {
			l->buf[n++] = c;
			pos++;
			continue;
		}
		if (pos + 1 >= l->len)
			return flt_err__set(err, l->pos, "unterminated string: missing closing %c",
					    q);
		switch (l->text[pos + 1]) {
		case '\\':
		case '\'':
		case '"':
			l->buf[n++] = l->text[pos + 1];
			pos += 2;
			break;
		case 'n':
			l->buf[n++] = '\n';
			pos += 2;
			break;
		case 'r':
			l->buf[n++] = '\r';
			pos += 2;
			break;
		case 't':
			l->buf[n++] = '\t';
			pos += 2;
			break;
		case 'x':
			if (pos + 3 >= l->len || _hex(l->text[pos + 2]) < 0 ||
			    _hex(l->text[pos + 3]) < 0)
				return flt_err__set(err, pos,
						    "bad escape: \\x needs two hex digits");
			l->buf[n++] = (char)(_hex(l->text[pos + 2]) * 16 + _hex(l->text[pos + 3]));
			pos += 4;
			break;
		default:
			if (l->text[pos + 1] > ' ' && l->text[pos + 1] < 0x7f)
				return flt_err__set(err, pos,
						    "unknown escape '\\%c' (use " ESCAPES ")",
						    l->text[pos + 1]);
			return flt_err__set(err, pos, "unknown escape (use " ESCAPES ")");
		}
	}
	t->kind = FLT_TOK_VALUE;
	t->pos = l->pos;
	t->len = pos + 1 - l->pos;
	t->val = l->buf;
	t->val_len = n;
	l->buf[n] = '\0';
	l->pos = pos + 1;
	return 0;
}

int flt_lex__next(struct flt_lex *l, enum flt_lex_mode mode, struct flt_tok *t,
		  struct sr_filter_err *err)
{
	char c;

	memset(t, 0, sizeof(*t));
	while (l->pos < l->len && _is_blank(l->text[l->pos]))
		l->pos++;
	if (l->pos == l->len) {
		_take(l, t, FLT_TOK_EOF, l->pos);
		return 0;
	}
	c = l->text[l->pos];
	if (c == '(' || c == ')' || c == ',') {
		_take(l, t,
		      c == '('	 ? FLT_TOK_LPAREN
		      : c == ')' ? FLT_TOK_RPAREN
				 : FLT_TOK_COMMA,
		      l->pos + 1);
		return 0;
	}
	switch (mode) {
	case FLT_LEX_EXPR:
		if (_is_alpha(c))
			return _field(l, t, err);
		_expr(l, t);
		return 0;
	case FLT_LEX_OP:
		_op(l, t);
		return 0;
	case FLT_LEX_VALUE:
		if (c == '\'' || c == '"')
			return _quoted(l, t, err);
		_take(l, t, FLT_TOK_VALUE, _bare_end(l, l->pos));
		return 0;
	}
	return -EINVAL;
}
