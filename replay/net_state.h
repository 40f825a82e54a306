/* SPDX-License-Identifier: Apache-2.0 */
/*
 * What replay knows of networks, for packets: the interfaces of each network namespace (IFACE
 * records) and the container a namespace belongs to (the container of the threads met in it;
 * a pod's containers share one: the first seen names it).  A packet belongs to an interface,
 * not to a thread, so this is how it gets its container.
 */
#ifndef SYSREC_NET_STATE_H
#define SYSREC_NET_STATE_H

#include <stdint.h>

#include "record.h"
#include "state.h"

struct sr_net_state;

struct sr_net_state *sr_net_state__new(void);
void sr_net_state__free(struct sr_net_state *ns);

void sr_net_state__on_iface(struct sr_net_state *ns, const struct trace_rec *rec);
/* Thread @tid lives in @netns, in container @ctr (NULL: the host). */
void sr_net_state__on_thread(struct sr_net_state *ns, uint64_t netns, struct sr_container *ctr,
			     uint32_t tid);

/* The name of interface @ifindex of @netns, or NULL when unknown. */
const char *sr_net_state__ifname(struct sr_net_state *ns, uint64_t netns, uint32_t ifindex);
/* The container whose network namespace @netns is; NULL for the host or when unknown
 * (*@known says which). */
struct sr_container *sr_net_state__container(struct sr_net_state *ns, uint64_t netns, bool *known);

/* The thread that named @netns's owner, 0 when none: a slice of packets writes it, so that
 * the packets keep their container. */
uint32_t sr_net_state__owner_tid(struct sr_net_state *ns, uint64_t netns);

#endif
