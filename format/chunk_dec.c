// SPDX-License-Identifier: Apache-2.0
/*
 * Column decoder, the mirror of chunk_enc.c.  It trusts nothing: the directory's sizes must add
 * up to the buffer, each varint read is bounded by its column (a cursor that runs out marks
 * itself bad and the record is rejected), shapes and intern references are range-checked, and
 * at the end every column must be consumed exactly.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "chunk_dec.h"

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

void chunk_dec__init(struct chunk_dec *d)
{
	memset(d, 0, sizeof(*d));
}

void chunk_dec__release(struct chunk_dec *d)
{
	free(d->intern);
	d->intern = NULL;
	d->intern_cap = d->intern_cnt = 0;
}

/* Slot for a column id, or -1 for a column this reader does not know (skipped). */
static int _col_slot(uint64_t id)
{
	if (id >= TF_COL_TYPE && id <= TF_COL_BLOB_DATA)
		return (int)id - 1;
	if (id > TF_COL_INT_BASE && id < TF_COL_INT_BASE + TRACE_REC_MAX_INTS)
		return CHUNK_DEC_BASE_COLS + (int)(id - TF_COL_INT_BASE) - 1;
	return -1;
}

int chunk_dec__begin(struct chunk_dec *d, const uint8_t *raw, size_t sz, uint32_t rec_cnt,
		     long long base_off, struct sr_diag *diag)
{
	struct sr_rcur dir;
	uint64_t cnt, total = 0;
	const uint8_t *data;

	for (int s = 0; s < CHUNK_DEC_SLOTS; s++)
		sr_rcur__init(&d->col[s], raw, 0);
	d->rec_left = rec_cnt;
	d->rec_idx = 0;
	d->prev_ts = 0;
	d->prev_tid = 0;
	d->base_off = base_off;
	d->intern_cnt = 0;
	memset(d->hist, 0, sizeof(d->hist));

	sr_rcur__init(&dir, raw, sz);
	cnt = sr_rcur__varint(&dir);
	if (dir.bad || cnt > 4096)
		return sr_diag__set(diag, -EBADMSG, base_off,
				    "chunk at offset %lld: bad column count", base_off);
	/* First pass: sizes only, so the column bytes start after the whole directory. */
	struct sr_rcur scan = dir;

	for (uint64_t i = 0; i < cnt; i++) {
		sr_rcur__varint(&scan);
		uint64_t csz = sr_rcur__varint(&scan);

		if (scan.bad || csz > sz || total + csz > sz)
			return sr_diag__set(diag, -EBADMSG, base_off,
					    "chunk at offset %lld: column %llu size exceeds the chunk",
					    base_off, (unsigned long long)i);
		total += csz;
	}
	data = scan.p;
	if (total != (uint64_t)(scan.end - scan.p))
		return sr_diag__set(diag, -EBADMSG, base_off,
				    "chunk at offset %lld: columns hold %llu bytes, chunk has %zu",
				    base_off, (unsigned long long)total, (size_t)(scan.end - scan.p));
	for (uint64_t i = 0; i < cnt; i++) {
		uint64_t id = sr_rcur__varint(&dir);
		uint64_t csz = sr_rcur__varint(&dir);
		int s = _col_slot(id);

		if (s >= 0) {
			if (d->col[s].end != raw) /* a column given twice */
				return sr_diag__set(diag, -EBADMSG, base_off,
						    "chunk at offset %lld: column id %llu repeated",
						    base_off, (unsigned long long)id);
			sr_rcur__init(&d->col[s], data, csz);
		}
		data += csz;
	}
	return 0;
}

static int _bad(struct chunk_dec *d, struct sr_diag *diag, const char *what)
{
	return sr_diag__set(diag, -EBADMSG, d->base_off,
			    "chunk at offset %lld: record %u: %s", d->base_off, d->rec_idx, what);
}

static int _intern_add(struct chunk_dec *d, const uint8_t *p, uint32_t sz)
{
	if (d->intern_cnt == TF_INTERN_MAX_CNT)
		return 0; /* the writer stops interning at the same count */
	if (d->intern_cnt == d->intern_cap) {
		uint32_t cap = d->intern_cap ? d->intern_cap * 2 : 256;
		void *n = realloc(d->intern, cap * sizeof(*d->intern));

		if (!n)
			return -ENOMEM;
		d->intern = n;
		d->intern_cap = cap;
	}
	d->intern[d->intern_cnt++] = (struct chunk_dec_intern){ p, sz };
	return 0;
}

static int _read_blobs(struct chunk_dec *d, struct trace_rec *rec, struct sr_diag *diag)
{
	for (int i = 0; i < rec->blob_cnt; i++) {
		struct trace_blob *b = &rec->blobs[i];
		uint64_t tag = sr_rcur__varint(&d->col[S_BLOB_TAG]);
		uint64_t ref = sr_rcur__varint(&d->col[S_BLOB_REF]);
		uint64_t v = ref >> 2;

		if (tag > UINT16_MAX)
			return _bad(d, diag, "blob tag out of range");
		b->tag = (uint16_t)tag;
		b->flags = 0;
		switch (ref & 3) {
		case 0:
		case 1:
			if (v > TRACE_BLOB_MAX_SZ)
				return _bad(d, diag, "blob larger than the format allows");
			b->data = sr_rcur__bytes(&d->col[S_BLOB_DATA], v);
			if (!b->data)
				return _bad(d, diag, "blob data runs past its column");
			b->sz = (uint32_t)v;
			if ((ref & 3) == 1 && v <= TF_INTERN_MAX_SZ && _intern_add(d, b->data, b->sz))
				return -ENOMEM;
			break;
		case 2:
			if (v >= d->intern_cnt)
				return _bad(d, diag, "blob reference to an unknown string");
			b->data = d->intern[v].data;
			b->sz = d->intern[v].sz;
			break;
		default:
			return _bad(d, diag, "unknown blob encoding");
		}
	}
	return 0;
}

static unsigned int _slot_col_id(int s)
{
	return s < CHUNK_DEC_BASE_COLS ? (unsigned int)s + 1
				       : TF_COL_INT_BASE + (unsigned int)(s - CHUNK_DEC_BASE_COLS) + 1;
}

static int _check_exhausted(struct chunk_dec *d, struct sr_diag *diag)
{
	for (int s = 0; s < CHUNK_DEC_SLOTS; s++)
		if (d->col[s].p != d->col[s].end)
			return sr_diag__set(diag, -EBADMSG, d->base_off,
					    "chunk at offset %lld: %zu bytes left in column %u after its last record",
					    d->base_off, sr_rcur__left(&d->col[s]), _slot_col_id(s));
	return 0;
}

/* Read a varint from a per-record column without checking its end: the caller checks
 * `p <= end` once per record, and CHUNK_DEC_PAD covers one over-read. */
static inline uint64_t _vget(struct sr_rcur *c)
{
	uint8_t b = *c->p;

	if (b < 0x80) {
		c->p++;
		return b;
	}
	if (c->p[1] < 0x80) { /* nanosecond deltas: mostly two bytes */
		uint64_t v2 = (b & 0x7f) | (uint64_t)c->p[1] << 7;

		c->p += 2;
		return v2;
	}
	uint64_t v = 0;

	for (int shift = 0; shift < 70; shift += 7) {
		b = *c->p++;
		v |= (uint64_t)(b & 0x7f) << shift;
		if (!(b & 0x80))
			return v;
	}
	c->p = c->end + 1; /* over-long: make the record check fail */
	return 0;
}

int chunk_dec__next(struct chunk_dec *d, struct trace_rec *rec, struct sr_diag *diag)
{
	struct sr_rcur *col = d->col;
	uint64_t type, cpu, shape;
	int err;

	if (!d->rec_left)
		return _check_exhausted(d, diag);

	type = _vget(&col[S_TYPE]);
	d->prev_ts += (uint64_t)zigzag_dec(_vget(&col[S_TS]));
	cpu = _vget(&col[S_CPU]);
	d->prev_tid += (uint32_t)zigzag_dec(_vget(&col[S_TID]));
	shape = _vget(&col[S_SHAPE]);
	if (col[S_TYPE].p > col[S_TYPE].end || col[S_TS].p > col[S_TS].end ||
	    col[S_CPU].p > col[S_CPU].end || col[S_TID].p > col[S_TID].end ||
	    col[S_SHAPE].p > col[S_SHAPE].end)
		return _bad(d, diag, "a column ends before the record");
	rec->int_cnt = shape & ((1u << TF_SHAPE_INT_BITS) - 1);
	if (type > UINT16_MAX || cpu > UINT16_MAX || rec->int_cnt > TRACE_REC_MAX_INTS ||
	    (shape >> TF_SHAPE_INT_BITS) > TRACE_REC_MAX_BLOBS)
		return _bad(d, diag, "type, cpu or shape out of range");
	rec->blob_cnt = (uint8_t)(shape >> TF_SHAPE_INT_BITS);
	rec->type = (uint16_t)type;
	rec->cpu = (uint16_t)cpu;
	rec->ts = d->prev_ts;
	rec->tid = d->prev_tid;

	if (rec->int_cnt) {
		uint64_t key = (uint64_t)zigzag_dec(_vget(&col[S_KEY]));
		uint64_t *h = d->hist[tf_hist_slot(rec->type, key)];
		struct sr_rcur *ic = &col[CHUNK_DEC_BASE_COLS - 1];
		int over = col[S_KEY].p > col[S_KEY].end;

		rec->ints[0] = key;
		for (int i = 1; i < rec->int_cnt; i++) {
			h[i] += (uint64_t)zigzag_dec(_vget(&ic[i]));
			rec->ints[i] = h[i];
			over |= ic[i].p > ic[i].end;
		}
		if (over)
			return _bad(d, diag, "an integer column ends before the record");
	}
	if (rec->blob_cnt) {
		err = _read_blobs(d, rec, diag);
		if (err)
			return err;
		if (col[S_BLOB_TAG].bad || col[S_BLOB_REF].bad)
			return _bad(d, diag, "a blob column ends before the record");
	}
	d->rec_left--;
	d->rec_idx++;
	return 1;
}
