// SPDX-License-Identifier: Apache-2.0
/*
 * Filter evaluation: one loop over the program, one field lookup per comparison reached,
 * no allocation.  The value's own type decides how it is compared: a typed field's constant
 * was parsed into that type at compile time; a dynamic field's value is compared as a number
 * or an address when its constant parsed as one, and as text otherwise.
 */
#include <stdbool.h>
#include <string.h>
#include <sys/socket.h>

#include "filter_internal.h"

/* A value's text, formatted at most once per comparison (dynamic fields). */
struct vtext {
	const char *s;
	size_t len;
	char buf[64]; /* fits any number or address */
};

static const uint8_t _v4mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};

/* memcmp() for possibly empty (and then possibly NULL) memory. */
static inline bool _mem_eq(const void *a, const void *b, size_t n)
{
	return !n || !memcmp(a, b, n);
}

static inline int _bytes_cmp(const char *a, size_t alen, const char *b, size_t blen)
{
	size_t n = alen < blen ? alen : blen;
	int c = n ? memcmp(a, b, n) : 0;

	if (c)
		return c;
	return alen < blen ? -1 : alen > blen;
}

static inline bool _rel(enum flt_op op, int c)
{
	switch (op) {
	case FLT_EQ:
		return c == 0;
	case FLT_NE:
		return c != 0;
	case FLT_LT:
		return c < 0;
	case FLT_LE:
		return c <= 0;
	case FLT_GT:
		return c > 0;
	case FLT_GE:
		return c >= 0;
	default:
		return false;
	}
}

/* ASCII lower case without a branch: this runs over whole I/O buffers. */
static inline unsigned char _lower(unsigned char c)
{
	return (unsigned char)(c + (((unsigned int)(c - 'A') < 26u) << 5));
}

/* @k is already lower case. */
static bool _icontains(const char *s, size_t len, const char *k, size_t klen)
{
	unsigned char k0;

	if (!klen)
		return true;
	if (klen > len)
		return false;
	k0 = (unsigned char)k[0];
	for (size_t i = 0; i <= len - klen; i++) {
		size_t j = 1;

		if (_lower((unsigned char)s[i]) != k0)
			continue;
		while (j < klen && _lower((unsigned char)s[i + j]) == (unsigned char)k[j])
			j++;
		if (j == klen)
			return true;
	}
	return false;
}

/* Does @c match the class "[...]" at p[@i]?  @return 1 or 0 with *@end just after the ']',
 * or -1 when there is no closing ']' (the '[' is then an ordinary character, as in fnmatch). */
static int _class(const char *p, size_t plen, size_t i, unsigned char c, size_t *end)
{
	size_t j = i + 1, first;
	bool neg = false, match = false;

	if (j < plen && (p[j] == '!' || p[j] == '^')) {
		neg = true;
		j++;
	}
	first = j;
	/* a ']' right after the '[' (or '[!') is a member, not the end */
	while (j < plen && (p[j] != ']' || j == first)) {
		unsigned char lo = (unsigned char)p[j], hi;

		if (lo == '\\' && j + 1 < plen)
			lo = (unsigned char)p[++j];
		hi = lo;
		if (j + 2 < plen && p[j + 1] == '-' && p[j + 2] != ']') {
			j += 2;
			hi = (unsigned char)p[j];
			if (hi == '\\' && j + 1 < plen)
				hi = (unsigned char)p[++j];
		}
		if (c >= lo && c <= hi)
			match = true;
		j++;
	}
	if (j >= plen)
		return -1;
	*end = j + 1;
	return match != neg;
}

/* After a '*' at p[@star_p - 1], the first place from *@pos where what follows it can start:
 * a plain character can only match itself, so skip to it.  False when it does not occur. */
static inline bool _seek(const char *p, size_t plen, size_t star_p, const char *s, size_t slen,
			 size_t *pos)
{
	const char *q;

	if (star_p == plen || strchr("*?[\\", p[star_p]))
		return true;
	q = *pos < slen ? memchr(s + *pos, p[star_p], slen - *pos) : NULL;
	if (!q)
		return false;
	*pos = (size_t)(q - s);
	return true;
}

/* fnmatch(3) without flags on counted bytes: * ? [..] [!..] and \ escapes; '/' and a leading
 * '.' are ordinary.  On a mismatch it resumes after the last '*', which is enough for
 * patterns whose only multi-character wildcard is '*'. */
static bool _glob(const char *p, size_t plen, const char *s, size_t slen)
{
	size_t pi = 0, si = 0, star_p = SIZE_MAX, star_s = 0;

	while (si < slen) {
		if (pi < plen) {
			unsigned char c = (unsigned char)p[pi];
			size_t next = pi + 1;
			int ok;

			if (c == '*') {
				star_p = ++pi;
				star_s = si;
				if (!_seek(p, plen, star_p, s, slen, &star_s))
					return false;
				si = star_s;
				continue;
			}
			if (c == '?') {
				ok = 1;
			} else if (c == '[') {
				ok = _class(p, plen, pi, (unsigned char)s[si], &next);
				if (ok < 0) /* no class: a plain '[' */
					ok = c == (unsigned char)s[si];
			} else {
				if (c == '\\' && pi + 1 < plen) {
					c = (unsigned char)p[pi + 1];
					next = pi + 2;
				}
				ok = c == (unsigned char)s[si];
			}
			if (ok) {
				pi = next;
				si++;
				continue;
			}
		}
		if (star_p == SIZE_MAX)
			return false;
		pi = star_p;
		star_s++;
		if (!_seek(p, plen, star_p, s, slen, &star_s))
			return false;
		si = star_s;
	}
	while (pi < plen && p[pi] == '*')
		pi++;
	return pi == plen;
}

/* A glob whose only wildcards are leading or trailing '*'s runs as a plain string test. */
static inline bool _glob_k(const struct flt_const *k, const char *s, size_t len)
{
	const char *lit = k->s + k->lit_off;
	size_t n = k->lit_len;

	switch (k->glob) {
	case FLT_GLOB_EXACT:
		return len == n && _mem_eq(s, lit, n);
	case FLT_GLOB_PREFIX:
		return len >= n && _mem_eq(s, lit, n);
	case FLT_GLOB_SUFFIX:
		return len >= n && _mem_eq(s + (len - n), lit, n);
	case FLT_GLOB_INFIX:
		return !n || (len && memmem(s, len, lit, n));
	default:
		return _glob(k->s, k->len, s, len);
	}
}

static bool _str_op(enum flt_op op, const struct flt_const *k, const char *s, size_t len)
{
	switch (op) {
	case FLT_EQ:
	case FLT_IN:
		return len == k->len && _mem_eq(s, k->s, len);
	case FLT_NE:
		return !(len == k->len && _mem_eq(s, k->s, len));
	case FLT_LT:
	case FLT_LE:
	case FLT_GT:
	case FLT_GE:
		return _rel(op, _bytes_cmp(s, len, k->s, k->len));
	case FLT_CONTAINS:
		return !k->len || (len && memmem(s, len, k->s, k->len));
	case FLT_ICONTAINS:
		return _icontains(s, len, k->s, k->len);
	case FLT_STARTSWITH:
		return len >= k->len && _mem_eq(s, k->s, k->len);
	case FLT_ENDSWITH:
		return len >= k->len && _mem_eq(s + (len - k->len), k->s, k->len);
	case FLT_GLOB:
		return _glob_k(k, s, len);
	case FLT_EXISTS:
		return true;
	}
	return false;
}

static bool _ip_match(const struct flt_const *k, const struct sr_value *v)
{
	const uint8_t *a = v->ip.addr;
	unsigned int fam = v->ip.family, full = k->prefix / 8, rem = k->prefix % 8;

	if (fam == AF_INET6 && !memcmp(a, _v4mapped, sizeof(_v4mapped))) {
		a += sizeof(_v4mapped);
		fam = AF_INET;
	}
	if (fam != k->family || memcmp(a, k->addr, full))
		return false;
	return !rem || !((a[full] ^ k->addr[full]) & (uint8_t)(0xff << (8 - rem)));
}

static inline bool _is_num(enum sr_ftype t)
{
	return t == SR_FT_UINT || t == SR_FT_INT || t == SR_FT_BOOL || t == SR_FT_DURATION ||
	       t == SR_FT_ABSTIME;
}

static inline bool _is_str(enum sr_ftype t)
{
	return t == SR_FT_STR || t == SR_FT_BYTES;
}

/* Order of a numeric value against (neg, num): see flt_const__cmp_num(). */
static inline int _num_cmp(const struct sr_value *v, bool neg, uint64_t num)
{
	bool vneg = v->type == SR_FT_INT && v->i < 0;

	if (vneg != neg)
		return vneg ? -1 : 1;
	return v->u < num ? -1 : v->u > num;
}

/* Compare a value of a type the constant was not parsed into (dynamic fields) as text. */
static bool _cmp_text(enum flt_op op, const struct flt_const *k, const struct sr_value *v,
		      struct vtext *vt)
{
	if (!vt->s)
		vt->s = sr_value__str(v, vt->buf, sizeof(vt->buf), &vt->len);
	return _str_op(op, k, vt->s, vt->len);
}

static bool _cmp(enum flt_op op, const struct flt_const *k, const struct sr_value *v,
		 struct vtext *vt)
{
	bool str_op = op >= FLT_CONTAINS && op <= FLT_GLOB;

	if (_is_str(v->type))
		return _str_op(op, k, v->s.p, v->s.len);
	if (str_op)
		return _cmp_text(op, k, v, vt);
	if (v->type == SR_FT_IPADDR) {
		if ((k->has & FLT_K_IP) && (op == FLT_EQ || op == FLT_NE || op == FLT_IN))
			return _ip_match(k, v) == (op != FLT_NE);
		return _cmp_text(op, k, v, vt);
	}
	if (op == FLT_IN)
		op = FLT_EQ;
	if (v->type == SR_FT_DURATION && (k->has & FLT_K_DUR))
		return _rel(op, _num_cmp(v, false, k->dur));
	if (k->has & FLT_K_NUM)
		return _rel(op, _num_cmp(v, k->neg, k->num));
	return _cmp_text(op, k, v, vt);
}

static bool _in_str(const struct flt_insn *in, const char *s, size_t len)
{
	uint32_t lo = 0, hi = in->set_cnt;

	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		const struct flt_const *k = &in->set[mid];
		int c = _bytes_cmp(s, len, k->s, k->len);

		if (!c)
			return true;
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return false;
}

static bool _in_num(const struct flt_insn *in, const struct sr_value *v)
{
	uint32_t lo = 0, hi = in->set_cnt;

	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		int c = _num_cmp(v, in->set[mid].neg, in->set[mid].num);

		if (!c)
			return true;
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return false;
}

static bool _in(const struct flt_insn *in, const struct sr_value *v, struct vtext *vt)
{
	if (in->set_kind == FLT_SET_STR && _is_str(v->type))
		return _in_str(in, v->s.p, v->s.len);
	if (in->set_kind == FLT_SET_NUM && _is_num(v->type))
		return _in_num(in, v);
	for (uint32_t i = 0; i < in->set_cnt; i++) {
		if (_cmp(FLT_IN, &in->set[i], v, vt))
			return true;
	}
	return false;
}

static bool _test(const struct flt_insn *in, struct sr_evt *ev)
{
	struct sr_value v;
	struct vtext vt;

	if (!sr_field__get(ev, &in->ref, &v))
		return false;
	vt.s = NULL;
	switch (in->op) {
	case FLT_EXISTS:
		return true;
	case FLT_IN:
		return _in(in, &v, &vt);
	default:
		return _cmp(in->op, &in->k, &v, &vt);
	}
}

bool sr_filter__match(const struct sr_filter *f, struct sr_evt *ev)
{
	uint32_t pc = 0;

	if (!f)
		return true;
	while (pc < f->cnt) {
		const struct flt_insn *in = &f->insns[pc];

		pc = _test(in, ev) ? in->jt : in->jf;
	}
	/* an empty program has pc == 0 == FLT_ACCEPT */
	return pc == FLT_ACCEPT(f);
}
