/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The column encoder: turns records into the decompressed chunk layout of docs/format.md
 * ("Chunk columns").  Pure computation, no I/O; the trace writer owns two kinds of objects:
 *
 *   struct chunk_cols  the column buffers of one chunk; travels to the writer thread and back.
 *   struct chunk_enc   the encoding state (delta history, intern table, previous ts/tid),
 *                      reset at every chunk so chunks decode independently.
 */
#ifndef SYSREC_CHUNK_ENC_H
#define SYSREC_CHUNK_ENC_H

#include <stdint.h>

#include "bytes.h"
#include "layout.h"
#include "record.h"

#define CHUNK_BASE_COLS 9 /* TF_COL_TYPE .. TF_COL_BLOB_DATA */
#define CHUNK_COL_SLOTS (CHUNK_BASE_COLS + TRACE_REC_MAX_INTS - 1)

struct chunk_cols {
	struct sr_wbuf col[CHUNK_COL_SLOTS]; /* slot s holds column chunk_slot_col_id(s) */
	uint32_t rec_cnt;
	uint32_t seq;
	uint64_t min_ts, max_ts, type_mask;
	uint64_t raw_sz;  /* estimate of the column bytes (varints as 1 byte), to decide when to seal */
	uint64_t raw_max; /* upper bound of the column bytes (varints as 10 bytes) */
};

struct chunk_intern_ent {
	uint32_t off; /* in the BLOB_DATA column */
	uint32_t sz;
	uint32_t hash;
};

struct chunk_enc {
	struct chunk_cols *cols; /* the chunk being filled; not owned */
	uint64_t prev_ts;
	uint32_t prev_tid;
	uint64_t hist[TF_HIST_SLOTS][TRACE_REC_MAX_INTS];
	uint32_t *intern_slots; /* open addressing: entry index + 1, 0 = empty */
	struct chunk_intern_ent *intern;
	uint32_t intern_cnt;
};

/* Column id stored in the directory for slot @s. */
static inline unsigned int chunk_slot_col_id(unsigned int s)
{
	return s < CHUNK_BASE_COLS ? s + 1 : TF_COL_INT_BASE + (s - CHUNK_BASE_COLS + 1);
}

int chunk_enc__init(struct chunk_enc *e);
void chunk_enc__release(struct chunk_enc *e);

/* Start filling @cols (emptied; its buffers keep their capacity) as chunk number @seq. */
void chunk_enc__begin(struct chunk_enc *e, struct chunk_cols *cols, uint32_t seq);

/* Encode @rec into the current chunk.  The caller validated counts and sizes.  An allocation
 * failure is sticky in the columns and reported by chunk_cols__directory().  @return 0. */
int chunk_enc__add(struct chunk_enc *e, const struct trace_rec *rec);

/* The directory (col_cnt, then id and size per non-empty column) that precedes the column
 * bytes; appended to @dir.  @return 0 or -ENOMEM. */
int chunk_cols__directory(const struct chunk_cols *c, struct sr_wbuf *dir);

/* Concatenate directory and columns into @out (the decompressed chunk layout). */
int chunk_cols__flatten(const struct chunk_cols *c, struct sr_wbuf *out);

void chunk_cols__release(struct chunk_cols *c);

#endif
