// SPDX-License-Identifier: Apache-2.0
/* Cases for the byte-level helpers: CRC-32C, varints and zigzag (format/crc32c.h, bytes.h). */
#include <stdlib.h>
#include <string.h>

#include "bytes.h"
#include "crc32c.h"
#include "format_tests.h"
#include "rec_gen.h"
#include "test.h"

/* Bit-at-a-time CRC-32C: slow, obviously right, the oracle for the fast paths. */
static uint32_t _crc_ref(uint32_t crc, const uint8_t *p, size_t sz)
{
	crc = ~crc;
	while (sz--) {
		crc ^= *p++;
		for (int k = 0; k < 8; k++)
			crc = crc & 1 ? (crc >> 1) ^ 0x82f63b78u : crc >> 1;
	}
	return ~crc;
}

void test_crc32c__known_vector(void)
{
	static const uint8_t zeros[32];

	ASSERT_EQ(crc32c(0, "123456789", 9), 0xe3069283u, "crc32c(\"123456789\")");
	ASSERT_EQ(crc32c(0, "", 0), 0u, "crc32c of nothing");
	ASSERT_EQ(crc32c(0x12345678, "", 0), 0x12345678u, "extending by nothing");
	/* RFC 3720 (iSCSI) B.4: 32 bytes of zeros */
	ASSERT_EQ(crc32c(0, zeros, sizeof(zeros)), 0x8a9136aau, "crc32c(32 x 0x00)");
	ASSERT_EQ(_crc_ref(0, (const uint8_t *)"123456789", 9), 0xe3069283u, "reference crc");
}

void test_crc32c__incremental(void)
{
	enum { SZ = 4096 + 13 };
	uint64_t rng = 42;
	uint8_t *buf = malloc(SZ);

	if (!ASSERT_OK_PTR(buf, "malloc"))
		return;
	for (size_t i = 0; i < SZ; i++)
		buf[i] = (uint8_t)rec_gen__rand(&rng);
	/* every start alignment and many lengths against the reference */
	for (size_t start = 0; start < 16; start++) {
		for (size_t len = 0; len < 200; len += 1 + len / 8) {
			uint32_t want = _crc_ref(0, buf + start, len);

			if (!ASSERT_EQ(crc32c(0, buf + start, len), want, "crc32c vs reference"))
				goto out;
		}
	}
	uint32_t whole = crc32c(0, buf, SZ);

	ASSERT_EQ(whole, _crc_ref(0, buf, SZ), "one-shot vs reference");
	/* split at every offset of the first 64 bytes and at a few larger ones */
	for (size_t cut = 0; cut <= SZ; cut += cut < 64 ? 1 : 509) {
		uint32_t c = crc32c(crc32c(0, buf, cut), buf + cut, SZ - cut);

		if (!ASSERT_EQ(c, whole, "incremental == one-shot"))
			goto out;
	}
	/* many small pieces */
	uint32_t c = 0;

	for (size_t off = 0, step = 1; off < SZ; off += step, step = step % 37 + 1)
		c = crc32c(c, buf + off, off + step <= SZ ? step : SZ - off);
	ASSERT_EQ(c, whole, "pieces of 1..37 bytes == one-shot");
out:
	free(buf);
}

/* Encode @v with the write-buffer helper, check the encoded length, decode it back. */
static bool _varint_rt(uint64_t v, size_t want_len)
{
	struct sr_wbuf b = { 0 };
	struct sr_rcur c;
	uint64_t got;
	bool ok;

	sr_wbuf__varint(&b, v);
	ok = ASSERT_FALSE(b.oom, "wbuf oom") && ASSERT_EQ(b.len, want_len, "varint length");
	sr_rcur__init(&c, b.buf, b.len);
	got = sr_rcur__varint(&c);
	ok = ok && ASSERT_FALSE(c.bad, "decode sets bad") &&
	     ASSERT_EQ(got, v, "varint round trip") &&
	     ASSERT_EQ(sr_rcur__left(&c), 0, "decode consumes it all");
	sr_wbuf__release(&b);
	return ok;
}

void test_varint__round_trip(void)
{
	static const struct {
		uint64_t v;
		size_t len;
	} cases[] = {
		{ 0, 1 },
		{ 1, 1 },
		{ 127, 1 },
		{ 128, 2 },
		{ 16383, 2 },
		{ 16384, 3 },
		{ UINT32_MAX, 5 },
		{ (uint64_t)INT64_MAX, 9 },
		{ (uint64_t)INT64_MIN, 10 },
		{ UINT64_MAX, 10 },
	};
	uint8_t p[SR_VARINT_MAX];

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		_varint_rt(cases[i].v, cases[i].len);
	/* the exact bytes of two of them */
	ASSERT_EQ(varint_put(p, 128), 2, "128 takes 2 bytes");
	ASSERT_TRUE(p[0] == 0x80 && p[1] == 0x01, "128 is 80 01");
	ASSERT_EQ(varint_put(p, UINT64_MAX), 10, "UINT64_MAX takes 10 bytes");
	ASSERT_EQ(p[9], 0x01, "UINT64_MAX's last byte");

	/* several in a row, through the fast and the slow path */
	struct sr_wbuf b = { 0 };
	struct sr_rcur c;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		sr_wbuf__varint(&b, cases[i].v);
	sr_rcur__init(&c, b.buf, b.len);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		ASSERT_EQ(sr_rcur__varint(&c), cases[i].v, "sequence");
	ASSERT_FALSE(c.bad, "sequence is not bad");
	ASSERT_EQ(sr_rcur__varint(&c), 0, "read past the end returns 0");
	ASSERT_TRUE(c.bad, "read past the end sets bad");
	sr_wbuf__release(&b);
}

void test_varint__truncated_and_overlong(void)
{
	static const uint8_t cont[12] = { 0x80, 0x80, 0x80, 0x80, 0x80, 0x80,
					  0x80, 0x80, 0x80, 0x80, 0x80, 0x01 };
	uint8_t full[SR_VARINT_MAX];
	struct sr_rcur c;
	size_t n = varint_put(full, UINT64_MAX);

	/* every proper prefix of a 10-byte varint is truncated */
	for (size_t len = 0; len < n; len++) {
		sr_rcur__init(&c, full, len);
		ASSERT_EQ(sr_rcur__varint(&c), 0, "truncated varint value");
		if (!ASSERT_TRUE(c.bad, "truncated varint sets bad"))
			break;
		ASSERT_EQ(sr_rcur__left(&c), 0, "a bad cursor is at its end");
	}
	/* 11 and 12 bytes: longer than any 64-bit value */
	sr_rcur__init(&c, cont, 11);
	sr_rcur__varint(&c);
	ASSERT_TRUE(c.bad, "11-byte varint (10 continuation bytes) sets bad");
	sr_rcur__init(&c, cont, 12);
	sr_rcur__varint(&c);
	ASSERT_TRUE(c.bad, "12-byte varint sets bad");
	/* a bad cursor stays bad and keeps returning 0 */
	ASSERT_EQ(sr_rcur__varint(&c), 0, "after bad");
	ASSERT_TRUE(c.bad, "still bad");
	/* fixed-width reads past the end */
	sr_rcur__init(&c, full, 3);
	ASSERT_EQ(sr_rcur__le32(&c), 0, "le32 from 3 bytes");
	ASSERT_TRUE(c.bad, "le32 from 3 bytes sets bad");
	sr_rcur__init(&c, full, 7);
	ASSERT_EQ(sr_rcur__le64(&c), 0, "le64 from 7 bytes");
	ASSERT_TRUE(c.bad, "le64 from 7 bytes sets bad");
	sr_rcur__init(&c, full, 4);
	ASSERT_TRUE(sr_rcur__bytes(&c, 5) == NULL && c.bad, "bytes(5) of 4");
}

void test_zigzag__edges(void)
{
	static const int64_t vals[] = { 0, 1, -1, 63, -64, 64, INT32_MAX, INT32_MIN,
					INT64_MAX, INT64_MIN, INT64_MAX - 1, INT64_MIN + 1 };

	ASSERT_EQ(zigzag_enc(0), 0, "zz(0)");
	ASSERT_EQ(zigzag_enc(-1), 1, "zz(-1)");
	ASSERT_EQ(zigzag_enc(1), 2, "zz(1)");
	ASSERT_EQ(zigzag_enc(INT64_MAX), UINT64_MAX - 1, "zz(INT64_MAX)");
	ASSERT_EQ(zigzag_enc(INT64_MIN), UINT64_MAX, "zz(INT64_MIN)");
	for (size_t i = 0; i < sizeof(vals) / sizeof(vals[0]); i++) {
		struct sr_wbuf b = { 0 };
		struct sr_rcur c;

		ASSERT_EQ(zigzag_dec(zigzag_enc(vals[i])), vals[i], "zigzag round trip");
		sr_wbuf__varint(&b, zigzag_enc(vals[i]));
		sr_rcur__init(&c, b.buf, b.len);
		ASSERT_EQ(zigzag_dec(sr_rcur__varint(&c)), vals[i], "zigzag varint round trip");
		sr_wbuf__release(&b);
	}
	/* fixed-width helpers at their edges */
	uint8_t p[8];

	put_le64(p, 0x0102030405060708ull);
	ASSERT_TRUE(p[0] == 0x08 && p[7] == 0x01, "put_le64 is little-endian");
	ASSERT_EQ(get_le64(p), 0x0102030405060708ull, "get_le64");
	put_le32(p, UINT32_MAX);
	ASSERT_EQ(get_le32(p), UINT32_MAX, "le32 max");
	put_le16(p, 0xbeef);
	ASSERT_EQ(get_le16(p), 0xbeef, "le16");
}
