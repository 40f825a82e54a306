// SPDX-License-Identifier: Apache-2.0
#include <stdlib.h>
#include <string.h>

#include "state_alloc.h"

void *sr_xcalloc(size_t n, size_t sz)
{
	void *p = calloc(n ? n : 1, sz ? sz : 1);

	if (!p)
		sr_state__oom();
	return p;
}

void *sr_xrealloc(void *p, size_t sz)
{
	void *n = realloc(p, sz ? sz : 1);

	if (!n)
		sr_state__oom();
	return n;
}

void *sr_xmemdup(const void *p, size_t sz)
{
	void *n = sr_xcalloc(1, sz);

	memcpy(n, p, sz);
	return n;
}

char *sr_xstrndup(const char *s, size_t sz)
{
	char *n = sr_xcalloc(1, sz + 1);

	if (sz)
		memcpy(n, s, sz);
	return n;
}
