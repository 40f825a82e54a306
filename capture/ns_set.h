/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A set of namespace inodes: which mount or network namespaces were already written (users.c,
 * ifaces.c).  Small and linear: a capture meets a handful of namespaces, one per container.
 */
#ifndef SYSREC_NS_SET_H
#define SYSREC_NS_SET_H

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>

struct ns_set {
	uint64_t *v;
	size_t cnt, cap;
};

static inline bool ns_set__has(const struct ns_set *s, uint64_t ns)
{
	for (size_t i = 0; i < s->cnt; i++)
		if (s->v[i] == ns)
			return true;
	return false;
}

/* Add @ns; on allocation failure it is simply not remembered (written again later: harmless). */
static inline void ns_set__add(struct ns_set *s, uint64_t ns)
{
	if (s->cnt == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 16;
		void *n = realloc(s->v, cap * sizeof(*s->v));

		if (!n)
			return;
		s->v = n;
		s->cap = cap;
	}
	s->v[s->cnt++] = ns;
}

static inline void ns_set__release(struct ns_set *s)
{
	free(s->v);
	s->v = NULL;
	s->cnt = s->cap = 0;
}

#endif
