// SPDX-License-Identifier: Apache-2.0
/* Out-of-line parts of the byte cursors: buffer growth and the multi-byte varint path. */
#include <errno.h>
#include <stdlib.h>

#include "bytes.h"

int sr_wbuf__reserve(struct sr_wbuf *b, size_t need)
{
	size_t cap;
	uint8_t *p;

	if (b->oom)
		return -ENOMEM;
	if (b->cap - b->len >= need)
		return 0;
	cap = b->cap ? b->cap : 256;
	while (cap - b->len < need) {
		if (cap > SIZE_MAX / 2)
			goto out_oom;
		cap *= 2;
	}
	p = realloc(b->buf, cap);
	if (!p)
		goto out_oom;
	b->buf = p;
	b->cap = cap;
	return 0;
out_oom:
	b->oom = 1;
	return -ENOMEM;
}

void sr_wbuf__release(struct sr_wbuf *b)
{
	free(b->buf);
	b->buf = NULL;
	b->len = b->cap = 0;
	b->oom = 0;
}

uint64_t sr_rcur__varint_slow(struct sr_rcur *c)
{
	uint64_t v = 0;

	for (int shift = 0; shift < 70; shift += 7) {
		if (c->p >= c->end)
			break;
		uint8_t byte = *c->p++;

		v |= (uint64_t)(byte & 0x7f) << shift;
		if (!(byte & 0x80))
			return v;
	}
	c->bad = 1;
	c->p = c->end;
	return 0;
}
