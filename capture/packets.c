// SPDX-License-Identifier: Apache-2.0
/* record --packets: libpcap per network namespace (see packets.h). */
#include <errno.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <pcap/pcap.h>
#include <pcap/sll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "packets.h"
#include "sr_log.h"

#ifndef DLT_LINUX_SLL2
#define DLT_LINUX_SLL2 276
#endif
#define SLL2_LEN 20
#define QUEUE_MAX_BYTES (64u << 20) /* beyond this the main loop is not keeping up: drop */
#define POLL_MAX 4096               /* packets per socket per poll: the rings get their turn */

struct src {
	pcap_t *pc;
	uint64_t netns;
	uint64_t kernel_drops;
};

struct qpkt {
	uint64_t ts, netns, wire_len;
	uint32_t ifindex, caplen;
	uint16_t ethertype, hatype;
	uint8_t pkttype;
	uint8_t data[];
};

struct packets {
	struct packets_opts o;
	char iface[IF_NAMESIZE];
	char *filter;
	pthread_mutex_t lock; /* packets__open_here() runs on a helper thread */
	struct src *srcs;
	size_t src_cnt;
	uint64_t wall_minus_mono; /* pcap stamps with CLOCK_REALTIME; records use MONOTONIC */
	struct qpkt **heap;       /* min-heap by ts */
	size_t heap_cnt, heap_cap;
	size_t queued_bytes;
	struct qpkt *popped;
	uint64_t queue_drops, pkt_cnt;
	uint64_t cur_netns; /* of the socket being read (the pcap callback's context) */
	bool warned;
};

static uint64_t _ns(clockid_t c)
{
	struct timespec ts;

	clock_gettime(c, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

int packets__check(const struct packets_opts *o, char *err, size_t errsz)
{
	struct bpf_program prog;
	pcap_t *dead;

	if (o->iface && strcmp(o->iface, "all") && (!o->iface[0] || strlen(o->iface) >= IF_NAMESIZE ||
						    strchr(o->iface, '/'))) {
		snprintf(err, errsz, "--packets '%s': not an interface name (or 'all')", o->iface);
		return -EINVAL;
	}
	if (!o->filter)
		return 0;
	dead = pcap_open_dead(DLT_LINUX_SLL2, (int)(o->snaplen + SLL2_LEN));
	if (!dead) {
		snprintf(err, errsz, "--packet-filter: libpcap cannot compile filters");
		return -EINVAL;
	}
	if (pcap_compile(dead, &prog, o->filter, 1, PCAP_NETMASK_UNKNOWN)) {
		snprintf(err, errsz, "bad --packet-filter '%s': %s", o->filter, pcap_geterr(dead));
		pcap_close(dead);
		return -EINVAL;
	}
	pcap_freecode(&prog);
	pcap_close(dead);
	return 0;
}

int packets__new(const struct packets_opts *o, struct packets **out)
{
	struct packets *p = calloc(1, sizeof(*p));

	if (!p)
		return -ENOMEM;
	p->o = *o;
	if (o->iface && strcmp(o->iface, "all"))
		snprintf(p->iface, sizeof(p->iface), "%s", o->iface);
	p->filter = o->filter ? strdup(o->filter) : NULL;
	if (o->filter && !p->filter) {
		free(p);
		return -ENOMEM;
	}
	p->o.iface = NULL;
	p->o.filter = NULL;
	pthread_mutex_init(&p->lock, NULL);
	p->wall_minus_mono = _ns(CLOCK_REALTIME) - _ns(CLOCK_MONOTONIC);
	*out = p;
	return 0;
}

void packets__free(struct packets *p)
{
	if (!p)
		return;
	for (size_t i = 0; i < p->src_cnt; i++)
		pcap_close(p->srcs[i].pc);
	for (size_t i = 0; i < p->heap_cnt; i++)
		free(p->heap[i]);
	free(p->heap);
	free(p->popped);
	free(p->srcs);
	free(p->filter);
	pthread_mutex_destroy(&p->lock);
	free(p);
}

static void _warn_once(struct packets *p, const char *what, const char *why)
{
	if (p->warned)
		return;
	p->warned = true;
	sr_warn("record: packets: %s: %s (reported once)", what, why);
}

/* A socket of this thread's namespace, cooked (SLL2) framing.  Always the "any" device: only
 * it has SLL2 (loopback by name offers Ethernet framing alone), whose header gives the
 * interface and direction; a named interface is selected in the kernel filter by its index. */
static pcap_t *_open(struct packets *p)
{
	char ebuf[PCAP_ERRBUF_SIZE] = "", *expr = p->filter;
	const char *dev = p->iface[0] ? p->iface : "any";
	struct bpf_program prog;
	pcap_t *pc;

	if (p->iface[0]) {
		unsigned int idx = if_nametoindex(p->iface); /* this thread is in the namespace */
		size_t sz = 64 + (p->filter ? strlen(p->filter) : 0);

		if (!idx) /* this namespace has no such interface */
			return NULL;
		expr = malloc(sz);
		if (!expr)
			return NULL;
		if (p->filter)
			snprintf(expr, sz, "ifindex %u and (%s)", idx, p->filter);
		else
			snprintf(expr, sz, "ifindex %u", idx);
	}
	pc = pcap_create("any", ebuf);

	if (!pc) {
		_warn_once(p, dev, ebuf);
		goto fail;
	}
	pcap_set_snaplen(pc, (int)(p->o.snaplen + SLL2_LEN));
	pcap_set_immediate_mode(pc, 1); /* no block timeout: packets reach the merge promptly */
	pcap_set_buffer_size(pc, (int)(p->o.buf_mb << 20));
	pcap_set_tstamp_precision(pc, PCAP_TSTAMP_PRECISION_NANO);
	int rc = pcap_activate(pc);

	if (rc < 0 || pcap_set_datalink(pc, DLT_LINUX_SLL2) || pcap_setnonblock(pc, 1, ebuf)) {
		_warn_once(p, dev, pcap_geterr(pc));
		goto fail;
	}
	if (expr) {
		if (pcap_compile(pc, &prog, expr, 1, PCAP_NETMASK_UNKNOWN) ||
		    pcap_setfilter(pc, &prog)) {
			_warn_once(p, "--packet-filter", pcap_geterr(pc));
			goto fail;
		}
		pcap_freecode(&prog);
	}
	if (expr != p->filter)
		free(expr);
	return pc;
fail:
	if (pc)
		pcap_close(pc);
	if (expr != p->filter)
		free(expr);
	return NULL;
}

void packets__open_here(struct packets *p, uint64_t netns)
{
	pcap_t *pc;

	pthread_mutex_lock(&p->lock);
	for (size_t i = 0; i < p->src_cnt; i++)
		if (p->srcs[i].netns == netns)
			goto out;
	pc = _open(p);
	if (pc) {
		struct src *v = realloc(p->srcs, (p->src_cnt + 1) * sizeof(*v));

		if (!v) {
			pcap_close(pc);
			goto out;
		}
		p->srcs = v;
		p->srcs[p->src_cnt++] = (struct src){ .pc = pc, .netns = netns };
	}
out:
	pthread_mutex_unlock(&p->lock);
}

static void _heap_push(struct packets *p, struct qpkt *q)
{
	size_t i = p->heap_cnt++;

	while (i) {
		size_t up = (i - 1) / 2;

		if (p->heap[up]->ts <= q->ts)
			break;
		p->heap[i] = p->heap[up];
		i = up;
	}
	p->heap[i] = q;
}

static struct qpkt *_heap_pop(struct packets *p)
{
	struct qpkt *top = p->heap[0], *last = p->heap[--p->heap_cnt];
	size_t i = 0;

	for (;;) {
		size_t c = 2 * i + 1;

		if (c >= p->heap_cnt)
			break;
		if (c + 1 < p->heap_cnt && p->heap[c + 1]->ts < p->heap[c]->ts)
			c++;
		if (last->ts <= p->heap[c]->ts)
			break;
		p->heap[i] = p->heap[c];
		i = c;
	}
	if (p->heap_cnt)
		p->heap[i] = last;
	return top;
}

static uint32_t _be32(const uint8_t *b)
{
	return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
}

static void _on_packet(u_char *arg, const struct pcap_pkthdr *h, const u_char *bytes)
{
	struct packets *p = (struct packets *)arg;
	uint32_t caplen = h->caplen > SLL2_LEN ? h->caplen - SLL2_LEN : 0;
	struct qpkt *q;

	if (h->caplen < SLL2_LEN)
		return;
	if (p->queued_bytes + caplen > QUEUE_MAX_BYTES) {
		p->queue_drops++;
		return;
	}
	if (p->heap_cnt == p->heap_cap) {
		size_t cap = p->heap_cap ? p->heap_cap * 2 : 1024;
		struct qpkt **v = realloc(p->heap, cap * sizeof(*v));

		if (!v) {
			p->queue_drops++;
			return;
		}
		p->heap = v;
		p->heap_cap = cap;
	}
	q = malloc(sizeof(*q) + caplen);
	if (!q) {
		p->queue_drops++;
		return;
	}
	/* tv_usec holds nanoseconds with PCAP_TSTAMP_PRECISION_NANO */
	q->ts = (uint64_t)h->ts.tv_sec * 1000000000ull + (uint64_t)h->ts.tv_usec - p->wall_minus_mono;
	q->netns = p->cur_netns;
	q->wire_len = h->len > SLL2_LEN ? h->len - SLL2_LEN : 0;
	q->ethertype = (uint16_t)(bytes[0] << 8 | bytes[1]);
	q->ifindex = _be32(bytes + 4);
	q->hatype = (uint16_t)(bytes[8] << 8 | bytes[9]);
	q->pkttype = bytes[10];
	q->caplen = caplen;
	memcpy(q->data, bytes + SLL2_LEN, caplen);
	p->queued_bytes += caplen;
	p->pkt_cnt++;
	_heap_push(p, q);
}

size_t packets__poll(struct packets *p)
{
	size_t n = 0;

	pthread_mutex_lock(&p->lock);
	/* the wall clock may be stepped (NTP): follow it, as the kernel stamps with it */
	p->wall_minus_mono = _ns(CLOCK_REALTIME) - _ns(CLOCK_MONOTONIC);
	for (size_t i = 0; i < p->src_cnt; i++) {
		int got;

		p->cur_netns = p->srcs[i].netns;
		got = pcap_dispatch(p->srcs[i].pc, POLL_MAX, _on_packet, (u_char *)p);
		if (got > 0)
			n += (size_t)got;
	}
	pthread_mutex_unlock(&p->lock);
	return n;
}

bool packets__head(struct packets *p, uint64_t *ts)
{
	if (!p->heap_cnt)
		return false;
	*ts = p->heap[0]->ts;
	return true;
}

void packets__pop(struct packets *p, struct trace_rec *rec)
{
	struct qpkt *q;

	free(p->popped);
	q = p->popped = _heap_pop(p);
	p->queued_bytes -= q->caplen;
	memset(rec, 0, sizeof(*rec));
	rec->type = TR_PACKET;
	rec->ts = q->ts;
	rec->ints[TR_PACKET_IFINDEX] = q->ifindex;
	rec->ints[TR_PACKET_NETNS] = q->netns;
	rec->ints[TR_PACKET_DIRECTION] = q->pkttype == PACKET_OUTGOING;
	rec->ints[TR_PACKET_WIRE_LEN] = q->wire_len;
	rec->ints[TR_PACKET_ETHERTYPE] = q->ethertype;
	rec->ints[TR_PACKET_PKTTYPE] = q->pkttype;
	rec->ints[TR_PACKET_HATYPE] = q->hatype;
	rec->int_cnt = TR_PACKET_INT_CNT;
	rec->blobs[0] = (struct trace_blob){ q->data, q->caplen, 0, 0 };
	rec->blob_cnt = 1;
}

uint64_t packets__drops(struct packets *p)
{
	uint64_t n;

	pthread_mutex_lock(&p->lock);
	n = p->queue_drops;
	for (size_t i = 0; i < p->src_cnt; i++) {
		struct pcap_stat st;

		/* ps_drop: the socket's buffer was full (cumulative for the socket's life) */
		if (!pcap_stats(p->srcs[i].pc, &st))
			p->srcs[i].kernel_drops = st.ps_drop;
		n += p->srcs[i].kernel_drops;
	}
	pthread_mutex_unlock(&p->lock);
	return n;
}

void packets__stats(struct packets *p, uint64_t *pkts, size_t *ns_cnt)
{
	*pkts = p->pkt_cnt;
	*ns_cnt = p->src_cnt;
}
