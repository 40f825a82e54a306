// SPDX-License-Identifier: Apache-2.0
/* Interfaces and namespace owners for packets (see net_state.h). */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "hmap.h"
#include "net_state.h"
#include "state_alloc.h"

struct iface {
	uint64_t netns;
	uint32_t ifindex;
	char *name;
};

struct netns_owner {
	struct sr_container *ctr; /* NULL: the host */
	uint32_t tid;             /* the thread that named it (a slice writes it for packets) */
};

struct sr_net_state {
	struct iface *ifaces; /* few: a linear search, with the last hit first */
	size_t iface_cnt;
	size_t last;
	struct sr_hmap owners; /* netns -> struct netns_owner */
};

struct sr_net_state *sr_net_state__new(void)
{
	return sr_xcalloc(1, sizeof(struct sr_net_state));
}

void sr_net_state__free(struct sr_net_state *ns)
{
	if (!ns)
		return;
	for (size_t i = 0; i < ns->iface_cnt; i++)
		free(ns->ifaces[i].name);
	free(ns->ifaces);
	for (size_t i = 0; i < ns->owners.cap; i++)
		free(ns->owners.slots[i].val);
	sr_hmap__free(&ns->owners);
	free(ns);
}

static struct iface *_find(struct sr_net_state *ns, uint64_t netns, uint32_t ifindex)
{
	if (ns->last < ns->iface_cnt && ns->ifaces[ns->last].netns == netns &&
	    ns->ifaces[ns->last].ifindex == ifindex)
		return &ns->ifaces[ns->last];
	for (size_t i = 0; i < ns->iface_cnt; i++)
		if (ns->ifaces[i].netns == netns && ns->ifaces[i].ifindex == ifindex) {
			ns->last = i;
			return &ns->ifaces[i];
		}
	return NULL;
}

void sr_net_state__on_iface(struct sr_net_state *ns, const struct trace_rec *rec)
{
	struct iface *f;

	if (rec->int_cnt < 2 || rec->blob_cnt < 1)
		return;
	f = _find(ns, rec->ints[1], (uint32_t)rec->ints[0]);
	if (!f) {
		ns->ifaces = sr_xrealloc(ns->ifaces, (ns->iface_cnt + 1) * sizeof(*ns->ifaces));
		f = &ns->ifaces[ns->iface_cnt++];
		f->netns = rec->ints[1];
		f->ifindex = (uint32_t)rec->ints[0];
	} else {
		free(f->name);
	}
	f->name = sr_xstrndup(rec->blobs[0].data, rec->blobs[0].sz);
}

void sr_net_state__on_thread(struct sr_net_state *ns, uint64_t netns, struct sr_container *ctr,
			     uint32_t tid)
{
	struct netns_owner *o;

	if (!netns)
		return;
	/* The first thread met names the namespace: the snapshot lists the host's processes
	 * (pid 1 first) before a container's, and a container's own processes before anything
	 * that enters its namespace from the host (nsenter); a container sharing the host's
	 * namespace (--network host) does not make host packets its own. */
	if (sr_hmap__get(&ns->owners, netns))
		return;
	o = sr_xcalloc(1, sizeof(*o));
	o->ctr = ctr;
	o->tid = tid;
	if (sr_hmap__put(&ns->owners, netns, o))
		sr_state__oom();
}

const char *sr_net_state__ifname(struct sr_net_state *ns, uint64_t netns, uint32_t ifindex)
{
	struct iface *f = _find(ns, netns, ifindex);

	return f ? f->name : NULL;
}

struct sr_container *sr_net_state__container(struct sr_net_state *ns, uint64_t netns, bool *known)
{
	struct netns_owner *o = sr_hmap__get(&ns->owners, netns);

	*known = o != NULL;
	return o ? o->ctr : NULL;
}

uint32_t sr_net_state__owner_tid(struct sr_net_state *ns, uint64_t netns)
{
	struct netns_owner *o = sr_hmap__get(&ns->owners, netns);

	return o ? o->tid : 0;
}
