// SPDX-License-Identifier: Apache-2.0
/* The field registry: resolving field names (with suggestions) and showing values as text. */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "field_table.h"
#include "fields.h"

const struct sr_field_def *sr_field__all(size_t *cnt)
{
	*cnt = sr_field_table_cnt;
	return sr_field_table;
}

const char *sr_ftype__name(enum sr_ftype type)
{
	switch (type) {
	case SR_FT_UINT: return "uint";
	case SR_FT_INT: return "int";
	case SR_FT_STR: return "string";
	case SR_FT_BYTES: return "bytes";
	case SR_FT_BOOL: return "bool";
	case SR_FT_IPADDR: return "ipaddr";
	case SR_FT_DURATION: return "duration";
	case SR_FT_ABSTIME: return "abstime";
	case SR_FT_DYN: return "dynamic";
	}
	return "?";
}

/* Edit distance of two short strings (names are < 64 bytes; longer ones compare as far). */
static size_t _distance(const char *a, size_t an, const char *b, size_t bn)
{
	size_t row[65], prev, tmp;

	if (an > 64 || bn > 64)
		return SIZE_MAX;
	for (size_t j = 0; j <= bn; j++)
		row[j] = j;
	for (size_t i = 1; i <= an; i++) {
		prev = row[0];
		row[0] = i;
		for (size_t j = 1; j <= bn; j++) {
			size_t best = prev + (a[i - 1] != b[j - 1]);

			if (row[j] + 1 < best)
				best = row[j] + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			tmp = row[j];
			row[j] = best;
			prev = tmp;
		}
	}
	return row[bn];
}

static const char *_suggest(const char *name, size_t len)
{
	const char *best = NULL;
	size_t best_d = len / 3 + 1; /* suggest only names that are close */

	for (size_t i = 0; i < sr_field_table_cnt; i++) {
		const char *cand = sr_field_table[i].name;
		size_t d = _distance(name, len, cand, strlen(cand));

		/* On a tie, a name the text is the start of wins (fd.nam: fd.name, not fd.num). */
		bool prefix = !strncmp(cand, name, len);

		if (d < best_d || (d == best_d && ((!best && d <= 2) ||
						   (best && prefix && strncmp(best, name, len))))) {
			best_d = d;
			best = cand;
		}
	}
	return best;
}

static int _fail(char *err, size_t err_sz, int ret, const char *fmt, const char *a, int alen,
		 const char *b)
{
	if (err && err_sz)
		snprintf(err, err_sz, fmt, alen, a, b ? b : "");
	return ret;
}

/* A non-negative decimal index of at most 9 digits. */
static int _index(const char *s, size_t len, int32_t *out)
{
	int32_t v = 0;

	if (!len || len > 9)
		return -EINVAL;
	for (size_t i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -EINVAL;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return 0;
}

int sr_field__parse(const char *text, size_t len, struct sr_field_ref *ref, char *err,
		    size_t err_sz)
{
	const char *bracket = memchr(text, '[', len);
	int tl = (int)(len > 200 ? 200 : len);

	memset(ref, 0, sizeof(*ref));
	ref->idx = -1;
	for (size_t i = 0; i < sr_field_table_cnt; i++) {
		const struct sr_field_def *d = &sr_field_table[i];
		size_t n = strlen(d->name);
		const char *rest = text + n;
		size_t rest_len = len - n;

		if (len < n || memcmp(text, d->name, n))
			continue;
		if (rest_len == 0) {
			if (d->arg == SR_FARG_NAME_OR_INDEX)
				return _fail(err, err_sz, -EINVAL,
					     "field '%.*s' needs an argument (.NAME or [N])%s",
					     text, tl, NULL);
			ref->def = d;
			return 0;
		}
		if (d->arg == SR_FARG_NONE)
			continue; /* a longer name that only starts like this one */
		if (rest[0] == '[') {
			if (rest[rest_len - 1] != ']' ||
			    _index(rest + 1, rest_len - 2, &ref->idx))
				return _fail(err, err_sz, -EINVAL,
					     "bad index in '%.*s': expected [N] with a number%s",
					     text, tl, NULL);
			ref->def = d;
			return 0;
		}
		if (rest[0] == '.' && d->arg == SR_FARG_NAME_OR_INDEX && !bracket) {
			if (rest_len < 2 || rest_len - 1 >= SR_FIELD_ARG_NAME_MAX)
				return _fail(err, err_sz, -EINVAL, "bad argument name in '%.*s'%s",
					     text, tl, NULL);
			memcpy(ref->name, rest + 1, rest_len - 1);
			ref->name[rest_len - 1] = '\0';
			ref->def = d;
			return 0;
		}
	}
	const char *s = _suggest(text, len);

	if (s)
		return _fail(err, err_sz, -ENOENT, "unknown field '%.*s' (did you mean %s?)", text, tl,
			     s);
	return _fail(err, err_sz, -ENOENT, "unknown field '%.*s'%s (see 'sysrec fields')", text, tl,
		     NULL);
}

