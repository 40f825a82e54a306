/* SPDX-License-Identifier: Apache-2.0 */
/*
 * On-disk constants of the trace file format v1, shared by the writer and the reader (which
 * otherwise do not depend on each other).  docs/format.md is the specification; every number
 * here appears there, and a change here changes it there in the same commit.
 *
 * All integers in the file are little-endian.
 *
 *   file := preamble HEADER-block { CHUNK-block | other-block }* [ INDEX-block FOOTER-block ]
 *
 * Version policy: new fields are appended and detected by length (properties, index sections,
 * columns, record ints and blobs are all counted or sized); the minor version says what a
 * writer knew.  The major version changes only when a v1 reader could not read the file.
 */
#ifndef SYSREC_LAYOUT_H
#define SYSREC_LAYOUT_H

/* ---- preamble: 16 bytes at offset 0 ---- */
#define TF_MAGIC "\x89SYSREC\n" /* 8 bytes */
#define TF_MAGIC_SZ 8
#define TF_PREAMBLE_SZ 16 /* magic[8] major:u16 minor:u16 crc:u32 (CRC-32C of bytes 0..11) */
#define TF_VERSION_MAJOR 1
#define TF_VERSION_MINOR 0

/* ---- block header: 24 bytes before every block's payload ---- */
#define TF_BLOCK_MAGIC 0x4b425253u /* "SRBK" read as little-endian u32 */
#define TF_BLOCK_HDR_SZ 24 /* magic:u32 type:u16 flags:u16 stored_sz:u32 raw_sz:u32
			    * payload_crc:u32 header_crc:u32 (CRC-32C of bytes 0..19) */
#define TF_BLOCK_F_ZSTD 0x0001 /* payload (after any fixed prologue) is one zstd frame */

enum tf_block_type {
	TF_BLOCK_HEADER = 1, /* properties: machine facts and capture options */
	TF_BLOCK_CHUNK = 2,  /* prologue + zstd frame of column-encoded records */
	TF_BLOCK_INDEX = 3,  /* chunk table, summary and catalog, in sections */
	TF_BLOCK_FOOTER = 4, /* last block of a cleanly closed file */
};

/* Limits a reader enforces before allocating anything. */
#define TF_MAX_STORED_SZ (256u << 20) /* stored payload of any block */
#define TF_MAX_RAW_SZ (64u << 20)     /* decompressed chunk or index */
#define TF_MAX_HEADER_SZ (16u << 20)  /* header block payload */

/* ---- header block payload ---- */
/* prop_cnt:u32, then per property: kind:u8 pad:u8 name_len:u16 value_len:u32 name value */
enum tf_prop_kind {
	TF_PROP_U64 = 1, /* value_len 8 */
	TF_PROP_I64 = 2, /* value_len 8 */
	TF_PROP_STR = 3, /* UTF-8, no NUL */
	TF_PROP_BYTES = 4,
};

/* ---- chunk block payload ---- */
/* 32-byte prologue, stored uncompressed so time and type can be known without zstd:
 * rec_cnt:u32 seq:u32 min_ts:u64 max_ts:u64 type_mask:u64, then the zstd frame. */
#define TF_CHUNK_PROLOGUE_SZ 32
/* Decompressed: col_cnt:varint, col_cnt x { col_id:varint col_sz:varint }, column bytes in
 * directory order.  Unknown column ids are skipped. */
enum tf_column {
	TF_COL_TYPE = 1,      /* varint record type */
	TF_COL_TS = 2,        /* zigzag varint: ts - previous record's ts (first: ts - 0) */
	TF_COL_CPU = 3,       /* varint cpu */
	TF_COL_TID = 4,       /* zigzag varint: tid - previous record's tid */
	TF_COL_SHAPE = 5,     /* varint int_cnt | blob_cnt << 6 */
	TF_COL_KEY = 6,       /* zigzag varint ints[0], when int_cnt >= 1 */
	TF_COL_BLOB_TAG = 7,  /* varint tag per blob */
	TF_COL_BLOB_REF = 8,  /* varint per blob: (len << 2 | 0) literal, (len << 2 | 1) literal
			       * added to the chunk's intern table, (idx << 2 | 2) reference */
	TF_COL_BLOB_DATA = 9, /* literal blob bytes, concatenated */
	TF_COL_INT_BASE = 16, /* TF_COL_INT_BASE + i: zigzag varint of ints[i] minus the value at
			       * position i of the last record with the same (type, ints[0]) */
};
#define TF_SHAPE_INT_BITS 6
#define TF_INTERN_MAX_SZ 4096  /* literals larger than this are never interned */
#define TF_INTERN_MAX_CNT 65536 /* intern table entries per chunk */
#define TF_HIST_SLOTS 256       /* delta history slots, see tf_hist_slot() */

/* The delta-history slot of a record; writer and reader must agree bit for bit.  Records
 * whose (type, key) share a slot are simply coded against each other. */
static inline unsigned int tf_hist_slot(unsigned int type, unsigned long long key)
{
	return (unsigned int)(((key + type * 0x1000193ull) * 0x9e3779b97f4a7c15ull) >> 56);
}

/* ---- index block payload (zstd) ---- */
/* A list of sections: id:u32 len:u32 bytes[len]; unknown ids are skipped. */
enum tf_index_section {
	TF_IDX_CHUNKS = 1,  /* per chunk 48 bytes: offset:u64 stored_sz:u32 raw_sz:u32
			     * rec_cnt:u32 seq:u32 min_ts:u64 max_ts:u64 type_mask:u64 */
	TF_IDX_TOTALS = 2,  /* rec_cnt:u64 min_ts:u64 max_ts:u64 raw_sz:u64 stored_sz:u64 */
	TF_IDX_COUNTS = 3,  /* per record type 12 bytes: type:u32 count:u64 */
	TF_IDX_DROPS = 4,   /* per (cpu, kind) 16 bytes: cpu:u32 kind:u32 count:u64 */
	TF_IDX_CATALOG = 5, /* decompressed-chunk encoding of THREAD (leaders) and CONTAINER
			     * records: what `sysrec info` lists without reading the chunks */
};
#define TF_IDX_CHUNK_ENTRY_SZ 48

/* ---- footer block: the last 40 bytes of a cleanly closed file ---- */
/* block header (type FOOTER, stored_sz 16) + index_offset:u64 + TF_FOOTER_MAGIC */
#define TF_FOOTER_MAGIC "SYSRECIX"
#define TF_FOOTER_PAYLOAD_SZ 16
#define TF_FOOTER_SZ (TF_BLOCK_HDR_SZ + TF_FOOTER_PAYLOAD_SZ)

#endif
