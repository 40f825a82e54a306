// SPDX-License-Identifier: Apache-2.0
/*
 * Fuzz target for the trace reader: open the bytes as a trace (memory source, no temp file),
 * read every record, the summary and the catalog, seek to the middle of the time span and read
 * on.  Besides "no crash" (run it under ASan/UBSan), it checks invariants the reader promises:
 * records within the format's limits, blob bytes readable, failures negative with a message,
 * and a scan summary that agrees with what next() read.
 *
 * Built with -fsanitize=fuzzer as fuzz_reader when clang and SYSREC_FUZZ are available, and
 * always linked with replay_driver.c as fuzz_reader_replay, which ctest runs over the corpus.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>

#include "sr_log.h"
#include "trace_reader.h"

/* Records read per pass: a tiny input may expand to millions (64 MiB chunks); enough of them
 * exercise the decoder, and the fuzzer stays fast. */
#define MAX_RECS 200000

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond)                                                                               \
	do {                                                                                      \
		if (!(cond)) {                                                                    \
			fprintf(stderr, "fuzz_reader: invariant violated: %s (%s:%d)\n", #cond,   \
				__FILE__, __LINE__);                                              \
			abort();                                                                  \
		}                                                                                 \
	} while (0)

static void _quiet(enum sr_log_level level, const char *fmt, va_list ap)
{
}

static volatile uint8_t sink;

static void _check_rec(const struct trace_rec *rec)
{
	uint8_t x = 0;

	CHECK(rec->int_cnt <= TRACE_REC_MAX_INTS);
	CHECK(rec->blob_cnt <= TRACE_REC_MAX_BLOBS);
	for (int i = 0; i < rec->blob_cnt; i++) {
		const struct trace_blob *b = &rec->blobs[i];

		CHECK(b->sz <= TRACE_BLOB_MAX_SZ);
		CHECK(b->sz == 0 || b->data != NULL);
		CHECK(b->flags == 0);
		/* touch the first and last byte: ASan checks they are inside the reader's memory */
		if (b->sz)
			x ^= ((const uint8_t *)b->data)[0] ^ ((const uint8_t *)b->data)[b->sz - 1];
	}
	sink = x;
}

static void _check_fail(int err, const struct sr_diag *d)
{
	CHECK(err < 0);
	if (err == -ENOMEM)
		return;
	CHECK(d->err == err);
	CHECK(d->msg[0] != 0);
}

static int _catalog_cb(const struct trace_rec *rec, void *ctx)
{
	size_t *n = ctx;

	_check_rec(rec);
	return ++*n >= MAX_RECS;
}

/* Read on from the current position; @return the count, *@ret how next() ended. */
static uint64_t _read_all(struct trace_reader *r, int *ret)
{
	struct trace_rec rec;
	uint64_t n = 0;

	while (n < MAX_RECS && (*ret = trace_reader__next(r, &rec)) == 1) {
		_check_rec(&rec);
		n++;
	}
	if (n == MAX_RECS)
		*ret = 1; /* stopped early */
	else if (*ret < 0)
		_check_fail(*ret, trace_reader__diag(r));
	else
		CHECK(*ret == 0);
	return n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int quiet;
	struct trace_source *src;
	struct trace_reader *r = NULL;
	struct sr_diag diag = { 0 };
	const struct trace_summary *s;
	const struct trace_props *props;
	unsigned int major, minor;
	uint64_t n;
	size_t cat = 0;
	bool had_index;
	int err, ret;

	if (!quiet) {
		sr_log_set_fn(_quiet);
		quiet = 1;
	}
	if (trace_source__open_mem(data, size, &src))
		return 0;
	err = trace_reader__open_source(src, &r, &diag);
	if (err) {
		_check_fail(err, &diag);
		return 0;
	}
	trace_reader__version(r, &major, &minor);
	CHECK(major == 1);
	props = trace_reader__props(r);
	for (size_t i = 0; i < trace_props__cnt(props); i++) {
		const struct trace_prop *p = trace_props__at(props, i);

		CHECK(p && p->name && p->name[0]);
		CHECK(p->sz == 0 || p->data);
	}

	n = _read_all(r, &ret);
	had_index = trace_reader__has_index(r);

	err = trace_reader__summary(r, &s);
	if (err) {
		CHECK(err < 0);
		goto out;
	}
	CHECK(s->chunk_cnt == 0 || s->chunks);
	CHECK(s->drop_cnt == 0 || s->drops);
	if (!s->from_index) {
		CHECK(s->catalog == NULL);
		if (s->scan_diag.err)
			_check_fail(s->scan_diag.err, &s->scan_diag);
	}
	if (!s->from_index && ret != 1) {
		/* A scan reads the blocks next() read.  Without an index they stop at the same
		 * place; with a damaged one (only the summary notices), next() stopped where the
		 * footer said the index starts and the scan may have read further. */
		CHECK(s->rec_cnt >= n);
		if (!had_index) {
			CHECK(s->rec_cnt == n);
			CHECK(s->scan_diag.err == (ret < 0 ? ret : 0));
		}
	}
	err = trace_summary__catalog(s, _catalog_cb, &cat);
	CHECK(err <= 1);

	err = trace_reader__seek_time(r, s->min_ts + (s->max_ts - s->min_ts) / 2);
	if (err)
		CHECK(err < 0);
	else
		_read_all(r, &ret);
	if (!trace_reader__rewind(r))
		_read_all(r, &ret);
out:
	trace_reader__close(r);
	return 0;
}
