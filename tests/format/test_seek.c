// SPDX-License-Identifier: Apache-2.0
/* Positioning the reader: seek by time, rewind, and skipping chunks with a chunk filter. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "format_tests.h"
#include "tf_util.h"
#include "test.h"

struct seek_file {
	struct tf_file f;
	struct rec_vec recs;
	struct trace_chunk_info *chunks;
	size_t chunk_cnt;
	uint64_t *rec_before;
};

static void _seek_file_release(struct seek_file *sf)
{
	tf_release(&sf->f);
	rec_vec__release(&sf->recs);
	free(sf->chunks);
	free(sf->rec_before);
}

static bool _seek_file_init(struct seek_file *sf, uint64_t seed, uint32_t chunk_sz, bool mono)
{
	const struct trace_writer_opts wo = { .sz = sizeof(wo), .chunk_sz = chunk_sz };
	const struct rec_gen_opts go = { .seed = seed, .monotonic_ts = mono };
	struct trace_reader *r = NULL;
	const struct trace_summary *s;
	bool ok = false;

	memset(sf, 0, sizeof(*sf));
	if (!ASSERT_OK(tf_write(&sf->f, &go, 20000, &wo, &sf->recs, NULL), "write") ||
	    !ASSERT_OK(tf_open_mem(sf->f.buf, sf->f.sz, &r, NULL), "open") ||
	    !ASSERT_OK(trace_reader__summary(r, &s), "summary"))
		goto out;
	sf->chunk_cnt = s->chunk_cnt;
	sf->chunks = calloc(s->chunk_cnt, sizeof(*sf->chunks));
	sf->rec_before = calloc(s->chunk_cnt + 1, sizeof(*sf->rec_before));
	if (!ASSERT_TRUE(sf->chunks && sf->rec_before, "calloc"))
		goto out;
	memcpy(sf->chunks, s->chunks, s->chunk_cnt * sizeof(*sf->chunks));
	for (size_t i = 0; i < sf->chunk_cnt; i++)
		sf->rec_before[i + 1] = sf->rec_before[i] + sf->chunks[i].rec_cnt;
	ok = ASSERT_GT(sf->chunk_cnt, 10, "many chunks");
out:
	trace_reader__close(r);
	return ok;
}

/* Read on from the current position expecting recs[first..]; @return records read. */
static uint64_t _read_from(struct trace_reader *r, const struct rec_vec *recs, uint64_t first,
			   uint64_t max)
{
	struct trace_rec rec;
	char why[128];
	uint64_t n = 0;
	int ret;

	while (n < max && (ret = trace_reader__next(r, &rec)) == 1) {
		if (first + n >= recs->cnt ||
		    !rec_equal(&rec, &recs->v[first + n], why, sizeof(why))) {
			TEST_FAIL("record %llu after positioning: %s",
				  (unsigned long long)(first + n),
				  first + n >= recs->cnt ? "past the end" : why);
			return n;
		}
		n++;
	}
	return n;
}

/* seek_time(@ts) must land on the first chunk whose max_ts >= @ts. */
static bool _check_seek(struct trace_reader *r, const struct seek_file *sf, uint64_t ts)
{
	size_t c = 0;
	uint64_t n;
	struct trace_rec rec;

	while (c < sf->chunk_cnt && sf->chunks[c].max_ts < ts)
		c++;
	if (!ASSERT_OK(trace_reader__seek_time(r, ts), "seek_time"))
		return false;
	if (c == sf->chunk_cnt)
		return ASSERT_EQ(trace_reader__next(r, &rec), 0, "seek past the end: no record");
	n = _read_from(r, &sf->recs, sf->rec_before[c], 1);
	if (!ASSERT_EQ(n, 1, "a record after seek") ||
	    !ASSERT_EQ(trace_reader__chunk(r)->offset, sf->chunks[c].offset, "chunk after seek"))
		return TEST_FAIL("(seek to %llu)", (unsigned long long)ts);
	/* ... and the first record at or after ts is in that chunk (time only grows here) */
	n = _read_from(r, &sf->recs, sf->rec_before[c] + 1, sf->chunks[c].rec_cnt - 1);
	if (!ASSERT_EQ(n, sf->chunks[c].rec_cnt - 1, "the rest of the chunk"))
		return false;
	for (uint64_t i = sf->rec_before[c]; i < sf->rec_before[c + 1]; i++)
		if (sf->recs.v[i].ts >= ts)
			return true;
	return TEST_FAIL("no record at or after %llu in the chunk seek_time chose",
			 (unsigned long long)ts);
}

static void _seek_cases(bool with_index)
{
	struct seek_file sf;
	struct trace_reader *r = NULL;
	size_t sz;

	if (!_seek_file_init(&sf, 5150, 4096, true))
		goto out;
	sz = with_index ? sf.f.sz : tf_index_off(sf.f.buf, sf.f.sz);
	if (!ASSERT_OK(tf_open_mem(sf.f.buf, sz, &r, NULL), "open"))
		goto out;
	ASSERT_EQ(trace_reader__has_index(r), with_index, "has_index");
	_check_seek(r, &sf, 0);
	_check_seek(r, &sf, sf.recs.v[0].ts);
	_check_seek(r, &sf, sf.recs.v[0].ts + 1);
	for (size_t i = 1; i < sf.chunk_cnt; i += 3) {
		const struct trace_chunk_info *c = &sf.chunks[i], *prev = &sf.chunks[i - 1];

		_check_seek(r, &sf, c->min_ts);
		_check_seek(r, &sf, c->max_ts);
		_check_seek(r, &sf, c->max_ts + 1);
		_check_seek(r, &sf, prev->max_ts + (c->min_ts - prev->max_ts) / 2); /* between */
	}
	_check_seek(r, &sf, sf.recs.v[sf.recs.cnt / 2].ts);
	_check_seek(r, &sf, sf.recs.v[sf.recs.cnt - 1].ts);
	_check_seek(r, &sf, sf.recs.v[sf.recs.cnt - 1].ts + 1);
	_check_seek(r, &sf, UINT64_MAX);
	/* after seeking past the end, a rewind starts over */
	ASSERT_OK(trace_reader__rewind(r), "rewind");
	ASSERT_EQ(_read_from(r, &sf.recs, 0, UINT64_MAX), sf.recs.cnt, "everything after rewind");
out:
	trace_reader__close(r);
	_seek_file_release(&sf);
}

void test_reader__seek_time(void)
{
	_seek_cases(true);
}

void test_reader__seek_time_no_index(void)
{
	_seek_cases(false);
}

void test_reader__rewind(void)
{
	struct seek_file sf;
	struct trace_reader *r = NULL;
	struct trace_rec rec;

	if (!_seek_file_init(&sf, 616, 4096, false))
		goto out;
	if (!ASSERT_OK(tf_open_mem(sf.f.buf, sf.f.sz, &r, NULL), "open"))
		goto out;
	ASSERT_OK(trace_reader__rewind(r), "rewind before reading");
	ASSERT_EQ(_read_from(r, &sf.recs, 0, 100), 100, "100 records");
	ASSERT_OK(trace_reader__rewind(r), "rewind mid-chunk");
	ASSERT_EQ(_read_from(r, &sf.recs, 0, 5000), 5000, "5000 records");
	ASSERT_OK(trace_reader__rewind(r), "rewind in a later chunk");
	ASSERT_EQ(_read_from(r, &sf.recs, 0, UINT64_MAX), sf.recs.cnt, "all records");
	ASSERT_EQ(trace_reader__next(r, &rec), 0, "end");
	ASSERT_OK(trace_reader__rewind(r), "rewind at the end");
	ASSERT_EQ(_read_from(r, &sf.recs, 0, UINT64_MAX), sf.recs.cnt, "all records again");
	/* the summary does not move next() */
	ASSERT_OK(trace_reader__rewind(r), "rewind");
	ASSERT_EQ(_read_from(r, &sf.recs, 0, 10), 10, "10 records");
	const struct trace_summary *s;

	ASSERT_OK(trace_reader__summary(r, &s), "summary");
	ASSERT_EQ(_read_from(r, &sf.recs, 10, UINT64_MAX), sf.recs.cnt - 10, "the rest");
out:
	trace_reader__close(r);
	_seek_file_release(&sf);
}

struct filter_ctx {
	unsigned int calls;
	unsigned int accepted;
};

static bool _thread_chunks(const struct trace_chunk_info *c, void *ctx)
{
	struct filter_ctx *fc = ctx;
	bool keep = c->type_mask & (1ull << TR_THREAD);

	fc->calls++;
	fc->accepted += keep;
	return keep;
}

void test_reader__chunk_filter(void)
{
	struct seek_file sf;
	struct trace_reader *r = NULL;
	struct filter_ctx fc = { 0 };
	struct trace_rec rec;
	uint64_t want_thread = 0, got_thread = 0, n = 0;
	size_t c = 0, skipped = 0;
	char why[128];
	int ret;

	if (!_seek_file_init(&sf, 808, 700, false))
		goto out;
	for (size_t i = 0; i < sf.recs.cnt; i++)
		want_thread += sf.recs.v[i].type == TR_THREAD;
	for (size_t i = 0; i < sf.chunk_cnt; i++)
		skipped += !(sf.chunks[i].type_mask & (1ull << TR_THREAD));
	if (!ASSERT_GT(skipped, 0, "some chunks without THREAD records") ||
	    !ASSERT_LT(skipped, sf.chunk_cnt, "some chunks with"))
		goto out;
	if (!ASSERT_OK(tf_open_mem(sf.f.buf, sf.f.sz, &r, NULL), "open"))
		goto out;
	trace_reader__set_chunk_filter(r, _thread_chunks, &fc);
	while ((ret = trace_reader__next(r, &rec)) == 1) {
		const struct trace_chunk_info *ci = trace_reader__chunk(r);

		/* the original chunk this record comes from, and the record's place in it */
		while (c < sf.chunk_cnt && sf.chunks[c].offset != ci->offset)
			c++, n = 0;
		if (!ASSERT_LT(c, sf.chunk_cnt, "the record's chunk is known"))
			break;
		if (!ASSERT_TRUE(ci->type_mask & (1ull << TR_THREAD), "from an accepted chunk"))
			break;
		if (!rec_equal(&rec, &sf.recs.v[sf.rec_before[c] + n], why, sizeof(why))) {
			TEST_FAIL("chunk %zu record %llu: %s", c, (unsigned long long)n, why);
			break;
		}
		got_thread += rec.type == TR_THREAD;
		n++;
	}
	ASSERT_EQ(ret, 0, "clean end");
	ASSERT_EQ(got_thread, want_thread, "every THREAD record");
	ASSERT_EQ(fc.calls, sf.chunk_cnt, "the filter saw every chunk");
	ASSERT_EQ(fc.accepted, sf.chunk_cnt - skipped, "accepted chunks");
	/* no filter: everything again */
	trace_reader__set_chunk_filter(r, NULL, NULL);
	ASSERT_OK(trace_reader__rewind(r), "rewind");
	ASSERT_EQ(_read_from(r, &sf.recs, 0, UINT64_MAX), sf.recs.cnt, "all without a filter");
out:
	trace_reader__close(r);
	_seek_file_release(&sf);
}
