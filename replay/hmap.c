// SPDX-License-Identifier: Apache-2.0
#include <errno.h>
#include <stdlib.h>

#include "hmap.h"

static size_t _hash(uint64_t key, size_t cap)
{
	key ^= key >> 33;
	key *= 0xff51afd7ed558ccdULL;
	key ^= key >> 33;
	return (size_t)key & (cap - 1);
}

void *sr_hmap__get(const struct sr_hmap *m, uint64_t key)
{
	if (!m->cap)
		return NULL;
	for (size_t i = _hash(key, m->cap);; i = (i + 1) & (m->cap - 1)) {
		if (!m->slots[i].val)
			return NULL;
		if (m->slots[i].key == key)
			return m->slots[i].val;
	}
}

static int _grow(struct sr_hmap *m)
{
	size_t cap = m->cap ? m->cap * 2 : 64;
	struct sr_hmap_slot *old = m->slots, *s = calloc(cap, sizeof(*s));

	if (!s)
		return -ENOMEM;
	for (size_t i = 0; i < m->cap; i++) {
		if (!old[i].val)
			continue;
		size_t j = _hash(old[i].key, cap);

		while (s[j].val)
			j = (j + 1) & (cap - 1);
		s[j] = old[i];
	}
	free(old);
	m->slots = s;
	m->cap = cap;
	return 0;
}

int sr_hmap__put(struct sr_hmap *m, uint64_t key, void *val)
{
	if ((m->cnt + 1) * 4 > m->cap * 3 && _grow(m))
		return -ENOMEM;
	for (size_t i = _hash(key, m->cap);; i = (i + 1) & (m->cap - 1)) {
		if (!m->slots[i].val) {
			m->slots[i] = (struct sr_hmap_slot){ key, val };
			m->cnt++;
			return 0;
		}
		if (m->slots[i].key == key) {
			m->slots[i].val = val;
			return 0;
		}
	}
}

void *sr_hmap__del(struct sr_hmap *m, uint64_t key)
{
	size_t mask = m->cap - 1, i, j;
	void *val;

	if (!m->cap)
		return NULL;
	for (i = _hash(key, m->cap);; i = (i + 1) & mask) {
		if (!m->slots[i].val)
			return NULL;
		if (m->slots[i].key == key)
			break;
	}
	val = m->slots[i].val;
	/* Backward shift: move later entries of the cluster into the hole when their home
	 * slot is not between the hole and them. */
	for (j = (i + 1) & mask; m->slots[j].val; j = (j + 1) & mask) {
		size_t home = _hash(m->slots[j].key, m->cap);

		if (((j - home) & mask) >= ((j - i) & mask)) {
			m->slots[i] = m->slots[j];
			i = j;
		}
	}
	m->slots[i].val = NULL;
	m->cnt--;
	return val;
}

void sr_hmap__free(struct sr_hmap *m)
{
	free(m->slots);
	m->slots = NULL;
	m->cap = m->cnt = 0;
}
