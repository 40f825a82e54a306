// SPDX-License-Identifier: Apache-2.0
/* replay --pcap and --packet-filter (see pcap_out.h).  pcapng layout: the IETF draft
 * "PCAP Next Generation (pcapng) Capture File Format", sections 4.1-4.3. */
#include <errno.h>
#include <fcntl.h>
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pcap_out.h"
#include "trace_writer.h"

#ifndef DLT_LINUX_SLL2
#define DLT_LINUX_SLL2 276
#endif
#define SLL2_LEN 20
#define FRAME_MAX (65535 + SLL2_LEN)
#define PACKET_OUTGOING 4

struct iface {
	uint64_t netns;
	uint32_t ifindex;
};

struct sr_pcap_out {
	FILE *f;
	bool ng;
	uint32_t snaplen;
	pcap_t *dead;        /* classic pcap: libpcap's dumper on a dead handle */
	pcap_dumper_t *dump;
	struct iface *ifaces; /* pcapng: interface ids in order of first use */
	size_t iface_cnt;
	int err;
	uint8_t frame[FRAME_MAX];
};

uint32_t sr_pcap__sll2_frame(const struct sr_pcap_pkt *p, uint8_t *buf, uint32_t cap)
{
	uint32_t n = p->caplen < cap - SLL2_LEN ? p->caplen : cap - SLL2_LEN;

	memset(buf, 0, SLL2_LEN);
	buf[0] = (uint8_t)(p->ethertype >> 8);
	buf[1] = (uint8_t)p->ethertype;
	buf[4] = (uint8_t)(p->ifindex >> 24);
	buf[5] = (uint8_t)(p->ifindex >> 16);
	buf[6] = (uint8_t)(p->ifindex >> 8);
	buf[7] = (uint8_t)p->ifindex;
	buf[8] = (uint8_t)(p->hatype >> 8);
	buf[9] = (uint8_t)p->hatype;
	buf[10] = p->pkttype;
	buf[11] = 0; /* no link-layer address: the recorder does not keep it */
	if (n && p->data)
		memcpy(buf + SLL2_LEN, p->data, n);
	return SLL2_LEN + (p->data ? n : 0);
}

/* ---- pcapng ---- */

static void _put(struct sr_pcap_out *o, const void *b, size_t n)
{
	errno = 0; /* a short fwrite need not set it: EIO then, not a stale value */
	if (!o->err && fwrite(b, 1, n, o->f) != n)
		o->err = errno ? -errno : -EIO;
}

static void _u32(struct sr_pcap_out *o, uint32_t v)
{
	uint8_t b[4] = { (uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16), (uint8_t)(v >> 24) };

	_put(o, b, 4);
}

static void _u16(struct sr_pcap_out *o, uint16_t v)
{
	uint8_t b[2] = { (uint8_t)v, (uint8_t)(v >> 8) };

	_put(o, b, 2);
}

static uint32_t _pad4(size_t n)
{
	return (uint32_t)((n + 3) & ~(size_t)3);
}

/* An option: code, length, value padded to 32 bits. */
static void _opt(struct sr_pcap_out *o, uint16_t code, const void *v, size_t len)
{
	static const uint8_t zero[4];

	_u16(o, code);
	_u16(o, (uint16_t)len);
	_put(o, v, len);
	_put(o, zero, _pad4(len) - len);
}

static size_t _opt_len(size_t len)
{
	return 4 + _pad4(len);
}

static void _shb(struct sr_pcap_out *o)
{
	static const char app[] = "sysrec";
	uint32_t total = 28 + (uint32_t)_opt_len(sizeof(app) - 1) + 4;

	_u32(o, 0x0A0D0D0A);
	_u32(o, total);
	_u32(o, 0x1A2B3C4D); /* byte-order magic */
	_u16(o, 1);
	_u16(o, 0);
	_u32(o, 0xffffffff); /* section length: not given */
	_u32(o, 0xffffffff);
	_opt(o, 4, app, sizeof(app) - 1); /* shb_userappl */
	_u32(o, 0);                         /* opt_endofopt */
	_u32(o, total);
}

static void _idb(struct sr_pcap_out *o, const struct sr_pcap_pkt *p)
{
	char name[32];
	const char *nm = p->ifname;
	uint8_t tsresol = 9; /* nanoseconds */
	size_t nlen, dlen = p->ifdesc ? strlen(p->ifdesc) : 0;
	uint32_t total;

	if (!nm) {
		snprintf(name, sizeof(name), "if%u", p->ifindex);
		nm = name;
	}
	nlen = strlen(nm);
	if (dlen > 4000)
		dlen = 4000;
	total = 20 + (uint32_t)(_opt_len(nlen) + (dlen ? _opt_len(dlen) : 0) + _opt_len(1)) + 4;
	_u32(o, 0x00000001);
	_u32(o, total);
	_u16(o, DLT_LINUX_SLL2);
	_u16(o, 0);
	_u32(o, o->snaplen + SLL2_LEN);
	_opt(o, 2, nm, nlen); /* if_name */
	if (dlen)
		_opt(o, 3, p->ifdesc, dlen); /* if_description */
	_opt(o, 9, &tsresol, 1);           /* if_tsresol */
	_u32(o, 0);
	_u32(o, total);
}

static uint32_t _iface_id(struct sr_pcap_out *o, const struct sr_pcap_pkt *p)
{
	struct iface *v;

	for (size_t i = 0; i < o->iface_cnt; i++)
		if (o->ifaces[i].netns == p->netns && o->ifaces[i].ifindex == p->ifindex)
			return (uint32_t)i;
	v = realloc(o->ifaces, (o->iface_cnt + 1) * sizeof(*v));
	if (!v) {
		o->err = -ENOMEM;
		return 0;
	}
	o->ifaces = v;
	o->ifaces[o->iface_cnt] = (struct iface){ p->netns, p->ifindex };
	_idb(o, p);
	return (uint32_t)o->iface_cnt++;
}

static void _epb(struct sr_pcap_out *o, const struct sr_pcap_pkt *p)
{
	static const uint8_t zero[4];
	uint32_t id = _iface_id(o, p), len = sr_pcap__sll2_frame(p, o->frame, SLL2_LEN + o->snaplen);
	uint32_t flags = p->pkttype == PACKET_OUTGOING ? 2 : 1; /* epb_flags: outbound, inbound */
	uint32_t total = 28 + _pad4(len) + (uint32_t)_opt_len(4) + 4 + 4;

	_u32(o, 0x00000006);
	_u32(o, total);
	_u32(o, id);
	_u32(o, (uint32_t)(p->wall_ns >> 32));
	_u32(o, (uint32_t)p->wall_ns);
	_u32(o, len);
	_u32(o, SLL2_LEN + p->wire_len);
	_put(o, o->frame, len);
	_put(o, zero, _pad4(len) - len);
	_opt(o, 2, (uint8_t[]){ (uint8_t)flags, 0, 0, 0 }, 4);
	_u32(o, 0);
	_u32(o, total);
}

/* ---- the file ---- */

int sr_pcap_out__open(const char *path, uint32_t snaplen, struct sr_pcap_out **out, char *err,
		      size_t errsz)
{
	size_t plen = strlen(path);
	struct sr_pcap_out *o = calloc(1, sizeof(*o));
	struct sr_diag diag = { 0 };
	int fd, e;

	if (!o) {
		snprintf(err, errsz, "out of memory");
		return -ENOMEM;
	}
	o->snaplen = snaplen > 65535 ? 65535 : snaplen;
	o->ng = plen >= 7 && !strcmp(path + plen - 7, ".pcapng");
	/* Our own open, not pcap_dump_open(): never through a link, never onto a FIFO or a
	 * device, an existing file only if it is ours (see trace_writer__create_file()). */
	e = trace_writer__create_file(path, &fd, &diag);
	if (e) {
		free(o);
		snprintf(err, errsz, "cannot create '%s': %s", path, diag.msg);
		return e;
	}
	o->f = fdopen(fd, "wb");
	if (!o->f) {
		e = -errno;
		close(fd);
		free(o);
		snprintf(err, errsz, "cannot create '%s': %s", path, strerror(-e));
		return e;
	}
	setvbuf(o->f, NULL, _IOFBF, 1 << 20); /* fewer, larger writes than stdio's 4 KiB */
	if (o->ng) {
		_shb(o);
	} else {
		o->dead = pcap_open_dead_with_tstamp_precision(DLT_LINUX_SLL2,
							       (int)(o->snaplen + SLL2_LEN),
							       PCAP_TSTAMP_PRECISION_NANO);
		o->dump = o->dead ? pcap_dump_fopen(o->dead, o->f) : NULL;
		if (!o->dump) {
			snprintf(err, errsz, "cannot write '%s': %s", path,
				 o->dead ? pcap_geterr(o->dead) : "libpcap failed");
			if (o->dead)
				pcap_close(o->dead);
			fclose(o->f);
			free(o);
			return -EIO;
		}
	}
	*out = o;
	return 0;
}

int sr_pcap_out__write(struct sr_pcap_out *o, const struct sr_pcap_pkt *p)
{
	if (o->err)
		return o->err;
	if (o->ng) {
		_epb(o, p);
		return o->err;
	}
	struct pcap_pkthdr h = {
		.ts = { .tv_sec = (time_t)(p->wall_ns / 1000000000u),
			.tv_usec = (suseconds_t)(p->wall_ns % 1000000000u) }, /* ns: a nano file */
		.len = SLL2_LEN + p->wire_len,
	};

	h.caplen = sr_pcap__sll2_frame(p, o->frame, SLL2_LEN + o->snaplen);
	errno = 0;
	pcap_dump((u_char *)o->dump, &h, o->frame);
	if (ferror(o->f))
		o->err = errno ? -errno : -EIO;
	return o->err;
}

int sr_pcap_out__close(struct sr_pcap_out *o)
{
	int err;

	if (!o)
		return 0;
	err = o->err;
	if (o->dump) {
		if (pcap_dump_flush(o->dump) && !err)
			err = errno ? -errno : -EIO;
		pcap_dump_close(o->dump); /* closes the FILE */
		pcap_close(o->dead);
	} else {
		if (fclose(o->f) && !err)
			err = errno ? -errno : -EIO;
	}
	free(o->ifaces);
	free(o);
	return err;
}

/* ---- --packet-filter ---- */

struct sr_pkt_filter {
	struct bpf_program prog;
	uint8_t frame[FRAME_MAX];
};

int sr_pkt_filter__compile(const char *expr, struct sr_pkt_filter **out, char *err, size_t errsz)
{
	pcap_t *dead = pcap_open_dead(DLT_LINUX_SLL2, FRAME_MAX);
	struct sr_pkt_filter *f = calloc(1, sizeof(*f));

	if (!dead || !f) {
		snprintf(err, errsz, "out of memory");
		if (dead)
			pcap_close(dead);
		free(f);
		return -ENOMEM;
	}
	if (pcap_compile(dead, &f->prog, expr, 1, PCAP_NETMASK_UNKNOWN)) {
		snprintf(err, errsz, "bad packet filter '%s': %s", expr, pcap_geterr(dead));
		pcap_close(dead);
		free(f);
		return -EINVAL;
	}
	pcap_close(dead);
	*out = f;
	return 0;
}

bool sr_pkt_filter__match(struct sr_pkt_filter *f, const struct sr_pcap_pkt *p)
{
	struct pcap_pkthdr h = { .len = SLL2_LEN + p->wire_len };

	h.caplen = sr_pcap__sll2_frame(p, f->frame, FRAME_MAX);
	return pcap_offline_filter(&f->prog, &h, f->frame) != 0;
}

void sr_pkt_filter__free(struct sr_pkt_filter *f)
{
	if (!f)
		return;
	pcap_freecode(&f->prog);
	free(f);
}
