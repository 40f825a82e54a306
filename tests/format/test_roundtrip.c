// SPDX-License-Identifier: Apache-2.0
/*
 * Round trip through a real file: a million generated records of every kind are written and
 * read back field by field (by regenerating them), and the summary, catalog, props and file
 * mode are checked against what the writer was given.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "format_tests.h"
#include "tf_util.h"
#include "test.h"

#define RT_RECS 1000000
#define RT_BIG_AT 333333
#define RT_BIG_SZ (5u << 20)

struct cat_check {
	const struct rec_vec *want;
	size_t idx;
	bool bad;
};

static int _catalog_cb(const struct trace_rec *rec, void *ctx)
{
	struct cat_check *cc = ctx;
	char why[128];

	if (cc->idx >= cc->want->cnt) {
		cc->bad = !TEST_FAIL("catalog has more than the %zu expected records",
				     cc->want->cnt);
		return 1;
	}
	if (!rec_equal(rec, &cc->want->v[cc->idx], why, sizeof(why))) {
		cc->bad = !TEST_FAIL("catalog record %zu: %s", cc->idx, why);
		return 1;
	}
	cc->idx++;
	return 0;
}

/* Compare a summary with what the writer was given; also used by other cases. */
bool tf_check_summary(const struct trace_summary *s, const struct rec_expect *e, bool catalog)
{
	bool ok = true;

	ok &= ASSERT_EQ(s->rec_cnt, e->rec_cnt, "summary rec_cnt");
	ok &= ASSERT_EQ(s->min_ts, e->min_ts, "summary min_ts");
	ok &= ASSERT_EQ(s->max_ts, e->max_ts, "summary max_ts");
	for (unsigned int t = 0; t < TR_TYPE_MAX; t++)
		if (!ASSERT_EQ(s->counts[t], e->counts[t], "summary count of a type")) {
			TEST_FAIL("(the type is %u)", t);
			ok = false;
		}
	ok &= ASSERT_EQ(s->other_cnt, e->other_cnt, "summary count of types >= TR_TYPE_MAX");
	ok &= ASSERT_EQ(s->drop_cnt, e->drop_cnt, "summary drop counters");
	for (size_t i = 0; i < e->drop_cnt; i++) {
		const struct trace_drop_count *want = &e->drops[i];
		bool found = false;

		for (size_t j = 0; j < s->drop_cnt; j++) {
			if (s->drops[j].cpu != want->cpu || s->drops[j].kind != want->kind)
				continue;
			found = true;
			ok &= ASSERT_EQ(s->drops[j].count, want->count, "latest cumulative drops");
		}
		if (!found)
			ok = TEST_FAIL("no drop counter for cpu %u kind %u", want->cpu, want->kind);
	}
	uint64_t sum = 0, prev_end = 0;

	for (uint64_t i = 0; i < s->chunk_cnt; i++) {
		const struct trace_chunk_info *c = &s->chunks[i];

		sum += c->rec_cnt;
		ok &= ASSERT_EQ(c->seq, i, "chunk seq");
		ok &= ASSERT_GE(c->offset, prev_end, "chunks in file order");
		ok &= ASSERT_LE(c->min_ts, c->max_ts, "chunk min_ts <= max_ts");
		prev_end = c->offset + TF_BLOCK_HDR_SZ + c->stored_sz;
	}
	ok &= ASSERT_EQ(sum, e->rec_cnt, "chunk rec_cnt add up");
	if (catalog) {
		struct cat_check cc = { &e->catalog, 0, false };
		int err = trace_summary__catalog(s, _catalog_cb, &cc);

		ok &= ASSERT_OK(err, "catalog") && !cc.bad;
		ok &= ASSERT_EQ(cc.idx, e->catalog.cnt, "catalog records");
		ok &= ASSERT_EQ(s->catalog_rec_cnt, e->catalog.cnt, "catalog_rec_cnt");
	}
	return ok;
}

static bool _mode_is_0600(const char *path, const char *what)
{
	struct stat st;

	if (!ASSERT_OK(stat(path, &st) ? -errno : 0, "stat"))
		return false;
	return ASSERT_EQ(st.st_mode & 07777, 0600, what);
}

void test_roundtrip__million_records(void)
{
	/* few enough processes and containers for the catalog's cap (see the next case) */
	const struct rec_gen_opts go = { .seed = 0x5eed, .big_blob_at = RT_BIG_AT,
					 .big_blob_sz = RT_BIG_SZ, .meta_permille = 6 };
	struct trace_writer *w = NULL;
	struct trace_reader *r = NULL;
	struct trace_props *props = NULL;
	const struct trace_summary *s;
	struct trace_writer_stats st;
	struct trace_rec rec, want;
	struct rec_expect exp;
	struct rec_gen g;
	struct sr_diag diag = { 0 };
	unsigned int major, minor;
	char path[64] = "", why[128];
	uint64_t n = 0;
	int err, ret;

	rec_expect__init(&exp, true);
	if (!ASSERT_OK(rec_gen__init(&g, &go), "gen init"))
		return;
	if (!ASSERT_OK(tf_temp_path(path, sizeof(path)), "mkstemp"))
		goto out;
	/* a file that exists with 0644 must end up 0600 */
	if (!ASSERT_OK(chmod(path, 0644) ? -errno : 0, "chmod 0644"))
		goto out;
	err = trace_props__new(&props);
	err = err ?: trace_props__set_machine(props);
	err = err ?: trace_props__set_str(props, "capture.comment", "round trip");
	err = err ?: trace_props__set_i64(props, "test.negative", -42);
	if (!ASSERT_OK(err, "props"))
		goto out;
	if (!ASSERT_OK(trace_writer__open(path, props, NULL, &w), "writer open"))
		goto out;
	_mode_is_0600(path, "mode right after open over a 0644 file");
	for (uint64_t i = 0; i < RT_RECS; i++) {
		rec_gen__next(&g, &rec);
		err = trace_writer__append(w, &rec);
		if (!ASSERT_OK(err, "append"))
			goto out;
		if (!ASSERT_OK(rec_expect__note(&exp, &rec), "note"))
			goto out;
	}
	if (!ASSERT_OK(trace_writer__flush(w, 1), "flush and wait"))
		goto out;
	trace_writer__stats(w, &st);
	ASSERT_EQ(st.rec_cnt, RT_RECS, "stats rec_cnt");
	err = trace_writer__close(w);
	w = NULL;
	if (!ASSERT_OK(err, "writer close"))
		goto out;
	_mode_is_0600(path, "mode after close");
	rec_gen__release(&g);

	/* read back, regenerating the records to compare */
	if (!ASSERT_OK(trace_reader__open(path, &r, &diag), "reader open")) {
		TEST_FAIL("diag: %s", diag.msg);
		goto out;
	}
	ASSERT_TRUE(trace_reader__has_index(r), "has_index");
	trace_reader__version(r, &major, &minor);
	ASSERT_EQ(major, TF_VERSION_MAJOR, "major version");
	ASSERT_EQ(minor, TF_VERSION_MINOR, "minor version");
	ASSERT_STREQ(trace_props__str(trace_reader__props(r), "capture.comment", NULL),
		     "round trip", "props: capture.comment");
	ASSERT_EQ((int64_t)trace_props__u64(trace_reader__props(r), "test.negative", 0), -42,
		  "props: test.negative");
	ASSERT_EQ(trace_props__cnt(trace_reader__props(r)), trace_props__cnt(props), "props count");
	ASSERT_STREQ(trace_props__str(trace_reader__props(r), "machine.hostname", NULL),
		     trace_props__str(props, "machine.hostname", "?"), "props: machine.hostname");
	if (!ASSERT_OK(rec_gen__init(&g, &go), "gen init"))
		goto out;
	while ((ret = trace_reader__next(r, &rec)) == 1) {
		if (n >= RT_RECS) {
			TEST_FAIL("more than %d records", RT_RECS);
			break;
		}
		rec_gen__next(&g, &want);
		if (!rec_equal(&rec, &want, why, sizeof(why))) {
			TEST_FAIL("record %llu: %s", (unsigned long long)n, why);
			break;
		}
		n++;
	}
	ASSERT_EQ(ret, 0, "next() at the end");
	ASSERT_EQ(n, RT_RECS, "records read");
	ASSERT_EQ(trace_reader__diag(r)->err, 0, "no diag at a clean end");
	ASSERT_EQ(trace_reader__next(r, &rec), 0, "next() after the end");

	if (!ASSERT_OK(trace_reader__summary(r, &s), "summary"))
		goto out;
	ASSERT_TRUE(s->from_index, "summary from the index");
	ASSERT_EQ(s->chunk_cnt, st.chunk_cnt, "chunk count as the writer counted");
	ASSERT_GT(s->chunk_cnt, 5, "several chunks");
	ASSERT_EQ(s->raw_sz, st.raw_sz, "raw_sz as the writer counted");
	tf_check_summary(s, &exp, true);
	ASSERT_GT(exp.catalog.cnt, 100, "the generator made catalog records");
	ASSERT_GT(exp.drop_cnt, 3, "the generator made drop counters");
	ASSERT_GT(exp.other_cnt, 100, "the generator made types >= TR_TYPE_MAX");
out:
	trace_reader__close(r);
	trace_writer__close(w);
	trace_props__free(props);
	rec_gen__release(&g);
	rec_expect__release(&exp);
	if (path[0])
		unlink(path);
}

void test_writer__file_mode(void)
{
	struct trace_writer *w = NULL;
	char path[64];
	mode_t old = umask(0);

	if (!ASSERT_OK(tf_temp_path(path, sizeof(path)), "mkstemp"))
		goto out;
	/* a new file, with umask 0 */
	unlink(path);
	if (ASSERT_OK(trace_writer__open(path, NULL, NULL, &w), "open new")) {
		_mode_is_0600(path, "new file");
		ASSERT_OK(trace_writer__close(w), "close");
	}
	/* over an existing 0666 file */
	chmod(path, 0666);
	if (ASSERT_OK(trace_writer__open(path, NULL, NULL, &w), "open existing")) {
		_mode_is_0600(path, "existing 0666 file");
		ASSERT_OK(trace_writer__close(w), "close");
	}
	unlink(path);
out:
	umask(old);
}

void test_writer__empty_trace(void)
{
	struct tf_file f;
	struct trace_reader *r = NULL;
	const struct trace_summary *s;
	struct trace_rec rec;
	struct rec_gen_opts go = { .seed = 1 };

	if (!ASSERT_OK(tf_write(&f, &go, 0, NULL, NULL, NULL), "write no records"))
		goto out;
	if (!ASSERT_OK(tf_open_mem(f.buf, f.sz, &r, NULL), "open"))
		goto out;
	ASSERT_TRUE(trace_reader__has_index(r), "has_index");
	ASSERT_EQ(trace_reader__next(r, &rec), 0, "no record");
	if (ASSERT_OK(trace_reader__summary(r, &s), "summary")) {
		ASSERT_TRUE(s->from_index, "from the index");
		ASSERT_EQ(s->rec_cnt, 0, "rec_cnt");
		ASSERT_EQ(s->chunk_cnt, 0, "chunk_cnt");
		ASSERT_TRUE(s->min_ts == 0 && s->max_ts == 0, "time span 0, 0");
		ASSERT_EQ(s->catalog_rec_cnt, 0, "empty catalog");
	}
	ASSERT_OK(trace_reader__seek_time(r, 5), "seek in an empty trace");
	ASSERT_EQ(trace_reader__next(r, &rec), 0, "no record after seek");
	ASSERT_OK(trace_reader__rewind(r), "rewind");
	ASSERT_EQ(trace_reader__next(r, &rec), 0, "no record after rewind");
out:
	trace_reader__close(r);
	tf_release(&f);
}

/* More processes than the catalog holds: it keeps the first ones, says so, and the records
 * themselves are all there. */
void test_writer__catalog_full(void)
{
	static const char *const names[] = { "bash", "/usr/bin/bash", "", "/", "", "" };
	struct trace_writer *w = NULL;
	struct trace_reader *r = NULL;
	const struct trace_summary *s;
	struct trace_rec rec = { .type = TR_THREAD, .int_cnt = 20, .blob_cnt = 6 };
	struct rec_expect exp;
	char path[64] = "";
	unsigned int logs = test__log_cnt();
	const uint32_t cnt = 40000;

	rec_expect__init(&exp, true);
	if (!ASSERT_OK(tf_temp_path(path, sizeof(path)), "mkstemp") ||
	    !ASSERT_OK(trace_writer__open(path, NULL, NULL, &w), "open"))
		goto out;
	for (uint32_t i = 0; i < cnt; i++) {
		rec.ts = 1000 + i;
		rec.tid = 100 + i;
		rec.ints[0] = rec.ints[1] = rec.tid; /* process leaders */
		for (int k = 2; k < rec.int_cnt; k++)
			rec.ints[k] = (uint64_t)i * k;
		for (int b = 0; b < rec.blob_cnt; b++)
			rec.blobs[b] = (struct trace_blob){ names[b], (uint32_t)strlen(names[b]),
							    (uint16_t)b, TRACE_BLOB_F_INTERN };
		if (!ASSERT_OK(trace_writer__append(w, &rec), "append") ||
		    !ASSERT_OK(rec_expect__note(&exp, &rec), "note"))
			goto out;
	}
	ASSERT_OK(trace_writer__close(w), "close");
	w = NULL;
	ASSERT_GT(test__log_cnt(), logs, "a warning that the catalog is full");
	if (!ASSERT_OK(trace_reader__open(path, &r, NULL), "reader") ||
	    !ASSERT_OK(trace_reader__summary(r, &s), "summary"))
		goto out;
	ASSERT_EQ(s->counts[TR_THREAD], cnt, "every THREAD record counted");
	ASSERT_GT(s->catalog_rec_cnt, 1000, "the catalog holds many");
	if (!ASSERT_LT(s->catalog_rec_cnt, cnt, "but not all"))
		goto out;
	/* what it holds is the first ones, in order */
	for (size_t i = exp.catalog.cnt; i-- > s->catalog_rec_cnt;) {
		for (int b = 0; b < exp.catalog.v[i].blob_cnt; b++)
			free((void *)exp.catalog.v[i].blobs[b].data);
	}
	exp.catalog.cnt = s->catalog_rec_cnt;
	tf_check_summary(s, &exp, true);
out:
	trace_reader__close(r);
	trace_writer__close(w);
	rec_expect__release(&exp);
	if (path[0])
		unlink(path);
}
