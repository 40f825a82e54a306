/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Decoding a captured packet from its network header on (what record --packets keeps): IPv4
 * and IPv6 (extension headers skipped), TCP, UDP, ICMP; and a tcpdump-like summary line.
 * Never reads past the captured length: a truncated packet gives what could be decoded.
 */
#ifndef SYSREC_PKT_DECODE_H
#define SYSREC_PKT_DECODE_H

#include <stddef.h>
#include <stdint.h>

struct sr_pkt {
	uint8_t family;           /* AF_INET, AF_INET6, or 0 when not IP / too short */
	uint8_t l4proto;          /* IPPROTO_TCP, UDP, ICMP, ICMPV6, ...; 0 when unknown */
	uint8_t src[16], dst[16]; /* network order; IPv4 in the first 4 bytes, rest zero */
	uint16_t sport, dport;    /* host order; 0 without ports */
	uint8_t tcp_flags;        /* FIN 0x01 SYN 0x02 RST 0x04 PSH 0x08 ACK 0x10 URG 0x20 */
	uint32_t seq, ack;        /* TCP, host order */
	uint8_t icmp_type, icmp_code;
	uint32_t payload_off;     /* offset of the L4 payload in the captured bytes */
	uint32_t payload_len;     /* its length per the headers (may exceed what was captured) */
};

/* @ethertype in host order (0x0800, 0x86dd; others give family 0).
 * @return 0 when the headers were whole, -1 when not IP or truncated. */
int sr_pkt__decode(const uint8_t *data, uint32_t caplen, uint16_t ethertype, struct sr_pkt *out);

/* "TCP 127.0.0.1:41234 > 127.0.0.1:8080 [S] seq 1000 len 0", "UDP ... len 32",
 * "ICMP 1.2.3.4 > 5.6.7.8 echo request", "TCP [::1]:80 > [::1]:5000 [P.] ...",
 * "ethertype 0x0806 len 42" into @buf (always terminated).  @return the length written. */
int sr_pkt__summary(const struct sr_pkt *p, uint16_t ethertype, uint32_t wire_len, char *buf,
		    size_t sz);

#endif
