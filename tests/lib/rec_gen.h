/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Deterministic trace records for tests, and what to expect of them once written.
 *
 * struct rec_gen produces an endless, reproducible stream of mixed records from a seed: syscalls
 * with 0..10 integers (negative returns, UINT64_MAX arguments), interned paths, unique buffers,
 * empty blobs, THREAD records (process leaders and other threads), CONTAINER records, DROPS
 * records with cumulative counts per (cpu, kind), other known types, and types no table knows
 * (40, 200, 1000, 65535) with the largest shapes the format allows; tids and, unless asked
 * otherwise, timestamps sometimes go backwards.  Two generators with the same options produce
 * the same records, so a reader's output can be checked by regenerating instead of storing.
 *
 * struct rec_vec keeps deep copies of records; struct rec_expect accumulates the summary a
 * trace of the noted records must have (counts, time span, drops, catalog).
 */
#ifndef SYSREC_REC_GEN_H
#define SYSREC_REC_GEN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "record.h"
#include "trace_reader.h"

struct rec_gen_opts {
	uint64_t seed;
	bool monotonic_ts;    /* never let time go backwards (for seeking) */
	uint64_t big_blob_at; /* index of the record that carries a big blob; 0: none */
	uint32_t big_blob_sz;
	bool small;           /* syscalls: at most 2 ints and 1 blob; unique blobs <= 16 bytes */
	uint16_t meta_permille; /* THREAD and CONTAINER records per 1000 (<= 900); 0: 40 */
};

#define REC_GEN_BUF_SZ 512

struct rec_gen {
	struct rec_gen_opts opts;
	uint64_t rng;
	uint64_t idx; /* records produced so far */
	uint64_t ts;
	uint32_t tids[64];
	uint64_t drops[4][3]; /* cumulative count per (cpu, kind) */
	uint8_t *big;         /* the big blob's bytes, made once */
	uint8_t buf[TRACE_REC_MAX_BLOBS][REC_GEN_BUF_SZ]; /* blob bytes of the last record */
};

/* @return 0 or -ENOMEM. */
int rec_gen__init(struct rec_gen *g, const struct rec_gen_opts *opts);
void rec_gen__release(struct rec_gen *g);
/* The next record; its blobs point into @g until the next call. */
void rec_gen__next(struct rec_gen *g, struct trace_rec *rec);

/* A small, fast PRNG (splitmix64) for tests that need their own randomness. */
uint64_t rec_gen__rand(uint64_t *state);

/* True when @a and @b hold the same fields and blob bytes (blob flags are writer hints and
 * are not compared); otherwise false with the first difference described in @why. */
bool rec_equal(const struct trace_rec *a, const struct trace_rec *b, char *why, size_t why_sz);

/* Is @rec what the writer puts in the catalog (a process leader's THREAD, or a CONTAINER)? */
bool rec_is_catalog(const struct trace_rec *rec);

struct rec_vec {
	struct trace_rec *v;
	size_t cnt, cap;
};

/* Append a deep copy of @rec.  @return 0 or -ENOMEM. */
int rec_vec__push(struct rec_vec *rv, const struct trace_rec *rec);
void rec_vec__release(struct rec_vec *rv);

struct rec_expect {
	uint64_t rec_cnt;
	uint64_t counts[TR_TYPE_MAX];
	uint64_t other_cnt;
	uint64_t min_ts, max_ts;
	struct trace_drop_count drops[64];
	size_t drop_cnt;
	struct rec_vec catalog; /* filled only when keep_catalog is set */
	bool keep_catalog;
};

void rec_expect__init(struct rec_expect *e, bool keep_catalog);
/* @return 0 or -ENOMEM (catalog copy). */
int rec_expect__note(struct rec_expect *e, const struct trace_rec *rec);
void rec_expect__release(struct rec_expect *e);

#endif
