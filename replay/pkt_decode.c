// SPDX-License-Identifier: Apache-2.0
/* Packet headers and their one-line summary (see pkt_decode.h). */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "pkt_decode.h"

static uint16_t _be16(const uint8_t *b)
{
	return (uint16_t)(b[0] << 8 | b[1]);
}

static uint32_t _be32(const uint8_t *b)
{
	return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
}

/* The transport header at @off; @l4len is its length with payload, per the IP header. */
static int _l4(const uint8_t *d, uint32_t caplen, uint32_t off, uint32_t l4len, struct sr_pkt *p)
{
	uint32_t hl;

	switch (p->l4proto) {
	case IPPROTO_TCP:
		if (off + 20 > caplen)
			return -1;
		p->sport = _be16(d + off);
		p->dport = _be16(d + off + 2);
		p->seq = _be32(d + off + 4);
		p->ack = _be32(d + off + 8);
		hl = (uint32_t)(d[off + 12] >> 4) * 4;
		p->tcp_flags = d[off + 13] & 0x3f;
		if (hl < 20)
			return -1;
		p->payload_off = off + hl;
		p->payload_len = l4len > hl ? l4len - hl : 0;
		return 0;
	case IPPROTO_UDP:
		if (off + 8 > caplen)
			return -1;
		p->sport = _be16(d + off);
		p->dport = _be16(d + off + 2);
		p->payload_off = off + 8;
		p->payload_len = l4len > 8 ? l4len - 8 : 0;
		return 0;
	case IPPROTO_ICMP:
	case IPPROTO_ICMPV6:
		if (off + 4 > caplen)
			return -1;
		p->icmp_type = d[off];
		p->icmp_code = d[off + 1];
		p->payload_off = off + 4;
		p->payload_len = l4len > 4 ? l4len - 4 : 0;
		return 0;
	}
	p->payload_off = off;
	p->payload_len = l4len;
	return 0;
}

static int _ipv6(const uint8_t *d, uint32_t caplen, struct sr_pkt *p)
{
	uint32_t off = 40, plen;
	uint8_t next;

	if (caplen < 40 || d[0] >> 4 != 6)
		return -1;
	p->family = AF_INET6;
	memcpy(p->src, d + 8, 16);
	memcpy(p->dst, d + 24, 16);
	plen = _be16(d + 4);
	next = d[6];
	/* hop-by-hop, routing, fragment, destination options: skip to the transport header */
	for (int i = 0; i < 8; i++) {
		uint32_t len;

		if (next != 0 && next != 43 && next != 44 && next != 60)
			break;
		if (off + 8 > caplen)
			return -1;
		len = next == 44 ? 8 : ((uint32_t)d[off + 1] + 1) * 8;
		/* A later fragment (offset not 0): what follows is data, not a transport header. */
		bool later_frag = next == 44 && (_be16(d + off + 2) & 0xfff8);

		next = d[off];
		plen = plen > len ? plen - len : 0;
		off += len;
		if (later_frag) {
			p->l4proto = next;
			p->payload_off = off;
			p->payload_len = plen;
			return 0;
		}
	}
	p->l4proto = next;
	return _l4(d, caplen, off, plen, p);
}

int sr_pkt__decode(const uint8_t *d, uint32_t caplen, uint16_t ethertype, struct sr_pkt *p)
{
	uint32_t hl, total;

	memset(p, 0, sizeof(*p));
	if (!d)
		return -1;
	if (ethertype == 0x86dd)
		return _ipv6(d, caplen, p);
	if (ethertype != 0x0800 || caplen < 20 || d[0] >> 4 != 4)
		return -1;
	hl = (uint32_t)(d[0] & 0xf) * 4;
	if (hl < 20)
		return -1;
	p->family = AF_INET;
	memcpy(p->src, d + 12, 4);
	memcpy(p->dst, d + 16, 4);
	p->l4proto = d[9];
	total = _be16(d + 2);
	if (_be16(d + 6) & 0x1fff) { /* a later fragment: no transport header in it */
		p->payload_off = hl;
		p->payload_len = total > hl ? total - hl : 0;
		return 0;
	}
	return _l4(d, caplen, hl, total > hl ? total - hl : 0, p);
}

static const char *_icmp_name(const struct sr_pkt *p)
{
	if (p->l4proto == IPPROTO_ICMP)
		switch (p->icmp_type) {
		case 0: return "echo reply";
		case 3: return "unreachable";
		case 8: return "echo request";
		case 11: return "time exceeded";
		}
	else
		switch (p->icmp_type) {
		case 1: return "unreachable";
		case 128: return "echo request";
		case 129: return "echo reply";
		case 135: return "neighbor solicitation";
		case 136: return "neighbor advertisement";
		}
	return NULL;
}

/* "addr:port", with brackets for IPv6 */
static void _endpoint(const struct sr_pkt *p, const uint8_t *a, uint16_t port, bool with_port,
		      char *buf, size_t sz)
{
	char s[INET6_ADDRSTRLEN];

	inet_ntop(p->family, a, s, sizeof(s));
	if (!with_port)
		snprintf(buf, sz, "%s", s);
	else if (p->family == AF_INET6)
		snprintf(buf, sz, "[%s]:%u", s, port);
	else
		snprintf(buf, sz, "%s:%u", s, port);
}

static int _clip(int n, size_t sz)
{
	return n < 0 ? 0 : (size_t)n >= sz ? (int)(sz ? sz - 1 : 0) : n;
}

int sr_pkt__summary(const struct sr_pkt *p, uint16_t ethertype, uint32_t wire_len, char *buf,
		    size_t sz)
{
	bool ports = p->l4proto == IPPROTO_TCP || p->l4proto == IPPROTO_UDP;
	char a[64], b[64], flags[8];
	const char *icmp;
	size_t nf = 0;

	if (!sz)
		return 0;
	if (!p->family)
		return _clip(snprintf(buf, sz, "ethertype 0x%04x len %u", ethertype, wire_len), sz);
	_endpoint(p, p->src, p->sport, ports, a, sizeof(a));
	_endpoint(p, p->dst, p->dport, ports, b, sizeof(b));
	switch (p->l4proto) {
	case IPPROTO_TCP:
		/* tcpdump's letters and order: S F P R, then . for ACK */
		if (p->tcp_flags & 0x02)
			flags[nf++] = 'S';
		if (p->tcp_flags & 0x01)
			flags[nf++] = 'F';
		if (p->tcp_flags & 0x08)
			flags[nf++] = 'P';
		if (p->tcp_flags & 0x04)
			flags[nf++] = 'R';
		if (p->tcp_flags & 0x10)
			flags[nf++] = '.';
		flags[nf] = '\0';
		if (p->tcp_flags & 0x10)
			return _clip(snprintf(buf, sz, "TCP %s > %s [%s] seq %u ack %u len %u", a, b,
					      flags, p->seq, p->ack, p->payload_len), sz);
		return _clip(snprintf(buf, sz, "TCP %s > %s [%s] seq %u len %u", a, b, flags, p->seq,
				      p->payload_len), sz);
	case IPPROTO_UDP:
		return _clip(snprintf(buf, sz, "UDP %s > %s len %u", a, b, p->payload_len), sz);
	case IPPROTO_ICMP:
	case IPPROTO_ICMPV6:
		icmp = _icmp_name(p);
		if (icmp)
			return _clip(snprintf(buf, sz, "%s %s > %s %s",
					      p->l4proto == IPPROTO_ICMP ? "ICMP" : "ICMPv6", a, b,
					      icmp), sz);
		return _clip(snprintf(buf, sz, "%s %s > %s type %u code %u",
				      p->l4proto == IPPROTO_ICMP ? "ICMP" : "ICMPv6", a, b,
				      p->icmp_type, p->icmp_code), sz);
	}
	return _clip(snprintf(buf, sz, "IP%s %s > %s proto %u len %u",
			      p->family == AF_INET6 ? "v6" : "", a, b, p->l4proto, p->payload_len), sz);
}
