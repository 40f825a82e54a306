// SPDX-License-Identifier: Apache-2.0
#include <arpa/inet.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "value.h"

const char *sr_value__str(const struct sr_value *v, char *buf, size_t sz, size_t *len)
{
	int n = 0;

	switch (v->type) {
	case SR_FT_STR:
	case SR_FT_BYTES:
		*len = v->s.len;
		return v->s.p;
	case SR_FT_INT:
		n = snprintf(buf, sz, "%" PRId64, v->i);
		break;
	case SR_FT_BOOL:
		n = snprintf(buf, sz, "%s", v->u ? "true" : "false");
		break;
	case SR_FT_IPADDR:
		if (!inet_ntop(v->ip.family == AF_INET6 ? AF_INET6 : AF_INET, v->ip.addr, buf,
			       (socklen_t)sz))
			n = snprintf(buf, sz, "?");
		else
			n = (int)strlen(buf);
		break;
	default:
		n = snprintf(buf, sz, "%" PRIu64, v->u);
		break;
	}
	if (n < 0)
		n = 0;
	*len = (size_t)n < sz ? (size_t)n : sz ? sz - 1 : 0;
	return buf;
}
