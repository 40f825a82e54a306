/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Explicit little-endian and varint encoding on byte cursors.  The file format is written and
 * read only through these helpers: no C struct is ever copied to or from the file.
 *
 * Invariants: a struct sr_wbuf's `buf` is NULL only while `cap` is 0; `len <= cap`.
 * A struct sr_rcur never reads past `end`; a failed read sets `bad` and returns 0, so a decoder
 * can read a whole record and check `bad` once.
 */
#ifndef SYSREC_BYTES_H
#define SYSREC_BYTES_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* ---- fixed-width little-endian on raw pointers (caller checked the room) ---- */

static inline void put_le16(uint8_t *p, uint16_t v)
{
	p[0] = v;
	p[1] = v >> 8;
}

static inline void put_le32(uint8_t *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = v >> (8 * i);
}

static inline void put_le64(uint8_t *p, uint64_t v)
{
	for (int i = 0; i < 8; i++)
		p[i] = v >> (8 * i);
}

static inline uint16_t get_le16(const uint8_t *p)
{
	return p[0] | (uint16_t)p[1] << 8;
}

static inline uint32_t get_le32(const uint8_t *p)
{
	return p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static inline uint64_t get_le64(const uint8_t *p)
{
	return get_le32(p) | (uint64_t)get_le32(p + 4) << 32;
}

/* ---- zigzag: small signed values become small unsigned ones ---- */

static inline uint64_t zigzag_enc(int64_t v)
{
	return ((uint64_t)v << 1) ^ (uint64_t)(v >> 63);
}

static inline int64_t zigzag_dec(uint64_t v)
{
	return (int64_t)(v >> 1) ^ -(int64_t)(v & 1);
}

/* ---- growable write buffer ---- */

struct sr_wbuf {
	uint8_t *buf;
	size_t len;
	size_t cap;
	int oom; /* an allocation failed; further writes are dropped */
};

/* Make room for @need more bytes; returns 0 or -ENOMEM (and sets oom). */
int sr_wbuf__reserve(struct sr_wbuf *b, size_t need);
void sr_wbuf__release(struct sr_wbuf *b);

#define SR_VARINT_MAX 10

static inline size_t varint_put(uint8_t *p, uint64_t v)
{
	size_t n = 0;

	while (v >= 0x80) {
		p[n++] = (uint8_t)v | 0x80;
		v >>= 7;
	}
	p[n++] = (uint8_t)v;
	return n;
}

static inline void sr_wbuf__varint(struct sr_wbuf *b, uint64_t v)
{
	if (__builtin_expect(b->cap - b->len < SR_VARINT_MAX, 0) && sr_wbuf__reserve(b, SR_VARINT_MAX))
		return;
	if (v < 0x80) { /* most deltas: one byte */
		b->buf[b->len++] = (uint8_t)v;
		return;
	}
	b->len += varint_put(b->buf + b->len, v);
}

static inline void sr_wbuf__bytes(struct sr_wbuf *b, const void *p, size_t sz)
{
	if (b->cap - b->len < sz && sr_wbuf__reserve(b, sz))
		return;
	if (sz)
		memcpy(b->buf + b->len, p, sz);
	b->len += sz;
}

static inline void sr_wbuf__le32(struct sr_wbuf *b, uint32_t v)
{
	if (b->cap - b->len < 4 && sr_wbuf__reserve(b, 4))
		return;
	put_le32(b->buf + b->len, v);
	b->len += 4;
}

static inline void sr_wbuf__le64(struct sr_wbuf *b, uint64_t v)
{
	if (b->cap - b->len < 8 && sr_wbuf__reserve(b, 8))
		return;
	put_le64(b->buf + b->len, v);
	b->len += 8;
}

/* ---- bounded read cursor ---- */

struct sr_rcur {
	const uint8_t *p;
	const uint8_t *end;
	int bad; /* a read ran past `end` or a varint was longer than 10 bytes */
};

static inline void sr_rcur__init(struct sr_rcur *c, const void *buf, size_t sz)
{
	c->p = buf;
	c->end = c->p + sz;
	c->bad = 0;
}

static inline size_t sr_rcur__left(const struct sr_rcur *c)
{
	return c->end - c->p;
}

uint64_t sr_rcur__varint_slow(struct sr_rcur *c);

static inline uint64_t sr_rcur__varint(struct sr_rcur *c)
{
	if (c->p < c->end && *c->p < 0x80)
		return *c->p++;
	return sr_rcur__varint_slow(c);
}

static inline const uint8_t *sr_rcur__bytes(struct sr_rcur *c, size_t sz)
{
	const uint8_t *p = c->p;

	if (sz > (size_t)(c->end - c->p)) {
		c->bad = 1;
		c->p = c->end;
		return NULL;
	}
	c->p += sz;
	return p;
}

static inline uint16_t sr_rcur__le16(struct sr_rcur *c)
{
	const uint8_t *p = sr_rcur__bytes(c, 2);

	return p ? get_le16(p) : 0;
}

static inline uint32_t sr_rcur__le32(struct sr_rcur *c)
{
	const uint8_t *p = sr_rcur__bytes(c, 4);

	return p ? get_le32(p) : 0;
}

static inline uint64_t sr_rcur__le64(struct sr_rcur *c)
{
	const uint8_t *p = sr_rcur__bytes(c, 8);

	return p ? get_le64(p) : 0;
}

#endif
