// SPDX-License-Identifier: Apache-2.0
/*
 * test_pcap_out: replay's packet modules without BPF or root: sr_pkt__decode()/summary() on
 * hand-built packets (every truncation of each, so ASan sees any read past the captured
 * bytes), the pcap and pcapng writers (read back with libpcap here; test_pcap.sh then has
 * tshark read the same files) and tcpdump filters over SLL2 frames.
 *
 *	test_pcap_out OUT.pcap OUT.pcapng [CASE-GLOB...]
 *	test_pcap_out -l
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <pcap/pcap.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "pcap_out.h"
#include "pkt_decode.h"
#include "test.h"

#define ARRAY_CNT(a) (sizeof(a) / sizeof((a)[0]))
#define PAYLOAD "hello sysrec"
#define TS0 1700000000123456789ull
#define NETNS_HOST 4026531840ull
#define NETNS_WEB 4026532999ull

static const char *out_pcap, *out_pcapng;

/* ---- building packets ---- */

static void _be16(uint8_t *b, uint16_t v)
{
	b[0] = (uint8_t)(v >> 8);
	b[1] = (uint8_t)v;
}

static void _be32(uint8_t *b, uint32_t v)
{
	_be16(b, (uint16_t)(v >> 16));
	_be16(b + 2, (uint16_t)v);
}

static uint32_t _ip4(uint8_t *b, uint8_t proto, const char *src, const char *dst, uint32_t l4len)
{
	uint32_t sum = 0;

	memset(b, 0, 20);
	b[0] = 0x45;
	_be16(b + 2, (uint16_t)(20 + l4len));
	b[8] = 64;
	b[9] = proto;
	inet_pton(AF_INET, src, b + 12);
	inet_pton(AF_INET, dst, b + 16);
	for (int i = 0; i < 20; i += 2)
		sum += (uint32_t)(b[i] << 8 | b[i + 1]);
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	_be16(b + 10, (uint16_t)~sum);
	return 20;
}

static uint32_t _ip6(uint8_t *b, uint8_t next, const char *src, const char *dst, uint32_t plen)
{
	memset(b, 0, 40);
	b[0] = 0x60;
	_be16(b + 4, (uint16_t)plen);
	b[6] = next;
	b[7] = 64;
	inet_pton(AF_INET6, src, b + 8);
	inet_pton(AF_INET6, dst, b + 24);
	return 40;
}

/* TCP header (20 bytes, no options) and @payload at @b */
static uint32_t _tcp(uint8_t *b, uint16_t sport, uint16_t dport, uint8_t flags, uint32_t seq,
		     uint32_t ack, const char *payload)
{
	memset(b, 0, 20);
	_be16(b, sport);
	_be16(b + 2, dport);
	_be32(b + 4, seq);
	_be32(b + 8, ack);
	b[12] = 5 << 4;
	b[13] = flags;
	_be16(b + 14, 65535);
	memcpy(b + 20, payload, strlen(payload));
	return 20 + (uint32_t)strlen(payload);
}

static uint32_t _udp(uint8_t *b, uint16_t sport, uint16_t dport, const void *payload, uint32_t n)
{
	memset(b, 0, 8);
	_be16(b, sport);
	_be16(b + 2, dport);
	_be16(b + 4, (uint16_t)(8 + n));
	memcpy(b + 8, payload, n);
	return 8 + n;
}

static uint32_t tcp4(uint8_t *b, const char *src, uint16_t sport, const char *dst, uint16_t dport,
		     uint8_t flags, uint32_t seq, uint32_t ack, const char *payload)
{
	uint32_t n = _tcp(b + 20, sport, dport, flags, seq, ack, payload);

	return _ip4(b, IPPROTO_TCP, src, dst, n) + n;
}

static uint32_t udp4(uint8_t *b, const char *src, uint16_t sport, const char *dst, uint16_t dport,
		     const void *payload, uint32_t len)
{
	uint32_t n = _udp(b + 20, sport, dport, payload, len);

	return _ip4(b, IPPROTO_UDP, src, dst, n) + n;
}

static uint32_t icmp4(uint8_t *b, const char *src, const char *dst, uint8_t type, uint8_t code)
{
	uint8_t *h = b + 20;

	memset(h, 0, 8); /* type, code, checksum, id, sequence */
	h[0] = type;
	h[1] = code;
	_be16(h + 6, 1);
	return _ip4(b, IPPROTO_ICMP, src, dst, 8) + 8;
}

static uint32_t udp6(uint8_t *b, const char *src, uint16_t sport, const char *dst, uint16_t dport,
		     const char *payload)
{
	uint32_t n = _udp(b + 40, sport, dport, payload, (uint32_t)strlen(payload));

	return _ip6(b, IPPROTO_UDP, src, dst, n) + n;
}

/* IPv6, then hop-by-hop (8 bytes), destination options (16) and a first fragment (8), then TCP */
static uint32_t tcp6_ext(uint8_t *b, uint16_t sport, uint16_t dport, uint8_t flags,
			 const char *payload)
{
	uint8_t *e = b + 40;
	uint32_t n;

	memset(e, 0, 32);
	e[0] = 60; /* hop-by-hop: next is destination options, length 0 (8 bytes), PadN */
	e[2] = 1;
	e[3] = 4;
	e[8] = 44; /* destination options: next is fragment, length 1 (16 bytes), PadN */
	e[9] = 1;
	e[10] = 1;
	e[11] = 12;
	e[24] = IPPROTO_TCP; /* fragment: offset 0, more fragments 0 */
	_be32(e + 28, 0x1234);
	n = _tcp(e + 32, sport, dport, flags, 7, 9, payload);
	return _ip6(b, 0, "::1", "::1", 32 + n) + 32 + n;
}

/* ---- sr_pkt__decode() and sr_pkt__summary() ---- */

static void _check_summary(const uint8_t *d, uint32_t len, uint16_t ethertype, const char *want)
{
	struct sr_pkt p;
	char buf[160];

	sr_pkt__decode(d, len, ethertype, &p);
	ASSERT_EQ(sr_pkt__summary(&p, ethertype, len, buf, sizeof(buf)), strlen(want), want);
	ASSERT_STREQ(buf, want, "summary");
}

static void test_decode__tcp4(void)
{
	uint8_t b[128];
	uint32_t n = tcp4(b, "127.0.0.1", 41234, "127.0.0.1", 8080, 0x02, 1000, 0, "");
	struct sr_pkt p;

	ASSERT_EQ(sr_pkt__decode(b, n, 0x0800, &p), 0, "decode");
	ASSERT_EQ(p.family, AF_INET, "family");
	ASSERT_EQ(p.l4proto, IPPROTO_TCP, "l4proto");
	ASSERT_EQ(memcmp(p.src, b + 12, 4), 0, "src");
	ASSERT_EQ(memcmp(p.dst, b + 16, 4), 0, "dst");
	ASSERT_EQ(p.src[4] | p.src[15] | p.dst[4] | p.dst[15], 0, "IPv4 addresses zero-padded");
	ASSERT_EQ(p.sport, 41234, "sport");
	ASSERT_EQ(p.dport, 8080, "dport");
	ASSERT_EQ(p.tcp_flags, 0x02, "flags");
	ASSERT_EQ(p.seq, 1000, "seq");
	ASSERT_EQ(p.payload_off, 40, "payload_off");
	ASSERT_EQ(p.payload_len, 0, "payload_len");
	_check_summary(b, n, 0x0800, "TCP 127.0.0.1:41234 > 127.0.0.1:8080 [S] seq 1000 len 0");

	n = tcp4(b, "127.0.0.1", 8080, "127.0.0.1", 41234, 0x12, 5000, 1001, "");
	_check_summary(b, n, 0x0800,
		       "TCP 127.0.0.1:8080 > 127.0.0.1:41234 [S.] seq 5000 ack 1001 len 0");
	n = tcp4(b, "127.0.0.1", 41234, "127.0.0.1", 8080, 0x18, 1001, 5001, PAYLOAD);
	ASSERT_EQ(sr_pkt__decode(b, n, 0x0800, &p), 0, "decode");
	ASSERT_EQ(p.ack, 5001, "ack");
	ASSERT_EQ(p.payload_len, strlen(PAYLOAD), "payload_len");
	ASSERT_EQ(memcmp(b + p.payload_off, PAYLOAD, p.payload_len), 0, "payload");
	_check_summary(b, n, 0x0800,
		       "TCP 127.0.0.1:41234 > 127.0.0.1:8080 [P.] seq 1001 ack 5001 len 12");
	n = tcp4(b, "10.0.0.1", 1, "10.0.0.2", 2, 0x11, 3, 4, "");
	_check_summary(b, n, 0x0800, "TCP 10.0.0.1:1 > 10.0.0.2:2 [F.] seq 3 ack 4 len 0");
	n = tcp4(b, "10.0.0.1", 1, "10.0.0.2", 2, 0x04, 3, 0, "");
	_check_summary(b, n, 0x0800, "TCP 10.0.0.1:1 > 10.0.0.2:2 [R] seq 3 len 0");
}

static void test_decode__udp_icmp4(void)
{
	uint8_t b[128], zeros[32] = { 0 };
	uint32_t n = udp4(b, "10.0.0.1", 53, "10.0.0.2", 4000, zeros, sizeof(zeros));
	struct sr_pkt p;

	ASSERT_EQ(sr_pkt__decode(b, n, 0x0800, &p), 0, "decode udp");
	ASSERT_EQ(p.l4proto, IPPROTO_UDP, "l4proto");
	ASSERT_EQ(p.payload_off, 28, "payload_off");
	ASSERT_EQ(p.payload_len, 32, "payload_len");
	_check_summary(b, n, 0x0800, "UDP 10.0.0.1:53 > 10.0.0.2:4000 len 32");

	n = icmp4(b, "1.2.3.4", "5.6.7.8", 8, 0);
	ASSERT_EQ(sr_pkt__decode(b, n, 0x0800, &p), 0, "decode icmp");
	ASSERT_EQ(p.l4proto, IPPROTO_ICMP, "l4proto");
	ASSERT_EQ(p.icmp_type, 8, "type");
	ASSERT_EQ(p.sport | p.dport, 0, "no ports");
	_check_summary(b, n, 0x0800, "ICMP 1.2.3.4 > 5.6.7.8 echo request");
	n = icmp4(b, "5.6.7.8", "1.2.3.4", 0, 0);
	_check_summary(b, n, 0x0800, "ICMP 5.6.7.8 > 1.2.3.4 echo reply");
	n = icmp4(b, "1.2.3.4", "5.6.7.8", 5, 1);
	_check_summary(b, n, 0x0800, "ICMP 1.2.3.4 > 5.6.7.8 type 5 code 1");
}

static void test_decode__ipv6_ext(void)
{
	uint8_t b[160];
	uint32_t n = tcp6_ext(b, 80, 5000, 0x18, PAYLOAD);
	struct sr_pkt p;

	ASSERT_EQ(sr_pkt__decode(b, n, 0x86dd, &p), 0, "decode");
	ASSERT_EQ(p.family, AF_INET6, "family");
	ASSERT_EQ(p.l4proto, IPPROTO_TCP, "l4proto past hop-by-hop, dest-opts, fragment");
	ASSERT_EQ(memcmp(p.src, &in6addr_loopback, 16), 0, "src");
	ASSERT_EQ(p.sport, 80, "sport");
	ASSERT_EQ(p.dport, 5000, "dport");
	ASSERT_EQ(p.payload_off, 40 + 32 + 20, "payload_off");
	ASSERT_EQ(p.payload_len, strlen(PAYLOAD), "payload_len");
	_check_summary(b, n, 0x86dd, "TCP [::1]:80 > [::1]:5000 [P.] seq 7 ack 9 len 12");

	n = udp6(b, "fd00::1", 40000, "fd00::2", 40001, PAYLOAD);
	_check_summary(b, n, 0x86dd, "UDP [fd00::1]:40000 > [fd00::2]:40001 len 12");

	/* a later fragment (offset 1480 bytes = 185 units): data, not a TCP header */
	n = tcp6_ext(b, 80, 5000, 0x18, PAYLOAD);
	b[40 + 24 + 2] = (185 << 3) >> 8;
	b[40 + 24 + 3] = (185 << 3) & 0xff;
	ASSERT_EQ(sr_pkt__decode(b, n, 0x86dd, &p), 0, "decode a later fragment");
	ASSERT_EQ(p.l4proto, IPPROTO_TCP, "the fragment header's next header");
	ASSERT_EQ(p.sport | p.dport | p.tcp_flags, 0, "no ports or flags read from data");
	ASSERT_EQ(p.payload_off, 40 + 32, "payload right after the fragment header");
	ASSERT_EQ(p.payload_len, n - 40 - 32, "the fragment's data");
}

static void test_decode__not_ip(void)
{
	uint8_t b[64] = { 0 }, arp[28] = { 0x00, 0x01, 0x08, 0x00, 6, 4, 0, 1 };
	struct sr_pkt p;
	uint32_t n;

	ASSERT_EQ(sr_pkt__decode(arp, sizeof(arp), 0x0806, &p), -1, "arp");
	ASSERT_EQ(p.family, 0, "family");
	ASSERT_EQ(p.l4proto, 0, "l4proto");
	_check_summary(arp, 42, 0x0806, "ethertype 0x0806 len 42");
	ASSERT_EQ(sr_pkt__decode(NULL, 0, 0x0800, &p), -1, "no data");
	/* the IP version must agree with the ethertype; the header length must be >= 20 */
	n = tcp4(b, "10.0.0.1", 1, "10.0.0.2", 2, 0x02, 1, 0, "");
	ASSERT_EQ(sr_pkt__decode(b, n, 0x86dd, &p), -1, "IPv4 bytes as IPv6");
	ASSERT_EQ(p.family, 0, "family");
	b[0] = 0x44;
	ASSERT_EQ(sr_pkt__decode(b, n, 0x0800, &p), -1, "IHL 4");
	b[0] = 0x65;
	ASSERT_EQ(sr_pkt__decode(b, n, 0x0800, &p), -1, "version 6 in IPv4");
}

/* Every caplen from 0 to the whole packet, in a heap block of exactly that size: a read past it
 * is an ASan report.  Whole headers give the same result as the whole packet; fewer give -1. */
static void test_decode__truncated(void)
{
	uint8_t b[6][160];
	uint32_t len[6];
	uint16_t et[6] = { 0x0800, 0x0800, 0x0800, 0x86dd, 0x86dd, 0x0800 };

	len[0] = tcp4(b[0], "127.0.0.1", 41234, "127.0.0.1", 8080, 0x18, 1, 2, PAYLOAD);
	len[1] = udp4(b[1], "10.0.0.1", 53, "10.0.0.2", 4000, PAYLOAD, 12);
	len[2] = icmp4(b[2], "1.2.3.4", "5.6.7.8", 8, 0);
	len[3] = tcp6_ext(b[3], 80, 5000, 0x18, PAYLOAD);
	len[4] = udp6(b[4], "::1", 1, "::1", 2, PAYLOAD);
	len[5] = tcp4(b[5], "10.0.0.1", 1, "10.0.0.2", 2, 0x02, 1, 0, "");
	b[5][0] = 0x4f; /* 60-byte IP header, longer than the packet's headers */

	for (size_t i = 0; i < ARRAY_CNT(len); i++) {
		struct sr_pkt whole, p;
		int whole_rc = sr_pkt__decode(b[i], len[i], et[i], &whole);

		if (i < 5 && !ASSERT_EQ(whole_rc, 0, "whole packet"))
			continue;
		for (uint32_t cap = 0; cap <= len[i]; cap++) {
			uint8_t *d = malloc(cap ? cap : 1);
			char buf[160];
			int rc;

			memcpy(d, b[i], cap);
			rc = sr_pkt__decode(cap ? d : d + 1, cap, et[i], &p);
			sr_pkt__summary(&p, et[i], len[i], buf, sizeof(buf));
			if (whole_rc == 0 && cap >= whole.payload_off) {
				if (!ASSERT_EQ(rc, 0, "whole headers") ||
				    !ASSERT_EQ(memcmp(&p, &whole, sizeof(p)), 0, "same decode"))
					TEST_FAIL("packet %zu caplen %u", i, cap);
			} else if (!ASSERT_EQ(rc, -1, "truncated headers")) {
				TEST_FAIL("packet %zu caplen %u", i, cap);
			}
			ASSERT_LT(strlen(buf), sizeof(buf), "summary terminated");
			free(d);
		}
	}
}

static void test_summary__clipped(void)
{
	uint8_t b[128];
	uint32_t n = tcp4(b, "127.0.0.1", 41234, "127.0.0.1", 8080, 0x02, 1000, 0, "");
	char buf[8];
	struct sr_pkt p;

	sr_pkt__decode(b, n, 0x0800, &p);
	ASSERT_EQ(sr_pkt__summary(&p, 0x0800, n, buf, sizeof(buf)), 7, "clipped length");
	ASSERT_STREQ(buf, "TCP 127", "clipped");
	ASSERT_EQ(sr_pkt__summary(&p, 0x0800, n, buf, 1), 0, "size 1");
	ASSERT_STREQ(buf, "", "size 1");
	buf[0] = 'x';
	ASSERT_EQ(sr_pkt__summary(&p, 0x0800, n, buf, 0), 0, "size 0");
	ASSERT_EQ(buf[0], 'x', "size 0 writes nothing");
}

/* ---- the files ---- */

/* The packets test_pcap.sh expects, in this order:
 *   0 lo (host netns, ifindex 1)      out  TCP 127.0.0.1:41234 > 127.0.0.1:8080 [S]
 *   1 lo                              out  TCP 127.0.0.1:41234 > 127.0.0.1:8080 [P.] PAYLOAD
 *   2 eth0 (container netns, ifidx 2) in   TCP 10.88.0.1:50000 > 10.88.0.2:8080 [P.] PAYLOAD
 *   3 eth0                            out  ICMP 10.88.0.2 > 10.88.0.1 echo request
 *   4 no name (container netns, ifindex 1: same index as lo, another interface) out
 *                                          UDP [fd00::2]:40000 > [fd00::1]:40001 PAYLOAD
 */
static uint8_t pkt_bytes[5][128];
static struct sr_pcap_pkt pkts[5];

static void _make_pkts(void)
{
	static const char web[] = "container web (1a2b3c4d5e6f)";
	uint8_t(*b)[128] = pkt_bytes;
	uint32_t n[5];

	n[0] = tcp4(b[0], "127.0.0.1", 41234, "127.0.0.1", 8080, 0x02, 1000, 0, "");
	n[1] = tcp4(b[1], "127.0.0.1", 41234, "127.0.0.1", 8080, 0x18, 1001, 5001, PAYLOAD);
	n[2] = tcp4(b[2], "10.88.0.1", 50000, "10.88.0.2", 8080, 0x18, 1, 1, PAYLOAD);
	n[3] = icmp4(b[3], "10.88.0.2", "10.88.0.1", 8, 0);
	n[4] = udp6(b[4], "fd00::2", 40000, "fd00::1", 40001, PAYLOAD);
	pkts[0] = (struct sr_pcap_pkt){ .netns = NETNS_HOST, .ifindex = 1, .ifname = "lo",
					.ifdesc = "host", .hatype = 772, .pkttype = 4,
					.ethertype = 0x0800 };
	pkts[1] = pkts[0];
	pkts[2] = (struct sr_pcap_pkt){ .netns = NETNS_WEB, .ifindex = 2, .ifname = "eth0",
					.ifdesc = web, .hatype = 1, .pkttype = 0,
					.ethertype = 0x0800 };
	pkts[3] = pkts[2];
	pkts[3].pkttype = 4;
	pkts[4] = (struct sr_pcap_pkt){ .netns = NETNS_WEB, .ifindex = 1, .hatype = 772,
					.pkttype = 4, .ethertype = 0x86dd };
	for (int i = 0; i < 5; i++) {
		pkts[i].wall_ns = TS0 + (uint64_t)i * 1000;
		pkts[i].data = b[i];
		pkts[i].caplen = pkts[i].wire_len = n[i];
	}
}

/* Read @path back with libpcap (pcap or pcapng): the frames, lengths and stamps written. */
static void _read_back(const char *path)
{
	char errbuf[PCAP_ERRBUF_SIZE];
	pcap_t *pc = pcap_open_offline_with_tstamp_precision(path, PCAP_TSTAMP_PRECISION_NANO,
							     errbuf);
	struct pcap_pkthdr *h;
	const u_char *data;
	int i = 0;

	if (!ASSERT_OK_PTR(pc, path)) {
		TEST_FAIL("libpcap: %s", errbuf);
		return;
	}
	ASSERT_EQ(pcap_datalink(pc), 276, "linktype LINUX_SLL2");
	while (pcap_next_ex(pc, &h, &data) == 1 && i < 5) {
		uint8_t frame[256];
		uint32_t n = sr_pcap__sll2_frame(&pkts[i], frame, sizeof(frame));

		ASSERT_EQ(h->caplen, n, "caplen");
		ASSERT_EQ(h->len, 20 + pkts[i].wire_len, "original length");
		ASSERT_EQ(memcmp(data, frame, n), 0, "frame bytes");
		ASSERT_EQ((uint64_t)h->ts.tv_sec * 1000000000 + (uint64_t)h->ts.tv_usec,
			  pkts[i].wall_ns, "timestamp (ns)");
		i++;
	}
	ASSERT_EQ(i, 5, "packets read back");
	pcap_close(pc);
}

static void test_pcap__write(void)
{
	const char *paths[2] = { out_pcap, out_pcapng };
	mode_t old = umask(0);

	_make_pkts();
	for (int f = 0; f < 2; f++) {
		struct sr_pcap_out *o = NULL;
		char err[256] = "";
		struct stat st;

		unlink(paths[f]);
		if (!ASSERT_OK(sr_pcap_out__open(paths[f], 65535, &o, err, sizeof(err)), err))
			continue;
		for (int i = 0; i < 5; i++)
			ASSERT_OK(sr_pcap_out__write(o, &pkts[i]), "write");
		ASSERT_OK(sr_pcap_out__close(o), "close");
		if (ASSERT_OK(stat(paths[f], &st), "stat"))
			ASSERT_EQ(st.st_mode & 07777, 0600, "mode 0600 even with umask 0");
		_read_back(paths[f]);
	}
	umask(old);
}

static void test_pcap__sll2_frame(void)
{
	static const uint8_t hdr[20] = { 0x08, 0x00, 0, 0, 0, 0, 0, 2, 0, 1, 0, 0 };
	uint8_t buf[256];
	uint32_t n;

	_make_pkts();
	n = sr_pcap__sll2_frame(&pkts[2], buf, sizeof(buf));
	ASSERT_EQ(n, 20 + pkts[2].caplen, "length");
	ASSERT_EQ(memcmp(buf, hdr, 20), 0, "header: protocol, ifindex, hatype, pkttype");
	ASSERT_EQ(memcmp(buf + 20, pkts[2].data, pkts[2].caplen), 0, "data");
	n = sr_pcap__sll2_frame(&pkts[4], buf, 24);
	ASSERT_EQ(n, 24, "clipped to cap");
	ASSERT_EQ(buf[0] << 8 | buf[1], 0x86dd, "IPv6 protocol");
	ASSERT_EQ(buf[10], 4, "PACKET_OUTGOING");
}

static void test_pcap__errors(void)
{
	static const char *bad[] = { "/nonexistent-sysrec/x.pcap", "/nonexistent-sysrec/x.pcapng" };
	char dir[] = "/tmp/sysrec-pcap-XXXXXX", full[64], err[256];
	struct sr_pcap_out *o = NULL;

	for (int i = 0; i < 2; i++) {
		char want[128];

		snprintf(want, sizeof(want), "cannot create '%s': No such file or directory", bad[i]);
		ASSERT_EQ(sr_pcap_out__open(bad[i], 65535, &o, err, sizeof(err)), -ENOENT, bad[i]);
		ASSERT_STREQ(err, want, "message");
	}
	ASSERT_OK(sr_pcap_out__close(NULL), "close NULL");

	/* never a device, never through a link (here to /dev/full) */
	if (!mkdtemp(dir)) {
		test__skip("no temporary directory");
		return;
	}
	snprintf(full, sizeof(full), "%s/full.pcapng", dir);
	if (!ASSERT_OK(symlink("/dev/full", full), "symlink"))
		goto out_rmdir;
	ASSERT_EQ(sr_pcap_out__open("/dev/full", 65535, &o, err, sizeof(err)), -EEXIST, "device");
	ASSERT_STREQ(err, "cannot create '/dev/full': it is a character device, not a regular file",
		     "message");
	ASSERT_EQ(sr_pcap_out__open(full, 65535, &o, err, sizeof(err)), -ELOOP, "symlink");
	unlink(full);

	/* a write that fails (a full disk, here the file size limit): both formats */
	struct rlimit old, lim = { 64 << 10, 64 << 10 };

	signal(SIGXFSZ, SIG_IGN);
	getrlimit(RLIMIT_FSIZE, &old);
	lim.rlim_max = old.rlim_max;
	_make_pkts();
	for (int f = 0; f < 2; f++) {
		int first = 0;

		snprintf(full, sizeof(full), "%s/full.%s", dir, f ? "pcapng" : "pcap");
		if (!ASSERT_OK(sr_pcap_out__open(full, 65535, &o, err, sizeof(err)), err))
			continue;
		setrlimit(RLIMIT_FSIZE, &lim);
		/* ~1 MB: more than any stdio buffer */
		for (int i = 0; i < 20000 && !first; i++)
			first = sr_pcap_out__write(o, &pkts[i % 5]);
		if (first)
			ASSERT_EQ(first, -EFBIG, full);
		ASSERT_EQ(sr_pcap_out__close(o), -EFBIG, full);
		setrlimit(RLIMIT_FSIZE, &old);
		unlink(full);
	}
	signal(SIGXFSZ, SIG_DFL);
out_rmdir:
	rmdir(dir);
}

/* ---- tcpdump filters ---- */

static void test_filter__match(void)
{
	static const struct {
		const char *expr;
		const char *match; /* which of the 5 packets match, as '1'/'0' */
	} tab[] = {
		{ "tcp port 8080", "11100" },
		{ "tcp[tcpflags] & tcp-syn != 0", "10000" },
		{ "icmp", "00010" },
		{ "ip6 and udp dst port 40001", "00001" },
		{ "host 10.88.0.1", "00110" },
		{ "ifindex 2", "00110" },
		{ "inbound", "00100" },
		{ "outbound", "11011" },
	};

	_make_pkts();
	for (size_t i = 0; i < ARRAY_CNT(tab); i++) {
		struct sr_pkt_filter *f = NULL;
		char err[256] = "";

		if (!ASSERT_OK(sr_pkt_filter__compile(tab[i].expr, &f, err, sizeof(err)), err))
			continue;
		for (int p = 0; p < 5; p++)
			if (!ASSERT_EQ(sr_pkt_filter__match(f, &pkts[p]), tab[i].match[p] == '1',
				       tab[i].expr))
				TEST_FAIL("'%s' on packet %d", tab[i].expr, p);
		sr_pkt_filter__free(f);
	}
	sr_pkt_filter__free(NULL);
}

static void test_filter__reject(void)
{
	static const char *bad[] = { "tcp port", "tcp port 8080 and", "nosuchprimitive 3" };

	for (size_t i = 0; i < ARRAY_CNT(bad); i++) {
		struct sr_pkt_filter *f = NULL;
		char err[256] = "", want[64];

		snprintf(want, sizeof(want), "bad packet filter '%s': ", bad[i]);
		ASSERT_EQ(sr_pkt_filter__compile(bad[i], &f, err, sizeof(err)), -EINVAL, bad[i]);
		ASSERT_TRUE(!strncmp(err, want, strlen(want)), err);
		ASSERT_GT(strlen(err), strlen(want), "with libpcap's message");
		ASSERT_TRUE(!strchr(err, '\n'), "one line");
		ASSERT_TRUE(f == NULL, "no filter");
	}
}

static const struct test_case cases[] = {
	TEST_CASE(test_decode__tcp4),
	TEST_CASE(test_decode__udp_icmp4),
	TEST_CASE(test_decode__ipv6_ext),
	TEST_CASE(test_decode__not_ip),
	TEST_CASE(test_decode__truncated),
	TEST_CASE(test_summary__clipped),
	TEST_CASE(test_pcap__sll2_frame),
	TEST_CASE(test_pcap__write),
	TEST_CASE(test_pcap__errors),
	TEST_CASE(test_filter__match),
	TEST_CASE(test_filter__reject),
};

int main(int argc, char **argv)
{
	if (argc == 2 && !strcmp(argv[1], "-l"))
		return test_main(argc, argv, cases, ARRAY_CNT(cases));
	if (argc < 3 || argv[1][0] == '-') {
		fprintf(stderr, "usage: %s OUT.pcap OUT.pcapng [CASE-GLOB...] | -l\n", argv[0]);
		return 2;
	}
	out_pcap = argv[1];
	out_pcapng = argv[2];
	argv[2] = argv[0];
	return test_main(argc - 2, argv + 2, cases, ARRAY_CNT(cases));
}
