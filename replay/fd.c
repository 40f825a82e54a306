// SPDX-License-Identifier: Apache-2.0
/* fd objects: creation, copies, names. */
#include <fcntl.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "decode.h"
#include "fd_effects.h"
#include "state_alloc.h"

struct sr_fd *sr_fd__new(uint8_t type, const char *name, size_t name_len)
{
	struct sr_fd *f = sr_xcalloc(1, sizeof(*f));

	f->type = type;
	f->name = sr_xstrndup(name ? name : "", name ? name_len : 0);
	return f;
}

struct sr_fd *sr_fd__dup(const struct sr_fd *src)
{
	struct sr_fd *f = sr_xmemdup(src, sizeof(*src));

	f->name = sr_xstrndup(src->name, strlen(src->name));
	return f;
}

void sr_fd__free(struct sr_fd *f)
{
	if (!f)
		return;
	free(f->name);
	free(f);
}

void sr_fd__set_name(struct sr_fd *f, const char *name, size_t len)
{
	free(f->name);
	f->name = sr_xstrndup(name, len);
}

static bool _zero(const uint8_t *a, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (a[i])
			return false;
	return true;
}

static size_t _end(char *buf, size_t sz, uint8_t fam, const uint8_t *ip, uint16_t port)
{
	char a[64];

	sr_ip__str(fam, ip, a, sizeof(a));
	return (size_t)snprintf(buf, sz, fam == AF_INET6 ? "[%s]:%u" : "%s:%u", a, port);
}

void sr_fd__name_tuple(struct sr_fd *f)
{
	char buf[160];
	size_t alen = f->family == AF_INET6 ? 16 : 4, n = 0;
	bool have_local = f->lport || !_zero(f->lip, alen);
	bool have_remote = f->rport || !_zero(f->rip, alen);

	if (!f->family)
		return;
	if (!have_remote) { /* bound or listening */
		if (have_local)
			n = _end(buf, sizeof(buf), f->family, f->lip, f->lport);
	} else if (f->server) {
		n = _end(buf, sizeof(buf), f->family, f->rip, f->rport);
		n += (size_t)snprintf(buf + n, sizeof(buf) - n, "->");
		n += _end(buf + n, sizeof(buf) - n, f->family, f->lip, f->lport);
	} else {
		if (have_local)
			n = _end(buf, sizeof(buf), f->family, f->lip, f->lport);
		n += (size_t)snprintf(buf + n, sizeof(buf) - n, "->");
		n += _end(buf + n, sizeof(buf) - n, f->family, f->rip, f->rport);
	}
	if (n >= sizeof(buf))
		n = sizeof(buf) - 1;
	sr_fd__set_name(f, buf, n);
}

struct sr_fd *sr_fd__from_rec(const struct trace_rec *rec)
{
	const struct trace_blob *name = rec->blob_cnt > 0 ? &rec->blobs[0] : NULL;
	struct sr_fd *f = sr_fd__new((uint8_t)rec->ints[2], name ? name->data : NULL,
				     name ? name->sz : 0);

	if (rec->int_cnt > 3)
		f->flags = (uint32_t)rec->ints[3];
	f->cloexec = f->flags & O_CLOEXEC;
	if (rec->int_cnt > 4)
		f->l4proto = (uint8_t)rec->ints[4];
	if (rec->int_cnt > 5)
		f->lport = (uint16_t)rec->ints[5];
	if (rec->int_cnt > 6)
		f->rport = (uint16_t)rec->ints[6];
	if (rec->int_cnt > 7)
		f->ino = rec->ints[7];
	if (rec->blob_cnt > 2 && (rec->blobs[1].sz == 4 || rec->blobs[1].sz == 16) &&
	    rec->blobs[2].sz == rec->blobs[1].sz) {
		f->family = rec->blobs[1].sz == 4 ? AF_INET : AF_INET6;
		memcpy(f->lip, rec->blobs[1].data, rec->blobs[1].sz);
		memcpy(f->rip, rec->blobs[2].data, rec->blobs[2].sz);
		/* The snapshot does not say which end accepted; a listening socket, or a local
		 * port below the ephemeral range facing one inside it, is the server. */
		f->server = rec->int_cnt > 8 ? rec->ints[8] & 1 :
			    !f->rport || (f->lport < 32768 && f->rport >= 32768);
		if (f->server && f->rport) /* name it client->server */
			sr_fd__name_tuple(f);
	}
	return f;
}
