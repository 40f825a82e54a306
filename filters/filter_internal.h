/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Inside the filter compiler: the lexer (filter_lex.c), the parser that builds a small AST and
 * appends one comparison per leaf to the program (filter_parse.c), the constants pre-parsed
 * into a field's type (filter_const.c), the code generator and lifecycle (filter_compile.c)
 * and the evaluator (filter_eval.c).
 *
 * The program is a flat array of comparisons in the order they appear in the text, classic
 * BPF style: each has a jump target for true (jt) and for false (jf).  Targets only go
 * forward; a target >= cnt ends the run: FLT_ACCEPT(f) matches, FLT_REJECT(f) does not.
 * A program with no comparisons (an empty filter) matches every event.
 */
#ifndef SYSREC_FILTER_INTERNAL_H
#define SYSREC_FILTER_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "fields.h"
#include "filter.h"

/* Nesting of '(' and 'not' the parser accepts; keeps its recursion bounded. */
#define FLT_MAX_DEPTH 100

enum flt_op {
	FLT_EQ,
	FLT_NE,
	FLT_LT,
	FLT_LE,
	FLT_GT,
	FLT_GE,
	FLT_CONTAINS,
	FLT_ICONTAINS,
	FLT_STARTSWITH,
	FLT_ENDSWITH,
	FLT_GLOB,
	FLT_IN,
	FLT_EXISTS,
};

/* Name of @op as the dump shows it ("=", "contains", ...). */
const char *flt_op__name(enum flt_op op);

/* Fill @err: column @pos + 1 and the message.  @return -EINVAL. */
int flt_err__set(struct sr_filter_err *err, size_t pos, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* ---- lexer (filter_lex.c) ---- */

enum flt_tok_kind {
	FLT_TOK_EOF,
	FLT_TOK_LPAREN,
	FLT_TOK_RPAREN,
	FLT_TOK_COMMA,
	FLT_TOK_NOT,   /* "not" or "!" */
	FLT_TOK_AND,   /* "and" or "&&" */
	FLT_TOK_OR,    /* "or" or "||" */
	FLT_TOK_FIELD, /* [A-Za-z_][A-Za-z0-9_.]* with an optional [..] */
	FLT_TOK_OP,    /* a comparison operator (.op) */
	FLT_TOK_VALUE, /* a bare word or a quoted string (.val, .val_len) */
	FLT_TOK_OTHER, /* anything else, up to the next blank or ( ) , */
};

/* What the parser expects next: the lexer reads the same bytes differently in each place
 * (`proc.name=a=b` is a field, an operator and the value "a=b"). */
enum flt_lex_mode {
	FLT_LEX_EXPR,  /* a field, not, and, or, parentheses */
	FLT_LEX_OP,    /* an operator after a field */
	FLT_LEX_VALUE, /* a value, or the parentheses and commas of an `in` list */
};

struct flt_tok {
	enum flt_tok_kind kind;
	size_t pos, len; /* the token's bytes in the text; column = pos + 1 */
	enum flt_op op;	 /* FLT_TOK_OP */
	const char *val; /* FLT_TOK_VALUE: decoded bytes (may hold NULs), valid until the
			  * next flt_lex__next() */
	size_t val_len;
};

struct flt_lex {
	const char *text;
	size_t len, pos;
	char *buf; /* decoded quoted strings; as long as the text, so it never grows */
};

/* @return 0, -ENOMEM. */
int flt_lex__init(struct flt_lex *l, const char *text);
void flt_lex__release(struct flt_lex *l);

/*
 * flt_lex__next - the next token in @mode.
 * @return 0 and *@t; -EINVAL for a malformed token (unterminated string or '[', bad escape)
 *         with @err filled.
 */
int flt_lex__next(struct flt_lex *l, enum flt_lex_mode mode, struct flt_tok *t,
		  struct sr_filter_err *err);

/* ---- constants (filter_const.c) ---- */

enum {
	FLT_K_NUM = 0x1, /* neg, num */
	FLT_K_DUR = 0x2, /* dur: a duration with a unit (dynamic fields only) */
	FLT_K_IP = 0x4,	 /* family, addr, prefix */
};

/* How a glob pattern runs (see flt_const.glob). */
enum flt_glob_kind {
	FLT_GLOB_FULL,	 /* the general matcher */
	FLT_GLOB_EXACT,	 /* no wildcard: "lit" */
	FLT_GLOB_PREFIX, /* "lit*" */
	FLT_GLOB_SUFFIX, /* "*lit" */
	FLT_GLOB_INFIX,	 /* "*lit*" (and "*") */
};

struct flt_const {
	char *s; /* the text, NUL-terminated (lower case for icontains); never NULL */
	size_t len;
	uint8_t has;	/* FLT_K_* */
	bool neg;	/* num is an int64 below 0 */
	uint8_t family; /* AF_INET or AF_INET6 */
	uint8_t prefix; /* network prefix in bits; the full length for an address */
	uint8_t addr[16];
	uint64_t num;
	uint64_t dur;
	uint8_t glob;		   /* enum flt_glob_kind, for FLT_GLOB */
	uint32_t lit_off, lit_len; /* the literal part of s, unless FLT_GLOB_FULL */
};

/*
 * flt_const__parse - @len bytes of @s as a constant of @type for @op on @field (its name as
 * written, for messages).
 * @return 0; -EINVAL with a message in @msg; -ENOMEM.
 */
int flt_const__parse(struct flt_const *k, enum sr_ftype type, enum flt_op op, const char *s,
		     size_t len, const char *field, char *msg, size_t msg_sz);
void flt_const__release(struct flt_const *k);

/* Does @op apply to fields of @type? */
bool flt_op__valid(enum flt_op op, enum sr_ftype type);

/* Order of two constants in a sorted `in` list (string or numeric order). */
int flt_const__cmp_str(const void *a, const void *b);
int flt_const__cmp_num(const void *a, const void *b);

/* ---- program ---- */

enum flt_set_kind {
	FLT_SET_LINEAR, /* try every item (addresses, dynamic fields) */
	FLT_SET_STR,	/* sorted by flt_const__cmp_str */
	FLT_SET_NUM,	/* sorted by flt_const__cmp_num */
};

struct flt_insn {
	uint32_t jt, jf;  /* next insn when the comparison is true / false */
	uint8_t op;	  /* enum flt_op */
	uint8_t set_kind; /* enum flt_set_kind, for FLT_IN */
	uint32_t set_cnt;
	struct flt_const k;    /* the constant, except for FLT_IN and FLT_EXISTS */
	struct flt_const *set; /* FLT_IN: the items */
	struct sr_field_ref ref;
};

struct sr_filter {
	struct flt_insn *insns;
	uint32_t cnt, cap;
};

#define FLT_ACCEPT(f) ((f)->cnt)
#define FLT_REJECT(f) ((f)->cnt + 1)

/* A new zeroed instruction at the end of @f's program (jt and jf to be set by the code
 * generator); NULL when out of memory. */
struct flt_insn *flt_prog__add(struct sr_filter *f);

/* ---- parser (filter_parse.c) ---- */

enum flt_node_kind {
	FLT_N_CMP,
	FLT_N_NOT,
	FLT_N_AND,
	FLT_N_OR,
};

/* Nodes refer to each other by index; a CMP node's comparison is insn `first` of the
 * program, and every subtree's comparisons are the consecutive insns from its `first`. */
struct flt_node {
	uint8_t kind;
	uint32_t a, b;	/* NOT: a; AND, OR: a, b */
	uint32_t first; /* the subtree's first insn */
};

struct flt_ast {
	struct flt_node *nodes;
	uint32_t cnt, cap;
	uint32_t root; /* meaningless when the program is empty */
};

/*
 * flt_parse - parse @text into @ast, appending its comparisons to @f.
 * @return 0; -EINVAL with @err filled; -ENOMEM.  On error both may hold partial results: the
 * caller frees them.
 */
int flt_parse(const char *text, struct sr_filter *f, struct flt_ast *ast,
	      struct sr_filter_err *err);

/* ---- debugging ---- */

/*
 * sr_filter__dump - the compiled program as text, one comparison per line:
 *	0: proc.name = "nginx" ? 1 : reject
 *	1: evt.type in ("open", "openat") ? accept : reject
 * and "accept" alone for an empty filter.  The tests compare this text.
 * @return the length of the whole dump (like snprintf: truncated when >= @sz).
 */
size_t sr_filter__dump(const struct sr_filter *f, char *buf, size_t sz);

#endif
