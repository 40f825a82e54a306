// SPDX-License-Identifier: Apache-2.0
/*
 * Filter constants, parsed once at compile time into the type of the field they are compared
 * with, so that evaluation never parses text: numbers (decimal, 0x hex, negative for signed
 * fields), booleans, durations with units, IPv4/IPv6 addresses and CIDR networks, strings.
 * A dynamic field (evt.arg.*) learns its type only per event, so its constant is kept in
 * every form it parses as.  Also which operators apply to which types.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>

#include "filter_internal.h"

/* Bytes of a bad value quoted in a message. */
#define SHOW_MAX 64

bool flt_op__valid(enum flt_op op, enum sr_ftype type)
{
	bool str = type == SR_FT_STR || type == SR_FT_BYTES || type == SR_FT_DYN;

	switch (op) {
	case FLT_EQ:
	case FLT_NE:
	case FLT_IN:
	case FLT_EXISTS:
		return true;
	case FLT_LT:
	case FLT_LE:
	case FLT_GT:
	case FLT_GE:
		return type != SR_FT_BOOL && type != SR_FT_IPADDR;
	case FLT_CONTAINS:
	case FLT_ICONTAINS:
	case FLT_STARTSWITH:
	case FLT_ENDSWITH:
	case FLT_GLOB:
		return str;
	}
	return false;
}

static int _digit(char c, unsigned int base)
{
	int d = -1;

	if (c >= '0' && c <= '9')
		d = c - '0';
	else if (c >= 'a' && c <= 'f')
		d = c - 'a' + 10;
	else if (c >= 'A' && c <= 'F')
		d = c - 'A' + 10;
	return d >= 0 && (unsigned int)d < base ? d : -1;
}

/* An integer: [-] digits | [-] 0x hexdigits.  A negative one is stored as its int64 bits.
 * @return 0; -EINVAL: not a number; -ERANGE: does not fit. */
static int _parse_int(const char *s, size_t len, bool *neg, uint64_t *out)
{
	unsigned int base = 10;
	uint64_t v = 0;
	bool n = false;
	size_t i = 0;

	if (i < len && s[i] == '-') {
		n = true;
		i++;
	}
	if (len - i > 2 && s[i] == '0' && (s[i + 1] == 'x' || s[i + 1] == 'X')) {
		base = 16;
		i += 2;
	}
	if (i == len)
		return -EINVAL;
	for (; i < len; i++) {
		int d = _digit(s[i], base);

		if (d < 0)
			return -EINVAL;
		if (v > (UINT64_MAX - (unsigned int)d) / base)
			return -ERANGE;
		v = v * base + (unsigned int)d;
	}
	if (n && v > (uint64_t)INT64_MAX + 1)
		return -ERANGE;
	*neg = n && v;
	*out = n ? 0 - v : v;
	return 0;
}

static const struct {
	const char *name;
	uint64_t ns;
} _units[] = {
	{"ns", 1},
	{"us", 1000},
	{"ms", 1000000},
	{"s", 1000000000},
	{"m", 60 * 1000000000ull},
	{"h", 3600 * 1000000000ull},
};

/* A duration: digits [. digits] [unit], a unit required after a fraction; in ns, a fraction
 * of a ns dropped.  *@unit tells whether there was one.  @return 0, -EINVAL, -ERANGE. */
static int _parse_dur(const char *s, size_t len, uint64_t *out, bool *unit)
{
	size_t i = 0, frac = 0, frac_len = 0;
	uint64_t whole = 0, mult = 0, v, div = 1;

	while (i < len && s[i] >= '0' && s[i] <= '9') {
		if (whole > (UINT64_MAX - 9) / 10)
			return -ERANGE;
		whole = whole * 10 + (uint64_t)(s[i++] - '0');
	}
	if (i == 0)
		return -EINVAL;
	if (i < len && s[i] == '.') {
		frac = ++i;
		while (i < len && s[i] >= '0' && s[i] <= '9')
			i++;
		frac_len = i - frac;
		if (!frac_len)
			return -EINVAL;
	}
	*unit = i < len;
	if (i == len) {
		mult = 1;
	} else {
		for (size_t u = 0; u < sizeof(_units) / sizeof(_units[0]); u++) {
			if (len - i == strlen(_units[u].name) &&
			    !memcmp(s + i, _units[u].name, len - i))
				mult = _units[u].ns;
		}
	}
	if (!mult || (frac_len && !*unit))
		return -EINVAL;
	if (whole > UINT64_MAX / mult)
		return -ERANGE;
	v = whole * mult;
	/* each fractional digit is worth mult / 10^k ns; digits below a ns add nothing */
	for (size_t k = 0; k < frac_len && div <= mult; k++) {
		uint64_t add;

		div *= 10;
		add = (uint64_t)(s[frac + k] - '0') * (mult / div);
		if (v > UINT64_MAX - add)
			return -ERANGE;
		v += add;
	}
	*out = v;
	return 0;
}

/* Keep only the first @prefix bits of @k's address. */
static void _mask(struct flt_const *k)
{
	unsigned int bytes = k->family == AF_INET ? 4 : 16;

	for (unsigned int i = 0; i < bytes; i++) {
		unsigned int bit = i * 8;

		if (bit >= k->prefix)
			k->addr[i] = 0;
		else if (k->prefix - bit < 8)
			k->addr[i] &= (uint8_t)(0xff << (8 - (k->prefix - bit)));
	}
}

/* An address or network: IPv4 or IPv6, optionally /prefix.  An IPv4-mapped IPv6 address
 * (::ffff:10.0.0.1) becomes IPv4, as the evaluator does with values.  @return 0, -EINVAL. */
static int _parse_ip(const char *s, size_t len, struct flt_const *k)
{
	static const uint8_t mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
	const char *slash = memchr(s, '/', len);
	size_t alen = slash ? (size_t)(slash - s) : len;
	unsigned int bits, prefix = 0;
	char buf[64];

	if (alen >= sizeof(buf) || memchr(s, '\0', len))
		return -EINVAL;
	memcpy(buf, s, alen);
	buf[alen] = '\0';
	memset(k->addr, 0, sizeof(k->addr));
	if (inet_pton(AF_INET, buf, k->addr) == 1) {
		k->family = AF_INET;
		bits = 32;
	} else if (inet_pton(AF_INET6, buf, k->addr) == 1) {
		k->family = AF_INET6;
		bits = 128;
	} else {
		return -EINVAL;
	}
	if (slash) {
		size_t plen = len - alen - 1;

		if (plen < 1 || plen > 3)
			return -EINVAL;
		for (size_t i = 0; i < plen; i++) {
			if (slash[1 + i] < '0' || slash[1 + i] > '9')
				return -EINVAL;
			prefix = prefix * 10 + (unsigned int)(slash[1 + i] - '0');
		}
		if (prefix > bits)
			return -EINVAL;
	} else {
		prefix = bits;
	}
	if (k->family == AF_INET6 && prefix >= 96 && !memcmp(k->addr, mapped, 12)) {
		memmove(k->addr, k->addr + 12, 4);
		memset(k->addr + 4, 0, 12);
		k->family = AF_INET;
		prefix -= 96;
	}
	k->prefix = (uint8_t)prefix;
	_mask(k);
	k->has |= FLT_K_IP;
	return 0;
}

static int _parse_bool(const char *s, size_t len, uint64_t *out)
{
	if ((len == 4 && !strncasecmp(s, "true", 4)) || (len == 1 && s[0] == '1')) {
		*out = 1;
		return 0;
	}
	if ((len == 5 && !strncasecmp(s, "false", 5)) || (len == 1 && s[0] == '0')) {
		*out = 0;
		return 0;
	}
	return -EINVAL;
}

/* A dynamic field's constant: every form that parses, besides the text. */
static void _parse_dyn(struct flt_const *k)
{
	bool unit;

	if (!_parse_int(k->s, k->len, &k->neg, &k->num))
		k->has |= FLT_K_NUM;
	if (!_parse_dur(k->s, k->len, &k->dur, &unit) && unit)
		k->has |= FLT_K_DUR;
	_parse_ip(k->s, k->len, k);
}

static int _typed(struct flt_const *k, enum sr_ftype type, const char *field, char *msg,
		  size_t msg_sz)
{
	int show = (int)(k->len > SHOW_MAX ? SHOW_MAX : k->len);
	bool unit;
	int ret;

	switch (type) {
	case SR_FT_STR:
	case SR_FT_BYTES:
		return 0;
	case SR_FT_DYN:
		_parse_dyn(k);
		return 0;
	case SR_FT_UINT:
	case SR_FT_INT:
	case SR_FT_ABSTIME:
		ret = _parse_int(k->s, k->len, &k->neg, &k->num);
		if (ret == -EINVAL) {
			snprintf(msg, msg_sz, "'%.*s' is not a number for %s", show, k->s, field);
			return ret;
		}
		if (ret || (k->neg && type != SR_FT_INT)) {
			snprintf(msg, msg_sz, "'%.*s' is out of range for %s (%s)", show, k->s,
				 field, sr_ftype__name(type));
			return -EINVAL;
		}
		break;
	case SR_FT_BOOL:
		if (_parse_bool(k->s, k->len, &k->num)) {
			snprintf(msg, msg_sz, "'%.*s' is not a boolean for %s (use true or false)",
				 show, k->s, field);
			return -EINVAL;
		}
		break;
	case SR_FT_DURATION:
		ret = _parse_dur(k->s, k->len, &k->num, &unit);
		if (ret == -ERANGE) {
			snprintf(msg, msg_sz, "'%.*s' is out of range for %s (duration)", show,
				 k->s, field);
			return -EINVAL;
		}
		if (ret) {
			snprintf(
				msg, msg_sz,
				"'%.*s' is not a duration for %s (ns, or with a unit: 10us, 2.5ms, "
				"1s, 1m, 1h)",
				show, k->s, field);
			return -EINVAL;
		}
		break;
	case SR_FT_IPADDR:
		if (_parse_ip(k->s, k->len, k)) {
			snprintf(msg, msg_sz, "'%.*s' is not an IP address or network for %s", show,
				 k->s, field);
			return -EINVAL;
		}
		return 0;
	}
	k->has |= FLT_K_NUM;
	return 0;
}

/* A pattern whose only wildcards are '*'s at its ends is a string test (enum flt_glob_kind). */
static void _glob_kind(struct flt_const *k)
{
	size_t lead = 0, trail = 0;

	while (lead < k->len && k->s[lead] == '*')
		lead++;
	while (trail < k->len - lead && k->s[k->len - 1 - trail] == '*')
		trail++;
	k->glob = FLT_GLOB_FULL;
	if (k->len > UINT32_MAX)
		return;
	for (size_t i = lead; i < k->len - trail; i++) {
		/* a backslash makes the next character literal, trailing '*' included */
		if (k->s[i] == '*' || k->s[i] == '?' || k->s[i] == '[' || k->s[i] == '\\')
			return;
	}
	k->lit_off = (uint32_t)lead;
	k->lit_len = (uint32_t)(k->len - lead - trail);
	if (!lead && !trail)
		k->glob = FLT_GLOB_EXACT;
	else if (!lead)
		k->glob = FLT_GLOB_PREFIX;
	else if (!trail)
		k->glob = FLT_GLOB_SUFFIX;
	else
		k->glob = FLT_GLOB_INFIX;
}

int flt_const__parse(struct flt_const *k, enum sr_ftype type, enum flt_op op, const char *s,
		     size_t len, const char *field, char *msg, size_t msg_sz)
{
	int ret;

	memset(k, 0, sizeof(*k));
	k->s = malloc(len + 1);
	if (!k->s) {
		snprintf(msg, msg_sz, "out of memory");
		return -ENOMEM;
	}
	memcpy(k->s, s, len);
	k->s[len] = '\0';
	k->len = len;
	if (op == FLT_ICONTAINS) {
		for (size_t i = 0; i < len; i++) {
			if (k->s[i] >= 'A' && k->s[i] <= 'Z')
				k->s[i] = (char)(k->s[i] - 'A' + 'a');
		}
	}
	if (op == FLT_GLOB)
		_glob_kind(k);
	/* string operators on a dynamic field compare text only */
	if (op >= FLT_CONTAINS && op <= FLT_GLOB)
		return 0;
	ret = _typed(k, type, field, msg, msg_sz);
	if (ret)
		flt_const__release(k);
	return ret;
}

void flt_const__release(struct flt_const *k)
{
	free(k->s);
	k->s = NULL;
}

int flt_const__cmp_str(const void *a, const void *b)
{
	const struct flt_const *x = a, *y = b;
	int c = memcmp(x->s, y->s, x->len < y->len ? x->len : y->len);

	if (c)
		return c;
	return x->len < y->len ? -1 : x->len > y->len;
}

int flt_const__cmp_num(const void *a, const void *b)
{
	const struct flt_const *x = a, *y = b;

	/* negatives first; within one sign, the unsigned order of the bits is the order */
	if (x->neg != y->neg)
		return x->neg ? -1 : 1;
	return x->num < y->num ? -1 : x->num > y->num;
}
