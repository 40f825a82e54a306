/* SPDX-License-Identifier: Apache-2.0 */
/*
 * replay --pcap: packets out to a file Wireshark and tshark read, link type LINUX_SLL2, whose
 * 20-byte header keeps each packet's protocol, interface index, hardware type and packet type
 * (direction).  OUT.pcapng: sysrec's own pcapng writer (libpcap 1.10 writes only pcap), with an
 * interface block per interface seen (name, description: its container), nanosecond stamps and
 * the direction in epb_flags.  Any other name: classic pcap, written with libpcap.
 * Also: tcpdump expressions over packets (--packet-filter), compiled and run with libpcap.
 */
#ifndef SYSREC_PCAP_OUT_H
#define SYSREC_PCAP_OUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct sr_pcap_pkt {
	uint64_t wall_ns;    /* wall-clock time, ns since the epoch */
	uint64_t netns;      /* network namespace inode: (netns, ifindex) names one interface */
	uint32_t ifindex;
	const char *ifname;  /* "eth0", or NULL when unknown ("if<N>") */
	const char *ifdesc;  /* "container web (1a2b3c4d5e6f), netns N", "host, netns N"; or NULL */
	uint16_t hatype;     /* ARPHRD_* of the interface */
	uint8_t pkttype;     /* PACKET_HOST (0) .. PACKET_OUTGOING (4) */
	uint16_t ethertype;  /* host order */
	const uint8_t *data; /* from the network header on */
	uint32_t caplen;     /* bytes in data */
	uint32_t wire_len;   /* length of the L3 packet on the wire */
};

struct sr_pcap_out;

/* Create @path (mode 0600).  On error: one line in @err and a negative errno. */
int sr_pcap_out__open(const char *path, uint32_t snaplen, struct sr_pcap_out **out, char *err,
		      size_t errsz);
/* @return 0 or a negative errno (-ENOSPC, ...). */
int sr_pcap_out__write(struct sr_pcap_out *o, const struct sr_pcap_pkt *p);
/* Flush and close; NULL is fine.  @return 0 or the first error. */
int sr_pcap_out__close(struct sr_pcap_out *o);

/* The SLL2 header and the data (clipped to @cap) in @buf (@cap >= 20); @return its length. */
uint32_t sr_pcap__sll2_frame(const struct sr_pcap_pkt *p, uint8_t *buf, uint32_t cap);

struct sr_pkt_filter;
/* On error: "bad packet filter 'EXPR': libpcap's message" in @err, -EINVAL. */
int sr_pkt_filter__compile(const char *expr, struct sr_pkt_filter **out, char *err, size_t errsz);
bool sr_pkt_filter__match(struct sr_pkt_filter *f, const struct sr_pcap_pkt *p);
void sr_pkt_filter__free(struct sr_pkt_filter *f);

#endif
