// SPDX-License-Identifier: Apache-2.0
/*
 * Hand-built files the writer never produces: unknown block types and column ids (which a
 * reader must skip), a newer major version, bad magic, and lengths that point past the end or
 * claim more than the format allows (which must fail before anything that large is allocated).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "faultsim.h"
#include "format_tests.h"
#include "tf_util.h"
#include "test.h"

#define ST_RECS 300

/* Records for the hand-built chunks. */
static bool _make_recs(struct rec_vec *recs, uint64_t seed, size_t cnt)
{
	const struct rec_gen_opts go = { .seed = seed };
	struct trace_rec rec;
	struct rec_gen g;
	bool ok = true;

	if (!ASSERT_OK(rec_gen__init(&g, &go), "gen init"))
		return false;
	for (size_t i = 0; i < cnt && ok; i++) {
		rec_gen__next(&g, &rec);
		ok = ASSERT_OK(rec_vec__push(recs, &rec), "push");
	}
	rec_gen__release(&g);
	return ok;
}

/* A preamble and a header block with one property. */
static bool _put_start(struct sr_wbuf *b, uint16_t major)
{
	struct trace_props *p = NULL;
	int err = trace_props__new(&p);

	err = err ?: trace_props__set_str(p, "capture.comment", "hand-built");
	tf_put_preamble(b, major, 0);
	err = err ?: tf_put_header(b, p);
	trace_props__free(p);
	return ASSERT_OK(err, "preamble and header");
}

/* Read @buf expecting @want's records and a clean end. */
static bool _read_all(const uint8_t *buf, size_t sz, const struct rec_vec *want, bool index)
{
	struct trace_reader *r = NULL;
	struct sr_diag diag = { 0 };
	const struct trace_summary *s;
	struct trace_rec rec;
	size_t n = 0;
	char why[128];
	bool ok;
	int ret;

	if (!ASSERT_OK(tf_open_mem(buf, sz, &r, &diag), "open")) {
		TEST_FAIL("diag: %s", diag.msg);
		return false;
	}
	ok = ASSERT_EQ(trace_reader__has_index(r), index, "has_index");
	while ((ret = trace_reader__next(r, &rec)) == 1) {
		if (n >= want->cnt || !rec_equal(&rec, &want->v[n], why, sizeof(why))) {
			ok = TEST_FAIL("record %zu: %s", n, n >= want->cnt ? "one too many" : why);
			break;
		}
		n++;
	}
	ok &= ASSERT_EQ(ret, 0, "clean end");
	if (ret < 0)
		TEST_FAIL("diag: %s", trace_reader__diag(r)->msg);
	ok &= ASSERT_EQ(n, want->cnt, "every record");
	if (ASSERT_OK(trace_reader__summary(r, &s), "summary")) {
		ok &= ASSERT_EQ(s->rec_cnt, want->cnt, "summary rec_cnt");
		ok &= ASSERT_EQ(s->scan_diag.err, 0, "summary scan_diag");
		ok &= ASSERT_EQ(s->from_index, index, "summary from_index");
	}
	trace_reader__close(r);
	return ok;
}

void test_structure__unknown_block_type(void)
{
	static const char junk[] = "a block from the future";
	struct rec_vec recs = { 0 };
	struct sr_wbuf b = { 0 };

	if (!_make_recs(&recs, 11, ST_RECS) || !_put_start(&b, TF_VERSION_MAJOR))
		goto out;
	tf_put_chunk(&b, recs.v, 100, 0, NULL, 0);
	tf_put_block(&b, 99, 0, junk, sizeof(junk), sizeof(junk));
	tf_put_chunk(&b, recs.v + 100, 100, 1, NULL, 0);
	tf_put_block(&b, 0x7fff, TF_BLOCK_F_ZSTD | 0x8000, "", 0, 0); /* empty, odd flags */
	tf_put_block(&b, TF_BLOCK_HEADER, 0, junk, sizeof(junk), 0);   /* a second header */
	tf_put_chunk(&b, recs.v + 200, 100, 2, NULL, 0);
	tf_put_block(&b, 1000, 0, junk, 5, 5); /* unknown block at the very end */
	if (!ASSERT_FALSE(b.oom, "build"))
		goto out;
	_read_all(b.buf, b.len, &recs, false);
out:
	sr_wbuf__release(&b);
	rec_vec__release(&recs);
}

/* A writer-made file with an unknown block inserted before its index (footer fixed up). */
void test_structure__unknown_block_before_index(void)
{
	const struct trace_writer_opts wo = { .sz = sizeof(wo), .chunk_sz = 2048 };
	const struct rec_gen_opts go = { .seed = 12 };
	struct rec_vec recs = { 0 };
	struct sr_wbuf b = { 0 };
	struct tf_file f;
	uint8_t footer[TF_FOOTER_PAYLOAD_SZ];
	uint64_t idx;

	if (!ASSERT_OK(tf_write(&f, &go, 2000, &wo, &recs, NULL), "write"))
		goto out;
	idx = tf_index_off(f.buf, f.sz);
	if (!ASSERT_GT(idx, 0, "index"))
		goto out;
	sr_wbuf__bytes(&b, f.buf, idx);
	tf_put_block(&b, 42, 0, "xyz", 3, 3);
	put_le64(footer, b.len);
	memcpy(footer + 8, TF_FOOTER_MAGIC, 8);
	sr_wbuf__bytes(&b, f.buf + idx, f.sz - TF_FOOTER_SZ - idx);
	tf_put_block(&b, TF_BLOCK_FOOTER, 0, footer, sizeof(footer), sizeof(footer));
	if (ASSERT_FALSE(b.oom, "build"))
		_read_all(b.buf, b.len, &recs, true);
out:
	sr_wbuf__release(&b);
	rec_vec__release(&recs);
	tf_release(&f);
}

void test_structure__unknown_column(void)
{
	static const uint8_t junk[37] = { 0xff, 0xff, 0xff, 1, 2, 3 };
	const struct tf_extra_col extra[] = {
		{ 12, junk, sizeof(junk) },             /* between the blob and integer columns */
		{ TF_COL_INT_BASE, junk, 3 },           /* "ints[0]" has no column of its own */
		{ TF_COL_INT_BASE + TRACE_REC_MAX_INTS, junk, 10 }, /* past the last integer */
		{ 1000000, junk, 0 },                   /* empty */
		{ UINT64_MAX, junk, 1 },
	};
	struct rec_vec recs = { 0 };
	struct sr_wbuf b = { 0 };

	if (!_make_recs(&recs, 13, ST_RECS) || !_put_start(&b, TF_VERSION_MAJOR))
		goto out;
	ASSERT_OK(tf_put_chunk(&b, recs.v, 150, 0, extra, sizeof(extra) / sizeof(extra[0])),
		  "chunk with unknown columns");
	ASSERT_OK(tf_put_chunk(&b, recs.v + 150, 150, 1, extra, 1), "second chunk");
	if (ASSERT_FALSE(b.oom, "build"))
		_read_all(b.buf, b.len, &recs, false);
out:
	sr_wbuf__release(&b);
	rec_vec__release(&recs);
}

/* Open must fail with @err at @pos (pos < 0: any). */
static bool _expect_open_fail(const uint8_t *buf, size_t sz, int err, long long pos,
			      const char *what)
{
	struct trace_reader *r = NULL;
	struct sr_diag diag = { 0 };
	int got = tf_open_mem(buf, sz, &r, &diag);
	bool ok = ASSERT_EQ(got, err, what) && ASSERT_EQ(diag.err, err, what) &&
		  ASSERT_TRUE(diag.msg[0], what);

	if (pos >= 0)
		ok = ok && ASSERT_EQ(diag.pos, pos, what);
	if (!got)
		trace_reader__close(r);
	return ok;
}

void test_structure__version_and_magic(void)
{
	struct rec_vec recs = { 0 };
	struct sr_wbuf b = { 0 };
	struct trace_reader *r = NULL;
	unsigned int major, minor;

	if (!_make_recs(&recs, 14, 10))
		goto out;
	/* major version 2 */
	if (!_put_start(&b, 2))
		goto out;
	tf_put_chunk(&b, recs.v, recs.cnt, 0, NULL, 0);
	_expect_open_fail(b.buf, b.len, -SR_ERR_VERSION, 8, "major version 2");
	/* a newer minor version is fine */
	b.len = 0;
	tf_put_preamble(&b, TF_VERSION_MAJOR, 7);
	tf_put_header(&b, NULL);
	tf_put_chunk(&b, recs.v, recs.cnt, 0, NULL, 0);
	if (ASSERT_OK(tf_open_mem(b.buf, b.len, &r, NULL), "minor version 7")) {
		trace_reader__version(r, &major, &minor);
		ASSERT_TRUE(major == TF_VERSION_MAJOR && minor == 7, "version 1.7");
		trace_reader__close(r);
		_read_all(b.buf, b.len, &recs, false);
	}
	/* bad magic, at each of its bytes */
	for (int i = 0; i < TF_MAGIC_SZ; i++) {
		b.buf[i] ^= 0x20;
		_expect_open_fail(b.buf, b.len, -SR_ERR_MAGIC, 0, "bad magic");
		b.buf[i] ^= 0x20;
	}
	_expect_open_fail((const uint8_t *)"", 0, -SR_ERR_MAGIC, 0, "empty file");
	_expect_open_fail((const uint8_t *)"hello, world\n", 13, -SR_ERR_MAGIC, 0, "text file");
	/* a prefix of a trace is a truncated trace; of something else, not a trace */
	_expect_open_fail((const uint8_t *)"\x89SYS", 4, -SR_ERR_TRUNCATED, 4, "half a magic");
	_expect_open_fail((const uint8_t *)"\x89SYX", 4, -SR_ERR_MAGIC, 0, "half a bad magic");
	_expect_open_fail(b.buf, 12, -SR_ERR_TRUNCATED, 12, "half a preamble");
	/* the preamble's checksum */
	b.buf[12] ^= 1;
	_expect_open_fail(b.buf, b.len, -SR_ERR_CHECKSUM, -1, "preamble checksum");
	b.buf[12] ^= 1;
	/* no header block, or a block of another type where it should be */
	_expect_open_fail(b.buf, TF_PREAMBLE_SZ, -SR_ERR_TRUNCATED, TF_PREAMBLE_SZ, "no header");
	b.len = 0;
	tf_put_preamble(&b, TF_VERSION_MAJOR, 0);
	tf_put_chunk(&b, recs.v, recs.cnt, 0, NULL, 0);
	_expect_open_fail(b.buf, b.len, -EBADMSG, TF_PREAMBLE_SZ, "chunk instead of header");
out:
	sr_wbuf__release(&b);
	rec_vec__release(&recs);
}

/* Read from a file whose header opens but whose first data block is bad: next() must fail
 * with @err at @pos, without allocating more than @max_alloc bytes at once. */
static bool _expect_next_fail(const uint8_t *buf, size_t sz, int err, long long pos,
			      size_t max_alloc, const char *what)
{
	struct trace_reader *r = NULL;
	struct sr_diag diag = { 0 };
	struct trace_rec rec;
	const struct sr_diag *d;
	bool ok;
	int ret;

	if (!ASSERT_OK(tf_open_mem(buf, sz, &r, &diag), what)) {
		TEST_FAIL("diag: %s", diag.msg);
		return false;
	}
	faultsim_reset_max();
	ret = trace_reader__next(r, &rec);
	d = trace_reader__diag(r);
	ok = ASSERT_EQ(ret, err, what) && ASSERT_EQ(d->err, err, what) &&
	     ASSERT_TRUE(d->msg[0], what) && ASSERT_EQ(d->pos, pos, what) &&
	     ASSERT_LE(faultsim_max_sz(), max_alloc, what);
	if (!ok)
		TEST_FAIL("(%s: diag says \"%s\")", what, d->msg);
	trace_reader__close(r);
	return ok;
}

void test_structure__bad_lengths(void)
{
	struct rec_vec recs = { 0 };
	struct sr_wbuf b = { 0 }, chunk = { 0 }, payload = { 0 };
	uint8_t pro[128] = { 0 };
	size_t data_off;

	if (!_make_recs(&recs, 15, 20) || !_put_start(&b, TF_VERSION_MAJOR))
		goto out;
	data_off = b.len;
	/* a block whose stored_sz points past the end of the file */
	tf_put_block_header(&b, TF_BLOCK_CHUNK, TF_BLOCK_F_ZSTD, 1000, 5000, 0);
	sr_wbuf__bytes(&b, pro, 100);
	_expect_next_fail(b.buf, b.len, -SR_ERR_TRUNCATED, (long long)data_off, 1 << 20,
			  "stored_sz past the end");
	/* ... and by a lot: over the format's limit, so not a truncation */
	b.len = data_off;
	tf_put_block_header(&b, TF_BLOCK_CHUNK, TF_BLOCK_F_ZSTD, 0xfffffff0u, 5000, 0);
	sr_wbuf__bytes(&b, pro, 100);
	_expect_next_fail(b.buf, b.len, -EBADMSG, (long long)data_off, 1 << 20,
			  "stored_sz over the limit");
	/* the header block too */
	b.len = 0;
	tf_put_preamble(&b, TF_VERSION_MAJOR, 0);
	tf_put_block_header(&b, TF_BLOCK_HEADER, 0, 64, 64, 0);
	sr_wbuf__bytes(&b, pro, 10);
	_expect_open_fail(b.buf, b.len, -SR_ERR_TRUNCATED, TF_PREAMBLE_SZ, "header past the end");

	/* a real chunk whose raw_sz claims 4 GiB: checksums valid, rejected before allocating */
	b.len = 0;
	_put_start(&b, TF_VERSION_MAJOR);
	data_off = b.len;
	if (!ASSERT_OK(tf_put_chunk(&chunk, recs.v, recs.cnt, 0, NULL, 0), "chunk"))
		goto out;
	{
		const uint8_t *h = chunk.buf;
		uint32_t stored = get_le32(h + 8);

		tf_put_block(&b, TF_BLOCK_CHUNK, TF_BLOCK_F_ZSTD, h + TF_BLOCK_HDR_SZ, stored,
			     UINT32_MAX);
		_expect_next_fail(b.buf, b.len, -EBADMSG, (long long)data_off, 1 << 20,
				  "raw_sz of 4 GiB");
		/* the prologue's record count cannot fit in the raw size */
		/* (with valid checksums: only the count is wrong) */
		b.len = data_off;
		payload.len = 0;
		sr_wbuf__bytes(&payload, h + TF_BLOCK_HDR_SZ, stored);
		if (!ASSERT_FALSE(payload.oom, "copy"))
			goto out;
		put_le32(payload.buf, UINT32_MAX);
		tf_put_block(&b, TF_BLOCK_CHUNK, TF_BLOCK_F_ZSTD, payload.buf, stored,
			     get_le32(h + 12));
		_expect_next_fail(b.buf, b.len, -EBADMSG, (long long)data_off, 1 << 20,
				  "record count of 4 G");
		/* raw_sz smaller than the frame's content */
		b.len = data_off;
		tf_put_block(&b, TF_BLOCK_CHUNK, TF_BLOCK_F_ZSTD, h + TF_BLOCK_HDR_SZ, stored,
			     get_le32(h + 12) - 1);
		_expect_next_fail(b.buf, b.len, -EBADMSG, (long long)data_off, 1 << 20,
				  "raw_sz one short");
		/* not compressed: a chunk must be */
		b.len = data_off;
		tf_put_block(&b, TF_BLOCK_CHUNK, 0, h + TF_BLOCK_HDR_SZ, stored, get_le32(h + 12));
		_expect_next_fail(b.buf, b.len, -EBADMSG, (long long)data_off, 1 << 20,
				  "chunk without the zstd flag");
		/* shorter than its prologue */
		b.len = data_off;
		tf_put_block(&b, TF_BLOCK_CHUNK, TF_BLOCK_F_ZSTD, h + TF_BLOCK_HDR_SZ, 20, 100);
		_expect_next_fail(b.buf, b.len, -EBADMSG, (long long)data_off, 1 << 20,
				  "chunk shorter than its prologue");
		/* a block that does not start with the block magic */
		b.len = data_off;
		sr_wbuf__bytes(&b, "garbage garbage garbage garbage", 30);
		_expect_next_fail(b.buf, b.len, -EBADMSG, (long long)data_off, 1 << 20,
				  "garbage instead of a block");
	}
out:
	sr_wbuf__release(&payload);
	sr_wbuf__release(&chunk);
	sr_wbuf__release(&b);
	rec_vec__release(&recs);
}

/* An index whose raw_sz claims 4 GiB, and a footer pointing outside the file: the index is
 * ignored (with a warning), the records still read. */
void test_structure__bad_index(void)
{
	struct rec_vec recs = { 0 };
	struct sr_wbuf b = { 0 }, junk = { 0 };
	struct trace_reader *r = NULL;
	const struct trace_summary *s;
	uint8_t footer[TF_FOOTER_PAYLOAD_SZ];
	uint64_t idx_off;
	unsigned int logs;

	if (!_make_recs(&recs, 16, 50) || !_put_start(&b, TF_VERSION_MAJOR))
		goto out;
	tf_put_chunk(&b, recs.v, recs.cnt, 0, NULL, 0);
	idx_off = b.len;
	sr_wbuf__bytes(&junk, "\x28\xb5\x2f\xfd", 4); /* the start of a zstd frame */
	tf_put_block(&b, TF_BLOCK_INDEX, TF_BLOCK_F_ZSTD, junk.buf, (uint32_t)junk.len, UINT32_MAX);
	put_le64(footer, idx_off);
	memcpy(footer + 8, TF_FOOTER_MAGIC, 8);
	tf_put_block(&b, TF_BLOCK_FOOTER, 0, footer, sizeof(footer), sizeof(footer));
	if (!ASSERT_OK(tf_open_mem(b.buf, b.len, &r, NULL), "open"))
		goto out;
	ASSERT_TRUE(trace_reader__has_index(r), "the footer is valid");
	logs = test__log_cnt();
	faultsim_reset_max();
	if (ASSERT_OK(trace_reader__summary(r, &s), "summary")) {
		ASSERT_FALSE(s->from_index, "the index was not used");
		ASSERT_EQ(s->rec_cnt, recs.cnt, "rec_cnt by scan");
		ASSERT_GT(test__log_cnt(), logs, "a warning about the index");
	}
	ASSERT_LE(faultsim_max_sz(), 1 << 20, "no 4 GiB allocation");
	ASSERT_FALSE(trace_reader__has_index(r), "index dropped");
	trace_reader__close(r);
	r = NULL;

	/* the footer points past itself */
	b.len -= TF_FOOTER_SZ;
	put_le64(footer, b.len + 100);
	tf_put_block(&b, TF_BLOCK_FOOTER, 0, footer, sizeof(footer), sizeof(footer));
	logs = test__log_cnt();
	if (ASSERT_OK(tf_open_mem(b.buf, b.len, &r, NULL), "open")) {
		ASSERT_FALSE(trace_reader__has_index(r), "footer pointing outside is ignored");
		ASSERT_GT(test__log_cnt(), logs, "a warning about the footer");
	}
	trace_reader__close(r);
	r = NULL;
	_read_all(b.buf, b.len, &recs, false);
out:
	trace_reader__close(r);
	sr_wbuf__release(&junk);
	sr_wbuf__release(&b);
	rec_vec__release(&recs);
}
