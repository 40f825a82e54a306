// SPDX-License-Identifier: Apache-2.0
/*
 * Allocation failures, SQLite style: for N = 1, 2, ... fail the N-th allocation (faultsim.h)
 * while reading or writing a trace, until a run completes without reaching N.  Each run must
 * end in success or a clean -ENOMEM: never a crash, never another error, never a wrong
 * record, and (checked by LeakSanitizer at exit in the sanitizer build) never a leak.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "faultsim.h"
#include "format_tests.h"
#include "tf_util.h"
#include "test.h"

#define MAX_RUNS 20000

static int _cat_cb(const struct trace_rec *rec, void *ctx)
{
	size_t *n = ctx;

	(*n)++;
	return 0;
}

/* One reader run on @buf; @return false when something other than success or -ENOMEM
 * happened. */
static bool _reader_run(const uint8_t *buf, size_t sz, const struct rec_vec *recs,
			size_t cat_cnt, bool index)
{
	struct trace_reader *r = NULL;
	struct sr_diag diag = { 0 };
	const struct trace_summary *s;
	struct trace_rec rec;
	char why[128];
	size_t n = 0, cat = 0;
	bool ok = true;
	int err, ret;

	err = tf_open_mem(buf, sz, &r, &diag);
	if (err)
		return ASSERT_EQ(err, -ENOMEM, "open fails only for lack of memory");
	while ((ret = trace_reader__next(r, &rec)) == 1) {
		if (n >= recs->cnt || !rec_equal(&rec, &recs->v[n], why, sizeof(why))) {
			ok = TEST_FAIL("record %zu: %s", n, n >= recs->cnt ? "one too many" : why);
			goto out;
		}
		n++;
	}
	if (ret == 0)
		ok &= ASSERT_EQ(n, recs->cnt, "a clean end means every record");
	else
		ok &= ASSERT_EQ(ret, -ENOMEM, "next() fails only for lack of memory") &&
		      ASSERT_EQ(trace_reader__diag(r)->err, -ENOMEM, "diag.err") &&
		      ASSERT_TRUE(trace_reader__diag(r)->msg[0], "diag.msg");
	err = trace_reader__summary(r, &s);
	if (err) {
		ok &= ASSERT_EQ(err, -ENOMEM, "summary fails only for lack of memory");
		goto out;
	}
	if (s->scan_diag.err)
		ok &= ASSERT_EQ(s->scan_diag.err, -ENOMEM, "a scan stops only for lack of memory");
	else
		ok &= ASSERT_EQ(s->rec_cnt, recs->cnt, "summary rec_cnt");
	if (index && s->from_index) {
		err = trace_summary__catalog(s, _cat_cb, &cat);
		if (err)
			ok &= ASSERT_EQ(err, -ENOMEM, "catalog fails only for lack of memory");
		else
			ok &= ASSERT_EQ(cat, cat_cnt, "catalog records");
	}
	err = trace_reader__seek_time(r, recs->v[recs->cnt / 2].ts);
	if (err)
		ok &= ASSERT_EQ(err, -ENOMEM, "seek fails only for lack of memory");
	else if ((ret = trace_reader__next(r, &rec)) < 0)
		ok &= ASSERT_EQ(ret, -ENOMEM, "next() after seek fails only for lack of memory");
out:
	trace_reader__close(r);
	return ok;
}

static void _reader_faults(bool index)
{
	const struct trace_writer_opts wo = { .sz = sizeof(wo), .chunk_sz = 2048 };
	const struct rec_gen_opts go = { .seed = 31337 };
	struct rec_vec recs = { 0 };
	struct rec_expect exp;
	struct tf_file f;
	size_t sz;
	long n;

	rec_expect__init(&exp, true);
	if (!ASSERT_OK(tf_write(&f, &go, 1500, &wo, &recs, &exp), "write"))
		goto out;
	sz = index ? f.sz : tf_index_off(f.buf, f.sz);
	if (!_reader_run(f.buf, sz, &recs, exp.catalog.cnt, index))
		goto out;
	for (n = 1; n < MAX_RUNS; n++) {
		bool ok;

		faultsim_arm(n);
		ok = _reader_run(f.buf, sz, &recs, exp.catalog.cnt, index);
		if (!faultsim_disarm() || !ok)
			break;
	}
	if (!test__failed())
		ASSERT_GT(n, 10, "allocations exercised");
	ASSERT_LT(n, MAX_RUNS, "a run completed without reaching the failing allocation");
out:
	rec_expect__release(&exp);
	rec_vec__release(&recs);
	tf_release(&f);
}

void test_faults__reader(void)
{
	_reader_faults(true);
}

void test_faults__reader_no_index(void)
{
	_reader_faults(false);
}

#define W_RECS 5000

/* One writer run failing the @arm-th allocation of the library (0: none); *@complete is set
 * when every call succeeded. */
static bool _writer_run(const char *path, bool *complete, long arm)
{
	const struct trace_writer_opts wo = { .sz = sizeof(wo), .chunk_sz = 4096 };
	const struct rec_gen_opts go = { .seed = 2718 };
	struct trace_props *props = NULL;
	struct trace_writer *w = NULL;
	struct trace_rec rec;
	struct rec_gen g;
	bool ok = true;
	int err;

	*complete = false;
	if (!ASSERT_OK(rec_gen__init(&g, &go), "gen"))
		return false;
	/* armed after the generator is set up: only the library's allocations count */
	faultsim_arm(arm);
	err = trace_props__new(&props);
	err = err ?: trace_props__set_machine(props);
	err = err ?: trace_props__set_str(props, "capture.comment", "faults");
	err = err ?: trace_props__set_bytes(props, "capture.blob", "\0\1", 2);
	err = err ?: trace_writer__open(path, props, &wo, &w);
	if (err) {
		ok &= ASSERT_EQ(err, -ENOMEM, "props and open fail only for lack of memory");
		goto out;
	}
	/* A capture loop counts a failed append and goes on; so does this one. */
	for (int i = 0; i < W_RECS; i++) {
		int aerr;

		rec_gen__next(&g, &rec);
		aerr = trace_writer__append(w, &rec);
		if (aerr && !ASSERT_EQ(aerr, -ENOMEM, "append fails only for lack of memory"))
			ok = false;
		err = err ?: aerr;
	}
	if (err) {
		err = trace_writer__close(w);
		ok &= ASSERT_TRUE(err == 0 || err == -ENOMEM, "close after a failure");
	} else {
		err = trace_writer__close(w);
		if (err)
			ok &= ASSERT_EQ(err, -ENOMEM, "close fails only for lack of memory");
		*complete = !err;
	}
out:
	trace_props__free(props);
	rec_gen__release(&g);
	return ok;
}

/* A complete run's file must hold every record. */
static bool _writer_check(const char *path)
{
	const struct rec_gen_opts go = { .seed = 2718 };
	struct trace_reader *r = NULL;
	struct trace_rec rec, want;
	struct rec_gen g;
	char why[128];
	int n = 0, ret;
	bool ok;

	if (!ASSERT_OK(trace_reader__open(path, &r, NULL), "open") ||
	    !ASSERT_OK(rec_gen__init(&g, &go), "gen")) {
		trace_reader__close(r);
		return false;
	}
	while ((ret = trace_reader__next(r, &rec)) == 1) {
		rec_gen__next(&g, &want);
		if (!rec_equal(&rec, &want, why, sizeof(why))) {
			TEST_FAIL("record %d: %s", n, why);
			break;
		}
		n++;
	}
	ok = ASSERT_EQ(ret, 0, "clean end") && ASSERT_EQ(n, W_RECS, "every record") &&
	     ASSERT_TRUE(trace_reader__has_index(r), "index");
	rec_gen__release(&g);
	trace_reader__close(r);
	return ok;
}

void test_faults__writer(void)
{
	char path[64];
	bool complete;
	long n;

	if (!ASSERT_OK(tf_temp_path(path, sizeof(path)), "mkstemp"))
		return;
	if (!_writer_run(path, &complete, 0) || !ASSERT_TRUE(complete, "a run without faults") ||
	    !_writer_check(path))
		goto out;
	for (n = 1; n < MAX_RUNS; n++) {
		bool ok, hit;

		ok = _writer_run(path, &complete, n);
		hit = faultsim_disarm();
		if (!ok || (complete && !_writer_check(path)) || !hit)
			break;
	}
	if (!test__failed())
		ASSERT_GT(n, 10, "allocations exercised");
	ASSERT_LT(n, MAX_RUNS, "a run completed without reaching the failing allocation");
out:
	unlink(path);
}
