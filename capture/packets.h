/* SPDX-License-Identifier: Apache-2.0 */
/*
 * record --packets: packets of every network namespace the recording meets (the host's, each
 * container's), captured with libpcap from inside that namespace, as PACKET records on the
 * trace's timeline.
 *
 * Why libpcap per namespace (docs/packets.md): a packet socket sees every interface of its
 * namespace (the "any" device, or one named interface), both directions, including traffic
 * that never touches a socket of a traced process (forwarded, dropped, ICMP); the kernel runs
 * the compiled tcpdump filter before the copy; and its LINUX_SLL2 header gives the interface
 * index, the direction and the protocol of each packet.  A namespace is entered from a helper
 * thread (setns() changes only the calling thread); the socket stays bound to it.
 *
 * The main loop polls the sockets without blocking (packets__poll()) and merges the queued
 * packets by time with the driver's records (packets__head()/packets__pop()).
 */
#ifndef SYSREC_PACKETS_H
#define SYSREC_PACKETS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "record.h"

struct packets;

struct packets_opts {
	const char *iface;   /* NULL or "all": every interface; else this name in each namespace */
	const char *filter;  /* tcpdump expression, or NULL */
	uint32_t snaplen;    /* bytes kept per packet, from the network header on */
	uint32_t buf_mb;     /* kernel buffer per namespace */
};

/* Check @o (the filter compiles, the interface name is valid) before anything is loaded.
 * @return 0, or -EINVAL with one line in @err. */
int packets__check(const struct packets_opts *o, char *err, size_t errsz);

int packets__new(const struct packets_opts *o, struct packets **out);
void packets__free(struct packets *p);

/* Start capturing in network namespace @netns; called from a thread already inside it (see
 * ifaces__set_ns_hook()).  A namespace without the interface asked for is skipped; other
 * failures are reported once on stderr. */
void packets__open_here(struct packets *p, uint64_t netns);

/* Read what the sockets hold into the queue.  @return packets read. */
size_t packets__poll(struct packets *p);

/* The time of the earliest queued packet, or false when none is queued. */
bool packets__head(struct packets *p, uint64_t *ts);

/* Fill @rec with the earliest queued packet and remove it; @rec's blob stays valid until the
 * next call. */
void packets__pop(struct packets *p, struct trace_rec *rec);

/* Packets lost so far: the kernel's count (a socket buffer full) plus the queue's. */
uint64_t packets__drops(struct packets *p);

/* Packets captured so far, and namespaces captured in. */
void packets__stats(struct packets *p, uint64_t *pkts, size_t *ns_cnt);

#endif
