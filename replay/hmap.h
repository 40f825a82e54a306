/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A map from 64-bit keys to pointers: open addressing with linear probing and backward-shift
 * deletion (no tombstones), so lookups stay short however many threads come and go.
 */
#ifndef SYSREC_HMAP_H
#define SYSREC_HMAP_H

#include <stddef.h>
#include <stdint.h>

struct sr_hmap_slot {
	uint64_t key;
	void *val; /* NULL: empty slot */
};

struct sr_hmap {
	struct sr_hmap_slot *slots;
	size_t cap; /* a power of two, or 0 */
	size_t cnt;
};

void *sr_hmap__get(const struct sr_hmap *m, uint64_t key);
/* Insert or replace (@val not NULL).  @return 0 or -ENOMEM. */
int sr_hmap__put(struct sr_hmap *m, uint64_t key, void *val);
/* Remove @key; @return its value or NULL. */
void *sr_hmap__del(struct sr_hmap *m, uint64_t key);
void sr_hmap__free(struct sr_hmap *m);

/* Iterate: for (size_t i = 0; i < m->cap; i++) if (m->slots[i].val) ... */

#endif
