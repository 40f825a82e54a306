// SPDX-License-Identifier: Apache-2.0
/* Cases for header properties (format/props.h): setting, replacing, encoding and decoding. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bytes.h"
#include "format_tests.h"
#include "layout.h"
#include "props.h"
#include "test.h"

#define BASE_OFF 40 /* a file offset for the decoder's messages */

void test_props__round_trip(void)
{
	static const uint8_t bytes[] = { 0, 1, 2, 0, 0xff };
	struct trace_props *p = NULL, *q = NULL;
	struct sr_wbuf enc = { 0 };
	struct sr_diag diag = { 0 };
	const struct trace_prop *v;

	if (!ASSERT_OK(trace_props__new(&p), "new"))
		return;
	ASSERT_OK(trace_props__set_u64(p, "t.u64", UINT64_MAX), "set u64");
	ASSERT_OK(trace_props__set_i64(p, "t.i64", INT64_MIN), "set i64");
	ASSERT_OK(trace_props__set_i64(p, "t.neg", -5), "set negative i64");
	ASSERT_OK(trace_props__set_str(p, "t.str", "hello, world"), "set str");
	ASSERT_OK(trace_props__set_str(p, "t.empty", ""), "set empty str");
	ASSERT_OK(trace_props__set_bytes(p, "t.bytes", bytes, sizeof(bytes)), "set bytes");
	ASSERT_OK(trace_props__set_bytes(p, "t.nobytes", NULL, 0), "set 0 bytes");
	if (!ASSERT_OK(trace_props__encode(p, &enc), "encode"))
		goto out;
	if (!ASSERT_OK(trace_props__decode(enc.buf, enc.len, BASE_OFF, &q, &diag), "decode"))
		goto out;
	if (!ASSERT_EQ(trace_props__cnt(q), trace_props__cnt(p), "count after decode"))
		goto out;
	for (size_t i = 0; i < trace_props__cnt(p); i++) {
		const struct trace_prop *a = trace_props__at(p, i), *b = trace_props__at(q, i);

		ASSERT_STREQ(b->name, a->name, "name in file order");
		ASSERT_EQ(b->kind, a->kind, "kind");
		ASSERT_EQ(b->u64, a->u64, "number");
		ASSERT_EQ(b->sz, a->sz, "size");
		if (a->sz)
			ASSERT_TRUE(!memcmp(a->data, b->data, a->sz), "bytes");
	}
	ASSERT_EQ(trace_props__u64(q, "t.u64", 1), UINT64_MAX, "u64 value");
	ASSERT_EQ((int64_t)trace_props__u64(q, "t.i64", 1), INT64_MIN, "i64 value");
	ASSERT_EQ((int64_t)trace_props__u64(q, "t.neg", 1), -5, "negative i64 value");
	ASSERT_STREQ(trace_props__str(q, "t.str", "dflt"), "hello, world", "str value");
	ASSERT_STREQ(trace_props__str(q, "t.empty", "dflt"), "", "empty str value");
	ASSERT_STREQ(trace_props__str(q, "t.missing", "dflt"), "dflt", "absent str");
	ASSERT_STREQ(trace_props__str(q, "t.u64", "dflt"), "dflt", "str of a number");
	ASSERT_EQ(trace_props__u64(q, "t.str", 7), 7, "number of a str");
	ASSERT_EQ(trace_props__u64(q, "t.missing", 7), 7, "absent number");
	v = trace_props__get(q, "t.bytes");
	if (ASSERT_OK_PTR(v, "get bytes")) {
		ASSERT_EQ(v->kind, TF_PROP_BYTES, "bytes kind");
		ASSERT_EQ(v->sz, sizeof(bytes), "bytes size");
		ASSERT_TRUE(!memcmp(v->data, bytes, sizeof(bytes)), "bytes with NULs inside");
	}
	ASSERT_TRUE(trace_props__at(q, trace_props__cnt(q)) == NULL, "at(cnt) is NULL");
out:
	sr_wbuf__release(&enc);
	trace_props__free(p);
	trace_props__free(q);
	trace_props__free(NULL);
}

void test_props__replace(void)
{
	struct trace_props *p = NULL;
	const struct trace_prop *v;

	if (!ASSERT_OK(trace_props__new(&p), "new"))
		return;
	ASSERT_OK(trace_props__set_u64(p, "x", 1), "set x");
	ASSERT_OK(trace_props__set_str(p, "y", "why"), "set y");
	ASSERT_OK(trace_props__set_str(p, "x", "two"), "replace x by a str");
	ASSERT_EQ(trace_props__cnt(p), 2, "still two properties");
	v = trace_props__at(p, 0);
	ASSERT_STREQ(v->name, "x", "x keeps its place");
	ASSERT_EQ(v->kind, TF_PROP_STR, "x is now a str");
	ASSERT_STREQ(trace_props__str(p, "x", NULL), "two", "x value");
	ASSERT_OK(trace_props__set_i64(p, "x", -3), "replace x by an i64");
	v = trace_props__get(p, "x");
	ASSERT_EQ(v->kind, TF_PROP_I64, "x is now an i64");
	ASSERT_TRUE(v->data == NULL && v->sz == 0, "no stale bytes");
	ASSERT_OK(trace_props__set_str(p, "y", "again"), "replace y");
	ASSERT_EQ(trace_props__cnt(p), 2, "still two after replacing y");
	ASSERT_STREQ(trace_props__str(p, "y", NULL), "again", "y value");
	/* many properties: the array grows */
	for (int i = 0; i < 100; i++) {
		char name[32];

		snprintf(name, sizeof(name), "many.%d", i);
		if (!ASSERT_OK(trace_props__set_u64(p, name, (uint64_t)i), "set many"))
			break;
	}
	ASSERT_EQ(trace_props__cnt(p), 102, "102 properties");
	ASSERT_EQ(trace_props__u64(p, "many.99", 0), 99, "many.99");
	trace_props__free(p);
}

void test_props__bad_names(void)
{
	struct trace_props *p = NULL, *q = NULL;
	struct sr_wbuf enc = { 0 };
	char name[300];

	if (!ASSERT_OK(trace_props__new(&p), "new"))
		return;
	ASSERT_EQ(trace_props__set_u64(p, "", 1), -EINVAL, "empty name");
	ASSERT_EQ(trace_props__set_str(p, "", "v"), -EINVAL, "empty name (str)");
	memset(name, 'n', sizeof(name));
	name[256] = 0;
	ASSERT_EQ(trace_props__set_u64(p, name, 1), -EINVAL, "256-byte name");
	ASSERT_EQ(trace_props__set_bytes(p, name, "x", 1), -EINVAL, "256-byte name (bytes)");
	ASSERT_EQ(trace_props__cnt(p), 0, "nothing was added");
	name[255] = 0;
	ASSERT_OK(trace_props__set_u64(p, name, 1), "255-byte name");
	ASSERT_OK(trace_props__encode(p, &enc), "encode");
	ASSERT_OK(trace_props__decode(enc.buf, enc.len, 0, &q, NULL), "decode a 255-byte name");
	ASSERT_EQ(trace_props__u64(q, name, 0), 1, "255-byte name survives");
	sr_wbuf__release(&enc);
	trace_props__free(q);
	trace_props__free(p);
}

/* One property in the payload layout (kind, name, value bytes as given). */
static void _put_prop(struct sr_wbuf *b, uint8_t kind, const char *name, uint16_t name_len,
		      const void *val, uint32_t val_len)
{
	uint8_t hdr[8] = { kind, 0 };

	put_le16(hdr + 2, name_len);
	put_le32(hdr + 4, val_len);
	sr_wbuf__bytes(b, hdr, sizeof(hdr));
	sr_wbuf__bytes(b, name, name_len);
	sr_wbuf__bytes(b, val, val_len);
}

void test_props__unknown_kind(void)
{
	uint8_t eight[8] = { 42 };
	struct trace_props *q = NULL;
	struct sr_wbuf b = { 0 };

	sr_wbuf__le32(&b, 4);
	_put_prop(&b, TF_PROP_U64, "a", 1, eight, 8);
	_put_prop(&b, 77, "future.kind", 11, "\x01\x02\x03\x04\x05", 5);
	_put_prop(&b, 0, "zero.kind", 9, "", 0);
	_put_prop(&b, TF_PROP_STR, "c", 1, "xyz", 3);
	if (ASSERT_OK(trace_props__decode(b.buf, b.len, BASE_OFF, &q, NULL), "decode")) {
		ASSERT_EQ(trace_props__cnt(q), 2, "unknown kinds are skipped");
		ASSERT_EQ(trace_props__u64(q, "a", 0), 42, "a");
		ASSERT_STREQ(trace_props__str(q, "c", NULL), "xyz", "c after the unknown ones");
		ASSERT_TRUE(trace_props__get(q, "future.kind") == NULL, "future.kind skipped");
	}
	trace_props__free(q);
	sr_wbuf__release(&b);
}

/* Decode must fail with -EBADMSG at @pos (or anywhere in the payload when @pos < 0). */
static bool _expect_bad(const void *buf, size_t sz, long long pos, const char *what)
{
	struct trace_props *q = NULL;
	struct sr_diag diag = { 0 };
	int err = trace_props__decode(buf, sz, BASE_OFF, &q, &diag);
	bool ok = ASSERT_EQ(err, -EBADMSG, what) && ASSERT_EQ(diag.err, -EBADMSG, what) &&
		  ASSERT_TRUE(diag.msg[0], what) && ASSERT_TRUE(q == NULL, what);

	if (pos >= 0)
		ok = ok && ASSERT_EQ(diag.pos, pos, what);
	else
		ok = ok && ASSERT_TRUE(diag.pos >= BASE_OFF && diag.pos <= BASE_OFF + (long long)sz,
				       what);
	trace_props__free(q);
	return ok;
}

void test_props__malformed(void)
{
	uint8_t eight[8] = { 0 };
	struct trace_props *p = NULL;
	struct sr_wbuf enc = { 0 }, b = { 0 };
	size_t second;

	/* every proper prefix of a valid payload */
	if (!ASSERT_OK(trace_props__new(&p), "new"))
		return;
	trace_props__set_u64(p, "machine.cpu_cnt", 4);
	trace_props__set_str(p, "machine.hostname", "box");
	trace_props__set_bytes(p, "capture.blob", "\0\1\2", 3);
	if (!ASSERT_OK(trace_props__encode(p, &enc), "encode"))
		goto out;
	for (size_t len = 0; len < enc.len; len++)
		if (!_expect_bad(enc.buf, len, -1, "proper prefix"))
			break;

	/* a count that cannot fit */
	b.len = 0;
	sr_wbuf__le32(&b, UINT32_MAX);
	_put_prop(&b, TF_PROP_U64, "a", 1, eight, 8);
	_expect_bad(b.buf, b.len, BASE_OFF, "huge count");

	/* a u64 whose value is not 8 bytes, as the second property */
	b.len = 0;
	sr_wbuf__le32(&b, 2);
	_put_prop(&b, TF_PROP_STR, "s", 1, "v", 1);
	second = b.len;
	_put_prop(&b, TF_PROP_U64, "u", 1, eight, 4);
	_expect_bad(b.buf, b.len, BASE_OFF + (long long)second, "u64 with 4 bytes");

	b.len = 0;
	sr_wbuf__le32(&b, 2);
	_put_prop(&b, TF_PROP_STR, "s", 1, "v", 1);
	_put_prop(&b, TF_PROP_I64, "i", 1, eight, 0);
	_expect_bad(b.buf, b.len, BASE_OFF + (long long)second, "i64 with 0 bytes");

	b.len = 0;
	sr_wbuf__le32(&b, 2);
	_put_prop(&b, TF_PROP_STR, "s", 1, "v", 1);
	_put_prop(&b, TF_PROP_STR, "", 0, "v", 1);
	_put_prop(&b, TF_PROP_STR, "pad", 3, "", 0); /* room for the count check */
	_expect_bad(b.buf, b.len, BASE_OFF + (long long)second, "empty name");

	b.len = 0;
	sr_wbuf__le32(&b, 2);
	_put_prop(&b, TF_PROP_STR, "s", 1, "v", 1);
	_put_prop(&b, TF_PROP_STR, "a\0b", 3, "v", 1);
	_expect_bad(b.buf, b.len, BASE_OFF + (long long)second, "NUL in a name");

	b.len = 0;
	sr_wbuf__le32(&b, 2);
	_put_prop(&b, TF_PROP_STR, "s", 1, "v", 1);
	_put_prop(&b, TF_PROP_STR, "x", 1, "v", 1);
	put_le32(b.buf + second + 4, 1000); /* value length past the end */
	_expect_bad(b.buf, b.len, BASE_OFF + (long long)second, "value past the end");

	b.len = 0;
	sr_wbuf__le32(&b, 2);
	_put_prop(&b, TF_PROP_STR, "s", 1, "v", 1);
	_put_prop(&b, TF_PROP_STR, "x", 1, "v", 1);
	put_le16(b.buf + second + 2, 300); /* name length past the end and over 255 */
	_expect_bad(b.buf, b.len, BASE_OFF + (long long)second, "name past the end");
out:
	sr_wbuf__release(&enc);
	sr_wbuf__release(&b);
	trace_props__free(p);
}
