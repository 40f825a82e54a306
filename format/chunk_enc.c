// SPDX-License-Identifier: Apache-2.0
/*
 * Column encoder.  Every record field goes to its own column so that zstd sees long runs of
 * similar bytes: syscall numbers with syscall numbers, small timestamp deltas with timestamp
 * deltas.  Integers other than the key are coded as the difference to the same position of the
 * last record with the same (type, key), so a loop of identical calls costs ~1 byte per field
 * before zstd and almost nothing after it.  Blobs marked TRACE_BLOB_F_INTERN that were already
 * seen in this chunk are stored as a reference into the chunk's intern table.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "chunk_enc.h"

#define INTERN_SLOTS (TF_INTERN_MAX_CNT * 2) /* load factor <= 0.5 */

enum {
	S_TYPE = TF_COL_TYPE - 1,
	S_TS = TF_COL_TS - 1,
	S_CPU = TF_COL_CPU - 1,
	S_TID = TF_COL_TID - 1,
	S_SHAPE = TF_COL_SHAPE - 1,
	S_KEY = TF_COL_KEY - 1,
	S_BLOB_TAG = TF_COL_BLOB_TAG - 1,
	S_BLOB_REF = TF_COL_BLOB_REF - 1,
	S_BLOB_DATA = TF_COL_BLOB_DATA - 1,
};

int chunk_enc__init(struct chunk_enc *e)
{
	memset(e, 0, sizeof(*e));
	e->intern_slots = calloc(INTERN_SLOTS, sizeof(*e->intern_slots));
	e->intern = malloc(TF_INTERN_MAX_CNT * sizeof(*e->intern));
	if (!e->intern_slots || !e->intern) {
		chunk_enc__release(e);
		return -ENOMEM;
	}
	return 0;
}

void chunk_enc__release(struct chunk_enc *e)
{
	free(e->intern_slots);
	free(e->intern);
	e->intern_slots = NULL;
	e->intern = NULL;
}

void chunk_enc__begin(struct chunk_enc *e, struct chunk_cols *cols, uint32_t seq)
{
	for (int s = 0; s < CHUNK_COL_SLOTS; s++) {
		cols->col[s].len = 0;
		cols->col[s].oom = 0;
	}
	cols->rec_cnt = 0;
	cols->seq = seq;
	cols->min_ts = UINT64_MAX;
	cols->max_ts = 0;
	cols->type_mask = 0;
	cols->raw_sz = 0;
	cols->raw_max = 0;
	e->cols = cols;
	e->prev_ts = 0;
	e->prev_tid = 0;
	memset(e->hist, 0, sizeof(e->hist));
	if (e->intern_cnt)
		memset(e->intern_slots, 0, INTERN_SLOTS * sizeof(*e->intern_slots));
	e->intern_cnt = 0;
}

/* Hash of a blob for the intern table, eight bytes at a time (the encoder's own choice: the
 * file never stores it). */
static uint32_t _hash_bytes(const uint8_t *p, uint32_t sz)
{
	uint64_t h = 0x9e3779b97f4a7c15ull ^ sz, v;

	for (; sz >= 8; p += 8, sz -= 8) {
		memcpy(&v, p, 8);
		h = (h ^ v) * 0xff51afd7ed558ccdull;
		h ^= h >> 32;
	}
	v = 0;
	if (sz) /* an empty blob may have data == NULL */
		memcpy(&v, p, sz);
	h = (h ^ v) * 0xc4ceb9fe1a85ec53ull;
	return (uint32_t)(h ^ (h >> 29));
}

/* The BLOB_REF word for an internable blob: a reference if seen, else a literal that is
 * added to the table (or a plain literal once the table is full). */
static uint64_t _intern(struct chunk_enc *e, const struct trace_blob *b, int *literal)
{
	const struct sr_wbuf *data = &e->cols->col[S_BLOB_DATA];
	uint32_t h = _hash_bytes(b->data, b->sz);
	uint32_t mask = INTERN_SLOTS - 1;

	*literal = 1;
	if (data->oom) /* the chunk is lost anyway; never compare against bytes not written */
		return (uint64_t)b->sz << 2;
	for (uint32_t i = h & mask;; i = (i + 1) & mask) {
		uint32_t idx = e->intern_slots[i];

		if (!idx) {
			*literal = 1;
			if (e->intern_cnt == TF_INTERN_MAX_CNT)
				return (uint64_t)b->sz << 2;
			e->intern[e->intern_cnt] = (struct chunk_intern_ent){
				.off = (uint32_t)data->len, .sz = b->sz, .hash = h };
			e->intern_slots[i] = ++e->intern_cnt;
			return (uint64_t)b->sz << 2 | 1;
		}
		const struct chunk_intern_ent *ent = &e->intern[idx - 1];

		/* An empty blob may come with data == NULL, and the column may not exist yet:
		 * memcmp() must not see either. */
		if (ent->hash == h && ent->sz == b->sz &&
		    (!b->sz || !memcmp(data->buf + ent->off, b->data, b->sz))) {
			*literal = 0;
			return (uint64_t)(idx - 1) << 2 | 2;
		}
	}
}

static void _add_blobs(struct chunk_enc *e, const struct trace_rec *rec)
{
	struct sr_wbuf *col = e->cols->col;

	for (int i = 0; i < rec->blob_cnt; i++) {
		const struct trace_blob *b = &rec->blobs[i];
		int literal = 1;
		uint64_t ref = (uint64_t)b->sz << 2;

		if ((b->flags & TRACE_BLOB_F_INTERN) && b->sz <= TF_INTERN_MAX_SZ)
			ref = _intern(e, b, &literal);
		sr_wbuf__varint(&col[S_BLOB_TAG], b->tag);
		sr_wbuf__varint(&col[S_BLOB_REF], ref);
		if (literal)
			sr_wbuf__bytes(&col[S_BLOB_DATA], b->data, b->sz);
	}
}

int chunk_enc__add(struct chunk_enc *e, const struct trace_rec *rec)
{
	struct chunk_cols *c = e->cols;
	struct sr_wbuf *col = c->col;
	size_t data_len = col[S_BLOB_DATA].len;

	sr_wbuf__varint(&col[S_TYPE], rec->type);
	sr_wbuf__varint(&col[S_TS], zigzag_enc((int64_t)(rec->ts - e->prev_ts)));
	sr_wbuf__varint(&col[S_CPU], rec->cpu);
	sr_wbuf__varint(&col[S_TID], zigzag_enc((int64_t)(int32_t)(rec->tid - e->prev_tid)));
	sr_wbuf__varint(&col[S_SHAPE], rec->int_cnt | (unsigned int)rec->blob_cnt << TF_SHAPE_INT_BITS);
	e->prev_ts = rec->ts;
	e->prev_tid = rec->tid;

	if (rec->int_cnt) {
		uint64_t *h = e->hist[tf_hist_slot(rec->type, rec->ints[0])];

		sr_wbuf__varint(&col[S_KEY], zigzag_enc((int64_t)rec->ints[0]));
		for (int i = 1; i < rec->int_cnt; i++) {
			sr_wbuf__varint(&col[CHUNK_BASE_COLS + i - 1],
					zigzag_enc((int64_t)(rec->ints[i] - h[i])));
			h[i] = rec->ints[i];
		}
	}
	if (rec->blob_cnt)
		_add_blobs(e, rec);

	/* An estimate (every varint counted as one byte) that only decides when to seal; an
	 * allocation failure is reported by chunk_cols__directory() at seal time. */
	size_t varints = 5 + rec->int_cnt + 2 * rec->blob_cnt, data = col[S_BLOB_DATA].len - data_len;

	c->raw_sz += varints + data;
	c->raw_max += SR_VARINT_MAX * varints + data;
	c->rec_cnt++;
	if (rec->ts < c->min_ts)
		c->min_ts = rec->ts;
	if (rec->ts > c->max_ts)
		c->max_ts = rec->ts;
	c->type_mask |= 1ull << (rec->type < 63 ? rec->type : 63);
	return 0;
}

int chunk_cols__directory(const struct chunk_cols *c, struct sr_wbuf *dir)
{
	unsigned int cnt = 0;

	for (int s = 0; s < CHUNK_COL_SLOTS; s++) {
		if (c->col[s].oom)
			return -ENOMEM;
		cnt += c->col[s].len != 0;
	}
	sr_wbuf__varint(dir, cnt);
	for (int s = 0; s < CHUNK_COL_SLOTS; s++) {
		if (!c->col[s].len)
			continue;
		sr_wbuf__varint(dir, chunk_slot_col_id(s));
		sr_wbuf__varint(dir, c->col[s].len);
	}
	return dir->oom ? -ENOMEM : 0;
}

int chunk_cols__flatten(const struct chunk_cols *c, struct sr_wbuf *out)
{
	int err = chunk_cols__directory(c, out);

	if (err)
		return err;
	for (int s = 0; s < CHUNK_COL_SLOTS; s++)
		sr_wbuf__bytes(out, c->col[s].buf, c->col[s].len);
	return out->oom ? -ENOMEM : 0;
}

void chunk_cols__release(struct chunk_cols *c)
{
	for (int s = 0; s < CHUNK_COL_SLOTS; s++)
		sr_wbuf__release(&c->col[s]);
}
