/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Aggregation for the stock chisels: a table from a text key to a few counters, sorted and
 * printed as a top-N table with a header line.
 */
#ifndef SYSREC_AGG_H
#define SYSREC_AGG_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define AGG_VALS 4

struct agg_ent {
	char *key;
	size_t key_len;
	uint64_t v[AGG_VALS];
};

struct agg {
	struct agg_ent *slots; /* open addressing; key NULL = empty */
	size_t cap, cnt;
};

/* The entry for @key (created with zero counters), or NULL when out of memory. */
struct agg_ent *agg__get(struct agg *a, const char *key, size_t len);

/* Entries sorted by v[@by] descending (ties by key); *@cnt gets the count.  The array is
 * the caller's to free(); entries stay owned by @a. */
struct agg_ent **agg__sorted(struct agg *a, int by, size_t *cnt);

void agg__release(struct agg *a);

/*
 * agg__key_len - the length of a key snprintf() wrote into @key (@cap bytes) and returned @n
 * for: when it was cut, cut further so that it does not end inside a UTF-8 character (keys
 * are escaped text, whose other bytes are all ASCII), and NUL-terminated there.
 */
size_t agg__key_len(char *key, size_t cap, int n);

/* 1234567 -> "1.18M" (binary units for bytes) into @buf. */
const char *agg__bytes(uint64_t v, char *buf, size_t sz);
/* ns -> "12.5ms" into @buf. */
const char *agg__duration(uint64_t ns, char *buf, size_t sz);

#endif
