// SPDX-License-Identifier: Apache-2.0
/* SDT note descriptions, bounded; see usdt_note.h. */
#include <errno.h>
#include <string.h>

#include "usdt_note.h"

/* The NUL-terminated string at @*pos, which must end before @end; advances @*pos past it. */
static const char *_str(const char **pos, const char *end)
{
	const char *s = *pos, *nul = s < end ? memchr(s, '\0', (size_t)(end - s)) : NULL;

	if (!nul)
		return NULL;
	*pos = nul + 1;
	return s;
}

int usdt_note__parse(const char *desc, size_t desc_sz, size_t addr_sz, struct usdt_note *out)
{
	const char *p, *end = desc + desc_sz;

	if (desc_sz < 3 * addr_sz)
		return -EBADMSG;
	p = desc + 3 * addr_sz;
	out->provider = _str(&p, end);
	out->name = out->provider ? _str(&p, end) : NULL;
	out->args = out->name ? _str(&p, end) : NULL;
	return out->args ? 0 : -EBADMSG;
}
