// SPDX-License-Identifier: Apache-2.0
/*
 * Damaged files: cut at every chunk boundary and inside every chunk, cut at every byte of a
 * small file, and a bit flipped at every offset.  The invariant throughout: every record the
 * reader returns is the original record at that position, and everything else is a negative
 * error with a message naming the offset.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "format_tests.h"
#include "tf_util.h"
#include "test.h"

/* A complete file and everything known about its layout. */
struct layout {
	const uint8_t *buf;
	size_t sz;
	const struct rec_vec *recs;
	struct trace_chunk_info *chunks;
	size_t chunk_cnt;
	uint64_t *rec_before;     /* [chunk_cnt + 1]: records in the chunks before chunk i */
	uint64_t *counts_before;  /* [(chunk_cnt + 1) * (TR_TYPE_MAX + 1)]: per type, same */
	struct rec_expect exp;    /* the complete file's summary and catalog */
	uint64_t data_off;        /* end of the header block */
	uint64_t index_off, footer_off;
};

static uint64_t _chunk_end(const struct layout *l, size_t i)
{
	return l->chunks[i].offset + TF_BLOCK_HDR_SZ + l->chunks[i].stored_sz;
}

static void _layout_release(struct layout *l)
{
	free(l->chunks);
	free(l->rec_before);
	free(l->counts_before);
	rec_expect__release(&l->exp);
	memset(l, 0, sizeof(*l));
}

static bool _layout_init(struct layout *l, const uint8_t *buf, size_t sz,
			 const struct rec_vec *recs)
{
	struct trace_reader *r = NULL;
	const struct trace_summary *s;
	bool ok = false;

	memset(l, 0, sizeof(*l));
	l->buf = buf;
	l->sz = sz;
	l->recs = recs;
	rec_expect__init(&l->exp, true);
	for (size_t i = 0; i < recs->cnt; i++)
		if (!ASSERT_OK(rec_expect__note(&l->exp, &recs->v[i]), "note"))
			return false;
	l->data_off = TF_PREAMBLE_SZ + TF_BLOCK_HDR_SZ + get_le32(buf + TF_PREAMBLE_SZ + 8);
	l->index_off = tf_index_off(buf, sz);
	l->footer_off = sz - TF_FOOTER_SZ;
	if (!ASSERT_GT(l->index_off, 0, "the file has an index"))
		return false;
	if (!ASSERT_OK(tf_open_mem(buf, sz, &r, NULL), "open the complete file") ||
	    !ASSERT_OK(trace_reader__summary(r, &s), "summary"))
		goto out;
	l->chunk_cnt = s->chunk_cnt;
	l->chunks = calloc(s->chunk_cnt + 1, sizeof(*l->chunks));
	l->rec_before = calloc(s->chunk_cnt + 1, sizeof(*l->rec_before));
	l->counts_before = calloc((s->chunk_cnt + 1) * (TR_TYPE_MAX + 1), sizeof(uint64_t));
	if (!ASSERT_TRUE(l->chunks && l->rec_before && l->counts_before, "calloc"))
		goto out;
	memcpy(l->chunks, s->chunks, s->chunk_cnt * sizeof(*l->chunks));
	for (size_t i = 0, n = 0; i < l->chunk_cnt; i++) {
		uint64_t *prev = l->counts_before + i * (TR_TYPE_MAX + 1);
		uint64_t *next = prev + TR_TYPE_MAX + 1;

		memcpy(next, prev, (TR_TYPE_MAX + 1) * sizeof(uint64_t));
		l->rec_before[i + 1] = l->rec_before[i] + l->chunks[i].rec_cnt;
		for (; n < l->rec_before[i + 1] && n < recs->cnt; n++) {
			unsigned int t = recs->v[n].type;

			next[t < TR_TYPE_MAX ? t : TR_TYPE_MAX]++;
		}
	}
	ok = ASSERT_EQ(l->rec_before[l->chunk_cnt], recs->cnt, "chunks hold every record") &&
	     ASSERT_EQ(l->chunks[0].offset, l->data_off, "first chunk after the header") &&
	     ASSERT_EQ(_chunk_end(l, l->chunk_cnt - 1), l->index_off, "index after the last chunk");
out:
	trace_reader__close(r);
	return ok;
}

/* Start of the block that holds byte @off. */
static uint64_t _block_start(const struct layout *l, uint64_t off)
{
	uint64_t start = TF_PREAMBLE_SZ;

	for (size_t i = 0; i < l->chunk_cnt && l->chunks[i].offset <= off; i++)
		start = l->chunks[i].offset;
	if (off >= l->index_off)
		start = l->index_off;
	if (off >= l->footer_off)
		start = l->footer_off;
	return start;
}

/* Read every record of @r comparing it with the originals; @return the count, *@ret the
 * value next() ended with.  A record that differs fails the case. */
static uint64_t _read_compare(struct trace_reader *r, const struct rec_vec *recs, int *ret,
			      bool *ok)
{
	struct trace_rec rec;
	uint64_t n = 0;
	char why[128];

	while ((*ret = trace_reader__next(r, &rec)) == 1) {
		if (n >= recs->cnt) {
			*ok = TEST_FAIL("more records than were written");
			break;
		}
		if (!rec_equal(&rec, &recs->v[n], why, sizeof(why))) {
			*ok = TEST_FAIL("record %llu differs from the original: %s",
					(unsigned long long)n, why);
			break;
		}
		n++;
	}
	return n;
}

/* A failure must carry the same code and a message in the reader's diag. */
static bool _diag_ok(const struct sr_diag *d, int err, const char *what)
{
	return ASSERT_EQ(d->err, err, what) && ASSERT_TRUE(d->msg[0], what);
}

/* The file cut to @len bytes. */
static bool _check_prefix(const struct layout *l, size_t len)
{
	struct trace_reader *r = NULL;
	struct sr_diag diag = { 0 };
	const struct trace_summary *s;
	const struct sr_diag *d;
	size_t k = 0;
	bool boundary, in_footer, ok = true;
	char off_str[48];
	uint64_t n;
	int err, ret;

	err = tf_open_mem(l->buf, len, &r, &diag);
	if (len < l->data_off) {
		/* no complete header block: open fails and says why */
		ok = ASSERT_EQ(err, len ? -SR_ERR_TRUNCATED : -SR_ERR_MAGIC,
			       "open of a cut header") &&
		     _diag_ok(&diag, err, "open's diag");
		if (!ok)
			TEST_FAIL("(cut at %zu)", len);
		return ok;
	}
	if (!ASSERT_OK(err, "open a cut file")) {
		TEST_FAIL("(cut at %zu: %s)", len, diag.msg);
		return false;
	}
	while (k < l->chunk_cnt && _chunk_end(l, k) <= len)
		k++;
	boundary = len == l->sz || len == l->data_off || len == l->index_off ||
		   len == l->footer_off || (k < l->chunk_cnt && len == l->chunks[k].offset);
	/* Past the index block the reader stops reading: a cut footer only loses the index. */
	in_footer = len > l->footer_off;

	ok &= ASSERT_EQ(trace_reader__has_index(r), len == l->sz, "has_index");
	n = _read_compare(r, l->recs, &ret, &ok);
	ok &= ASSERT_EQ(n, l->rec_before[k], "records of the complete chunks");
	d = trace_reader__diag(r);
	if (boundary || in_footer) {
		ok &= ASSERT_EQ(ret, 0, "next() at a block boundary") &&
		      ASSERT_EQ(d->err, 0, "no diag");
	} else {
		uint64_t blk = _block_start(l, len);

		snprintf(off_str, sizeof(off_str), "offset %llu", (unsigned long long)blk);
		ok &= ASSERT_EQ(ret, -SR_ERR_TRUNCATED, "next() inside a block") &&
		      _diag_ok(d, ret, "next()'s diag") && ASSERT_EQ(d->pos, blk, "diag.pos") &&
		      ASSERT_STR_HAS(d->msg, off_str, "diag.msg names the block");
		ok &= ASSERT_EQ(trace_reader__next(r, &(struct trace_rec){ 0 }), ret, "sticky");
	}
	if (!ASSERT_OK(trace_reader__summary(r, &s), "summary of a cut file")) {
		ok = false;
		goto out;
	}
	ok &= ASSERT_EQ(s->from_index, len == l->sz, "summary from_index");
	ok &= ASSERT_EQ(s->rec_cnt, l->rec_before[k], "summary rec_cnt");
	if (!s->from_index) {
		const uint64_t *counts = l->counts_before + k * (TR_TYPE_MAX + 1);

		ok &= ASSERT_EQ(s->chunk_cnt, k, "summary chunk_cnt");
		ok &= ASSERT_EQ(s->scan_diag.err, boundary || in_footer ? 0 : -SR_ERR_TRUNCATED,
				"summary scan_diag");
		for (unsigned int t = 0; t < TR_TYPE_MAX; t++)
			ok &= ASSERT_EQ(s->counts[t], counts[t], "summary count of a type");
		ok &= ASSERT_EQ(s->other_cnt, counts[TR_TYPE_MAX], "summary other_cnt");
	}
out:
	if (!ok)
		TEST_FAIL("(the file was cut at %zu of %zu bytes; the block there starts at %llu)",
			  len, l->sz, (unsigned long long)_block_start(l, len));
	trace_reader__close(r);
	return ok;
}

void test_truncate__chunk_boundaries(void)
{
	const struct trace_writer_opts wo = { .sz = sizeof(wo), .chunk_sz = 4096 };
	const struct rec_gen_opts go = { .seed = 30000, .small = true };
	struct rec_vec recs = { 0 };
	struct layout l = { 0 };
	struct tf_file f;
	size_t cuts = 0;

	if (!ASSERT_OK(tf_write(&f, &go, 30000, &wo, &recs, NULL), "write"))
		goto out;
	if (!_layout_init(&l, f.buf, f.sz, &recs))
		goto out;
	ASSERT_GT(l.chunk_cnt, 20, "many chunks");
	for (size_t i = 0; i <= l.chunk_cnt + 1; i++) {
		/* the chunks, then the index block, then the footer */
		uint64_t off = i < l.chunk_cnt ? l.chunks[i].offset :
			       i == l.chunk_cnt ? l.index_off : l.footer_off;
		uint64_t end = i < l.chunk_cnt ? _chunk_end(&l, i) :
			       i == l.chunk_cnt ? l.footer_off : l.sz;
		const uint64_t at[] = { off, off + 1, off + 23, off + 24, off + 40,
					off + (end - off) / 2, end - 1 };

		for (size_t j = 0; j < sizeof(at) / sizeof(at[0]); j++) {
			if (at[j] >= end)
				continue;
			cuts++;
			if (!_check_prefix(&l, at[j]))
				goto out;
		}
	}
	_check_prefix(&l, l.sz);
	ASSERT_GT(cuts, 6 * l.chunk_cnt, "cut points tried");
out:
	_layout_release(&l);
	rec_vec__release(&recs);
	tf_release(&f);
}

void test_truncate__every_prefix(void)
{
	const struct trace_writer_opts wo = { .sz = sizeof(wo), .chunk_sz = 600 };
	const struct rec_gen_opts go = { .seed = 77, .small = true };
	struct rec_vec recs = { 0 };
	struct layout l = { 0 };
	struct tf_file f;

	if (!ASSERT_OK(tf_write(&f, &go, 250, &wo, &recs, NULL), "write"))
		goto out;
	if (!_layout_init(&l, f.buf, f.sz, &recs))
		goto out;
	ASSERT_GE(l.chunk_cnt, 4, "several chunks");
	for (size_t len = 0; len <= f.sz; len++)
		if (!_check_prefix(&l, len))
			break;
out:
	_layout_release(&l);
	rec_vec__release(&recs);
	tf_release(&f);
}

struct cat_count {
	const struct rec_vec *want;
	size_t n;
	bool bad;
};

static int _cat_cb(const struct trace_rec *rec, void *ctx)
{
	struct cat_count *cc = ctx;
	char why[128];

	if (cc->n >= cc->want->cnt || !rec_equal(rec, &cc->want->v[cc->n], why, sizeof(why))) {
		cc->bad = true;
		return 1;
	}
	cc->n++;
	return 0;
}

/* The file with one bit flipped at @off (already applied to @buf). */
static bool _check_flip(const struct layout *l, const uint8_t *buf, uint64_t off)
{
	struct trace_reader *r = NULL;
	struct sr_diag diag = { 0 };
	const struct trace_summary *s;
	const struct sr_diag *d;
	struct cat_count cc = { &l->exp.catalog, 0, false };
	unsigned int logs = test__log_cnt();
	bool ok = true;
	size_t chunk = SIZE_MAX;
	char off_str[48];
	uint64_t n;
	int err, ret;

	err = tf_open_mem(buf, l->sz, &r, &diag);
	if (off < l->data_off) {
		int want = off < TF_MAGIC_SZ ? -SR_ERR_MAGIC :
			   off < TF_PREAMBLE_SZ ? -SR_ERR_CHECKSUM :
			   off < TF_PREAMBLE_SZ + 4 ? -EBADMSG : -SR_ERR_CHECKSUM;

		ok = ASSERT_EQ(err, want, "open with a flip in the preamble or header") &&
		     _diag_ok(&diag, err, "open's diag");
		goto out;
	}
	if (!ASSERT_OK(err, "open with a flip after the header")) {
		ok = false;
		goto out;
	}
	for (size_t i = 0; i < l->chunk_cnt; i++)
		if (off >= l->chunks[i].offset && off < _chunk_end(l, i))
			chunk = i;
	n = _read_compare(r, l->recs, &ret, &ok);
	d = trace_reader__diag(r);
	if (chunk != SIZE_MAX) {
		uint64_t blk = l->chunks[chunk].offset;

		snprintf(off_str, sizeof(off_str), "offset %llu", (unsigned long long)blk);
		ok &= ASSERT_EQ(n, l->rec_before[chunk], "records before the damaged chunk");
		ok &= ASSERT_EQ(ret, off - blk < 4 ? -EBADMSG : -SR_ERR_CHECKSUM,
				"next() at a damaged chunk") &&
		      _diag_ok(d, ret, "diag") && ASSERT_EQ(d->pos, blk, "diag.pos") &&
		      ASSERT_STR_HAS(d->msg, off_str, "diag.msg names the block");
	} else {
		/* the index or the footer: every record still reads */
		ok &= ASSERT_EQ(n, l->recs->cnt, "every record despite a damaged index") &&
		      ASSERT_EQ(ret, 0, "clean end");
	}
	if (!ASSERT_OK(trace_reader__summary(r, &s), "summary")) {
		ok = false;
		goto out;
	}
	if (chunk != SIZE_MAX) {
		ok &= ASSERT_TRUE(s->from_index, "a damaged chunk leaves the index usable");
	} else {
		ok &= ASSERT_TRUE(!trace_reader__has_index(r) || test__log_cnt() > logs,
				  "a damaged index is dropped or warned about");
		ok &= ASSERT_EQ(s->rec_cnt, l->recs->cnt, "summary counts every record");
	}
	err = trace_summary__catalog(s, _cat_cb, &cc);
	ok &= ASSERT_OK(err, "catalog") && ASSERT_FALSE(cc.bad, "catalog records are originals");
	if (s->from_index)
		ok &= ASSERT_EQ(cc.n, l->exp.catalog.cnt, "whole catalog");
out:
	if (!ok)
		TEST_FAIL("(bit flipped at offset %llu of %zu; the block there starts at %llu)",
			  (unsigned long long)off, l->sz, (unsigned long long)_block_start(l, off));
	trace_reader__close(r);
	return ok;
}

void test_corrupt__flipped_bits(void)
{
	const struct trace_writer_opts wo = { .sz = sizeof(wo), .chunk_sz = 500 };
	const struct rec_gen_opts go = { .seed = 1234, .small = true };
	struct rec_vec recs = { 0 };
	struct layout l = { 0 };
	struct tf_file f;
	uint8_t *copy = NULL;

	if (!ASSERT_OK(tf_write(&f, &go, 120, &wo, &recs, NULL), "write"))
		goto out;
	if (!_layout_init(&l, f.buf, f.sz, &recs))
		goto out;
	ASSERT_GE(l.chunk_cnt, 3, "several chunks");
	ASSERT_GT(l.exp.catalog.cnt, 0, "a catalog");
	copy = malloc(f.sz);
	if (!ASSERT_OK_PTR(copy, "malloc"))
		goto out;
	memcpy(copy, f.buf, f.sz);
	for (uint64_t off = 0; off < f.sz; off++) {
		for (int bit = 0; bit < 8; bit++) {
			copy[off] ^= 1u << bit;
			bool ok = _check_flip(&l, copy, off);

			copy[off] ^= 1u << bit;
			if (!ok)
				goto out;
		}
	}
out:
	free(copy);
	_layout_release(&l);
	rec_vec__release(&recs);
	tf_release(&f);
}
