// SPDX-License-Identifier: Apache-2.0
/* IFACE records per network namespace (see ifaces.h). */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <ifaddrs.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <pthread.h>
#include <sched.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "ifaces.h"
#include "ns_set.h"
#include "record.h"

#define MAX_IFACES 256

struct iface {
	char name[IF_NAMESIZE];
	uint32_t index, flags, mtu;
	uint8_t hw[8];
	uint32_t hw_len;
	char addrs[1024]; /* "addr/prefix" separated by spaces */
};

struct ns_list {
	pid_t pid;
	uint64_t netns;
	void (*hook)(void *ctx, uint64_t netns);
	void *hook_ctx;
	int ok;
	struct iface v[MAX_IFACES];
	size_t cnt;
};

#define MAX_TRIES 3 /* a namespace whose processes are all gone is not entered forever */

struct ifaces {
	struct ns_set done; /* namespaces written, or given up on */
	uint64_t failed[16]; /* recent failures: namespace, and its count in tries[] */
	uint8_t tries[16];
	void (*hook)(void *ctx, uint64_t netns);
	void *hook_ctx;
};

void ifaces__set_ns_hook(struct ifaces *x, void (*fn)(void *ctx, uint64_t netns), void *ctx)
{
	x->hook = fn;
	x->hook_ctx = ctx;
}

int ifaces__new(struct ifaces **out)
{
	*out = calloc(1, sizeof(**out));
	return *out ? 0 : -ENOMEM;
}

void ifaces__free(struct ifaces *x)
{
	if (!x)
		return;
	ns_set__release(&x->done);
	free(x);
}

static int _prefix_len(const struct sockaddr *mask)
{
	const uint8_t *p;
	size_t n;
	int bits = 0;

	if (!mask)
		return 0;
	if (mask->sa_family == AF_INET) {
		p = (const uint8_t *)&((const struct sockaddr_in *)mask)->sin_addr;
		n = 4;
	} else {
		p = (const uint8_t *)&((const struct sockaddr_in6 *)mask)->sin6_addr;
		n = 16;
	}
	for (size_t i = 0; i < n; i++)
		bits += __builtin_popcount(p[i]);
	return bits;
}

static struct iface *_get(struct ns_list *l, const char *name)
{
	for (size_t i = 0; i < l->cnt; i++)
		if (!strcmp(l->v[i].name, name))
			return &l->v[i];
	if (l->cnt == MAX_IFACES)
		return NULL;
	struct iface *f = &l->v[l->cnt++];

	memset(f, 0, sizeof(*f));
	snprintf(f->name, sizeof(f->name), "%s", name);
	return f;
}

/* In the helper thread: enter the namespace, list its interfaces. */
static void *_list(void *arg)
{
	struct ns_list *l = arg;
	struct ifaddrs *ifa, *i;
	char path[64];
	int fd, sock;

	snprintf(path, sizeof(path), "/proc/%d/ns/net", l->pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return NULL;
	if (setns(fd, CLONE_NEWNET) || getifaddrs(&ifa)) {
		close(fd);
		return NULL;
	}
	close(fd);
	if (l->hook)
		l->hook(l->hook_ctx, l->netns);
	sock = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	for (i = ifa; i; i = i->ifa_next) {
		struct iface *f = _get(l, i->ifa_name);
		char a[INET6_ADDRSTRLEN];
		size_t len;

		if (!f)
			continue;
		f->flags = i->ifa_flags;
		if (!i->ifa_addr)
			continue;
		if (i->ifa_addr->sa_family == AF_PACKET) {
			const struct sockaddr_ll *ll = (const void *)i->ifa_addr;

			f->hw_len = ll->sll_halen <= sizeof(f->hw) ? ll->sll_halen : 0;
			memcpy(f->hw, ll->sll_addr, f->hw_len);
			continue;
		}
		if (i->ifa_addr->sa_family != AF_INET && i->ifa_addr->sa_family != AF_INET6)
			continue;
		inet_ntop(i->ifa_addr->sa_family,
			  i->ifa_addr->sa_family == AF_INET
				  ? (const void *)&((const struct sockaddr_in *)i->ifa_addr)->sin_addr
				  : (const void *)&((const struct sockaddr_in6 *)i->ifa_addr)->sin6_addr,
			  a, sizeof(a));
		len = strlen(f->addrs);
		snprintf(f->addrs + len, sizeof(f->addrs) - len, "%s%s/%d", len ? " " : "", a,
			 _prefix_len(i->ifa_netmask));
	}
	for (size_t k = 0; k < l->cnt; k++) {
		struct ifreq req = { 0 };

		l->v[k].index = if_nametoindex(l->v[k].name);
		snprintf(req.ifr_name, sizeof(req.ifr_name), "%s", l->v[k].name);
		if (sock >= 0 && !ioctl(sock, SIOCGIFMTU, &req))
			l->v[k].mtu = (uint32_t)req.ifr_mtu;
	}
	if (sock >= 0)
		close(sock);
	freeifaddrs(ifa);
	l->ok = 1;
	return NULL;
}

int ifaces__write_ns(struct ifaces *x, struct trace_writer *w, uint64_t ts, pid_t pid,
		     uint64_t netns)
{
	struct ns_list *l;
	pthread_t th;
	int err = 0;

	if (ns_set__has(&x->done, netns))
		return 0;
	l = calloc(1, sizeof(*l));
	if (!l)
		return 0;
	l->pid = pid;
	l->netns = netns;
	l->hook = x->hook;
	l->hook_ctx = x->hook_ctx;
	if (pthread_create(&th, NULL, _list, l)) {
		free(l);
		return 0;
	}
	pthread_join(th, NULL);
	for (size_t i = 0; l->ok && i < l->cnt && !err; i++) {
		const struct iface *f = &l->v[i];
		struct trace_rec rec = { .type = TR_IFACE, .ts = ts };

		rec.ints[0] = f->index;
		rec.ints[1] = netns;
		rec.ints[2] = f->flags;
		rec.ints[3] = f->mtu;
		rec.int_cnt = 4;
		rec.blobs[0] = (struct trace_blob){ f->name, (uint32_t)strlen(f->name), 0, TRACE_BLOB_F_INTERN };
		rec.blobs[1] = (struct trace_blob){ f->addrs, (uint32_t)strlen(f->addrs), 1, 0 };
		rec.blobs[2] = (struct trace_blob){ f->hw, f->hw_len, 2, 0 };
		rec.blob_cnt = 3;
		err = trace_writer__append(w, &rec);
	}
	bool done = l->ok;

	if (!l->ok) { /* count the failure; give up after MAX_TRIES */
		size_t slot = netns % 16;

		if (x->failed[slot] != netns) {
			x->failed[slot] = netns;
			x->tries[slot] = 0;
		}
		done = ++x->tries[slot] >= MAX_TRIES;
	}
	if (done)
		ns_set__add(&x->done, netns);
	free(l);
	return err;
}
