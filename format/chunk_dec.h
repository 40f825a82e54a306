/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The column decoder: reads records back from the decompressed chunk layout.  Pure
 * computation on a buffer the caller owns; every read is bounded by its column, and a chunk
 * whose columns are not consumed exactly by its records is reported as corrupt.
 */
#ifndef SYSREC_CHUNK_DEC_H
#define SYSREC_CHUNK_DEC_H

#include <stdint.h>

#include "bytes.h"
#include "layout.h"
#include "record.h"
#include "sr_error.h"

#define CHUNK_DEC_BASE_COLS 9
/* Readable bytes the caller guarantees after a chunk buffer: the per-record columns are read
 * without a bound check per varint (at most one varint, 10 bytes, per column and record) and
 * checked against their ends once per record. */
#define CHUNK_DEC_PAD 16
#define CHUNK_DEC_SLOTS (CHUNK_DEC_BASE_COLS + TRACE_REC_MAX_INTS - 1)

struct chunk_dec_intern {
	const uint8_t *data;
	uint32_t sz;
};

struct chunk_dec {
	struct sr_rcur col[CHUNK_DEC_SLOTS];
	uint32_t rec_left;
	uint32_t rec_idx;
	uint64_t prev_ts;
	uint32_t prev_tid;
	long long base_off; /* file offset of the chunk, for messages */
	uint64_t hist[TF_HIST_SLOTS][TRACE_REC_MAX_INTS];
	struct chunk_dec_intern *intern; /* grows up to TF_INTERN_MAX_CNT */
	uint32_t intern_cnt;
	uint32_t intern_cap;
};

void chunk_dec__init(struct chunk_dec *d);
void chunk_dec__release(struct chunk_dec *d);

/*
 * chunk_dec__begin - start decoding @rec_cnt records from @raw (borrowed until the chunk is
 * done), which must be followed by CHUNK_DEC_PAD readable bytes.  @base_off is the chunk's
 * file offset, used in messages.
 * @return 0, or -EBADMSG with @diag filled when the column directory is malformed.
 */
int chunk_dec__begin(struct chunk_dec *d, const uint8_t *raw, size_t sz, uint32_t rec_cnt,
		     long long base_off, struct sr_diag *diag);

/* @return 1 with a record (blobs point into the chunk), 0 when all records were read and the
 * columns are exhausted, -EBADMSG (diag filled), -ENOMEM. */
int chunk_dec__next(struct chunk_dec *d, struct trace_rec *rec, struct sr_diag *diag);

#endif
