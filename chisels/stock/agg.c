// SPDX-License-Identifier: Apache-2.0
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agg.h"

static size_t _hash(const char *s, size_t len)
{
	size_t h = 1469598103934665603ull; /* FNV-1a */

	for (size_t i = 0; i < len; i++)
		h = (h ^ (unsigned char)s[i]) * 1099511628211ull;
	return h;
}

static int _grow(struct agg *a)
{
	size_t cap = a->cap ? a->cap * 2 : 256;
	struct agg_ent *n = calloc(cap, sizeof(*n));

	if (!n)
		return -1;
	for (size_t i = 0; i < a->cap; i++) {
		size_t j;

		if (!a->slots[i].key)
			continue;
		for (j = _hash(a->slots[i].key, a->slots[i].key_len) & (cap - 1); n[j].key;
		     j = (j + 1) & (cap - 1))
			;
		n[j] = a->slots[i];
	}
	free(a->slots);
	a->slots = n;
	a->cap = cap;
	return 0;
}

struct agg_ent *agg__get(struct agg *a, const char *key, size_t len)
{
	size_t i;

	if ((a->cnt + 1) * 4 > a->cap * 3 && _grow(a))
		return NULL;
	for (i = _hash(key, len) & (a->cap - 1); a->slots[i].key; i = (i + 1) & (a->cap - 1))
		if (a->slots[i].key_len == len && !memcmp(a->slots[i].key, key, len))
			return &a->slots[i];
	a->slots[i].key = malloc(len + 1);
	if (!a->slots[i].key)
		return NULL;
	memcpy(a->slots[i].key, key, len);
	a->slots[i].key[len] = '\0';
	a->slots[i].key_len = len;
	a->cnt++;
	return &a->slots[i];
}

static int _cmp(const void *pa, const void *pb, void *ctx)
{
	const struct agg_ent *a = *(const struct agg_ent *const *)pa;
	const struct agg_ent *b = *(const struct agg_ent *const *)pb;
	int by = *(const int *)ctx;

	if (a->v[by] != b->v[by])
		return a->v[by] < b->v[by] ? 1 : -1;
	return strcmp(a->key, b->key);
}

struct agg_ent **agg__sorted(struct agg *a, int by, size_t *cnt)
{
	struct agg_ent **v = malloc((a->cnt ? a->cnt : 1) * sizeof(*v));
	size_t n = 0;

	if (!v)
		return NULL;
	for (size_t i = 0; i < a->cap; i++)
		if (a->slots[i].key)
			v[n++] = &a->slots[i];
	qsort_r(v, n, sizeof(*v), _cmp, &by);
	*cnt = n;
	return v;
}

void agg__release(struct agg *a)
{
	for (size_t i = 0; i < a->cap; i++)
		free(a->slots[i].key);
	free(a->slots);
	memset(a, 0, sizeof(*a));
}

size_t agg__key_len(char *key, size_t cap, int n)
{
	size_t len, lead;

	if (n < 0)
		n = 0;
	if ((size_t)n < cap)
		return (size_t)n;
	len = cap - 1;
	/* back to the start of the last character; drop it if it is not whole */
	for (lead = len; lead > 0 && len - lead < 3 && ((unsigned char)key[lead - 1] & 0xc0) == 0x80;)
		lead--;
	if (lead > 0 && (unsigned char)key[lead - 1] >= 0xc0) {
		unsigned char c = (unsigned char)key[lead - 1];
		size_t need = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : 2;

		if (len - (lead - 1) < need)
			len = lead - 1;
	}
	key[len] = '\0';
	return len;
}

const char *agg__bytes(uint64_t v, char *buf, size_t sz)
{
	static const char units[] = "KMGTPE";
	double d = (double)v;
	int u = -1;

	while (d >= 1024 && u < 5) {
		d /= 1024;
		u++;
	}
	if (u < 0)
		snprintf(buf, sz, "%lluB", (unsigned long long)v);
	else
		snprintf(buf, sz, "%.2f%cB", d, units[u]);
	return buf;
}

const char *agg__duration(uint64_t ns, char *buf, size_t sz)
{
	if (ns < 1000)
		snprintf(buf, sz, "%lluns", (unsigned long long)ns);
	else if (ns < 1000000)
		snprintf(buf, sz, "%.2fus", (double)ns / 1e3);
	else if (ns < 1000000000)
		snprintf(buf, sz, "%.2fms", (double)ns / 1e6);
	else
		snprintf(buf, sz, "%.3fs", (double)ns / 1e9);
	return buf;
}
